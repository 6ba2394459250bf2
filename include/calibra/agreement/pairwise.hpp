// Rater x rater matrices of a two-rater statistic: who agrees with whom.
#pragma once

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <utility>

namespace calibra::agreement {

struct pairwise_result {
  statistic stat = statistic::cohen;
  /// R x R, symmetric for symmetric statistics.  NaN marks a pair with no
  /// defined value (its reason is in `reasons`) and the diagonal, which
  /// compares a rater with itself and is never computed.
  Eigen::MatrixXd value;
  /// Units rated by both raters of the pair (the diagonal: by the rater).
  Eigen::MatrixXi n_units;
  /// Why a pair has no value, keyed by (row, column) with row < column.
  std::map<std::pair<std::size_t, std::size_t>, std::string> reasons;
  options used;
};

/// Computes `stat` for every pair of raters on the units both rated.  Any
/// statistic that accepts two raters works; the pair is passed to agree()
/// with listwise deletion and no bootstrap.
inline pairwise_result pairwise(const ratings_ref& ratings, statistic stat, const options& opts = {}) {
  detail::check_confidence(opts.confidence);
  const Eigen::Index raters = ratings.cols();
  pairwise_result out;
  out.stat = stat;
  out.used = opts;
  out.used.missing = missing_policy::listwise;
  out.used.bootstrap = 0;
  out.value = Eigen::MatrixXd::Constant(raters, raters, std::numeric_limits<double>::quiet_NaN());
  out.n_units = Eigen::MatrixXi::Zero(raters, raters);
  Eigen::MatrixXd pair(ratings.rows(), 2);
  for (Eigen::Index a = 0; a < raters; ++a) {
    out.n_units(a, a) = static_cast<int>((ratings.col(a).array() == ratings.col(a).array()).count());
    for (Eigen::Index b = a + 1; b < raters; ++b) {
      pair.col(0) = ratings.col(a);
      pair.col(1) = ratings.col(b);
      const int shared = static_cast<int>(
          ((pair.col(0).array() == pair.col(0).array()) && (pair.col(1).array() == pair.col(1).array())).count());
      out.n_units(a, b) = out.n_units(b, a) = shared;
      const result r = agree(pair, stat, out.used);
      if (r.value) {
        out.value(a, b) = *r.value;
        out.value(b, a) = *r.value;
      } else {
        out.reasons[{static_cast<std::size_t>(a), static_cast<std::size_t>(b)}] =
            r.reason ? *r.reason : "no value";
      }
    }
  }
  return out;
}

}  // namespace calibra::agreement
