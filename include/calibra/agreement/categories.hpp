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

/// Collects the distinct finite values of the kept rows, sorted.
inline std::vector<double> observed_codes(const ratings_ref& ratings, const std::vector<std::size_t>& rows) {
  // Few distinct values is the common case: keep a small sorted list and
  // only fall back to sort+unique when the data look continuous.
  constexpr std::size_t small_limit = 256;
  std::vector<double> distinct;
  double last = std::numeric_limits<double>::quiet_NaN();
  bool small = true;
  for (Eigen::Index j = 0; j < ratings.cols() && small; ++j) {
    for (std::size_t row : rows) {
      const double v = ratings(static_cast<Eigen::Index>(row), j);
      if (std::isnan(v) || v == last) continue;
      last = v;
      const auto it = std::lower_bound(distinct.begin(), distinct.end(), v);
      if (it != distinct.end() && *it == v) continue;
      distinct.insert(it, v);
      if (distinct.size() > small_limit) {
        small = false;
        break;
      }
    }
  }
  if (small) return distinct;
  std::vector<double> all;
  all.reserve(rows.size() * static_cast<std::size_t>(ratings.cols()));
  for (Eigen::Index j = 0; j < ratings.cols(); ++j)
    for (std::size_t row : rows) {
      const double v = ratings(static_cast<Eigen::Index>(row), j);
      if (!std::isnan(v)) all.push_back(v);
    }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace detail

/// Codes `ratings` once: validates every cell (finite or NaN; in the
/// declared set when categories are declared), applies the missing-data
/// policy, and maps each kept rating to its category index.
inline coded_ratings code_ratings(const ratings_ref& ratings, const options& opts) {
  const auto n_units = static_cast<std::size_t>(ratings.rows());
  const auto n_raters = static_cast<std::size_t>(ratings.cols());

  // Infinite values are never a rating; say where the first one is.
  for (Eigen::Index j = 0; j < ratings.cols(); ++j)
    for (Eigen::Index i = 0; i < ratings.rows(); ++i)
      if (std::isinf(ratings(i, j)))
        throw validation_error("agreement", "rating of unit " + std::to_string(i) + " (0-based row), rater " +
                                                std::to_string(j) + " (column) is infinite; expected a finite "
                                                "category code or NaN for a missing rating");

  std::vector<std::size_t> rows;
  rows.reserve(n_units);
  if (opts.missing == missing_policy::listwise) {
    for (std::size_t i = 0; i < n_units; ++i) {
      bool complete = n_raters > 0;
      for (std::size_t j = 0; j < n_raters && complete; ++j)
        complete = !std::isnan(ratings(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      if (complete) rows.push_back(i);
    }
  } else {
    // Units nobody rated carry no information for any coefficient.
    for (std::size_t i = 0; i < n_units; ++i) {
      bool any = false;
      for (std::size_t j = 0; j < n_raters && !any; ++j)
        any = !std::isnan(ratings(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      if (any) rows.push_back(i);
    }
  }

  coded_ratings coded;
  coded.n_input_units = n_units;
  coded.n_raters = n_raters;
  const bool declared = !opts.categories.empty();
  if (declared) {
    coded.categories = category_set::declared(opts.categories);
  } else {
    coded.categories = category_set::from_sorted(detail::observed_codes(ratings, rows));
  }

  // Declared categories: every rating in the matrix must belong to the set,
  // including ratings of units the missing policy drops.
  if (declared) {
    for (Eigen::Index j = 0; j < ratings.cols(); ++j)
      for (Eigen::Index i = 0; i < ratings.rows(); ++i) {
        const double v = ratings(i, j);
        if (!std::isnan(v) && coded.categories.index_of(v) == missing_index)
          throw validation_error("agreement", "rating " + detail::format_code(v) + " of unit " + std::to_string(i) +
                                                  " (0-based row), rater " + std::to_string(j) +
                                                  " (column) is not one of the " +
                                                  std::to_string(coded.categories.size()) +
                                                  " declared categories");
      }
  }

  coded.index.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(n_raters));
  for (Eigen::Index j = 0; j < ratings.cols(); ++j)
    for (std::size_t u = 0; u < rows.size(); ++u) {
      const double v = ratings(static_cast<Eigen::Index>(rows[u]), j);
      coded.index(static_cast<Eigen::Index>(u), j) = std::isnan(v) ? missing_index : coded.categories.index_of(v);
    }
  coded.unit_rows = std::move(rows);
  return coded;
}

}  // namespace calibra::agreement
