// Internal: the strict JSON reader every JSON reader of calibra goes
// through (framework files, CASE packages; ratings JSON for the checks
// before its streaming parse).
//
// "Strict" means what nlohmann lets pass is refused with a message that
// names the file and the place: text over the reader's size limit, an empty
// file, UTF-16, a NUL byte (nlohmann takes it for the end of the input),
// nesting deeper than the format needs, and a member given twice in one
// object (nlohmann keeps the last one silently).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace calibra::detail {

/// What one JSON reader accepts, and the words its messages use.
struct strict_json_format {
  strict_json_format(std::string subsystem, std::string source, std::size_t max_bytes, std::string kind_of_file,
                     std::string expected, std::size_t max_nesting = 0, std::string nesting_hint = {})
      : subsystem(std::move(subsystem)),
        source(std::move(source)),
        max_bytes(max_bytes),
        kind_of_file(std::move(kind_of_file)),
        expected(std::move(expected)),
        max_nesting(max_nesting),
        nesting_hint(std::move(nesting_hint)) {}

  std::string subsystem;     // error id suffix: "framework", "case", "ratings"
  std::string source;        // file name for messages
  std::size_t max_bytes;     // the reader's file size limit
  std::string kind_of_file;  // for the size message: "framework files"
  std::string expected;      // for the empty-file message: "a JSON object"
  std::size_t max_nesting;   // 0: nesting not checked beyond nlohmann's own handling
  std::string nesting_hint;  // after the nesting message: "a CASE package needs far fewer"
};

/// The checks made on the raw text before any parse: size, emptiness (white
/// space only), UTF-16, and nesting when the format sets a limit.
void check_json_text(std::string_view text, const strict_json_format& format);

/// A member given a second time in one object.
struct repeated_json_member {
  std::string key;      // the member's name
  std::string pointer;  // JSON pointer to the second occurrence
};

/// A parsed document and the first repeated member found in it, which the
/// reader reports in its own words: the syntax of the whole text is checked
/// first, so a syntax error later in the file wins over a repeated member.
struct strict_json_document {
  nlohmann::json value;
  std::optional<repeated_json_member> repeated_member;
};

/// check_json_text(), then the parse: a NUL byte refused, every syntax error
/// (and a number beyond a double) a calibra::parse_error naming line and
/// column, repeated members found.
strict_json_document read_strict_json(std::string_view text, const strict_json_format& format);

/// `key` as one segment of a JSON pointer (RFC 6901): '~' as "~0", '/' as "~1".
std::string json_pointer_escape(const std::string& key);

}  // namespace calibra::detail
