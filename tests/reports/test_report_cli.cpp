// `calibra report`: exit codes, messages, files, and nothing left behind on failure.
#ifdef CALIBRA_CLI_PATH

#include "../cli/run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct scratch {
  fs::path path;
  scratch() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("calibra-report-cli-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~scratch() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string q(const std::string& name) const { return shell_quote((path / name).string()); }
  std::set<std::string> entries(const std::string& sub = "") const {
    std::set<std::string> out;
    if (!fs::exists(path / sub)) return out;
    for (const auto& e : fs::directory_iterator(path / sub)) out.insert(e.path().filename().string());
    return out;
  }
};

std::string example(const std::string& name) {
  return shell_quote(std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name);
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  return json::parse(in);
}

}  // namespace

TEST_CASE("report with no input: built-in framework, every format", "[reports][cli]") {
  scratch dir;
  const auto run = run_cli("report --out " + dir.q("out"));
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());  // stderr is not a terminal here: no progress bar
  const auto files = dir.entries("out");
  for (const char* f : {"report.xlsx", "report.html", "report.md", "report.json", "report-targets.csv",
                        "report-anchors.csv", "report-promotion-gaps.csv", "report-findings.csv"})
    CHECK(files.count(f) == 1);
  // stdout lists the files written, one per line.
  std::istringstream lines(run.out);
  std::string line;
  std::size_t listed = 0;
  while (std::getline(lines, line)) {
    CHECK(fs::exists(line));
    ++listed;
  }
  CHECK(listed == files.size());
  const json doc = read_json(dir.path / "out" / "report.json");
  CHECK(doc["framework"]["name"] == "Product Manager Career Ladder");
  // The bundled example ratings add the calibration sections.
  std::vector<std::string> ids;
  for (const auto& s : doc["sections"]) ids.push_back(s["id"]);
  CHECK(ids == std::vector<std::string>{"overview", "anchors", "targets", "promotion-gaps", "checks", "data",
                                        "calibration", "raters", "self-vs-manager", "ratees", "matrix"});
  CHECK(doc["title"] == "Product Manager Career Ladder: calibration report");
}

TEST_CASE("report --ratings: the bundled CSV gives the same document as no input", "[reports][cli]") {
  scratch dir;
  const std::string csv = shell_quote(std::string(CALIBRA_SOURCE_DIR) + "/data/examples/ratings.csv");
  REQUIRE(run_cli("report --ratings " + csv + " --out " + dir.q("file") + " --format json").exit_code == 0);
  REQUIRE(run_cli("report --out " + dir.q("builtin") + " --format json").exit_code == 0);
  json from_file = read_json(dir.path / "file" / "report.json"), builtin = read_json(dir.path / "builtin" / "report.json");
  // Only the source line of the data section differs.
  for (json* doc : {&from_file, &builtin})
    for (auto& s : (*doc)["sections"])
      if (s["id"] == "data") s["intro"] = "";
  CHECK(from_file == builtin);

  // --period picks the period the ratee sections describe; --without-ratees drops them.
  const auto q2 = run_cli("report --ratings " + csv + " --out " + dir.q("q2") + " --format json --period 2026Q2 --without-ratees");
  REQUIRE(q2.exit_code == 0);
  const json doc = read_json(dir.path / "q2" / "report.json");
  bool has_ratees = false;
  for (const auto& s : doc["sections"]) {
    has_ratees = has_ratees || s["id"] == "ratees";
    if (s["id"] == "data") CHECK_THAT(s["intro"].get<std::string>(), Catch::Contains("describe 2026Q2"));
  }
  CHECK_FALSE(has_ratees);
}

TEST_CASE("report --framework only: that framework, chosen formats", "[reports][cli]") {
  scratch dir;
  const auto run = run_cli("report --framework " + example("minimal-valid.json") + " --out " + dir.q("out") +
                           " --format md,json --title 'Ladder & review'");
  REQUIRE(run.exit_code == 0);
  CHECK(dir.entries("out") == std::set<std::string>{"report.json", "report.md"});
  const json doc = read_json(dir.path / "out" / "report.json");
  CHECK(doc["title"] == "Ladder & review");
  CHECK(doc["levels"].size() == 4);  // minimal-valid has a four-level scale
  std::vector<std::string> ids;
  for (const auto& s : doc["sections"]) ids.push_back(s["id"]);
  CHECK(ids == std::vector<std::string>{"overview", "anchors", "targets", "promotion-gaps", "checks"});
}

TEST_CASE("report: unusable input exits 2, names the problem, writes nothing", "[reports][cli]") {
  scratch dir;
  {
    const auto run = run_cli("report --out " + dir.q("out") + " --format xlsx,pdf");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("invalid_argument.reports") && Catch::Contains("unknown format 'pdf'"));
    CHECK(run.out.empty());
  }
  {
    const auto run = run_cli("report --framework " + dir.q("missing.json") + " --out " + dir.q("out"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("missing.json"));
  }
  {
    const auto run = run_cli("report --framework " + example("invalid/unknown-field.json") + " --out " + dir.q("out"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("unknown-field.json") && Catch::Contains("/competencies/0/colour"));
  }
  {
    std::ofstream(dir.path / "bad.csv") << "ratee,rater,role,competency,level,period\npm01,mgr1,manager,Vision,3,2026Q1\n";
    const auto run = run_cli("report --ratings " + dir.q("bad.csv") + " --out " + dir.q("out"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("bad.csv") && Catch::Contains("row 2") && Catch::Contains("competency"));
  }
  {
    std::ofstream(dir.path / "a-file") << "x";
    const auto run = run_cli("report --out " + dir.q("a-file/sub"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("cannot create the output directory") && Catch::Contains("a-file/sub"));
  }
  {
    const auto run = run_cli("report");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--out"));
  }
  {
    const auto run = run_cli("report --out " + dir.q("out") + " --period 2031Q1");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("period '2031Q1'") && Catch::Contains("2026Q1"));
  }
  {
    const auto run = run_cli("report --out " + dir.q("out") + " --min-group 0");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("min_group"));
  }
  {
    const auto run = run_cli("report --out " + dir.q("out") + " --duplicates sometimes");
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("--duplicates sometimes"));
  }
  {
    const auto run = run_cli("report --framework " + example("minimal-valid.json") + " --period 2026Q1 --out " + dir.q("out"));
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains("need ratings"));
  }
  // None of the failures left a file or directory behind.
  CHECK(dir.entries() == std::set<std::string>{"a-file", "bad.csv"});
}

TEST_CASE("report draws a progress bar only when stderr is a terminal", "[reports][cli]") {
  // util-linux `script` runs the command on a pseudo-terminal and copies
  // what it prints (stdout and stderr alike) to our stdout.
  if (!fs::exists("/usr/bin/script")) {
    WARN("no /usr/bin/script: the terminal case is not tested");
    return;
  }
  scratch dir;
  const std::string inner = shell_quote(CALIBRA_CLI_PATH) + " report --out " + dir.q("tty") + " --format md,json";
  const std::string command = "/usr/bin/script -qec " + shell_quote(inner) + " /dev/null";
  const std::string capture = (dir.path / "typescript.out").string();
  REQUIRE(std::system((command + " >" + shell_quote(capture) + " 2>&1 </dev/null").c_str()) == 0);
  std::ifstream in(capture, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains("calibra report [") && Catch::Contains("\r"));
  CHECK_THAT(text.str(), Catch::Contains("report.md"));  // the file list still arrives
  // Not a terminal: nothing on stderr (checked by every other test here too).
  const auto quiet = run_cli("report --out " + dir.q("pipe") + " --format md");
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
}

#endif  // CALIBRA_CLI_PATH
