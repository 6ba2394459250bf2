// `calibra calibrate` and `calibra report` on ratings in the shapes teams
// have: a wide file with relative levels, --group-by, a self-assessment
// alone, and the errors for an unknown competency column and for relative
// levels mixed with absolute ones.
#include "run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Writes `text` to a file of the temp directory and returns its quoted path.
std::string temp_file(const std::string& name, const std::string& text) {
  const fs::path file = fs::temp_directory_path() / ("calibra-shapes-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(file) << text;
  return shell_quote(file.string());
}

}  // namespace

TEST_CASE("calibrate reads a wide file with relative levels and shows its evidence", "[cli][shapes]") {
  const std::string path = temp_file(
      "wide.csv",
      "ratee,rater,role,period,career_level,team,product-delivery,Managing Up,comment\n"
      "pm01,mgr1,manager,2026Q3,pm,core,On Track,Outperforming,led the pricing launch\n"
      "pm02,mgr1,manager,2026Q3,apm,growth,Needs Focus,On Track,\n");
  const auto refused = run_cli("calibrate " + path);
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK_THAT(refused.err, Catch::Contains("row 1, column 'team': not a competency of the framework"));

  const auto run = run_cli("calibrate " + path + " --attribute team --json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json doc = json::parse(run.out);
  CHECK(doc.at("summary").at("rows_read") == 4);
  const json& evidence = doc.at("evidence").at("ratings");
  REQUIRE(evidence.size() == 2);
  // pm at On Track on product-delivery: the expectation, proficient (3).
  CHECK(evidence[0].at("level") == "proficient");
  CHECK(evidence[0].at("evidence") == "led the pricing launch");
  // pm expects managing-up at 2: Outperforming is one level above, proficient (3).
  CHECK(evidence[1].at("competency") == "managing-up");
  CHECK(evidence[1].at("level") == "proficient");
}

TEST_CASE("calibrate refuses relative and absolute levels mixed in one column, naming the row", "[cli][shapes]") {
  const std::string path = temp_file("mixed.csv",
                                     "ratee,rater,role,competency,level,period,career_level\n"
                                     "pm01,mgr1,manager,product-delivery,On Track,2026Q3,pm\n"
                                     "pm02,mgr1,manager,product-delivery,proficient,2026Q3,pm\n");
  const auto run = run_cli("calibrate " + path);
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("row 3, column 'level': absolute level 'proficient', but the column holds "
                                      "relative levels ('On Track' on row 2)"));
}

TEST_CASE("calibrate --group-by compares teams; a column it does not have is an error", "[cli][shapes]") {
  std::string text = "ratee,rater,role,competency,level,period,team\n";
  // Four ratees per team; alpha rated 4 and 3, beta 2 and 1: difference 2.
  const char* rows[] = {"a1,4,alpha", "a2,4,alpha", "a3,3,alpha", "a4,3,alpha",
                        "b1,2,beta",  "b2,2,beta",  "b3,1,beta",  "b4,1,beta"};
  for (const char* row : rows) {
    const std::string r(row);
    text += r.substr(0, 2) + ",mgr1,manager,product-delivery," + r.substr(3, 1) + ",2026Q3," + r.substr(5) + "\n";
  }
  const std::string path = temp_file("teams.csv", text);
  const auto run = run_cli("calibrate " + path + " --group-by team --json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  const json groups = json::parse(run.out).at("groups");
  CHECK(groups.at("attribute") == "team");
  REQUIRE(groups.at("groups").size() == 2);
  CHECK(groups.at("groups")[0].at("group") == "alpha");
  CHECK(groups.at("groups")[0].at("ratees") == 4);
  CHECK(groups.at("groups")[0].at("difference").get<double>() == Approx(2.0));

  const auto text_run = run_cli("calibrate " + path + " --group-by team");
  CHECK_THAT(text_run.out, Catch::Contains("Groups by 'team'"));

  const auto wrong = run_cli("calibrate " + path + " --group-by squad");
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("group by 'squad': the ratings have no such column"));
}

TEST_CASE("calibrate on a self-assessment alone gives the profile and says what it waits for", "[cli][shapes]") {
  const std::string path = temp_file("self.csv",
                                     "ratee,rater,role,competency,level,period,career_level\n"
                                     "ana,ana,self,product-delivery,4,2026Q3,pm\n"
                                     "ana,ana,self,strategic-impact,1,2026Q3,pm\n"
                                     "ana,ana,self,fluency-with-data,2,2026Q3,pm\n");
  const auto run = run_cli("calibrate " + path);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("raters (severity: waiting for ratings from at least one other rater)"));
  CHECK_THAT(run.out, Catch::Contains("Self-assessment in 2026Q3"));
  // pm expects product-delivery 3, strategic-impact 1, fluency-with-data 3.
  CHECK_THAT(run.out, Catch::Contains("strengths to lean into: product-delivery (4 vs 3)"));
  CHECK_THAT(run.out, Catch::Contains("gaps: fluency-with-data (2 vs 3)"));
  const auto json_run = run_cli("calibrate " + path + " --json");
  REQUIRE(json_run.exit_code == 0);
  const json profile = json::parse(json_run.out).at("self_profiles").at("ratees").at(0);
  CHECK(profile.at("career_level") == "pm");
  CHECK(profile.at("to_discuss").at(0) == "fluency-with-data");
  CHECK(profile.at("to_discuss").at(1) == "product-delivery");
}

TEST_CASE("report --group-by adds the groups section, and the person section shows evidence", "[cli][shapes]") {
  const std::string path = temp_file("report.csv",
                                     "ratee,rater,role,competency,level,period,team,evidence\n"
                                     "pm01,mgr1,manager,product-delivery,3,2026Q3,core,ran the beta\n"
                                     "pm02,mgr1,manager,product-delivery,2,2026Q3,growth,\n");
  const fs::path out = fs::temp_directory_path() / ("calibra-shapes-report-" + std::to_string(::getpid()));
  const auto run = run_cli("report --ratings " + path + " --group-by team --format md --out " +
                           shell_quote(out.string()));
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::string md;
  for (const auto& entry : fs::directory_iterator(out))
    if (entry.path().extension() == ".md") {
      std::ifstream in(entry.path());
      md.assign(std::istreambuf_iterator<char>(in), {});
    }
  CHECK_THAT(md, Catch::Contains("Groups by team"));
  CHECK_THAT(md, Catch::Contains("Evidence beside the ratings"));
  CHECK_THAT(md, Catch::Contains("ran the beta"));
  fs::remove_all(out);
}
