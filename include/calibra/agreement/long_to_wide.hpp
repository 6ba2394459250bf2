// Long ratings (one row per rating) to the units x raters matrix that
// agree() and the summaries take.
//
// The caller numbers its keys first: for every row, one integer code per
// unit key column (e.g. ratee, competency, period) and one for the rater,
// each in 0..cardinality-1.  A unit is each distinct combination of the
// unit keys; units are numbered in order of first appearance, and raters
// keep their codes as column indices.  One pass over the rows, no sorting.
//
//   // ratee and competency codes per rating, rater codes, levels:
//   const auto wide = long_to_wide({{ratee.data(), 3}, {competency.data(), 2}},
//                                  {rater.data(), 4}, level.data(), level.size());
//   if (!wide.duplicate) result r = agree(wide.ratings, statistic::fleiss);
//
// The Python package uses it for long DataFrames (pandas numbers the keys
// with factorize), see docs/python.md.
#pragma once

#include <calibra/config.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace calibra::agreement {

/// One key column: a code per row, each in 0..cardinality-1.  The codes are
/// read, not copied; they must outlive the call.
struct key_codes {
  const std::int64_t* codes = nullptr;
  std::size_t cardinality = 0;
};

struct long_to_wide_result {
  /// Units x raters, column-major, NaN where the rater did not rate the unit.
  Eigen::MatrixXd ratings;
  /// Per unit (row of `ratings`): the first row of the input that rates it.
  std::vector<std::int64_t> unit_rows;
  /// The rows of the first (unit, rater) pair that appears twice, earlier
  /// row first.  When set, the pivot stopped there: `ratings` and
  /// `unit_rows` are incomplete and must not be used.
  std::optional<std::pair<std::size_t, std::size_t>> duplicate;
};

/// Pivots `rows` ratings: `unit_keys` (at least one column) name each
/// row's unit, `rater` its rater, `levels` its value (NaN: missing, which
/// stays a missing cell).  Throws invalid_argument for a code outside its
/// column's cardinality, for no unit key column, and for a matrix larger
/// than calibration::max_wide_matrix_cells cells.
long_to_wide_result long_to_wide(const std::vector<key_codes>& unit_keys, key_codes rater, const double* levels,
                                 std::size_t rows);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/long_to_wide-inl.hpp>
#endif
