// JSON of the agreement analyses: sections with flat records, names
// instead of ids, null for NaN, and the suppression marker.
#include "../../src/io/json_agreement_analyses.hpp"

#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/drift.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace calibra::calibration;
using calibra::io::detail::to_json_value;
using json = nlohmann::ordered_json;

namespace {

using calibra_test::builtin;

using row = calibra_test::text_row;
using calibra_test::table_from_text;

/// Every element of `records` is an object of scalars (what a DataFrame takes).
void check_flat(const json& records) {
  REQUIRE(records.is_array());
  for (const json& record : records) {
    REQUIRE(record.is_object());
    for (const auto& [key, value] : record.items()) {
      INFO(key);
      CHECK_FALSE(value.is_object());
      CHECK_FALSE(value.is_array());
    }
  }
}

/// Five ratees on product-delivery, three on product-quality (suppressed).
ratings_table anchors_table() {
  return table_from_text({
      {"a", "m1", "manager", "product-delivery", 3, "2026Q1"}, {"a", "m2", "panel", "product-delivery", 3, "2026Q1"},
      {"b", "m1", "manager", "product-delivery", 2, "2026Q1"}, {"b", "m2", "panel", "product-delivery", 4, "2026Q1"},
      {"c", "m1", "manager", "product-delivery", 4, "2026Q1"}, {"c", "m2", "panel", "product-delivery", 3, "2026Q1"},
      {"d", "m2", "manager", "product-delivery", 1, "2026Q1"}, {"d", "m3", "panel", "product-delivery", 3, "2026Q1"},
      {"e", "m1", "manager", "product-delivery", 2, "2026Q1"}, {"e", "m3", "panel", "product-delivery", 2, "2026Q1"},
      {"a", "m1", "manager", "product-quality", 3, "2026Q1"},  {"a", "m2", "panel", "product-quality", 4, "2026Q1"},
      {"b", "m1", "manager", "product-quality", 2, "2026Q1"},  {"b", "m2", "panel", "product-quality", 2, "2026Q1"},
      {"c", "m1", "manager", "product-quality", 1, "2026Q1"},  {"c", "m2", "panel", "product-quality", 4, "2026Q1"},
  });
}

}  // namespace

TEST_CASE("json: agreement and competencies sections", "[json_agreement_analyses]") {
  const ratings_table t = anchors_table();
  anchors_options o;
  o.min_units = 5;
  const anchors_result r = analyse_anchors(t, o);
  const json both = to_json_value(r, t);
  REQUIRE(both.contains("agreement"));
  REQUIRE(both.contains("competencies"));

  const json& agreement = both["agreement"];
  CHECK(agreement["available"] == true);
  CHECK(agreement["reason"].is_null());
  CHECK(agreement["period"].is_null());  // every period pooled
  CHECK(agreement["n_units"] == 8);
  CHECK(agreement["n_ratees"] == 5);
  CHECK(agreement["divergent_units"] == 3);  // b, d on delivery; c on quality
  CHECK(agreement["within_one"].get<double>() == Approx(5.0 / 8.0));
  CHECK(agreement["suppressed"] == false);
  CHECK(agreement["note"].is_null());
  check_flat(agreement["statistics"]);
  REQUIRE(agreement["statistics"].size() == 4);
  CHECK(agreement["statistics"][0]["statistic"] == "krippendorff_alpha_ordinal");
  CHECK(agreement["statistics"][3]["value"].get<double>() == Approx(5.0 / 8.0));

  const json& comps = both["competencies"];
  check_flat(comps["competencies"]);
  REQUIRE(comps["competencies"].size() == 12);
  const json& pd = comps["competencies"][1];
  CHECK(pd["competency"] == "product-delivery");
  CHECK(pd["n_units"] == 5);
  CHECK(pd["needs_rewrite"] == true);
  CHECK(pd["needs_rewrite"].is_boolean());
  CHECK(pd["within_one"].get<double>() == Approx(0.6));
  // AC2, ordinal weights (1, .9, .7, .4, 0): pa = (1 + .7 + .9 + .7 + 1)/5 = .86,
  // pi = (.1, .3, .4, .2, 0), pe = 18/20 * .7 = .63: (.86 - .63)/(1 - .63) = 23/37.
  CHECK(pd["gwet_ac2"].get<double>() == Approx(23.0 / 37.0));
  CHECK(pd["rewrite_reason"].get<std::string>().find("2 of 5 rater pairs (0.400)") != std::string::npos);  // two raters per unit: one pair each
  CHECK(pd["pair_divergent_share"].get<double>() == Approx(0.4));
  const json& pq = comps["competencies"][2];
  CHECK(pq["competency"] == "product-quality");
  CHECK(pq["suppressed"] == true);
  CHECK(pq["alpha"].is_null());
  CHECK(pq["divergent_units"].is_null());
  CHECK(pq["needs_rewrite"] == false);
  CHECK(pq["note"].get<std::string>().find("fewer than the minimum group of 4") != std::string::npos);
  const json& unrated = comps["competencies"][11];
  CHECK(unrated["n_units"] == 0);
  CHECK(unrated["alpha"].is_null());

  check_flat(comps["examples"]);
  REQUIRE(comps["examples"].size() == 2);
  CHECK(comps["examples"][0]["ratee"] == "b");
  CHECK(comps["examples"][0]["period"] == "2026Q1");
  CHECK(comps["examples"][0]["levels"] == "m1=2, m2=4");
  CHECK(comps["examples"][0]["min_level"] == 2);
  CHECK(comps["examples"][0]["max_level"] == 4);
  check_flat(comps["example_ratings"]);
  CHECK(comps["example_ratings"].size() == 4);
  CHECK(comps["example_ratings"][0]["level_id"] == "developing");
  check_flat(comps["raters"]);
  CHECK(comps["raters"][0]["rater"] == "m2");
  CHECK(comps["raters"][0]["divergent_units"] == 2);
}

TEST_CASE("json: agreement when nothing can be measured", "[json_agreement_analyses]") {
  const ratings_table t = table_from_text({{"a", "a", "self", "product-delivery", 3, "2026Q1"}});
  const json both = to_json_value(analyse_anchors(t), t);
  CHECK(both["agreement"]["available"] == false);
  CHECK(both["agreement"]["reason"].is_string());
  CHECK(both["agreement"]["alpha"].is_null());
  CHECK(both["agreement"]["statistics"].empty());
  CHECK(both["competencies"]["competencies"].size() == 12);
}

TEST_CASE("json: self_vs_manager section", "[json_agreement_analyses]") {
  const ratings_table t = table_from_text({
      {"a", "a", "self", "product-delivery", 4, "2026Q1"}, {"a", "m1", "manager", "product-delivery", 3, "2026Q1"},
      {"b", "b", "self", "product-delivery", 3, "2026Q1"}, {"b", "m1", "manager", "product-delivery", 3, "2026Q1"},
      {"c", "c", "self", "product-delivery", 5, "2026Q1"}, {"c", "m1", "manager", "product-delivery", 3, "2026Q1"},
      {"d", "d", "self", "product-delivery", 2, "2026Q1"}, {"d", "m2", "manager", "product-delivery", 3, "2026Q1"},
      {"a", "a", "self", "managing-up", 1, "2026Q1"},      {"a", "m1", "manager", "managing-up", 4, "2026Q1"},
  });
  const json s = to_json_value(analyse_self_assessment(t), t);
  CHECK(s["available"] == true);
  CHECK(s["period"] == "2026Q1");
  check_flat(s["gaps"]);
  REQUIRE(s["gaps"].size() == 5);
  CHECK(s["gaps"][0]["ratee"] == "a");
  CHECK(s["gaps"][0]["competency"] == "product-delivery");
  CHECK(s["gaps"][0]["gap"] == 1.0);
  check_flat(s["inflation"]);
  // product-delivery gaps 1, 0, 2, -1: mean 0.5 over 4 ratees (shown); managing-up: 1 ratee (suppressed).
  CHECK(s["inflation"][1]["competency"] == "product-delivery");
  CHECK(s["inflation"][1]["mean_gap"].get<double>() == Approx(0.5));
  CHECK(s["inflation"][1]["direction"] == "none");
  CHECK(s["inflation"][11]["suppressed"] == true);
  CHECK(s["inflation"][11]["mean_gap"].is_null());
  CHECK(s["inflation"][0]["n_ratees"] == 0);
  CHECK(s["inflation"][0]["direction"].is_null());
  CHECK(s["overall"]["n_ratees"] == 4);
  check_flat(s["conversations"]);
  // a: |1| and |-3| -> 2; c 2; d 1; b 0.  Ties on 2: a has the larger single gap (3).
  CHECK(s["conversations"][0]["ratee"] == "a");
  CHECK(s["conversations"][0]["rank"] == 1);
  CHECK(s["conversations"][1]["ratee"] == "c");
  check_flat(s["topics"]);
  CHECK(s["topics"][0]["ratee"] == "a");
  CHECK(s["topics"][0]["competency"] == "managing-up");
  CHECK(s["topics"][0]["gap"] == -3.0);
}

TEST_CASE("json: drift section on the example data", "[json_agreement_analyses]") {
  const simulated_ratings sim = simulate_ratings(builtin(), example_simulation_config());
  // mgr2's visible drift is about 0.45 levels (test_drift.cpp): a 0.25-level
  // threshold makes it a flag, whose JSON shape is checked below.
  drift_options options;
  options.severity_threshold = 0.25;
  const json d = to_json_value(analyse_drift(sim.table, options), sim.table);
  CHECK(d["available"] == true);
  check_flat(d["severities"]);
  CHECK(d["severities"].size() == 24);
  CHECK(d["severities"][0]["period"] == "2026Q1");
  CHECK(d["severities"][0]["rater"].is_string());
  check_flat(d["raters"]);
  check_flat(d["agreement"]);
  CHECK(d["agreement"].size() == 4);
  CHECK(d["agreement"][0]["alpha_drop"].is_null());
  CHECK(d["agreement"][0]["best_alpha_period"].is_null());
  CHECK(d["agreement"][3]["best_alpha_period"] == "2026Q1");
  check_flat(d["flags"]);
  bool drift_flag = false, decay_flag = false;
  for (const json& f : d["flags"]) {
    if (f["flag"] == "severity-drift") {
      drift_flag = true;
      CHECK(f["rater"] == "mgr2");
      CHECK(f["detail"].get<std::string>().find("harsher") != std::string::npos);
    }
    if (f["flag"] == "calibration-decay") {
      decay_flag = true;
      CHECK(f["rater"].is_null());
    }
  }
  CHECK(drift_flag);
  CHECK(decay_flag);
  CHECK(d["calibration_decay"] == true);

  const ratings_table one = table_from_text({{"a", "m1", "manager", "product-delivery", 3, "2026Q1"}});
  const json single = to_json_value(analyse_drift(one), one);
  CHECK(single["available"] == false);
  CHECK(single["reason"].get<std::string>().find("one period only") != std::string::npos);
  CHECK(single["severities"].empty());
}

TEST_CASE("json: decision_study section", "[json_agreement_analyses]") {
  // Shrout & Fleiss (1979): components 2.5556, 5.2444, 1.0194 (psych::ICC mean squares).
  Eigen::MatrixXd sf(6, 4);
  sf << 9, 2, 5, 8, 6, 1, 3, 2, 8, 4, 6, 8, 7, 1, 2, 6, 10, 5, 6, 9, 6, 2, 4, 7;
  const ratings_table t = table_from_text({{"a", "m1", "manager", "product-delivery", 3, "2026Q1"}});
  const json j = to_json_value(decision_study(sf), t);
  CHECK(j["available"] == true);
  CHECK(j["design"] == "crossed");
  CHECK(j["balanced"] == true);
  CHECK(j["ratee_variance"].get<double>() == Approx(2.5555555555555562));
  CHECK(j["rater_variance"].get<double>() == Approx(5.2444444444444409));
  CHECK(j["raters_needed_phi"] == 10);
  check_flat(j["components"]);
  CHECK(j["components"][1]["component"] == "rater");
  CHECK(j["components"][1]["share"].get<double>() == Approx(5.2444444444444409 / 8.8194444444444446));
  check_flat(j["projection"]);
  CHECK(j["projection"].size() == 10);
  CHECK(j["projection"][3]["raters"] == 4);
  CHECK(j["projection"][3]["phi"].get<double>() == Approx(0.62005054759898925));

  const json hidden = to_json_value(decision_study(sf, {}, privacy_policy{7}), t);
  CHECK(hidden["suppressed"] == true);
  CHECK(hidden["ratee_variance"].is_null());
  CHECK(hidden["projection"][0]["g"].is_null());
  CHECK(hidden["components"][0]["variance"].is_null());
  CHECK(hidden["raters_needed_g"].is_null());
  CHECK(hidden["note"].get<std::string>().find("6 ratees") != std::string::npos);
}

TEST_CASE("json: feedback section", "[json_agreement_analyses]") {
  feedback_log log(builtin(), "hand");
  const auto add = [&](const char* ratee, const char* date, const char* comp, feedback_kind kind) {
    feedback_item i;
    i.ratee = ratee;
    i.date = *parse_date(date);
    i.competency = static_cast<std::uint32_t>(*builtin()->competency_index(comp));
    i.kind = kind;
    i.note = "n";
    log.add(i);
  };
  add("A", "2026-01-10", "product-delivery", feedback_kind::growth);
  add("A", "2026-05-10", "product-delivery", feedback_kind::growth);
  add("B", "2026-05-11", "product-delivery", feedback_kind::strength);
  const ratings_table t = table_from_text({{"a", "m1", "manager", "product-delivery", 3, "2026Q1"}});
  const json f = to_json_value(analyse_feedback(log), t);
  CHECK(f["available"] == true);
  CHECK(f["kind"].is_null());
  CHECK(f["first_quarter"] == "2026Q1");
  CHECK(f["last_quarter"] == "2026Q2");
  check_flat(f["patterns"]);
  REQUIRE(f["patterns"].size() == 2);
  CHECK(f["patterns"][0]["ratee"] == "A");
  CHECK(f["patterns"][0]["competency"] == "product-delivery");
  CHECK(f["patterns"][0]["recurring"] == true);
  CHECK(f["patterns"][0]["first"] == "2026-01-10");
  CHECK(f["patterns"][0]["slope"] == 0.0);  // 1, 1 over Q1..Q2
  CHECK(f["patterns"][0]["trend"] == "stable");
  CHECK(f["patterns"][1]["slope"].is_null());  // B: one quarter
  CHECK(f["patterns"][1]["trend"].is_null());
  check_flat(f["counts"]);
  CHECK(f["counts"].size() == 3);
  CHECK(f["counts"][1]["quarter"] == "2026Q2");
  check_flat(f["team"]);
  CHECK(f["team"][1]["suppressed"] == true);  // two ratees
  CHECK(f["team"][1]["mentions"].is_null());
  CHECK(f["team"][1]["n_ratees"] == 2);
  CHECK(f["team"][0]["suppressed"] == false);
  CHECK(f["team"][0]["mentions"] == 0);
}
