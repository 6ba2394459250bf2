// probability_meets_all against closed forms: independent competencies
// (a product of normal CDFs), one fully shared component (a single normal
// CDF), and Sheppard's orthant probabilities of equicorrelated normals.
#include <calibra/calibration/meets.hpp>
#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using calibra::calibration::probability_meets_all;

TEST_CASE("meets: independent competencies multiply", "[meets]") {
  // Phi(1) * Phi(0) = 0.841344746068543 * 0.5
  CHECK(probability_meets_all({1.0, 2.0}, {1.0, 1.0}, 0.0, {0.0, 2.0}) == Approx(0.4206723730342715).epsilon(1e-12));
  // A missing score is left out; an exact score (sd 0) counts as met or not.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(probability_meets_all({1.0, nan}, {1.0, 1.0}, 0.0, {0.0, 9.0}) == Approx(0.841344746068543).epsilon(1e-12));
  CHECK(probability_meets_all({1.0, 3.0}, {1.0, 0.0}, 0.0, {0.0, 3.0}) == Approx(0.841344746068543).epsilon(1e-12));
  CHECK(probability_meets_all({1.0, 2.9}, {1.0, 0.0}, 0.0, {0.0, 3.0}) == 0.0);
  CHECK(probability_meets_all({}, {}, 0.0, {}) == 1.0);
}

TEST_CASE("meets: one shared component decides alone", "[meets]") {
  // score_c = value_c + 0.5 z: both met iff z >= -1 (the smaller margin 0.5 / 0.5).
  CHECK(probability_meets_all({1.0, 1.5}, {0.5, 0.5}, 0.5, {0.5, 0.5}) == Approx(0.841344746068543).epsilon(1e-12));
}

TEST_CASE("meets: orthant probabilities of correlated normals (Sheppard)", "[meets]") {
  // Unit variances with shared SD s have correlation rho = s^2.
  // P(X1 >= 0, X2 >= 0) = 1/4 + asin(rho) / (2 pi); rho = 0.5 gives 1/3.
  const double s = std::sqrt(0.5);
  CHECK(probability_meets_all({0.0, 0.0}, {1.0, 1.0}, s, {0.0, 0.0}) == Approx(1.0 / 3.0).epsilon(1e-9));
  // Three equicorrelated: 1/8 + 3 asin(rho) / (4 pi); rho = 0.5 gives 1/4.
  CHECK(probability_meets_all({0.0, 0.0, 0.0}, {1.0, 1.0, 1.0}, s, {0.0, 0.0, 0.0}) == Approx(0.25).epsilon(1e-9));
  // rho = 0.2: 1/4 + asin(0.2) / (2 pi) = 0.282047...
  CHECK(probability_meets_all({0.0, 0.0}, {1.0, 1.0}, std::sqrt(0.2), {0.0, 0.0}) ==
        Approx(0.25 + std::asin(0.2) / (2 * 3.141592653589793)).epsilon(1e-9));
}

TEST_CASE("meets: mismatched lengths are refused", "[meets][errors]") {
  CHECK_THROWS_AS(probability_meets_all({1.0}, {1.0, 1.0}, 0.0, {0.0}), calibra::invalid_argument);
}
