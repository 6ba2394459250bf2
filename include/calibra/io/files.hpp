// File output that is whole or absent: every writer in calibra goes through
// write_file_atomically, so a crash or a full disk never leaves a
// half-written framework or report behind.
#pragma once

#include <string>
#include <string_view>

namespace calibra {

/// Writes `contents` to a temporary file next to `path`, then renames it
/// over `path`.  On any failure the temporary file is removed and
/// invalid_argument names the path; `path` is untouched.
void write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace calibra
