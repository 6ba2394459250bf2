// `calibra framework export --to case`, `import`, `jd` and `rubric`: exit
// codes, messages and outputs.
#include "../support/files.hpp"
#include "run_cli.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string examples(const std::string& path) { return std::string(CALIBRA_EXAMPLES_DIR) + "/" + path; }

using calibra_test::slurp;

/// A scratch directory for these tests.
struct scratch_dir : calibra_test::scratch_dir {
  scratch_dir() : calibra_test::scratch_dir("cli-docs") {}
};

const char* const valid_levels = "valid career levels: apm, pm, senior-pm, principal-pm, group-pm";

}  // namespace

TEST_CASE("framework export --to case writes the CASE package", "[cli][case]") {
  const auto run = run_cli("framework export --to case");
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK(run.out == slurp(examples("case/product-manager.case.json")));
  // --json changes nothing: the package is JSON already.
  CHECK(run_cli("framework export --to case --json").out == run.out);

  scratch_dir dir;
  const auto to_file = run_cli("framework export --to case --out " + shell_quote(dir.file("pkg.json")));
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(slurp(dir.file("pkg.json")) == run.out);

  const auto bad = run_cli("framework export --to yaml");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("case"));
}

TEST_CASE("framework import reads a CASE package into canonical framework JSON", "[cli][case]") {
  const auto run = run_cli("framework import " + shell_quote(examples("case/product-manager.case.json")));
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());  // calibra's own package needs no notes
  CHECK(run.out == std::string(calibra::builtin_framework_json()));

  scratch_dir dir;
  const auto to_file = run_cli("framework import " + shell_quote(examples("case/product-manager.case.json")) +
                               " --out " + shell_quote(dir.file("fw.json")));
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(slurp(dir.file("fw.json")) == run.out);

  // A package from another tool: notes on stderr, a usable framework on stdout.
  const auto foreign = run_cli("framework import " + shell_quote(examples("case/foreign-minimal.case.json")) +
                               " --out " + shell_quote(dir.file("foreign.json")));
  REQUIRE(foreign.exit_code == 0);
  CHECK_THAT(foreign.err, Contains("calibra: note: ") && Contains("plain CASE package"));
  const json fw = json::parse(slurp(dir.file("foreign.json")));
  CHECK(fw["format"] == "calibra-framework/1");
  CHECK(fw["competencies"].size() == 3);
  CHECK(run_cli("framework check " + shell_quote(dir.file("foreign.json"))).exit_code != 2);

  // export -> import through files.
  REQUIRE(run_cli("framework export --to case --out " + shell_quote(dir.file("pkg.json"))).exit_code == 0);
  CHECK(run_cli("framework import " + shell_quote(dir.file("pkg.json"))).out == run.out);
}

TEST_CASE("framework import: unusable packages exit 2 with the pointer", "[cli][case]") {
  scratch_dir dir;
  json pkg = json::parse(slurp(examples("case/product-manager.case.json")));
  pkg["CFAssociations"][5]["destinationNodeURI"]["identifier"] = "00000000-0000-4000-8000-000000000000";
  std::ofstream(dir.file("dangling.json")) << pkg.dump(2);
  const auto dangling = run_cli("framework import " + shell_quote(dir.file("dangling.json")) + " --out " +
                                shell_quote(dir.file("never.json")));
  CHECK(dangling.exit_code == 2);
  CHECK(dangling.out.empty());
  CHECK_THAT(dangling.err, Contains("[calibra.validation_error.case]") && Contains("dangling.json") &&
                               Contains("/CFAssociations/5/destinationNodeURI/identifier"));
  CHECK_FALSE(fs::exists(dir.file("never.json")));

  std::ofstream(dir.file("broken.json")) << "{\n  \"CFDocument\": [\n";
  const auto broken = run_cli("framework import " + shell_quote(dir.file("broken.json")));
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Contains("[calibra.parse_error.case]") && Contains("broken.json:3:1"));

  // A calibra framework file is not a CASE package.
  const auto wrong = run_cli("framework import " + shell_quote(examples("frameworks/minimal-valid.json")));
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Contains("/format: this is a calibra framework file, not a CASE package"));

  CHECK(run_cli("framework import /no/such/package.json").exit_code == 2);
  CHECK(run_cli("framework import").exit_code == 2);
}

TEST_CASE("framework jd drafts a job description", "[cli][documents]") {
  const auto run = run_cli("framework jd --level senior-pm");
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out, Contains("# Senior Product Manager: job description (draft)") &&
                          Contains("Compared with the Product Manager, this role expects more in:") &&
                          Contains("### Influencing People"));
  // No anchor is pasted (one sentence of the senior-pm target anchor of Voice of the Customer).
  const json fw = json::parse(std::string(calibra::builtin_framework_json()));
  for (const auto& c : fw["competencies"]) {
    CHECK_THAT(run.out, Contains(c["name"].get<std::string>()));
    for (const auto& [level, anchor] : c["anchors"].items())
      CHECK_THAT(run.out, !Contains(anchor.get<std::string>().substr(0, 60)));
  }

  const auto js = run_cli("framework jd --level senior-pm --json");
  REQUIRE(js.exit_code == 0);
  const json doc = json::parse(js.out);
  CHECK(doc["career_level"]["id"] == "senior-pm");
  CHECK(doc["previous_career_level"] == "pm");
  CHECK(doc["grouping"] == "area");
  CHECK(doc["markdown"] == run.out);
  std::size_t count = 0;
  for (const auto& g : doc["groups"])
    for (const auto& r : g["responsibilities"]) {
      ++count;
      // Targets from the data file's expectation matrix.
      const std::string level_id = fw["expectations"]["senior-pm"][r["competency"].get<std::string>()];
      CHECK(r["level_label"] == std::string(1, static_cast<char>(std::toupper(level_id[0]))) + level_id.substr(1));
    }
  CHECK(count == 12);
  // senior-pm vs pm in the data file: voice-of-the-customer, business-outcome-ownership,
  // product-vision-roadmapping, strategic-impact, stakeholder-inclusion rise.
  CHECK(doc["distinguishing"] == json({"voice-of-the-customer", "business-outcome-ownership",
                                       "product-vision-roadmapping", "strategic-impact", "stakeholder-inclusion"}));

  scratch_dir dir;
  const auto to_file = run_cli("framework jd --level senior-pm --out " + shell_quote(dir.file("jd.md")));
  REQUIRE(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(slurp(dir.file("jd.md")) == run.out);

  const auto other = run_cli("framework jd " + shell_quote(examples("frameworks/minimal-valid.json")) + " --level pm");
  REQUIRE(other.exit_code == 0);
  CHECK_THAT(other.out, Contains("# Product Manager: job description (draft)") && Contains("Minimal valid framework"));
}

TEST_CASE("framework rubric drafts an interview rubric", "[cli][documents]") {
  const auto run = run_cli("framework rubric --level apm");
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Contains("# Associate Product Manager: interview rubric (draft)") &&
                          Contains("| Below the bar | - |") && Contains("Design critique"));

  const auto js = run_cli("framework rubric --level principal-pm --json");
  REQUIRE(js.exit_code == 0);
  const json doc = json::parse(js.out);
  const json fw = json::parse(std::string(calibra::builtin_framework_json()));
  REQUIRE(doc["entries"].size() == 12);
  for (const auto& e : doc["entries"]) {
    const std::string id = e["competency"];
    const std::string target_id = fw["expectations"]["principal-pm"][id];
    for (const auto& c : fw["competencies"])
      if (c["id"] == id) {
        CHECK(e["meets"]["anchor"] == c["anchors"][target_id]);
        CHECK(e["interview_format"] == c["interview_format"]);
      }
  }
  CHECK(doc["markdown"] == run_cli("framework rubric --level principal-pm").out);
}

TEST_CASE("jd and rubric: unknown or missing level exits 2 naming the valid ids", "[cli][documents]") {
  for (const char* cmd : {"jd", "rubric"}) {
    INFO(cmd);
    const auto unknown = run_cli(std::string("framework ") + cmd + " --level cpo");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.out.empty());
    CHECK_THAT(unknown.err, Contains("unknown career level 'cpo'") && Contains(valid_levels));

    const auto missing = run_cli(std::string("framework ") + cmd);
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("--level"));

    const auto bad_file = run_cli(std::string("framework ") + cmd + " " +
                                  shell_quote(examples("frameworks/invalid/unknown-field.json")) + " --level pm");
    CHECK(bad_file.exit_code == 2);
    CHECK_THAT(bad_file.err, Contains("unknown-field.json"));
  }
}
