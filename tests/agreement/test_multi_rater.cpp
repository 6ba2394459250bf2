// Percent agreement, Fleiss' kappa, Gwet's AC1/AC2, Brennan-Prediger and
// Scott's pi against published numbers.
//
// irrCAC numbers: README of irrCAC 1.0 (cran/irrCAC, "Computing agreement
// coefficients from raw ratings") for cac.raw4raters, unweighted, and the
// vignette "Weighted Chance-corrected Agreement Coefficients" for the
// quadratic weights.  irrCAC rounds coeff.val and coeff.se to 5 decimals.
#include <calibra/agreement/multi_rater.hpp>

#include "../support/bounded_interval.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

namespace {
/// irrCAC's value and SE, and calibra's bounded interval worked from them
/// on t(11) (the 12 units of cac.raw4raters): Wilson's with the effective
/// sample size for percent agreement (pe = 0), Fisher's z for the rest.
/// irrCAC's own interval is Wald, capped at 1.
void check_irrcac(const result& r, double value, double se, double pa, double pe) {
  REQUIRE(r.value);
  CHECK(*r.value == Approx(value).margin(6e-6));
  REQUIRE(r.se);
  CHECK(*r.se == Approx(se).margin(6e-6));
  CHECK(*r.observed == Approx(pa).margin(1e-7));
  CHECK(*r.chance == Approx(pe).margin(1e-7));
  const double q = calibra_test::t_quantile(11);
  const bool proportion = r.stat == statistic::percent;
  const auto [low, high] = proportion ? calibra_test::wilson_effective_interval(value, se, q)
                                      : calibra_test::fisher_z_interval(value, se, q);
  CHECK(r.ci_method == (proportion ? "wilson t(n-1)" : "fisher-z t(n-1)"));
  REQUIRE(r.ci_low);
  CHECK(*r.ci_low == Approx(low).margin(1e-4));
  CHECK(*r.ci_high == Approx(high).margin(1e-4));
  CHECK(*r.ci_high < 1.0);
}
}  // namespace

TEST_CASE("cac.raw4raters unweighted matches irrCAC's README", "[multi_rater][irrCAC]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  // irrCAC's Wald lower bounds pin its quantile: t(11).
  const double q = calibra_test::t_quantile(11);
  // pa.coeff.raw: pa 0.8181818, se 0.12561, CI (0.542, 1)
  CHECK(0.8181818 - q * 0.12561 == Approx(0.542).margin(5e-4));
  const result pa = percent_agreement(m);
  check_irrcac(pa, 0.8181818, 0.12561, 0.8181818, 0);
  // gwet.ac1.raw: AC1 0.77544, se 0.14295, pe 0.1903212, CI (0.461, 1), p 0.000208721
  CHECK(0.77544 - q * 0.14295 == Approx(0.461).margin(5e-4));
  const result ac1 = gwet_ac(m);
  check_irrcac(ac1, 0.77544, 0.14295, 0.8181818, 0.1903212);
  CHECK(ac1.extra.at("p") == Approx(0.000208721).epsilon(1e-4));
  // fleiss.kappa.raw: 0.76117, se 0.15302, pe 0.2387153, CI (0.424, 1)
  CHECK(0.76117 - q * 0.15302 == Approx(0.424).margin(5e-4));
  const result fleiss = fleiss_kappa(m);
  check_irrcac(fleiss, 0.76117, 0.15302, 0.8181818, 0.2387153);
  // bp.coeff.raw: 0.77273, se 0.14472, pe 0.2, CI (0.454, 1)
  CHECK(0.77273 - q * 0.14472 == Approx(0.454).margin(5e-4));
  const result bp = brennan_prediger(m);
  check_irrcac(bp, 0.77273, 0.14472, 0.8181818, 0.2);

  CHECK(ac1.n_units == 12);
  CHECK(ac1.n_raters == 4);
  CHECK(ac1.extra.at("pairable_units") == 11);
  CHECK(ac1.used.categories == std::vector<double>{1, 2, 3, 4, 5});
}

TEST_CASE("cac.raw4raters quadratic weights match irrCAC's weighting vignette", "[multi_rater][irrCAC]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  options opts;
  opts.weights = weight_scheme::quadratic;
  // Quadratic-weighted percent agreement is a mean of unit scores in [0, 1]:
  // its interval is Wilson's too.
  check_irrcac(percent_agreement(m, opts), 0.9753788, 0.09062, 0.9753788, 0);
  check_irrcac(gwet_ac(m, opts), 0.91400, 0.10396, 0.9753788, 0.7137044);
  check_irrcac(fleiss_kappa(m, opts), 0.86494, 0.14603, 0.9753788, 0.8177083);
  check_irrcac(brennan_prediger(m, opts), 0.90152, 0.11089, 0.9753788, 0.75);
}

TEST_CASE("two raters: Scott, AC1, BP and percent match irrCAC on cont3x3abstractors", "[multi_rater][irrCAC]") {
  // irrCAC README, contingency-table functions: scott2.table 0.7962397
  // (se 0.05905473), gwet.ac1.table 0.8493305 (0.04321747), bp2.table 0.835
  // (0.04693346), pa2.table 0.89 (0.03128898).
  const Eigen::MatrixXd m = read_reference("gwet_cont3x3abstractors.csv");
  const double raw_over_table = std::sqrt(100.0 / 99.0);
  const result scott = scott_pi(m);
  REQUIRE(scott.value);
  CHECK(*scott.value == Approx(0.7962397).margin(1e-7));
  CHECK(*scott.se == Approx(0.05905473 * raw_over_table).margin(1e-7));
  const result ac1 = gwet_ac(m);
  CHECK(*ac1.value == Approx(0.8493305).margin(1e-7));
  CHECK(*ac1.se == Approx(0.04321747 * raw_over_table).margin(1e-7));
  const result bp = brennan_prediger(m);
  CHECK(*bp.value == Approx(0.835).margin(1e-9));
  CHECK(*bp.se == Approx(0.04693346 * raw_over_table).margin(1e-7));
  const result pa = percent_agreement(m);
  CHECK(*pa.value == Approx(0.89).margin(1e-9));
  CHECK(*pa.se == Approx(0.03128898 * raw_over_table).margin(1e-7));

  // (The *.table functions divide the variance by n^2, the *.raw functions
  // calibra follows by n(n-1); hence the factor sqrt(n/(n-1)) on the SEs.)
  // Weighting vignette, quadratic weights: Scott 0.8921093 (0.03539506),
  // AC2 0.9402369 (0.01792019), BP 0.9175 (0.02346673), pa 0.9725 (0.007822244).
  options quadratic;
  quadratic.weights = weight_scheme::quadratic;
  CHECK(*scott_pi(m, quadratic).value == Approx(0.8921093).margin(1e-7));
  CHECK(*scott_pi(m, quadratic).se == Approx(0.03539506 * raw_over_table).margin(1e-7));
  CHECK(*gwet_ac(m, quadratic).value == Approx(0.9402369).margin(1e-7));
  CHECK(*gwet_ac(m, quadratic).se == Approx(0.01792019 * raw_over_table).margin(1e-7));
  CHECK(*brennan_prediger(m, quadratic).se == Approx(0.02346673 * raw_over_table).margin(1e-7));
  CHECK(*percent_agreement(m, quadratic).se == Approx(0.007822244 * raw_over_table).margin(1e-8));
}

TEST_CASE("Fleiss (1971) diagnoses: overall and per-category kappa", "[multi_rater][fleiss]") {
  // Fleiss (1971) Psychol Bull 76:378; irr::kappam.fleiss(diagnoses) gives
  // 0.4302445 (statsmodels test_inter_rater.py quotes it), and with
  // detail = TRUE the category kappas 0.245, 0.245, 0.520, 0.471, 0.566.
  const Eigen::MatrixXd m = read_reference("fleiss1971_diagnoses.csv");
  const result r = fleiss_kappa(m);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.4302445).margin(1e-7));
  REQUIRE(r.per_category.size() == 5);
  CHECK(r.per_category.at(1) == Approx(0.245).margin(5e-4));
  CHECK(r.per_category.at(2) == Approx(0.245).margin(5e-4));
  CHECK(r.per_category.at(3) == Approx(0.520).margin(5e-4));
  CHECK(r.per_category.at(4) == Approx(0.471).margin(5e-4));
  CHECK(r.per_category.at(5) == Approx(0.566).margin(5e-4));

  // One category against the rest is the same number with its own SE.
  options one;
  one.category = 3;
  const result three = fleiss_kappa(m, one);
  REQUIRE(three.value);
  CHECK(*three.value == Approx(r.per_category.at(3)).margin(1e-12));
  CHECK(three.se);
  CHECK(three.used.categories == std::vector<double>{1, 2, 3, 4, 5});
  one.category = 9;
  CHECK_THROWS_AS(fleiss_kappa(m, one), calibra::invalid_argument);
}

TEST_CASE("unanimous and within-tolerance agreement", "[multi_rater][percent]") {
  Eigen::MatrixXd m(4, 3);
  m << 1, 1, 1,     // unanimous
      1, 2, 3,      // pairs (1,2),(2,3) within one level, (1,3) not
      2, 2, NA,    // unanimous, two ratings
      3, NA, NA;  // a single rating: not pairable
  const result u = unanimous_agreement(m);
  REQUIRE(u.value);
  CHECK(*u.value == Approx(2.0 / 3));
  CHECK(u.n_units == 3);
  const result w = within_agreement(m);
  REQUIRE(w.value);
  // Unit means of agreeing ordered pairs: 1, 4/6, 1 over 3 pairable units.
  CHECK(*w.value == Approx((1 + 4.0 / 6 + 1) / 3));
  options exact;
  exact.tolerance = 0;
  CHECK(*within_agreement(m, exact).value == Approx(*percent_agreement(m).value));
  exact.tolerance = -1;
  CHECK_THROWS_AS(within_agreement(m, exact), calibra::invalid_argument);
}

TEST_CASE("declared but unused categories change AC1 and BP, not Fleiss", "[multi_rater]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  options wide;
  wide.categories = {1, 2, 3, 4, 5, 6};
  CHECK(*fleiss_kappa(m, wide).value == Approx(*fleiss_kappa(m).value));
  CHECK(*brennan_prediger(m, wide).chance == Approx(1.0 / 6));
  CHECK(*gwet_ac(m, wide).value != Approx(*gwet_ac(m).value));
}

TEST_CASE("listwise deletion keeps only complete units", "[multi_rater]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  options listwise;
  listwise.missing = missing_policy::listwise;
  const result r = fleiss_kappa(m, listwise);
  CHECK(r.n_units == 8);  // units 2-9 are the only complete ones
  CHECK(r.used.missing == missing_policy::listwise);
}

TEST_CASE("finite-population correction and confidence", "[multi_rater]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  options opts;
  opts.population_units = 24;  // f = 12/24
  const double full = *gwet_ac(m).se;
  CHECK(*gwet_ac(m, opts).se == Approx(full * std::sqrt(0.5)));
  opts.population_units = 5;
  CHECK_THROWS_AS(gwet_ac(m, opts), calibra::invalid_argument);
  options bad;
  bad.confidence = 1.0;
  CHECK_THROWS_AS(gwet_ac(m, bad), calibra::invalid_argument);
  bad.confidence = 0;
  CHECK_THROWS_AS(percent_agreement(m, bad), calibra::invalid_argument);
}

TEST_CASE("Scott's pi needs two raters", "[multi_rater]") {
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  CHECK_THROWS_AS(scott_pi(m), calibra::invalid_argument);
}

TEST_CASE("the family without tables reproduces irrCAC and the table path", "[multi_rater][many-categories]") {
  // multi_rater_without_tables is what identity-weighted statistics use
  // above 64 categories (continuous ratings); here it is called directly.
  const auto without_tables = [](const Eigen::MatrixXd& m, statistic stat, options opts = {}) {
    return detail::multi_rater_without_tables(code_ratings(m, opts), stat, opts);
  };
  SECTION("cac.raw4raters: irrCAC's README numbers") {
    const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
    check_irrcac(without_tables(m, statistic::percent), 0.8181818, 0.12561, 0.8181818, 0);
    check_irrcac(without_tables(m, statistic::gwet), 0.77544, 0.14295, 0.8181818, 0.1903212);
    check_irrcac(without_tables(m, statistic::fleiss), 0.76117, 0.15302, 0.8181818, 0.2387153);
    check_irrcac(without_tables(m, statistic::brennan_prediger), 0.77273, 0.14472, 0.8181818, 0.2);
  }
  SECTION("random data with missing values: every field agrees with the table path") {
    std::mt19937_64 rng(37);
    for (int trial = 0; trial < 30; ++trial) {
      const int units = std::uniform_int_distribution<int>(3, 40)(rng);
      const int raters = std::uniform_int_distribution<int>(2, 6)(rng);
      const int q = std::uniform_int_distribution<int>(2, 9)(rng);
      std::uniform_int_distribution<int> code(1, q);
      std::uniform_real_distribution<double> u01(0, 1);
      Eigen::MatrixXd m(units, raters);
      for (int i = 0; i < units; ++i) {
        const int truth = code(rng);
        for (int j = 0; j < raters; ++j) m(i, j) = u01(rng) < 0.15 ? NA : (u01(rng) < 0.6 ? truth : code(rng));
      }
      options opts;
      if (trial % 3 == 0) opts.categories = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
      if (trial % 4 == 1) opts.population_units = 100;
      for (auto stat : {statistic::percent, statistic::unanimous, statistic::fleiss, statistic::gwet,
                        statistic::brennan_prediger}) {
        INFO("trial " << trial << ", " << to_string(stat));
        const result table = detail::multi_rater_statistic(m, stat, opts);
        const result table_free = without_tables(m, stat, opts);
        CHECK(table_free.reason == table.reason);
        CHECK(table_free.n_units == table.n_units);
        CHECK(table_free.n_raters == table.n_raters);
        CHECK(table_free.extra.at("pairable_units") == table.extra.at("pairable_units"));
        CHECK(table_free.used.categories == table.used.categories);
        REQUIRE(table_free.value.has_value() == table.value.has_value());
        if (!table.value) continue;
        CHECK(*table_free.value == Approx(*table.value).margin(1e-12));
        REQUIRE(table_free.se.has_value() == table.se.has_value());
        if (table.se) CHECK(*table_free.se == Approx(*table.se).margin(1e-12));
        if (table.chance) CHECK(*table_free.chance == Approx(*table.chance).margin(1e-12));
        REQUIRE(table_free.per_category.size() == table.per_category.size());
        for (const auto& [code_value, kappa] : table.per_category)
          CHECK(table_free.per_category.at(code_value) == Approx(kappa).margin(1e-12));
      }
    }
  }
  SECTION("weighted statistics are not offered") {
    const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
    options quadratic;
    quadratic.weights = weight_scheme::quadratic;
    CHECK_THROWS_AS(without_tables(m, statistic::gwet, quadratic), calibra::invalid_argument);
    CHECK_THROWS_AS(without_tables(m, statistic::within), calibra::invalid_argument);
  }
}

TEST_CASE("identity-weighted statistics on 3000 distinct values", "[multi_rater][many-categories]") {
  // Two raters, every value distinct (continuous ratings): no pair agrees,
  // so pa = 0; each value has pi = 1/3000 (one rating of 1500 two-rating
  // units, shared 1/2 each), so Fleiss' pe = 3000 / 3000^2, AC1's
  // pe = (1/2999) * 3000 * (1/3000) * (2999/3000) = 1/3000, BP's pe = 1/3000.
  Eigen::MatrixXd m(1500, 2);
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    m(i, 0) = 0.25 + 2.0 * static_cast<double>(i);
    m(i, 1) = 1.25 + 2.0 * static_cast<double>(i);
  }
  const double pe = 1.0 / 3000;
  const double kappa = (0 - pe) / (1 - pe);
  CHECK(*percent_agreement(m).value == 0.0);
  CHECK(*unanimous_agreement(m).value == 0.0);
  CHECK(*fleiss_kappa(m).value == Approx(kappa).epsilon(1e-12));
  CHECK(*gwet_ac(m).value == Approx(kappa).epsilon(1e-12));
  CHECK(*brennan_prediger(m).value == Approx(kappa).epsilon(1e-12));
  CHECK(*scott_pi(m).value == Approx(kappa).epsilon(1e-12));
  CHECK(fleiss_kappa(m).per_category.size() == 3000);
}
