// Implementation of <calibra/agreement/categories.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/categories.hpp>

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


namespace calibra::agreement::detail {

CALIBRA_INLINE std::string format_code(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE auto category_set::declared(std::vector<double> codes) -> category_set {
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

CALIBRA_INLINE auto category_set::index_of(double value) const -> std::int32_t {
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

CALIBRA_INLINE auto category_set::build_table() -> void {
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

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE matrix_scan scan_matrix(const ratings_ref& ratings) {
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

CALIBRA_INLINE std::vector<double> observed_codes(const ratings_ref& ratings, const std::vector<std::size_t>& rows,
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

[[noreturn]] CALIBRA_INLINE void throw_undeclared(double value, Eigen::Index row, Eigen::Index column, std::size_t q) {
  throw validation_error("agreement", "rating " + format_code(value) + " of unit " + std::to_string(row) +
                                          " (0-based row), rater " + std::to_string(column) +
                                          " (column) is not one of the " + std::to_string(q) +
                                          " declared categories");
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE coded_ratings code_ratings(const ratings_ref& ratings, const options& opts) {
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
