// Rater x rater matrices of a two-rater statistic: who agrees with whom.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <utility>
#include <map>

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
pairwise_result pairwise(const ratings_ref& ratings, statistic stat, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/pairwise-inl.hpp>
#endif
