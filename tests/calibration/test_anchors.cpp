// Agreement among external raters and the anchors-to-rewrite flag: a small
// table checked by hand, equality with agree() on wide_matrix(), privacy,
// unavailable data, bad options and a planted vague anchor.
#include <calibra/agreement/agree.hpp>
#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <vector>

using namespace calibra::calibration;
using Catch::Matchers::Contains;

namespace {

using row = calibra_test::text_row;
using calibra_test::table_from_text;

/// product-delivery (pd), 2026Q1, five ratees:
///   a: m1 3, m2 3          spread 0
///   b: m1 2, m2 4          spread 2  divergent
///   c: m1 4, m2 3, m3 4    spread 1
///   d: m2 1, m3 3          spread 2  divergent
///   e: m1 2, m3 2          spread 0
///   f: m1 5                one rating: not a unit
/// plus a's self rating (ignored) and product-quality for three ratees
/// (suppressed under the default minimum group of 4).
std::vector<row> hand_rows() {
  return {
      {"a", "m1", "manager", "product-delivery", 3, "2026Q1"},
      {"a", "m2", "panel", "product-delivery", 3, "2026Q1"},
      {"a", "a", "self", "product-delivery", 5, "2026Q1"},
      {"b", "m1", "manager", "product-delivery", 2, "2026Q1"},
      {"b", "m2", "panel", "product-delivery", 4, "2026Q1"},
      {"c", "m1", "manager", "product-delivery", 4, "2026Q1"},
      {"c", "m2", "panel", "product-delivery", 3, "2026Q1"},
      {"c", "m3", "peer", "product-delivery", 4, "2026Q1"},
      {"d", "m2", "manager", "product-delivery", 1, "2026Q1"},
      {"d", "m3", "panel", "product-delivery", 3, "2026Q1"},
      {"e", "m1", "manager", "product-delivery", 2, "2026Q1"},
      {"e", "m3", "panel", "product-delivery", 2, "2026Q1"},
      {"f", "m1", "manager", "product-delivery", 5, "2026Q1"},
      {"a", "m1", "manager", "product-quality", 3, "2026Q1"},
      {"a", "m2", "panel", "product-quality", 4, "2026Q1"},
      {"b", "m1", "manager", "product-quality", 2, "2026Q1"},
      {"b", "m2", "panel", "product-quality", 2, "2026Q1"},
      {"c", "m1", "manager", "product-quality", 1, "2026Q1"},
      {"c", "m2", "panel", "product-quality", 4, "2026Q1"},
  };
}

const competency_agreement& of(const anchors_result& r, const ratings_table& t, const char* id) {
  return r.competencies.at(*t.framework().competency_index(id));
}

}  // namespace

TEST_CASE("anchors: counts and statistics of a hand-checked table", "[anchors]") {
  const ratings_table t = table_from_text(hand_rows());
  anchors_options o;
  o.min_units = 5;
  o.max_examples = 1;
  const anchors_result r = analyse_anchors(t, o);
  REQUIRE(r.available);
  REQUIRE(r.competencies.size() == 12);
  const competency_agreement& pd = of(r, t, "product-delivery");

  CHECK(pd.n_units == 5);     // a, b, c, d, e (f has one rating, a's self rating does not count)
  CHECK(pd.evaluated);        // 5 units, minimum 5
  CHECK(pd.not_evaluated.empty());
  CHECK(pd.n_ratings == 11);  // 2 + 2 + 3 + 2 + 2
  CHECK(pd.n_ratees == 5);
  CHECK(pd.n_raters == 3);
  CHECK(pd.n_pairs == 7);           // 1 + 1 + 3 + 1 + 1
  CHECK(pd.pairs_beyond_one == 2);  // b (2 vs 4), d (1 vs 3)
  CHECK(pd.divergent_units == 2);
  CHECK(pd.divergent_share == Approx(0.4));
  // Pairwise exact agreement per unit: a 1, b 0, c 1/3 (4-4 of three pairs), d 0, e 1 -> 7/15.
  CHECK(pd.exact == Approx(7.0 / 15.0));
  // Within one level per unit: a 1, b 0, c 1, d 0, e 1 -> 3/5.
  CHECK(pd.within_one == Approx(0.6));
  // Krippendorff's alpha, ordinal (Krippendorff 2011), by hand.  Coincidences
  // (each unit's ordered pairs weighted 1/(m_u - 1)): o33 = 2 (a), o24 = o42 = 1 (b),
  // o34 = o43 = 1 and o44 = 1 (c), o13 = o31 = 1 (d), o22 = 2 (e).  Marginals
  // n1 = 1, n2 = 3, n3 = 4, n4 = 3, n = 11.  Ordinal distances
  // d_ck = (n_c/2 + levels between + n_k/2)^2: d12 = 4, d13 = 30.25, d14 = 81,
  // d23 = 12.25, d24 = 49, d34 = 12.25.  Observed sum o*d = 2*49 + 2*12.25 + 2*30.25 = 183;
  // expected sum n_c n_k d = 2*(12 + 121 + 243 + 147 + 441 + 147) = 2222.
  // alpha = 1 - (n - 1) 183 / 2222 = 392 / 2222.
  CHECK(pd.alpha == Approx(392.0 / 2222.0));
  // Gwet's AC2, ordinal weights on the declared scale 1..5 (irrCAC):
  // w = 1, .9, .7, .4, 0 for level distances 0..4, sum of weights T_w = 18.
  // pa per unit: a 1, b (.7 + .7)/2 = .7, c (1*1.8 + 2*1.9)/6 = 5.6/6, d .7, e 1 -> pa = 13/15.
  // pi = (.1, .3, 11/30, 7/30, 0); sum pi(1 - pi) = 0.7111...; pe = 18/20 * 0.7111 = 0.64.
  // AC2 = (13/15 - .64) / .36 = 17/27.
  CHECK(pd.gwet == Approx(17.0 / 27.0));
  CHECK(pd.notes.empty());

  // The rewrite rule reads rater pairs: 2 of 7 pairs (0.286) > 0.10 and
  // 0.6 < 0.90, both named.
  CHECK(pd.pair_divergent_share == Approx(2.0 / 7.0));
  CHECK(pd.needs_rewrite);
  CHECK_THAT(pd.rewrite_reason, Contains("2 of 7 rater pairs (0.286) are more than one level apart"));
  CHECK_THAT(pd.rewrite_reason, Contains("within-one-level rate 0.600 is below 0.900"));
  // Evidence: b and d both spread 2, same period: ratee order (b first); capped at one.
  REQUIRE(pd.examples.size() == 1);
  CHECK(t.ratees()[pd.examples[0].ratee] == "b");
  CHECK(pd.examples[0].spread == 2);
  REQUIRE(pd.examples[0].ratings.size() == 2);
  CHECK(t.raters()[pd.examples[0].ratings[0].first] == "m1");
  CHECK(pd.examples[0].ratings[0].second == 2);
  CHECK(t.raters()[pd.examples[0].ratings[1].first] == "m2");
  CHECK(pd.examples[0].ratings[1].second == 4);
  // Raters in divergent units: m2 in b and d (of a, b, c, d), m1 in b (of a, b, c, e), m3 in d (of c, d, e).
  REQUIRE(pd.raters.size() == 3);
  CHECK(t.raters()[pd.raters[0].rater] == "m2");
  CHECK(pd.raters[0].divergent_units == 2);
  CHECK(pd.raters[0].units == 4);
  CHECK(pd.raters[0].divergent_share == Approx(0.5));
  CHECK(t.raters()[pd.raters[1].rater] == "m1");  // tie with m3 on 1: rater id order
  CHECK(pd.raters[1].units == 4);
  CHECK(t.raters()[pd.raters[2].rater] == "m3");
  CHECK(pd.raters[2].units == 3);

  // product-quality covers three ratees: suppressed, numbers NaN, no evidence.
  const competency_agreement& pq = of(r, t, "product-quality");
  CHECK(pq.suppressed);
  CHECK(pq.n_units == 3);
  CHECK(pq.n_ratees == 3);
  CHECK(std::isnan(pq.alpha));
  CHECK(std::isnan(pq.within_one));
  CHECK(std::isnan(pq.divergent_share));
  CHECK_FALSE(pq.needs_rewrite);
  CHECK(pq.examples.empty());
  CHECK_THAT(pq.note, Contains("3 ratees, fewer than the minimum group of 4"));
  // Competencies nobody rated are present, empty, not flagged.
  const competency_agreement& mu = of(r, t, "managing-up");
  CHECK(mu.n_units == 0);
  CHECK(std::isnan(mu.alpha));
  CHECK_FALSE(mu.needs_rewrite);

  // Overall: the 8 units of both competencies, 5 ratees.
  CHECK(r.overall.n_units == 8);
  CHECK(r.overall.n_ratees == 5);
  CHECK_FALSE(r.overall.suppressed);
  // pq units: a (3, 4) within, b (2, 2) exact, c (1, 4) divergent.
  CHECK(r.overall.divergent_units == 3);
  CHECK(r.overall.within_one == Approx(5.0 / 8.0));
  CHECK(r.overall.exact == Approx((7.0 / 3.0 + 1.0) / 8.0));
  CHECK(r.competencies_flagged == 1);
  CHECK(r.competencies_evaluated == 1);  // pq suppressed, others unrated
}

TEST_CASE("anchors: the packed matrix gives what agree() gives on wide_matrix()", "[anchors]") {
  // Statistics of the multi-rater family and Krippendorff's alpha depend on
  // a unit's counts per level only; check it on the example data, where the
  // wide matrix has one column per rater.
  const auto sim = simulate_ratings(calibra::builtin_framework(), example_simulation_config());
  const ratings_table& t = sim.table;
  ratings_filter f;
  f.roles = external_roles();
  f.competency = t.framework().competency_index("strategic-impact");
  const unit_rater_matrix wide = wide_matrix(t, f);
  calibra::agreement::options opts;
  opts.categories = {1, 2, 3, 4, 5};
  calibra::agreement::options alpha_opts = opts;
  alpha_opts.level = calibra::agreement::measurement_level::ordinal;
  calibra::agreement::options gwet_opts = opts;
  gwet_opts.weights = calibra::agreement::weight_scheme::ordinal;

  const anchors_result r = analyse_anchors(t);
  const competency_agreement& si = of(r, t, "strategic-impact");
  CHECK(si.n_units == static_cast<std::size_t>(wide.ratings.rows()));  // every unit has two external raters
  CHECK(si.alpha == Approx(*calibra::agreement::agree(wide.ratings, calibra::agreement::statistic::krippendorff,
                                                      alpha_opts).value));
  CHECK(si.gwet ==
        Approx(*calibra::agreement::agree(wide.ratings, calibra::agreement::statistic::gwet, gwet_opts).value));
  CHECK(si.exact ==
        Approx(*calibra::agreement::agree(wide.ratings, calibra::agreement::statistic::percent, opts).value));
  CHECK(si.within_one ==
        Approx(*calibra::agreement::agree(wide.ratings, calibra::agreement::statistic::within, opts).value));
}

TEST_CASE("anchors: the analysed-period scope restricts the units to the context's period", "[anchors]") {
  std::vector<row> rows = hand_rows();
  rows.push_back({"a", "m1", "manager", "product-delivery", 3, "2026Q2"});
  rows.push_back({"a", "m2", "panel", "product-delivery", 5, "2026Q2"});
  const ratings_table t = table_from_text(rows);
  anchors_options o;
  o.scope = period_scope::analysed_period;
  const calibration_context q2 = calibration_context(t).with_period("2026Q2").with_privacy({1});
  const anchors_result r = analyse_anchors(q2, o);
  CHECK(r.period == t.periods().find("2026Q2"));
  REQUIRE(r.available);
  const competency_agreement& pd = of(r, t, "product-delivery");
  CHECK(pd.n_units == 1);
  CHECK(pd.divergent_units == 1);
  CHECK_FALSE(pd.needs_rewrite);  // 1 unit < min_units 10: too little evidence
  CHECK_FALSE(pd.evaluated);
  CHECK(pd.not_evaluated == "not evaluated: 1 unit, minimum 10");
  REQUIRE(pd.examples.size() == 1);
  CHECK(t.periods()[pd.examples[0].period] == "2026Q2");
  // Pooled: 6 product-delivery units, the Q2 unit is the latest divergent one, listed first.
  o.scope = period_scope::all_periods;
  const anchors_result all = analyse_anchors(q2, o);
  CHECK_FALSE(all.period.has_value());
  CHECK(of(all, t, "product-delivery").n_units == 6);
  CHECK(t.periods()[of(all, t, "product-delivery").examples.at(0).period] == "2026Q2");
}

TEST_CASE("anchors: unavailable when no unit has two external raters", "[anchors][unavailable]") {
  const ratings_table t = table_from_text({{"a", "a", "self", "product-delivery", 3, "2026Q1"},
                                 {"a", "m1", "manager", "product-delivery", 4, "2026Q1"},
                                 {"b", "m1", "manager", "product-delivery", 2, "2026Q1"}});
  const anchors_result r = analyse_anchors(t);
  CHECK_FALSE(r.available);
  CHECK_THAT(r.reason, Contains("two or more external raters"));
  CHECK(r.competencies.size() == 12);
  const ratings_table self_only = table_from_text({{"a", "a", "self", "product-delivery", 3, "2026Q1"}});
  const anchors_result s = analyse_anchors(self_only);
  CHECK_FALSE(s.available);
  CHECK_THAT(s.reason, Contains("no external ratings"));
}

TEST_CASE("anchors: one category everywhere is a defined value or a named reason", "[anchors][degenerate]") {
  // Perfect agreement on one level: within and exact are 1; alpha has no
  // value (no variation), reported in notes rather than thrown.
  const ratings_table t = table_from_text({{"a", "m1", "manager", "product-delivery", 3, "2026Q1"},
                                 {"a", "m2", "panel", "product-delivery", 3, "2026Q1"},
                                 {"b", "m1", "manager", "product-delivery", 3, "2026Q1"},
                                 {"b", "m2", "panel", "product-delivery", 3, "2026Q1"},
                                 {"c", "m1", "manager", "product-delivery", 3, "2026Q1"},
                                 {"c", "m2", "panel", "product-delivery", 3, "2026Q1"},
                                 {"d", "m1", "manager", "product-delivery", 3, "2026Q1"},
                                 {"d", "m2", "panel", "product-delivery", 3, "2026Q1"}});
  const anchors_result r = analyse_anchors(t);
  const competency_agreement& pd = of(r, t, "product-delivery");
  CHECK(pd.exact == 1);
  CHECK(pd.within_one == 1);
  CHECK(pd.divergent_units == 0);
  CHECK(std::isnan(pd.alpha));
  REQUIRE_FALSE(pd.notes.empty());
  CHECK_THAT(pd.notes[0], Contains("alpha:"));
  CHECK(pd.gwet == 1);  // declared scale: pe = 0, pa = 1 (docs/degenerate-cases.md)
}

TEST_CASE("anchors: bad options are invalid arguments", "[anchors][errors]") {
  const ratings_table t = table_from_text(hand_rows());
  const auto fails = [&](const anchors_options& o, const char* what) {
    CHECK_THROWS_WITH(analyse_anchors(t, o), Contains(what));
    CHECK_THROWS_AS(analyse_anchors(t, o), calibra::invalid_argument);
  };
  anchors_options o;
  o.max_divergent_share = 1.5;
  fails(o, "max_divergent_share");
  o = {};
  o.min_within_one = -0.1;
  fails(o, "min_within_one");
  o = {};
  o.min_units = 0;
  fails(o, "min_units");
  o = {};
  o.roles = {rater_role::manager, rater_role::self};
  fails(o, "must not include 'self'");
  CHECK_THROWS_WITH(calibration_context(t).with_period(7), Contains("period id 7"));
  CHECK_THROWS_WITH(calibration_context(t).with_privacy({0}), Contains("min_group"));
  o = {};
  o.gwet_weights = calibra::agreement::weight_scheme::custom;
  fails(o, "custom");
}

namespace {

/// The example design with calibrated raters (no lenient, drifting or halo
/// manager), and optionally one competency whose panel rating lands two
/// levels away from the manager's on every `every`-th unit: a vague anchor
/// read differently by different raters.
ratings_table calibrated_with_vague_anchor(const char* vague, std::size_t every) {
  simulation_config config = example_simulation_config();
  config.lenient_manager.reset();
  config.drifting_manager.reset();
  config.halo_manager.reset();
  config.vague_competency.reset();
  const ratings_table base = simulate_ratings(calibra::builtin_framework(), config).table;
  const auto vague_index = base.framework().competency_index(vague);
  std::map<std::tuple<std::uint32_t, std::uint32_t>, int> manager_level;  // (ratee, period) on `vague`
  for (std::size_t i = 0; i < base.size(); ++i)
    if (base.competency(i) == vague_index && base.role(i) == rater_role::manager)
      manager_level[{base.ratee(i), base.period(i)}] = base.level(i);
  ratings_builder b(base.framework_ptr(), "planted");
  std::size_t unit = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    rating r;
    r.ratee = base.ratees()[base.ratee(i)];
    r.rater = base.raters()[base.rater(i)];
    r.role = base.role(i);
    r.competency = base.competency(i);
    r.level = base.level(i);
    r.period = base.periods()[base.period(i)];
    if (base.competency(i) == vague_index && base.role(i) == rater_role::panel && unit++ % every == 0) {
      const int m = manager_level.at({base.ratee(i), base.period(i)});
      r.level = m >= 3 ? m - 2 : m + 2;
    }
    b.add(r);
  }
  return b.finish();
}

}  // namespace

TEST_CASE("anchors: a planted vague anchor is flagged, the calibrated ones are not", "[anchors][planted]") {
  // Every third panel rating of product-quality two levels off: a divergent
  // share of at least 1/3 there (plus what noise adds), while calibrated
  // raters (noise sd 0.35 each) rarely land two levels apart.
  const ratings_table t = calibrated_with_vague_anchor("product-quality", 3);
  const anchors_result r = analyse_anchors(t);
  REQUIRE(r.available);
  for (const competency_agreement& c : r.competencies) {
    const std::string& id = t.framework().competencies()[c.competency].id;
    INFO(id << ": divergent share " << c.divergent_share << ", within one " << c.within_one);
    CHECK(c.n_units == 160);  // 40 ratees x 4 quarters, manager + panel
    if (id == "product-quality") {
      CHECK(c.needs_rewrite);
      CHECK(c.divergent_share >= 1.0 / 3.0);
      CHECK(c.divergent_share < 0.45);
      CHECK(c.examples.size() == 20);
      CHECK(c.divergent_units >= 54);  // ceil(160 / 3)
    } else {
      CHECK_FALSE(c.needs_rewrite);
      CHECK(c.divergent_share < 0.05);
    }
  }
  CHECK(r.competencies_flagged == 1);
  CHECK(r.note.empty());
}

TEST_CASE("anchors: the example data diverge everywhere, and the note says why", "[anchors][planted]") {
  // The bundled example has a lenient, a drifting and a halo manager: raters of the
  // same PM land two levels apart on every competency, so most competencies
  // cross the threshold and the result points at rater calibration.
  const auto sim = simulate_ratings(calibra::builtin_framework(), example_simulation_config());
  const anchors_result r = analyse_anchors(sim.table);
  CHECK(r.competencies_evaluated == 12);
  CHECK(r.competencies_flagged > 6);
  CHECK_THAT(r.note, Contains("raters who are not calibrated"));
  // A manager with a planted effect -- lenient, drifting or halo -- leads the
  // divergent units of every flagged competency.
  const std::vector<std::string> planted{*sim.truth.lenient_manager, *sim.truth.drifting_manager,
                                         *sim.truth.halo_manager};
  for (const competency_agreement& c : r.competencies) {
    if (!c.needs_rewrite) continue;
    REQUIRE_FALSE(c.raters.empty());
    const std::string top(sim.table.raters()[c.raters[0].rater]);
    INFO(sim.table.framework().competencies()[c.competency].id << ": led by " << top);
    CHECK(std::find(planted.begin(), planted.end(), top) != planted.end());
  }
}

namespace {

/// product-delivery in 2026Q1: twelve ratees, each rated by m1 at level
/// 1 + (i mod 3) and by m2 exactly two levels higher.  Every unit is
/// divergent as rated; the whole gap is a difference of severity.
ratings_table two_levels_apart() {
  std::vector<row> rows;
  static const char* names[] = {"r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12"};
  for (int i = 0; i < 12; ++i) {
    rows.push_back({names[i], "m1", "manager", "product-delivery", 1 + i % 3, "2026Q1"});
    rows.push_back({names[i], "m2", "panel", "product-delivery", 3 + i % 3, "2026Q1"});
  }
  return table_from_text(rows);
}

const competency_agreement& delivery(const ratings_table& t, const anchors_result& r) {
  const auto index = t.framework().competency_index("product-delivery");
  for (const competency_agreement& c : r.competencies)
    if (c.competency == index) return c;
  FAIL("product-delivery not in the result");
  return r.competencies.front();  // not reached: FAIL throws
}

}  // namespace

TEST_CASE("anchors: rater severity is taken out before divergence is judged", "[anchors][severity]") {
  const ratings_table t = two_levels_apart();
  const std::uint32_t m1 = *t.raters().find("m1"), m2 = *t.raters().find("m2");
  const std::size_t n_raters = t.raters().size();

  SECTION("as rated: every unit two levels apart, flagged") {
    const anchors_result r = analyse_anchors(t);
    const competency_agreement& c = delivery(t, r);
    CHECK_FALSE(r.severity_adjusted);
    CHECK(c.n_units == 12);
    CHECK(c.divergent_units == 12);
    CHECK(c.needs_rewrite);
    CHECK(std::isnan(c.adjusted_divergent_share));
  }
  SECTION("m1 harsh by 1, m2 lenient by 1: no divergence left, not flagged") {
    rater_offsets offsets;
    offsets.set_pooled(n_raters, m1, 1.0);
    offsets.set_pooled(n_raters, m2, -1.0);
    const anchors_result r = analyse_anchors(t, {}, &offsets);
    const competency_agreement& c = delivery(t, r);
    CHECK(r.severity_adjusted);
    CHECK(c.divergent_units == 12);  // the raw numbers stay as rated
    CHECK(c.within_one == 0.0);
    CHECK(c.adjusted_divergent_units == 0);
    CHECK(c.adjusted_divergent_share == 0.0);
    CHECK(c.adjusted_within_one == 1.0);
    CHECK_FALSE(c.needs_rewrite);
    CHECK(c.examples.empty());
    CHECK(c.raters.empty());
  }
  SECTION("severities explaining 0.4 of the 2 levels leave 1.6: still divergent") {
    rater_offsets offsets;
    offsets.set_pooled(n_raters, m1, 0.2);
    offsets.set_pooled(n_raters, m2, -0.2);
    const anchors_result r = analyse_anchors(t, {}, &offsets);
    const competency_agreement& c = delivery(t, r);
    CHECK(c.adjusted_divergent_units == 12);
    CHECK(c.adjusted_within_one == 0.0);
    CHECK(c.needs_rewrite);
    CHECK_THAT(c.rewrite_reason, Contains("after removing rater severity"));
    REQUIRE_FALSE(c.examples.empty());
    CHECK(c.examples[0].spread == 2);
    CHECK(c.examples[0].adjusted_spread == Approx(1.6));
  }
  SECTION("per-period severities win when every rater of the unit has one") {
    rater_offsets offsets;
    offsets.set_pooled(n_raters, m1, 0.0);
    offsets.set_pooled(n_raters, m2, 0.0);
    offsets.set_in_period(t.periods().size(), n_raters, 0, m1, 1.0);
    offsets.set_in_period(t.periods().size(), n_raters, 0, m2, -1.0);
    CHECK(delivery(t, analyse_anchors(t, {}, &offsets)).adjusted_divergent_units == 0);
    // Only m1 has one in the period: the unit falls back to the pooled
    // severities (0 and 0) rather than mixing two fits' zero points.
    rater_offsets partial;
    partial.set_pooled(n_raters, m1, 0.0);
    partial.set_pooled(n_raters, m2, 0.0);
    partial.set_in_period(t.periods().size(), n_raters, 0, m1, 1.0);
    CHECK(delivery(t, analyse_anchors(t, {}, &partial)).adjusted_divergent_units == 12);
  }
  SECTION("a rater without any severity: the unit counts as rated") {
    rater_offsets offsets;
    offsets.set_pooled(n_raters, m1, 1.0);  // m2 unknown
    const anchors_result r = analyse_anchors(t, {}, &offsets);
    const competency_agreement& c = delivery(t, r);
    CHECK(c.adjusted_divergent_units == 12);
  }
}

TEST_CASE("anchors: on the example, only the planted vague anchor is flagged once severity is removed",
          "[anchors][planted][severity]") {
  // The example plants a lenient, a drifting and a halo manager, and one
  // competency (business-outcome-ownership) whose ratings carry three
  // times the noise.  calibrate() hands the severity and drift fits to the
  // anchors analysis: the raters' effects go, the vague anchor stays.
  const auto sim = simulate_ratings(calibra::builtin_framework(), example_simulation_config());
  REQUIRE(sim.truth.vague_competency == std::string("business-outcome-ownership"));
  const calibration_report report = calibrate(sim.table);
  const anchors_result& r = report.anchors;
  REQUIRE(r.available);
  CHECK(r.severity_adjusted);
  for (const competency_agreement& c : r.competencies) {
    const std::string& id = sim.table.framework().competencies()[c.competency].id;
    INFO(id << ": divergent " << c.divergent_share << ", adjusted " << c.adjusted_divergent_share);
    if (id == *sim.truth.vague_competency) {
      CHECK(c.needs_rewrite);
      // The raw numbers say the same, more loudly.
      CHECK(c.divergent_share > c.adjusted_divergent_share);
    } else {
      CHECK_FALSE(c.needs_rewrite);
      CHECK(c.adjusted_divergent_share <= r.max_divergent_share);
    }
  }
  CHECK(r.competencies_flagged == 1);
  CHECK(r.note.empty());
}

TEST_CASE("anchors: the rewrite rule means the same with thirty raters per unit as with two", "[anchors]") {
  // Ten ratees, each rated on product-delivery by thirty peers: twenty-nine
  // give 3 and one gives 5.  Every unit's max - min spread is 2, so every
  // unit is "divergent"; but only the 29 pairs with the outlier of a unit's
  // 435 are more than one level apart (0.067), and 406 of 435 (0.933) are
  // within one level: the anchors work for nearly every pair of raters.
  std::vector<std::string> names;
  for (int e = 0; e < 10; ++e) names.push_back("p" + std::to_string(e));
  for (int r = 0; r < 30; ++r) names.push_back("r" + std::to_string(r));
  std::vector<calibra_test::text_row> rows;
  for (int e = 0; e < 10; ++e)
    for (int r = 0; r < 30; ++r)
      rows.push_back({names[static_cast<std::size_t>(e)].c_str(), names[static_cast<std::size_t>(10 + r)].c_str(),
                      "peer", "product-delivery", r == e ? 5 : 3, "2026Q1"});
  const ratings_table t = table_from_text(rows);
  const anchors_result r = analyse_anchors(t);
  const competency_agreement& pd = of(r, t, "product-delivery");
  CHECK(pd.n_units == 10);
  CHECK(pd.divergent_share == Approx(1.0));
  CHECK(pd.pair_divergent_share == Approx(29.0 / 435.0));
  CHECK(pd.within_one == Approx(406.0 / 435.0));
  CHECK(pd.evaluated);
  CHECK_FALSE(pd.needs_rewrite);
}
