// Test support: the bounded confidence intervals of docs/agreement.md,
// worked from a published point estimate and standard error with the
// textbook formulas, independently of the library's code.
//
//   Fisher (1921) z: tanh(atanh(v) -+ q se / (1 - v^2)), the delta-method
//   interval on z = atanh(v) (Lin 1989 uses it for the concordance
//   correlation).
//   Wilson (1927) score interval: (p + q^2/2n -+ q sqrt(p(1-p)/n + q^2/4n^2))
//   / (1 + q^2/n), with n the effective sample size p (1 - p) / se^2
//   (Kish 1965).
#pragma once

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <utility>

namespace calibra_test {

/// The two-sided quantile of the normal distribution at `confidence`.
inline double normal_quantile(double confidence = 0.95) {
  return boost::math::quantile(boost::math::normal(), 1 - (1 - confidence) / 2);
}

/// The two-sided quantile of Student's t with `df` degrees of freedom.
inline double t_quantile(double df, double confidence = 0.95) {
  return boost::math::quantile(boost::math::students_t(df), 1 - (1 - confidence) / 2);
}

inline std::pair<double, double> fisher_z_interval(double value, double se, double quantile) {
  const double z = 0.5 * std::log((1 + value) / (1 - value));
  const double half = quantile * se / (1 - value * value);
  return {std::tanh(z - half), std::tanh(z + half)};
}

inline std::pair<double, double> wilson_interval(double p, double n, double quantile) {
  const double q2 = quantile * quantile;
  const double centre = p + q2 / (2 * n);
  const double half = quantile * std::sqrt(p * (1 - p) / n + q2 / (4 * n * n));
  return {(centre - half) / (1 + q2 / n), (centre + half) / (1 + q2 / n)};
}

/// Wilson's interval with the effective sample size p (1 - p) / se^2.
inline std::pair<double, double> wilson_effective_interval(double p, double se, double quantile) {
  return wilson_interval(p, p * (1 - p) / (se * se), quantile);
}

}  // namespace calibra_test
