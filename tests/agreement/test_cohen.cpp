// Cohen's kappa and Light's kappa against SAS, irr and statsmodels.
#include <calibra/agreement/cohen.hpp>

#include "../support/bounded_interval.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

TEST_CASE("SAS PROC FREQ table10: simple kappa, ASE and H0 test", "[cohen][sas]") {
  // SAS output quoted in statsmodels stats/tests/test_inter_rater.py
  // (TestUnweightedCohens): kappa 0.4842, ASE 0.1380, 95% CI 0.2137-0.7547,
  // ASE under H0 0.1484, Z 3.2626, two-sided p 0.0011.
  const Eigen::MatrixXd m = read_reference("sas_table10.csv");
  const result r = cohen_kappa(m);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.4842).margin(5e-5));
  CHECK(*r.se == Approx(0.1380).margin(5e-5));
  // SAS's interval is the Wald one: 0.4842 -+ 1.96 x 0.1380 = 0.2137 .. 0.7547.
  const double q = calibra_test::normal_quantile();
  CHECK(0.4842 - q * 0.1380 == Approx(0.2137).margin(5e-5));
  CHECK(0.4842 + q * 0.1380 == Approx(0.7547).margin(5e-5));
  // calibra's is Fisher's z of the same estimate and ASE (docs/agreement.md).
  const auto [low, high] = calibra_test::fisher_z_interval(0.4842, 0.1380, q);
  CHECK(*r.ci_low == Approx(low).margin(2e-4));
  CHECK(*r.ci_high == Approx(high).margin(2e-4));
  CHECK(r.ci_method == "fisher-z normal");
  CHECK(r.extra.at("se_null") == Approx(0.1484).margin(5e-5));
  CHECK(r.extra.at("z") == Approx(3.2626).margin(5e-5));
  CHECK(r.extra.at("p") == Approx(0.0011).margin(5e-5));
  CHECK(r.n_units == 19);  // the expanded table has 19 units

  options null;
  null.cohen_se = kappa_se::null_hypothesis;
  CHECK(*cohen_kappa(m, null).se == Approx(0.1484).margin(5e-5));
}

TEST_CASE("SAS PROC FREQ table10: weighted kappa", "[cohen][sas]") {
  // statsmodels TestWeightedCohens (SAS, Cicchetti-Allison = linear weights
  // on scores 0,1,2): kappa 0.4701, ASE 0.1457, CI 0.1845-0.7558,
  // ASE under H0 0.1426, Z 3.2971, p 0.0010.
  const Eigen::MatrixXd m = read_reference("sas_table10.csv");
  options linear;
  linear.weights = weight_scheme::linear;
  const result r = cohen_kappa(m, linear);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.4701).margin(5e-5));
  CHECK(*r.se == Approx(0.1457).margin(5e-5));
  const double q = calibra_test::normal_quantile();
  CHECK(0.4701 - q * 0.1457 == Approx(0.1845).margin(2e-4));  // SAS's Wald interval, from rounded inputs
  CHECK(0.4701 + q * 0.1457 == Approx(0.7558).margin(2e-4));
  const auto [low, high] = calibra_test::fisher_z_interval(0.4701, 0.1457, q);
  CHECK(*r.ci_low == Approx(low).margin(2e-4));
  CHECK(*r.ci_high == Approx(high).margin(2e-4));
  CHECK(r.extra.at("se_null") == Approx(0.1426).margin(5e-5));
  CHECK(r.extra.at("z") == Approx(3.2971).margin(5e-5));
}

TEST_CASE("irr kappa2 on anxiety raters 2 and 3", "[cohen][irr]") {
  // irr::kappa2 values quoted in statsmodels test_cohens_kappa_irr:
  // unweighted -0.006289308 (z -0.0604067).  irr weights the observed
  // levels by rank (1,2,3,4,6 -> 0..4), so its "equal" (0.1459075, z
  // 1.282472) and "squared" (0.2520325, z 1.437451) kappas are reproduced
  // with custom rank-based weights; calibra's own linear weights use values.
  const Eigen::MatrixXd m = read_reference("irr_anxiety_r2r3.csv");
  const result plain = cohen_kappa(m);
  REQUIRE(plain.value);
  CHECK(*plain.value == Approx(-0.006289308).margin(1e-9));
  CHECK(plain.extra.at("z") == Approx(-0.0604067).margin(1e-6));

  Eigen::MatrixXd equal(5, 5), squared(5, 5);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) {
      equal(i, j) = 1 - std::abs(i - j) / 4.0;
      squared(i, j) = 1 - (i - j) * (i - j) / 16.0;
    }
  options custom;
  custom.weights = weight_scheme::custom;
  custom.custom_weights = equal;
  const result e = cohen_kappa(m, custom);
  CHECK(*e.value == Approx(0.1459075).margin(1e-7));
  CHECK(e.extra.at("z") == Approx(1.282472).margin(1e-5));
  custom.custom_weights = squared;
  const result s = cohen_kappa(m, custom);
  CHECK(*s.value == Approx(0.2520325).margin(1e-7));
  CHECK(s.extra.at("z") == Approx(1.437451).margin(1e-5));
}

TEST_CASE("Cohen's kappa on cont3x3abstractors matches irrCAC's value", "[cohen][irrCAC]") {
  // irrCAC README: kappa2.table 0.7964094; quadratic 0.8921569 (vignette).
  // irrCAC's se uses Gwet's variance, not the FCE ASE, so only values.
  const Eigen::MatrixXd m = read_reference("gwet_cont3x3abstractors.csv");
  CHECK(*cohen_kappa(m).value == Approx(0.7964094).margin(1e-7));
  options quadratic;
  quadratic.weights = weight_scheme::quadratic;
  CHECK(*cohen_kappa(m, quadratic).value == Approx(0.8921569).margin(1e-7));
}

TEST_CASE("Cohen's kappa rejects anything but two raters", "[cohen]") {
  const Eigen::MatrixXd three = read_reference("irr_anxiety.csv");
  CHECK_THROWS_AS(cohen_kappa(three), calibra::invalid_argument);
  CHECK_THROWS_AS(cohen_kappa(three.leftCols(1)), calibra::invalid_argument);
}

TEST_CASE("Cohen degenerate cases", "[cohen][degenerate]") {
  Eigen::MatrixXd same(3, 2);
  same << 1, 1, 1, 1, 1, 1;
  const result r = cohen_kappa(same);
  CHECK_FALSE(r.value);
  REQUIRE(r.reason);
  CHECK(r.reason->find("chance agreement is 1") != std::string::npos);

  Eigen::MatrixXd disjoint(3, 2);
  disjoint << 1, NA, NA, 2, 1, NA;
  const result none = cohen_kappa(disjoint);
  CHECK_FALSE(none.value);
  CHECK(none.reason->find("no pairable units") != std::string::npos);
}

TEST_CASE("contingency summaries merge and subtract exactly", "[cohen][summary]") {
  const Eigen::MatrixXd m = read_reference("sas_table10.csv");
  const coded_ratings coded = code_ratings(m, {});
  const Eigen::MatrixXd w = make_weights(weight_scheme::linear, coded.categories.codes());
  contingency_summary first(coded.categories, w), second(coded.categories, w);
  for (Eigen::Index u = 0; u < coded.index.rows(); ++u)
    (u < 7 ? first : second).add_pair(coded.index(u, 0), coded.index(u, 1));
  first += second;
  options linear;
  linear.weights = weight_scheme::linear;
  CHECK(*first.finish(linear).value == Approx(*cohen_kappa(m, linear).value).epsilon(1e-14));
  first -= second;
  CHECK(first.table().sum() == 7);
}
