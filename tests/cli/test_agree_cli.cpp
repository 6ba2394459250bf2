// `calibra agree`: published values through the CLI, the JSON shape, --all,
// exit codes and located error messages.
#include "run_cli.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using calibra::testing::run_cli;
using calibra::testing::shell_quote;
using nlohmann::json;

namespace {

const std::string reference_dir = std::string(CALIBRA_TEST_DATA_DIR) + "/reference/";
const std::string bad_dir = std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/wide_csv/";

std::string reference(const std::string& name) { return shell_quote(reference_dir + name); }

json run_json(const std::string& args, int expected_exit = 0) {
  const auto run = run_cli("agree " + args + " --json");
  INFO("stderr: " << run.err);
  REQUIRE(run.exit_code == expected_exit);
  return json::parse(run.out);
}

/// A temporary CSV file removed at the end of the test.
struct temporary_csv {
  std::filesystem::path path;
  explicit temporary_csv(const std::string& name, const std::string& text)
      : path(std::filesystem::temp_directory_path() / ("calibra-agree-" + name)) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~temporary_csv() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  std::string arg() const { return shell_quote(path.string()); }
};

}  // namespace

TEST_CASE("agree --stat icc reproduces Shrout & Fleiss (1979)", "[cli][agree]") {
  // Shrout & Fleiss (1979) Table 4: ICC(3,1) = .71 on the Table 2 data.
  const json r = run_json(reference("shrout_fleiss_1979.csv") + " --stat icc --form ICC3");
  CHECK(r.at("statistic") == "icc");
  CHECK(r.at("value").get<double>() == Approx(0.71).margin(0.005));
  CHECK(r.at("interpretation") == "moderate");  // Koo & Li (2016): 0.5 <= ICC < 0.75
  CHECK(r.at("interpretation_scale") == "Koo & Li (2016)");
  CHECK(r.at("se").is_null());
  CHECK(r.at("observed").is_null());
  CHECK(r.at("chance").is_null());
  CHECK(r.at("reason").is_null());
  CHECK(r.at("ci_method") == "F");
  // psych::ICC bounds (tests/data/oracle/icc_psych.json): 0.3425, 0.9459.
  CHECK(r.at("ci_low").get<double>() == Approx(0.34246476503392537).epsilon(1e-9));
  CHECK(r.at("ci_high").get<double>() == Approx(0.94585825995535955).epsilon(1e-9));
  CHECK(r.at("n_units") == 6);
  CHECK(r.at("n_raters") == 4);
  CHECK(r.at("extra").at("df1") == 5);
  CHECK(r.at("extra").at("df2") == 15);
  const json& options = r.at("options");
  CHECK(options.at("form") == "ICC3");
  CHECK(options.at("ci") == 0.95);
  CHECK(options.at("missing") == "listwise");  // what ICC applies
  CHECK(options.at("bootstrap") == 0);
  for (const char* key : {"categories", "weights", "level", "category", "tolerance", "population", "se", "seed",
                          "bootstrap_method", "threads", "unit_column"})
    CHECK(options.contains(key));

  // McGraw-Wong names select the same form; published ICC(2,1) = .29.
  const json consistency = run_json(reference("shrout_fleiss_1979.csv") + " --stat icc --form twoway-consistency-single");
  CHECK(consistency.at("value") == r.at("value"));
  CHECK(run_json(reference("shrout_fleiss_1979.csv") + " --stat icc --form ICC2").at("value").get<double>() ==
        Approx(0.29).margin(0.005));
}

TEST_CASE("agree --stat fleiss reproduces Fleiss (1971)", "[cli][agree]") {
  // Fleiss (1971) Psychol Bull 76:378-382: kappa = .430 for the 30 x 6 diagnoses.
  const json r = run_json(reference("fleiss1971_diagnoses.csv") + " --stat fleiss");
  CHECK(r.at("value").get<double>() == Approx(0.430).margin(0.0005));
  CHECK(r.at("interpretation") == "moderate");
  CHECK(r.at("n_units") == 30);
  CHECK(r.at("n_raters") == 6);
  CHECK(r.at("options").at("categories") == json::array({1, 2, 3, 4, 5}));
  CHECK(r.at("observed").is_number());
  CHECK(r.at("chance").is_number());
}

TEST_CASE("agree --stat krippendorff with --level reproduces Krippendorff (2011)", "[cli][agree]") {
  // Krippendorff (2011), "Computing Krippendorff's alpha-reliability": interval alpha = 0.849.
  const json r = run_json(reference("krippendorff_canonical.csv") + " --stat krippendorff --level interval");
  CHECK(r.at("value").get<double>() == Approx(0.849).margin(0.0005));
  CHECK(r.at("options").at("level") == "interval");
  CHECK(r.at("disagreement").is_boolean());
}

TEST_CASE("agree --all lists every statistic; misfits get null and a reason", "[cli][agree]") {
  const json all = run_json(reference("fleiss1971_diagnoses.csv") + " --all");
  REQUIRE(all.is_array());
  REQUIRE(all.size() == 12);
  bool saw_fleiss = false, saw_cohen = false, saw_icc = false;
  for (const json& r : all) {
    for (const char* key : {"statistic", "options", "value", "se", "ci_low", "ci_high", "ci_method", "observed",
                            "chance", "n_units", "n_raters", "interpretation", "reason", "extra"})
      CHECK(r.contains(key));
    if (r.at("statistic") == "fleiss") {
      saw_fleiss = true;
      CHECK(r.at("value").get<double>() == Approx(0.430).margin(0.0005));
    }
    if (r.at("statistic") == "cohen" || r.at("statistic") == "scott") {
      saw_cohen = saw_cohen || r.at("statistic") == "cohen";
      CHECK(r.at("value").is_null());
      CHECK(r.at("interpretation").is_null());
      CHECK_THAT(r.at("reason").get<std::string>(), Catch::Contains("2 raters"));
    }
    if (r.at("statistic") == "icc") {
      saw_icc = true;
      CHECK(r.at("options").at("form") == "ICC1");
    }
  }
  CHECK(saw_fleiss);
  CHECK(saw_cohen);
  CHECK(saw_icc);

  const auto text = run_cli("agree " + reference("fleiss1971_diagnoses.csv") + " --all");
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("0.4302"));
  CHECK_THAT(text.out, Catch::Contains("brennan-prediger"));
}

TEST_CASE("agree human output: value with its label, interval, F test", "[cli][agree]") {
  const auto run = run_cli("agree " + reference("shrout_fleiss_1979.csv") + " --stat icc --form ICC3");
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("0.7148  (moderate, Koo & Li (2016))"));
  CHECK_THAT(run.out, Catch::Contains("95% CI"));
  CHECK_THAT(run.out, Catch::Contains("[0.3425, 0.9459]"));
  CHECK_THAT(run.out, Catch::Contains("F(5, 15) = 11.027"));
  CHECK(run.err.empty());
}

TEST_CASE("agree bootstrap: same seed, same interval for any thread count", "[cli][agree][bootstrap]") {
  const std::string args = reference("irr_anxiety.csv") + " --stat gwet --bootstrap 300 --seed 11";
  const json one = run_json(args + " --threads 1");
  const json two = run_json(args + " --threads 2");
  CHECK(one.at("ci_method") == "bootstrap-bca");
  CHECK(one.at("ci_low") == two.at("ci_low"));
  CHECK(one.at("ci_high") == two.at("ci_high"));
  CHECK(one.at("extra").at("bootstrap_resamples") == 300);
  CHECK(one.at("options").at("seed") == 11);
  const json other = run_json(reference("irr_anxiety.csv") + " --stat gwet --bootstrap 300 --seed 12");
  CHECK(other.at("ci_low") != one.at("ci_low"));
  const json percentile = run_json(args + " --bootstrap-method percentile");
  CHECK(percentile.at("ci_method") == "bootstrap-percentile");
}

TEST_CASE("agree: a degenerate value is null with a reason and exit 0", "[cli][agree]") {
  const temporary_csv constant("constant.csv", "a,b,c\n3,3,3\n3,3,3\n3,3,3\n");
  const json r = run_json(constant.arg() + " --stat icc");
  CHECK(r.at("value").is_null());
  CHECK(r.at("interpretation").is_null());
  CHECK_THAT(r.at("reason").get<std::string>(), Catch::Contains("zero variance"));
  const auto text = run_cli("agree " + constant.arg() + " --stat icc");
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("undefined: zero variance"));
}

TEST_CASE("agree --unit-column takes ids from a column that is not a rater", "[cli][agree]") {
  const temporary_csv with_ids("ids.csv", "r1,id,r2\n1,u1,1\n2,u2,2\n3,u3,3\n1,u4,2\n");
  const json r = run_json(with_ids.arg() + " --stat percent --unit-column id");
  CHECK(r.at("n_raters") == 2);
  CHECK(r.at("n_units") == 4);
  CHECK(r.at("value").get<double>() == Approx(0.75));  // 3 of 4 units agree
  CHECK(r.at("options").at("unit_column") == "id");
  const auto unknown = run_cli("agree " + with_ids.arg() + " --stat percent --unit-column unit");
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("no column named 'unit'"));
}

TEST_CASE("agree: unusable input and bad options exit 2 with a located message", "[cli][agree][errors]") {
  const auto non_numeric = run_cli("agree " + shell_quote(bad_dir + "non_numeric.csv") + " --stat fleiss");
  CHECK(non_numeric.exit_code == 2);
  CHECK(non_numeric.out.empty());
  CHECK_THAT(non_numeric.err, Catch::Contains("[calibra.parse_error.csv]"));
  CHECK_THAT(non_numeric.err, Catch::Contains("line 3, column 2 (rater 'bob')"));

  const auto ragged = run_cli("agree " + shell_quote(bad_dir + "ragged_short.csv") + " --all --json");
  CHECK(ragged.exit_code == 2);
  CHECK_THAT(ragged.err, Catch::Contains("line 3, column 3 (rater 'carol')"));

  const auto single = run_cli("agree " + shell_quote(bad_dir + "single_column.csv") + " --stat icc");
  CHECK(single.exit_code == 2);
  CHECK_THAT(single.err, Catch::Contains("no pair of raters"));

  const auto missing_file = run_cli("agree " + shell_quote(bad_dir + "does_not_exist.csv") + " --stat icc");
  CHECK(missing_file.exit_code == 2);
  CHECK_THAT(missing_file.err, Catch::Contains("does_not_exist.csv"));

  const std::string anxiety = reference("irr_anxiety.csv");
  struct bad_option {
    std::string args;
    std::string message;
  };
  for (const auto& bad : {bad_option{"--stat kappa", "unknown statistic 'kappa'"},
                          bad_option{"--stat fleiss --weights cubic", "unknown weights 'cubic'"},
                          bad_option{"--stat krippendorff --level cardinal", "unknown measurement level"},
                          bad_option{"--stat icc --form ICC4", "unknown ICC form"},
                          bad_option{"--stat fleiss --missing pairwise", "unknown missing policy"},
                          bad_option{"--stat icc --ci 1.5", "--ci 1.5"},
                          bad_option{"--stat gwet --categories 1,two,3", "'two' (item 2)"},
                          bad_option{"--stat gwet --weights custom", "weight matrix"},
                          bad_option{"--stat gwet --bootstrap 10 --bootstrap-method normal", "unknown bootstrap"},
                          bad_option{"--stat cohen", "2 raters"},
                          bad_option{"", "--stat STAT or --all"},
                          bad_option{"--stat icc --all", "excludes"},
                          bad_option{"--stat icc --frobnicate", "--frobnicate"},
                          bad_option{"--stat gwet --bootstrap -1", "--bootstrap"},
                          bad_option{"--stat gwet --bootstrap 10 --seed -1", "--seed"},
                          bad_option{"--stat gwet --bootstrap 10 --threads -2", "--threads"}}) {
    INFO(bad.args);
    const auto run = run_cli("agree " + anxiety + " " + bad.args);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Catch::Contains(bad.message));
  }
}

TEST_CASE("agree --json writes its keys in the documented order", "[cli][agree][json]") {
  // docs/cli.md, "JSON output": the library's order with `file` after `statistic`.
  const auto run = run_cli("agree " + reference("fleiss1971_diagnoses.csv") + " --stat fleiss --json");
  REQUIRE(run.exit_code == 0);
  const auto doc = nlohmann::ordered_json::parse(run.out);
  std::vector<std::string> keys;
  for (const auto& item : doc.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"statistic", "file", "options", "value", "se", "ci_low", "ci_high",
                                         "ci_method", "observed", "chance", "disagreement", "n_units", "n_raters",
                                         "interpretation", "interpretation_scale", "reason", "extra",
                                         "per_category"});
  std::vector<std::string> option_keys;
  for (const auto& item : doc["options"].items()) option_keys.push_back(item.key());
  CHECK(option_keys.front() == "categories");
  CHECK(option_keys.back() == "unit_column");
}
