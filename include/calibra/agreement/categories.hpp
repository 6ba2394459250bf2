// Category sets and the one-pass coding of a rating matrix into category
// indices.
//
// Every categorical coefficient works on category indices 0..q-1, never on
// the raw doubles: the matrix is coded once here and the coefficients then
// count, tabulate and weight by index.  The category set is either declared
// by the caller (options::categories; unused categories still count) or the
// sorted distinct codes observed in the units that enter the computation.
#pragma once

#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace calibra::agreement {

/// Rating matrix as accepted by every public entry point: units x raters,
/// column-major, NaN = missing.  Zero-copy for Eigen and Fortran-order data.
using ratings_ref = Eigen::Ref<const Eigen::MatrixXd>;

/// Category indices of a rating matrix: units x raters, `missing_index` for
/// a missing rating.
using index_matrix = Eigen::Matrix<std::int32_t, Eigen::Dynamic, Eigen::Dynamic>;
inline constexpr std::int32_t missing_index = -1;

namespace detail {
inline std::string format_code(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}
}  // namespace detail

/// A sorted list of distinct, finite category codes with a fast code -> index
/// lookup.
class category_set {
 public:
  category_set() = default;

  /// Validates a caller-declared list: finite, strictly increasing.
  static category_set declared(std::vector<double> codes) {
    for (std::size_t k = 0; k < codes.size(); ++k) {
      if (!std::isfinite(codes[k]))
        throw invalid_argument("agreement", "declared category " + std::to_string(k) +
                                                " is not a finite number; expected finite codes");
      if (k > 0 && !(codes[k - 1] < codes[k]))
        throw invalid_argument("agreement", "declared categories must be sorted and distinct, but category " +
                                                std::to_string(k) + " (" + detail::format_code(codes[k]) +
                                                ") does not exceed category " + std::to_string(k - 1) + " (" +
                                                detail::format_code(codes[k - 1]) + ")");
    }
    return category_set(std::move(codes));
  }

  /// Builds the set from codes already known to be sorted and distinct.
  static category_set from_sorted(std::vector<double> codes) { return category_set(std::move(codes)); }

  std::size_t size() const { return codes_.size(); }
  bool empty() const { return codes_.empty(); }
  const std::vector<double>& codes() const { return codes_; }
  double code(std::size_t index) const { return codes_[index]; }

  /// Index of `value`, or missing_index when the value is not in the set.
  std::int32_t index_of(double value) const {
    if (!table_.empty()) {
      // Integer codes over a short range: direct table lookup.
      const double offset = value - table_origin_;
      if (offset >= 0 && offset < static_cast<double>(table_.size()) && offset == std::floor(offset))
        return table_[static_cast<std::size_t>(offset)];
      return missing_index;
    }
    const auto it = std::lower_bound(codes_.begin(), codes_.end(), value);
    if (it == codes_.end() || *it != value) return missing_index;
    return static_cast<std::int32_t>(it - codes_.begin());
  }

  friend bool operator==(const category_set& a, const category_set& b) { return a.codes_ == b.codes_; }
  friend bool operator!=(const category_set& a, const category_set& b) { return !(a == b); }

 private:
  explicit category_set(std::vector<double> codes) : codes_(std::move(codes)) { build_table(); }

  void build_table() {
    // Rating scales are almost always small integers; a lookup table makes
    // coding a million ratings a few milliseconds.
    constexpr double max_span = 4096;
    if (codes_.empty()) return;
    const double lo = codes_.front(), hi = codes_.back();
    if (hi - lo >= max_span) return;
    for (double c : codes_)
      if (c != std::floor(c)) return;
    table_origin_ = lo;
    table_.assign(static_cast<std::size_t>(hi - lo) + 1, missing_index);
    for (std::size_t k = 0; k < codes_.size(); ++k)
      table_[static_cast<std::size_t>(codes_[k] - lo)] = static_cast<std::int32_t>(k);
  }

  std::vector<double> codes_;
  std::vector<std::int32_t> table_;
  double table_origin_ = 0;
};

/// A rating matrix coded into category indices, restricted to the units that
/// enter the computation under the missing-data policy.
struct coded_ratings {
  index_matrix index;               // kept units x raters
  category_set categories;          // index -> code
  std::vector<std::size_t> unit_rows;  // row of each kept unit in the input matrix
  std::size_t n_input_units = 0;
  std::size_t n_raters = 0;  // columns of the input matrix

  std::size_t n_units() const { return static_cast<std::size_t>(index.rows()); }
};

namespace detail {

/// What one pass over the matrix learns: ratings per unit and, for the
/// observed category set, the range and integrality of the codes.
struct matrix_scan {
  std::vector<std::int32_t> ratings_per_unit;
  double lowest = std::numeric_limits<double>::infinity();
  double highest = -std::numeric_limits<double>::infinity();
  bool integral = true;
};

inline matrix_scan scan_matrix(const ratings_ref& ratings) {
  matrix_scan scan;
  scan.ratings_per_unit.assign(static_cast<std::size_t>(ratings.rows()), 0);
  for (Eigen::Index j = 0; j < ratings.cols(); ++j) {
    for (Eigen::Index i = 0; i < ratings.rows(); ++i) {
      const double v = ratings(i, j);
      if (std::isnan(v)) continue;
      if (std::isinf(v))
        throw validation_error("agreement", "rating of unit " + std::to_string(i) + " (0-based row), rater " +
                                                std::to_string(j) + " (column) is infinite; expected a finite "
                                                "category code or NaN for a missing rating");
      ++scan.ratings_per_unit[static_cast<std::size_t>(i)];
      scan.lowest = std::min(scan.lowest, v);
      scan.highest = std::max(scan.highest, v);
      scan.integral = scan.integral && v == std::floor(v);
    }
  }
  return scan;
}

/// The distinct codes of the kept units, sorted.  Integer codes over a short
/// range (the usual rating scale) are found with a presence table; anything
/// else falls back to sort + unique.
inline std::vector<double> observed_codes(const ratings_ref& ratings, const std::vector<std::size_t>& rows,
                                          bool all_rows, const matrix_scan& scan) {
  std::vector<double> codes;
  if (rows.empty()) return codes;
  auto for_each_kept = [&](auto&& visit) {
    for (Eigen::Index j = 0; j < ratings.cols(); ++j) {
      if (all_rows) {
        for (Eigen::Index i = 0; i < ratings.rows(); ++i) visit(ratings(i, j));
      } else {
        for (std::size_t row : rows) visit(ratings(static_cast<Eigen::Index>(row), j));
      }
    }
  };
  constexpr double max_span = 4096;
  if (scan.integral && scan.highest - scan.lowest < max_span) {
    std::vector<char> present(static_cast<std::size_t>(scan.highest - scan.lowest) + 1, 0);
    const double origin = scan.lowest;
    for_each_kept([&](double v) {
      if (!std::isnan(v)) present[static_cast<std::size_t>(v - origin)] = 1;
    });
    for (std::size_t k = 0; k < present.size(); ++k)
      if (present[k]) codes.push_back(origin + static_cast<double>(k));
    return codes;
  }
  for_each_kept([&](double v) {
    if (!std::isnan(v)) codes.push_back(v);
  });
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

[[noreturn]] inline void throw_undeclared(double value, Eigen::Index row, Eigen::Index column, std::size_t q) {
  throw validation_error("agreement", "rating " + format_code(value) + " of unit " + std::to_string(row) +
                                          " (0-based row), rater " + std::to_string(column) +
                                          " (column) is not one of the " + std::to_string(q) +
                                          " declared categories");
}

}  // namespace detail

/// Codes `ratings` once: validates every cell (finite or NaN; in the
/// declared set when categories are declared), applies the missing-data
/// policy, and maps each kept rating to its category index.
inline coded_ratings code_ratings(const ratings_ref& ratings, const options& opts) {
  const auto n_units = static_cast<std::size_t>(ratings.rows());
  const auto n_raters = static_cast<std::size_t>(ratings.cols());
  const detail::matrix_scan scan = detail::scan_matrix(ratings);

  // Listwise keeps complete units; otherwise units nobody rated carry no
  // information for any coefficient and are dropped.
  const std::int32_t needed =
      opts.missing == missing_policy::listwise ? static_cast<std::int32_t>(n_raters) : 1;
  std::vector<std::size_t> rows;
  rows.reserve(n_units);
  for (std::size_t i = 0; i < n_units; ++i)
    if (n_raters > 0 && scan.ratings_per_unit[i] >= needed) rows.push_back(i);
  const bool all_rows = rows.size() == n_units;

  coded_ratings coded;
  coded.n_input_units = n_units;
  coded.n_raters = n_raters;
  const bool declared = !opts.categories.empty();
  coded.categories = declared ? category_set::declared(opts.categories)
                              : category_set::from_sorted(detail::observed_codes(ratings, rows, all_rows, scan));
  const std::size_t q = coded.categories.size();

  coded.index.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(n_raters));
  for (Eigen::Index j = 0; j < ratings.cols(); ++j) {
    for (std::size_t u = 0; u < rows.size(); ++u) {
      const auto row = static_cast<Eigen::Index>(all_rows ? u : rows[u]);
      const double v = ratings(row, j);
      std::int32_t k = missing_index;
      if (!std::isnan(v)) {
        k = coded.categories.index_of(v);
        if (k == missing_index) detail::throw_undeclared(v, row, j, q);
      }
      coded.index(static_cast<Eigen::Index>(u), j) = k;
    }
  }
  // Declared categories: ratings of dropped units must belong to the set too.
  if (declared && !all_rows) {
    std::vector<char> kept(n_units, 0);
    for (std::size_t row : rows) kept[row] = 1;
    for (Eigen::Index j = 0; j < ratings.cols(); ++j)
      for (std::size_t i = 0; i < n_units; ++i) {
        const double v = ratings(static_cast<Eigen::Index>(i), j);
        if (!kept[i] && !std::isnan(v) && coded.categories.index_of(v) == missing_index)
          detail::throw_undeclared(v, static_cast<Eigen::Index>(i), j, q);
      }
  }
  coded.unit_rows = std::move(rows);
  return coded;
}

}  // namespace calibra::agreement
