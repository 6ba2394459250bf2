// `calibra report`: exit codes, messages, files, and nothing left behind on failure.
#ifdef CALIBRA_CLI_PATH

#include "../cli/run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

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
  // None of the failures left a file or directory behind.
  CHECK(dir.entries() == std::set<std::string>{"a-file", "bad.csv"});
}

#endif  // CALIBRA_CLI_PATH
