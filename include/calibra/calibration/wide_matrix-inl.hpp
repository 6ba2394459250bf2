// Implementation of <calibra/calibration/wide_matrix.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/wide_matrix.hpp>

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

CALIBRA_INLINE auto ratings_filter::keeps(const ratings_table& table, std::size_t row) const -> bool {
  if (competency && table.competency(row) != *competency) return false;
  if (period && table.period(row) != *period) return false;
  if (!roles.empty() && std::find(roles.begin(), roles.end(), table.role(row)) == roles.end()) return false;
  if (!raters.empty() && std::find(raters.begin(), raters.end(), table.rater(row)) == raters.end()) return false;
  return true;
}

CALIBRA_INLINE std::vector<std::size_t> select_rows(const ratings_table& table, const ratings_filter& filter) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < table.size(); ++i)
    if (filter.keeps(table, i)) rows.push_back(i);
  return rows;
}

CALIBRA_INLINE unit_rater_matrix wide_matrix(const ratings_table& table, const ratings_filter& filter) {
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
