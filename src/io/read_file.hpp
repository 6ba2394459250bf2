// Internal: whole-file reads with a size cap, shared by the file readers.
#pragma once

#include <calibra/error.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <system_error>
#include <filesystem>

namespace calibra::detail {

[[noreturn]] inline void refuse_large_file(const std::string& path, std::size_t max_bytes, const std::string& subsystem) {
  throw parse_error(subsystem, path + ": file is larger than the " + std::to_string(max_bytes >> 20) +
                                   " MiB limit for this kind of file");
}

/// Refuses text handed to a reader directly (not read from a file) that is
/// larger than the reader's file limit, naming the kind of file in the
/// message: "ratings files", "CASE packages".
inline void reject_oversized_text(std::string_view text, std::size_t max_bytes, const std::string& subsystem,
                                  const std::string& source, const std::string& kind_of_file) {
  if (text.size() > max_bytes)
    throw parse_error(subsystem, source + ": larger than the " + std::to_string(max_bytes >> 20) + " MiB limit for " +
                                     kind_of_file);
}

/// Reads `path` into memory.  Refuses directories, missing files and files
/// over `max_bytes` with an error naming the file.  A regular file's size is
/// checked before a byte is read and the buffer is allocated once, at that
/// size; a pipe or a device, whose size is not known, is read in chunks with
/// the cap checked before each one is kept and the buffer never grown past
/// the cap, so memory stays within `max_bytes` either way.
inline std::string read_file(const std::string& path, std::size_t max_bytes, const std::string& subsystem) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw parse_error(subsystem, path + ": cannot open file (no such file)");
  if (fs::is_directory(status)) throw parse_error(subsystem, path + ": is a directory, expected a file");
  std::size_t expected = 0;
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (ec) throw parse_error(subsystem, path + ": cannot read the file size: " + ec.message());
    if (size > max_bytes) refuse_large_file(path, max_bytes, subsystem);
    expected = static_cast<std::size_t>(size);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw parse_error(subsystem, path + ": cannot open file");
  std::string text;
  if (expected > 0) {
    text.resize(expected);
    in.read(text.data(), static_cast<std::streamsize>(expected));
    text.resize(static_cast<std::size_t>(in.gcount()));  // the file may have shrunk meanwhile
    if (in.bad()) throw parse_error(subsystem, path + ": read error");
    if (text.size() < expected || in.peek() == std::ifstream::traits_type::eof()) return text;
    // The file grew while being read: go on in chunks, under the same cap.
  }
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > max_bytes - text.size()) refuse_large_file(path, max_bytes, subsystem);
    if (text.size() + got > text.capacity()) {
      // Grow by doubling, but never past the cap.  A fresh string reserves
      // exactly what it is asked for (growing in place may double instead).
      std::string larger;
      larger.reserve(std::min(max_bytes, std::max(2 * text.capacity(), text.size() + got)));
      larger.append(text);
      text.swap(larger);
    }
    text.append(buffer, got);
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
