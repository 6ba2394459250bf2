// Regression tests for the reader findings of docs/hardening.md: messages
// that quote raw bytes (F1), numbers beyond a double in the DOM readers
// (F2), the size cap checked before reading (F4), UTF-16 files, CR-only line
// ends and invisible characters in echoed names (F7), and HTML in the
// Markdown export (F8).
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/feedback.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>
#include <calibra/io/wide_csv.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "../support/valid_utf8.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace calibra;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
namespace fs = std::filesystem;

namespace {

using calibra_test::valid_utf8;

/// The message of the calibra::error `read` throws, after checking its id.
std::string message_of(const std::function<void()>& read, const std::string& expected_id) {
  try {
    read();
  } catch (const calibra::error& e) {
    CHECK(e.id() == expected_id);
    return e.what();
  }
  FAIL("no calibra::error thrown; expected " << expected_id);
  return {};
}

const std::string ratings_header = "ratee,rater,role,competency,level,period\n";
const std::string ratings_row = "pm01,mgr1,manager,product-delivery,3,2026Q1\n";

/// `text` encoded as UTF-16 (ASCII input only), with or without a BOM.
std::string utf16(const std::string& text, bool little_endian, bool bom) {
  std::string out;
  if (bom) out += little_endian ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (char c : text) {
    if (little_endian) {
      out += c;
      out += '\0';
    } else {
      out += '\0';
      out += c;
    }
  }
  return out;
}

/// The built-in framework with some of its texts replaced.
framework framework_with(const std::function<void(nlohmann::ordered_json&)>& edit) {
  auto doc = nlohmann::ordered_json::parse(builtin_framework_json());
  edit(doc);
  return parse_framework(doc.dump(2), "edited.json");
}

/// A scratch file removed at the end of the test.
struct scratch_file {
  fs::path path;
  explicit scratch_file(const std::string& name)
      : path(fs::temp_directory_path() / ("calibra-hardening-" + std::to_string(::getpid()) + "-" + name)) {
    fs::remove(path);
  }
  ~scratch_file() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
};

/// Bytes this process has read through read(2) so far (Linux), or -1.
long long bytes_read_so_far() {
  std::ifstream io("/proc/self/io");
  std::string key;
  long long value = 0;
  while (io >> key >> value)
    if (key == "rchar:") return value;
  return -1;
}

}  // namespace

TEST_CASE("F1: JSON syntax errors quote raw bytes as valid, bounded UTF-8", "[io][hardening]") {
  const auto fw = builtin_framework();
  SECTION("a Latin-1 byte is shown as \\xNN") {
    const std::string framework_text = "{\n  \"format\": \"calibra-framework/1\",\n  \"metadata\": {\"name\": \"J\xE9r\"}}";
    const auto framework_message =
        message_of([&] { parse_framework(framework_text, "latin1.json"); }, "parse_error.framework");
    CHECK(valid_utf8(framework_message));
    CHECK_THAT(framework_message, StartsWith("[calibra.parse_error.framework] latin1.json:3:27: invalid JSON"));
    CHECK_THAT(framework_message, Contains("ill-formed UTF-8 byte") && Contains("\\xE9"));

    const std::string ratings_text = "[{\"ratee\": \"J\xE9r\"}]";
    const auto ratings_message =
        message_of([&] { read_ratings_json_text(ratings_text, fw, "latin1.json"); }, "parse_error.ratings");
    CHECK(valid_utf8(ratings_message));
    CHECK_THAT(ratings_message, Contains("latin1.json:1:15 (in row 1): invalid JSON") && Contains("\\xE9"));

    const std::string case_text = "{\"CFDocument\": {\"title\": \"J\xE9r\"}}";
    const auto case_message = message_of([&] { parse_case(case_text, "latin1.case.json"); }, "parse_error.case");
    CHECK(valid_utf8(case_message));
    CHECK_THAT(case_message, Contains("latin1.case.json:1:29: invalid JSON") && Contains("\\xE9"));
  }
  SECTION("an unterminated string is not quoted whole") {
    const std::string long_token(100000, 'a');
    const std::string framework_text = "{\"format\": \"" + long_token;
    const auto framework_message =
        message_of([&] { parse_framework(framework_text, "open.json"); }, "parse_error.framework");
    CHECK(framework_message.size() < 400);
    CHECK_THAT(framework_message, Contains("open.json:1:") && Contains("aaaa...'"));

    const auto ratings_message = message_of(
        [&] { read_ratings_json_text("[{\"ratee\": \"" + long_token, fw, "open.json"); }, "parse_error.ratings");
    CHECK(ratings_message.size() < 400);
    CHECK_THAT(ratings_message, Contains("aaaa...'"));

    const auto case_message =
        message_of([&] { parse_case("{\"CFDocument\": \"" + long_token, "open.case.json"); }, "parse_error.case");
    CHECK(case_message.size() < 400);
    CHECK_THAT(case_message, Contains("aaaa...'"));
  }
  SECTION("a second byte order mark is named, not echoed raw") {
    const std::string text = "\xEF\xBB\xBF\xEF\xBB\xBF{}";
    const auto message = message_of([&] { parse_framework(text, "bom.json"); }, "parse_error.framework");
    CHECK(valid_utf8(message));
    CHECK_THAT(message, Contains("bom.json:1:4: invalid JSON"));
    CHECK(message.find("\xEF\xBB\xBF") == std::string::npos);
  }
}

TEST_CASE("F2: a number beyond a double is a parse error with its place", "[io][hardening]") {
  // 1e400 is finite JSON but overflows a double; nlohmann reports it as
  // out_of_range, which used to escape parse_framework and parse_case.
  const std::string framework_text = "{\n  \"format\": \"calibra-framework/1\",\n  \"metadata\": {\"rank\": 1e400}\n}";
  const auto framework_message =
      message_of([&] { parse_framework(framework_text, "overflow.json"); }, "parse_error.framework");
  CHECK_THAT(framework_message, Contains("overflow.json:3:28: invalid JSON: number overflow parsing '1e400'"));

  const std::string case_text = "{\"CFItems\": [{\"sequenceNumber\": 1e400}]}";
  const auto case_message = message_of([&] { parse_case(case_text, "overflow.case.json"); }, "parse_error.case");
  CHECK_THAT(case_message, Contains("overflow.case.json:1:37: invalid JSON: number overflow parsing '1e400'"));

  // The ratings reader already handled it; it goes through the same code now.
  const auto ratings_message = message_of(
      [&] {
        read_ratings_json_text("[{\"ratee\": \"pm01\", \"level\": -1e400}]", builtin_framework(), "overflow.json");
      },
      "parse_error.ratings");
  CHECK_THAT(ratings_message, Contains("overflow.json:1:34 (in row 1): invalid JSON: number overflow parsing '-1e400'"));
}

TEST_CASE("F4: a file over the cap is refused before it is read", "[io][hardening]") {
  scratch_file big("big.json");
  {
    std::ofstream out(big.path, std::ios::binary);
    out << "{}";
  }
  // A sparse file one byte over the framework cap: no disk space used.
  fs::resize_file(big.path, max_framework_file_bytes + 1);
  const long long before = bytes_read_so_far();
  const auto message = message_of([&] { load_framework(big.path.string()); }, "parse_error.framework");
  const long long after = bytes_read_so_far();
  CHECK_THAT(message, Contains(big.path.string() + ": file is larger than the 16 MiB limit"));
  if (before >= 0 && after >= 0) {
    INFO("bytes read while refusing the file: " << after - before);
    CHECK(after - before < (1 << 20));  // the file itself was not read
  }

  // At the cap exactly, the file is read (and then refused for its content).
  fs::resize_file(big.path, max_framework_file_bytes);
  try {
    load_framework(big.path.string());
    FAIL("a framework of \"{}\" and NUL bytes was accepted");
  } catch (const calibra::error& e) {
    CHECK_THAT(std::string(e.what()), !Contains("MiB limit"));
  }
}

TEST_CASE("F4: a pipe over the cap is refused while it is read", "[io][hardening]") {
  scratch_file fifo("pipe.json");
  REQUIRE(::mkfifo(fifo.path.c_str(), 0600) == 0);
  // The reader closes its end early: the writer must see an error, not die
  // of SIGPIPE.
  const auto previous = std::signal(SIGPIPE, SIG_IGN);
  std::thread writer([&] {
    std::ofstream out(fifo.path, std::ios::binary);
    const std::string chunk(1 << 16, ' ');
    for (std::size_t written = 0; written <= max_framework_file_bytes && out; written += chunk.size()) out << chunk;
  });
  const auto message = message_of([&] { load_framework(fifo.path.string()); }, "parse_error.framework");
  writer.join();
  std::signal(SIGPIPE, previous);
  CHECK_THAT(message, Contains(fifo.path.string() + ": file is larger than the 16 MiB limit"));
}

TEST_CASE("F7: UTF-16 files are named as such by every reader", "[io][hardening]") {
  const auto fw = builtin_framework();
  const std::string expected = "the file is UTF-16; save it as UTF-8";
  for (const bool little_endian : {true, false})
    for (const bool bom : {true, false}) {
      INFO((little_endian ? "UTF-16LE" : "UTF-16BE") << (bom ? " with" : " without") << " a byte order mark");
      const std::string framework_text = utf16(std::string(builtin_framework_json()), little_endian, bom);
      CHECK_THAT(message_of([&] { parse_framework(framework_text, "f.json"); }, "parse_error.framework"),
                 Contains("f.json: " + expected));
      const std::string csv = utf16(ratings_header + ratings_row, little_endian, bom);
      CHECK_THAT(message_of([&] { read_ratings_csv_text(csv, fw, "r.csv"); }, "parse_error.ratings"),
                 Contains("r.csv: " + expected));
      const std::string json_text = utf16("[{\"ratee\": \"pm01\"}]", little_endian, bom);
      CHECK_THAT(message_of([&] { read_ratings_json_text(json_text, fw, "r.json"); }, "parse_error.ratings"),
                 Contains("r.json: " + expected));
      const std::string wide = utf16("r1,r2\n1,2\n3,4\n", little_endian, bom);
      CHECK_THAT(message_of([&] { read_wide_csv_text(wide, "w.csv"); }, "parse_error.csv"), Contains("w.csv: " + expected));
      const std::string package = utf16("{\"CFDocument\": {}}", little_endian, bom);
      CHECK_THAT(message_of([&] { parse_case(package, "c.case.json"); }, "parse_error.case"),
                 Contains("c.case.json: " + expected));
      const std::string feedback = utf16("ratee,giver\npm01,mgr1\n", little_endian, bom);
      CHECK_THAT(message_of([&] { read_feedback_csv_text(feedback, fw, "fb.csv"); }, "parse_error.feedback"),
                 Contains("fb.csv: " + expected));
    }
}

TEST_CASE("F7: CR-only line ends are named, not read as one header line", "[io][hardening]") {
  const auto fw = builtin_framework();
  std::string cr_only = ratings_header + ratings_row;
  for (char& c : cr_only)
    if (c == '\n') c = '\r';
  const auto ratings_message = message_of([&] { read_ratings_csv_text(cr_only, fw, "mac.csv"); }, "parse_error.ratings");
  CHECK_THAT(ratings_message, Contains("mac.csv: the lines end with a carriage return (CR) only"));
  CHECK(ratings_message.find('\r') == std::string::npos);

  CHECK_THAT(message_of([&] { read_wide_csv_text("r1,r2\r1,2\r3,4\r", "mac.csv"); }, "parse_error.csv"),
             Contains("mac.csv: the lines end with a carriage return (CR) only"));
  CHECK_THAT(message_of([&] { read_feedback_csv_text("ratee,giver\rpm01,mgr1\r", fw, "mac.csv"); },
                        "parse_error.feedback"),
             Contains("mac.csv: the lines end with a carriage return (CR) only"));

  // A carriage return inside a quoted cell of an LF file is still data.
  const std::string quoted = "r1,r2\n\"1\r\",2\n";
  CHECK_THAT(message_of([&] { read_wide_csv_text(quoted, "cell.csv"); }, "parse_error.csv"),
             Contains("'1\\r'") && !Contains("\r"));
}

TEST_CASE("F7: echoed names show invisible characters", "[io][hardening]") {
  const auto fw = builtin_framework();
  // A second byte order mark sticks to the first column name.
  const std::string two_boms = "\xEF\xBB\xBF\xEF\xBB\xBF" + ratings_header + ratings_row;
  CHECK_THAT(message_of([&] { read_ratings_csv_text(two_boms, fw, "bom.csv"); }, "validation_error.ratings"),
             Contains("bom.csv: row 1, column '\\uFEFFratee': unknown column"));
  // A control character, a right-to-left override in quoted names.
  const std::string control = "\"rat\x01" "ee\",rater,role,competency,level,period\n" + ratings_row;
  CHECK_THAT(message_of([&] { read_ratings_csv_text(control, fw, "hidden.csv"); }, "validation_error.ratings"),
             Contains("column 'rat\\u0001ee': unknown column"));
  const std::string override = "ratee,rater,\"ro\xE2\x80\xAEle\",competency,level,period\n" + ratings_row;
  CHECK_THAT(message_of([&] { read_ratings_csv_text(override, fw, "hidden.csv"); }, "validation_error.ratings"),
             Contains("column 'ro\\u202Ele': unknown column"));
  // Ratings JSON keys go through the same echo.
  const std::string json_text = "[{\"ratee\\u200b\": \"pm01\"}]";
  CHECK_THAT(message_of([&] { read_ratings_json_text(json_text, fw, "zw.json"); }, "validation_error.ratings"),
             Contains("column 'ratee\\u200B': unknown key"));
  // A long name is cut on a character, with an ellipsis.
  const std::string long_name = "\"" + std::string(30, 'x') + "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\"";
  const auto cut = message_of([&] { read_ratings_csv_text(long_name + ",rater\n", fw, "long.csv"); },
                              "validation_error.ratings");
  CHECK(valid_utf8(cut));
  CHECK_THAT(cut, Contains("xxxxx\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9...'"));
}

TEST_CASE("F8: the Markdown export renders names and anchors as text", "[io][hardening]") {
  const std::string html = "<img src=x onerror=alert(1)>";
  const auto fw = framework_with([&](nlohmann::ordered_json& doc) {
    doc["metadata"]["name"] = html;
    doc["metadata"]["description"] = "# not a heading\n    not code\n1. not a list & <b>not bold</b> &lt;";
    doc["metadata"]["version"] = "2.0.1";
    auto& first = doc["competencies"][0];
    first["name"] = "*Bold* _claim_ [link](http://x) `code` | pipe";
    auto& anchors = first["anchors"];
    anchors[anchors.begin().key()] = "<script>alert(1)</script>\nsecond line";
  });
  const std::string md = to_markdown(fw);
  CHECK(md.find('<') == std::string::npos);  // no HTML at all reaches the Markdown
  CHECK_THAT(md, StartsWith("# &lt;img src=x onerror=alert(1)&gt;\n"));
  // A plain '&' stays as typed (it renders as itself); one that would start an
  // entity reference is escaped, so "&lt;" shows as typed, not as "<".
  CHECK_THAT(md, Contains("\n\\# not a heading\nnot code\n1\\. not a list & &lt;b&gt;not bold&lt;/b&gt; &amp;lt;\n"));
  // Mid-line text needs no line-start escapes: the version is not a list item.
  CHECK_THAT(md, Contains("Version 2.0.1, last updated"));
  CHECK_THAT(md, Contains("#### \\*Bold\\* \\_claim\\_ \\[link\\](http://x) \\`code\\` \\| pipe\n"));
  CHECK_THAT(md, Contains("| &lt;script&gt;alert(1)&lt;/script&gt; second line |"));
  CHECK_THAT(md, Contains("| \\*Bold\\* \\_claim\\_ \\[link\\](http://x) \\`code\\` \\| pipe |"));
}

TEST_CASE("F9: a NUL byte after a valid JSON document is refused, not taken for the end", "[io][hardening]") {
  // nlohmann's lexer treats a NUL outside a string as the end of the input:
  // before the fix, a valid document followed by "\0garbage" read cleanly.
  const auto fw = builtin_framework();
  const std::string tail("\0garbage", 8);

  const std::string framework_text = to_json(fw) + tail;
  REQUIRE(framework_text.size() == to_json(fw).size() + 8);
  const auto lines_before = static_cast<std::size_t>(std::count(framework_text.begin(), framework_text.end(), '\n'));
  const auto framework_message =
      message_of([&] { parse_framework(framework_text, "tail.json"); }, "parse_error.framework");
  // The NUL is right after the last character of the document.
  CHECK_THAT(framework_message, Contains("tail.json:" + std::to_string(lines_before + 1) + ":") &&
                                    Contains("invalid JSON: a NUL byte (control character U+0000)"));

  const std::string ratings_text = std::string(
      "[{\"ratee\": \"a\", \"rater\": \"b\", \"role\": \"manager\", \"competency\": \"product-delivery\", "
      "\"level\": 3, \"period\": \"2026Q1\"}]") + tail;
  const auto ratings_message = message_of([&] { read_ratings_json_text(ratings_text, fw, "tail.json"); },
                                          "parse_error.ratings");
  CHECK_THAT(ratings_message, Contains("tail.json:1:116: invalid JSON: a NUL byte"));

  const std::string case_text = to_case_json(fw) + tail;
  const auto case_message = message_of([&] { parse_case(case_text, "tail.case.json"); }, "parse_error.case");
  CHECK_THAT(case_message, Contains("invalid JSON: a NUL byte"));
}
