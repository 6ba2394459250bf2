// Self vs manager: gaps, the conversation list and self-inflation with t
// intervals on a hand-checked table (intervals from scipy.stats.t.interval),
// privacy, unavailable data, bad options and the planted self-inflation of
// the example generator.
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace calibra::calibration;
using Catch::Matchers::Contains;

namespace {

using row = calibra_test::text_row;
using calibra_test::table_from_text;

constexpr const char* pd = "product-delivery";
constexpr const char* pq = "product-quality";
constexpr const char* fwd = "fluency-with-data";
constexpr const char* voc = "voice-of-the-customer";

/// 2026Q2 (latest), gap = self - mean manager level:
///          pd        pq        fwd       voc
///   a   4-3 = 1   3-2 = 1   2-4 = -2  3-(4+5)/2 = -1.5   (s1 skip-level ignored)
///   b   3-3 = 0   4-3 = 1   3 (no manager)
///   c   5-3 = 2   3-2 = 1
///   d   2-3 = -1  3-2 = 1
///   e   4-2 = 2   (no self)
/// 2026Q1: a pd self 1, manager 5.
std::vector<row> hand_rows() {
  return {
      {"a", "a", "self", pd, 4, "2026Q2"},  {"a", "m1", "manager", pd, 3, "2026Q2"},
      {"a", "s1", "skip-level", pd, 1, "2026Q2"},
      {"b", "b", "self", pd, 3, "2026Q2"},  {"b", "m1", "manager", pd, 3, "2026Q2"},
      {"c", "c", "self", pd, 5, "2026Q2"},  {"c", "m1", "manager", pd, 3, "2026Q2"},
      {"d", "d", "self", pd, 2, "2026Q2"},  {"d", "m2", "manager", pd, 3, "2026Q2"},
      {"e", "e", "self", pd, 4, "2026Q2"},  {"e", "m2", "manager", pd, 2, "2026Q2"},
      {"a", "a", "self", pq, 3, "2026Q2"},  {"a", "m1", "manager", pq, 2, "2026Q2"},
      {"b", "b", "self", pq, 4, "2026Q2"},  {"b", "m1", "manager", pq, 3, "2026Q2"},
      {"c", "c", "self", pq, 3, "2026Q2"},  {"c", "m1", "manager", pq, 2, "2026Q2"},
      {"d", "d", "self", pq, 3, "2026Q2"},  {"d", "m2", "manager", pq, 2, "2026Q2"},
      {"e", "m2", "manager", pq, 2, "2026Q2"},
      {"a", "a", "self", fwd, 2, "2026Q2"}, {"a", "m1", "manager", fwd, 4, "2026Q2"},
      {"b", "b", "self", fwd, 3, "2026Q2"},
      {"a", "a", "self", voc, 3, "2026Q2"}, {"a", "m1", "manager", voc, 4, "2026Q2"},
      {"a", "m2", "manager", voc, 5, "2026Q2"},
      {"a", "a", "self", pd, 1, "2026Q1"},  {"a", "m1", "manager", pd, 5, "2026Q1"},
  };
}

std::uint32_t competency(const ratings_table& t, const char* id) {
  return static_cast<std::uint32_t>(*t.framework().competency_index(id));
}

}  // namespace

TEST_CASE("self vs manager: each inflation direction has one stable name", "[self_assessment]") {
  CHECK(to_string(inflation_direction::inflated) == "inflated");
  CHECK(to_string(inflation_direction::deflated) == "deflated");
  CHECK(to_string(inflation_direction::none) == "none");
  CHECK(detail::inflation_direction_names.size() == 3);
  for (const auto& [direction, text] : detail::inflation_direction_names)
    CHECK(parse_inflation_direction(text) == direction);
  CHECK_FALSE(parse_inflation_direction(""));
}

TEST_CASE("self vs manager: gaps of a hand-checked table", "[self_assessment]") {
  const ratings_table t = table_from_text(hand_rows());
  const self_assessment_result r = analyse_self_assessment(t);
  REQUIRE(r.available);
  CHECK(t.periods()[*r.period] == "2026Q2");
  // a: pd, pq, fwd, voc; b: pd, pq; c: pd, pq; d: pd, pq; e: pd.
  REQUIRE(r.self_gaps.size() == 11);
  CHECK(t.ratees()[r.self_gaps[0].ratee] == "a");
  CHECK(r.self_gaps[0].competency == competency(t, pd));
  CHECK(r.self_gaps[0].self_level == 4);
  CHECK(r.self_gaps[0].comparison_level == 3);  // the skip-level rating is not the manager's view
  CHECK(r.self_gaps[0].n_comparison == 1);
  CHECK(r.self_gaps[0].difference == 1);
  const self_gap& a_voc = r.self_gaps[3];
  CHECK(a_voc.competency == competency(t, voc));
  CHECK(a_voc.n_comparison == 2);
  CHECK(a_voc.comparison_level == 4.5);
  CHECK(a_voc.difference == -1.5);
  CHECK(t.ratees()[r.self_gaps[10].ratee] == "e");
  CHECK(r.self_gaps[10].difference == 2);
}

TEST_CASE("self vs manager: with severities, the self rating meets an average rater's view", "[self_assessment]") {
  const ratings_table t = table_from_text(hand_rows());
  const std::uint32_t m1 = *t.raters().find("m1"), m2 = *t.raters().find("m2");
  const std::uint32_t q2 = *t.periods().find("2026Q2");
  rater_offsets offsets;
  // m1 lenient by 1 level in Q2 (its ratings come out 1 high); m2 harsh by
  // 0.5 pooled, with no per-period severity.
  offsets.set_in_period(t.periods().size(), t.raters().size(), q2, m1, -1.0);
  offsets.set_pooled(t.raters().size(), m2, 0.5);
  const self_assessment_result r = analyse_self_assessment(t, {}, &offsets);
  REQUIRE(r.available);
  CHECK(r.severity_adjusted);
  // a on pd: self 4, m1 gave 3 -> an average rater 3 - 1 = 2: gap 2 (raw: 1).
  CHECK(r.self_gaps[0].comparison_level == 2);
  CHECK(r.self_gaps[0].difference == 2);
  // a on voc: m1 gave 4 -> 3, m2 gave 5 -> 5.5: mean 4.25, gap 3 - 4.25.
  const self_gap& a_voc = r.self_gaps[3];
  CHECK(a_voc.comparison_level == 4.25);
  CHECK(a_voc.difference == -1.25);
  // e on pd: m2 gave 2 -> 2.5: gap 4 - 2.5 = 1.5 (raw: 2).
  CHECK(r.self_gaps[10].difference == 1.5);
  CHECK_FALSE(analyse_self_assessment(t).severity_adjusted);
}

TEST_CASE("self vs manager: the conversation list, most disagreement first", "[self_assessment]") {
  const ratings_table t = table_from_text(hand_rows());
  const self_assessment_result r = analyse_self_assessment(t);
  // Mean |gap|: a (1 + 1 + 2 + 1.5)/4 = 1.375, b (0 + 1)/2 = 0.5, c 1.5, d 1, e 2.
  REQUIRE(r.conversations.size() == 5);
  std::vector<std::string> order;
  for (const conversation& c : r.conversations) order.push_back(t.ratees()[c.ratee]);
  CHECK(order == std::vector<std::string>{"e", "c", "a", "d", "b"});
  const conversation& a = r.conversations[2];
  CHECK(a.disagreement == Approx(1.375));
  CHECK(a.max_abs_self_gap == 2);
  CHECK(a.mean_self_gap == Approx(-0.375));
  CHECK(a.n_compared == 4);
  CHECK(a.n_topics == 4);
  // Biggest |gap| first; pd and pq tie at 1 and keep framework order.
  REQUIRE(a.topics.size() == 4);
  CHECK(a.topics[0].competency == competency(t, fwd));
  CHECK(a.topics[0].self_gap == -2);
  CHECK(a.topics[1].competency == competency(t, voc));
  CHECK(a.topics[2].competency == competency(t, pd));
  CHECK(a.topics[3].competency == competency(t, pq));
  // b: only pq reaches the default threshold of one level.
  const conversation& b = r.conversations[4];
  CHECK(b.n_topics == 1);
  CHECK(b.topics.at(0).competency == competency(t, pq));

  self_assessment_options o;
  o.max_topics = 2;
  o.conversation_min_self_gap = 1.5;
  const self_assessment_result capped = analyse_self_assessment(t, o);
  const conversation& a2 = capped.conversations[2];
  CHECK(a2.n_topics == 2);  // fwd 2, voc 1.5
  CHECK(a2.topics.size() == 2);
  CHECK(capped.conversations[4].n_topics == 0);
  CHECK(capped.conversations[4].topics.empty());
  o.max_topics = 1;
  CHECK(analyse_self_assessment(t, o).conversations[2].topics.size() == 1);
  CHECK(analyse_self_assessment(t, o).conversations[2].n_topics == 2);
}

TEST_CASE("self vs manager: self-inflation per competency with t intervals", "[self_assessment]") {
  const ratings_table t = table_from_text(hand_rows());
  const self_assessment_result r = analyse_self_assessment(t);
  REQUIRE(r.inflation.size() == 12);
  // pd gaps 1, 0, 2, -1, 2: mean 0.8, sd 1.3038404810405297; scipy.stats.t.interval(0.95, 4, 0.8, sem)
  // = (-0.8189317847087063, 2.4189317847087066).
  const self_inflation& d = r.inflation[competency(t, pd)];
  CHECK(d.n_ratees == 5);
  CHECK(d.mean_self_gap == Approx(0.8));
  CHECK(d.sd == Approx(1.3038404810405297));
  CHECK(d.se == Approx(1.3038404810405297 / std::sqrt(5.0)));
  CHECK(d.ci_low == Approx(-0.8189317847087063));
  CHECK(d.ci_high == Approx(2.4189317847087066));
  CHECK(d.direction == inflation_direction::none);
  CHECK_FALSE(d.suppressed);
  // pq: four gaps of exactly 1: sd 0, zero-width interval above 0.
  const self_inflation& q = r.inflation[competency(t, pq)];
  CHECK(q.n_ratees == 4);
  CHECK(q.mean_self_gap == 1);
  CHECK(q.sd == 0);
  CHECK(q.ci_low == 1);
  CHECK(q.ci_high == 1);
  CHECK(q.direction == inflation_direction::inflated);
  // fwd and voc: one ratee each, suppressed under the minimum group of 4.
  const self_inflation& f = r.inflation[competency(t, fwd)];
  CHECK(f.n_ratees == 1);
  CHECK(f.suppressed);
  CHECK(std::isnan(f.mean_self_gap));
  CHECK(std::isnan(f.ci_low));
  CHECK_FALSE(f.direction);
  CHECK_THAT(f.note, Contains("1 ratee, fewer than the minimum group of 4"));
  // A competency nobody compared: no ratees, not suppressed, NaN.
  const self_inflation& none = r.inflation[competency(t, "managing-up")];
  CHECK(none.n_ratees == 0);
  CHECK(std::isnan(none.mean_self_gap));
  // Overall, over per-ratee mean gaps -0.375, 0.5, 1.5, 0, 2: scipy gives
  // mean 0.725, sd 1.0015612812005064, interval (-0.5186025848615076, 1.9686025848615074).
  CHECK(r.overall.n_ratees == 5);
  CHECK_FALSE(r.overall.competency.has_value());
  CHECK(r.overall.mean_self_gap == Approx(0.725));
  CHECK(r.overall.sd == Approx(1.0015612812005064));
  CHECK(r.overall.ci_low == Approx(-0.5186025848615076));
  CHECK(r.overall.ci_high == Approx(1.9686025848615074));

  // 90% interval: t(0.95, 4) = 2.13184678133629 (scipy.stats.t.ppf).
  self_assessment_options o;
  o.confidence = 0.90;
  const self_assessment_result at90 = analyse_self_assessment(t, o);
  const self_inflation& d90 = at90.inflation[competency(t, pd)];
  CHECK(d90.ci_high == Approx(0.8 + 2.13184678133629 * 1.3038404810405297 / std::sqrt(5.0)));

  // A larger minimum group suppresses pd too; a smaller one shows fwd.
  o = {};
  const calibration_context six = calibration_context(t).with_privacy({6});
  CHECK(analyse_self_assessment(six, o).inflation[competency(t, pd)].suppressed);
  CHECK(analyse_self_assessment(six, o).overall.suppressed);
  const self_assessment_result small_group = analyse_self_assessment(calibration_context(t).with_privacy({1}), o);
  const self_inflation& f1 = small_group.inflation[competency(t, fwd)];
  CHECK_FALSE(f1.suppressed);
  CHECK(f1.mean_self_gap == -2);
  CHECK(std::isnan(f1.ci_low));  // one ratee: no interval
  CHECK_FALSE(f1.direction);
}

TEST_CASE("self vs manager: the context's period and the comparison roles", "[self_assessment]") {
  const ratings_table t = table_from_text(hand_rows());
  self_assessment_options o;
  const self_assessment_result q1 = analyse_self_assessment(calibration_context(t).with_period("2026Q1"), o);
  REQUIRE(q1.available);
  REQUIRE(q1.self_gaps.size() == 1);
  CHECK(q1.self_gaps[0].difference == -4);
  CHECK(q1.inflation[competency(t, pd)].suppressed);

  o = {};
  o.comparison_roles = {rater_role::manager, rater_role::skip_level};
  const self_assessment_result with_skip = analyse_self_assessment(t, o);
  CHECK(with_skip.self_gaps[0].n_comparison == 2);
  CHECK(with_skip.self_gaps[0].comparison_level == 2);  // (3 + 1) / 2
  CHECK(with_skip.self_gaps[0].difference == 2);
}

TEST_CASE("self vs manager: unavailable without self or manager ratings", "[self_assessment][unavailable]") {
  const ratings_table no_self = table_from_text({{"a", "m1", "manager", pd, 3, "2026Q1"}, {"a", "m2", "panel", pd, 3, "2026Q1"}});
  const self_assessment_result r1 = analyse_self_assessment(no_self);
  CHECK_FALSE(r1.available);
  CHECK_THAT(r1.reason, Contains("no self ratings in period '2026Q1'"));

  const ratings_table no_manager = table_from_text({{"a", "a", "self", pd, 3, "2026Q1"}, {"a", "m2", "panel", pd, 3, "2026Q1"}});
  const self_assessment_result r2 = analyse_self_assessment(no_manager);
  CHECK_FALSE(r2.available);
  CHECK_THAT(r2.reason, Contains("no manager ratings"));

  // Both present but never on the same ratee and competency.
  const ratings_table apart = table_from_text({{"a", "a", "self", pd, 3, "2026Q1"}, {"b", "m1", "manager", pd, 3, "2026Q1"}});
  const self_assessment_result r3 = analyse_self_assessment(apart);
  CHECK_FALSE(r3.available);
  CHECK_THAT(r3.reason, Contains("no ratee has both"));

  // The latest period decides: self ratings only in an earlier period.
  const ratings_table old_self = table_from_text({{"a", "a", "self", pd, 3, "2026Q1"},
                                        {"a", "m1", "manager", pd, 3, "2026Q1"},
                                        {"a", "m1", "manager", pd, 3, "2026Q2"}});
  const self_assessment_result r4 = analyse_self_assessment(old_self);
  CHECK_FALSE(r4.available);
  CHECK_THAT(r4.reason, Contains("'2026Q2'"));
}

TEST_CASE("self vs manager: bad options are invalid arguments", "[self_assessment][errors]") {
  const ratings_table t = table_from_text(hand_rows());
  const auto fails = [&](const self_assessment_options& o, const char* what) {
    CHECK_THROWS_AS(analyse_self_assessment(t, o), calibra::invalid_argument);
    CHECK_THROWS_WITH(analyse_self_assessment(t, o), Contains(what));
  };
  self_assessment_options o;
  o.comparison_roles.clear();
  fails(o, "comparison_roles is empty");
  o = {};
  o.comparison_roles = {rater_role::self};
  fails(o, "must not include 'self'");
  o = {};
  o.confidence = 1;
  fails(o, "confidence");
  o = {};
  o.conversation_min_self_gap = -1;
  fails(o, "conversation_min_self_gap");
}

TEST_CASE("self vs manager: the planted self-inflation of the example data is recovered", "[self_assessment][planted]") {
  // Self ratings add +0.5 levels; manager ratings add the manager's bias in
  // the period.  Expected mean gap in the latest quarter: 0.5 minus the mean
  // bias of the ratees' own managers there (from simulation_truth).
  const auto sim = simulate_ratings(calibra::builtin_framework(), example_simulation_config());
  const self_assessment_result r = analyse_self_assessment(sim.table);
  REQUIRE(r.available);
  const auto last = static_cast<Eigen::Index>(sim.truth.manager_bias.cols() - 1);
  double bias = 0;
  for (std::size_t m : sim.truth.ratee_manager) bias += sim.truth.manager_bias(static_cast<Eigen::Index>(m), last);
  bias /= static_cast<double>(sim.truth.ratee_manager.size());
  const double expected = 0.5 - bias;
  INFO("expected mean gap " << expected << ", estimated " << r.overall.mean_self_gap);
  CHECK(r.overall.n_ratees == 40);
  CHECK(std::abs(r.overall.mean_self_gap - expected) < 0.15);  // tolerance: rounding to levels and clamping at 1 and 5
  CHECK(r.overall.direction == inflation_direction::inflated);
  // Per competency, from 40 gaps each: inflated wherever nothing hides the
  // planted +0.5.  Two things can: a competency some career level expects at
  // the bottom of the scale (ratings clamp at 1, so the manager's rounding
  // noise only pushes up and the gap shrinks), and the planted vague anchor
  // (three times the noise, so a wide interval).  None is deflated.
  const auto& fw = sim.table.framework();
  for (const self_inflation& s : r.inflation) {
    CHECK(s.n_ratees == 40);
    REQUIRE(s.competency);
    const std::string& id = fw.competencies()[*s.competency].id;
    INFO(id << ": mean gap " << s.mean_self_gap << " [" << s.ci_low << ", " << s.ci_high << "]");
    CHECK(s.direction != inflation_direction::deflated);
    const auto expected = fw.expectations().col(static_cast<Eigen::Index>(*s.competency));
    if (expected.minCoeff() > 1 && id != *sim.truth.vague_competency)
      CHECK(s.direction == inflation_direction::inflated);
  }
  CHECK(r.conversations.size() == 40);
  CHECK(r.conversations.front().disagreement >= r.conversations.back().disagreement);
}
