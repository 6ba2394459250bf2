// `calibra framework export --to xlsx`, `framework import FILE.xlsx` and
// `calibra init`: the workbook round trip, errors by sheet and cell, and the
// starter kit passing `framework check` and `calibrate`.
#include "run_cli.hpp"

#include "../support/files.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/framework_xlsx.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using calibra_test::scratch_dir;
using calibra_test::slurp;

TEST_CASE("framework workbook: export, import and export again is lossless", "[cli][xlsx]") {
  scratch_dir dir("fw-xlsx-roundtrip");
  const std::string first = dir.file("first.xlsx"), second = dir.file("second.xlsx"), back = dir.file("back.json");
  const auto exported = run_cli("framework export --to xlsx --out " + shell_quote(first));
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(exported.out.empty());

  const auto imported = run_cli("framework import " + shell_quote(first) + " --out " + shell_quote(back));
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  // The built-in framework's canonical JSON, from the JSON writer.
  CHECK(slurp(back) == calibra::to_json(calibra::builtin_framework()));

  // Exporting the imported framework gives the same workbook, byte for byte
  // (the document date is the framework's own, not the clock's).
  REQUIRE(run_cli("framework export " + shell_quote(back) + " --to xlsx --out " + shell_quote(second)).exit_code == 0);
  CHECK(slurp(first) == slurp(second));
  // The workbook is read like a framework file by the other commands.
  const auto checked = run_cli("framework check " + shell_quote(first) + " --json");
  CHECK(checked.exit_code == 0);
  CHECK(nlohmann::json::parse(checked.out).at("errors") == 0);
}

TEST_CASE("framework workbook: every framework in examples/ survives the round trip", "[cli][xlsx]") {
  scratch_dir dir("fw-xlsx-examples");
  std::size_t tried = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks")) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().string());
    const calibra::framework fw = calibra::load_framework(entry.path().string());
    const std::string book = dir.file(entry.path().stem().string() + ".xlsx");
    REQUIRE(run_cli("framework export " + shell_quote(entry.path().string()) + " --to xlsx --out " + shell_quote(book))
                .exit_code == 0);
    CHECK(calibra::to_json(calibra::load_framework_xlsx(book)) == calibra::to_json(fw));
    ++tried;
  }
  CHECK(tried >= 3);
}

TEST_CASE("framework workbook: --to xlsx needs --out and writes nothing on bad input", "[cli][xlsx]") {
  scratch_dir dir("fw-xlsx-errors");
  const auto no_out = run_cli("framework export --to xlsx");
  CHECK(no_out.exit_code == 2);
  CHECK_THAT(no_out.err, Catch::Contains("--out FILE.xlsx"));
  CHECK(no_out.out.empty());

  const std::string bad = std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/framework_xlsx/several_problems.xlsx";
  const std::string out = dir.file("out.json");
  const auto run = run_cli("framework import " + shell_quote(bad) + " --out " + shell_quote(out));
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(dir.entries() == 0);
  // Every problem at once, each at its sheet and cell.
  CHECK_THAT(run.err, Catch::Contains("5 problems; nothing was read"));
  CHECK_THAT(run.err, Catch::Contains("Framework!B6: \"2026-13-45\" is not a calendar date"));
  CHECK_THAT(run.err, Catch::Contains("Competencies!D3: expected one of tactical-internal"));
  CHECK_THAT(run.err, Catch::Contains("'Career levels'!D3: expected an integer, found string"));
  CHECK_THAT(run.err, Catch::Contains("Targets!C3: unknown level 'nope'"));
  CHECK_THAT(run.err, Catch::Contains("Targets!D7: unknown level 'master'"));
}

TEST_CASE("framework workbook: two problems on one sheet are both reported", "[cli][xlsx]") {
  // several_problems.xlsx has 'nope' in Targets!C3 and 'master' in
  // Targets!D7: neither hides the other.
  const std::string source = std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/framework_xlsx/several_problems.xlsx";
  try {
    (void)calibra::load_framework_xlsx(source);
    FAIL("read");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 5);
    for (const auto& p : e.problems()) CHECK(p.id == "validation_error.framework");
    // The JSON pointer stays with each problem, beside the cell in its message.
    CHECK_THAT(e.problems()[3].message, Catch::EndsWith("Targets!C3: unknown level 'nope'"));
    CHECK(e.problems()[3].pointer == "/expectations/pm/" + calibra::builtin_framework().competencies()[1].id);
  }
}

TEST_CASE("calibra init: the starter kit passes framework check and calibrate", "[cli][init]") {
  scratch_dir dir("init");
  struct variant {
    const char* args;
    std::size_t competencies;
    std::size_t levels;
  };
  for (const variant v : {variant{"", 12, 5}, variant{"--competencies 6 --levels 4", 6, 4},
                          variant{"--competencies 'User Research, Delivery,Pricing' --levels 5 --name 'Acme PM'", 3, 5}}) {
    INFO(v.args);
    const std::filesystem::path kit = dir.path / ("kit" + std::to_string(v.competencies));
    const auto init = run_cli("init " + shell_quote(kit.string()) + " " + v.args);
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
    for (const char* f : {"framework.json", "framework.xlsx", "ratings-template.xlsx", "ratings-template.csv", "README.md"})
      CHECK(std::filesystem::is_regular_file(kit / f));
    CHECK_THAT(slurp((kit / "README.md").string()), Catch::Contains("calibra calibrate ratings.csv --framework framework.json"));

    // Both framework files pass the checks and are the same framework.
    for (const char* f : {"framework.json", "framework.xlsx"}) {
      const auto check = run_cli("framework check " + shell_quote((kit / f).string()) + " --json");
      INFO(f << ": " << check.out << check.err);
      CHECK(check.exit_code == 0);
      CHECK(nlohmann::json::parse(check.out).at("errors") == 0);
    }
    const calibra::framework fw = calibra::load_framework((kit / "framework.json").string());
    CHECK(fw.competencies().size() == v.competencies);
    CHECK(fw.scale().size() == v.levels);
    CHECK(calibra::to_json(calibra::load_framework_xlsx((kit / "framework.xlsx").string())) == calibra::to_json(fw));

    // Fill the CSV template: two ratees, a manager and a self rating on every competency.
    std::string csv = slurp((kit / "ratings-template.csv").string());
    CHECK(csv == "ratee,rater,role,competency,level,period,career_level,evidence\n");
    for (int p = 0; p < 2; ++p)
      for (const auto& c : fw.competencies())
        for (const char* rater : {"mgr", "self"}) {
          const std::string ratee = "pm" + std::to_string(p);
          csv += ratee + "," + (std::string(rater) == "self" ? ratee : "mgr") + "," + (std::string(rater) == "self" ? "self" : "manager") +
                 "," + c.id + "," + fw.scale().levels()[static_cast<std::size_t>(p)].id + ",2026Q3," +
                 fw.ladder().career_levels()[0].id + ",\"seen in the review, twice\"\n";
        }
    const std::string ratings = (kit / "ratings.csv").string();
    std::ofstream(ratings) << csv;
    const auto calibrate = run_cli("calibrate " + shell_quote(ratings) + " --framework " +
                                   shell_quote((kit / "framework.json").string()) + " --json");
    INFO(calibrate.err);
    CHECK(calibrate.exit_code == 0);
    CHECK_NOTHROW(nlohmann::json::parse(calibrate.out));
  }
}

TEST_CASE("calibra init: existing files are kept unless --force", "[cli][init]") {
  scratch_dir dir("init-force");
  const std::string kit = dir.file("kit");
  REQUIRE(run_cli("init " + shell_quote(kit)).exit_code == 0);
  std::ofstream(kit + "/README.md") << "my notes\n";
  const auto again = run_cli("init " + shell_quote(kit) + " --competencies 4");
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("refusing to overwrite") && Catch::Contains("README.md") &&
                            Catch::Contains("--force"));
  CHECK(slurp(kit + "/README.md") == "my notes\n");
  CHECK(calibra::load_framework(kit + "/framework.json").competencies().size() == 12);

  const auto forced = run_cli("init " + shell_quote(kit) + " --competencies 4 --force");
  CHECK(forced.exit_code == 0);
  CHECK(calibra::load_framework(kit + "/framework.json").competencies().size() == 4);
  CHECK(slurp(kit + "/README.md") != "my notes\n");

  const auto bad_levels = run_cli("init " + shell_quote(dir.file("other")) + " --levels 7");
  CHECK(bad_levels.exit_code == 2);
  CHECK_THAT(bad_levels.err, Catch::Contains("levels 7: expected 4 or 5"));
  CHECK_FALSE(std::filesystem::exists(dir.file("other")));
}
