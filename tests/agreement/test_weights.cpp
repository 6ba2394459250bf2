// Weight matrices against irrCAC's documented output (vignette "Weighted
// Chance-corrected Agreement Coefficients", irrCAC 1.0, which prints
// identity/radical/linear/ordinal/quadratic/circular/bipolar weights for
// categories 1:3) and against the defining formulas of Gwet (2014) ch. 3.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/weights.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

using namespace calibra::agreement;

namespace {
void check_three(weight_scheme scheme, double adjacent, double far) {
  const Eigen::MatrixXd w = make_weights(scheme, {1, 2, 3});
  REQUIRE(w.rows() == 3);
  for (int k = 0; k < 3; ++k) CHECK(w(k, k) == Approx(1.0));
  CHECK(w(0, 1) == Approx(adjacent).margin(1e-7));
  CHECK(w(1, 2) == Approx(adjacent).margin(1e-7));
  CHECK(w(0, 2) == Approx(far).margin(1e-7));
  CHECK(w.isApprox(w.transpose()));
}
}  // namespace

TEST_CASE("predefined weights match irrCAC's printed matrices for 1:3", "[weights]") {
  check_three(weight_scheme::identity, 0, 0);
  check_three(weight_scheme::radical, 0.2928932, 0);
  check_three(weight_scheme::linear, 0.5, 0);
  check_three(weight_scheme::ordinal, 0.6666667, 0);
  check_three(weight_scheme::quadratic, 0.75, 0);
  check_three(weight_scheme::circular, 0, 0);  // irrCAC prints 3.3e-16: zero up to rounding
  check_three(weight_scheme::bipolar, 0.6666667, 0);
}

TEST_CASE("linear and quadratic weights use category values, not ranks", "[weights]") {
  // Scale 1,2,3,5: 3 and 5 are two units apart on a range of 4 (Gwet 2014,
  // weights as functions of the scores; irrCAC linear.weights).
  const Eigen::MatrixXd linear = make_weights(weight_scheme::linear, {1, 2, 3, 5});
  CHECK(linear(2, 3) == Approx(1 - 2.0 / 4));
  CHECK(linear(0, 1) == Approx(1 - 1.0 / 4));
  CHECK(linear(0, 3) == Approx(0.0));
  const Eigen::MatrixXd quadratic = make_weights(weight_scheme::quadratic, {1, 2, 3, 5});
  CHECK(quadratic(2, 3) == Approx(1 - 4.0 / 16));
  // Ordinal weights depend on ranks only.
  const Eigen::MatrixXd ordinal = make_weights(weight_scheme::ordinal, {1, 2, 3, 5});
  CHECK(ordinal(2, 3) == Approx(ordinal(0, 1)));
}

TEST_CASE("ratio weights follow Gwet's definition", "[weights]") {
  // 1 - ((k-l)/(k+l))^2 / ((max-min)/(max+min))^2 for codes 1, 2, 4.
  const Eigen::MatrixXd w = make_weights(weight_scheme::ratio, {1, 2, 4});
  const double scale = (3.0 / 5) * (3.0 / 5);
  CHECK(w(0, 1) == Approx(1 - (1.0 / 9) / scale));
  CHECK(w(1, 2) == Approx(1 - (4.0 / 36) / scale));
  CHECK(w(0, 2) == Approx(0.0).margin(1e-12));
  CHECK_THROWS_AS(make_weights(weight_scheme::ratio, {-1, 0, 1}), calibra::invalid_argument);
}

TEST_CASE("a single category gets the 1x1 weight 1 under every scheme", "[weights]") {
  for (auto scheme : {weight_scheme::identity, weight_scheme::linear, weight_scheme::quadratic,
                      weight_scheme::ordinal, weight_scheme::radical, weight_scheme::ratio,
                      weight_scheme::circular, weight_scheme::bipolar}) {
    const Eigen::MatrixXd w = make_weights(scheme, {3});
    REQUIRE(w.size() == 1);
    CHECK(w(0, 0) == 1);
  }
}

TEST_CASE("custom weights are validated", "[weights]") {
  Eigen::MatrixXd good(2, 2);
  good << 1, 0.5, 0.5, 1;
  CHECK_NOTHROW(validate_weights(good, 2));
  CHECK_THROWS_AS(validate_weights(good, 3), calibra::invalid_argument);  // wrong size
  Eigen::MatrixXd asymmetric = good;
  asymmetric(0, 1) = 0.2;
  CHECK_THROWS_AS(validate_weights(asymmetric, 2), calibra::invalid_argument);
  Eigen::MatrixXd off_diagonal = good;
  off_diagonal(1, 1) = 0.9;
  CHECK_THROWS_AS(validate_weights(off_diagonal, 2), calibra::invalid_argument);
  Eigen::MatrixXd out_of_range = good;
  out_of_range(0, 1) = out_of_range(1, 0) = 1.5;
  CHECK_THROWS_AS(validate_weights(out_of_range, 2), calibra::invalid_argument);
  CHECK_THROWS_AS(make_weights(weight_scheme::custom, {1, 2}), calibra::invalid_argument);

  options opts;
  opts.weights = weight_scheme::custom;
  opts.custom_weights = good;
  CHECK(weights_for(opts, {1, 2}).isApprox(good));
  CHECK_THROWS_AS(weights_for(opts, {1, 2, 3}), calibra::invalid_argument);
}

TEST_CASE("tolerance weights band the category indices", "[weights]") {
  const Eigen::MatrixXd w = tolerance_weights(4, 1);
  CHECK(w(0, 1) == 1);
  CHECK(w(0, 2) == 0);
  CHECK(w(3, 2) == 1);
  CHECK(tolerance_weights(4, 0).isApprox(Eigen::MatrixXd::Identity(4, 4)));
  CHECK_THROWS_AS(tolerance_weights(4, -1), calibra::invalid_argument);
}

namespace {
/// `units` x `raters` ratings, every one a different value (1.5, 2.5, ...):
/// continuous ratings, where every value is a category of its own.
Eigen::MatrixXd distinct_values(Eigen::Index units, Eigen::Index raters) {
  Eigen::MatrixXd m(units, raters);
  for (Eigen::Index i = 0; i < units; ++i)
    for (Eigen::Index j = 0; j < raters; ++j) m(i, j) = 1.5 + static_cast<double>(i * raters + j);
  return m;
}
}  // namespace

TEST_CASE("statistics that build q x q tables refuse more than max_table_categories categories", "[weights][limits]") {
  // Hardening finding F5: these used to allocate q x q tables until
  // std::bad_alloc (an internal error) or for minutes.
  REQUIRE(max_table_categories == 2048);
  const Eigen::MatrixXd m = distinct_values(1500, 2);  // 3000 distinct categories
  const auto refuses = [&](statistic stat, options opts, const std::string& title) {
    INFO(title);
    try {
      (void)agree(m, stat, opts);
      FAIL("no calibra::invalid_argument");
    } catch (const calibra::invalid_argument& e) {
      const std::string message = e.what();
      CHECK_THAT(message, Catch::Contains(title));
      CHECK_THAT(message, Catch::Contains("3000 distinct categories"));
      CHECK_THAT(message, Catch::Contains("limit is 2048"));
      CHECK_THAT(message, Catch::Contains("--level interval"));
    }
  };
  options quadratic;
  quadratic.weights = weight_scheme::quadratic;
  refuses(statistic::cohen, quadratic, "Cohen's kappa (quadratic weights)");
  refuses(statistic::cohen, options{}, "Cohen's kappa");
  refuses(statistic::gwet, quadratic, "Gwet's AC1/AC2 (quadratic weights)");
  refuses(statistic::conger, options{}, "Conger's kappa");
  refuses(statistic::light, options{}, "Light's kappa");
  refuses(statistic::within, options{}, "agreement within tolerance");
  options ratio;
  ratio.level = measurement_level::ratio;
  refuses(statistic::krippendorff, ratio, "Krippendorff's alpha (ratio level)");
  options bootstrap;
  bootstrap.level = measurement_level::interval;
  bootstrap.bootstrap = 50;
  refuses(statistic::krippendorff, bootstrap, "Krippendorff's alpha (interval level) with a bootstrap");

  // The building blocks refuse too.
  std::vector<double> codes(2049);
  std::iota(codes.begin(), codes.end(), 1.0);
  CHECK_THROWS_AS(make_weights(weight_scheme::linear, codes), calibra::invalid_argument);
  CHECK_THROWS_WITH(make_weights(weight_scheme::linear, codes), Catch::Contains("2049 distinct categories"));
  CHECK_THROWS_AS(tolerance_weights(2049, 1), calibra::invalid_argument);
  codes.pop_back();
  CHECK(make_weights(weight_scheme::identity, codes).rows() == 2048);  // the limit itself is allowed
}

TEST_CASE("Krippendorff's alpha at nominal, ordinal and interval levels has no category limit", "[weights][limits]") {
  // 3000 distinct values, two raters: every unit disagrees at the nominal
  // level (alpha = 1 - (N - 1) * N / (N^2 - N) = 0 with N = 3000 pairable
  // values, all of count 1, so D_o = 1 and D_e = 1).
  const Eigen::MatrixXd m = distinct_values(1500, 2);
  options nominal;
  const result r = agree(m, statistic::krippendorff, nominal);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.0).margin(1e-12));
  options interval;
  interval.level = measurement_level::interval;
  // Values i-th unit: 2i + 1.5 and 2i + 2.5, so every unit's pair differs by 1
  // while the values spread uniformly over 3000 points: D_o = 2 * 1500 * 1 / 3000 = 1
  // and D_e = 2 N sum (v - mean)^2 / (N (N - 1)) = 2 * 3000 * (3000^3 - 3000) / 12 / (3000 * 2999)
  // = 3000 * 3001 / 6, so alpha = 1 - 6 / (3000 * 3001).
  const result ri = agree(m, statistic::krippendorff, interval);
  REQUIRE(ri.value);
  CHECK(*ri.value == Approx(1 - 6.0 / (3000.0 * 3001.0)).epsilon(1e-12));
  options ordinal;
  ordinal.level = measurement_level::ordinal;
  const result ro = agree(m, statistic::krippendorff, ordinal);
  REQUIRE(ro.value);
  // With every value of count 1, the ordinal positions are 0.5, 1.5, ... : the
  // same equally spaced line as the interval codes, so the same alpha.
  CHECK(*ro.value == Approx(*ri.value).epsilon(1e-12));
}
