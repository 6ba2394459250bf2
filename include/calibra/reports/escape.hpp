// Text made safe for the place it is written to.  Every writer passes each
// user-provided string (names, anchors, ids, notes) through one of these;
// no writer concatenates raw text into markup or a spreadsheet cell.
//
//   escape_html        HTML text and attribute values (also SVG text)
//   neutralise_formula a spreadsheet cell that must never run as a formula
//   csv_field          one RFC 4180 field, neutralised and quoted as needed
//   escape_markdown    GitHub-flavoured Markdown text and table cells
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace calibra::reports {

/// Escapes the five characters HTML gives meaning to (& < > " '), so the
/// text shows as text both between tags and inside quoted attributes.
/// Control characters that HTML forbids are dropped; tab and line breaks stay.
inline std::string escape_html(std::string_view text) {
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

/// True when a spreadsheet would read the cell as a formula or a command:
/// it starts with = + - @, a tab or a carriage return (OWASP, "CSV
/// Injection"), possibly after spaces, which some importers strip.
inline bool starts_like_formula(std::string_view text) {
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

/// A text cell that cannot run as a formula: when starts_like_formula(),
/// a leading apostrophe is added (OWASP's advice; spreadsheets then show the
/// rest verbatim and keep it text when the cell is edited).  Other text is
/// returned unchanged.  Numbers are written as numbers and never pass here.
inline std::string neutralise_formula(std::string_view text) {
  if (!starts_like_formula(text)) return std::string(text);
  std::string out = "'";
  out += text;
  return out;
}

/// One CSV field for a text cell: neutralised, then quoted (with doubled
/// quotes) when it holds a comma, a quote, a line break or a leading or
/// trailing space, or when neutralising added a prefix.
inline std::string csv_field(std::string_view text) {
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

/// Text for a Markdown document or table cell: Markdown and HTML
/// punctuation is backslash-escaped (CommonMark shows an escaped character
/// literally, so "<script>" stays text even in renderers that allow inline
/// HTML), '&' before a name or '#' becomes "&amp;" so no entity is decoded,
/// and line breaks become spaces so a cell stays on its row.
inline std::string escape_markdown(std::string_view text) {
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
