// Bounded confidence intervals (calibra/agreement/detail/inference.hpp):
// every interval lies inside its coefficient's range.  Expected intervals
// are worked in the test from hand-computed values and SEs with the
// formulas of tests/support/bounded_interval.hpp; statsmodels' SEs are used
// in test_oracle.cpp.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/detail/inference.hpp>

#include "../support/bounded_interval.hpp"
#include "../support/random_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace calibra::agreement;

TEST_CASE("percent agreement on 4 units: Wilson's interval, not [-0.046, 1]", "[inference][percent]") {
  // Two raters, three units agreeing and one not: unit scores 1, 1, 1, 0.
  // p = 3/4; the design-based variance is sum (x - p)^2 / (n (n - 1)) =
  // (3/16 + 9/16) / 12 = 1/16, so se = 1/4.  The Wald interval on t(3) is
  // 0.75 -+ 3.182 x 0.25 = [-0.046, 1.546], the issue's [-0.046, 1] once
  // capped.  Wilson's with n_eff = p (1 - p) / se^2 = 3 stays in [0, 1].
  Eigen::MatrixXd m(4, 2);
  m << 1, 1, 2, 2, 1, 1, 1, 2;
  const result r = agree(m, statistic::percent);
  REQUIRE(r.value);
  CHECK(*r.value == 0.75);
  CHECK(*r.se == Approx(0.25).epsilon(1e-12));
  const double q = calibra_test::t_quantile(3);
  CHECK(0.75 - q * 0.25 == Approx(-0.046).margin(5e-4));
  const auto [low, high] = calibra_test::wilson_interval(0.75, 3, q);
  CHECK(*r.ci_low == Approx(low).epsilon(1e-12));
  CHECK(*r.ci_high == Approx(high).epsilon(1e-12));
  CHECK(*r.ci_low > 0);
  CHECK(*r.ci_high < 1);
  CHECK(r.ci_method == "wilson t(n-1)");
}

TEST_CASE("perfect agreement has a Wilson interval on the units, not a zero-width one", "[inference][percent]") {
  // Every unit agrees: p = 1 and se = 0.  n_eff is then the number of units,
  // and Wilson's lower bound for 4 of 4 is n / (n + q^2).
  Eigen::MatrixXd m(4, 2);
  m << 1, 1, 2, 2, 1, 1, 3, 3;
  const result r = agree(m, statistic::percent);
  REQUIRE(r.value);
  CHECK(*r.value == 1.0);
  const double q = calibra_test::t_quantile(3);
  CHECK(*r.ci_low == Approx(4 / (4 + q * q)).epsilon(1e-12));
  CHECK(*r.ci_high == 1.0);
  // Unanimous agreement is the same proportion here.
  const result u = agree(m, statistic::unanimous);
  CHECK(*u.ci_low == Approx(4 / (4 + q * q)).epsilon(1e-12));
}

TEST_CASE("Cohen's kappa on 10 units stays below 1", "[inference][cohen]") {
  // The case: a kappa near 1 on few units had ci = [0.584, 1.122].
  // Table [[5, 1], [0, 4]]: po = 0.9, margins (0.6, 0.4) and (0.5, 0.5),
  // pe = 0.5, kappa = 0.8.
  Eigen::MatrixXd m(10, 2);
  m << 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2;
  const result r = agree(m, statistic::cohen);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.8).epsilon(1e-12));
  const double q = calibra_test::normal_quantile();
  REQUIRE(r.se);
  CHECK(*r.value + q * *r.se > 1);  // the Wald interval would pass 1
  const auto [low, high] = calibra_test::fisher_z_interval(0.8, *r.se, q);
  CHECK(*r.ci_low == Approx(low).epsilon(1e-12));
  CHECK(*r.ci_high == Approx(high).epsilon(1e-12));
  CHECK(*r.ci_high < 1);
  CHECK(r.ci_method == "fisher-z normal");
}

TEST_CASE("every analytic interval lies inside its coefficient's range", "[inference][properties]") {
  std::mt19937 rng(20240611);
  const statistic proportions[] = {statistic::percent, statistic::unanimous, statistic::within};
  const statistic coefficients[] = {statistic::fleiss, statistic::gwet, statistic::brennan_prediger,
                                    statistic::krippendorff, statistic::conger};
  int checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const Eigen::Index units = 3 + trial % 9;
    const Eigen::Index raters = 2 + trial % 3;
    const Eigen::MatrixXd m = calibra_test::random_ratings(rng, units, raters, 2 + trial % 4, 0.1);
    auto check = [&](statistic stat, double lowest) {
      options opts;
      opts.weights = trial % 2 ? weight_scheme::identity : weight_scheme::quadratic;
      if (stat == statistic::krippendorff || stat == statistic::unanimous || stat == statistic::within)
        opts.weights = weight_scheme::identity;
      const result r = agree(m, stat, opts);
      if (!r.value || !r.ci_low) return;
      INFO(to_string(stat) << " trial " << trial << " value " << *r.value);
      CHECK(*r.ci_low <= *r.value);
      CHECK(*r.value <= *r.ci_high);
      CHECK(*r.ci_high <= 1.0);
      CHECK(*r.ci_low >= std::min(lowest, *r.value));
      ++checked;
    };
    for (statistic stat : proportions) check(stat, 0.0);
    for (statistic stat : coefficients) check(stat, -1.0);
    if (raters == 2) check(statistic::cohen, -1.0);
  }
  CHECK(checked > 300);
}

TEST_CASE("an exact value at the edge of the range keeps a zero-width interval", "[inference]") {
  result r;
  r.stat = statistic::fleiss;
  r.value = 1.0;
  detail::set_bounded_interval(r, 0.0, 2.0, 10, "t(n-1)");
  CHECK(*r.ci_low == 1.0);
  CHECK(*r.ci_high == 1.0);
  // A value at 1 with a positive SE (not reachable from data, but the
  // function must stay inside the range): the upper bound is 1.
  detail::set_bounded_interval(r, 0.1, 2.0, 10, "t(n-1)");
  CHECK(*r.ci_low == Approx(0.8));
  CHECK(*r.ci_high == 1.0);
  // Inside (0, 1) with no spread between units: zero width.
  r.stat = statistic::percent;
  r.value = 0.5;
  detail::set_bounded_interval(r, 0.0, 2.0, 10, "t(n-1)");
  CHECK(*r.ci_low == 0.5);
  CHECK(*r.ci_high == 0.5);
}
