// Implementation of <calibra/agreement/detail/patterns.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/detail/patterns.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>


namespace calibra::agreement::detail {

CALIBRA_INLINE auto integer_window::around(double first, std::int64_t below, std::int64_t span)
    -> std::optional<integer_window> {
  if (!(std::abs(first) < 1e15)) return std::nullopt;
  const auto whole = static_cast<std::int64_t>(first);
  if (static_cast<double>(whole) != first) return std::nullopt;
  integer_window window;
  window.origin = whole - below;
  window.lowest = static_cast<double>(window.origin);
  window.highest = static_cast<double>(window.origin + span - 1);
  return window;
}

CALIBRA_INLINE auto integer_window::offset(double value) const -> std::int64_t {
  if (!(value >= lowest && value <= highest)) return -1;
  const auto whole = static_cast<std::int64_t>(value);
  if (static_cast<double>(whole) != value) return -1;
  return whole - origin;
}

CALIBRA_INLINE std::optional<double> first_rating(const ratings_ref& ratings) {
  for (Eigen::Index j = 0; j < ratings.cols(); ++j)
    for (Eigen::Index i = 0; i < ratings.rows(); ++i)
      if (!std::isnan(ratings(i, j))) return ratings(i, j);
  return std::nullopt;
}

CALIBRA_INLINE std::optional<unit_patterns> tabulate_patterns(const ratings_ref& ratings, const options& opts,
                                                      bool map_units) {
  const Eigen::Index n = ratings.rows(), raters = ratings.cols();
  if (n == 0 || raters == 0 || n >= Eigen::Index{1} << 31) return std::nullopt;
  const std::optional<double> first = first_rating(ratings);
  if (!first) return std::nullopt;
  constexpr std::int64_t span = 4096;
  const std::optional<integer_window> window = integer_window::around(*first, span / 2, span);
  if (!window) return std::nullopt;

  // Pass 1: every rating is a small integer; which codes occur; which
  // raters rated anything.
  std::vector<unsigned char> present(static_cast<std::size_t>(span), 0);
  std::vector<unsigned char> rater_rated(static_cast<std::size_t>(raters), 0);
  for (Eigen::Index j = 0; j < raters; ++j) {
    const double* column = ratings.col(j).data();
    bool rated = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double v = column[i];
      if (std::isnan(v)) continue;
      const std::int64_t at = window->offset(v);
      if (at < 0) return std::nullopt;
      present[static_cast<std::size_t>(at)] = 1;
      rated = true;
    }
    rater_rated[static_cast<std::size_t>(j)] = rated;
  }

  // One digit per code present, in base raters + 1.
  std::vector<std::int64_t> slot_offset;
  for (std::int64_t at = 0; at < span; ++at)
    if (present[static_cast<std::size_t>(at)]) slot_offset.push_back(at);
  const std::size_t slots = slot_offset.size();
  constexpr std::uint64_t max_keys = std::uint64_t{1} << 16;
  const auto base = static_cast<std::uint64_t>(raters) + 1;
  std::vector<std::uint32_t> place(slots);
  std::uint64_t keys = 1;
  for (std::size_t s = 0; s < slots; ++s) {
    place[s] = static_cast<std::uint32_t>(keys);
    keys *= base;
    if (keys > max_keys) return std::nullopt;
  }
  std::vector<std::uint32_t> digit_of_offset(static_cast<std::size_t>(span), 0);
  for (std::size_t s = 0; s < slots; ++s) digit_of_offset[static_cast<std::size_t>(slot_offset[s])] = place[s];

  // Pass 2: each unit's key, column by column over blocks of units.
  std::vector<std::uint32_t> units_with_key(static_cast<std::size_t>(keys), 0);
  std::vector<std::uint32_t> unit_key;
  if (map_units) unit_key.resize(static_cast<std::size_t>(n));
  constexpr Eigen::Index block = 4096;
  std::array<std::uint32_t, block> key{};
  const std::uint32_t* digit = digit_of_offset.data();
  const std::int64_t origin = window->origin;
  for (Eigen::Index begin = 0; begin < n; begin += block) {
    const Eigen::Index size = std::min(block, n - begin);
    std::fill(key.begin(), key.begin() + size, 0u);
    for (Eigen::Index j = 0; j < raters; ++j) {
      const double* column = ratings.col(j).data() + begin;
      for (Eigen::Index i = 0; i < size; ++i) {
        const double v = column[i];
        if (!std::isnan(v)) key[static_cast<std::size_t>(i)] += digit[static_cast<std::int64_t>(v) - origin];
      }
    }
    for (Eigen::Index i = 0; i < size; ++i) ++units_with_key[key[static_cast<std::size_t>(i)]];
    if (map_units) std::copy(key.begin(), key.begin() + size, unit_key.begin() + begin);
  }

  // Which keys belong to kept units, and which codes those units use.
  const bool listwise = opts.missing == missing_policy::listwise;
  std::vector<std::uint32_t> digits(slots);
  auto decode = [&](std::uint64_t k) {
    std::uint32_t total = 0;
    for (std::size_t s = 0; s < slots; ++s) {
      digits[s] = static_cast<std::uint32_t>(k % base);
      k /= base;
      total += digits[s];
    }
    return total;
  };
  std::vector<unsigned char> kept_uses(slots, 0);
  for (std::uint64_t k = 0; k < keys; ++k) {
    if (units_with_key[k] == 0) continue;
    const std::uint32_t total = decode(k);
    const bool kept = listwise ? total == static_cast<std::uint32_t>(raters) : total >= 1;
    if (!kept) {
      units_with_key[k] = 0;
      continue;
    }
    for (std::size_t s = 0; s < slots; ++s)
      if (digits[s] > 0) kept_uses[s] = 1;
  }

  unit_patterns out;
  std::vector<std::int32_t> index_of_slot(slots, missing_index);
  if (!opts.categories.empty()) {
    out.categories = category_set::declared(opts.categories);
    for (std::size_t s = 0; s < slots; ++s) {
      index_of_slot[s] = out.categories.index_of(static_cast<double>(origin + slot_offset[s]));
      if (index_of_slot[s] == missing_index) return std::nullopt;  // the general path reports it
    }
  } else {
    std::vector<double> codes;
    for (std::size_t s = 0; s < slots; ++s)
      if (kept_uses[s]) {
        index_of_slot[s] = static_cast<std::int32_t>(codes.size());
        codes.push_back(static_cast<double>(origin + slot_offset[s]));
      }
    out.categories = category_set::from_sorted(std::move(codes));
  }
  out.table.q = out.categories.size();

  std::vector<std::uint32_t> pattern_of_key(map_units ? static_cast<std::size_t>(keys) : 0);
  for (std::uint64_t k = 0; k < keys; ++k) {
    if (units_with_key[k] == 0) continue;
    decode(k);
    // Slots ascend with the code, so the categories of a pattern ascend.
    for (std::size_t s = 0; s < slots; ++s)
      if (digits[s] > 0) {
        out.table.category.push_back(index_of_slot[s]);
        out.table.count.push_back(static_cast<double>(digits[s]));
      }
    out.table.offsets.push_back(out.table.category.size());
    if (map_units) pattern_of_key[k] = static_cast<std::uint32_t>(out.units.size());
    out.units.push_back(static_cast<double>(units_with_key[k]));
    out.n_units += units_with_key[k];
  }

  if (listwise) {
    out.active_raters = out.n_units > 0 ? static_cast<std::size_t>(raters) : 0;
  } else {
    for (unsigned char rated : rater_rated) out.active_raters += rated;
  }
  if (map_units) {
    out.unit_pattern.reserve(out.n_units);
    for (std::uint32_t k : unit_key)
      if (units_with_key[k] != 0) out.unit_pattern.push_back(pattern_of_key[k]);
  }
  return out;
}

CALIBRA_INLINE void pattern_weights(const unit_patterns& patterns, const std::vector<double>& unit_weights,
                            std::vector<double>& weights) {
  weights.assign(patterns.n_patterns(), 0.0);
  const std::uint32_t* pattern = patterns.unit_pattern.data();
  for (std::size_t u = 0; u < unit_weights.size(); ++u) weights[pattern[u]] += unit_weights[u];
}

CALIBRA_INLINE std::optional<pair_counts> tabulate_pair(const ratings_ref& ratings) {
const Eigen::Index n = ratings.rows();
if (ratings.cols() != 2 || n == 0 || n >= Eigen::Index{1} << 31) return std::nullopt;
const std::optional<double> first = first_rating(ratings);
if (!first) return std::nullopt;
const std::optional<integer_window> window = integer_window::around(*first, pair_counts::span / 2, pair_counts::span);
if (!window) return std::nullopt;
std::optional<pair_counts> out(std::in_place);
out->origin = window->origin;
const double* first_column = ratings.col(0).data();
const double* second_column = ratings.col(1).data();
for (Eigen::Index i = 0; i < n; ++i) {
  const double x = first_column[i], y = second_column[i];
  const bool x_missing = std::isnan(x), y_missing = std::isnan(y);
  std::int64_t at_x = 0, at_y = 0;
  if (!x_missing) {
    at_x = window->offset(x);
    if (at_x < 0) return std::nullopt;
    out->seen[static_cast<std::size_t>(at_x)] = 1;
  }
  if (!y_missing) {
    at_y = window->offset(y);
    if (at_y < 0) return std::nullopt;
    out->seen[static_cast<std::size_t>(at_y)] = 1;
  }
  if (!x_missing && !y_missing) ++out->cell[static_cast<std::size_t>(at_x * pair_counts::span + at_y)];
}
  return out;
}

}  // namespace calibra::agreement::detail
