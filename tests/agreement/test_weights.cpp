// Weight matrices against irrCAC's documented output (vignette "Weighted
// Chance-corrected Agreement Coefficients", irrCAC 1.0, which prints
// identity/radical/linear/ordinal/quadratic/circular/bipolar weights for
// categories 1:3) and against the defining formulas of Gwet (2014) ch. 3.
#include <calibra/agreement/weights.hpp>

#include <catch2/catch.hpp>

#include <cmath>

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
