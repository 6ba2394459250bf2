// write_report(): renders every requested format into temporary files in
// the output directory and renames them into place only when all exist, so
// a run either replaces the whole report set or leaves the directory as it
// was.  (calibra::write_file_atomically commits each file at once, which is
// right for one file but not for a set, hence the staging here.)
#include "xlsx_writer.hpp"

#include <calibra/error.hpp>
#include <calibra/reports/write.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace calibra::reports {

namespace fs = std::filesystem;

std::string_view to_string(format f) {
  switch (f) {
    case format::xlsx: return "xlsx";
    case format::html: return "html";
    case format::markdown: return "md";
    case format::json: return "json";
    case format::csv: return "csv";
  }
  return "?";
}

std::vector<format> formats::list() const {
  std::vector<format> out;
  for (format f : {format::xlsx, format::html, format::markdown, format::json, format::csv})
    if (contains(f)) out.push_back(f);
  return out;
}

formats parse_formats(std::string_view text) {
  const std::string accepted = "xlsx, html, md, json, csv";
  formats out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string name(text.substr(start, end - start));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name.empty()) {
      if (text.find_first_not_of(" \t,") == std::string_view::npos)
        throw invalid_argument("reports", "--format: no format given; expected a comma-separated list of " + accepted);
      throw invalid_argument("reports", "--format '" + std::string(text) + "': empty name in the list; expected " +
                                            "a comma-separated list of " + accepted);
    }
    if (name == "xlsx") out.add(format::xlsx);
    else if (name == "html") out.add(format::html);
    else if (name == "md" || name == "markdown") out.add(format::markdown);
    else if (name == "json") out.add(format::json);
    else if (name == "csv") out.add(format::csv);
    else
      throw invalid_argument("reports", "--format: unknown format '" + name + "'; expected a comma-separated list of " +
                                            accepted);
    start = end + 1;
  }
  return out;
}

namespace detail {
namespace {

/// Temporary files in one directory, renamed to their final names by
/// commit(); whatever is not committed is removed on destruction.
class staged_files {
 public:
  explicit staged_files(fs::path dir) : dir_(std::move(dir)) {}
  staged_files(const staged_files&) = delete;
  staged_files& operator=(const staged_files&) = delete;
  ~staged_files() {
    for (const auto& entry : entries_) {
      std::error_code ignored;
      fs::remove(entry.temporary, ignored);
    }
  }

  /// A fresh temporary path for `file_name`, recorded for commit().
  fs::path reserve(const std::string& file_name) {
    static std::atomic<unsigned long> counter{0};
    const fs::path temporary = dir_ / ("." + file_name + "." + std::to_string(::getpid()) + "." +
                                       std::to_string(++counter) + ".tmp");
    entries_.push_back({temporary, dir_ / file_name});
    return temporary;
  }

  void write(const std::string& file_name, std::string_view contents) {
    const fs::path temporary = reserve(file_name);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw invalid_argument("reports", "cannot write '" + (dir_ / file_name).string() + "': cannot create a file in that directory");
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) throw invalid_argument("reports", "cannot write '" + (dir_ / file_name).string() + "' (disk full?)");
  }

  /// Renames every temporary into place.  Targets are checked first (a
  /// directory in the way fails before anything is renamed); each rename
  /// is atomic.
  std::vector<std::string> commit() {
    for (const auto& entry : entries_) {
      std::error_code ec;
      if (fs::is_directory(entry.final_path, ec))
        throw invalid_argument("reports", "cannot write '" + entry.final_path.string() + "': it is a directory");
    }
    std::vector<std::string> written;
    for (auto& entry : entries_) {
      std::error_code ec;
      fs::rename(entry.temporary, entry.final_path, ec);
      if (ec) throw invalid_argument("reports", "cannot write '" + entry.final_path.string() + "': " + ec.message());
      entry.temporary.clear();
      written.push_back(entry.final_path.string());
    }
    entries_.clear();
    return written;
  }

 private:
  struct entry {
    fs::path temporary;
    fs::path final_path;
  };
  fs::path dir_;
  std::vector<entry> entries_;
};

/// Creates `dir` and missing parents; remembers what it created so a failed
/// run can take the empty directories away again.
class output_directory {
 public:
  explicit output_directory(const std::string& path) : path_(path) {
    if (path.empty()) throw invalid_argument("reports", "--out: the output directory must not be empty");
    std::error_code ec;
    if (fs::exists(path_, ec)) {
      if (!fs::is_directory(path_, ec))
        throw invalid_argument("reports", "cannot use '" + path + "' as the output directory: it is not a directory");
      return;
    }
    for (fs::path p = fs::absolute(path_, ec); !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
      created_.push_back(p);
      if (p == p.parent_path()) break;
    }
    fs::create_directories(path_, ec);
    if (ec || !fs::is_directory(path_, ec)) {
      remove_created();
      throw invalid_argument("reports", "cannot create the output directory '" + path + "': " +
                                            (ec ? ec.message() : std::string("not a directory")));
    }
  }
  output_directory(const output_directory&) = delete;
  output_directory& operator=(const output_directory&) = delete;
  ~output_directory() {
    if (!kept_) remove_created();
  }
  void keep() { kept_ = true; }
  const fs::path& path() const { return path_; }

 private:
  void remove_created() {
    for (const fs::path& p : created_) {  // deepest first; remove() leaves non-empty directories alone
      std::error_code ignored;
      fs::remove(p, ignored);
    }
  }

  fs::path path_;
  std::vector<fs::path> created_;
  bool kept_ = false;
};

}  // namespace
}  // namespace detail

std::vector<std::string> write_report(const report& r, const std::string& out_dir, formats which,
                                      const write_options& options) {
  validate(r);
  if (which.empty()) throw invalid_argument("reports", "no output format requested");
  const std::string& base = options.basename;
  if (base.empty() || base.find_first_of("/\\") != std::string::npos || base == "." || base == ".." ||
      base.front() == '.')
    throw invalid_argument("reports", "the report basename '" + base +
                                          "' must be a plain file name (no directory, not starting with '.')");

  const auto list = which.list();
  std::size_t total = list.size() + 1, done = 0;
  auto progress = [&](std::string_view what) {
    if (options.progress) options.progress(done, total, what);
  };

  detail::output_directory dir(out_dir);
  std::vector<std::string> written;
  {
    detail::staged_files staged(dir.path());
    for (format f : list) {
      switch (f) {
        case format::xlsx: {
          const std::string name = base + ".xlsx";
          progress(name);
          detail::write_xlsx_to(r, staged.reserve(name).string(), (dir.path() / name).string());
          break;
        }
        case format::html:
          progress(base + ".html");
          staged.write(base + ".html", to_html(r));
          break;
        case format::markdown:
          progress(base + ".md");
          staged.write(base + ".md", to_markdown(r));
          break;
        case format::json:
          progress(base + ".json");
          staged.write(base + ".json", to_json(r));
          break;
        case format::csv:
          progress(base + "-*.csv");
          for (const auto& [table_id, text] : to_csv(r)) staged.write(base + "-" + table_id + ".csv", text);
          break;
      }
      ++done;
    }
    progress("renaming into place");
    written = staged.commit();
    ++done;
    progress("done");
  }
  dir.keep();
  return written;
}

}  // namespace calibra::reports
