// The public JSON writers of calibration/io/calibration_json.hpp: one per
// result type, and each gives exactly the section the whole report holds,
// so a caller serialising one analysis and `calibra calibrate --json`
// cannot disagree.
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/calibration_json.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calibra::calibration;
using json = nlohmann::ordered_json;

namespace {

struct example_report {
  std::shared_ptr<const calibra::framework> fw =
      std::make_shared<const calibra::framework>(calibra::builtin_framework());
  simulated_ratings sim = simulate_ratings(fw, example_simulation_config());
  calibration_report report = calibrate(sim.table);
  json whole = json::parse(calibra::to_json(report, sim.table));
};

const example_report& example() {
  static const example_report e;
  return e;
}

}  // namespace

TEST_CASE("calibration json: the report's sections come in the documented order, summary first",
          "[json][calibration]") {
  std::vector<std::string> keys;
  for (const auto& item : example().whole.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"summary", "agreement", "competencies", "raters", "components", "drift",
                                         "self_vs_manager", "decision_study", "ratees", "matrix_validation", "team",
                                         "development_plans"});
}

TEST_CASE("calibration json: each result's writer gives the section the report holds", "[json][calibration]") {
  const example_report& e = example();
  const ratings_table& t = e.sim.table;
  const calibration_report& r = e.report;
  const json& whole = e.whole;
  CHECK(json::parse(calibra::to_json(r.severity, t)) == whole["raters"]);
  CHECK(json::parse(calibra::to_json(r.severity.network, t)) == whole["components"]);
  const json anchors = json::parse(calibra::to_json(r.anchors, t));
  CHECK(anchors["agreement"] == whole["agreement"]);
  CHECK(anchors["competencies"] == whole["competencies"]);
  CHECK(json::parse(calibra::to_json(r.drift, t)) == whole["drift"]);
  CHECK(json::parse(calibra::to_json(r.self_assessment, t)) == whole["self_vs_manager"]);
  CHECK(json::parse(calibra::to_json(r.decision_study, t)) == whole["decision_study"]);
  CHECK(json::parse(calibra::validation_to_json(r.levels, t)) == whole["matrix_validation"]);
  CHECK(json::parse(calibra::to_json(r.team, r.manager_teams, t)) == whole["team"]);
  CHECK(json::parse(calibra::to_json(r.development, t)) == whole["development_plans"]);
  // The per-analysis ratee writers carry the fields the merged `ratees`
  // section joins per ratee: check a ratee's level and readiness agree.
  const json levels = json::parse(calibra::to_json(r.levels, t));
  const json readiness = json::parse(calibra::to_json(r.readiness, t));
  const json& first = whole["ratees"]["ratees"][0];
  CHECK(levels["ratees"][0]["ratee"] == first["ratee"]);
  CHECK(levels["ratees"][0]["inferred_level"] == first["inferred_level"]);
  CHECK(readiness["ratees"][0]["readiness"] == first["readiness"]);
  const json patterns = json::parse(calibra::to_json(r.patterns, t));
  CHECK(patterns["ratees"][0]["archetype"] == first["archetype"]);
  CHECK(json::parse(calibra::to_json(r.team, t))["team"] == "all");
}
