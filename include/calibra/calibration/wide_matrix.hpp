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

#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
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

  bool keeps(const ratings_table& table, std::size_t row) const {
    if (competency && table.competency(row) != *competency) return false;
    if (period && table.period(row) != *period) return false;
    if (!roles.empty() && std::find(roles.begin(), roles.end(), table.role(row)) == roles.end()) return false;
    if (!raters.empty() && std::find(raters.begin(), raters.end(), table.rater(row)) == raters.end()) return false;
    return true;
  }
};

/// The rows a filter keeps, in table order.
inline std::vector<std::size_t> select_rows(const ratings_table& table, const ratings_filter& filter = {}) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < table.size(); ++i)
    if (filter.keeps(table, i)) rows.push_back(i);
  return rows;
}

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
inline unit_rater_matrix wide_matrix(const ratings_table& table, const ratings_filter& filter = {}) {
  const std::vector<std::size_t> rows = select_rows(table, filter);
  if (rows.empty()) throw invalid_argument("ratings", "the filter keeps no ratings, so there is no matrix to build");

  // Kept rows ordered by unit; equal units end up next to each other.
  struct keyed_row {
    unit_key unit;
    std::size_t row;
  };
  const auto less = [](const unit_key& a, const unit_key& b) {
    if (a.ratee != b.ratee) return a.ratee < b.ratee;
    if (a.competency != b.competency) return a.competency < b.competency;
    return a.period < b.period;
  };
  const auto same = [](const unit_key& a, const unit_key& b) {
    return a.ratee == b.ratee && a.competency == b.competency && a.period == b.period;
  };
  std::vector<keyed_row> keyed;
  keyed.reserve(rows.size());
  for (std::size_t row : rows) keyed.push_back({{table.ratee(row), table.competency(row), table.period(row)}, row});
  std::sort(keyed.begin(), keyed.end(), [&](const keyed_row& a, const keyed_row& b) { return less(a.unit, b.unit); });

  // Columns: the raters present, by id.
  std::vector<bool> rates(table.raters().size(), false);
  for (std::size_t row : rows) rates[table.rater(row)] = true;
  std::vector<std::uint32_t> column_of_rater(table.raters().size(), ratings_table::no_id);
  unit_rater_matrix out;
  for (std::uint32_t r = 0; r < rates.size(); ++r)
    if (rates[r]) {
      column_of_rater[r] = static_cast<std::uint32_t>(out.rater_ids.size());
      out.rater_ids.push_back(r);
      out.raters.push_back(table.raters()[r]);
    }

  std::size_t n_units = 0;
  for (std::size_t k = 0; k < keyed.size(); ++k) n_units += k == 0 || !same(keyed[k].unit, keyed[k - 1].unit);
  const std::size_t n_raters = out.rater_ids.size();
  if (n_units > max_wide_matrix_cells / n_raters)
    throw invalid_argument("ratings", "a " + std::to_string(n_units) + " x " + std::to_string(n_raters) +
                                          " units x raters matrix is larger than the " +
                                          std::to_string(max_wide_matrix_cells) +
                                          " cells calibra builds densely; narrow the filter (competency, period, "
                                          "raters) or work on the rows directly");

  out.ratings = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n_units), static_cast<Eigen::Index>(n_raters),
                                          std::numeric_limits<double>::quiet_NaN());
  const auto& competencies = table.framework().competencies();
  Eigen::Index unit = -1;
  for (std::size_t k = 0; k < keyed.size(); ++k) {
    const std::size_t row = keyed[k].row;
    if (k == 0 || !same(keyed[k].unit, keyed[k - 1].unit)) {
      ++unit;
      out.unit_keys.push_back(keyed[k].unit);
      std::string label = table.ratees()[table.ratee(row)];
      if (!filter.competency) label += "/" + competencies[table.competency(row)].id;
      if (!filter.period) label += "/" + table.periods()[table.period(row)];
      out.units.push_back(std::move(label));
    }
    out.ratings(unit, static_cast<Eigen::Index>(column_of_rater[table.rater(row)])) = table.level(row);
  }
  return out;
}

}  // namespace calibra::calibration
