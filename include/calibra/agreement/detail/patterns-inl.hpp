// Implementation of <calibra/agreement/detail/patterns.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/detail/patterns.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#  include <emmintrin.h>
#endif


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

CALIBRA_INLINE unsigned integer_window::offsets(const double* column, std::size_t size, std::uint16_t marker,
                                                std::uint16_t* at) const {
  std::size_t i = 0;
  unsigned rated = 0, bad = 0;
#if defined(__SSE2__)
  // Adding 1.5 * 2^52 rounds a code below 2^51 in magnitude to an integer
  // and leaves that integer in the low bits of the sum: the code is an
  // integer when subtracting the constant gives it back, and its offset is
  // the difference of the two sums' bit patterns (same exponent).
  const __m128d magic = _mm_set1_pd(6755399441055744.0);
  const __m128d low = _mm_set1_pd(lowest), high = _mm_set1_pd(highest);
  const __m128i base = _mm_castpd_si128(_mm_add_pd(low, magic));
  const __m128i missing = _mm_set1_epi64x(marker);
  __m128d any_rated = _mm_setzero_pd(), any_bad = _mm_setzero_pd();
  auto two = [&](const double* pair) {
    const __m128d v = _mm_loadu_pd(pair);
    const __m128d present = _mm_cmpord_pd(v, v);
    const __m128d shifted = _mm_add_pd(v, magic);
    const __m128d ok = _mm_and_pd(_mm_and_pd(_mm_cmpge_pd(v, low), _mm_cmple_pd(v, high)),
                                  _mm_cmpeq_pd(_mm_sub_pd(shifted, magic), v));
    any_rated = _mm_or_pd(any_rated, present);
    any_bad = _mm_or_pd(any_bad, _mm_andnot_pd(ok, present));
    const __m128i keep = _mm_castpd_si128(ok);
    const __m128i offset = _mm_sub_epi64(_mm_castpd_si128(shifted), base);
    // The two offsets as the low two 32-bit lanes.
    return _mm_shuffle_epi32(_mm_or_si128(_mm_and_si128(keep, offset), _mm_andnot_si128(keep, missing)),
                             _MM_SHUFFLE(3, 3, 2, 0));
  };
  for (; i + 8 <= size; i += 8) {
    const __m128i first = _mm_unpacklo_epi64(two(column + i), two(column + i + 2));
    const __m128i second = _mm_unpacklo_epi64(two(column + i + 4), two(column + i + 6));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(at + i), _mm_packs_epi32(first, second));
  }
  rated = static_cast<unsigned>(_mm_movemask_pd(any_rated) != 0);
  bad = static_cast<unsigned>(_mm_movemask_pd(any_bad) != 0);
#endif
  for (; i < size; ++i) {
    const double v = column[i];
    const bool present = v == v;
    const bool inside = (v >= lowest) & (v <= highest);
    const double code = inside ? v : lowest;
    const auto whole = static_cast<std::int64_t>(code);
    const bool ok = inside & (static_cast<double>(whole) == code);
    rated |= static_cast<unsigned>(present);
    bad |= static_cast<unsigned>(present & !ok);
    at[i] = ok ? static_cast<std::uint16_t>(whole - origin) : marker;
  }
  return (rated ? window_rated : 0u) | (bad ? window_bad : 0u);
}

CALIBRA_INLINE std::optional<double> first_rating(const ratings_ref& ratings) {
  for (Eigen::Index j = 0; j < ratings.cols(); ++j)
    for (Eigen::Index i = 0; i < ratings.rows(); ++i)
      if (!std::isnan(ratings(i, j))) return ratings(i, j);
  return std::nullopt;
}

/// Units per pattern key: a direct table while every key is below 2^16, a
/// hash table once the key space outgrows it, as it does with many raters
/// per unit.  The hash table keeps the distinct keys and their unit counts
/// in two dense arrays, in order of first appearance, and an open-addressing
/// index into them (linear probing, Fibonacci hashing): 4 bytes per slot
/// plus 16 per distinct pattern, whatever the number of units.
class pattern_key_counter {
 public:
  static constexpr std::uint64_t direct_keys = std::uint64_t{1} << 16;

  bool hashed() const { return hashed_; }

  /// Makes the direct table hold every key below 2^key_bits (at most
  /// direct_keys); the keys counted so far keep their places.
  void cover(unsigned key_bits) {
    const std::size_t size = std::size_t{1} << key_bits;
    if (!hashed_ && direct_.size() < size) direct_.resize(size, 0);
  }

  void add_direct(std::uint64_t key) { ++direct_[static_cast<std::size_t>(key)]; }

  /// Adds `units` to `key`; returns the key's entry (its place in order of
  /// first appearance).
  std::uint32_t add_hashed(std::uint64_t key, double units = 1) {
    if (listing_) {
      keys_.push_back(key);
      units_.push_back(units);
      return static_cast<std::uint32_t>(keys_.size() - 1);
    }
    std::size_t at = home(key);
    for (;;) {
      const std::uint32_t entry = slots_[at];
      if (entry == empty) break;
      if (keys_[entry] == key) {
        units_[entry] += units;
        return entry;
      }
      at = (at + 1) & mask_;
    }
    const auto entry = static_cast<std::uint32_t>(keys_.size());
    slots_[at] = entry;
    keys_.push_back(key);
    units_.push_back(units);
    if (2 * keys_.size() > slots_.size()) rebuild(2 * slots_.size());
    return entry;
  }

  /// Distinct keys in the hash table (entries, once listing).
  std::size_t entries() const { return keys_.size(); }
  bool listing() const { return listing_; }

  /// From now on every key gets an entry of its own, without looking it
  /// up: when nearly every unit's pattern is distinct (many raters, missing
  /// ratings), the lookup costs more than it saves.  A key may then have
  /// several entries; every use of the table sums over entries, so the
  /// result is the same.
  void list_from_now() {
    listing_ = true;
    std::vector<std::uint32_t>().swap(slots_);
  }

  /// The entry of a key already added to the hash table.
  std::uint32_t entry_of(std::uint64_t key) const {
    std::size_t at = home(key);
    while (keys_[slots_[at]] != key) at = (at + 1) & mask_;
    return slots_[at];
  }

  /// Moves the direct table's counts into the hash table.  The dense
  /// arrays reserve room for `most` distinct keys (address space only: the
  /// pages are touched as keys arrive), so they never move while growing.
  void switch_to_hash(std::size_t most) {
    hashed_ = true;
    keys_.reserve(most);
    units_.reserve(most);
    rebuild(std::size_t{1} << 12);
    for (std::size_t k = 0; k < direct_.size(); ++k)
      if (direct_[k] != 0) add_hashed(k, direct_[k]);
    std::vector<std::uint32_t>().swap(direct_);
  }

  /// The distinct keys and their units, in the direct table's key order or
  /// in order of first appearance; `take` moves them out.
  void take(std::vector<std::uint64_t>& keys, std::vector<double>& units) {
    if (hashed_) {
      keys = std::move(keys_);
      units = std::move(units_);
      return;
    }
    keys.clear();
    units.clear();
    for (std::size_t k = 0; k < direct_.size(); ++k)
      if (direct_[k] != 0) {
        keys.push_back(k);
        units.push_back(direct_[k]);
      }
  }

 private:
  static constexpr std::uint32_t empty = ~std::uint32_t{0};

  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);
  }

  void rebuild(std::size_t capacity) {
    slots_.assign(capacity, empty);
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (std::size_t entry = 0; entry < keys_.size(); ++entry) {
      std::size_t at = home(keys_[entry]);
      while (slots_[at] != empty) at = (at + 1) & mask_;
      slots_[at] = static_cast<std::uint32_t>(entry);
    }
  }

  bool hashed_ = false, listing_ = false;
  std::vector<std::uint32_t> direct_;
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint64_t> keys_;
  std::vector<double> units_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

CALIBRA_INLINE std::optional<unit_patterns> tabulate_patterns(const ratings_ref& ratings, const options& opts,
                                                      bool map_units) {
  const Eigen::Index n = ratings.rows(), raters = ratings.cols();
  if (n == 0 || raters == 0 || n >= Eigen::Index{1} << 31) return std::nullopt;
  const std::optional<double> first = first_rating(ratings);
  if (!first) return std::nullopt;
  constexpr std::int64_t span = 4096;
  static_assert(span < (1 << 15), "integer_window::offsets packs offsets and the marker into int16");
  const std::optional<integer_window> window = integer_window::around(*first, span / 2, span);
  if (!window) return std::nullopt;

  // One pass, column by column over blocks of units that stay in cache:
  // each rating is checked (NaN, or an integer inside the window) and adds
  // its code's digit to its unit's key, which holds one field of `bits`
  // bits (enough for a count of 0..raters) per code.  Fields are handed out
  // in the order the codes are met; a missing rating reads the digit 0 of
  // the extra offset `span`, so the loop has no branch on missingness.
  unsigned bits = 1;
  while ((std::uint64_t{1} << bits) <= static_cast<std::uint64_t>(raters)) ++bits;
  const std::uint64_t field = (std::uint64_t{1} << bits) - 1;
  constexpr unsigned max_key_bits = 62;
  constexpr std::uint64_t unassigned = ~std::uint64_t{0};
  std::vector<std::uint64_t> digit(static_cast<std::size_t>(span) + 1, unassigned);
  digit[static_cast<std::size_t>(span)] = 0;
  std::vector<std::int64_t> slot_offset;  // window offset of each field's code, in order of first use
  unsigned key_bits = 0;                   // bits of the fields handed out
  pattern_key_counter counter;
  // At most one distinct pattern per unit (room for up to 2^22 reserved at
  // once; beyond that the arrays grow as usual).
  const auto expected_patterns = static_cast<std::size_t>(std::min<Eigen::Index>(n, Eigen::Index{1} << 22));
  counter.cover(0);  // key 0: a unit without ratings
  auto assign = [&](std::int64_t at) {
    if (key_bits + bits > max_key_bits) return false;
    digit[static_cast<std::size_t>(at)] = std::uint64_t{1} << key_bits;
    slot_offset.push_back(at);
    key_bits += bits;
    if (!counter.hashed() && (std::uint64_t{1} << key_bits) > pattern_key_counter::direct_keys)
      counter.switch_to_hash(expected_patterns);
    counter.cover(key_bits);
    return true;
  };

  std::vector<unsigned char> rater_rated(static_cast<std::size_t>(raters), 0);
  // With map_units, each unit's key while the direct table counts, its
  // hash-table entry after (units counted before the switch are converted).
  std::vector<std::uint64_t> unit_key;
  if (map_units) unit_key.resize(static_cast<std::size_t>(n));
  bool units_by_entry = false;
  std::size_t hashed_units = 0;  // units counted by the hash table
  constexpr Eigen::Index block = 2048;
  std::array<std::uint64_t, block> key{};
  const std::int64_t origin = window->origin;
  std::array<std::uint16_t, block> offset{};
  std::uint64_t* keys = key.data();
  for (Eigen::Index begin = 0; begin < n; begin += block) {
    const Eigen::Index size = std::min(block, n - begin);
    const auto count = static_cast<std::size_t>(size);
    std::fill(key.begin(), key.begin() + size, std::uint64_t{0});
    for (Eigen::Index j = 0; j < raters; ++j) {
      const unsigned checked = window->offsets(ratings.col(j).data() + begin, count, static_cast<std::uint16_t>(span),
                                                offset.data());
      if (checked & window_bad) return std::nullopt;
      rater_rated[static_cast<std::size_t>(j)] |= static_cast<unsigned char>(checked & window_rated);
      const std::uint64_t* digits_of = digit.data();
      // Digits are below 2^62, so only `unassigned` sets the top bit.
      std::uint64_t seen = 0;
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t d = digits_of[offset[i]];
        seen |= d;
        keys[i] += d;
      }
      if (seen >> 63) {
        // A code met for the first time: take the column's digits back
        // out (exactly, in modular arithmetic), hand out fields in the
        // order the new codes are met, and add the digits again.
        for (std::size_t i = 0; i < count; ++i) keys[i] -= digit[offset[i]];
        for (std::size_t i = 0; i < count; ++i)
          if (digit[offset[i]] == unassigned && !assign(offset[i])) return std::nullopt;
        for (std::size_t i = 0; i < count; ++i) keys[i] += digit[offset[i]];
      }
    }
    if (counter.hashed()) {
      if (map_units && !units_by_entry) {
        for (Eigen::Index u = 0; u < begin; ++u)
          unit_key[static_cast<std::size_t>(u)] = counter.entry_of(unit_key[static_cast<std::size_t>(u)]);
        units_by_entry = true;
      }
      if (map_units) {
        for (Eigen::Index i = 0; i < size; ++i)
          unit_key[static_cast<std::size_t>(begin + i)] = counter.add_hashed(key[static_cast<std::size_t>(i)]);
      } else {
        for (Eigen::Index i = 0; i < size; ++i) counter.add_hashed(key[static_cast<std::size_t>(i)]);
      }
      // Mostly distinct patterns after a few blocks: stop looking keys up.
      hashed_units += static_cast<std::size_t>(size);
      if (!counter.listing() && hashed_units >= 4 * static_cast<std::size_t>(block) &&
          4 * counter.entries() > 3 * hashed_units)
        counter.list_from_now();
    } else {
      for (Eigen::Index i = 0; i < size; ++i) counter.add_direct(key[static_cast<std::size_t>(i)]);
      if (map_units) std::copy(key.begin(), key.begin() + size, unit_key.begin() + begin);
    }
  }

  // The codes met, ascending: rank r is the code of field by_code[r].
  const std::size_t slots = slot_offset.size();
  std::vector<std::size_t> by_code(slots);
  for (std::size_t s = 0; s < slots; ++s) by_code[s] = s;
  std::sort(by_code.begin(), by_code.end(),
            [&](std::size_t a, std::size_t b) { return slot_offset[a] < slot_offset[b]; });

  // Kept patterns, and which codes they use.
  unit_patterns out;
  out.field_mask = field;
  out.field_shift.resize(slots);
  for (std::size_t r = 0; r < slots; ++r) out.field_shift[r] = static_cast<unsigned>(by_code[r]) * bits;
  const bool listwise = opts.missing == missing_policy::listwise;
  std::uint64_t uses = 0;  // fields used by kept units, as a mask of the fields' lowest bits
  std::vector<std::uint64_t> all_keys;
  std::vector<double> all_units;
  counter.take(all_keys, all_units);
  // Where each distinct key went: its kept pattern, or `not_kept`.
  constexpr std::uint32_t not_kept = ~std::uint32_t{0};
  std::vector<std::uint32_t> pattern_of(map_units ? all_keys.size() : 0, not_kept);
  // Kept keys are compacted in place at the front of all_keys / all_units
  // (kept <= e), then moved into `out`: no second copy of the table.
  std::size_t kept_patterns = 0;
  for (std::size_t e = 0; e < all_keys.size(); ++e) {
    const std::uint64_t k = all_keys[e];
    std::uint64_t total = 0, present = 0;
    for (std::size_t s = 0; s < slots; ++s) {
      const std::uint64_t c = (k >> (s * bits)) & field;
      total += c;
      present |= static_cast<std::uint64_t>(c != 0) << (s * bits);
    }
    const bool kept = listwise ? total == static_cast<std::uint64_t>(raters) : total >= 1;
    if (!kept) continue;
    uses |= present;
    if (map_units) pattern_of[e] = static_cast<std::uint32_t>(kept_patterns);
    out.n_units += static_cast<std::size_t>(all_units[e]);
    if (map_units) {
      // all_keys is still needed whole for the unit map.
      out.keys.push_back(k);
      out.units.push_back(all_units[e]);
    } else {
      all_keys[kept_patterns] = k;
      all_units[kept_patterns] = all_units[e];
    }
    ++kept_patterns;
  }
  if (!map_units) {
    all_keys.resize(kept_patterns);
    all_units.resize(kept_patterns);
    out.keys = std::move(all_keys);
    out.units = std::move(all_units);
  }

  // With a direct table (few raters, few patterns) the patterns go in the
  // order of the number in base raters + 1 with one digit per code in code
  // order, so the table does not depend on which code came first; the hash
  // table's order is kept as it is (deterministic for a given matrix).
  if (!counter.hashed()) {
    const auto base = static_cast<std::uint64_t>(raters) + 1;  // base^slots <= 2^16 here
    std::vector<std::pair<std::uint64_t, std::size_t>> order(out.keys.size());
    for (std::size_t p = 0; p < order.size(); ++p) {
      std::uint64_t canonical = 0;
      for (std::size_t r = slots; r-- > 0;) canonical = canonical * base + ((out.keys[p] >> out.field_shift[r]) & field);
      order[p] = {canonical, p};
    }
    std::sort(order.begin(), order.end());
    std::vector<std::uint64_t> keys(order.size());
    std::vector<double> units(order.size());
    std::vector<std::uint32_t> moved_to(order.size());
    for (std::size_t p = 0; p < order.size(); ++p) {
      keys[p] = out.keys[order[p].second];
      units[p] = out.units[order[p].second];
      moved_to[order[p].second] = static_cast<std::uint32_t>(p);
    }
    for (std::uint32_t& p : pattern_of)
      if (p != not_kept) p = moved_to[p];
    out.keys = std::move(keys);
    out.units = std::move(units);
  }

  out.field_category.assign(slots, missing_index);
  if (!opts.categories.empty()) {
    out.categories = category_set::declared(opts.categories);
    for (std::size_t r = 0; r < slots; ++r) {
      out.field_category[r] = out.categories.index_of(static_cast<double>(origin + slot_offset[by_code[r]]));
      if (out.field_category[r] == missing_index) return std::nullopt;  // the general path reports it
    }
  } else {
    std::vector<double> codes;
    for (std::size_t r = 0; r < slots; ++r)
      if ((uses >> out.field_shift[r]) & 1) {
        out.field_category[r] = static_cast<std::int32_t>(codes.size());
        codes.push_back(static_cast<double>(origin + slot_offset[by_code[r]]));
      }
    out.categories = category_set::from_sorted(std::move(codes));
  }

  if (listwise) {
    out.active_raters = out.n_units > 0 ? static_cast<std::size_t>(raters) : 0;
  } else {
    for (unsigned char rated : rater_rated) out.active_raters += rated;
  }
  if (map_units) {
    // Each unit's pattern, through a table indexed by key (direct) or its
    // hash-table entry (hashed: entries are the places in all_keys).
    out.unit_pattern.reserve(out.n_units);
    if (!counter.hashed()) {
      std::vector<std::uint32_t> at_key(std::size_t{1} << key_bits, not_kept);
      for (std::size_t e = 0; e < all_keys.size(); ++e) at_key[static_cast<std::size_t>(all_keys[e])] = pattern_of[e];
      for (std::uint64_t k : unit_key) {
        const std::uint32_t p = at_key[static_cast<std::size_t>(k)];
        if (p != not_kept) out.unit_pattern.push_back(p);
      }
    } else {
      for (std::uint64_t entry : unit_key) {
        const std::uint32_t p = pattern_of[static_cast<std::size_t>(entry)];
        if (p != not_kept) out.unit_pattern.push_back(p);
      }
    }
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


CALIBRA_INLINE std::optional<small_codes> code_small(const ratings_ref& ratings, const options& opts) {
  const Eigen::Index n = ratings.rows(), raters = ratings.cols();
  if (n == 0 || raters == 0 || n >= Eigen::Index{1} << 31) return std::nullopt;
  const std::optional<double> first = first_rating(ratings);
  if (!first) return std::nullopt;
  constexpr std::int64_t span = 4096;
  static_assert(span < (1 << 15), "integer_window::offsets packs offsets and the marker into int16");
  const std::optional<integer_window> window = integer_window::around(*first, span / 2, span);
  if (!window) return std::nullopt;
  // The same branch-free check as tabulate_patterns: a missing rating (or
  // one outside the window, which fails the check) reads the extra offset
  // `span`, whose slot is `missing`.
  constexpr std::uint8_t unassigned = 0xFE;
  static_assert(small_codes::max_slots < unassigned, "slots and the two markers must not meet");
  std::vector<std::uint8_t> slot_at(static_cast<std::size_t>(span) + 1, unassigned);
  slot_at[static_cast<std::size_t>(span)] = small_codes::missing;
  std::vector<std::int64_t> slot_offset;
  small_codes out;
  out.n = n;
  out.raters = raters;
  out.code.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(raters));
  const std::int64_t origin = window->origin;
  constexpr std::size_t chunk = 2048;
  std::array<std::uint16_t, chunk> offset{};
  for (Eigen::Index j = 0; j < raters; ++j) {
    const double* column = ratings.col(j).data();
    std::uint8_t* coded = out.code.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(n);
    for (std::size_t begin = 0; begin < static_cast<std::size_t>(n); begin += chunk) {
      const std::size_t count = std::min(chunk, static_cast<std::size_t>(n) - begin);
      if (window->offsets(column + begin, count, static_cast<std::uint16_t>(span), offset.data()) & window_bad)
        return std::nullopt;
      const std::uint8_t* slot_of = slot_at.data();
      std::uint8_t* to = coded + begin;
      unsigned seen_unassigned = 0;
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t slot = slot_of[offset[i]];
        seen_unassigned |= static_cast<unsigned>(slot == unassigned);
        to[i] = slot;
      }
      if (seen_unassigned) {
        // Codes met for the first time get slots in the order they are met.
        for (std::size_t i = 0; i < count; ++i) {
          if (slot_at[offset[i]] != unassigned) continue;
          if (slot_offset.size() == small_codes::max_slots) return std::nullopt;
          slot_at[offset[i]] = static_cast<std::uint8_t>(slot_offset.size());
          slot_offset.push_back(offset[i]);
        }
        for (std::size_t i = 0; i < count; ++i) to[i] = slot_at[offset[i]];
      }
    }
  }

  const std::size_t slots = slot_offset.size();
  out.slot_code.resize(slots);
  for (std::size_t s = 0; s < slots; ++s) out.slot_code[s] = static_cast<double>(origin + slot_offset[s]);
  out.slot_category.assign(slots, missing_index);
  if (!opts.categories.empty()) {
    out.categories = category_set::declared(opts.categories);
    for (std::size_t s = 0; s < slots; ++s) {
      out.slot_category[s] = out.categories.index_of(out.slot_code[s]);
      if (out.slot_category[s] == missing_index) return std::nullopt;  // the general path reports it
    }
  } else {
    std::vector<std::size_t> by_code(slots);
    for (std::size_t s = 0; s < slots; ++s) by_code[s] = s;
    std::sort(by_code.begin(), by_code.end(),
              [&](std::size_t a, std::size_t b) { return slot_offset[a] < slot_offset[b]; });
    std::vector<double> codes(slots);
    for (std::size_t r = 0; r < slots; ++r) {
      codes[r] = out.slot_code[by_code[r]];
      out.slot_category[by_code[r]] = static_cast<std::int32_t>(r);
    }
    out.categories = category_set::from_sorted(std::move(codes));
  }
  return out;
}

namespace bitset_kernels {

/// Bit i of the result is set when bytes[i] == value, for 64 bytes.
inline std::uint64_t bytes_equal(const std::uint8_t* bytes, std::uint8_t value) {
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(static_cast<char>(value));
  std::uint64_t mask = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * part));
    mask |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, wanted))))
            << (16 * part);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (unsigned i = 0; i < 64; ++i) mask |= static_cast<std::uint64_t>(bytes[i] == value) << i;
  return mask;
#endif
}

inline unsigned count_bits(std::uint64_t word) {
#if defined(__GNUC__)
  return static_cast<unsigned>(__builtin_popcountll(word));
#else
  word = word - ((word >> 1) & 0x5555555555555555ULL);
  word = (word & 0x3333333333333333ULL) + ((word >> 2) & 0x3333333333333333ULL);
  word = (word + (word >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<unsigned>((word * 0x0101010101010101ULL) >> 56);
#endif
}

}  // namespace bitset_kernels

CALIBRA_INLINE rater_bitsets make_rater_bitsets(const small_codes& codes, bool listwise) {
  rater_bitsets out;
  out.n = codes.n;
  out.raters = codes.raters;
  out.words = (codes.n + 63) / 64;
  out.slots = codes.slot_code.size();
  const auto words = static_cast<std::size_t>(out.words), slots = out.slots;
  const auto raters = static_cast<std::size_t>(out.raters);
  out.bits.assign(raters * slots * words, 0);
  out.present.assign(raters * words, 0);
  std::array<std::uint8_t, 64> tail{};
  for (std::size_t j = 0; j < raters; ++j) {
    const std::uint8_t* column = codes.column(static_cast<Eigen::Index>(j));
    for (std::size_t w = 0; w < words; ++w) {
      const std::size_t begin = w * 64;
      const std::uint8_t* bytes = column + begin;
      if (begin + 64 > static_cast<std::size_t>(codes.n)) {
        tail.fill(small_codes::missing);
        std::copy(bytes, column + codes.n, tail.begin());
        bytes = tail.data();
      }
      for (std::size_t s = 0; s < slots; ++s)
        out.bits[(j * slots + s) * words + w] = bitset_kernels::bytes_equal(bytes, static_cast<std::uint8_t>(s));
      out.present[j * words + w] = ~bitset_kernels::bytes_equal(bytes, small_codes::missing);
    }
    // Bits past the last unit are not units.
    if (codes.n % 64 != 0) out.present[j * words + words - 1] &= (std::uint64_t{1} << (codes.n % 64)) - 1;
  }
  if (listwise) {
    std::vector<std::uint64_t> kept(words, ~std::uint64_t{0});
    for (std::size_t j = 0; j < raters; ++j)
      for (std::size_t w = 0; w < words; ++w) kept[w] &= out.present[j * words + w];
    for (std::size_t j = 0; j < raters; ++j) {
      std::copy(kept.begin(), kept.end(), out.present.begin() + static_cast<std::ptrdiff_t>(j * words));
      for (std::size_t s = 0; s < slots; ++s)
        for (std::size_t w = 0; w < words; ++w) out.bits[(j * slots + s) * words + w] &= kept[w];
    }
  }
  std::vector<std::uint64_t> any(words, 0);
  out.rated.assign(raters * slots, 0);
  out.complete.assign(raters, 0);
  out.slot_used.assign(slots, 0);
  for (std::size_t j = 0; j < raters; ++j) {
    std::uint64_t count = 0;
    for (std::size_t w = 0; w < words; ++w) {
      any[w] |= out.present[j * words + w];
      count += bitset_kernels::count_bits(out.present[j * words + w]);
    }
    out.complete[j] = count == static_cast<std::uint64_t>(codes.n);
    out.active_raters += count > 0;
    for (std::size_t s = 0; s < slots; ++s) {
      std::uint64_t in_slot = 0;
      for (std::size_t w = 0; w < words; ++w)
        in_slot += bitset_kernels::count_bits(out.bits[(j * slots + s) * words + w]);
      out.rated[j * slots + s] = in_slot;
      out.slot_used[s] |= static_cast<unsigned char>(in_slot > 0);
    }
  }
  for (std::size_t w = 0; w < words; ++w) out.n_units += bitset_kernels::count_bits(any[w]);
  return out;
}

namespace bitset_kernels {

#if defined(__GNUC__)
#  define CALIBRA_PAIR_KERNEL inline __attribute__((always_inline))
#else
#  define CALIBRA_PAIR_KERNEL inline
#endif

template <bool Full>
CALIBRA_PAIR_KERNEL std::uint64_t pair_kernel(const rater_bitsets& bits, Eigen::Index a, Eigen::Index b,
                                              std::uint64_t* cell, std::uint64_t* agreeing, std::uint64_t* row,
                                              std::uint64_t* col) {
  const std::size_t slots = bits.slots, words = static_cast<std::size_t>(bits.words);
  const std::uint64_t* first = bits.of(a, 0);
  const std::uint64_t* second = bits.of(b, 0);
  if (Full) {
    std::fill(cell, cell + slots * slots, std::uint64_t{0});
    std::uint64_t both = 0;
    for (std::size_t k = 0; k < slots; ++k)
      for (std::size_t l = 0; l < slots; ++l) {
        const std::uint64_t* x = first + k * words;
        const std::uint64_t* y = second + l * words;
        std::uint64_t units = 0;
        for (std::size_t w = 0; w < words; ++w) units += count_bits(x[w] & y[w]);
        cell[k * slots + l] = units;
        both += units;
      }
    return both;
  }
  std::uint64_t agree = 0;
  if (bits.complete[static_cast<std::size_t>(a)] && bits.complete[static_cast<std::size_t>(b)]) {
    // Both raters rated every unit: the margins are their own counts.
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t same = 0;
      for (std::size_t k = 0; k < slots; ++k) same |= first[k * words + w] & second[k * words + w];
      agree += count_bits(same);
    }
    for (std::size_t k = 0; k < slots; ++k) {
      row[k] = bits.rated[static_cast<std::size_t>(a) * slots + k];
      col[k] = bits.rated[static_cast<std::size_t>(b) * slots + k];
    }
    *agreeing = agree;
    return static_cast<std::uint64_t>(bits.n);
  }
  const std::uint64_t* present_a = bits.presence(a);
  const std::uint64_t* present_b = bits.presence(b);
  std::fill(row, row + slots, std::uint64_t{0});
  std::fill(col, col + slots, std::uint64_t{0});
  std::uint64_t both = 0;
  for (std::size_t w = 0; w < words; ++w) {
    const std::uint64_t pa = present_a[w], pb = present_b[w];
    both += count_bits(pa & pb);
    std::uint64_t same = 0;
    for (std::size_t k = 0; k < slots; ++k) {
      const std::uint64_t x = first[k * words + w], y = second[k * words + w];
      same |= x & y;
      row[k] += count_bits(x & pb);
      col[k] += count_bits(y & pa);
    }
    agree += count_bits(same);
  }
  *agreeing = agree;
  return both;
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
// The popcnt instruction is not in the x86-64 baseline; where the CPU has
// it, the pair loop is compiled a second time to use it.
inline __attribute__((target("popcnt"))) std::uint64_t pair_with_popcnt(const rater_bitsets& bits, Eigen::Index a,
                                                                 Eigen::Index b, bool full, std::uint64_t* cell,
                                                                 std::uint64_t* agreeing, std::uint64_t* row,
                                                                 std::uint64_t* col) {
  return full ? bitset_kernels::pair_kernel<true>(bits, a, b, cell, agreeing, row, col)
              : bitset_kernels::pair_kernel<false>(bits, a, b, cell, agreeing, row, col);
}
#  define CALIBRA_HAVE_POPCNT_KERNEL 1
#endif

#undef CALIBRA_PAIR_KERNEL

}  // namespace bitset_kernels

CALIBRA_INLINE std::uint64_t pair_from_bitsets(const rater_bitsets& bits, Eigen::Index a, Eigen::Index b, bool full,
                                               std::uint64_t* cell, std::uint64_t* agreeing, std::uint64_t* row,
                                               std::uint64_t* col) {
#if defined(CALIBRA_HAVE_POPCNT_KERNEL)
  static const bool has_popcnt = __builtin_cpu_supports("popcnt");
  if (has_popcnt) return bitset_kernels::pair_with_popcnt(bits, a, b, full, cell, agreeing, row, col);
#endif
  return full ? bitset_kernels::pair_kernel<true>(bits, a, b, cell, agreeing, row, col)
              : bitset_kernels::pair_kernel<false>(bits, a, b, cell, agreeing, row, col);
}

}  // namespace calibra::agreement::detail
