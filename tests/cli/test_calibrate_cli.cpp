// `calibra calibrate`: the bundled example end to end, the JSON document's
// shape, options and the duplicate policy.  Every malformed ratings file is
// run through `calibrate` by the bad-input catalogue
// (tests/bad_inputs/manifest.json, tests/cli/test_bad_inputs.cpp).
#include "run_cli.hpp"

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

namespace {

const std::string bad_dir = std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/ratings_csv/";

json run_json(const std::string& args) {
  const auto run = run_cli("calibrate " + args + " --json");
  INFO("stderr: " << run.err);
  REQUIRE(run.exit_code == 0);
  return json::parse(run.out);
}

}  // namespace

TEST_CASE("calibrate runs on the bundled example and recovers the planted lenient manager", "[cli][calibrate]") {
  const json doc = run_json("");
  const json& summary = doc.at("summary");
  // data/examples/ratings.csv: 5,760 rows, 40 ratees, 4 quarters (simulate.hpp).
  CHECK(summary.at("rows_read") == 5760);
  CHECK(summary.at("rows_kept") == 5760);
  CHECK(summary.at("ratees") == 40);
  CHECK(summary.at("periods").size() == 4);
  CHECK(summary.at("analysed_period") == "2026Q4");
  CHECK(summary.at("min_group") == 4);
  CHECK(summary.at("framework").at("id") == "product-manager");

  // Planted: mgr1 rates 1.0 level above everyone else (lenient => severity < 0).
  const json& raters = doc.at("raters").at("raters");
  REQUIRE(raters.is_array());
  const auto mgr1 = std::find_if(raters.begin(), raters.end(), [](const json& r) { return r.at("rater") == "mgr1"; });
  REQUIRE(mgr1 != raters.end());
  CHECK(mgr1->at("severity").get<double>() < -0.5);
  const auto flags = mgr1->at("flags").get<std::vector<std::string>>();
  CHECK(std::find(flags.begin(), flags.end(), "lenient") != flags.end());
}

TEST_CASE("calibrate reads the same ratings from the bundled CSV file", "[cli][calibrate]") {
  const std::string file = std::string(CALIBRA_SOURCE_DIR) + "/data/examples/ratings.csv";
  const json from_file = run_json(shell_quote(file));
  const json built_in = run_json("");
  // The same data, so every section but the source name is identical.
  json a = from_file, b = built_in;
  a["summary"].erase("source");
  b["summary"].erase("source");
  CHECK(a == b);
  CHECK(from_file.at("summary").at("source").get<std::string>().find("ratings.csv") != std::string::npos);
}

TEST_CASE("calibrate --period and --min-group are checked", "[cli][calibrate]") {
  const json doc = run_json("--period 2026Q2 --min-group 6");
  CHECK(doc.at("summary").at("analysed_period") == "2026Q2");
  CHECK(doc.at("summary").at("min_group") == 6);

  const auto unknown = run_cli("calibrate --period 2031Q1");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err.find("period '2031Q1' does not occur") != std::string::npos);
  CHECK(unknown.err.find("2026Q1, 2026Q2, 2026Q3, 2026Q4") != std::string::npos);

  const auto zero = run_cli("calibrate --min-group 0");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--min-group") != std::string::npos);

  const auto lonely = run_cli("calibrate --framework " +
                              shell_quote(std::string(CALIBRA_SOURCE_DIR) + "/data/frameworks/product-manager.json"));
  CHECK(lonely.exit_code == 2);
  CHECK(lonely.err.find("without a ratings file") != std::string::npos);
}

TEST_CASE("calibrate --duplicates folds repeated ratings instead of refusing them", "[cli][calibrate]") {
  const std::string file = shell_quote(bad_dir + "duplicate_rating_after_other_rows.csv");
  const auto refused = run_cli("calibrate " + file);
  CHECK(refused.exit_code == 2);
  const auto folded = run_cli("calibrate " + file + " --duplicates last --json");
  INFO(folded.err);
  REQUIRE(folded.exit_code == 0);
  const json doc = json::parse(folded.out);
  CHECK(doc.at("summary").at("duplicate_groups") == 1);
  CHECK(doc.at("summary").at("duplicate_rows_dropped") == 1);
  CHECK(doc.at("summary").at("rows_kept").get<int>() + 1 == doc.at("summary").at("rows_read").get<int>());
}

TEST_CASE("calibrate names a missing ratings file", "[cli][calibrate][bad-input]") {
  const auto run = run_cli("calibrate /nonexistent/ratings.csv");
  CHECK(run.exit_code == 2);
  CHECK(run.err.find("/nonexistent/ratings.csv") != std::string::npos);
  const auto wrong = run_cli("calibrate " + shell_quote(std::string(CALIBRA_SOURCE_DIR) + "/README.md"));
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find("README.md") != std::string::npos);
}

TEST_CASE("calibrate --role maps a team's role names; warnings go to stderr; evidence comes back in JSON",
          "[cli][calibrate]") {
  namespace fs = std::filesystem;
  const fs::path file = fs::temp_directory_path() / ("calibra-cli-roles-" + std::to_string(::getpid()) + ".csv");
  {
    std::ofstream out(file);
    out << "ratee,rater,role,competency,level,period,team,comment\n"
           "pm01,lead1,line-manager,product-delivery,proficient,2026-Q3,Core,Shipped checkout v2\n"
           "pm01,cust9,customer,product-delivery,developing,2026 Q3,Core,\n"
           "pm02,lead1,line-manager,product-delivery,developing,2026q3,Growth,\n";
  }
  const std::string path = shell_quote(file.string());
  const auto refused = run_cli("calibrate " + path + " --json");
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK_THAT(refused.err, Catch::Contains("3 problems; nothing was read:") &&
                              Catch::Contains("row 2, column 'role': unknown role 'line-manager'") &&
                              Catch::Contains("row 3, column 'role': unknown role 'customer'") &&
                              Catch::Contains("row 4, column 'role': unknown role 'line-manager'") &&
                              Catch::Contains("--role line-manager=ROLE"));

  const auto run = run_cli("calibrate " + path + " --role line-manager=manager --role customer=external --json");
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.err, Catch::Contains("calibra: warning: columns outside the ratings format kept as attributes, not "
                                      "used by the analyses: 'team'\n"));
  CHECK_THAT(run.err, Catch::Contains("calibra: warning: period spellings read as quarters: '2026-Q3' as 2026Q3, "
                                      "'2026 Q3' as 2026Q3, '2026q3' as 2026Q3\n"));
  const json doc = json::parse(run.out);
  const json& summary = doc.at("summary");
  CHECK(summary.at("ratings_per_role").at("manager") == 2);
  CHECK(summary.at("ratings_per_role").at("external") == 1);
  CHECK(summary.at("attribute_columns") == json::array({"team"}));
  CHECK(summary.at("ratings_with_evidence") == 1);
  CHECK(summary.at("warnings").size() == 2);
  REQUIRE(summary.at("periods").size() == 1);
  CHECK(summary.at("periods")[0].at("period") == "2026Q3");
  const json& evidence = doc.at("evidence").at("ratings");
  REQUIRE(evidence.size() == 1);
  CHECK(evidence[0].at("ratee") == "pm01");
  CHECK(evidence[0].at("rater") == "lead1");
  CHECK(evidence[0].at("evidence") == "Shipped checkout v2");
  CHECK(evidence[0].at("row") == 2);

  const auto bad = run_cli("calibrate " + path + " --role line-manager");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("expected NAME=ROLE"));
  fs::remove(file);
}
