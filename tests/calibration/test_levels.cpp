// Level inference, matrix validation and promotion separation
// (include/calibra/calibration/levels.hpp).
//
// Expected numbers are worked out by hand in the comments, or come from
// peers run by tests/calibration/oracle_levels.py (scipy, scikit-learn, R metafor and
// pROC); none come from calibra's own output.
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include "../framework/small_framework.hpp"
#include "../support/hand_ratings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace calibra;
using namespace calibra::calibration;

namespace {

using calibra_test::scores_of;

using calibra_test::find_ratee;
using calibra_test::one_rating_each;
using calibra_test::person;

const double no_score = std::numeric_limits<double>::quiet_NaN();


std::size_t level(const framework& fw, const std::string& id) { return *fw.ladder().index_of(id); }

}  // namespace

// small_framework() expectations (competencies ti, te, si, se):
//   junior  2 2 1 1
//   mid     3 2 2 1
//   senior  3 3 3 2
//   lead    3 2 4 2   (manager track, from mid)
TEST_CASE("levels: each anchor verdict has one stable name", "[levels]") {
  CHECK(to_string(anchor_verdict::too_easy) == "too-easy");
  CHECK(to_string(anchor_verdict::too_hard) == "too-hard");
  CHECK(to_string(anchor_verdict::calibrated) == "calibrated");
  CHECK(to_string(anchor_verdict::unclear) == "unclear");
  CHECK(to_string(anchor_verdict::insufficient_data) == "insufficient-data");
  CHECK(to_string(anchor_verdict::suppressed) == "suppressed");
  CHECK(calibration::detail::anchor_verdict_names.size() == 6);
  for (const auto& [verdict, text] : calibration::detail::anchor_verdict_names)
    CHECK(parse_anchor_verdict(text) == verdict);
  CHECK_FALSE(parse_anchor_verdict("too easy"));
}

TEST_CASE("levels: inferred level, shortfalls and best fit, worked by hand", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"amy", "mid", {}}, {"ben", "junior", {}}, {"cat", "senior", {}}, {"dan", "lead", {}}});
  const auto scores = scores_of(t, {{"amy", {3.0, 2.9, 2.0, 1.5}},
                                    {"ben", {3.0, 3.0, 3.0, 2.0}},
                                    {"cat", {1.5, 1.5, 1.0, 1.0}},
                                    {"dan", {3.0, 2.0, 4.0, 2.0}}});
  level_options options;
  const auto r = infer_levels(calibration_context(t, *fw, scores).with_privacy({1}), options);
  REQUIRE(r.available);
  REQUIRE(r.ratees.size() == 4);

  // The scores have no SEs, so every competency scatters around a level's
  // row with the same variance, tau^2: the mean squared distance of the
  // scores from each ratee's own career-level row, (1.06 + 7 + 9.5 + 0) / 16
  // (amy, ben, cat, dan below).  The most probable level is then the
  // nearest row of the walk.
  const double tau2 = (1.06 + 7 + 9.5 + 0) / 16;
  CHECK(r.profile_spread == Approx(std::sqrt(tau2)));
  SECTION("amy: nearest to mid on her walk, short of senior on si and se") {
    // Tolerance 0.25: meets when score >= expectation - 0.25.
    // senior: ti 3 >= 2.75, te 2.9 >= 2.75, si 2.0 < 2.75 (short 1.0), se 1.5 < 1.75 (short 0.5).
    const auto& amy = find_ratee(r, t, "amy");
    CHECK(amy.walk == std::vector<std::size_t>{level(*fw, "junior"), level(*fw, "mid"), level(*fw, "senior")});
    CHECK(amy.inferred_level == level(*fw, "mid"));
    // P(level) ~ exp(-d^2 / (2 tau^2)) over the walk junior, mid, senior
    // (squared distances 3.06, 1.06, 1.26, below).
    const double pj = std::exp(-3.06 / (2 * tau2)), pm = std::exp(-1.06 / (2 * tau2)),
                 ps = std::exp(-1.26 / (2 * tau2));
    REQUIRE(amy.level_probabilities.size() == 3);
    CHECK(amy.level_probabilities[0] == Approx(pj / (pj + pm + ps)));
    CHECK(amy.level_probabilities[1] == Approx(pm / (pj + pm + ps)));
    CHECK(amy.level_probabilities[2] == Approx(ps / (pj + pm + ps)));
    CHECK(amy.inferred_probability == Approx(pm / (pj + pm + ps)));
    CHECK(amy.next_level == level(*fw, "senior"));
    REQUIRE(amy.shortfalls.size() == 2);
    CHECK(amy.shortfalls[0].competency == 2);
    CHECK(amy.shortfalls[0].expected == 3);
    CHECK(amy.shortfalls[0].shortfall == Approx(1.0));
    CHECK(amy.shortfalls[1].competency == 3);
    CHECK(amy.shortfalls[1].shortfall == Approx(0.5));
    // Squared distances: junior 1+0.81+1+0.25 = 3.06, mid 0+0.81+0+0.25 = 1.06,
    // senior 0+0.01+1+0.25 = 1.26, lead 0+0.81+4+0.25 = 5.06 -> mid, sqrt(1.06/4).
    CHECK(amy.best_fit_level == level(*fw, "mid"));
    CHECK(amy.best_fit_distance == Approx(std::sqrt(1.06 / 4)));
    CHECK(amy.inferred_vs_actual == 0);
    // Readiness index against senior: mean(0, -0.1, -1, -0.5) = -0.4.
    CHECK(amy.promotion_target == level(*fw, "senior"));
    CHECK(amy.readiness_index == Approx(-0.4));
    CHECK(amy.scored == 4);
  }
  SECTION("ben: a junior whose scores are the top of the IC track") {
    const auto& ben = find_ratee(r, t, "ben");
    CHECK(ben.inferred_level == level(*fw, "senior"));
    CHECK_FALSE(ben.next_level);
    CHECK(ben.shortfalls.empty());
    CHECK(ben.best_fit_level == level(*fw, "senior"));
    CHECK(ben.best_fit_distance == Approx(0.0));
    CHECK(ben.inferred_vs_actual == 1);
    // Against mid: mean(0, 1, 1, 1) = 0.75.
    CHECK(ben.readiness_index == Approx(0.75));
  }
  SECTION("cat: a senior whose scores sit at the bottom of the ladder") {
    // Squared distances: junior 0.25+0.25+0+0 = 0.5, mid 2.25+0.25+1+0 = 3.5,
    // senior 2.25+2.25+4+1 = 9.5: junior.  Against mid (3 2 2 1): ti short
    // by 1.5, si by 1.0, te by 0.5; se 1 >= 0.75 is met.
    const auto& cat = find_ratee(r, t, "cat");
    CHECK(cat.inferred_level == level(*fw, "junior"));
    CHECK(cat.next_level == level(*fw, "mid"));
    REQUIRE(cat.shortfalls.size() == 3);
    CHECK(cat.shortfalls[0].competency == 0);
    CHECK(cat.shortfalls[0].shortfall == Approx(1.5));
    CHECK(cat.shortfalls[1].competency == 2);
    CHECK(cat.shortfalls[1].shortfall == Approx(1.0));
    CHECK(cat.shortfalls[2].competency == 1);
    CHECK(cat.shortfalls[2].shortfall == Approx(0.5));
    CHECK(cat.best_fit_level == level(*fw, "junior"));
    CHECK(cat.best_fit_distance == Approx(std::sqrt(0.5 / 4)));
    CHECK(cat.inferred_vs_actual == -1);
    CHECK_FALSE(cat.promotion_target);  // senior is the top of the IC track
    CHECK(std::isnan(cat.readiness_index));
  }
  SECTION("dan: the manager track walks junior, mid, lead") {
    const auto& dan = find_ratee(r, t, "dan");
    CHECK(dan.walk == std::vector<std::size_t>{level(*fw, "junior"), level(*fw, "mid"), level(*fw, "lead")});
    CHECK(dan.inferred_level == level(*fw, "lead"));
    CHECK(dan.best_fit_level == level(*fw, "lead"));
    CHECK(dan.inferred_vs_actual == 0);
  }
}

TEST_CASE("levels: unscored competencies are left out or count as unmet", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"eve", {}, {}}});
  const auto scores = scores_of(t, {{"eve", {2.0, no_score, no_score, no_score}}});
  SECTION("left out (default): judged on ti alone") {
    // ti = 2 is junior's expectation exactly: distance 0, so tau^2 = 0 and,
    // with no SEs, junior has all the probability.  Against mid: 2 < 2.75,
    // shortfall 3 - 2 = 1.
    const auto r = infer_levels({t, *fw, scores});
    const auto& eve = r.ratees.at(0);
    CHECK_FALSE(eve.career_level);
    CHECK(eve.walk.size() == 3);  // no career level: the IC chain
    CHECK(eve.inferred_level == level(*fw, "junior"));
    CHECK(eve.level_probabilities == std::vector<double>{1.0, 0.0, 0.0});
    REQUIRE(eve.shortfalls.size() == 1);
    CHECK(eve.shortfalls[0].shortfall == Approx(1.0));
    CHECK(eve.scored == 1);
    CHECK_FALSE(eve.inferred_vs_actual);
    // Best fit on ti alone: junior |2-2| = 0.
    CHECK(eve.best_fit_level == level(*fw, "junior"));
    CHECK(eve.best_fit_distance == Approx(0.0));
  }
  SECTION("counted as unmet: listed among the shortfalls, last") {
    level_options options;
    options.unscored_counts_as_unmet = true;
    const auto r = infer_levels({t, *fw, scores}, options);
    const auto& eve = r.ratees.at(0);
    CHECK(eve.inferred_level == level(*fw, "junior"));
    CHECK(eve.next_level == level(*fw, "mid"));
    REQUIRE(eve.shortfalls.size() == 4);  // ti, then te, si, se unscored
    CHECK(eve.shortfalls[0].shortfall == Approx(1.0));
    CHECK(std::isnan(eve.shortfalls[1].score));
    CHECK(std::isnan(eve.shortfalls[3].shortfall));
  }
  SECTION("no career level anywhere: matrix validation unavailable") {
    const auto r = infer_levels({t, *fw, scores});
    CHECK_FALSE(r.validation.available);
    CHECK(r.validation.reason.find("career level") != std::string::npos);
    CHECK_FALSE(r.separation.available);
    CHECK(r.separation.reason.find("outcome") != std::string::npos);
  }
}

// Five mid ratees and two juniors; peers: tests/calibration/oracle_levels.py
// (scipy.stats.ttest_1samp confidence intervals).
TEST_CASE("levels: matrix validation against actual career levels", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"m1", "mid", {}}, {"m2", "mid", {}}, {"m3", "mid", {}}, {"m4", "mid", {}},
                               {"m5", "mid", {}}, {"j1", "junior", {}}, {"j2", "junior", {}}});
  const auto scores = scores_of(t, {{"m1", {4.0, 2.0, 1.0, 1.0}},
                                    {"m2", {3.8, 2.5, 1.2, 1.5}},
                                    {"m3", {4.0, 1.5, 1.0, 1.0}},
                                    {"m4", {3.6, 2.2, 1.4, 1.0}},
                                    {"m5", {3.9, 1.8, 1.3, 1.2}},
                                    {"j1", {2.0, 2.0, 1.0, 1.0}},
                                    {"j2", {3.0, 3.0, 1.0, 2.0}}});
  level_options options;  // min_group 4, confidence 0.95, threshold 0.5
  const auto r = infer_levels({t, *fw, scores}, options);
  const auto& v = r.validation;
  REQUIRE(v.available);

  SECTION("per competency, over all seven ratees, with verdicts") {
    REQUIRE(v.competencies.size() == 4);
    const auto& ti = v.competencies[0];
    CHECK(ti.expectation_gap.n_ratees == 7);
    CHECK(ti.expectation_gap.mean == Approx(0.757142857142857));
    CHECK(ti.expectation_gap.sd == Approx(0.364495737776374));
    CHECK(ti.expectation_gap.ci_low == Approx(0.420040524104535));
    CHECK(ti.expectation_gap.ci_high == Approx(1.09424519018118));
    CHECK(ti.verdict == anchor_verdict::too_easy);
    CHECK(v.competencies[1].verdict == anchor_verdict::calibrated);  // te: mean 0.143
    const auto& si = v.competencies[2];
    CHECK(si.expectation_gap.mean == Approx(-0.585714285714286));
    CHECK(si.expectation_gap.ci_low == Approx(-0.979647087054393));
    CHECK(si.expectation_gap.ci_high == Approx(-0.191781484374179));
    CHECK(si.verdict == anchor_verdict::too_hard);
    CHECK(v.competencies[3].verdict == anchor_verdict::calibrated);  // se: mean 0.243 < 0.5
  }
  SECTION("a large mean whose interval includes zero is unclear") {
    options.verdict_threshold = 0.2;  // se: mean 0.243, CI (-0.111, 0.596)
    const auto r2 = infer_levels({t, *fw, scores}, options);
    CHECK(r2.validation.competencies[3].verdict == anchor_verdict::unclear);
    CHECK(r2.validation.competencies[3].expectation_gap.ci_low == Approx(-0.110756363239136));
  }
  SECTION("cells per competency and career level; the two juniors are suppressed") {
    // Cells are competency-major: (ti, junior), (ti, mid), (te, junior), ...
    REQUIRE(v.cells.size() == 8);
    const auto& ti_junior = v.cells[0];
    CHECK(ti_junior.career_level == level(*fw, "junior"));
    CHECK(ti_junior.expectation_gap.n_ratees == 2);
    CHECK(ti_junior.expectation_gap.suppressed);
    CHECK(std::isnan(ti_junior.expectation_gap.mean));
    CHECK(ti_junior.expectation_gap.note == "suppressed: 2 ratees, fewer than the minimum group of 4");
    const auto& si_mid = v.cells[5];
    CHECK(si_mid.competency == 2);
    CHECK(si_mid.career_level == level(*fw, "mid"));
    CHECK_FALSE(si_mid.expectation_gap.suppressed);
    CHECK(si_mid.expectation_gap.mean == Approx(-0.82));
    CHECK(si_mid.expectation_gap.ci_low == Approx(-1.04211560841582));
    CHECK(si_mid.expectation_gap.ci_high == Approx(-0.597884391584176));
  }
  SECTION("per career level: mean gap per ratee and inferred vs actual") {
    // No SEs: each ratee's nearest row of the IC walk.  Squared distances
    // to junior / mid / senior: m1 4 / 2 / 7, m2 3.78 / 1.78 / 4.38, m3
    // 4.25 / 2.25 / 7.25, m4 2.76 / 0.76 / 3.56, m5 3.78 / 1.38 / 4.38: all
    // five mid.  j1 0 / 3 / 10: junior; j2 3 / 3 / 4, a tie that goes to
    // the lower level, junior.  Everyone is inferred at their own level.
    REQUIRE(v.career_levels.size() == 2);
    const auto& junior = v.career_levels[0];
    CHECK(junior.expectation_gap.suppressed);
    CHECK(std::isnan(junior.share_equal));
    const auto& mid = v.career_levels[1];
    CHECK(mid.expectation_gap.n_ratees == 5);
    CHECK(mid.expectation_gap.mean == Approx(0.045));
    CHECK(mid.expectation_gap.ci_low == Approx(-0.122739569246333));
    CHECK(mid.share_below == Approx(0.0));
    CHECK(mid.share_equal == Approx(1.0));
    CHECK(mid.share_above == Approx(0.0));
    CHECK(v.overall.expectation_gap.n_ratees == 7);
    CHECK(v.overall.expectation_gap.mean == Approx(0.139285714285714));
    CHECK(v.overall.expectation_gap.ci_high == Approx(0.408875058044375));
    CHECK(v.overall.share_below == Approx(0.0));
    CHECK(v.overall.share_equal == Approx(1.0));
    CHECK(v.overall.share_above == Approx(0.0));
  }
  SECTION("min_group 1 shows every cell") {
    const auto r2 = infer_levels(calibration_context(t, *fw, scores).with_privacy({1}), options);
    CHECK_FALSE(r2.validation.cells[0].expectation_gap.suppressed);
    CHECK(r2.validation.cells[0].expectation_gap.mean == Approx(0.5));  // ti at junior: gaps 0 and 1
  }
}

// Readiness indices x are planted by scoring juniors at (3+x, 2+x, 2+x, 1+x):
// the mean gap to mid's expectations (3, 2, 2, 1) is x.  Peers:
// tests/calibration/oracle_levels.py (R metafor::escalc SMD, R pROC DeLong,
// sklearn roc_auc_score, scipy mannwhitneyu).
TEST_CASE("levels: promotion separation, Hedges' g and AUC against peers", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const std::vector<double> promoted{0.3, 0.1, -0.2, 0.5, 0.0, 0.25};
  const std::vector<double> not_promoted{-0.4, -0.1, -0.6, 0.1, -0.3};
  std::vector<person> people;
  std::map<std::string, calibra_test::scored_row> rows;
  const auto add = [&](const std::vector<double>& xs, promotion_outcome o, const std::string& prefix) {
    for (std::size_t k = 0; k < xs.size(); ++k) {
      const std::string name = prefix + std::to_string(k);
      people.push_back({name, "junior", o});
      rows.insert_or_assign(name, calibra_test::scored_row{3 + xs[k], 2 + xs[k], 2 + xs[k], 1 + xs[k]});
    }
  };
  add(promoted, promotion_outcome::promoted, "p");
  add(not_promoted, promotion_outcome::not_promoted, "n");
  people.push_back({"top", "senior", promotion_outcome::not_promoted});  // no next level: left out
  rows.insert_or_assign("top", calibra_test::scored_row{3, 3, 3, 2});
  const auto t = one_rating_each(fw, people);
  const auto scores = scores_of(t, rows);

  SECTION("effect sizes") {
    const auto s = infer_levels({t, *fw, scores}).separation;
    REQUIRE(s.available);
    CHECK_FALSE(s.suppressed);
    CHECK(s.n_promoted == 6);
    CHECK(s.n_not_promoted == 5);
    CHECK(s.mean_promoted == Approx(0.158333333333333));
    CHECK(s.mean_not_promoted == Approx(-0.26));
    CHECK(s.sd_promoted == Approx(0.245798020062544));
    CHECK(s.sd_not_promoted == Approx(0.270185121722126));
    // metafor: g = 1.48801321085797, vi = 0.467311362834296, CI (0.148178..., 2.827848...)
    CHECK(s.hedges_g == Approx(1.48801321085797).epsilon(1e-10));
    CHECK(s.g_se == Approx(0.683601757483329).epsilon(1e-10));
    CHECK(s.g_ci_low == Approx(0.14817838642236).epsilon(1e-9));
    CHECK(s.g_ci_high == Approx(2.82784803529358).epsilon(1e-10));
    // sklearn / scipy: AUC 0.883333...; pROC DeLong var 0.0109444..., CI (0.678290..., 1)
    CHECK(s.auc == Approx(0.883333333333333).epsilon(1e-12));
    CHECK(s.auc_se == Approx(std::sqrt(0.0109444444444444)).epsilon(1e-10));
    CHECK(s.auc_ci_low == Approx(0.678290331383235).epsilon(1e-10));
    CHECK(s.auc_ci_high == 1.0);
  }
  SECTION("suppressed when a group is smaller than min_group") {
    const auto s = infer_levels(calibration_context(t, *fw, scores).with_privacy({6})).separation;
    CHECK(s.available);
    CHECK(s.suppressed);
    CHECK(std::isnan(s.hedges_g));
    CHECK(std::isnan(s.auc));
    CHECK(s.note.find("5 ratees") != std::string::npos);
  }
}

TEST_CASE("levels: promotion separation needs both outcomes", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"a", "junior", promotion_outcome::promoted}, {"b", "junior", promotion_outcome::promoted}});
  const auto scores = scores_of(t, {{"a", {2, 2, 1, 1}}, {"b", {3, 2, 2, 1}}});
  const auto s = infer_levels({t, *fw, scores}).separation;
  CHECK_FALSE(s.available);
  CHECK(s.reason.find("promoted") != std::string::npos);
}

TEST_CASE("levels: bad options and mismatched inputs throw invalid_argument", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"a", "junior", {}}});
  const auto scores = scores_of(t, {{"a", {2, 2, 1, 1}}});
  const auto throws = [&](level_options o) { CHECK_THROWS_AS(infer_levels({t, *fw, scores}, o), calibra::invalid_argument); };
  level_options o;
  o.tolerance = -0.1;
  throws(o);
  o = {};
  o.tolerance = 1.0;
  throws(o);
  o = {};
  o.confidence = 1.0;
  throws(o);
  o = {};
  o.verdict_threshold = 0;
  throws(o);
  CHECK_THROWS_AS(calibration_context(t, *fw, scores).with_privacy({0}), calibra::invalid_argument);
  CHECK_THROWS_AS(calibration_context(t, *fw, scores).with_period(7), calibra::invalid_argument);

  competency_scores wrong = scores;
  wrong.value.conservativeResize(1, 3);
  CHECK_THROWS_AS(infer_levels({t, *fw, wrong}), calibra::invalid_argument);
  wrong = scores;
  wrong.ratees = {5};
  CHECK_THROWS_AS(infer_levels({t, *fw, wrong}), calibra::invalid_argument);
  wrong = scores;
  wrong.period = 0;
  CHECK_NOTHROW(infer_levels(calibration_context(t, *fw, wrong).with_period(0)));
  const auto builtin = std::make_shared<const framework>(builtin_framework());
  CHECK_THROWS_WITH(infer_levels({t, *builtin, scores}), Catch::Contains("12 competencies"));
}

TEST_CASE("levels: no scores at all is unavailable, not an error", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"a", "junior", {}}});
  competency_scores empty;
  empty.value.resize(0, 4);
  const auto r = infer_levels({t, *fw, empty});
  CHECK_FALSE(r.available);
  CHECK_FALSE(r.validation.available);
  CHECK_FALSE(r.separation.available);
}

// Planted truth: the simulated ratees' proficiency is their career level's
// expectations plus noise, and promotions go to those above the next
// level's bar.  Observed scores should recover both.
TEST_CASE("levels: planted truth on the simulated example data", "[levels]") {
  const auto sim = simulate_ratings(builtin_framework(), example_simulation_config());
  const auto& t = sim.table;
  const auto& fw = t.framework();
  // The severity model's fair scores in the latest period: the path
  // calibrate() takes.
  const auto fit = fit_severity(t);
  REQUIRE(fit.available);
  const auto scores = fit.fair_scores(t);
  const auto r = infer_levels({t, scores});
  REQUIRE(r.ratees.size() == sim.truth.ratees.size());
  for (const auto& x : r.ratees) {
    // The level probabilities sum to 1, and the inferred level is the most
    // probable one.
    double sum = 0;
    for (double p : x.level_probabilities) sum += p;
    CHECK(sum == Approx(1.0).margin(1e-9));
    REQUIRE(x.level_probabilities.size() == x.walk.size());
    REQUIRE(x.inferred_level);
    const auto mode = std::max_element(x.level_probabilities.begin(), x.level_probabilities.end());
    CHECK(x.walk[static_cast<std::size_t>(mode - x.level_probabilities.begin())] == *x.inferred_level);
  }

  // Most best-fit levels are within one rank of the true career level.
  std::size_t within_one = 0;
  for (const auto& x : r.ratees) {
    const auto at = std::find(sim.truth.ratees.begin(), sim.truth.ratees.end(), t.ratees()[x.ratee]);
    REQUIRE(at != sim.truth.ratees.end());
    const std::size_t truth = sim.truth.ratee_career_level[static_cast<std::size_t>(at - sim.truth.ratees.begin())];
    CHECK(x.career_level == truth);
    REQUIRE(x.best_fit_level);
    const int diff = fw.ladder().career_levels()[*x.best_fit_level].rank - fw.ladder().career_levels()[truth].rank;
    within_one += std::abs(diff) <= 1;
  }
  CHECK(within_one >= r.ratees.size() * 8 / 10);

  // The inferred level rises with the true career level along the IC
  // track: mean inferred rank per true rank.
  std::map<int, std::pair<double, int>> inferred_by_rank;
  for (const auto& x : r.ratees) {
    if (fw.ladder().career_levels()[*x.career_level].track != track::ic) continue;
    auto& [sum, n] = inferred_by_rank[fw.ladder().career_levels()[*x.career_level].rank];
    sum += x.inferred_level ? fw.ladder().career_levels()[*x.inferred_level].rank : 0;
    ++n;
  }
  double previous = -1;
  for (const auto& [rank, acc] : inferred_by_rank) {
    const double mean = acc.first / acc.second;
    INFO("true rank " << rank << ": mean inferred rank " << mean);
    CHECK(mean > previous);
    previous = mean;
  }

  // Nobody at the top two ranks (principal and group PM) is inferred at the
  // bottom rung of the ladder or below it: the generator places everyone at
  // or above their own level's expectations, give or take their offsets.
  for (const auto& x : r.ratees) {
    if (fw.ladder().career_levels()[*x.career_level].rank < 4) continue;
    INFO(t.ratees()[x.ratee]);
    REQUIRE(x.inferred_level);
    CHECK(fw.ladder().career_levels()[*x.inferred_level].rank > 1);
  }

  // Outcomes separate in the planted direction.
  const auto& s = r.separation;
  REQUIRE(s.available);
  CHECK_FALSE(s.suppressed);
  CHECK(s.n_promoted + s.n_not_promoted == 30);  // every ratee but the 10 at the tops of the tracks
  CHECK(s.hedges_g > 0.8);
  CHECK(s.g_ci_low > 0);
  CHECK(s.auc > 0.75);
}

TEST_CASE("levels: the SEs weigh each competency in the level probabilities", "[levels]") {
  // small_framework(): junior (2 2 1 1), mid (3 2 2 1), senior (3 3 3 2).
  // One junior scores (1.6, 3, 3, 2).  Squared distances to the walk's rows:
  // junior 0.16 + 1 + 4 + 1 = 6.16, mid 1.96 + 1 + 1 + 1 = 4.96, senior
  // 1.96 + 0 + 0 + 0 = 1.96.  ti = 1.6 misses even junior's 1.75, yet the
  // profile as a whole is senior's.
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = one_rating_each(fw, {{"amy", "junior", {}}});
  const auto fit = [&](std::vector<double> se) {
    const auto scores = calibra_test::scores_of(t, {{"amy", calibra_test::scored_row{{1.6, 3.0, 3.0, 2.0}, se}}});
    return infer_levels({t, *fw, scores});
  };
  SECTION("equal SEs: tau^2 + se^2 is the mean squared distance from junior's row") {
    const auto r = fit({0.3, 0.3, 0.3, 0.3});
    const double variance = 6.16 / 4;  // tau^2 = 6.16 / 4 - 0.09, plus se^2
    CHECK(r.profile_spread == Approx(std::sqrt(6.16 / 4 - 0.09)));
    const auto& amy = r.ratees.at(0);
    const double pj = std::exp(-6.16 / (2 * variance)), pm = std::exp(-4.96 / (2 * variance)),
                 ps = std::exp(-1.96 / (2 * variance));
    CHECK(amy.inferred_level == fw->ladder().index_of("senior"));
    CHECK(amy.inferred_probability == Approx(ps / (pj + pm + ps)));
    CHECK(amy.level_probabilities[0] == Approx(pj / (pj + pm + ps)));
    CHECK_FALSE(amy.next_level);  // senior is the top of the IC walk
    CHECK(amy.best_fit_level == fw->ladder().index_of("senior"));
  }
  SECTION("a precise ti outweighs three vague competencies") {
    // se (0.05, 1.2, 1.2, 1.2): tau^2 = 6.16 / 4 - (0.0025 + 3 x 1.44) / 4
    // = 0.459375.  ti's variance is 0.0025 + tau^2, the others' 1.44 +
    // tau^2; the weighted distances: junior 0.16 / 0.461875 + 6 / 1.899375
    // = 3.505, senior 1.96 / 0.461875 = 4.244, mid 4.244 + 3 / 1.899375 =
    // 5.823: now junior is the most probable.
    const auto r = fit({0.05, 1.2, 1.2, 1.2});
    const double tau2 = 6.16 / 4 - (0.0025 + 3 * 1.44) / 4;
    CHECK(r.profile_spread == Approx(std::sqrt(tau2)));
    const double v_ti = 0.0025 + tau2, v_rest = 1.44 + tau2;
    const double dj = 0.16 / v_ti + 6 / v_rest, dm = 1.96 / v_ti + 3 / v_rest, ds = 1.96 / v_ti;
    const double pj = std::exp(-dj / 2), pm = std::exp(-dm / 2), ps = std::exp(-ds / 2);
    const auto& amy = r.ratees.at(0);
    CHECK(amy.inferred_level == fw->ladder().index_of("junior"));
    CHECK(amy.level_probabilities[0] == Approx(pj / (pj + pm + ps)));
    CHECK(amy.level_probabilities[1] == Approx(pm / (pj + pm + ps)).margin(1e-12));
    CHECK(amy.level_probabilities[2] == Approx(ps / (pj + pm + ps)).margin(1e-12));
    CHECK(amy.next_level == fw->ladder().index_of("mid"));
  }
}
