#include <calibra/error.hpp>
#include <calibra/io/files.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace calibra {

void write_file_atomically(const std::string& path, std::string_view contents) {
  write_file_atomically(path, [contents](std::ostream& out) {
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  });
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  namespace fs = std::filesystem;
  static std::atomic<unsigned long> counter{0};
  const fs::path target(path);
  if (target.filename().empty()) throw invalid_argument("output", "'" + path + "' is not a file name");
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + "." +
                                                     std::to_string(stamp) + "." + std::to_string(++counter) + ".tmp");
  auto discard = [&] {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  };
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw invalid_argument("output", "cannot write '" + path + "': cannot create a file in that directory");
    try {
      write(out);
    } catch (...) {
      out.close();
      discard();
      throw;
    }
    out.flush();
    if (!out) {
      out.close();
      discard();
      throw invalid_argument("output", "cannot write '" + path + "'");
    }
  }
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    discard();
    throw invalid_argument("output", "cannot write '" + path + "': it is a directory");
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    discard();
    throw invalid_argument("output", "cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace calibra
