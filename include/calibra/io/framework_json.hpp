// Reading and writing frameworks in the calibra JSON format
// (docs/framework-format.md, schema in docs/framework.schema.json).
//
// Reading is strict: unknown fields, wrong types, duplicate ids and dangling
// references are errors naming the file and the JSON pointer.  Writing is
// canonical: fixed key order, two-space indent, UTF-8, trailing newline, so
// that loading and saving a canonical file reproduces its bytes.
#pragma once

#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace calibra {

/// Framework files larger than this are refused before parsing.
inline constexpr std::size_t max_framework_file_bytes = std::size_t{16} << 20;

/// Parses framework JSON held in memory; `source_name` is used in messages.
framework parse_framework(std::string_view json_text, const std::string& source_name = "<memory>");

/// Reads a framework file.  Throws parse_error (bad bytes or JSON) or
/// validation_error (the JSON breaks the format or the model's rules).
framework load_framework(const std::string& path);

/// The canonical JSON text of a framework.
std::string to_json(const framework& fw);

/// Writes the canonical JSON atomically: a temporary file renamed into place.
void save_framework(const framework& fw, const std::string& path);

/// A Markdown rendering for wikis: metadata, scale, anchors by quadrant,
/// expectation matrix, promotion gaps.
std::string to_markdown(const framework& fw);

}  // namespace calibra
