// From long-form ratings to the units x raters matrix the agreement engine
// takes (calibra::agreement::agree):
//
//   ratings_filter f;
//   f.competency = fw.competency_index("product-delivery");
//   f.period = table.periods().find("2026Q3");
//   f.roles = {rater_role::manager, rater_role::panel};
//   const unit_rater_matrix m = wide_matrix(table, f);
//   agreement::agree(m.ratings, agreement::statistic::gwet, opts);
//
// A unit is one ratee on one competency in one period.  When the filter
// fixes the competency and the period, units are simply ratees; otherwise
// every (ratee, competency, period) combination rated is its own unit.
// Columns are the raters who rated at least one selected unit.  Because a
// table holds at most one rating per (ratee, rater, competency, period),
// every cell holds at most one rating; NaN marks a missing one.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calibra::calibration {

/// Which rows to use.  An empty optional or list means "all".
struct ratings_filter {
  std::optional<std::size_t> competency;  // index into the framework's competencies
  std::optional<std::uint32_t> period;    // table period id
  std::vector<rater_role> roles;          // keep only these roles
  std::vector<std::uint32_t> raters;      // keep only these rater ids

  bool keeps(const ratings_table& table, std::size_t row) const;
};

/// The rows a filter keeps, in table order.
std::vector<std::size_t> select_rows(const ratings_table& table, const ratings_filter& filter = {});

/// What a row of the wide matrix stands for.
struct unit_key {
  std::uint32_t ratee = 0;
  std::uint32_t competency = 0;
  std::uint32_t period = 0;
};

struct unit_rater_matrix {
  /// units x raters, levels as 1-based ordinals, NaN where missing.
  Eigen::MatrixXd ratings;
  /// One label per row: the ratee, then "/competency-id" when the filter
  /// leaves the competency open, then "/period" when it leaves the period open.
  std::vector<std::string> units;
  std::vector<unit_key> unit_keys;
  /// Rater names and ids, one per column, by rater id.
  std::vector<std::string> raters;
  std::vector<std::uint32_t> rater_ids;
};

/// Dense matrices beyond this many cells are refused: a units x raters
/// matrix of every ratee and rater grows with their product.
inline constexpr std::size_t max_wide_matrix_cells = std::size_t{1} << 26;

/// The units x raters matrix of the rows `filter` keeps.  Units are ordered
/// by ratee id, then competency, then period; raters by id.  Runs in
/// O(rows log rows) plus the size of the matrix.  Throws invalid_argument
/// when the filter leaves no rows or the matrix would exceed
/// max_wide_matrix_cells.
unit_rater_matrix wide_matrix(const ratings_table& table, const ratings_filter& filter = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/wide_matrix-inl.hpp>
#endif
