// Implementation of <calibra/calibration/meets.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/meets.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration {

namespace meets_detail {

/// Nodes and weights of the n-point Gauss-Hermite rule for the standard
/// normal density (probabilists' Hermite polynomials), by Golub-Welsch: the
/// eigenvalues of the Jacobi matrix with off-diagonal sqrt(k) are the nodes,
/// the squared first components of its eigenvectors the weights.
struct quadrature {
  std::vector<double> node, weight;
};

CALIBRA_INLINE const quadrature& normal_quadrature() {
  static const quadrature rule = [] {
    constexpr int n = 40;
    Eigen::MatrixXd jacobi = Eigen::MatrixXd::Zero(n, n);
    for (int k = 1; k < n; ++k) jacobi(k, k - 1) = jacobi(k - 1, k) = std::sqrt(static_cast<double>(k));
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(jacobi);
    quadrature q;
    for (int k = 0; k < n; ++k) {
      q.node.push_back(solver.eigenvalues()[k]);
      const double first = solver.eigenvectors()(0, k);
      q.weight.push_back(first * first);
    }
    return q;
  }();
  return rule;
}

}  // namespace meets_detail

namespace detail {
CALIBRA_INLINE double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
}  // namespace detail

CALIBRA_INLINE double probability_meets_all(const std::vector<double>& value, const std::vector<double>& sd,
                                            double shared_sd, const std::vector<double>& threshold) {
  if (sd.size() != value.size() || threshold.size() != value.size())
    throw invalid_argument("calibration", "probability_meets_all: value, sd and threshold have " +
                                              std::to_string(value.size()) + ", " + std::to_string(sd.size()) +
                                              " and " + std::to_string(threshold.size()) +
                                              " entries; expected one each per competency");
  struct term {
    double margin, specific;
  };
  std::vector<term> terms;
  double smallest_sd = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < value.size(); ++c) {
    if (std::isnan(value[c])) continue;
    const double s = std::isfinite(sd[c]) && sd[c] > 0 ? sd[c] : 0.0;
    smallest_sd = std::min(smallest_sd, s);
    terms.push_back({value[c] - threshold[c], s});
  }
  if (terms.empty()) return 1.0;
  const double shared = std::isfinite(shared_sd) && shared_sd > 0 ? std::min(shared_sd, smallest_sd) : 0.0;
  for (term& t : terms) t.specific = std::sqrt(std::max(0.0, t.specific * t.specific - shared * shared));

  const auto given_shared = [&](double shift) {
    double product = 1.0;
    for (const term& t : terms) {
      const double m = t.margin + shift;
      product *= t.specific > 0 ? detail::normal_cdf(m / t.specific) : (m >= 0 ? 1.0 : 0.0);
      if (product == 0) break;
    }
    return product;
  };
  if (shared == 0) return given_shared(0.0);
  // Everything shared: one normal variable decides, exactly.
  if (std::all_of(terms.begin(), terms.end(), [](const term& t) { return t.specific == 0; })) {
    double smallest_margin = std::numeric_limits<double>::infinity();
    for (const term& t : terms) smallest_margin = std::min(smallest_margin, t.margin);
    return detail::normal_cdf(smallest_margin / shared);
  }
  const meets_detail::quadrature& rule = meets_detail::normal_quadrature();
  double sum = 0;
  for (std::size_t k = 0; k < rule.node.size(); ++k) sum += rule.weight[k] * given_shared(shared * rule.node[k]);
  return std::clamp(sum, 0.0, 1.0);
}

}  // namespace calibra::calibration
