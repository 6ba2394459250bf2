// The bad-input catalogue (tests/bad_inputs/manifest.json).
//
// Every file in the catalogue goes through its reader, called directly, and
// through each CLI command the manifest names for that reader.  Each run
// happens in a child process with a time limit, so that a crash or a hang
// is reported as such instead of taking the test program down, and the
// child's peak memory is measured.  For every file:
//
//   * the reader throws a calibra::error with the expected id, and its
//     message names the expected place (row, column, line, JSON pointer);
//   * the message is short, valid UTF-8, and starts with "[calibra.<id>] ";
//   * each CLI command exits with code 2, prints nothing on stdout, prints
//     "calibra: " and the same message on stderr, and leaves its output
//     directory empty (no output file, no temporary file);
//   * nothing takes longer than the time limit or more memory than the bound.
//
// Files that would be too large to check in (lines over the size caps) are
// generated into a temporary directory.  The 1 GB lines are tagged
// [.stress], so they only run when asked for.
#include "../support/valid_utf8.hpp"
#include "run_cli.hpp"

#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/framework_xlsx.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>
#include <calibra/io/wide_csv.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path catalogue_dir = fs::path(CALIBRA_SOURCE_DIR) / "tests" / "bad_inputs";

/// No reader may take longer than this on any catalogue file.  (The 1 GB
/// lines get more: on a loaded 2-core machine reading 1 GB takes minutes.)
constexpr unsigned time_limit_seconds = 60;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using calibra_test::valid_utf8;

/// A fresh, empty directory, removed with everything in it at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "calibra-bad-inputs-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

/// How a child process ended.
struct child_result {
  int exit_code = -1;     // when it exited
  int signal = 0;         // when a signal killed it (SIGALRM: the time limit)
  long peak_rss_kb = 0;   // its peak resident memory
  double seconds = 0;     // wall time
  std::string out, err;   // what it wrote
  bool timed_out() const { return signal == SIGALRM; }
  std::string describe() const {
    if (timed_out()) return "timed out after " + std::to_string(seconds) + " s";
    if (signal) return std::string("killed by signal ") + ::strsignal(signal);
    return "exit " + std::to_string(exit_code);
  }
};

/// Runs `body` in a child process (its stdout and stderr captured) under
/// the time limit, and waits for it.  `body` returns the exit code.
child_result run_in_child(const std::function<int()>& body, unsigned limit_seconds) {
  temp_dir io;
  const fs::path out = io.path / "stdout", err = io.path / "stderr";
  std::fflush(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::signal(SIGALRM, SIG_DFL);
    ::alarm(limit_seconds);  // kept across exec
    int code = 125;
    try {
      code = body();
    } catch (...) {
    }
    std::fflush(nullptr);
    ::_exit(code);
  }
  int status = 0;
  struct rusage usage {};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  child_result r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.peak_rss_kb = usage.ru_maxrss;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

/// Runs the CLI with `args` in a child process.
child_result run_cli(const std::vector<std::string>& args, unsigned limit_seconds) {
  return run_in_child([&] {
    std::vector<char*> argv;
    std::string program = CALIBRA_CLI_PATH;
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    std::perror("execv");
    return 126;
  }, limit_seconds);
}

/// Child exit codes of a direct reader call.
enum reader_outcome : int { threw_calibra_error = 0, returned_a_value = 10, threw_something_else = 11 };

/// Calls the reader `reader` on `path` in a child process.  The child
/// prints the error id on the first line of stdout and the message after it.
child_result run_reader(const std::string& reader, const fs::path& path, const std::string& unit_column,
                        bool ignore_unknown_columns, unsigned limit_seconds) {
  return run_in_child([&]() -> int {
    try {
      calibra::ratings_options ratings_options;
      ratings_options.ignore_unknown_columns = ignore_unknown_columns;
      if (reader == "framework") {
        (void)calibra::load_framework(path.string());
      } else if (reader == "ratings_csv") {
        (void)calibra::read_ratings_csv(path.string(), calibra::builtin_framework(), ratings_options);
      } else if (reader == "ratings_json") {
        (void)calibra::read_ratings_json(path.string(), calibra::builtin_framework(), ratings_options);
      } else if (reader == "wide_csv") {
        calibra::wide_csv_options options;
        options.unit_column = unit_column;
        (void)calibra::read_wide_csv(path.string(), options);
      } else if (reader == "case") {
        (void)calibra::load_case(path.string());
      } else if (reader == "framework_xlsx") {
        (void)calibra::load_framework_xlsx(path.string());
      } else if (reader == "ratings_xlsx") {
        (void)calibra::read_ratings_xlsx(path.string(), calibra::builtin_framework(), ratings_options);
      } else {
        std::printf("unknown reader '%s'\n", reader.c_str());
        return 124;
      }
      return returned_a_value;
    } catch (const calibra::error& e) {
      std::printf("%s\n%s", e.id().c_str(), e.what());
      return threw_calibra_error;
    } catch (const std::exception& e) {
      std::printf("std::exception\n%s", e.what());
      return threw_something_else;
    }
  }, limit_seconds);
}

/// `text` with every "{file}" replaced by `file`.
std::string expand(std::string text, const std::string& file, const std::string& out = {}) {
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{file}", file}, {"{out}", out}})
    for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

struct catalogue_entry {
  std::string file;  // relative to tests/bad_inputs, or an absolute path for generated files
  std::string reader;
  std::string error;                // expected id, e.g. "parse_error.framework"
  std::vector<std::string> where;   // substrings the message must hold ({file} expands)
  std::string unit_column;          // wide_csv: --unit-column
  std::vector<std::vector<std::string>> commands;
  long max_rss_kb = 0;              // 0: the default bound
  std::string known_bug;            // a reported bug this file shows; its checks only report
  bool ignore_unknown_columns = false;  // ratings: read with unknown columns ignored
  unsigned time_limit = time_limit_seconds;
};

const json& manifest() {
  static const json doc = json::parse(slurp(catalogue_dir / "manifest.json"));
  return doc;
}

catalogue_entry entry_from(const json& item) {
  catalogue_entry e;
  e.file = item.at("file").get<std::string>();
  e.reader = item.at("reader").get<std::string>();
  e.error = item.at("error").get<std::string>();
  e.where = item.at("where").get<std::vector<std::string>>();
  e.unit_column = item.value("unit_column", std::string());
  e.known_bug = item.value("known_bug", std::string());
  e.ignore_unknown_columns = item.value("ignore_unknown_columns", false);
  const json& reader = manifest().at("readers").at(e.reader);
  const json& commands = item.contains("commands") ? item.at("commands") : reader.at("commands");
  e.commands = commands.get<std::vector<std::vector<std::string>>>();
  for (auto& command : e.commands) {
    if (!e.unit_column.empty()) {
      command.push_back("--unit-column");
      command.push_back(e.unit_column);
    }
    if (e.ignore_unknown_columns) command.push_back("--ignore-unknown-columns");
  }
  return e;
}

/// Peak memory allowed for a checked-in catalogue file: the readers work in
/// memory proportional to the input, and these inputs are small.
constexpr long default_max_rss_kb = 256 * 1024;

// Under AddressSanitizer the shadow memory and the quarantine of freed
// blocks dwarf what the readers use, so the memory bounds are not checked.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool measure_memory = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool measure_memory = false;
#else
constexpr bool measure_memory = true;
#endif
#else
constexpr bool measure_memory = true;
#endif

/// A check that fails the test, or for an entry with a known, reported bug
/// (manifest "known_bug"), only reports: the catalogue pins down the
/// expected behaviour and goes strict when the "known_bug" note is removed.
#define CATALOGUE_CHECK(soft, ...)  \
  do {                              \
    if (soft) {                     \
      CHECK_NOFAIL(__VA_ARGS__);    \
    } else {                        \
      CHECK(__VA_ARGS__);           \
    }                               \
  } while (false)

bool check_message(const std::string& message, const catalogue_entry& e, const std::string& path) {
  INFO("message: " << message);
  const bool soft = !e.known_bug.empty();
  bool ok = message.rfind("[calibra." + e.error + "] ", 0) == 0 && valid_utf8(message) && message.size() <= 2048;
  CATALOGUE_CHECK(soft, message.rfind("[calibra." + e.error + "] ", 0) == 0);
  CATALOGUE_CHECK(soft, valid_utf8(message));
  CATALOGUE_CHECK(soft, message.size() <= 2048);
  for (const auto& where : e.where) {
    INFO("expected to find: " << expand(where, path));
    ok = ok && message.find(expand(where, path)) != std::string::npos;
    CATALOGUE_CHECK(soft, message.find(expand(where, path)) != std::string::npos);
  }
  return ok;
}

void check_entry(const catalogue_entry& e) {
  const fs::path path = fs::path(e.file).is_absolute() ? fs::path(e.file) : catalogue_dir / e.file;
  const long max_rss_kb = e.max_rss_kb ? e.max_rss_kb : default_max_rss_kb;
  const bool soft = !e.known_bug.empty();
  REQUIRE(fs::exists(path));
  if (soft) WARN(e.file << ": known bug, checks only report: " << e.known_bug);

  {
    const child_result r = run_reader(e.reader, path, e.unit_column, e.ignore_unknown_columns, e.time_limit);
    INFO(e.reader << " on " << path.string() << ": " << r.describe() << "\n" << r.out << r.err);
    CHECK(r.signal == 0);  // a crash or a hang is never soft
    CATALOGUE_CHECK(soft, r.exit_code == threw_calibra_error);
    const auto newline = r.out.find('\n');
    if (r.exit_code == threw_calibra_error && newline != std::string::npos) {
      CATALOGUE_CHECK(soft, r.out.substr(0, newline) == e.error);
      check_message(r.out.substr(newline + 1), e, path.string());
    }
    if (measure_memory) CHECK(r.peak_rss_kb <= max_rss_kb);
    if (fs::path(e.file).is_absolute())  // generated files: worth a record (docs/hardening.md)
      WARN(e.reader << " on " << fs::file_size(path) << " bytes: " << r.seconds << " s, peak " << r.peak_rss_kb / 1024
                    << " MiB");
  }

  for (const auto& command : e.commands) {
    temp_dir out_dir;
    std::vector<std::string> args;
    std::string shown = "calibra";
    for (const auto& arg : command) {
      args.push_back(expand(arg, path.string(), (out_dir.path / "out").string()));
      shown += " " + args.back();
    }
    const child_result r = run_cli(args, e.time_limit);
    INFO(shown << ": " << r.describe() << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.signal == 0);
    CATALOGUE_CHECK(soft, r.exit_code == 2);
    CHECK(r.out.empty());
    CATALOGUE_CHECK(soft, r.err.rfind("calibra: ", 0) == 0);
    if (r.err.rfind("calibra: ", 0) == 0) {
      std::string message = r.err.substr(std::string("calibra: ").size());
      if (!message.empty() && message.back() == '\n') message.pop_back();
      check_message(message, e, path.string());
    }
    CHECK(fs::is_empty(out_dir.path));  // no output file, no temporary file
    if (measure_memory) CHECK(r.peak_rss_kb <= max_rss_kb);
    if (fs::path(e.file).is_absolute())
      WARN(shown << ": " << r.seconds << " s, peak " << r.peak_rss_kb / 1024 << " MiB");
  }
}

}  // namespace

TEST_CASE("bad-input catalogue: the manifest covers every file and every reader", "[bad_inputs]") {
  std::set<std::string> listed;
  std::map<std::string, int> per_reader;
  for (const json& item : manifest().at("entries")) {
    const std::string file = item.at("file").get<std::string>();
    CHECK(listed.insert(file).second);
    CHECK(manifest().at("readers").contains(item.at("reader").get<std::string>()));
    ++per_reader[item.at("reader").get<std::string>()];
  }
  for (const auto& entry : fs::recursive_directory_iterator(catalogue_dir)) {
    if (!entry.is_regular_file() || entry.path().parent_path() == catalogue_dir) continue;
    const std::string file = fs::relative(entry.path(), catalogue_dir).generic_string();
    INFO(file << " is in tests/bad_inputs but not in manifest.json");
    CHECK(listed.count(file) == 1);
  }
  CHECK(listed.size() >= 40);
  for (const char* reader :
       {"framework", "ratings_csv", "ratings_json", "wide_csv", "case", "framework_xlsx", "ratings_xlsx"}) {
    INFO(reader);
    CHECK(per_reader[reader] >= 8);
  }
}

TEST_CASE("bad-input catalogue: every file is refused cleanly", "[bad_inputs]") {
  std::vector<std::string> files;
  for (const json& item : manifest().at("entries")) files.push_back(item.at("file").get<std::string>());
  const std::string file = GENERATE_COPY(from_range(files));
  const json* item = nullptr;
  for (const json& candidate : manifest().at("entries"))
    if (candidate.at("file") == file) item = &candidate;
  REQUIRE(item);
  INFO(file << ": " << item->value("problem", std::string()));
  check_entry(entry_from(*item));
}

TEST_CASE("bad-input catalogue: a UTF-8 byte order mark is accepted once, at the start", "[bad_inputs]") {
  // The documented behaviour (docs/ratings-format.md, io/wide_csv.hpp): a
  // leading BOM is skipped.  nlohmann's parser skips one too, so the JSON
  // readers agree.  The catalogue holds the files with two BOMs, which are
  // refused.
  const auto framework_text = std::string(calibra::builtin_framework_json());
  CHECK_NOTHROW(calibra::parse_framework("\xEF\xBB\xBF" + framework_text));
  const auto fw = calibra::builtin_framework();
  const std::string csv = "ratee,rater,role,competency,level,period\npm01,mgr1,manager,product-delivery,3,2026Q1\n";
  CHECK(calibra::read_ratings_csv_text("\xEF\xBB\xBF" + csv, fw).size() == 1);
  const std::string json_text =
      R"([{"ratee":"pm01","rater":"mgr1","role":"manager","competency":"product-delivery","level":3,"period":"2026Q1"}])";
  CHECK(calibra::read_ratings_json_text("\xEF\xBB\xBF" + json_text, fw).size() == 1);
  const auto wide = calibra::read_wide_csv_text("\xEF\xBB\xBFr1,r2\n1,2\n");
  CHECK(wide.raters == std::vector<std::string>{"r1", "r2"});
}

TEST_CASE("bad-input catalogue: CRLF line ends read like LF", "[bad_inputs]") {
  const auto fw = calibra::builtin_framework();
  const std::string lf = "ratee,rater,role,competency,level,period\npm01,mgr1,manager,product-delivery,3,2026Q1\n"
                         "pm02,mgr1,manager,\"product-\nquality\",2,2026Q1\n";
  std::string crlf;
  for (char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  // The quoted line break makes the competency unknown in both files: the
  // point is that the message names the same row.
  std::string lf_message, crlf_message;
  try {
    calibra::read_ratings_csv_text(lf, fw);
  } catch (const calibra::error& e) {
    lf_message = e.what();
  }
  try {
    calibra::read_ratings_csv_text(crlf, fw);
  } catch (const calibra::error& e) {
    crlf_message = e.what();
  }
  CHECK(lf_message.find("row 3, column 'competency'") != std::string::npos);
  CHECK(crlf_message.find("row 3, column 'competency'") != std::string::npos);
  const auto a = calibra::read_wide_csv_text("r1,r2\n1,2\n3,\n");
  const auto b = calibra::read_wide_csv_text("r1,r2\r\n1,2\r\n3,\r\n");
  CHECK(a.ratings.rows() == 2);
  CHECK(b.ratings.rows() == 2);
  CHECK(a.ratings(0, 1) == b.ratings(0, 1));
  CHECK(std::isnan(b.ratings(1, 1)));
}

namespace {

/// Writes `head`, then `line_bytes` copies of `fill`, then `tail`, without
/// holding the line in memory.
void write_long_line(const fs::path& path, const std::string& head, std::size_t line_bytes, char fill,
                     const std::string& tail) {
  std::ofstream out(path, std::ios::binary);
  out << head;
  const std::string block(1 << 20, fill);
  for (std::size_t left = line_bytes; left > 0;) {
    const std::size_t n = std::min(left, block.size());
    out.write(block.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  out << tail;
  REQUIRE(out.good());
}

/// One generated file per reader with a line of `line_bytes` bytes; the
/// expected outcome depends on whether the file is over the reader's cap.
std::vector<catalogue_entry> long_line_entries(const fs::path& dir, std::size_t line_bytes) {
  std::vector<catalogue_entry> entries;
  const unsigned limit = line_bytes > (std::size_t{64} << 20) ? 900 : time_limit_seconds;
  const json& readers = manifest().at("readers");
  auto commands_of = [&](const char* reader) {
    return readers.at(reader).at("commands").get<std::vector<std::vector<std::string>>>();
  };
  // The peak memory a reader may need: a few times the file (the file's
  // text, the cell being read, the string's growth), plus the program.
  const auto bound_kb = [&](std::size_t file_bytes) {
    return static_cast<long>(std::min<std::size_t>(file_bytes, std::size_t{1} << 30) * 4 / 1024) + 128 * 1024;
  };

  catalogue_entry framework;
  framework.file = (dir / "long_line.json").string();
  write_long_line(framework.file, "{\"format\": \"", line_bytes, 'x', "\"}\n");
  framework.reader = "framework";
  framework.commands = commands_of("framework");
  if (line_bytes + 16 > calibra::max_framework_file_bytes) {
    framework.error = "parse_error.framework";
    framework.where = {"{file}: file is larger than the 16 MiB limit"};
  } else {
    framework.error = "validation_error.framework";
    framework.where = {"{file}: /: missing required field 'metadata'"};
  }
  framework.max_rss_kb = bound_kb(line_bytes);
  framework.time_limit = limit;
  entries.push_back(framework);

  catalogue_entry wide;
  wide.file = (dir / "long_line.csv").string();
  write_long_line(wide.file, "r1,r2\n1,", line_bytes, '7', "\n");
  wide.reader = "wide_csv";
  wide.commands = commands_of("wide_csv");
  if (line_bytes + 16 > calibra::max_wide_csv_bytes) {
    wide.error = "parse_error.csv";
    wide.where = {"{file}: file is larger than the 256 MiB limit"};
  } else {
    wide.error = "parse_error.csv";
    wide.where = {"{file}, line 2, column 2 (rater 'r2'): '7777777777", "out of the range of a double"};
  }
  wide.max_rss_kb = bound_kb(line_bytes);
  wide.time_limit = limit;
  entries.push_back(wide);

  for (const char* reader : {"ratings_csv", "ratings_json"}) {
    catalogue_entry ratings;
    ratings.reader = reader;
    ratings.commands = commands_of(reader);
    ratings.max_rss_kb = bound_kb(line_bytes);
    ratings.time_limit = limit;
    if (std::string(reader) == "ratings_csv") {
      ratings.file = (dir / "long_line_ratings.csv").string();
      write_long_line(ratings.file, "ratee,rater,role,competency,level,period\n", line_bytes, 'p', ",mgr1\n");
      if (line_bytes + 64 > calibra::max_ratings_file_bytes) {
        ratings.error = "parse_error.ratings";
        ratings.where = {"{file}: file is larger than the 1024 MiB limit"};
      } else {
        ratings.error = "parse_error.ratings";
        ratings.where = {"{file}: row 2, column 'role': the row has 2 cells, the header has 6"};
      }
    } else {
      ratings.file = (dir / "long_line_ratings.json").string();
      write_long_line(ratings.file, "[{\"ratee\": \"", line_bytes, 'p', "\", \"rater\": 1}]\n");
      if (line_bytes + 64 > calibra::max_ratings_file_bytes) {
        ratings.error = "parse_error.ratings";
        ratings.where = {"{file}: file is larger than the 1024 MiB limit"};
      } else {
        ratings.error = "validation_error.ratings";
        ratings.where = {"{file}: row 1, column 'rater': found a number; expected a string"};
      }
    }
    entries.push_back(ratings);
  }
  return entries;
}

}  // namespace

TEST_CASE("bad-input catalogue: a 17 MiB line stays within bounded memory", "[bad_inputs]") {
  temp_dir dir;
  for (const catalogue_entry& e : long_line_entries(dir.path, std::size_t{17} << 20)) {
    INFO(e.file);
    check_entry(e);
  }
}

TEST_CASE("bad-input catalogue: a 1 GB line stays within bounded memory", "[.stress][bad_inputs]") {
  temp_dir dir;
  for (const catalogue_entry& e : long_line_entries(dir.path, std::size_t{1000} * 1000 * 1000)) {
    INFO(e.file);
    check_entry(e);
  }
}

TEST_CASE("bad-input catalogue: calibra reads nothing but the path it is given", "[bad_inputs]") {
  // A file naming another file (here: itself, /etc/passwd and a relative
  // path) is read as data, never followed.  The error quotes the value as
  // an unknown id.
  temp_dir dir;
  const fs::path ratings = dir.path / "ratings.csv";
  std::ofstream(ratings) << "ratee,rater,role,competency,level,period\n"
                            "pm01,mgr1,manager,../../../../etc/passwd,3,2026Q1\n";
  try {
    calibra::read_ratings_csv(ratings.string(), calibra::builtin_framework());
    FAIL("a competency named like a path was accepted");
  } catch (const calibra::validation_error& e) {
    CHECK(std::string(e.what()).find("unknown competency '../../../../etc/passwd'") != std::string::npos);
  }
  const fs::path wide = dir.path / "wide.csv";
  std::ofstream(wide) << "/etc/passwd,file:///etc/shadow\n1,2\n";
  const auto table = calibra::read_wide_csv(wide.string());
  CHECK(table.raters == std::vector<std::string>{"/etc/passwd", "file:///etc/shadow"});
}
