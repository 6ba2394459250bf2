// Internal: JSON syntax errors as calibra reports them, shared by the strict
// JSON reader (strict_json.cpp) and the streaming ratings JSON reader.
//
// nlohmann explains a failure well ("invalid literal", "number overflow")
// but its message quotes the bytes it last read as they are: a Latin-1 byte,
// half of a UTF-16 file or a whole unterminated string end up in the
// message.  The helpers here keep the explanation, drop nlohmann's own id and
// position, turn the byte offset into line and column, and quote the token
// through printable(), so the message is valid UTF-8 and short.
#pragma once

#include <calibra/error.hpp>

#include "message_text.hpp"
#include "read_file.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace calibra::detail {

/// How much of nlohmann's explanation, apart from the quoted token, a
/// message keeps.
inline constexpr std::size_t max_json_reason_bytes = 200;

/// nlohmann's explanation of a failure without its "[json.exception...]"
/// id and "parse error at line L, column C: " prefix, the quoted token (the
/// text between the first and the last single quote) printable and cut to
/// max_token_bytes.
inline std::string json_error_reason(std::string_view what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    const auto id_end = what.find("] ");
    if (id_end != std::string_view::npos) what.remove_prefix(id_end + 2);
  }
  if (what.rfind("parse error", 0) == 0) {
    const auto column_at = what.find("column ");
    const auto colon = column_at == std::string_view::npos ? std::string_view::npos : what.find(": ", column_at);
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
  }
  const auto open = what.find('\'');
  const auto close = what.rfind('\'');
  if (open == std::string_view::npos || close == open) return printable(what, max_json_reason_bytes);
  return printable(what.substr(0, open), max_json_reason_bytes) + "'" +
         printable(what.substr(open + 1, close - open - 1), max_token_bytes) + "'" +
         printable(what.substr(close + 1), max_json_reason_bytes);
}

/// The calibra::parse_error for a JSON syntax error at byte `position` (as
/// nlohmann counts it: one past the offending byte).  `context` follows the
/// line and column, e.g. " (in row 3)".
[[noreturn]] inline void throw_invalid_json(std::string_view text, const std::string& subsystem,
                                            const std::string& source, std::size_t position, std::string_view what,
                                            const std::string& context = std::string()) {
  const auto [line, column] = line_column(text, position > 0 ? position - 1 : 0);
  throw parse_error(subsystem, source + ":" + std::to_string(line) + ":" + std::to_string(column) + context +
                                   ": invalid JSON: " + json_error_reason(what));
}

/// nlohmann's lexer takes a NUL byte outside a string for the end of the
/// input and ignores everything after it, so a valid document followed by
/// "\0garbage" would read cleanly.  The readers refuse any NUL byte first
/// (after the UTF-16 check, whose files are full of them).
inline void reject_nul_byte(std::string_view text, const std::string& subsystem, const std::string& source) {
  const auto at = text.find('\0');
  if (at == std::string_view::npos) return;
  const auto [line, column] = line_column(text, at);
  throw parse_error(subsystem, source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                   ": invalid JSON: a NUL byte (control character U+0000), which JSON text cannot "
                                   "hold; the file is binary or damaged");
}

}  // namespace calibra::detail
