// Internal: whole-file reads with a size cap, shared by the file readers.
#pragma once

#include <calibra/error.hpp>

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <system_error>
#include <filesystem>

namespace calibra::detail {

/// Reads `path` into memory.  Refuses directories, missing files and files
/// over `max_bytes` with an error naming the file, before allocating.
inline std::string read_file(const std::string& path, std::size_t max_bytes, const std::string& subsystem) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw parse_error(subsystem, path + ": cannot open file (no such file)");
  if (fs::is_directory(status)) throw parse_error(subsystem, path + ": is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw parse_error(subsystem, path + ": cannot open file");
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw parse_error(subsystem, path + ": file is larger than the " + std::to_string(max_bytes >> 20) +
                                       " MiB limit for this kind of file");
  }
  if (in.bad()) throw parse_error(subsystem, path + ": read error");
  return text;
}

/// 1-based line and column of a byte offset, for messages.
inline std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace calibra::detail
