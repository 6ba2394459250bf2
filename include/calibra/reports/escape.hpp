// Text made safe for the place it is written to.  Every writer passes each
// user-provided string (names, anchors, ids, notes) through one of these;
// no writer concatenates raw text into markup or a spreadsheet cell.
//
//   escape_html        HTML text and attribute values (also SVG text)
//   neutralise_formula a spreadsheet cell that must never run as a formula
//   csv_field          one RFC 4180 field, neutralised and quoted as needed
//   escape_markdown    GitHub-flavoured Markdown text and table cells
#pragma once

#include <calibra/config.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace calibra::reports {

/// Escapes the five characters HTML gives meaning to (& < > " '), so the
/// text shows as text both between tags and inside quoted attributes.
/// Control characters that HTML forbids are dropped; tab and line breaks stay.
std::string escape_html(std::string_view text);

/// True when a spreadsheet would read the cell as a formula or a command:
/// it starts with = + - @, a tab or a carriage return (OWASP, "CSV
/// Injection"), possibly after spaces, which some importers strip.
bool starts_like_formula(std::string_view text);

/// A text cell that cannot run as a formula: when starts_like_formula(),
/// a leading apostrophe is added (OWASP's advice; spreadsheets then show the
/// rest verbatim and keep it text when the cell is edited).  Other text is
/// returned unchanged.  Numbers are written as numbers and never pass here.
std::string neutralise_formula(std::string_view text);

/// One CSV field for a text cell: neutralised, then quoted (with doubled
/// quotes) when it holds a comma, a quote, a line break or a leading or
/// trailing space, or when neutralising added a prefix.
std::string csv_field(std::string_view text);

/// Text for a Markdown document or table cell: Markdown and HTML
/// punctuation is backslash-escaped (CommonMark shows an escaped character
/// literally, so "<script>" stays text even in renderers that allow inline
/// HTML), '&' before a name or '#' becomes "&amp;" so no entity is decoded,
/// and line breaks become spaces so a cell stays on its row.
std::string escape_markdown(std::string_view text);

}  // namespace calibra::reports

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/reports/escape-inl.hpp>
#endif
