// The bootstrap engine: exact bootstrap distributions, a peer (R boot)
// interval, determinism across thread counts, BCa against percentile,
// undefined resamples and the bounded integer draws.
#include <calibra/agreement/bootstrap.hpp>

#include <boost/math/distributions/binomial.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

using calibra::agreement::apply_bootstrap;
using calibra::agreement::bootstrap_interval;
using calibra::agreement::options;
using calibra::agreement::resampling_plan;
using calibra::agreement::result;

namespace {

resampling_plan mean_plan(const std::vector<double>& x, bool with_jackknife = true) {
  resampling_plan plan;
  plan.n_units = x.size();
  plan.estimate = [&x](const std::vector<double>& w) {
    double sum = 0, weight = 0;
    for (std::size_t u = 0; u < x.size(); ++u) {
      sum += w[u] * x[u];
      weight += w[u];
    }
    return sum / weight;
  };
  if (with_jackknife)
    plan.jackknife = [&x]() {
      const double total = std::accumulate(x.begin(), x.end(), 0.0);
      std::vector<double> out(x.size());
      for (std::size_t u = 0; u < x.size(); ++u) out[u] = (total - x[u]) / static_cast<double>(x.size() - 1);
      return out;
    };
  return plan;
}

double mean_of(const std::vector<double>& x) { return std::accumulate(x.begin(), x.end(), 0.0) / x.size(); }

result bootstrap_mean(const std::vector<double>& x, const options& opts, bool with_jackknife = true) {
  result r;
  r.value = mean_of(x);
  apply_bootstrap(r, mean_plan(x, with_jackknife), opts);
  return r;
}

options bootstrap_options(std::size_t resamples, std::uint64_t seed, bootstrap_interval method, unsigned threads = 1) {
  options opts;
  opts.bootstrap = resamples;
  opts.seed = seed;
  opts.bootstrap_method = method;
  opts.threads = threads;
  return opts;
}

// Skewed sample used with R's boot package (see the test below).
const std::vector<double> skewed{0.21, 0.35, 0.08, 1.92, 0.64, 0.47, 2.85, 0.13, 0.99, 0.56,
                                 0.31, 1.24, 0.05, 0.77, 3.61, 0.42, 0.18, 0.88, 1.53, 0.27,
                                 0.69, 0.11, 2.14, 0.36, 0.58, 0.94, 0.24, 1.07, 0.15, 4.32};

}  // namespace

TEST_CASE("bootstrap of a 0/1 mean follows the exact binomial bootstrap distribution", "[bootstrap]") {
  // With m ones among n units, a resample's mean is Binomial(n, m/n) / n
  // exactly; its quantiles come from Boost's binomial distribution.
  const std::size_t n = 40, ones = 12;
  std::vector<double> x(n, 0.0);
  std::fill(x.begin(), x.begin() + ones, 1.0);
  const result r = bootstrap_mean(x, bootstrap_options(20000, 11, bootstrap_interval::percentile, 2));
  REQUIRE(r.ci_low);
  REQUIRE(r.ci_high);
  CHECK(r.ci_method == "bootstrap-percentile");
  const boost::math::binomial_distribution<> exact(static_cast<double>(n), static_cast<double>(ones) / n);
  const double step = 1.0 / n;
  const double exact_low = boost::math::quantile(exact, 0.025) / n;
  const double exact_high = boost::math::quantile(exact, 0.975) / n;
  CHECK(std::abs(*r.ci_low - exact_low) <= step);
  CHECK(std::abs(*r.ci_high - exact_high) <= step);
  const double exact_se = std::sqrt(0.3 * 0.7 / n);
  CHECK(r.extra.at("bootstrap_se") == Approx(exact_se).epsilon(0.03));
  CHECK(r.extra.at("bootstrap_resamples") == 20000);
  CHECK(r.extra.at("bootstrap_undefined") == 0);
}

TEST_CASE("bootstrap of a mean matches R boot (percentile and BCa)", "[bootstrap][peer]") {
  // R 4.2, boot 1.3: set.seed(1); b <- boot(x, function(d, i) mean(d[i]), R = 200000);
  // boot.ci(b, type = c("perc", "bca")) -> perc (0.5943, 1.3400), bca (0.6393, 1.4267),
  // sd(b$t) = 0.19089; empinf(b, type = "jack") gives acceleration 0.0558804455.
  const result percentile = bootstrap_mean(skewed, bootstrap_options(20000, 3, bootstrap_interval::percentile, 2));
  CHECK(*percentile.ci_low == Approx(0.5943).margin(0.02));
  CHECK(*percentile.ci_high == Approx(1.3400).margin(0.02));
  CHECK(percentile.extra.at("bootstrap_se") == Approx(0.19089).epsilon(0.03));

  const result bca = bootstrap_mean(skewed, bootstrap_options(20000, 3, bootstrap_interval::bca, 2));
  CHECK(bca.ci_method == "bootstrap-bca");
  CHECK(*bca.ci_low == Approx(0.6393).margin(0.02));
  CHECK(*bca.ci_high == Approx(1.4267).margin(0.02));
  CHECK(bca.extra.at("bootstrap_acceleration") == Approx(0.0558804455).epsilon(1e-8));
  // Skewed to the right: BCa moves both ends up relative to the percentile interval.
  CHECK(*bca.ci_low > *percentile.ci_low);
  CHECK(*bca.ci_high > *percentile.ci_high);
}

TEST_CASE("BCa acceleration of the mean is the closed-form skewness term", "[bootstrap]") {
  // Efron & Tibshirani (1993) eq. 14.15 for the mean: a = sum(d^3) / (6 (sum d^2)^1.5), d = x - mean.
  const double m = mean_of(skewed);
  double s2 = 0, s3 = 0;
  for (double v : skewed) {
    s2 += (v - m) * (v - m);
    s3 += (v - m) * (v - m) * (v - m);
  }
  const auto jack = mean_plan(skewed).jackknife();
  CHECK(calibra::agreement::detail::bca_acceleration(jack) == Approx(s3 / (6 * std::pow(s2, 1.5))).epsilon(1e-12));
  CHECK(calibra::agreement::detail::bca_acceleration({1.0, 1.0, 1.0}) == 0.0);
  CHECK(calibra::agreement::detail::bca_acceleration({std::nan(""), 2.0}) == 0.0);
}

TEST_CASE("bootstrap is deterministic for a seed whatever the thread count", "[bootstrap][determinism]") {
  for (auto method : {bootstrap_interval::percentile, bootstrap_interval::bca}) {
    const result one = bootstrap_mean(skewed, bootstrap_options(999, 42, method, 1));
    const result four = bootstrap_mean(skewed, bootstrap_options(999, 42, method, 4));
    const result again = bootstrap_mean(skewed, bootstrap_options(999, 42, method, 3));
    REQUIRE(one.ci_low);
    CHECK(*one.ci_low == *four.ci_low);
    CHECK(*one.ci_high == *four.ci_high);
    CHECK(one.extra.at("bootstrap_se") == four.extra.at("bootstrap_se"));
    CHECK(*one.ci_low == *again.ci_low);
    CHECK(*one.ci_high == *again.ci_high);

    const result other_seed = bootstrap_mean(skewed, bootstrap_options(999, 43, method, 4));
    CHECK(*other_seed.ci_low != *one.ci_low);
    CHECK(*other_seed.ci_high != *one.ci_high);
  }
  // The draws themselves: resample b depends on (seed, b) only.
  std::vector<double> a(50), b(50);
  calibra::agreement::detail::draw_resample(9, 17, a);
  calibra::agreement::detail::draw_resample(9, 17, b);
  CHECK(a == b);
  CHECK(std::accumulate(a.begin(), a.end(), 0.0) == 50);
  calibra::agreement::detail::draw_resample(9, 18, b);
  CHECK(a != b);
}

TEST_CASE("BCa equals percentile for a symmetric statistic with zero acceleration", "[bootstrap]") {
  // Values in +/- pairs: the jackknife deviations are symmetric, so the
  // acceleration is 0, and the bootstrap distribution of the mean is
  // symmetric about the estimate, so z0 is close to 0.
  std::vector<double> symmetric;
  for (int i = 1; i <= 30; ++i) {
    symmetric.push_back(5.0 + 0.37 * i);
    symmetric.push_back(5.0 - 0.37 * i);
  }
  const result percentile = bootstrap_mean(symmetric, bootstrap_options(20000, 5, bootstrap_interval::percentile, 2));
  const result bca = bootstrap_mean(symmetric, bootstrap_options(20000, 5, bootstrap_interval::bca, 2));
  CHECK(bca.extra.at("bootstrap_acceleration") == Approx(0.0).margin(1e-12));
  CHECK(std::abs(bca.extra.at("bootstrap_bias_z0")) < 0.03);
  const double width = *percentile.ci_high - *percentile.ci_low;
  CHECK(std::abs(*bca.ci_low - *percentile.ci_low) < 0.02 * width);
  CHECK(std::abs(*bca.ci_high - *percentile.ci_high) < 0.02 * width);
  // The interval sits around the estimate, about 1.96 bootstrap SEs each side.
  const double se = percentile.extra.at("bootstrap_se");
  CHECK((5.0 - *percentile.ci_low) / se == Approx(1.96).epsilon(0.05));
  CHECK((*percentile.ci_high - 5.0) / se == Approx(1.96).epsilon(0.05));
}

TEST_CASE("BCa without a jackknife function leaves each unit out through estimate()", "[bootstrap]") {
  const result fast = bootstrap_mean(skewed, bootstrap_options(2000, 8, bootstrap_interval::bca, 2), true);
  const result slow = bootstrap_mean(skewed, bootstrap_options(2000, 8, bootstrap_interval::bca, 2), false);
  CHECK(fast.extra.at("bootstrap_acceleration") == Approx(slow.extra.at("bootstrap_acceleration")).epsilon(1e-12));
  CHECK(*fast.ci_low == Approx(*slow.ci_low).epsilon(1e-12));
  CHECK(*fast.ci_high == Approx(*slow.ci_high).epsilon(1e-12));
}

TEST_CASE("undefined resamples are dropped and counted", "[bootstrap]") {
  std::vector<double> x(20);
  std::iota(x.begin(), x.end(), 1.0);
  resampling_plan plan = mean_plan(x);
  // Undefined whenever unit 0 is drawn.
  plan.estimate = [inner = plan.estimate](const std::vector<double>& w) {
    return w[0] > 0 ? std::numeric_limits<double>::quiet_NaN() : inner(w);
  };
  result r;
  r.value = mean_of(x);
  const options opts = bootstrap_options(1000, 1, bootstrap_interval::percentile, 2);
  apply_bootstrap(r, plan, opts);
  // Independent count of the resamples that draw unit 0.
  std::size_t expected_undefined = 0;
  std::vector<double> w(x.size());
  for (std::size_t b = 0; b < 1000; ++b) {
    calibra::agreement::detail::draw_resample(opts.seed, b, w);
    if (w[0] > 0) ++expected_undefined;
  }
  CHECK(r.extra.at("bootstrap_undefined") == static_cast<double>(expected_undefined));
  // P(unit 0 drawn) = 1 - (19/20)^20 = 0.6415.
  CHECK(expected_undefined == Approx(641.5).margin(60));
  REQUIRE(r.ci_low);
  CHECK(*r.ci_low > 1.0);  // unit 0 (value 1) never in a defined resample

  SECTION("no defined resample: no interval") {
    resampling_plan never = plan;
    never.estimate = [](const std::vector<double>&) { return std::numeric_limits<double>::quiet_NaN(); };
    result empty;
    empty.value = 1.0;
    empty.se = 0.25;
    empty.ci_low = 0.5;
    empty.ci_high = 1.5;
    apply_bootstrap(empty, never, opts);
    CHECK_FALSE(empty.ci_low);
    CHECK_FALSE(empty.ci_high);
    CHECK_FALSE(empty.se);  // no bootstrap SE, and the analytic one is kept aside
    CHECK(empty.extra.at("se_analytic") == 0.25);
    CHECK(empty.extra.at("bootstrap_undefined") == 1000);
    CHECK(empty.extra.count("bootstrap_se") == 0);
  }
}

TEST_CASE("BCa falls back to percentile when every resample is on one side", "[bootstrap]") {
  std::vector<double> x{1, 2, 3, 4, 5, 6};
  result r;
  r.value = 100.0;  // above every resample mean
  apply_bootstrap(r, mean_plan(x), bootstrap_options(200, 2, bootstrap_interval::bca));
  CHECK(r.ci_method == "bootstrap-percentile");
  CHECK(r.extra.at("bootstrap_bca_fallback") == 1);
  REQUIRE(r.ci_low);
}

TEST_CASE("bootstrap leaves a result alone without resamples or without a value, and checks arguments",
          "[bootstrap][errors]") {
  result r;
  r.value = 0.4;
  r.ci_low = 0.1;
  r.ci_method = "F";
  apply_bootstrap(r, mean_plan(skewed), options{});  // bootstrap = 0
  CHECK(r.ci_method == "F");
  CHECK(*r.ci_low == 0.1);

  result undefined;
  undefined.reason = "zero variance";
  apply_bootstrap(undefined, mean_plan(skewed), bootstrap_options(100, 1, bootstrap_interval::bca));
  CHECK_FALSE(undefined.ci_low);
  CHECK(undefined.extra.empty());

  options bad = bootstrap_options(100, 1, bootstrap_interval::bca);
  bad.confidence = 1.5;
  CHECK_THROWS_AS(apply_bootstrap(r, mean_plan(skewed), bad), calibra::invalid_argument);
  CHECK_THROWS_AS(apply_bootstrap(r, resampling_plan{}, bootstrap_options(10, 1, bootstrap_interval::bca)),
                  calibra::invalid_argument);
  options too_many = bootstrap_options(calibra::agreement::max_bootstrap_resamples + 1, 1, bootstrap_interval::bca);
  CHECK_THROWS_WITH(apply_bootstrap(r, mean_plan(skewed), too_many), Catch::Contains("at most"));
  resampling_plan no_units = mean_plan(skewed);
  no_units.n_units = 0;
  CHECK_THROWS_AS(apply_bootstrap(r, no_units, bootstrap_options(10, 1, bootstrap_interval::bca)),
                  calibra::invalid_argument);
}

TEST_CASE("bounded draws are in range and uniform", "[bootstrap][rng]") {
  calibra::agreement::detail::bounded_draw draw(123);
  const std::uint64_t bound = 7;
  const std::size_t draws = 70000;
  std::vector<double> counts(bound, 0);
  std::size_t out_of_range = 0;
  for (std::size_t i = 0; i < draws; ++i) {
    const auto v = draw(bound);
    if (v < bound) counts[v] += 1;
    else ++out_of_range;
  }
  CHECK(out_of_range == 0);
  double chi2 = 0;
  const double expected = static_cast<double>(draws) / bound;
  for (double c : counts) chi2 += (c - expected) * (c - expected) / expected;
  CHECK(chi2 < 22.46);  // chi-square 6 df, 0.999 quantile

  // Bounds at and above 2^32 go through the 64-bit path.
  const std::uint64_t big = (std::uint64_t{1} << 32) + 5;
  std::uint64_t high_half = 0;
  out_of_range = 0;
  for (int i = 0; i < 10000; ++i) {
    const auto v = draw(big);
    if (v >= big) ++out_of_range;
    if (v >= big / 2) ++high_half;
  }
  CHECK(out_of_range == 0);
  CHECK(high_half == Approx(5000).margin(250));
  CHECK(draw(1) == 0);
  CHECK(draw(0) == 0);
}
