// Implementation of <calibra/agreement/weights.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/weights.hpp>

#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>


namespace calibra::agreement::detail {

CALIBRA_INLINE void check_table_categories(std::size_t q, const std::string& statistic_text) {
  if (q <= max_table_categories) return;
  const double gigabytes = static_cast<double>(q) * static_cast<double>(q) * 8 / 1e9;
  char size[32];
  std::snprintf(size, sizeof size, "%.3g", gigabytes);
  throw invalid_argument(
      "agreement", statistic_text + ": the ratings hold " + std::to_string(q) +
                       " distinct categories, and this statistic builds q x q tables (" + size +
                       " GB each at this q); the limit is " + std::to_string(max_table_categories) +
                       " categories. Every distinct value counts as a category, so continuous ratings need "
                       "rounding or binning to at most " + std::to_string(max_table_categories) +
                       " values; or use Krippendorff's alpha at level nominal, ordinal or interval "
                       "(--stat krippendorff --level interval), or percent, Fleiss, Gwet's AC1 or "
                       "Brennan-Prediger with identity weights, without a bootstrap, which need no such table");
}

CALIBRA_INLINE std::string statistic_title(statistic stat) {
switch (stat) {
  case statistic::percent: return "percent agreement";
  case statistic::unanimous: return "unanimous agreement";
  case statistic::within: return "agreement within tolerance";
  case statistic::cohen: return "Cohen's kappa";
  case statistic::scott: return "Scott's pi";
  case statistic::fleiss: return "Fleiss' kappa";
  case statistic::conger: return "Conger's kappa";
  case statistic::light: return "Light's kappa";
  case statistic::krippendorff: return "Krippendorff's alpha";
  case statistic::gwet: return "Gwet's AC1/AC2";
  case statistic::brennan_prediger: return "the Brennan-Prediger coefficient";
  case statistic::icc: return "the ICC";
}
  return "the statistic";
}

CALIBRA_INLINE std::string weighted_title(statistic stat, const options& opts) {
  if (opts.weights == weight_scheme::identity) return statistic_title(stat);
  return statistic_title(stat) + " (" + std::string(to_string(opts.weights)) + " weights)";
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE Eigen::MatrixXd make_weights(weight_scheme scheme, const std::vector<double>& categories) {
const auto q = static_cast<Eigen::Index>(categories.size());
if (scheme == weight_scheme::custom)
  throw invalid_argument("agreement", "make_weights: 'custom' weights are a matrix the caller supplies "
                                      "(options::custom_weights), not a scheme to generate");
if (!std::is_sorted(categories.begin(), categories.end()))
  throw invalid_argument("agreement", "make_weights: categories must be sorted ascending");
detail::check_table_categories(categories.size(), "a " + std::string(to_string(scheme)) + " weight matrix");
Eigen::MatrixXd w = Eigen::MatrixXd::Identity(q, q);
// One category: every pair of ratings agrees, whatever the scheme.
if (q <= 1 || scheme == weight_scheme::identity) return w;

const double lo = categories.front(), hi = categories.back();
const double range = hi - lo;
auto x = [&](Eigen::Index k) { return categories[static_cast<std::size_t>(k)]; };

switch (scheme) {
  case weight_scheme::linear:
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) w(k, l) = 1 - std::abs(x(k) - x(l)) / range;
    break;
  case weight_scheme::quadratic:
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) w(k, l) = 1 - (x(k) - x(l)) * (x(k) - x(l)) / (range * range);
    break;
  case weight_scheme::radical:
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) w(k, l) = 1 - std::sqrt(std::abs(x(k) - x(l))) / std::sqrt(range);
    break;
  case weight_scheme::ratio: {
    // ((k-l)/(k+l))^2 needs codes of one sign; zero is allowed (its pair
    // with itself is on the diagonal, which is 1 by definition).
    if (lo < 0)
      throw invalid_argument("agreement", "ratio weights need non-negative category codes, but the smallest is " +
                                              std::to_string(lo));
    const double scale = (range / (hi + lo)) * (range / (hi + lo));
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) {
        if (k == l) continue;
        const double ratio = (x(k) - x(l)) / (x(k) + x(l));
        w(k, l) = 1 - ratio * ratio / scale;
      }
    break;
  }
  case weight_scheme::circular: {
    // The scale is read as a circle of (max - min + 1) equally spaced
    // points; disagreement is the squared sine of the angular distance.
    const double pi = 3.14159265358979323846;
    const double circumference = range + 1;
    double largest = 0;
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) {
        const double s = std::sin(pi * (x(k) - x(l)) / circumference);
        w(k, l) = s * s;
        largest = std::max(largest, w(k, l));
      }
    w = (1 - w.array() / largest).matrix();
    break;
  }
  case weight_scheme::bipolar: {
    double largest = 0;
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) {
        if (k == l) {
          w(k, l) = 0;
          continue;
        }
        const double sum = x(k) + x(l);
        w(k, l) = (x(k) - x(l)) * (x(k) - x(l)) / ((sum - 2 * lo) * (2 * hi - sum));
        largest = std::max(largest, w(k, l));
      }
    w = (1 - w.array() / largest).matrix();
    break;
  }
  case weight_scheme::ordinal: {
    // Disagreement counts the pairs of categories spanned by k..l.
    double largest = 0;
    for (Eigen::Index k = 0; k < q; ++k)
      for (Eigen::Index l = 0; l < q; ++l) {
        const double span = static_cast<double>(std::max(k, l) - std::min(k, l) + 1);
        w(k, l) = span * (span - 1) / 2;
        largest = std::max(largest, w(k, l));
      }
    w = (1 - w.array() / largest).matrix();
    break;
  }
  case weight_scheme::identity:
  case weight_scheme::custom:
    break;
}
  return w;
}

CALIBRA_INLINE void validate_weights(const Eigen::MatrixXd& weights, std::size_t q) {
  const auto n = static_cast<Eigen::Index>(q);
  if (weights.rows() != n || weights.cols() != n)
    throw invalid_argument("agreement", "custom weights are " + std::to_string(weights.rows()) + " x " +
                                            std::to_string(weights.cols()) + "; expected " + std::to_string(q) +
                                            " x " + std::to_string(q) + " (one row and column per category)");
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index l = 0; l < n; ++l) {
      const double v = weights(k, l);
      const std::string where = "custom weight (" + std::to_string(k) + ", " + std::to_string(l) + ")";
      if (!std::isfinite(v) || v < 0 || v > 1)
        throw invalid_argument("agreement", where + " is " + std::to_string(v) + "; expected a value in [0, 1]");
      if (k == l && v != 1)
        throw invalid_argument("agreement", where + " is " + std::to_string(v) +
                                                "; expected 1 on the diagonal (a category agrees with itself)");
      if (v != weights(l, k))
        throw invalid_argument("agreement", where + " differs from its mirror (" + std::to_string(l) + ", " +
                                                std::to_string(k) + "); expected a symmetric matrix");
    }
}

CALIBRA_INLINE Eigen::MatrixXd weights_for(const options& opts, const std::vector<double>& categories) {
if (opts.weights == weight_scheme::custom) {
  validate_weights(opts.custom_weights, categories.size());
  return opts.custom_weights;
}
  return make_weights(opts.weights, categories);
}

CALIBRA_INLINE Eigen::MatrixXd tolerance_weights(std::size_t q, int tolerance) {
  if (tolerance < 0)
    throw invalid_argument("agreement", "tolerance is " + std::to_string(tolerance) +
                                            "; expected a number of categories >= 0");
  detail::check_table_categories(q, "the 'within' statistic");
  const auto n = static_cast<Eigen::Index>(q);
  Eigen::MatrixXd w(n, n);
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index l = 0; l < n; ++l) w(k, l) = std::abs(k - l) <= tolerance ? 1.0 : 0.0;
  return w;
}

}  // namespace calibra::agreement
