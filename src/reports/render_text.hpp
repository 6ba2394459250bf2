// Shared by the writers: how a cell reads as text, number formatting, and
// which columns a grouped layout shows.
#pragma once

#include <calibra/reports/document.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace calibra::reports::detail {

/// Fixed-point with `digits` decimals; "-0.00" reads as "0.00".
inline std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  std::string out(buffer);
  if (out.front() == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

/// The shortest text that reads back as the same double (for CSV and tick
/// labels): 3 -> "3", 0.1 -> "0.1".
inline std::string shortest(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  if (result.ec != std::errc()) return fixed(v, 6);
  return std::string(buffer, result.ptr);
}

/// What a reader sees in a cell: text as is, numbers formatted by the
/// column's kind, nothing for an empty cell.
inline std::string display_text(const column& col, const cell& c) {
  if (const std::string* t = c.text()) return *t;
  const auto v = c.number();
  if (!v) return {};
  switch (col.kind) {
    case column_kind::integer: return fixed(std::round(*v), 0);
    case column_kind::percent: return fixed(*v * 100.0, col.digits) + "%";
    case column_kind::number: return fixed(*v, col.digits);
    case column_kind::text:
    case column_kind::level: break;
  }
  return shortest(*v);
}

inline bool is_numeric(const column& col) {
  return col.kind == column_kind::integer || col.kind == column_kind::number || col.kind == column_kind::percent;
}

/// Columns a layout with group separators shows: a group-key column only
/// repeats the separator's title, so it is left out when the table is grouped.
inline std::vector<std::size_t> shown_columns(const table& t) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (!(t.columns[c].group_key && !t.groups.empty())) out.push_back(c);
  return out;
}

/// Paragraphs of an intro: split at blank lines, trimmed, empty ones dropped.
inline std::vector<std::string> paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view p = text.substr(start, end - start);
    while (!p.empty() && (p.front() == '\n' || p.front() == ' ')) p.remove_prefix(1);
    while (!p.empty() && (p.back() == '\n' || p.back() == ' ')) p.remove_suffix(1);
    if (!p.empty()) out.emplace_back(p);
    start = end + 2;
  }
  return out;
}

/// Number of characters (UTF-8 code points) in `text`.
inline std::size_t char_count(std::string_view text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

/// The first `max_chars` characters of `text`, never splitting a UTF-8 sequence.
inline std::string first_chars(std::string_view text, std::size_t max_chars) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (n == max_chars) return std::string(text.substr(0, i));
      ++n;
    }
  }
  return std::string(text);
}

}  // namespace calibra::reports::detail
