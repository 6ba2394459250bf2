// The one JSON of the agreement results (io/agreement_json.hpp) and the
// calibration report's top-level order: keys in the documented order,
// null for what is absent or not finite.
#include <calibra/io/agreement_json.hpp>
#include <calibra/io/calibration_json.hpp>

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

using json = nlohmann::ordered_json;
namespace ag = calibra::agreement;

namespace {

std::vector<std::string> keys_of(const json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

}  // namespace

TEST_CASE("A result's JSON lists its keys in the documented order", "[io][agreement_json]") {
  ag::result r;
  r.stat = ag::statistic::fleiss;
  r.value = 0.5;
  r.ci_method = "t(n-1)";
  r.n_units = 4;
  r.n_raters = 3;
  r.per_category = {{1.0, 0.25}, {2.5, std::numeric_limits<double>::quiet_NaN()}};
  r.extra = {{"df", 3.0}, {"p", std::numeric_limits<double>::infinity()}};
  const json doc = json::parse(calibra::to_json(r));
  CHECK(keys_of(doc) == std::vector<std::string>{"statistic", "options", "value", "se", "ci_low", "ci_high",
                                                 "ci_method", "observed", "chance", "disagreement", "n_units",
                                                 "n_raters", "interpretation", "interpretation_scale", "reason",
                                                 "extra", "per_category"});
  CHECK(doc["statistic"] == "fleiss");
  CHECK(doc["value"] == 0.5);
  CHECK(doc["se"].is_null());  // absent
  CHECK(doc["extra"]["df"] == 3.0);
  CHECK(doc["extra"]["p"].is_null());  // infinite
  // Codes as a person writes them; NaN as null.
  CHECK(doc["per_category"]["1"] == 0.25);
  CHECK(doc["per_category"]["2.5"].is_null());
  // Landis & Koch (1977): 0.41-0.60 is "moderate".
  CHECK(doc["interpretation"] == "moderate");
  CHECK(doc["options"]["category"].is_null());
  CHECK(keys_of(doc["options"]).front() == "categories");
  CHECK(keys_of(doc["options"]).back() == "threads");
}

TEST_CASE("A result without per-category values has no per_category key", "[io][agreement_json]") {
  ag::result r;
  r.stat = ag::statistic::icc;
  r.reason = "zero variance";
  const json doc = json::parse(calibra::to_json(r));
  CHECK_FALSE(doc.contains("per_category"));
  CHECK(doc["value"].is_null());
  CHECK(doc["ci_method"].is_null());  // empty text
  CHECK(doc["reason"] == "zero variance");
}

TEST_CASE("Custom weights are echoed as rows", "[io][agreement_json]") {
  ag::options o;
  o.weights = ag::weight_scheme::custom;
  o.custom_weights = Eigen::MatrixXd::Identity(2, 2);
  const json doc = json::parse(calibra::to_json(o));
  CHECK(doc["weights"] == "custom");
  CHECK(doc["custom_weights"] == json::parse("[[1.0, 0.0], [0.0, 1.0]]"));
}

TEST_CASE("A pairwise result's JSON: rows, null diagonal, reasons by index", "[io][agreement_json]") {
  ag::pairwise_result p;
  p.stat = ag::statistic::cohen;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  p.value.resize(2, 2);
  p.value << nan, 0.4, 0.4, nan;
  p.n_units.resize(2, 2);
  p.n_units << 5, 3, 3, 4;
  p.reasons[{0, 1}] = "planted";
  const json doc = json::parse(calibra::to_json(p));
  CHECK(keys_of(doc) == std::vector<std::string>{"statistic", "options", "value", "n_units", "reasons"});
  CHECK(doc["value"][0][0].is_null());
  CHECK(doc["value"][0][1] == 0.4);
  CHECK(doc["n_units"][1][0] == 3);
  CHECK(doc["reasons"][0] == json::parse(R"({"rater_a": 0, "rater_b": 1, "reason": "planted"})"));
}

TEST_CASE("The calibration report starts with its summary", "[io][calibration_json]") {
  auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const auto table = calibra::calibration::simulate_ratings(fw, calibra::calibration::example_simulation_config()).table;
  const auto report = calibra::calibration::calibrate(table);
  const json doc = json::parse(calibra::to_json(report, table));
  const std::vector<std::string> keys = keys_of(doc);
  REQUIRE(keys.size() >= 12);
  CHECK(std::vector<std::string>(keys.begin(), keys.begin() + 12) ==
        std::vector<std::string>{"summary", "agreement", "competencies", "raters", "components", "drift",
                                 "self_vs_manager", "decision_study", "ratees", "matrix_validation", "team",
                                 "development_plans"});
  CHECK(keys_of(doc["summary"]).front() == "source");
  CHECK(keys_of(doc["agreement"]).front() == "available");
}
