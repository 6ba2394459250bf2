// JSON of the rater network (`components`) and the severity fit (`raters`):
// flat records with names instead of ids, null for NaN.
#include "../../src/io/json_severity.hpp"

#include <calibra/calibration/severity.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

using namespace calibra::calibration;
using calibra::io::detail::to_json_value;
using json = nlohmann::ordered_json;

namespace {

std::shared_ptr<const calibra::framework> builtin() {
  static const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return fw;
}

const simulated_ratings& example() {
  static const simulated_ratings sim = simulate_ratings(builtin(), example_simulation_config());
  return sim;
}

const json* record_named(const json& records, const std::string& key, const std::string& name) {
  for (const json& r : records)
    if (r.at(key) == name) return &r;
  return nullptr;
}

/// Every record of the array has only scalar fields (or, for `flags`, an
/// array of strings).
bool flat(const json& records) {
  for (const json& r : records)
    for (const auto& [key, value] : r.items())
      if (value.is_object() || (value.is_array() && key != "flags")) return false;
  return true;
}

}  // namespace

TEST_CASE("json_severity: raters section of the example data", "[json][severity]") {
  const ratings_table& t = example().table;
  const severity_fit fit = fit_severity(t);
  const json j = to_json_value(fit, t);

  CHECK(j.at("available") == true);
  CHECK(j.at("reason").is_null());
  CHECK(j.at("se_method").get<std::string>().rfind("posterior", 0) == 0);
  CHECK(j.at("model") == "random-effects");
  CHECK(j.at("variance_components").at("rater").get<double>() == fit.rater_variance);
  CHECK(j.at("raters_judged") == 6);
  CHECK(j.at("false_discovery_rate") == 0.05);
  CHECK(j.at("raters")[0].at("judged") == true);
  CHECK(j.at("raters")[0].at("null_probability").is_number());
  // The fixed-effects model has exact SEs and no variance components.
  severity_options least_squares;
  least_squares.model = severity_model::fixed_effects;
  const json fixed = to_json_value(fit_severity(t, least_squares), t);
  CHECK(fixed.at("se_method").get<std::string>().rfind("exact", 0) == 0);
  CHECK(fixed.at("model") == "fixed-effects");
  CHECK(fixed.at("variance_components").is_null());
  CHECK(fixed.at("raters")[0].at("null_probability").is_null());
  CHECK(j.at("dof") == fit.dof);
  CHECK(j.at("n_ratings") == fit.n_ratings);
  REQUIRE(j.at("raters").size() == 6);
  CHECK(flat(j.at("raters")));

  const json* mgr1 = record_named(j.at("raters"), "rater", "mgr1");
  REQUIRE(mgr1 != nullptr);
  const rater_severity& expected = *fit.find_rater(*t.raters().find("mgr1"));
  CHECK(mgr1->at("severity").get<double>() == expected.severity);
  CHECK(mgr1->at("se").get<double>() == expected.se);
  CHECK(mgr1->at("ci_low").get<double>() == expected.ci_low);
  CHECK(mgr1->at("ci_high").get<double>() == expected.ci_high);
  CHECK(mgr1->at("component") == 0);
  CHECK(mgr1->at("flags") == json::array({"lenient"}));
  CHECK(mgr1->at("n_ratings") == expected.n_ratings);
  CHECK(mgr1->at("n_ratees") == 32);
  for (const char* field : {"mean_level", "sd_level", "pooled_sd_level", "sd_ratio", "middle_share", "levels_used",
                            "pooled_levels_used", "ratee_mean_sd", "pooled_ratee_mean_sd", "discrimination_ratio",
                            "halo_within_sd", "halo_sd_ratio", "halo_pc1_share", "fit_mean_square"})
    CHECK(mgr1->contains(field));
  CHECK(record_named(j.at("raters"), "rater", "mgr3")->at("flags") == json::array({"halo"}));
  CHECK(record_named(j.at("raters"), "rater", "mgr5")->at("component") == 1);

  REQUIRE(j.at("competency_effects").size() == 12);
  CHECK(j.at("competency_effects")[0].at("competency") == "functional-specification");
  REQUIRE(j.at("period_effects").size() == 4);
  CHECK(j.at("period_effects")[3].at("period") == "2026Q4");
  CHECK(j.at("ratee_effects").size() == 40);
  CHECK(j.at("ratee_effects")[0].at("ratee") == "pm01");
  CHECK(flat(j.at("competency_effects")));
  CHECK(flat(j.at("ratee_effects")));
}

TEST_CASE("json_severity: components section names the groups and the cross-assignments", "[json][severity]") {
  const ratings_table& t = example().table;
  const json j = to_json_value(analyse_network(t), t);
  CHECK(j.at("connected") == false);
  CHECK(j.at("n_components") == 2);
  CHECK(j.at("rater_pairs_without_shared_ratee") == 8);
  CHECK(j.at("message").get<std::string>().find("2 groups") != std::string::npos);
  REQUIRE(j.at("components").size() == 2);
  CHECK(j.at("components")[0] == json({{"component", 0}, {"raters", 4}, {"ratees", 32}, {"ratings", 3072}}));
  CHECK(j.at("components")[1] == json({{"component", 1}, {"raters", 2}, {"ratees", 8}, {"ratings", 768}}));
  CHECK(j.at("members").size() == 6 + 40);
  const json* pm03 = record_named(j.at("members"), "name", "pm03");
  REQUIRE(pm03 != nullptr);
  CHECK(pm03->at("kind") == "ratee");
  CHECK(pm03->at("component") == 1);
  REQUIRE(j.at("suggestions").size() == 2);
  CHECK(j.at("suggestions")[0].at("rater").is_string());
  CHECK(j.at("suggestions")[0].at("to_component") == 1);
  CHECK(j.at("pair_examples").size() == 8);
  CHECK(j.at("pair_examples")[0].contains("rater_1"));
  CHECK(j.at("articulation_raters").empty());
  for (const char* table : {"components", "members", "suggestions", "pair_examples"}) CHECK(flat(j.at(table)));
}

TEST_CASE("json_severity: NaN is null and an unavailable fit says why", "[json][severity]") {
  ratings_builder builder(builtin(), "tiny");
  const auto add = [&](const char* ratee, const char* rater, int level) {
    rating r;
    r.ratee = ratee;
    r.rater = rater;
    r.role = rater_role::peer;
    r.level = level;
    r.period = "2026Q1";
    builder.add(r);
  };
  add("x", "A", 3);
  add("x", "B", 4);
  const ratings_table t = builder.finish();
  const severity_fit fit = fit_severity(t);
  REQUIRE_FALSE(fit.available);
  const json j = to_json_value(fit, t);
  CHECK(j.at("available") == false);
  CHECK(j.at("reason").get<std::string>().find("cannot be fitted") != std::string::npos);
  CHECK(j.at("dof").is_null());
  CHECK(j.at("residual_sd").is_null());
  CHECK(j.at("raters").empty());

  // A lone rater (fixed effects: the random-effects model refuses one
  // rater): severity 0 by convention, no SE -> null.
  severity_options least_squares;
  least_squares.model = severity_model::fixed_effects;
  ratings_builder lone(builtin(), "lone");
  for (int k = 0; k < 6; ++k) {
    rating r;
    r.ratee = k < 3 ? "x" : "y";
    r.rater = "A";
    r.role = rater_role::peer;
    r.competency = static_cast<std::size_t>(k % 3);
    r.level = 1 + k % 3 + k / 3;
    r.period = "2026Q1";
    lone.add(r);
  }
  const ratings_table lt = lone.finish();
  const severity_fit lone_fit = fit_severity(lt, least_squares);
  INFO(lone_fit.reason);
  REQUIRE(lone_fit.available);
  const json lj = to_json_value(lone_fit, lt);
  CHECK(lj.at("raters")[0].at("se").is_null());
  CHECK(lj.at("raters")[0].at("ci_low").is_null());
  CHECK(lj.at("raters")[0].at("severity") == 0.0);
  CHECK(to_json_value(lone_fit.network, lt).at("connected") == true);
}
