// Promotion readiness (include/calibra/calibration/readiness.hpp).
//
// Expected statuses are worked out by hand below; the 80% interval uses
// z = 1.2815515655446004 (scipy.stats.norm.ppf(0.9)).
#include <calibra/calibration/readiness.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include "../framework/small_framework.hpp"
#include "../support/hand_ratings.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace calibra;
using namespace calibra::calibration;

namespace {

/// Hand-set scores, as if from two ratings per cell.
competency_scores scores_of(const ratings_table& table, const std::map<std::string, calibra_test::scored_row>& rows) {
  return calibra_test::scores_of(table, rows, 2);
}

using calibra_test::find_ratee;
using calibra_test::one_rating_each;

const double no_value = std::numeric_limits<double>::quiet_NaN();



}  // namespace

// small_framework(): mid -> senior raises te 2->3, si 2->3, se 1->2;
// mid -> lead raises si 2->4, se 1->2.  Thresholds (tolerance 0.25):
// senior te 2.75, si 2.75, se 1.75; lead si 3.75, se 1.75.
TEST_CASE("readiness: statuses, verdicts and summaries have one stable name each", "[readiness]") {
  CHECK(to_string(promotion_gap_status::met) == "met");
  CHECK(to_string(promotion_gap_status::unmet) == "unmet");
  CHECK(to_string(promotion_gap_status::uncertain) == "uncertain");
  CHECK(to_string(readiness_verdict::ready) == "ready");
  CHECK(to_string(readiness_verdict::not_ready) == "not-ready");
  CHECK(to_string(readiness_verdict::too_uncertain) == "too-uncertain");
  CHECK(to_string(readiness_summary::no_career_level) == "no-career-level");
  CHECK(to_string(readiness_summary::top_of_ladder) == "top-of-ladder");
  for (const auto& [status, text] : calibration::detail::promotion_gap_status_names)
    CHECK(parse_promotion_gap_status(text) == status);
  for (const auto& [verdict, text] : calibration::detail::readiness_verdict_names) {
    CHECK(parse_readiness_verdict(text) == verdict);
    // A verdict is also a summary, spelt the same.
    const auto summary = parse_readiness_summary(text);
    REQUIRE(summary);
    CHECK(to_string(*summary) == text);
  }
  for (const auto& [summary, text] : calibration::detail::readiness_summary_names)
    CHECK(parse_readiness_summary(text) == summary);
  CHECK_FALSE(parse_readiness_verdict("no-career-level"));
}

TEST_CASE("readiness: met, unmet and uncertain from the score and its SE", "[readiness]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"amy", "mid"}, {"ben", "mid"}, {"cat", "mid"}, {"dan", "mid"}, {"ed", "mid"},
                               {"sue", "senior"}, {"joe", std::nullopt}, {"jim", "junior"}});
  const auto scores = scores_of(
      t, {{"amy", {{3, 3.2, 3.1, 1.6}, {0.1, 0.1, 0.4, 0.2}}},
          {"ben", {{3, 2.8, 2.7, 2.0}, {}}},
          {"cat", {{3, 3.5, 4.0, 2.0}, {0.1, 0.1, 0.1, 0.1}}},
          {"dan", {{3, 3.0, no_value, 2.0}, {0.1, 0.1, no_value, 0.1}}},
          {"ed", {{3, 2.0, 4.0, 2.0}, {0.1, 0.1, 0.1, 0.1}}},
          {"sue", {{3, 3, 3, 2}, {0.1, 0.1, 0.1, 0.1}}},
          {"joe", {{3, 3, 3, 2}, {0.1, 0.1, 0.1, 0.1}}},
          {"jim", {{3, 2, 2, 1}, {0.1, 0.1, 0.1, 0.1}}}});
  const auto r = assess_readiness({t, *fw, scores});
  REQUIRE(r.available);
  CHECK(r.confidence == 0.80);

  SECTION("amy: not ready for either step") {
    const auto& amy = find_ratee(r, t, "amy");
    REQUIRE(amy.steps.size() == 2);
    const auto& senior = amy.steps[0];
    CHECK(senior.step.to == *fw->ladder().index_of("senior"));
    CHECK(senior.on_track);
    REQUIRE(senior.items.size() == 3);
    // te: 3.2 +- 1.28155 * 0.1 = [3.07184, 3.32816] >= 2.75: met.
    CHECK(senior.items[0].competency == 1);
    CHECK(senior.items[0].from_level == 2);
    CHECK(senior.items[0].to_level == 3);
    CHECK(senior.items[0].threshold == Approx(2.75));
    CHECK(senior.items[0].ci_low == Approx(3.07184484344554));
    CHECK(senior.items[0].ci_high == Approx(3.3281551565544603));
    CHECK(senior.items[0].status == promotion_gap_status::met);
    // si: 3.1 +- 0.51262 = [2.58738, 3.61262] straddles 2.75: uncertain.
    CHECK(senior.items[1].ci_low == Approx(2.5873793737821598));
    CHECK(senior.items[1].status == promotion_gap_status::uncertain);
    // se: 1.6 +- 0.25631 = [1.34369, 1.85631] straddles 1.75: uncertain.
    CHECK(senior.items[2].status == promotion_gap_status::uncertain);
    CHECK(senior.met == 1);
    CHECK(senior.uncertain == 2);
    // P(all met) = Phi(4.5) Phi(0.875) Phi(-0.75) = 0.18339 <= 0.25: not ready,
    // although no single competency is clearly unmet.
    CHECK(senior.items[1].probability_met == Approx(0.8092130471).epsilon(1e-8));
    CHECK(senior.probability == Approx(0.18338918728522338).epsilon(1e-8));
    CHECK(senior.verdict == readiness_verdict::not_ready);
    const auto& lead = amy.steps[1];
    CHECK_FALSE(lead.on_track);
    // si: upper 3.61262 < 3.75: unmet.  P = Phi(-1.625) Phi(-0.75) = 0.0118.
    CHECK(lead.items[0].status == promotion_gap_status::unmet);
    CHECK(lead.probability == Approx(0.011803042462271112).epsilon(1e-8));
    CHECK(lead.verdict == readiness_verdict::not_ready);
    CHECK(amy.summary == readiness_summary::not_ready);
    CHECK(amy.summary_step == 0u);  // a tie goes to the on-track step
  }
  SECTION("ben: no SE, the point value decides") {
    const auto& ben = find_ratee(r, t, "ben");
    // senior: te 2.8 >= 2.75 met, si 2.7 < 2.75 unmet.
    CHECK(ben.steps[0].items[0].point_only);
    CHECK(ben.steps[0].items[0].status == promotion_gap_status::met);
    CHECK(ben.steps[0].items[1].status == promotion_gap_status::unmet);
    CHECK(std::isnan(ben.steps[0].items[1].ci_low));
    CHECK(ben.steps[0].verdict == readiness_verdict::not_ready);
    CHECK(ben.steps[1].verdict == readiness_verdict::not_ready);
    CHECK(ben.summary == readiness_summary::not_ready);
    CHECK(ben.summary_step == 0u);  // a tie goes to the on-track step
  }
  SECTION("cat: ready for both steps") {
    const auto& cat = find_ratee(r, t, "cat");
    CHECK(cat.steps[0].verdict == readiness_verdict::ready);
    // lead si: 4 +- 0.128 = [3.87184, 4.12816] >= 3.75.
    CHECK(cat.steps[1].items[0].ci_low == Approx(3.87184484344554));
    CHECK(cat.steps[1].verdict == readiness_verdict::ready);
    CHECK(cat.summary == readiness_summary::ready);
    CHECK(cat.summary_step == 0u);
  }
  SECTION("dan: an unscored gap competency is uncertain") {
    const auto& dan = find_ratee(r, t, "dan");
    CHECK(std::isnan(dan.steps[0].items[1].score));
    CHECK(dan.steps[0].items[1].status == promotion_gap_status::uncertain);
    CHECK(dan.steps[0].verdict == readiness_verdict::too_uncertain);
  }
  SECTION("ed: ready only for the branch off the track") {
    const auto& ed = find_ratee(r, t, "ed");
    CHECK(ed.steps[0].verdict == readiness_verdict::not_ready);
    CHECK(ed.steps[1].verdict == readiness_verdict::ready);
    CHECK(ed.summary == readiness_summary::ready);
    CHECK(ed.summary_step == 1u);
  }
  SECTION("top of the ladder, no career level, a single step") {
    CHECK(find_ratee(r, t, "sue").summary == readiness_summary::top_of_ladder);
    CHECK(find_ratee(r, t, "sue").steps.empty());
    CHECK(find_ratee(r, t, "joe").summary == readiness_summary::no_career_level);
    const auto& jim = find_ratee(r, t, "jim");
    REQUIRE(jim.steps.size() == 1);
    // junior -> mid raises ti 2->3 and si 1->2; jim sits exactly on mid.
    CHECK(jim.steps[0].items.size() == 2);
    CHECK(jim.summary == readiness_summary::ready);
  }
  SECTION("a wider interval turns met into uncertain") {
    readiness_options options;
    options.confidence = 0.999;  // z = 3.29: te 3.2 - 0.329 = 2.871 still met; ben unchanged
    const auto wide = assess_readiness({t, *fw, scores}, options);
    // cat's lead se: 2 - 0.329 = 1.671 < 1.75 -> uncertain now.  The verdict
    // rests on the probability, which the interval's width does not change:
    // Phi(2.5)^2 = 0.98762, ready.
    CHECK(find_ratee(wide, t, "cat").steps[1].items[1].status == promotion_gap_status::uncertain);
    CHECK(find_ratee(wide, t, "cat").steps[1].probability == Approx(0.9876192292919058).epsilon(1e-8));
    CHECK(find_ratee(wide, t, "cat").steps[1].verdict == readiness_verdict::ready);
    options.tolerance = 0;
    const auto strict = assess_readiness({t, *fw, scores}, readiness_options{0.8, 0.0});
    // ben's te 2.8 < 3 with no tolerance: unmet.
    CHECK(find_ratee(strict, t, "ben").steps[0].items[0].status == promotion_gap_status::unmet);
  }
}

TEST_CASE("readiness: unavailable data and bad options", "[readiness]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"sue", "senior"}, {"joe", std::nullopt}});
  const auto scores = scores_of(t, {{"sue", {{3, 3, 3, 2}, {}}}, {"joe", {{3, 3, 3, 2}, {}}}});
  const auto r = assess_readiness({t, *fw, scores});
  CHECK_FALSE(r.available);
  CHECK(r.reason.find("next step") != std::string::npos);
  CHECK(r.ratees.size() == 2);

  CHECK_THROWS_AS(assess_readiness({t, *fw, scores}, readiness_options{0.0, 0.25}), calibra::invalid_argument);
  CHECK_THROWS_AS(assess_readiness({t, *fw, scores}, readiness_options{1.0, 0.25}), calibra::invalid_argument);
  CHECK_THROWS_AS(assess_readiness({t, *fw, scores}, readiness_options{0.8, -1}), calibra::invalid_argument);
  CHECK_THROWS_AS(calibration_context(t, *fw, scores).with_period(3), calibra::invalid_argument);
  competency_scores bad = scores;
  bad.se.resize(2, 2);
  CHECK_THROWS_AS(assess_readiness({t, *fw, bad}), calibra::invalid_argument);
}

// Planted truth: the generator promotes a ratee when every competency the
// next step raises is met (the smallest margin over them, plus noise, above
// -0.3 levels) -- the rule readiness judges.  On the severity model's fair
// scores, the path calibrate() takes, most promoted ratees are ready or too
// uncertain to call, and no ratee it did not promote is called ready.
TEST_CASE("readiness: planted outcomes on the simulated example data", "[readiness]") {
  const auto sim = simulate_ratings(builtin_framework(), example_simulation_config());
  const auto& t = sim.table;
  const auto fit = fit_severity(t);
  REQUIRE(fit.available);
  const auto r = assess_readiness({t, fit.fair_scores(t)});
  REQUIRE(r.available);
  // outcome -> verdict -> count, and outcome -> sum of P(ready for the step judged)
  std::map<std::string, std::map<readiness_summary, int>> verdicts;
  std::map<std::string, std::pair<int, double>> probability;
  for (const auto& x : r.ratees) {
    const auto name = t.ratees()[x.ratee];
    const auto k = static_cast<std::size_t>(std::find(sim.truth.ratees.begin(), sim.truth.ratees.end(), name) -
                                            sim.truth.ratees.begin());
    const auto& outcome = sim.truth.outcome.at(k);
    if (!outcome) {
      CHECK(x.summary == readiness_summary::top_of_ladder);
      continue;
    }
    REQUIRE(x.summary_step);
    const std::string o(to_string(*outcome));
    ++verdicts[o][x.summary];
    ++probability[o].first;
    probability[o].second += x.steps[*x.summary_step].probability;
  }
  auto& promoted = verdicts["promoted"];
  auto& not_promoted = verdicts["not-promoted"];
  const int n_promoted = probability["promoted"].first;
  INFO("promoted: " << n_promoted << ", ready " << promoted[readiness_summary::ready] << ", too uncertain "
                    << promoted[readiness_summary::too_uncertain]);
  REQUIRE(n_promoted >= 3);
  CHECK(2 * (promoted[readiness_summary::ready] + promoted[readiness_summary::too_uncertain]) > n_promoted);
  CHECK(not_promoted[readiness_summary::ready] == 0);
  const auto mean_probability = [&](const char* o) { return probability[o].second / probability[o].first; };
  CHECK(mean_probability("promoted") > mean_probability("not-promoted"));
}
