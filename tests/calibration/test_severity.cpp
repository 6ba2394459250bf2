// Rater severity, fixed-effects model: the least-squares solution against a peer (statsmodels
// OLS, tests/calibration/oracle_severity.py), the shift property, planted-effect
// recovery on the example data, flags on hand-built raters, fair scores,
// and bad arguments.
#include <calibra/calibration/severity.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include "../support/severity_design.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using namespace calibra::calibration;
using Catch::Matchers::Contains;

namespace {

using calibra_test::builtin;

using calibra_test::severity_design::fs;
using calibra_test::severity_design::has_flag;
using calibra_test::severity_design::make_table;
using calibra_test::severity_design::oracle_rows;
using calibra_test::severity_design::pd;
using calibra_test::severity_design::rater_named;
using calibra_test::severity_design::row;

// These tests pin down the fixed-effects (least-squares) model, which the
// statsmodels OLS oracle describes; the random-effects default has its own
// lme4 oracle in test_severity_random.cpp.
severity_options least_squares() {
  severity_options options;
  options.model = severity_model::fixed_effects;
  return options;
}




const simulated_ratings& example() {
  static const simulated_ratings sim = simulate_ratings(builtin(), example_simulation_config());
  return sim;
}

}  // namespace

// Expected numbers: the output of tests/calibration/oracle_severity.py (statsmodels
// 0.13.5 OLS on dummy-coded factors, contrasts via t_test; scipy 1.10.1 for
// the t quantile), pasted with 10 decimals.
TEST_CASE("severity: least-squares solution and exact SEs match statsmodels OLS", "[severity]") {
  const auto t = make_table(oracle_rows, {{"p1", "", fs, 5, "2026Q1"}});
  const severity_fit fit = fit_severity(t, least_squares());
  REQUIRE(fit.available);
  CHECK(fit.n_ratings == 46);  // the self rating is not modelled
  CHECK(fit.dof == 32);
  CHECK(fit.residual_sd == Approx(0.5125587492).epsilon(1e-9));
  CHECK_THAT(fit.se_method, Contains("exact"));
  CHECK(fit.iterations == 0);

  const double t975 = 2.0369333435;
  const std::map<std::string, std::tuple<double, double, std::size_t>> expected{
      {"A", {-0.7933936350, 0.1816793247, 0}}, {"B", {+0.5383445627, 0.1938806670, 0}},
      {"C", {+0.3175887731, 0.1535080208, 0}}, {"D", {-0.0625397008, 0.1788567619, 0}},
      {"E", {-0.2915733435, 0.1425840059, 1}}, {"F", {+0.2915733435, 0.1425840059, 1}},
  };
  REQUIRE(fit.raters.size() == 6);
  for (const auto& [name, values] : expected) {
    INFO("rater " << name);
    const auto& [severity, se, component] = values;
    const rater_severity& r = rater_named(fit, t, name);
    CHECK(r.severity == Approx(severity).margin(1e-9));
    CHECK(r.se == Approx(se).margin(1e-9));
    CHECK(r.ci_low == Approx(severity - t975 * se).margin(1e-8));
    CHECK(r.ci_high == Approx(severity + t975 * se).margin(1e-8));
    CHECK(r.component == component);
  }
  // Sum to zero within each component.
  CHECK(rater_named(fit, t, "E").severity + rater_named(fit, t, "F").severity == Approx(0).margin(1e-12));

  REQUIRE(fit.competency_effects.size() == 2);
  CHECK(fit.competency_effects[0].id == fs);
  CHECK(fit.competency_effects[0].estimate == Approx(0.1285561453).margin(1e-9));
  CHECK(fit.competency_effects[0].se == Approx(0.0806676182).margin(1e-9));
  CHECK(fit.competency_effects[1].estimate == Approx(-0.1285561453).margin(1e-9));
  REQUIRE(fit.period_effects.size() == 2);
  CHECK(t.periods()[fit.period_effects[0].id] == "2026Q1");
  CHECK(fit.period_effects[0].estimate == Approx(-0.0292723826).margin(1e-9));
  CHECK(fit.period_effects[0].se == Approx(0.0849969965).margin(1e-9));
  CHECK(fit.period_effects[1].estimate == Approx(0.0292723826).margin(1e-9));

  CHECK(fit.mu == Approx(3.1971300723).margin(1e-9));
  const std::map<std::string, double> ratee_effect{{"p1", +0.2030909936}, {"p2", -0.9457777396},
                                                   {"p3", +0.9307917300}, {"p4", -0.2562413997},
                                                   {"p5", +0.5259545533}, {"q1", -0.1178970592},
                                                   {"q2", -1.2068875331}, {"q3", +0.8669664547}};
  REQUIRE(fit.ratees.size() == 8);
  for (std::size_t k = 0; k < fit.ratees.size(); ++k) {
    INFO("ratee " << t.ratees()[fit.ratees[k]]);
    CHECK(fit.ratee_effects[k] == Approx(ratee_effect.at(t.ratees()[fit.ratees[k]])).margin(1e-9));
  }

  // The network travels with the fit.
  CHECK(fit.network.components.size() == 2);
  CHECK_FALSE(fit.network.connected());
}

TEST_CASE("severity: fair scores adjust for severity and period, with SEs", "[severity]") {
  const auto t = make_table(oracle_rows);
  const severity_fit fit = fit_severity(t, least_squares());
  const competency_scores fair = fit.fair_scores(t);  // latest period: 2026Q2
  CHECK(fair.method == "severity-adjusted");
  REQUIRE(fair.period);
  CHECK(t.periods()[*fair.period] == "2026Q2");
  // Ratees rated in 2026Q2: all eight.
  CHECK(fair.rows() == 8);
  // From tests/calibration/oracle_severity.py: mean of level + severity - period
  // effect + 2026Q2 effect; SE^2 = sigma^2/n + sum (m_r/n)^2 se_r^2.
  const auto cell = [&](const char* ratee, std::size_t competency) {
    return std::pair{static_cast<Eigen::Index>(*fair.row_of(*t.ratees().find(ratee))),
                     static_cast<Eigen::Index>(competency)};
  };
  const auto [p1, c1] = cell("p1", fs);
  CHECK(fair.value(p1, c1) == Approx(3.4294934485).margin(1e-9));
  CHECK(fair.se(p1, c1) == Approx(0.2803788539).margin(1e-9));
  CHECK(fair.n(p1, c1) == 4);
  const auto [p2, c2] = cell("p2", pd);
  CHECK(fair.value(p2, c2) == Approx(1.9463378332).margin(1e-9));
  CHECK(fair.se(p2, c2) == Approx(0.2782141540).margin(1e-9));
  const auto [q2, c3] = cell("q2", fs);
  CHECK(fair.value(q2, c3) == Approx(2.2556571406).margin(1e-9));
  CHECK(fair.se(q2, c3) == Approx(0.3144307746).margin(1e-9));
  CHECK(fair.n(q2, c3) == 3);
  // A competency nobody rated stays empty.
  CHECK(std::isnan(fair.value(p1, 5)));
  CHECK(fair.n(p1, 5) == 0);

  SECTION("an earlier period keeps only the ratees rated then") {
    const competency_scores q1 = fit.fair_scores(t, *t.periods().find("2026Q1"));
    CHECK(q1.rows() == 8);
    // Same ratings, moved to 2026Q1: lower by the difference of the period effects.
    const auto r = static_cast<Eigen::Index>(*q1.row_of(*t.ratees().find("p1")));
    CHECK(q1.value(r, fs) == Approx(3.4294934485 - 2 * 0.0292723826).margin(1e-9));
  }
}

TEST_CASE("severity: the iterative solvers for large designs agree with the direct one", "[severity]") {
  const auto t = make_table(oracle_rows);
  const severity_fit direct = fit_severity(t, least_squares());
  CHECK(direct.solver == "Cholesky (dense)");
  for (const auto& [solver, name] : {std::pair{severity_solver::jacobi_cg, "Jacobi"},
                                     std::pair{severity_solver::incomplete_cholesky_cg, "incomplete Cholesky"}}) {
    INFO(name);
    severity_options iterative = least_squares();
    iterative.solver = solver;
    const severity_fit cg = fit_severity(t, iterative);
    REQUIRE(cg.available);
    CHECK(cg.converged);
    CHECK_THAT(cg.solver, Contains(name));
    CHECK_THAT(cg.se_method, Contains("approximate"));
    CHECK(cg.residual_sd == Approx(direct.residual_sd).margin(1e-9));
    for (std::size_t r = 0; r < direct.raters.size(); ++r) {
      CHECK(cg.raters[r].severity == Approx(direct.raters[r].severity).margin(1e-8));
      // The per-element SE is an approximation; on this small unbalanced
      // design it stays within 25% of the exact one.
      CHECK(cg.raters[r].se == Approx(direct.raters[r].se).epsilon(0.25));
    }
    for (std::size_t k = 0; k < direct.ratee_effects.size(); ++k)
      CHECK(cg.ratee_effects[k] == Approx(direct.ratee_effects[k]).margin(1e-8));
    for (std::size_t c = 0; c < direct.competency_effects.size(); ++c)
      CHECK(cg.competency_effects[c].estimate == Approx(direct.competency_effects[c].estimate).margin(1e-8));
  }

  SECTION("on the example data the approximate SEs are within 5% of the exact ones") {
    severity_options iterative = least_squares();
    iterative.exact_se_max_parameters = 0;
    const severity_fit exact = fit_severity(example().table, least_squares()), approx = fit_severity(example().table, iterative);
    CHECK_THAT(approx.solver, Contains("Jacobi"));
    for (std::size_t r = 0; r < exact.raters.size(); ++r) {
      CHECK(approx.raters[r].severity == Approx(exact.raters[r].severity).margin(1e-8));
      CHECK(approx.raters[r].se == Approx(exact.raters[r].se).epsilon(0.05));
    }
  }

  SECTION("a long chain of raters: Jacobi CG gives up after 200 iterations, incomplete Cholesky finishes") {
    // Ratee i is rated by raters i and i+1 on two competencies: rater 0 and
    // rater 400 are linked only through 399 others.
    constexpr int chain = 400;
    std::vector<std::string> raters, ratees;
    for (int i = 0; i <= chain; ++i) raters.push_back("c" + std::to_string(1000 + i));
    for (int i = 0; i < chain; ++i) ratees.push_back("e" + std::to_string(1000 + i));
    std::vector<row> rows;
    for (int i = 0; i < chain; ++i)
      for (int k = 0; k < 2; ++k)
        for (std::size_t c : {fs, pd})
          rows.push_back({ratees[static_cast<std::size_t>(i)].c_str(), raters[static_cast<std::size_t>(i + k)].c_str(),
                          c, 1 + (i * 7 + k * 3 + static_cast<int>(c)) % 5, "2026Q1"});
    const auto chain_table = make_table(rows);
    severity_options automatic = least_squares();
    automatic.exact_se_max_parameters = 0;
    const severity_fit fast = fit_severity(chain_table, automatic);
    CHECK(fast.converged);
    CHECK_THAT(fast.solver, Contains("incomplete Cholesky"));
    CHECK(fast.iterations >= 200);  // the 200 Jacobi iterations, then few or none (IC is exact on a chain)
    const severity_fit exact = fit_severity(chain_table, least_squares());
    CHECK(exact.solver == "Cholesky (dense)");
    for (std::size_t r = 0; r < exact.raters.size(); ++r)
      CHECK(fast.raters[r].severity == Approx(exact.raters[r].severity).margin(1e-6));
  }
}

// Issue 7's property: shifting every rating of one rater by a constant
// moves that rater's severity by exactly minus the constant relative to
// every other rater of its component and leaves all other differences
// alone.  With severities centred in the component (4 raters here), that
// is -1 + 1/4 for the shifted rater and +1/4 for the others.
TEST_CASE("severity: shifting one rater's ratings by +1 shifts its severity by exactly -1", "[severity][property]") {
  std::vector<row> shifted = oracle_rows;
  for (row& x : shifted)
    if (std::string(x.rater) == "D") x.level += 1;  // D never rates 5, so nothing leaves the scale
  const auto before_table = make_table(oracle_rows), after_table = make_table(shifted);
  for (severity_solver solver : {severity_solver::dense, severity_solver::jacobi_cg,
                                 severity_solver::incomplete_cholesky_cg}) {
    severity_options options = least_squares();
    options.solver = solver;
    INFO("solver " << static_cast<int>(solver));
    const severity_fit before = fit_severity(before_table, options), after = fit_severity(after_table, options);
    const double d_before = rater_named(before, before_table, "D").severity;
    const double d_after = rater_named(after, after_table, "D").severity;
    for (const char* other : {"A", "B", "C"}) {
      const double o_before = rater_named(before, before_table, other).severity;
      const double o_after = rater_named(after, after_table, other).severity;
      CHECK((d_after - o_after) - (d_before - o_before) == Approx(-1.0).margin(1e-9));
      CHECK(o_after - o_before == Approx(0.25).margin(1e-9));
    }
    CHECK(d_after - d_before == Approx(-0.75).margin(1e-9));
    for (const char* other : {"E", "F"})
      CHECK(rater_named(after, after_table, other).severity ==
            Approx(rater_named(before, before_table, other).severity).margin(1e-9));
    // Competency and period effects do not move.
    for (std::size_t c = 0; c < 2; ++c)
      CHECK(after.competency_effects[c].estimate == Approx(before.competency_effects[c].estimate).margin(1e-9));
  }
}

TEST_CASE("severity: planted effects in the example data are recovered", "[severity][example]") {
  const simulated_ratings& sim = example();
  const ratings_table& t = sim.table;
  const severity_fit fit = fit_severity(t, least_squares());
  REQUIRE(fit.available);
  CHECK_THAT(fit.se_method, Contains("exact"));
  REQUIRE(fit.raters.size() == 6);  // managers only: self ratings are not external

  // The planted bias of a manager relative to the mean bias of the managers
  // of its component (averaged over periods, which is what a pooled
  // severity sees), with the sign flipped: FACETS severity is positive for
  // harsh raters.
  const auto planted_severity = [&](const std::string& name) {
    const auto m = static_cast<Eigen::Index>(std::find(sim.truth.managers.begin(), sim.truth.managers.end(), name) -
                                             sim.truth.managers.begin());
    const bool squad = sim.truth.manager_in_squad[static_cast<std::size_t>(m)];
    double sum = 0, count = 0;
    for (Eigen::Index k = 0; k < sim.truth.manager_bias.rows(); ++k)
      if (sim.truth.manager_in_squad[static_cast<std::size_t>(k)] == squad) {
        sum += sim.truth.manager_bias.row(k).mean();
        count += 1;
      }
    return -(sim.truth.manager_bias.row(m).mean() - sum / count);
  };

  const rater_severity& lenient = rater_named(fit, t, "mgr1");
  // Leniency 1.0 was planted, +0.98 with mgr1's random part; relative to
  // the component that is a severity of about -0.80.  Rounding to levels
  // and clamping at the top of the scale pull it toward 0: tolerance 0.1
  // around the planted value.
  CHECK(planted_severity("mgr1") == Approx(-0.7987).margin(0.005));
  CHECK(lenient.severity == Approx(planted_severity("mgr1")).margin(0.1));
  CHECK(has_flag(lenient, rater_flag::lenient));
  CHECK_FALSE(has_flag(lenient, rater_flag::harsh));
  CHECK(lenient.ci_high < 0);

  // The squad managers form their own component, and the suggestions name a
  // cross-assignment between it and the main group.
  const rater_severity& squad5 = rater_named(fit, t, "mgr5");
  const rater_severity& squad6 = rater_named(fit, t, "mgr6");
  CHECK(squad5.component == 1);
  CHECK(squad6.component == 1);
  CHECK(lenient.component == 0);
  CHECK(squad5.severity + squad6.severity == Approx(0).margin(1e-9));
  REQUIRE(fit.network.components.size() == 2);
  REQUIRE(fit.network.suggestions.size() == 2);
  for (const cross_assignment& s : fit.network.suggestions) {
    const bool squad_rater = t.raters()[s.rater] == "mgr5" || t.raters()[s.rater] == "mgr6";
    const auto ratee_index = static_cast<std::size_t>(
        std::find(sim.truth.ratees.begin(), sim.truth.ratees.end(), t.ratees()[s.ratee]) - sim.truth.ratees.begin());
    CHECK(squad_rater != sim.truth.ratee_in_squad[ratee_index]);  // always across the divide
  }
  CHECK(fit.network.rater_pairs_without_shared_ratee == 8);  // 4 main x 2 squad managers

  // The halo manager.
  const rater_severity& halo = rater_named(fit, t, "mgr3");
  CHECK(has_flag(halo, rater_flag::halo));
  CHECK(halo.halo_sd_ratio < 0.5);
  CHECK(halo.halo_pc1_share > 0.8);
  for (const char* name : {"mgr1", "mgr2", "mgr4", "mgr5", "mgr6"}) {
    INFO(name);
    CHECK_FALSE(has_flag(rater_named(fit, t, name), rater_flag::halo));
    CHECK(rater_named(fit, t, name).halo_sd_ratio > 0.8);
    CHECK(rater_named(fit, t, name).halo_pc1_share < 0.7);
  }

  // The reference manager: no flag at all, severity within 0.1 of planted.
  const rater_severity& reference = rater_named(fit, t, "mgr4");
  CHECK(reference.flags.empty());
  CHECK(reference.severity == Approx(planted_severity("mgr4")).margin(0.1));

  // The drifting manager's drift is centred on its base bias (-0.20), so
  // over the year it is an ordinary rater: severity near the planted value
  // and neither lenient nor harsh.
  const rater_severity& drifter = rater_named(fit, t, "mgr2");
  CHECK(drifter.severity == Approx(planted_severity("mgr2")).margin(0.15));
  CHECK_FALSE(has_flag(drifter, rater_flag::harsh));
  CHECK_FALSE(has_flag(drifter, rater_flag::lenient));

  // Fair scores for the latest period cover every ratee.
  const competency_scores fair = fit.fair_scores(t);
  CHECK(fair.rows() == 40);
  CHECK(t.periods()[*fair.period] == "2026Q4");
}

TEST_CASE("severity: every rater flag has one stable name", "[severity]") {
  // The spellings are what JSON, the CLI, the reports and Python show.
  const std::vector<std::pair<rater_flag, std::string>> spellings{
      {rater_flag::lenient, "lenient"},
      {rater_flag::harsh, "harsh"},
      {rater_flag::central_tendency, "central-tendency"},
      {rater_flag::range_restriction, "range-restriction"},
      {rater_flag::non_discriminating, "non-discriminating"},
      {rater_flag::halo, "halo"}};
  CHECK(spellings.size() == detail::rater_flag_names.size());
  for (const auto& [flag, text] : spellings) {
    CHECK(to_string(flag) == text);
    CHECK(parse_rater_flag(text) == flag);
  }
  CHECK_FALSE(parse_rater_flag("Lenient"));
}

TEST_CASE("severity: distribution flags on hand-built raters", "[severity]") {
  // Ten ratees of spread-out proficiency on two competencies.  N1 and N2
  // rate them faithfully (level = proficiency, fs one above pd where it
  // fits); Mid gives everyone 3; Flat gives 4 on fs and 2 on pd to everyone.
  const int proficiency[10] = {1, 2, 2, 3, 3, 3, 4, 4, 5, 5};
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i) names.push_back("r" + std::to_string(10 + i));
  std::vector<row> rows;
  for (int i = 0; i < 10; ++i) {
    const int p = proficiency[i];
    for (const char* rater : {"N1", "N2"}) {
      rows.push_back({names[static_cast<std::size_t>(i)].c_str(), rater, fs, p, "2026Q1"});
      rows.push_back({names[static_cast<std::size_t>(i)].c_str(), rater, pd, std::max(1, p - (i % 2)), "2026Q1"});
    }
    rows.push_back({names[static_cast<std::size_t>(i)].c_str(), "Mid", fs, 3, "2026Q1"});
    rows.push_back({names[static_cast<std::size_t>(i)].c_str(), "Mid", pd, 3, "2026Q1"});
    rows.push_back({names[static_cast<std::size_t>(i)].c_str(), "Flat", fs, 4, "2026Q1"});
    rows.push_back({names[static_cast<std::size_t>(i)].c_str(), "Flat", pd, 2, "2026Q1"});
  }
  const auto t = make_table(rows);
  const severity_fit fit = fit_severity(t, least_squares());
  REQUIRE(fit.available);

  const rater_severity& mid = rater_named(fit, t, "Mid");
  CHECK(mid.middle_share == 1.0);
  CHECK(mid.sd_ratio == 0.0);
  CHECK(mid.levels_used == 1);
  CHECK(mid.pooled_levels_used == 5);
  CHECK(mid.discrimination_ratio == 0.0);
  CHECK(has_flag(mid, rater_flag::central_tendency));
  CHECK(has_flag(mid, rater_flag::range_restriction));
  CHECK(has_flag(mid, rater_flag::non_discriminating));
  CHECK_FALSE(has_flag(mid, rater_flag::halo));  // no variation at all: the PCA share is undefined
  CHECK(std::isnan(mid.halo_pc1_share));

  const rater_severity& flat = rater_named(fit, t, "Flat");
  CHECK(flat.levels_used == 2);
  CHECK(flat.middle_share == 0.0);
  CHECK(has_flag(flat, rater_flag::range_restriction));
  CHECK(has_flag(flat, rater_flag::non_discriminating));
  CHECK_FALSE(has_flag(flat, rater_flag::central_tendency));

  for (const char* name : {"N1", "N2"}) {
    const rater_severity& n = rater_named(fit, t, name);
    INFO(name);
    CHECK(n.levels_used == 5);
    CHECK(n.n_ratings == 20);
    CHECK(n.n_ratees == 10);
    // Hand-computed: N1's levels are 1,2,2,3,3,3,4,4,5,5 (fs) and
    // 1,1,2,2,3,2,4,3,5,4 (pd): mean 2.95.
    CHECK(n.mean_level == Approx(2.95));
    CHECK_FALSE(has_flag(n, rater_flag::central_tendency));
    CHECK_FALSE(has_flag(n, rater_flag::range_restriction));
    CHECK_FALSE(has_flag(n, rater_flag::non_discriminating));
  }

  SECTION("too few ratings: no distribution flags") {
    severity_options options = least_squares();
    options.min_ratings_for_flags = 21;
    const severity_fit strict = fit_severity(t, options);
    CHECK(rater_named(strict, t, "Mid").flags.empty());
    CHECK(rater_named(strict, t, "Flat").flags.empty());
  }
}

TEST_CASE("severity: a lone rater in its component has no SE and no lenient/harsh flag", "[severity]") {
  std::vector<row> rows = oracle_rows;
  // One rating per ratee: Z's ratees tell the model nothing about any effect.
  rows.push_back({"z1", "Z", fs, 1, "2026Q1"});
  rows.push_back({"z2", "Z", pd, 1, "2026Q2"});
  const auto t = make_table(rows);
  const severity_fit fit = fit_severity(t, least_squares());
  REQUIRE(fit.available);
  const rater_severity& z = rater_named(fit, t, "Z");
  CHECK(z.component == 2);
  CHECK(z.severity == 0.0);
  CHECK(std::isnan(z.se));
  CHECK(std::isnan(z.ci_low));
  CHECK(z.flags.empty());
  // Two more ratings and two more ratee effects: the others' estimates and
  // the residual degrees of freedom do not change.
  CHECK(fit.dof == 32);
  CHECK(rater_named(fit, t, "A").severity == Approx(-0.7933936350).margin(1e-9));
  CHECK(rater_named(fit, t, "A").se == Approx(0.1816793247).margin(1e-9));
}

TEST_CASE("severity: data that cannot support the model give available = false", "[severity]") {
  SECTION("no external ratings") {
    const auto t = make_table({}, {{"p1", "", fs, 3, "2026Q1"}, {"p2", "", fs, 3, "2026Q1"}});
    const severity_fit fit = fit_severity(t, least_squares());
    CHECK_FALSE(fit.available);
    CHECK_THAT(fit.reason, Contains("no ratings"));
    CHECK(fit.raters.empty());
    CHECK(fit.fair_scores(t).rows() == 0);
  }
  SECTION("as many parameters as ratings") {
    const auto t = make_table({{"p1", "A", fs, 3, "2026Q1"}, {"p1", "B", fs, 4, "2026Q1"}});
    const severity_fit fit = fit_severity(t, least_squares());
    CHECK_FALSE(fit.available);
    CHECK_THAT(fit.reason, Contains("degrees of freedom"));
  }
}

TEST_CASE("severity: bad arguments throw invalid_argument naming the option", "[severity][errors]") {
  const auto t = make_table(oracle_rows);
  const auto throws_naming = [&](severity_options options, const std::string& name) {
    INFO(name);
    CHECK_THROWS_AS(fit_severity(t, options), calibra::invalid_argument);
    CHECK_THROWS_WITH(fit_severity(t, options), Contains(name));
  };
  severity_options o = least_squares();
  o.confidence = 1.0;
  throws_naming(o, "confidence");
  o = {};
  o.confidence = std::nan("");
  throws_naming(o, "confidence");
  o = {};
  o.flag_threshold = -0.1;
  throws_naming(o, "flag_threshold");
  o = {};
  o.central_share = 1.5;
  throws_naming(o, "central_share");
  o = {};
  o.halo_pc1_share = -1;
  throws_naming(o, "halo_pc1_share");
  o = {};
  o.halo_sd_ratio = std::numeric_limits<double>::infinity();
  throws_naming(o, "halo_sd_ratio");
  o = {};
  o.min_ratees_for_flags = 1;
  throws_naming(o, "min_ratees_for_flags");
  o = {};
  o.range_max_levels = 0;
  throws_naming(o, "range_max_levels");
  o = {};
  o.tolerance = 0;
  throws_naming(o, "tolerance");
  o = {};
  o.max_iterations = 0;
  throws_naming(o, "max_iterations");
  o = {};
  o.filter.competency = 99;
  throws_naming(o, "filter.competency");
  o = {};
  o.filter.period = 7;
  throws_naming(o, "filter.period");

  const severity_fit fit = fit_severity(t, least_squares());
  CHECK_THROWS_AS(fit.fair_scores(t, 5), calibra::invalid_argument);
  CHECK_THROWS_WITH(fit.fair_scores(t, 5), Contains("period"));
  CHECK_THROWS_AS(fit.fair_scores(example().table), calibra::invalid_argument);
  CHECK_THROWS_WITH(fit.fair_scores(example().table), Contains("fitted on"));
}

TEST_CASE("severity: period effects can be switched off", "[severity]") {
  const auto t = make_table(oracle_rows);
  severity_options options = least_squares();
  options.period_effects = false;
  const severity_fit fit = fit_severity(t, options);
  REQUIRE(fit.available);
  CHECK(fit.dof == 33);  // one parameter fewer than with period effects
  REQUIRE(fit.period_effects.size() == 2);
  CHECK(fit.period_effects[0].estimate == 0.0);
  CHECK(std::isnan(fit.period_effects[0].se));
}
