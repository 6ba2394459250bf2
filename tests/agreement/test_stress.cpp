// Numerical stress of the agreement engine against references written
// here, in long double and two passes, that share no code with the library.
//
//   * many ratings (10^7 in the [.stress] run, 2 x 10^5 in CI);
//   * many categories (10^4 in the [.stress] run, 300 in CI);
//   * the "everyone meets expectations" pile-up: 99.9% of ratings in one
//     category, where chance agreement is close to 1 and 1 - pe cancels;
//   * ICC on ratings near a large common offset (1e9 + small variation),
//     where one-pass sums of squares would cancel catastrophically.
//
// Every value must match its reference to 1e-9 relative.  The [.stress]
// cases are hidden by default; docs/hardening.md records a run of them.
#include <calibra/agreement/agree.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

namespace ag = calibra::agreement;
using ag::statistic;
using real = long double;

constexpr double tolerance = 1e-9;

// ---- references -------------------------------------------------------------------
// Complete data only (every unit rated by every rater), so the textbook
// formulas apply without the missing-data generalisations.

/// Per-unit category counts, keyed by code.
std::vector<std::map<double, int>> unit_counts(const Eigen::MatrixXd& m) {
  std::vector<std::map<double, int>> units(static_cast<std::size_t>(m.rows()));
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) ++units[static_cast<std::size_t>(i)][m(i, j)];
  return units;
}

struct multi_rater_reference {
  real percent = 0, fleiss = 0, gwet_ac1 = 0, brennan_prediger = 0;
};

/// Fleiss (1971), Gwet's AC1 (2008) and Brennan-Prediger with q observed
/// categories, all from the pairwise agreement pa.
multi_rater_reference multi_rater(const Eigen::MatrixXd& m) {
  const real n = static_cast<real>(m.rows()), r = static_cast<real>(m.cols());
  std::map<double, real> share;  // sum over units of r_ik / r
  real pa = 0;
  for (const auto& unit : unit_counts(m)) {
    real agreeing = 0;
    for (const auto& [code, count] : unit) {
      agreeing += static_cast<real>(count) * (count - 1);
      share[code] += static_cast<real>(count) / r;
    }
    pa += agreeing / (r * (r - 1));
  }
  pa /= n;
  const real q = static_cast<real>(share.size());
  real pe_fleiss = 0, pe_gwet = 0;
  for (const auto& [code, s] : share) {
    const real pi = s / n;
    pe_fleiss += pi * pi;
    pe_gwet += pi * (1 - pi);
  }
  pe_gwet /= q - 1;
  multi_rater_reference out;
  out.percent = pa;
  out.fleiss = (pa - pe_fleiss) / (1 - pe_fleiss);
  out.gwet_ac1 = (pa - pe_gwet) / (1 - pe_gwet);
  out.brennan_prediger = (pa - 1 / q) / (1 - 1 / q);
  return out;
}

/// Krippendorff's alpha from the coincidence matrix: nominal (delta 0/1) or
/// interval (squared difference of codes).
real krippendorff(const Eigen::MatrixXd& m, bool interval) {
  std::map<std::pair<double, double>, real> coincidence;
  std::map<double, real> marginal;
  real total = 0;
  for (const auto& unit : unit_counts(m)) {
    int values = 0;
    for (const auto& [code, count] : unit) values += count;
    if (values < 2) continue;
    for (const auto& [c, nc] : unit)
      for (const auto& [k, nk] : unit) {
        const real pairs = static_cast<real>(nc) * (c == k ? nk - 1 : nk) / (values - 1);
        coincidence[{c, k}] += pairs;
        marginal[c] += pairs;
        total += pairs;
      }
  }
  const auto delta = [&](double c, double k) -> real {
    if (!interval) return c == k ? 0 : 1;
    const real d = static_cast<real>(c) - static_cast<real>(k);
    return d * d;
  };
  real observed = 0, expected = 0;
  for (const auto& [ck, o] : coincidence) observed += o * delta(ck.first, ck.second);
  for (const auto& [c, nc] : marginal)
    for (const auto& [k, nk] : marginal) expected += nc * nk * delta(c, k);
  return 1 - (total - 1) * observed / expected;
}

/// Cohen's kappa of the first two raters.
real cohen(const Eigen::MatrixXd& m) {
  std::map<double, real> first, second;
  real agree = 0;
  const real n = static_cast<real>(m.rows());
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    first[m(i, 0)] += 1;
    second[m(i, 1)] += 1;
    if (m(i, 0) == m(i, 1)) agree += 1;
  }
  real pe = 0;
  for (const auto& [code, count] : first)
    if (const auto it = second.find(code); it != second.end()) pe += (count / n) * (it->second / n);
  const real po = agree / n;
  return (po - pe) / (1 - pe);
}

struct icc_reference {
  real icc1 = 0, icc2 = 0, icc3 = 0;
};

/// Shrout & Fleiss (1979) from a two-pass ANOVA.  `offset` is subtracted
/// from every rating first; with offset = 1e9 and ratings 1e9 + x the
/// subtraction is exact (Sterbenz), so the reference sees the variation
/// with no rounding at all.
icc_reference icc(const Eigen::MatrixXd& m, double offset) {
  const Eigen::Index n = m.rows(), k = m.cols();
  std::vector<real> unit_mean(static_cast<std::size_t>(n), 0), rater_mean(static_cast<std::size_t>(k), 0);
  real grand = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const real x = static_cast<real>(m(i, j) - offset);
      unit_mean[i] += x;
      rater_mean[j] += x;
      grand += x;
    }
  for (auto& x : unit_mean) x /= static_cast<real>(k);
  for (auto& x : rater_mean) x /= static_cast<real>(n);
  grand /= static_cast<real>(n * k);
  real ss_units = 0, ss_raters = 0, ss_error = 0;
  for (Eigen::Index i = 0; i < n; ++i) ss_units += (unit_mean[i] - grand) * (unit_mean[i] - grand);
  ss_units *= static_cast<real>(k);
  for (Eigen::Index j = 0; j < k; ++j) ss_raters += (rater_mean[j] - grand) * (rater_mean[j] - grand);
  ss_raters *= static_cast<real>(n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < k; ++j) {
      const real e = static_cast<real>(m(i, j) - offset) - unit_mean[i] - rater_mean[j] + grand;
      ss_error += e * e;
    }
  const real kk = static_cast<real>(k), nn = static_cast<real>(n);
  const real msb = ss_units / (nn - 1), msj = ss_raters / (kk - 1), mse = ss_error / ((nn - 1) * (kk - 1));
  const real msw = (ss_raters + ss_error) / (nn * (kk - 1));
  icc_reference out;
  out.icc1 = (msb - msw) / (msb + (kk - 1) * msw);
  out.icc2 = (msb - mse) / (msb + (kk - 1) * mse + kk * (msj - mse) / nn);
  out.icc3 = (msb - mse) / (msb + (kk - 1) * mse);
  return out;
}

// ---- data -----------------------------------------------------------------------------

/// Codes 1..q; each unit has a true code that a rater picks with
/// probability `accuracy`, else a code drawn from `other`.
template <typename Other>
Eigen::MatrixXd categorical(std::uint64_t seed, Eigen::Index units, Eigen::Index raters, double accuracy,
                            const Other& other) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u01(0, 1);
  Eigen::MatrixXd m(units, raters);
  for (Eigen::Index i = 0; i < units; ++i) {
    const double truth = other(rng);
    for (Eigen::Index j = 0; j < raters; ++j) m(i, j) = u01(rng) < accuracy ? truth : other(rng);
  }
  return m;
}

/// The largest relative difference seen per quantity, for the record.
std::map<std::string, double>& worst_relative_error() {
  static std::map<std::string, double> worst;
  return worst;
}

void check_close(const char* what, double value, real reference) {
  INFO(what << ": calibra " << value << ", reference " << static_cast<double>(reference));
  const real difference = std::abs(static_cast<real>(value) - reference);
  const real scale = std::max<real>(1, std::abs(reference));
  CHECK(difference <= tolerance * scale);
  double& worst = worst_relative_error()[what];
  worst = std::max(worst, static_cast<double>(difference / scale));
}

void report_errors() {
  for (const auto& [what, error] : worst_relative_error()) WARN(what << ": largest relative difference " << error);
  worst_relative_error().clear();
}

double value_of(const Eigen::MatrixXd& m, statistic stat, ag::options opts = {}) {
  const ag::result r = ag::agree(m, stat, opts);
  INFO(ag::to_string(stat) << ": " << r.reason.value_or(""));
  REQUIRE(r.value);
  return *r.value;
}

void check_multi_rater(const Eigen::MatrixXd& m) {
  const multi_rater_reference ref = multi_rater(m);
  check_close("percent", value_of(m, statistic::percent), ref.percent);
  check_close("Fleiss", value_of(m, statistic::fleiss), ref.fleiss);
  check_close("Gwet AC1", value_of(m, statistic::gwet), ref.gwet_ac1);
  check_close("Brennan-Prediger", value_of(m, statistic::brennan_prediger), ref.brennan_prediger);
  check_close("Krippendorff nominal", value_of(m, statistic::krippendorff), krippendorff(m, false));
  ag::options interval;
  interval.level = ag::measurement_level::interval;
  check_close("Krippendorff interval", value_of(m, statistic::krippendorff, interval), krippendorff(m, true));
}

void check_icc(const Eigen::MatrixXd& m, double offset) {
  const icc_reference ref = icc(m, offset);
  ag::options opts;
  opts.form = ag::icc_form::icc1;
  check_close("ICC1", value_of(m, statistic::icc, opts), ref.icc1);
  opts.form = ag::icc_form::icc2;
  check_close("ICC2", value_of(m, statistic::icc, opts), ref.icc2);
  opts.form = ag::icc_form::icc3;
  check_close("ICC3", value_of(m, statistic::icc, opts), ref.icc3);
}

/// 99.9% of the ratings in category 3 of 1..5 (probability of a deviation
/// from 3 per rating: 0.001), the calibration "meets expectations" pile-up.
Eigen::MatrixXd pile_up(std::uint64_t seed, Eigen::Index units, Eigen::Index raters) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u01(0, 1);
  std::uniform_int_distribution<int> code(1, 5);
  Eigen::MatrixXd m(units, raters);
  for (Eigen::Index i = 0; i < units; ++i) {
    const bool unusual = u01(rng) < 0.0005;  // units that really differ: raters tend to see it
    const int truth = unusual ? code(rng) : 3;
    for (Eigen::Index j = 0; j < raters; ++j) {
      if (unusual) m(i, j) = u01(rng) < 0.7 ? truth : code(rng);
      else m(i, j) = u01(rng) < 0.0003 ? code(rng) : 3;
    }
  }
  return m;
}

Eigen::MatrixXd near_offset(std::uint64_t seed, Eigen::Index units, Eigen::Index raters, double offset) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> unit_effect(0, 1), rater_effect(0, 0.3), noise(0, 0.5);
  std::vector<double> bias(static_cast<std::size_t>(raters));
  for (auto& b : bias) b = rater_effect(rng);
  Eigen::MatrixXd m(units, raters);
  for (Eigen::Index i = 0; i < units; ++i) {
    const double u = unit_effect(rng);
    for (Eigen::Index j = 0; j < raters; ++j) m(i, j) = offset + (u + bias[j] + noise(rng));
  }
  return m;
}

}  // namespace

// ---- many distinct values (hardening finding F5) ----------------------------------------

namespace {

/// Krippendorff's interval alpha of a two-column matrix, by its definition
/// and in long double: units with both values are pairable, each adds its
/// two ordered pairs with weight 1/(2 - 1); D_o = (1/N) sum_u 2 (x_u1 - x_u2)^2
/// and D_e = 2 N sum_v (v - mean)^2 / (N (N - 1)) over the N pairable values
/// v, the second after a first pass for the mean.
real krippendorff_interval_two_raters(const Eigen::MatrixXd& m) {
  real total = 0, sum = 0, observed = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    if (std::isnan(m(i, 0)) || std::isnan(m(i, 1))) continue;
    const real a = m(i, 0), b = m(i, 1);
    total += 2;
    sum += a + b;
    observed += 2 * (a - b) * (a - b);
  }
  const real mean = sum / total;
  real spread = 0;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    if (std::isnan(m(i, 0)) || std::isnan(m(i, 1))) continue;
    for (Eigen::Index j = 0; j < 2; ++j) spread += (m(i, j) - mean) * (m(i, j) - mean);
  }
  const real expected = 2 * total * spread;  // sum over value pairs of (v - w)^2
  return 1 - (total - 1) * observed / expected;
}

}  // namespace

TEST_CASE("stress: Krippendorff interval on 10^5 units x 2 raters of distinct continuous values", "[stress]") {
  // Continuous ratings: about 2 x 10^5 distinct values, each its own
  // category.  This used to build 2 x 10^5 x 2 x 10^5 tables and end in
  // std::bad_alloc (finding F5); it now runs in O(ratings) memory.
  std::mt19937_64 rng(15);
  std::normal_distribution<double> unit_effect(50, 10), noise(0, 4);
  std::uniform_real_distribution<double> u01(0, 1);
  Eigen::MatrixXd m(100000, 2);
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const double truth = unit_effect(rng);
    m(i, 0) = truth + noise(rng);
    m(i, 1) = truth + noise(rng);
    if (u01(rng) < 0.01) m(i, 1) = std::numeric_limits<double>::quiet_NaN();  // a few units are not pairable
  }
  ag::options opts;
  opts.level = ag::measurement_level::interval;
  const auto start = std::chrono::steady_clock::now();
  const ag::result r = ag::agree(m, statistic::krippendorff, opts);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r.reason.value_or("") << "; " << seconds << " s");
  REQUIRE(r.value);
  const real reference = krippendorff_interval_two_raters(m);
  CHECK(reference > 0.5);  // the data agree well: a reference near 0 would test little
  check_close("Krippendorff interval, continuous", *r.value, reference);
  CHECK(r.n_units == static_cast<std::size_t>((m.col(1).array() == m.col(1).array()).count()));
  REQUIRE(r.se);
  CHECK(*r.se > 0);
  CHECK(*r.se < 0.01);
  CHECK(seconds < 60);  // about a second in Debug; the table path never finished

  // Shifting every rating by 1e6 changes nothing: the spreads are taken
  // around means, not from raw sums of squares.
  const Eigen::MatrixXd shifted = m.array() + 1e6;
  const ag::result far = ag::agree(shifted, statistic::krippendorff, opts);
  REQUIRE(far.value);
  CHECK(*far.value == Approx(*r.value).epsilon(1e-9));
  report_errors();
}

// ---- CI: the same shapes, smaller -------------------------------------------------------

TEST_CASE("stress: multi-rater coefficients on 2 x 10^5 ratings match the long-double references", "[stress]") {
  std::uniform_int_distribution<int> code(1, 5);
  const Eigen::MatrixXd m = categorical(1, 40000, 5, 0.6, [&](std::mt19937_64& rng) { return code(rng); });
  check_multi_rater(m);
  check_close("Cohen (raters 1, 2)", value_of(m.leftCols(2), statistic::cohen), cohen(m.leftCols(2)));
}

TEST_CASE("stress: 300 categories", "[stress]") {
  std::uniform_int_distribution<int> code(1, 300);
  const Eigen::MatrixXd m = categorical(2, 3000, 3, 0.5, [&](std::mt19937_64& rng) { return code(rng); });
  check_multi_rater(m);
  check_close("Cohen (raters 1, 2)", value_of(m.leftCols(2), statistic::cohen), cohen(m.leftCols(2)));
}

TEST_CASE("stress: 99.9% of ratings in one category", "[stress]") {
  const Eigen::MatrixXd m = pile_up(3, 50000, 4);
  const double share = (m.array() == 3).cast<double>().mean();
  INFO("share in category 3: " << share);
  REQUIRE(share >= 0.999);
  check_multi_rater(m);
  check_close("Cohen (raters 1, 2)", value_of(m.leftCols(2), statistic::cohen), cohen(m.leftCols(2)));
}

TEST_CASE("stress: near-constant data, a single deviating rating", "[stress]") {
  Eigen::MatrixXd m = Eigen::MatrixXd::Constant(20000, 3, 2.0);
  m(777, 1) = 1.0;
  check_multi_rater(m);
  check_icc(m, 0);
}

TEST_CASE("stress: ICC on ratings near 1e9 matches a two-pass reference", "[stress]") {
  for (const double offset : {0.0, 1e6, 1e9}) {
    INFO("offset " << offset);
    check_icc(near_offset(4, 20000, 4, offset), offset);
  }
}

// ---- the full sizes, run by hand ---------------------------------------------------------

namespace {

template <typename Body>
void timed(const char* what, const Body& body) {
  const auto start = std::chrono::steady_clock::now();
  body();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN(what << ": " << seconds << " s");
}

}  // namespace

TEST_CASE("stress: 10^7 ratings", "[.stress]") {
  std::uniform_int_distribution<int> code(1, 5);
  const Eigen::MatrixXd m = categorical(11, 1000000, 10, 0.6, [&](std::mt19937_64& rng) { return code(rng); });
  timed("multi-rater coefficients and references, 10^7 ratings", [&] { check_multi_rater(m); });
  timed("Cohen, 10^6 pairs", [&] {
    check_close("Cohen (raters 1, 2)", value_of(m.leftCols(2), statistic::cohen), cohen(m.leftCols(2)));
  });
  timed("ICC, 10^7 ratings near 1e9", [&] { check_icc(near_offset(12, 1000000, 10, 1e9), 1e9); });
  report_errors();
}

TEST_CASE("stress: 10^4 categories", "[.stress]") {
  std::uniform_int_distribution<int> code(1, 10000);
  const Eigen::MatrixXd m = categorical(13, 100000, 3, 0.5, [&](std::mt19937_64& rng) { return code(rng); });
  timed("multi-rater coefficients, 10^4 categories", [&] { check_multi_rater(m); });
  // Cohen's kappa needs a q x q contingency table: above max_table_categories
  // it refuses (finding F5) instead of taking gigabytes.
  CHECK_THROWS_WITH(ag::agree(m.leftCols(2), statistic::cohen), Catch::Contains("distinct categories"));
  report_errors();
}

TEST_CASE("stress: 99.9% in one category, 10^7 ratings", "[.stress]") {
  const Eigen::MatrixXd m = pile_up(14, 2500000, 4);
  timed("pile-up, 10^7 ratings", [&] { check_multi_rater(m); });
  timed("pile-up, Cohen", [&] {
    check_close("Cohen (raters 1, 2)", value_of(m.leftCols(2), statistic::cohen), cohen(m.leftCols(2)));
  });
  report_errors();
}
