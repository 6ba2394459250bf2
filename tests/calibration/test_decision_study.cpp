// Decision study: variance components and the D-study projection against
// Shrout & Fleiss (1979) as published and as psych::ICC computes it, the
// Spearman-Brown formula, Henderson's Method 1 on unbalanced data and the
// one-way ANOVA on nested data (numbers from tests/calibration/oracle_decision_study.R),
// designs read from ratings tables, privacy, bad options and planted
// variance components on generated data.
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using namespace calibra::calibration;
using Catch::Matchers::Contains;

namespace {

const double NA = std::numeric_limits<double>::quiet_NaN();

/// A wide reference CSV (header of rater names, empty cell = missing).
Eigen::MatrixXd read_reference(const std::string& name) {
  std::ifstream in(std::string(CALIBRA_TEST_DATA_DIR) + "/reference/" + name);
  REQUIRE(in);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, ',')) row.push_back(cell.empty() ? NA : std::stod(cell));
    rows.push_back(row);
  }
  Eigen::MatrixXd m(rows.size(), rows.at(0).size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return m;
}

/// The unbalanced crossed matrix of tests/calibration/oracle_decision_study.R.
Eigen::MatrixXd unbalanced() {
  Eigen::MatrixXd m(8, 4);
  m << 4, 3, NA, 5,  //
      2, NA, 3, 3,   //
      NA, 4, 4, 5,   //
      3, 2, 2, NA,   //
      5, 4, NA, NA, //
      NA, NA, 2, 3, //
      1, 2, 1, 2,     //
      4, NA, 5, 4;
  return m;
}

/// The nested data of the oracle: unit -> scores, each by its own rater.
const std::vector<std::vector<int>> nested_groups{{3, 4}, {1, 2, 2}, {5, 4}, {3, 3, 2, 4}, {2, 1, 2}, {4, 5}};

Eigen::MatrixXd nested_matrix() {
  std::size_t raters = 0;
  for (const auto& g : nested_groups) raters += g.size();
  Eigen::MatrixXd m = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(nested_groups.size()),
                                                static_cast<Eigen::Index>(raters), NA);
  Eigen::Index column = 0;
  for (std::size_t u = 0; u < nested_groups.size(); ++u)
    for (int score : nested_groups[u]) m(static_cast<Eigen::Index>(u), column++) = score;
  return m;
}

/// Ratings of a units x raters matrix (levels 1..5) in one competency and
/// period; `mirror` writes 6 - level instead (same sums of squares, other mean).
void add_matrix(ratings_builder& b, const Eigen::MatrixXd& m, const char* competency, const char* period, bool mirror) {
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      if (std::isnan(m(i, j))) continue;
      const std::string ratee = "u" + std::to_string(i), rater = "r" + std::to_string(j);
      const std::string level = std::to_string(mirror ? 6 - static_cast<int>(m(i, j)) : static_cast<int>(m(i, j)));
      rating_text t;
      t.ratee = ratee;
      t.rater = rater;
      t.role = "peer";
      t.competency = competency;
      t.level = level;
      t.period = period;
      b.add_text(t, b.rows() + 2);
    }
}

}  // namespace

TEST_CASE("decision study: Spearman-Brown arithmetic from the published formula", "[decision_study]") {
  // rho_k = k rho / (1 + (k - 1) rho)
  CHECK(spearman_brown(0.5, 2) == Approx(2.0 / 3.0));
  CHECK(spearman_brown(0.3, 5) == Approx(1.5 / 2.2));
  CHECK(spearman_brown(0.2, 1) == Approx(0.2));
  // Shrout & Fleiss (1979): ICC(1,4) = .44 is the Spearman-Brown step-up of ICC(1,1) = .17.
  CHECK(spearman_brown(0.16574176840547555, 4) == Approx(0.44279713367926893));
  // k = target (1 - rho) / (rho (1 - target)): 0.8 * 0.5 / (0.5 * 0.2) = 4 exactly (no rounding up to 5);
  // 0.8 * 0.7 / (0.3 * 0.2) = 9.33 -> 10.
  CHECK(spearman_brown_raters_needed(0.5, 0.8) == std::optional<std::size_t>(4));
  CHECK(spearman_brown_raters_needed(0.3, 0.8) == std::optional<std::size_t>(10));
  CHECK(spearman_brown_raters_needed(0.9, 0.8) == std::optional<std::size_t>(1));
  CHECK(spearman_brown_raters_needed(1.0, 0.8) == std::optional<std::size_t>(1));
  CHECK_FALSE(spearman_brown_raters_needed(0.0, 0.8).has_value());
  CHECK_FALSE(spearman_brown_raters_needed(-0.1, 0.8).has_value());
  CHECK_THROWS_AS(spearman_brown(0.5, 0), calibra::invalid_argument);
  CHECK_THROWS_AS(spearman_brown_raters_needed(0.5, 1.0), calibra::invalid_argument);
}

TEST_CASE("decision study: Shrout & Fleiss (1979), crossed and balanced", "[decision_study][reference]") {
  const Eigen::MatrixXd sf = read_reference("shrout_fleiss_1979.csv");
  const decision_study_result r = decision_study(sf);
  REQUIRE(r.available);
  CHECK(r.design == g_design::crossed);
  CHECK(r.balanced);
  CHECK_THAT(r.estimator, Contains("two-way random-effects ANOVA"));
  CHECK(r.n_units == 6);
  CHECK(r.n_raters == 4);
  CHECK(r.n_ratings == 24);
  CHECK(r.harmonic_raters_per_unit == 4);
  // psych::ICC(lmer = FALSE) mean squares -> components (oracle script):
  // (BMS - EMS)/k, (JMS - EMS)/n, EMS.  lme4 REML agrees to 5 digits.
  CHECK(r.components.ratee == Approx(2.5555555555555562));
  CHECK(r.components.rater == Approx(5.2444444444444409));
  CHECK(r.components.residual == Approx(1.0194444444444444));
  CHECK(r.notes.empty());
  // Published (Shrout & Fleiss 1979, Table 4): ICC(3,1) = .71, ICC(2,1) = .29, ICC(3,4) = .91, ICC(2,4) = .62.
  REQUIRE(r.projection.size() == 10);
  CHECK(r.projection[0].g == Approx(0.71).margin(0.005));
  CHECK(r.projection[0].phi == Approx(0.29).margin(0.005));
  CHECK(r.projection[3].g == Approx(0.91).margin(0.005));
  CHECK(r.projection[3].phi == Approx(0.62).margin(0.005));
  // psych::ICC to full precision: ICC3, ICC2, ICC3k, ICC2k.
  CHECK(r.projection[0].g == Approx(0.71484071484071487));
  CHECK(r.projection[0].phi == Approx(0.28976377952755922));
  CHECK(r.projection[3].g == Approx(0.90931554237706946));
  CHECK(r.projection[3].phi == Approx(0.62005054759898925));
  CHECK(r.g_current == Approx(r.projection[3].g));
  CHECK(r.phi_current == Approx(r.projection[3].phi));
  // Raters for 0.8: G: 4 * 1.01944 / 2.55556 = 1.60 -> 2;  Phi: 4 * (5.24444 + 1.01944) / 2.55556 = 9.80 -> 10.
  CHECK(r.raters_needed_g == std::optional<std::size_t>(2));
  CHECK(r.raters_needed_phi == std::optional<std::size_t>(10));
  CHECK(r.projection[1].g >= 0.8);
  CHECK(r.projection[8].phi < 0.8);
  CHECK(r.projection[9].phi >= 0.8);
}

TEST_CASE("decision study: Shrout & Fleiss (1979) as a one-way (nested) design", "[decision_study][reference]") {
  decision_study_options o;
  o.design = g_design::nested;
  o.target = 0.5;
  const decision_study_result r = decision_study(read_reference("shrout_fleiss_1979.csv"), o);
  REQUIRE(r.available);
  CHECK(r.design == g_design::nested);
  CHECK_FALSE(r.balanced);
  // psych: MSW = 6.2638888888888866, (BMS - WMS)/k = 1.2444444444444456.
  CHECK(r.components.ratee == Approx(1.2444444444444456));
  CHECK(r.components.residual == Approx(6.2638888888888866));
  CHECK(r.components.rater == 0);
  // Published ICC(1,1) = .17, ICC(1,4) = .44; psych ICC1, ICC1k to full precision.
  CHECK(r.projection[0].g == Approx(0.17).margin(0.005));
  CHECK(r.projection[3].g == Approx(0.44).margin(0.005));
  CHECK(r.projection[0].g == Approx(0.16574176840547555));
  CHECK(r.projection[3].g == Approx(0.44279713367926893));
  for (const reliability_projection& p : r.projection) {
    CHECK(p.phi == Approx(p.g));
    CHECK(p.g == Approx(spearman_brown(r.projection[0].g, static_cast<double>(p.raters))));
  }
  // Target 0.5: 1 * 6.26389 / 1.24444 = 5.03 -> 6 raters.
  CHECK(r.raters_needed_g == std::optional<std::size_t>(6));
  CHECK(r.projection[4].g < 0.5);
  CHECK(r.projection[5].g >= 0.5);
}

TEST_CASE("decision study: unbalanced crossed data use Henderson's Method 1", "[decision_study][reference]") {
  const decision_study_result r = decision_study(unbalanced());
  REQUIRE(r.available);
  CHECK(r.design == g_design::crossed);
  CHECK_FALSE(r.balanced);
  CHECK_THAT(r.estimator, Contains("Henderson's Method 1"));
  CHECK(r.n_ratings == 23);
  CHECK(r.n_units == 8);
  // Unit sizes 3, 3, 3, 3, 2, 2, 4, 3: harmonic mean 8 / (5/3 + 2/2 + 1/4) = 2.743.
  CHECK(r.harmonic_raters_per_unit == Approx(8.0 / (5.0 / 3 + 2.0 / 2 + 1.0 / 4)));
  CHECK(r.mean_raters_per_unit == Approx(23.0 / 8.0));
  // Oracle (Method 1 by explicit projection matrices and traces in R).
  CHECK(r.components.ratee_raw == Approx(1.2712781954887202));
  CHECK(r.components.rater_raw == Approx(-0.021119465329990962));
  CHECK(r.components.residual_raw == Approx(0.4655639097744384));
  // The negative rater component is set to 0 and noted.
  CHECK(r.components.rater == 0);
  CHECK(r.components.ratee == Approx(1.2712781954887202));
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Contains("negative rater variance"));
  // G = Phi once the rater component is 0: s2p / (s2p + s2e / k).
  CHECK(r.projection[1].g == Approx(1.2712781954887202 / (1.2712781954887202 + 0.4655639097744384 / 2)));
  CHECK(r.projection[1].phi == Approx(r.projection[1].g));

  // Rater 4 one level more lenient: the rater component appears.
  Eigen::MatrixXd lenient = unbalanced();
  for (Eigen::Index i = 0; i < lenient.rows(); ++i) lenient(i, 3) += 1;
  const decision_study_result l = decision_study(lenient);
  CHECK(l.components.ratee == Approx(1.2535639097744344));
  CHECK(l.components.rater == Approx(0.57783291562239048));
  CHECK(l.components.residual == Approx(0.48327819548872408));
  CHECK(l.notes.empty());
  const double p = 1.2535639097744344, rr = 0.57783291562239048, e = 0.48327819548872408;
  CHECK(l.projection[0].g == Approx(p / (p + e)));
  CHECK(l.projection[0].phi == Approx(p / (p + rr + e)));
  CHECK(l.projection[2].phi == Approx(p / (p + (rr + e) / 3)));
  // 0.8: G 4 e / p = 1.54 -> 2; Phi 4 (r + e) / p = 3.39 -> 4.
  CHECK(l.raters_needed_g == std::optional<std::size_t>(2));
  CHECK(l.raters_needed_phi == std::optional<std::size_t>(4));
}

TEST_CASE("decision study: raters nested in ratees give the one-way model", "[decision_study][reference]") {
  const decision_study_result r = decision_study(nested_matrix());
  REQUIRE(r.available);
  CHECK(r.design == g_design::nested);  // detected: no rater rates two units
  CHECK(r.n_raters == 16);
  // R: anova(lm(y ~ unit)), n0 = (N - sum n_i^2 / N) / (a - 1) = 2.625.
  CHECK(r.components.ratee == Approx(1.3476190476190477));
  CHECK(r.components.residual == Approx(0.48333333333333339));
  CHECK(r.projection[0].g == Approx(1.3476190476190477 / (1.3476190476190477 + 0.48333333333333339)));
  // Asking for crossed cannot separate the rater: falls back, with a note.
  decision_study_options o;
  o.design = g_design::crossed;
  const decision_study_result forced = decision_study(nested_matrix(), o);
  CHECK(forced.design == g_design::nested);
  REQUIRE_FALSE(forced.notes.empty());
  CHECK_THAT(forced.notes[0], Contains("cannot be separated"));
  CHECK(forced.components.ratee == Approx(1.3476190476190477));
}

TEST_CASE("decision study: from a ratings table, cells pooled with their own means", "[decision_study]") {
  // The unbalanced matrix in 2026Q1 and its mirror image (6 - level) in
  // 2026Q2: the same sums of squares around a different mean, so the pooled
  // estimates equal the single-matrix ones.  Self ratings are ignored.
  ratings_builder b(calibra::builtin_framework(), "hand");
  add_matrix(b, unbalanced(), "product-delivery", "2026Q1", false);
  add_matrix(b, unbalanced(), "product-delivery", "2026Q2", true);
  rating_text self;
  self.ratee = "u0";
  self.rater = "u0";
  self.role = "self";
  self.competency = "product-delivery";
  self.level = "1";
  self.period = "2026Q1";
  b.add_text(self, b.rows() + 2);
  const ratings_table t = b.finish();
  const decision_study_result r = decision_study(t);
  REQUIRE(r.available);
  CHECK(r.n_cells == 2);
  CHECK(r.n_units == 16);
  CHECK(r.n_ratees == 8);
  CHECK(r.n_ratings == 46);
  CHECK(r.components.ratee_raw == Approx(1.2712781954887202));
  CHECK(r.components.rater_raw == Approx(-0.021119465329990962));
  CHECK(r.components.residual_raw == Approx(0.4655639097744384));
  // One period alone: the same numbers again.
  decision_study_options o;
  o.filter.period = t.periods().find("2026Q2");
  const decision_study_result q2 = decision_study(t, o);
  CHECK(q2.n_cells == 1);
  CHECK(q2.components.ratee_raw == Approx(1.2712781954887202));

  // Nested data in a table: each ratee rated by raters of their own.
  ratings_builder nb(calibra::builtin_framework(), "nested");
  for (std::size_t u = 0; u < nested_groups.size(); ++u)
    for (std::size_t k = 0; k < nested_groups[u].size(); ++k) {
      const std::string ratee = "p" + std::to_string(u), rater = "q" + std::to_string(u) + "_" + std::to_string(k);
      const std::string level = std::to_string(nested_groups[u][k]);
      rating_text t2;
      t2.ratee = ratee;
      t2.rater = rater;
      t2.role = "peer";
      t2.competency = "managing-up";
      t2.level = level;
      t2.period = "2026Q3";
      nb.add_text(t2, nb.rows() + 2);
    }
  const decision_study_result n = decision_study(nb.finish());
  CHECK(n.design == g_design::nested);
  CHECK(n.components.ratee == Approx(1.3476190476190477));
  CHECK(n.components.residual == Approx(0.48333333333333339));
}

TEST_CASE("decision study: privacy, unavailable data and bad options", "[decision_study][errors][unavailable]") {
  decision_study_options o;
  const privacy_policy seven{7};  // Shrout & Fleiss have 6 targets
  const decision_study_result s = decision_study(read_reference("shrout_fleiss_1979.csv"), o, seven);
  CHECK(s.available);
  CHECK(s.suppressed);
  CHECK(std::isnan(s.components.ratee));
  CHECK(std::isnan(s.projection[0].g));
  CHECK_FALSE(s.raters_needed_phi.has_value());
  CHECK_THAT(s.note, Contains("6 ratees, fewer than the minimum group of 7"));

  // One rating per unit: nothing within units.
  Eigen::MatrixXd single(3, 3);
  single << 1, NA, NA, NA, 2, NA, NA, NA, 4;
  const decision_study_result u = decision_study(single);
  CHECK_FALSE(u.available);
  CHECK_THAT(u.reason, Contains("no ratee has two ratings"));
  // Only self ratings in a table.
  const decision_study_result none =
      decision_study(calibra_test::table_from_text({{"a", "a", "self", "product-delivery", 3, "2026Q1"}}, "self"));
  CHECK_FALSE(none.available);
  CHECK_THAT(none.reason, Contains("no external ratings"));
  // Every ratee has the same mean: the ratee component is negative (set to
  // 0), and no number of raters reaches the target.
  Eigen::MatrixXd flat = Eigen::MatrixXd::Constant(4, 3, 3.0);
  flat(0, 0) = 4;
  flat(0, 1) = 2;
  flat(1, 0) = 2;
  flat(1, 1) = 4;
  const decision_study_result f = decision_study(flat);
  CHECK(f.available);
  CHECK(f.components.ratee == 0);
  CHECK(f.components.ratee_raw < 0);
  CHECK_FALSE(f.raters_needed_g.has_value());
  CHECK_FALSE(f.raters_needed_phi.has_value());
  CHECK(f.projection[0].g == 0);

  const Eigen::MatrixXd sf = read_reference("shrout_fleiss_1979.csv");
  const auto fails = [&](const decision_study_options& bad, const char* what) {
    CHECK_THROWS_AS(decision_study(sf, bad), calibra::invalid_argument);
    CHECK_THROWS_WITH(decision_study(sf, bad), Contains(what));
  };
  o = {};
  o.target = 1;
  fails(o, "target");
  o = {};
  o.max_raters = 0;
  fails(o, "max_raters");
  o = {};
  o.filter.roles = {rater_role::self};
  fails(o, "must not include 'self'");
  Eigen::MatrixXd infinite = sf;
  infinite(2, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(decision_study(infinite), Contains("unit 2, rater 1"));
}

TEST_CASE("decision study: planted variance components of generated data are recovered", "[decision_study][planted]") {
  // 100 senior PMs, 20 managers with random severities (sd 0.5), no planted
  // effects, no squad; one competency whose senior-PM expectation is the
  // middle level (3), so that clamping at levels 1 and 5 is rare and the
  // additive model holds.  Expectations: the rater component ~ the sample
  // variance of the 20 realised biases; the ratee component ~ the variance
  // over PMs of their proficiency on the competency (simulation_truth); the
  // residual ~ noise 0.35^2 plus rounding to whole levels (~1/12).
  // Tolerances: 0.1 squared levels for the components -- the sampling error
  // of a variance from 20 raters or 100 ratees, plus the attenuation that
  // rounding to levels brings -- and [0.35^2, 0.35^2 + 0.15] for the residual.
  // (Across the whole ladder, clamping at the ends of the scale shrinks
  // every component; docs/calibration-agreement.md says so.)
  simulation_config config = example_simulation_config();
  config.ratees_per_career_level = {0, 0, 100, 0, 0};
  config.managers = 20;
  config.squad_ratees = 0;
  config.rater_bias_sd = 0.5;
  config.lenient_manager.reset();
  config.drifting_manager.reset();
  config.halo_manager.reset();
  const simulated_ratings sim = simulate_ratings(calibra::builtin_framework(), config);
  const std::size_t competency = *sim.table.framework().competency_index("functional-specification");
  REQUIRE(sim.table.framework().expectations()(2, static_cast<Eigen::Index>(competency)) == 3);
  decision_study_options o;
  o.filter.competency = competency;
  const decision_study_result r = decision_study(sim.table, o);
  REQUIRE(r.available);
  CHECK(r.design == g_design::crossed);
  CHECK_FALSE(r.balanced);
  CHECK(r.n_cells == 4);
  CHECK(r.mean_raters_per_unit == 2);

  const Eigen::VectorXd bias = sim.truth.manager_bias.col(0);
  const double bias_variance = (bias.array() - bias.mean()).square().sum() / static_cast<double>(bias.size() - 1);
  const Eigen::VectorXd prof = sim.truth.proficiency.col(static_cast<Eigen::Index>(competency));
  const double ratee_variance = (prof.array() - prof.mean()).square().sum() / static_cast<double>(prof.size() - 1);
  INFO("rater " << r.components.rater << " vs " << bias_variance << "; ratee " << r.components.ratee << " vs "
                << ratee_variance << "; residual " << r.components.residual);
  CHECK(r.components.rater == Approx(bias_variance).margin(0.1));
  CHECK(r.components.ratee == Approx(ratee_variance).margin(0.1));
  CHECK(r.components.residual > 0.35 * 0.35);
  CHECK(r.components.residual < 0.35 * 0.35 + 0.15);
  // Rater variance makes absolute decisions need more raters.
  REQUIRE(r.raters_needed_phi.has_value());
  REQUIRE(r.raters_needed_g.has_value());
  CHECK(*r.raters_needed_phi > *r.raters_needed_g);
  CHECK(r.phi_current < r.g_current);
}

TEST_CASE("decision study: the example data are a crossed, unbalanced design", "[decision_study]") {
  const simulated_ratings sim = simulate_ratings(calibra::builtin_framework(), example_simulation_config());
  const decision_study_result r = decision_study(sim.table);
  REQUIRE(r.available);
  CHECK(r.design == g_design::crossed);
  CHECK_FALSE(r.balanced);
  CHECK(r.n_cells == 48);   // 12 competencies x 4 quarters
  CHECK(r.n_units == 1920); // 40 PMs per cell
  CHECK(r.n_raters == 6);
  CHECK(r.harmonic_raters_per_unit == 2);
  CHECK(r.components.ratee > 0);
  CHECK(r.components.rater > 0);  // the lenient and the drifting manager
  CHECK(r.components.residual > 0);
  REQUIRE(r.projection.size() == 10);
  for (std::size_t k = 1; k < r.projection.size(); ++k) {
    CHECK(r.projection[k].g > r.projection[k - 1].g);
    CHECK(r.projection[k].phi > r.projection[k - 1].phi);
  }
}

TEST_CASE("decision study: no projection when the residual variance is not positive", "[decision_study]") {
  // Ratings that are exactly unit + rater effects: every rater x unit
  // residual is 0, so the data cannot say how far raters disagree about a
  // person.  G would come out 1.00 for a single rater; refuse instead.
  Eigen::MatrixXd additive(4, 3);
  additive << 1, 2, 3,  //
      2, 3, 4,          //
      3, 4, 5,          //
      2, 3, 4;
  const decision_study_result r = decision_study(additive);
  REQUIRE(r.available);
  CHECK(r.components.residual_raw == Approx(0).margin(1e-12));
  CHECK_THAT(r.projection_reason, Catch::Matchers::Contains("no reliability projection"));
  CHECK(r.projection.empty());
  CHECK(std::isnan(r.g_current));
  CHECK_FALSE(r.raters_needed_g.has_value());
  // One disagreement makes the residual positive and the projection return.
  additive(3, 2) = 5;
  const decision_study_result noisy = decision_study(additive);
  CHECK(noisy.projection_reason.empty());
  CHECK(noisy.projection.size() == 10);
}
