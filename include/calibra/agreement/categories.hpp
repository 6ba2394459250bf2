// Category sets and the one-pass coding of a rating matrix into category
// indices.
//
// Every categorical coefficient works on category indices 0..q-1, never on
// the raw doubles: the matrix is coded once here and the coefficients then
// count, tabulate and weight by index.  The category set is either declared
// by the caller (options::categories; unused categories still count) or the
// sorted distinct codes observed in the units that enter the computation.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
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
std::string format_code(double value);
}  // namespace detail

/// A sorted list of distinct, finite category codes with a fast code -> index
/// lookup.
class category_set {
 public:
  category_set() = default;

  /// Validates a caller-declared list: finite, strictly increasing.
  static category_set declared(std::vector<double> codes);

  /// Builds the set from codes already known to be sorted and distinct.
  static category_set from_sorted(std::vector<double> codes) { return category_set(std::move(codes)); }

  std::size_t size() const { return codes_.size(); }
  bool empty() const { return codes_.empty(); }
  const std::vector<double>& codes() const { return codes_; }
  double code(std::size_t index) const { return codes_[index]; }

  /// Index of `value`, or missing_index when the value is not in the set.
  std::int32_t index_of(double value) const;

  friend bool operator==(const category_set& a, const category_set& b) { return a.codes_ == b.codes_; }
  friend bool operator!=(const category_set& a, const category_set& b) { return !(a == b); }

 private:
  explicit category_set(std::vector<double> codes) : codes_(std::move(codes)) { build_table(); }

  void build_table();

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

matrix_scan scan_matrix(const ratings_ref& ratings);

/// The distinct codes of the kept units, sorted.  Integer codes over a short
/// range (the usual rating scale) are found with a presence table; anything
/// else falls back to sort + unique.
std::vector<double> observed_codes(const ratings_ref& ratings, const std::vector<std::size_t>& rows,
                                          bool all_rows, const matrix_scan& scan);

[[noreturn]] void throw_undeclared(double value, Eigen::Index row, Eigen::Index column, std::size_t q);

}  // namespace detail

/// Codes `ratings` once: validates every cell (finite or NaN; in the
/// declared set when categories are declared), applies the missing-data
/// policy, and maps each kept rating to its category index.
coded_ratings code_ratings(const ratings_ref& ratings, const options& opts);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/categories-inl.hpp>
#endif
