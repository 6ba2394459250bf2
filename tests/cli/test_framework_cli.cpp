#include "run_cli.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
std::string example(const std::string& name) {
  return shell_quote(std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name);
}
}  // namespace

TEST_CASE("framework show prints the built-in framework", "[cli][framework]") {
  const auto run = run_cli("framework show");
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out, Catch::Contains("Expectation matrix"));
  CHECK_THAT(run.out, Catch::Contains("Stakeholder Inclusion"));
  CHECK_THAT(run.out, Catch::Contains("Quadrant profile"));

  const auto js = run_cli("framework show --json");
  REQUIRE(js.exit_code == 0);
  const json doc = json::parse(js.out);
  REQUIRE(doc["competencies"].size() == 12);
  for (const auto& c : doc["competencies"])
    for (const char* key : {"id", "name", "quadrant", "area"}) CHECK(c.contains(key));
  REQUIRE(doc["levels"].size() == 5);
  CHECK(doc["levels"][0]["id"] == "foundational");
  CHECK(doc["levels"][0]["label"] == "Foundational");
  REQUIRE(doc["career_levels"].size() == 5);
  CHECK(doc["career_levels"][4] == json({{"id", "group-pm"}, {"name", "Group Product Manager"}, {"track", "manager"}, {"rank", 4}}));
}

TEST_CASE("framework check exit codes: 0 clean, 1 error findings, 2 unusable", "[cli][framework]") {
  const auto clean = run_cli("framework check --json --as-of 2026-12-06");
  REQUIRE(clean.exit_code == 0);
  const json doc = json::parse(clean.out);
  CHECK(doc["findings"].empty());
  CHECK(doc["errors"] == 0);
  CHECK(doc["warnings"] == 0);

  const auto vague = run_cli("framework check " + example("anchor.vague.json") + " --json");
  CHECK(vague.exit_code == 1);
  const json findings = json::parse(vague.out);
  CHECK(findings["errors"].get<int>() >= 1);
  bool saw = false;
  for (const auto& f : findings["findings"]) {
    for (const char* key : {"rule", "severity", "where", "message", "hint"}) CHECK(f.contains(key));
    saw = saw || f["rule"] == "anchor.vague";
  }
  CHECK(saw);

  const auto warning_only = run_cli("framework check " + example("ladder.uniform.json"));
  CHECK(warning_only.exit_code == 0);
  CHECK_THAT(warning_only.out, Catch::Contains("ladder.uniform"));

  const auto unusable = run_cli("framework check " + example("invalid/unknown-field.json"));
  CHECK(unusable.exit_code == 2);
  CHECK(unusable.out.empty());
  CHECK_THAT(unusable.err, Catch::Contains("unknown-field.json") && Catch::Contains("/competencies/0/colour"));

  CHECK(run_cli("framework check /no/such/file.json").exit_code == 2);
  CHECK(run_cli("framework check --bogus").exit_code == 2);
  CHECK(run_cli("framework").exit_code == 2);
}

TEST_CASE("framework gaps lists promotion-gap competencies with 1-based levels", "[cli][framework]") {
  const auto run = run_cli("framework gaps --json");
  REQUIRE(run.exit_code == 0);
  const json doc = json::parse(run.out);
  const calibra::framework fw = calibra::builtin_framework();
  REQUIRE(doc["steps"].size() == fw.ladder().steps().size());
  const json& first = doc["steps"][0];
  CHECK(first["from"] == "apm");
  CHECK(first["to"] == "pm");
  for (const auto& c : first["competencies"]) {
    const int from = c["from_level"], to = c["to_level"];
    CHECK(to > from);
    CHECK(fw.expectation("apm", c["id"].get<std::string>()) == from);
    CHECK(fw.expectation("pm", c["id"].get<std::string>()) == to);
  }
  const auto text = run_cli("framework gaps");
  CHECK_THAT(text.out, Catch::Contains("Associate Product Manager -> Product Manager"));
}

TEST_CASE("framework export writes whole files or nothing", "[cli][framework]") {
  const fs::path dir = fs::temp_directory_path() / ("calibra-export-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string out = (dir / "pm.json").string();
  REQUIRE(run_cli("framework export --to json --out " + shell_quote(out)).exit_code == 0);
  std::ifstream in(out, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  CHECK(bytes.str() == calibra::builtin_framework_json());

  const auto md = run_cli("framework export --to markdown");
  CHECK(md.exit_code == 0);
  CHECK_THAT(md.out, Catch::Contains("## Expectations by career level"));

  const std::string bad_out = (dir / "bad.md").string();
  const auto bad = run_cli("framework export " + example("invalid/bad-json.json") + " --to markdown --out " + shell_quote(bad_out));
  CHECK(bad.exit_code == 2);
  CHECK_FALSE(fs::exists(bad_out));
  CHECK(run_cli("framework export --to yaml").exit_code == 2);
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 1);
  fs::remove_all(dir);
}

TEST_CASE("framework show --json keeps the canonical key order", "[cli][framework][json]") {
  // docs/cli.md: the export's order, then the two computed members.
  const auto run = run_cli("framework show --json");
  REQUIRE(run.exit_code == 0);
  const auto doc = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& item : doc.items()) keys.push_back(item.key());
  REQUIRE(keys.size() >= 4);
  CHECK(keys[0] == "format");
  CHECK(keys[1] == "metadata");
  CHECK(keys[2] == "scale");
  CHECK(keys[keys.size() - 2] == "levels");
  CHECK(keys.back() == "quadrant_profile");
  // The canonical document itself is the export, member for member.
  const auto exported = nlohmann::ordered_json::parse(calibra::to_json(calibra::builtin_framework()));
  for (const auto& item : exported.items()) CHECK(doc[item.key()] == item.value());
  CHECK(doc["competencies"][0].items().begin().key() == "id");
}

TEST_CASE("framework check --as-of dates the staleness check", "[cli][framework]") {
  const auto fresh = run_cli("framework check " + example("minimal-valid.json") + " --as-of 2027-11-22");
  CHECK(fresh.exit_code == 0);
  CHECK_THAT(fresh.out, Catch::Contains("0 errors, 0 warnings"));
  const auto stale = run_cli("framework check " + example("minimal-valid.json") + " --as-of 2027-11-23");
  CHECK(stale.exit_code == 0);  // a warning
  CHECK_THAT(stale.out, Catch::Contains("warning [framework.stale] /metadata/last_updated: the framework was last "
                                        "updated on 2026-11-22, more than 12 months before 2027-11-23"));
  const auto bad = run_cli("framework check --as-of 2026-13-45");
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK_THAT(bad.err, Catch::Contains("--as-of 2026-13-45: expected a date as YYYY-MM-DD"));
}
