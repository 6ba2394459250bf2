// Implementation of <calibra/agreement/long_to_wide.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/long_to_wide.hpp>

#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

namespace calibra::agreement {

namespace detail {

/// Splits the running units by one more key column: `unit` holds each
/// row's unit id (n distinct, dense); afterwards it holds the id of the
/// (unit, key) combination, numbered in order of first appearance.
/// Returns the number of combinations.
CALIBRA_INLINE std::size_t combine_keys(std::vector<std::uint32_t>& unit, std::size_t n, const std::int64_t* codes,
                                        std::size_t cardinality) {
  const std::size_t rows = unit.size();
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t next = 0;
  const std::uint64_t span = static_cast<std::uint64_t>(n) * cardinality;
  if (span <= std::max<std::uint64_t>(4 * static_cast<std::uint64_t>(rows), 1u << 16)) {
    // Few possible combinations: a direct table is cheaper than hashing.
    std::vector<std::uint32_t> id(static_cast<std::size_t>(span), none);
    for (std::size_t i = 0; i < rows; ++i) {
      std::uint32_t& slot = id[static_cast<std::size_t>(unit[i]) * cardinality + static_cast<std::size_t>(codes[i])];
      if (slot == none) slot = next++;
      unit[i] = slot;
    }
  } else {
    std::unordered_map<std::uint64_t, std::uint32_t> id;
    id.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const std::uint64_t key = static_cast<std::uint64_t>(unit[i]) * cardinality + static_cast<std::uint64_t>(codes[i]);
      const auto [at, inserted] = id.try_emplace(key, next);
      if (inserted) ++next;
      unit[i] = at->second;
    }
  }
  return next;
}

CALIBRA_INLINE void check_key_codes(const key_codes& key, std::size_t rows, const char* what) {
  if (key.codes == nullptr && rows > 0)
    throw invalid_argument("agreement", std::string("long_to_wide: no codes for the ") + what);
  for (std::size_t i = 0; i < rows; ++i)
    if (key.codes[i] < 0 || static_cast<std::size_t>(key.codes[i]) >= key.cardinality)
      throw invalid_argument("agreement", std::string("long_to_wide: ") + what + " code " +
                                              std::to_string(key.codes[i]) + " at row " + std::to_string(i) +
                                              " is outside 0.." + std::to_string(key.cardinality) + " - 1");
}

}  // namespace detail

CALIBRA_INLINE long_to_wide_result long_to_wide(const std::vector<key_codes>& unit_keys, key_codes rater,
                                                const double* levels, std::size_t rows) {
  if (unit_keys.empty()) throw invalid_argument("agreement", "long_to_wide: at least one unit key column is needed");
  for (const key_codes& key : unit_keys) detail::check_key_codes(key, rows, "unit key");
  detail::check_key_codes(rater, rows, "rater");
  if (levels == nullptr && rows > 0) throw invalid_argument("agreement", "long_to_wide: no levels");

  // Every row starts in one unit; each key column then splits the units.
  std::vector<std::uint32_t> unit(rows, 0);
  std::size_t n_units = rows > 0 ? 1 : 0;
  for (const key_codes& key : unit_keys) n_units = detail::combine_keys(unit, n_units, key.codes, key.cardinality);

  const std::size_t n_raters = rater.cardinality;
  if (n_raters > 0 && n_units > calibration::max_wide_matrix_cells / n_raters)
    throw invalid_argument("ratings", "a " + std::to_string(n_units) + " x " + std::to_string(n_raters) +
                                          " units x raters matrix is larger than the " +
                                          std::to_string(calibration::max_wide_matrix_cells) +
                                          " cells calibra builds densely; select fewer units or raters first");
  long_to_wide_result out;
  out.ratings = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n_units), static_cast<Eigen::Index>(n_raters),
                                          std::numeric_limits<double>::quiet_NaN());
  std::vector<char> filled(n_units * n_raters, 0);
  out.unit_rows.assign(n_units, -1);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::size_t cell = static_cast<std::size_t>(rater.codes[i]) * n_units + unit[i];
    if (filled[cell]) {
      // Rare and fatal to the pivot: a backward search for the first row is fine.
      std::size_t first = 0;
      while (!(unit[first] == unit[i] && rater.codes[first] == rater.codes[i])) ++first;
      out.duplicate = std::make_pair(first, i);
      break;
    }
    filled[cell] = 1;
    out.ratings.data()[cell] = levels[i];
    if (out.unit_rows[unit[i]] < 0) out.unit_rows[unit[i]] = static_cast<std::int64_t>(i);
  }
  return out;
}

}  // namespace calibra::agreement
