// Conger's kappa against irrCAC's documented conger.kappa.raw output.
#include <calibra/agreement/conger.hpp>
#include <calibra/agreement/cohen.hpp>

#include "../support/bounded_interval.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

TEST_CASE("cac.raw4raters: Conger's kappa as printed by irrCAC", "[conger][irrCAC]") {
  // irrCAC README: pe 0.2334252, kappa 0.76282, se 0.14917, CI (0.435, 1).
  // Weighting vignette, quadratic: pe 0.8269638, 0.85771, se 0.14367.
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  const result r = conger_kappa(m);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.76282).margin(6e-6));
  CHECK(*r.se == Approx(0.14917).margin(6e-6));
  CHECK(*r.chance == Approx(0.2334252).margin(1e-7));
  CHECK(*r.observed == Approx(0.8181818).margin(1e-7));
  // irrCAC's Wald interval on t(11) (12 units), capped at 1: 0.435 .. 1.
  const double q = calibra_test::t_quantile(11);
  CHECK(0.76282 - q * 0.14917 == Approx(0.435).margin(6e-4));  // printed to 3 decimals
  // calibra's: Fisher's z of the same estimate and SE, inside [-1, 1].
  const auto [low, high] = calibra_test::fisher_z_interval(0.76282, 0.14917, q);
  CHECK(*r.ci_low == Approx(low).margin(1e-4));
  CHECK(*r.ci_high == Approx(high).margin(1e-4));
  CHECK(*r.ci_high < 1.0);
  CHECK(r.ci_method == "fisher-z t(n-1)");
  CHECK(r.n_raters == 4);
  options quadratic;
  quadratic.weights = weight_scheme::quadratic;
  const result w = conger_kappa(m, quadratic);
  CHECK(*w.value == Approx(0.85771).margin(6e-6));
  CHECK(*w.se == Approx(0.14367).margin(6e-6));
  CHECK(*w.chance == Approx(0.8269638).margin(1e-7));
}

TEST_CASE("Conger's kappa of two raters with complete data is Cohen's kappa", "[conger]") {
  // Conger (1980): the generalisation reduces to Cohen's kappa for r = 2.
  const Eigen::MatrixXd m = read_reference("gwet_cont3x3abstractors.csv");
  CHECK(*conger_kappa(m).value == Approx(0.7964094).margin(1e-7));  // irrCAC kappa2.table
}

TEST_CASE("Conger degenerate cases", "[conger][degenerate]") {
  Eigen::MatrixXd one_rater(3, 1);
  one_rater << 1, 2, 3;
  const result r = conger_kappa(one_rater);
  CHECK_FALSE(r.value);
  CHECK(r.reason->find("no pairable units") != std::string::npos);

  // A rater with no ratings at all is left out instead of dividing by zero.
  Eigen::MatrixXd idle(4, 3);
  idle << 1, 1, NA, 2, 2, NA, 1, 2, NA, 2, 2, NA;
  const result without = conger_kappa(idle);
  REQUIRE(without.value);
  CHECK(without.n_raters == 2);
  CHECK(*without.value == Approx(*cohen_kappa(idle.leftCols(2)).value));

  Eigen::MatrixXd same(3, 2);
  same << 4, 4, 4, 4, 4, 4;
  CHECK(conger_kappa(same).reason->find("chance agreement is 1") != std::string::npos);
}
