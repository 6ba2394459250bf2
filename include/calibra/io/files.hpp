// File output that is whole or absent: every writer in calibra goes through
// write_file_atomically, so a crash or a full disk never leaves a
// half-written framework or report behind.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace calibra {

/// Writes `contents` to a temporary file next to `path`, then renames it
/// over `path`.  On any failure the temporary file is removed and
/// invalid_argument names the path; `path` is untouched.
void write_file_atomically(const std::string& path, std::string_view contents);

/// The same for contents that `write` streams into the temporary file, so
/// that a large document never has to be held in memory whole.  An
/// exception from `write` removes the temporary file and propagates.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace calibra
