// Implementation of <calibra/reports/escape.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/reports/escape.hpp>

#include <cstddef>
#include <string>
#include <string_view>


namespace calibra::reports {

CALIBRA_INLINE std::string escape_html(std::string_view text) {
std::string out;
out.reserve(text.size() + text.size() / 8);
for (char c : text) {
  switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
      if (c == 0x7f) break;
      out += c;
  }
}
  return out;
}

CALIBRA_INLINE bool starts_like_formula(std::string_view text) {
std::size_t i = 0;
while (i < text.size() && text[i] == ' ') ++i;
if (i == text.size()) return false;
switch (text[i]) {
  case '=':
  case '+':
  case '-':
  case '@':
  case '\t':
  case '\r': return true;
  default: return false;
}
}

CALIBRA_INLINE std::string neutralise_formula(std::string_view text) {
  if (!starts_like_formula(text)) return std::string(text);
  std::string out = "'";
  out += text;
  return out;
}

CALIBRA_INLINE std::string csv_field(std::string_view text) {
const std::string safe = neutralise_formula(text);
bool quote = safe.size() != text.size();
for (char c : safe) quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
if (!safe.empty() && (safe.front() == ' ' || safe.back() == ' ')) quote = true;
if (!quote) return safe;
std::string out = "\"";
for (char c : safe) {
  if (c == '"') out += '"';
  out += c;
}
  out += '"';
  return out;
}

CALIBRA_INLINE std::string escape_markdown(std::string_view text) {
std::string out;
out.reserve(text.size() + text.size() / 8);
for (std::size_t i = 0; i < text.size(); ++i) {
  const char c = text[i];
  switch (c) {
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '<':
    case '>':
    case '|':
    case '~':
    case '#':
    case '!':
      out += '\\';
      out += c;
      break;
    case '&': {
      const char next = i + 1 < text.size() ? text[i + 1] : ' ';
      const bool entity_like = next == '#' || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
      out += entity_like ? "&amp;" : "&";
      break;
    }
    case '\n':
    case '\r': out += ' '; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') break;
      out += c;
  }
}
  return out;
}

}  // namespace calibra::reports
