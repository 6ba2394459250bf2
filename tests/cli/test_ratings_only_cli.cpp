// A ratings-only framework (examples/ratings-only/) through the command line:
// framework check and show, calibrate on ratings with a planted lenient
// rater, report, the workbook round trip, and the ratings it refuses.
#include "run_cli.hpp"
#include "../support/files.hpp"

#include <calibra/io/framework_json.hpp>
#include <calibra/io/framework_xlsx.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using calibra_test::scratch_dir;
using calibra_test::slurp;
using nlohmann::json;

namespace {

const std::string dir = std::string(CALIBRA_EXAMPLES_DIR) + "/ratings-only/";
const std::string framework_file = dir + "framework.json";
const std::string ratings_file = dir + "ratings.csv";
const std::string not_applicable = "not applicable: the framework has no career levels";

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("ratings-only: framework check passes and lists what is not applicable", "[cli][ratings-only]") {
  const auto text = run_cli("framework check " + shell_quote(framework_file));
  INFO(text.err);
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("info [ladder.track] /career_levels: " + not_applicable));
  CHECK_THAT(text.out, Catch::Contains("0 errors, 1 warnings, 9 infos."));

  const auto run = run_cli("framework check " + shell_quote(framework_file) + " --json");
  REQUIRE(run.exit_code == 0);
  const json doc = json::parse(run.out);
  CHECK(doc.at("errors") == 0);
  CHECK(doc.at("infos") == 9);

  const auto show = run_cli("framework show " + shell_quote(framework_file));
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.out, Catch::Contains("Expectation matrix: " + not_applicable));
  const auto show_json = run_cli("framework show " + shell_quote(framework_file) + " --json");
  REQUIRE(show_json.exit_code == 0);
  const json shown = json::parse(show_json.out);
  CHECK(shown.at("quadrant_profile").is_null());
  CHECK(shown.at("quadrant_profile_note") == not_applicable);
  const auto gaps = run_cli("framework gaps " + shell_quote(framework_file) + " --json");
  REQUIRE(gaps.exit_code == 0);
  CHECK(json::parse(gaps.out).at("steps").empty());
}

TEST_CASE("ratings-only: calibrate finds the planted lenient rater and skips the ladder analyses",
          "[cli][ratings-only]") {
  // examples/ratings-only/ratings.csv: 6 lecturers x 5 students x 3
  // competencies.  s1-s4 rate each lecturer's planted level, with six
  // one-level slips (net +2 over their 72 ratings); s5 rates one level above
  // the planted level every time.  So s5's ratings average 1 - 2/72 = 0.97
  // levels above the others' on the same units.
  const auto run = run_cli("calibrate " + shell_quote(ratings_file) + " --framework " + shell_quote(framework_file) +
                           " --json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json doc = json::parse(run.out);
  CHECK(doc.at("summary").at("rows_kept") == 90);

  double lenient = 0, others = 0;
  std::set<std::string> flagged;
  for (const json& r : doc.at("raters").at("raters")) {
    for (const json& flag : r.at("flags")) flagged.insert(r.at("rater").get<std::string>() + ":" + flag.get<std::string>());
    if (r.at("rater") == "s5") lenient = r.at("severity").get<double>();
    else others += r.at("severity").get<double>() / 4;
  }
  CHECK(flagged == std::set<std::string>{"s5:lenient"});
  // Shrinkage pulls the estimate towards 0, never past the raw 0.97.
  CHECK(lenient - others < -0.8);
  CHECK(lenient - others > -0.98);

  // What needs career levels says so; nothing is filled in.
  for (const char* id : {"ratees", "matrix_validation", "team", "development_plans"}) {
    INFO(id);
    CHECK(doc.at(id).at("available") == false);
    CHECK(doc.at(id).at("reason") == not_applicable);
  }
  CHECK(doc.at("ratees").at("ratees").empty());
  bool readiness_listed = false;
  for (const json& a : doc.at("summary").at("analyses")) {
    if (a.at("analysis") == "readiness" || a.at("analysis") == "patterns" || a.at("analysis") == "promotion_separation") {
      CHECK(a.at("available") == false);
      CHECK(a.at("reason") == not_applicable);
      readiness_listed = readiness_listed || a.at("analysis") == "readiness";
    }
  }
  CHECK(readiness_listed);
  // The rater analyses run: fair scores of every lecturer, agreement, the
  // decision study.
  CHECK(doc.at("ratees").at("scores").size() == 18);
  CHECK(doc.at("agreement").at("available") == true);
  CHECK(doc.at("decision_study").at("available") == true);

  const auto text = run_cli("calibrate " + shell_quote(ratings_file) + " --framework " + shell_quote(framework_file));
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("readiness (" + not_applicable + ")"));
}

TEST_CASE("ratings-only: report writes the skipped analyses as not applicable", "[cli][ratings-only]") {
  scratch_dir out("ratings-only-report");
  const auto run = run_cli("report --framework " + shell_quote(framework_file) + " --ratings " +
                           shell_quote(ratings_file) + " --out " + shell_quote(out.file("r")) + " --format md,json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const std::string md = slurp(out.file("r/report.md"));
  CHECK_THAT(md, Catch::Contains("| readiness | **no** | " + not_applicable + " |"));
  CHECK_THAT(md, Catch::Contains("Not applicable: the framework has no career levels, so it has no promotion steps."));
}

TEST_CASE("ratings-only: the framework workbook round trip is lossless", "[cli][ratings-only][xlsx]") {
  scratch_dir out("ratings-only-xlsx");
  const std::string book = out.file("fw.xlsx"), back = out.file("back.json");
  REQUIRE(run_cli("framework export " + shell_quote(framework_file) + " --to xlsx --out " + shell_quote(book))
              .exit_code == 0);
  const auto imported = run_cli("framework import " + shell_quote(book) + " --out " + shell_quote(back));
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(slurp(back) == slurp(framework_file));
  CHECK(calibra::to_json(calibra::load_framework_xlsx(book)) == slurp(framework_file));
}

TEST_CASE("ratings-only: the CASE package round trip keeps the framework without ladder or quadrants",
          "[cli][ratings-only][case]") {
  scratch_dir out("ratings-only-case");
  const std::string package = out.file("fw.case.json"), back = out.file("back.json");
  REQUIRE(run_cli("framework export " + shell_quote(framework_file) + " --to case --out " + shell_quote(package))
              .exit_code == 0);
  const auto imported = run_cli("framework import " + shell_quote(package) + " --out " + shell_quote(back));
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(slurp(back) == slurp(framework_file));
  // No placeholder ladder and no assumed quadrant: nothing to note.
  CHECK(imported.err.empty());
}

TEST_CASE("ratings-only: ratings that need a ladder are refused with file, row and column", "[cli][ratings-only]") {
  scratch_dir out("ratings-only-bad");
  const std::string with_level = out.file("with-career-level.csv");
  write(with_level,
        "ratee,rater,role,competency,level,period,career_level\n"
        "lec1,s1,external,clarity,2,2026Q1,\n"
        "lec1,s2,external,clarity,3,2026Q1,senior\n");
  const auto run = run_cli("calibrate " + shell_quote(with_level) + " --framework " + shell_quote(framework_file) +
                           " --out " + shell_quote(out.file("o")));
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains(with_level + ": row 3, column 'career_level': career level 'senior' given, but "
                                                   "the framework has no career levels"));
  CHECK_FALSE(std::filesystem::exists(out.file("o")));

  const std::string relative = out.file("relative.csv");
  write(relative,
        "ratee,rater,role,competency,level,period\n"
        "lec1,s1,external,clarity,On Track,2026Q1\n");
  const auto rel = run_cli("calibrate " + shell_quote(relative) + " --framework " + shell_quote(framework_file));
  CHECK(rel.exit_code == 2);
  CHECK_THAT(rel.err, Catch::Contains(relative + ": row 2, column 'level': relative level 'On Track', but the "
                                                 "framework has no career levels"));
}
