// Implementation of <calibra/agreement/detail/long_ratings.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/detail/long_ratings.hpp>

#include <calibra/agreement/mergeable.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace calibra::agreement::detail {

CALIBRA_INLINE std::uint64_t hash_bytes(const char* p, std::size_t n, std::uint64_t seed) noexcept {
  std::uint64_t h = mix64(seed ^ (0x9E3779B97F4A7C15ULL * (n + 1)));
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, p, 8);
    h = mix64((h ^ word) + seed);
  }
  std::uint64_t tail = 0;
  if (n) std::memcpy(&tail, p, n);
  return mix64((h ^ tail) + seed + n);
}

CALIBRA_INLINE std::uint64_t hash_integer(std::uint64_t value, std::uint64_t seed) noexcept {
  return mix64(mix64(seed ^ 2) ^ value);
}

CALIBRA_INLINE std::uint64_t hash_double(double x, std::uint64_t seed) noexcept {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.2e18)
    return hash_integer(static_cast<std::uint64_t>(static_cast<std::int64_t>(x)), seed);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &x, 8);
  return mix64(mix64(seed ^ 3) ^ bits);
}

CALIBRA_INLINE std::uint64_t hash_text(const char* utf8, std::size_t n, std::uint64_t seed) noexcept {
  return hash_bytes(utf8, n, seed ^ 1);
}

CALIBRA_INLINE std::uint64_t combine_hashes(std::uint64_t before, std::uint64_t value) noexcept {
  return mix64(before * 0x9E3779B97F4A7C15ULL + value);
}

CALIBRA_INLINE bool number_key(const key_column& c, std::ptrdiff_t i, std::uint64_t& key) noexcept {
  const char* p = c.data + i * c.stride;
  if (c.kind == 'f') {
    double x = 0;
    if (c.itemsize == 8) {
      std::memcpy(&x, p, 8);
    } else {
      float f = 0;
      std::memcpy(&f, p, 4);
      x = f;
    }
    if (std::isnan(x)) return false;
    if (x == 0) x = 0;  // -0.0 and 0.0 are one value
    std::memcpy(&key, &x, 8);
    return true;
  }
  std::int64_t s = 0;
  std::uint64_t u = 0;
  switch (c.itemsize) {
    case 1: { std::int8_t a; std::memcpy(&a, p, 1); s = a; u = static_cast<std::uint8_t>(a); break; }
    case 2: { std::int16_t a; std::memcpy(&a, p, 2); s = a; u = static_cast<std::uint16_t>(a); break; }
    case 4: { std::int32_t a; std::memcpy(&a, p, 4); s = a; u = static_cast<std::uint32_t>(a); break; }
    default: { std::memcpy(&s, p, 8); std::memcpy(&u, p, 8); break; }
  }
  if (c.kind == 'i') {
    if (c.negative_missing && s < 0) return false;
    key = static_cast<std::uint64_t>(s);
  } else {
    key = u;
  }
  return true;
}

CALIBRA_INLINE hash_pair hash_key(const key_column& c, std::uint64_t key) {
  if (c.value_hashes) {
    if (key >= c.value_hashes->size())
      throw invalid_argument("agreement", "column '" + c.name + "': code " + std::to_string(key) + " has no hash (" +
                                              std::to_string(c.value_hashes->size()) + " given)");
    return (*c.value_hashes)[key];
  }
  if (c.kind == 'f') {
    double x = 0;
    std::memcpy(&x, &key, 8);
    return {hash_double(x, hash_seed_a), hash_double(x, hash_seed_b)};
  }
  if (c.kind == 'u' && key > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    const auto x = static_cast<double>(key);
    return {hash_double(x, hash_seed_a), hash_double(x, hash_seed_b)};
  }
  return {hash_integer(key, hash_seed_a), hash_integer(key, hash_seed_b)};
}

CALIBRA_INLINE long_workspace& local_long_workspace() {
  thread_local long_workspace w;
  return w;
}

CALIBRA_INLINE void release_long_workspace() { local_long_workspace() = long_workspace{}; }

namespace long_ratings_impl {

template <class T>
void at_least(std::vector<T>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
}

/// Codes 0, 1, ... of one column's distinct values into `out` (row order of
/// first appearance) and, per code, the row where it first appears; with
/// `hashes`, per code the two hashes of its value (combined with the previous
/// key columns' when `combine_keys`).  False at the first missing value.
inline bool code_column(long_workspace& w, const key_column& c, std::int64_t index, std::vector<std::int32_t>& out,
                        std::vector<std::int64_t>& first_rows, bool combine_keys, std::vector<hash_pair>* hashes,
                        long_problem& found) {
  if (hashes && c.negative_missing && !c.value_hashes)
    throw invalid_argument("agreement", "column '" + c.name + "': codes have no value to hash; pass the values");
  const std::ptrdiff_t n = c.size;
  if (combine_keys && out.size() < static_cast<std::size_t>(n))
    throw invalid_argument("agreement", "column '" + c.name + "' has more rows than the key columns before it");
  at_least(out, static_cast<std::size_t>(n));
  w.ids.reset();
  if (combine_keys) w.pairs.reset();
  first_rows.clear();
  std::vector<hash_pair>& value_hashes = w.value_hashes;
  std::vector<hash_pair>& previous = w.stage_hashes;
  if (hashes) {
    value_hashes.clear();
    if (combine_keys) previous.swap(*hashes);
    hashes->clear();
  }
  bool fresh = false, fresh_value = false;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    if (!number_key(c, i, key)) {
      found = long_problem{"missing", index, i, i};
      return false;
    }
    std::int32_t id = w.ids.intern(key, fresh_value);
    if (hashes && fresh_value) value_hashes.push_back(hash_key(c, key));
    fresh = fresh_value;
    if (combine_keys) {
      const auto before = static_cast<std::uint32_t>(out[static_cast<std::size_t>(i)]);
      const std::uint64_t pair = (static_cast<std::uint64_t>(before) << 32) | static_cast<std::uint32_t>(id);
      const std::int32_t value = id;
      id = w.pairs.intern(pair, fresh);
      if (hashes && fresh)
        hashes->push_back({combine_hashes(previous[before].a, value_hashes[static_cast<std::size_t>(value)].a),
                           combine_hashes(previous[before].b, value_hashes[static_cast<std::size_t>(value)].b)});
    } else if (hashes && fresh) {
      hashes->push_back(value_hashes[static_cast<std::size_t>(id)]);
    }
    out[static_cast<std::size_t>(i)] = id;
    if (fresh) first_rows.push_back(i);
  }
  return true;
}

/// Rows given by unit and rater code reduced to w.multisets (see
/// reduce_units); problems name rows.  w.rated_row: per rater, its first
/// row with a level, or -1.
inline bool reduce_coded(long_workspace& w, std::ptrdiff_t n, std::size_t n_units, std::size_t n_raters,
                         const double* level, std::ptrdiff_t level_stride, std::size_t min_width,
                         long_problem& found) {
  const std::int32_t* unit = w.unit.data();
  const std::int32_t* rater = w.rater.data();
  // Rows by unit (a counting sort, stable).
  at_least(w.start, n_units + 1);
  std::fill_n(w.start.begin(), n_units + 1, 0);
  for (std::ptrdiff_t i = 0; i < n; ++i) ++w.start[static_cast<std::size_t>(unit[i]) + 1];
  std::size_t width = std::max<std::size_t>(min_width, 1);
  for (std::size_t u = 0; u < n_units; ++u) {
    width = std::max(width, static_cast<std::size_t>(w.start[u + 1]));
    w.start[u + 1] += w.start[u];
  }
  at_least(w.order, static_cast<std::size_t>(n));
  at_least(w.stamp, std::max(n_units, n_raters));
  std::copy_n(w.start.begin(), n_units, w.stamp.begin());  // next free place of each unit
  for (std::ptrdiff_t i = 0; i < n; ++i)
    w.order[static_cast<std::size_t>(w.stamp[static_cast<std::size_t>(unit[i])]++)] = static_cast<std::int32_t>(i);
  // Per unit: a rater twice, the multiset of its levels.
  at_least(w.seen_row, n_raters);
  w.rated_row.assign(n_raters, -1);
  std::fill_n(w.stamp.begin(), n_raters, -1);  // reused: the last unit that saw each rater
  unit_multisets& out = w.multisets;
  out.width = width;
  out.rows.clear();
  out.weights.clear();
  out.units = n_units;
  out.rated_rows.clear();
  out.rated_raters.clear();
  w.rows_by_hash.reset();
  std::vector<double>& values = w.values;
  values.assign(width, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t u = 0; u < n_units; ++u) {
    std::size_t m = 0;
    for (std::int32_t at = w.start[u]; at < w.start[u + 1]; ++at) {
      const std::int32_t i = w.order[static_cast<std::size_t>(at)];
      const auto r = static_cast<std::size_t>(rater[i]);
      if (w.stamp[r] == static_cast<std::int32_t>(u)) {
        found = long_problem{"twice", -1, w.seen_row[r], i};
        return false;
      }
      w.stamp[r] = static_cast<std::int32_t>(u);
      w.seen_row[r] = i;
      const double x = level[i * level_stride];
      if (std::isnan(x)) continue;
      if (w.rated_row[r] < 0 || w.rated_row[r] > i) w.rated_row[r] = i;
      values[m++] = x;
    }
    std::sort(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(m));
    std::fill(values.begin() + static_cast<std::ptrdiff_t>(m), values.end(), std::numeric_limits<double>::quiet_NaN());
    std::uint64_t hash = 0x9E3779B97F4A7C15ULL ^ m;
    for (std::size_t j = 0; j < m; ++j) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &values[j], 8);
      hash = mix64(hash ^ bits);
    }
    // Distinct multisets by hash; a hash shared by two multisets gets a
    // second entry keyed by the next hash value, and so on.
    for (;;) {
      bool fresh = false;
      const std::int32_t d = w.rows_by_hash.intern(hash, fresh);
      if (fresh) {
        out.rows.insert(out.rows.end(), values.begin(), values.end());
        out.weights.push_back(1);
        break;
      }
      if (std::memcmp(&out.rows[static_cast<std::size_t>(d) * width], values.data(), width * sizeof(double)) == 0) {
        out.weights[static_cast<std::size_t>(d)] += 1;
        break;
      }
      hash = mix64(hash + 1);
    }
  }
  return true;
}

/// Bytes enough for every value up to `largest`.
inline std::size_t code_width(std::size_t largest) { return largest <= 0xFF ? 1 : largest <= 0xFFFF ? 2 : 4; }

// A packed piece: a header of eight uint64 words (a tag, units, ratings,
// raters, levels, the three code widths in bytes, two unused), then the
// units' first and second hashes, the raters' first and second hashes, the
// levels (float64), each unit's number of ratings, each rating's rater code
// and each rating's level code.
constexpr std::uint64_t packed_tag = 0x3130524c43424c43ULL;  // "CLBCLR01"
constexpr std::size_t header_words = 8;

struct piece_shape {
  std::size_t units = 0, ratings = 0, raters = 0, levels = 0;
  std::size_t count_bytes = 1, rater_bytes = 1, level_bytes = 1;
  std::size_t bytes() const {
    return 8 * header_words + 16 * units + 16 * raters + 8 * levels + count_bytes * units +
           (rater_bytes + level_bytes) * ratings;
  }
};

inline void put_code(std::uint8_t*& at, std::size_t bytes, std::size_t value) {
  if (bytes == 1) {
    *at = static_cast<std::uint8_t>(value);
  } else if (bytes == 2) {
    const auto v = static_cast<std::uint16_t>(value);
    std::memcpy(at, &v, 2);
  } else {
    const auto v = static_cast<std::uint32_t>(value);
    std::memcpy(at, &v, 4);
  }
  at += bytes;
}

inline std::size_t get_code(const std::uint8_t*& at, std::size_t bytes) {
  std::size_t value = 0;
  if (bytes == 1) {
    value = *at;
  } else if (bytes == 2) {
    std::uint16_t v = 0;
    std::memcpy(&v, at, 2);
    value = v;
  } else {
    std::uint32_t v = 0;
    std::memcpy(&v, at, 4);
    value = v;
  }
  at += bytes;
  return value;
}

inline void put_word(std::uint8_t*& at, std::uint64_t word) {
  std::memcpy(at, &word, 8);
  at += 8;
}

inline std::uint64_t get_word(const std::uint8_t*& at) {
  std::uint64_t word = 0;
  std::memcpy(&word, at, 8);
  at += 8;
  return word;
}

}  // namespace long_ratings_impl

CALIBRA_INLINE bool code_key_column(long_workspace& w, const key_column& c, std::int64_t index, bool hashes,
                                    long_problem& found) {
  return long_ratings_impl::code_column(w, c, index, w.unit, w.unit_rows, index > 0,
                                        hashes ? &w.unit_hashes : nullptr, found);
}

CALIBRA_INLINE bool code_rater_column(long_workspace& w, const key_column& c, std::int64_t index, bool hashes,
                                      long_problem& found) {
  return long_ratings_impl::code_column(w, c, index, w.rater, w.rater_rows, false,
                                        hashes ? &w.rater_hashes : nullptr, found);
}

CALIBRA_INLINE bool reduce_units(long_workspace& w, std::ptrdiff_t n, const double* levels,
                                 std::ptrdiff_t level_stride, std::size_t min_width, long_problem& found) {
  if (w.unit.size() < static_cast<std::size_t>(n) || w.rater.size() < static_cast<std::size_t>(n))
    throw invalid_argument("agreement", "reduce_units: code the units and raters of every row first");
  if (!long_ratings_impl::reduce_coded(w, n, w.unit_rows.size(), w.rater_rows.size(), levels, level_stride,
                                       min_width, found))
    return false;
  for (const std::int64_t row : w.rated_row)
    if (row >= 0) w.multisets.rated_rows.push_back(row);
  return true;
}

CALIBRA_INLINE std::vector<std::size_t> plan_buckets(long_workspace& w, const bucket_rows& rows,
                                                     std::size_t n_buckets) {
  using namespace long_ratings_impl;
  if (n_buckets < 1) throw invalid_argument("agreement", "buckets: n_buckets must be 1 or more");
  const std::ptrdiff_t n = rows.n;
  for (std::ptrdiff_t i = 0; i < n; ++i)
    if (rows.unit[i] < 0 || static_cast<std::size_t>(rows.unit[i]) >= rows.n_units || rows.rater[i] < 0 ||
        static_cast<std::size_t>(rows.rater[i]) >= rows.n_raters)
      throw invalid_argument("agreement", "buckets: row " + std::to_string(i) + " has a code out of range");
  // Each row's level as a code into the distinct levels (one NaN, one zero).
  at_least(w.level_code, static_cast<std::size_t>(n));
  w.level_values.clear();
  w.ids.reset();
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    double x = rows.levels[i];
    if (std::isnan(x)) x = std::numeric_limits<double>::quiet_NaN();
    if (x == 0) x = 0;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, 8);
    bool fresh = false;
    w.level_code[static_cast<std::size_t>(i)] = w.ids.intern(bits, fresh);
    if (fresh) w.level_values.push_back(x);
  }
  // Rows by unit, units by bucket (counting sorts, stable).
  const std::size_t n_units = rows.n_units;
  at_least(w.start, n_units + 1);
  std::fill_n(w.start.begin(), n_units + 1, 0);
  for (std::ptrdiff_t i = 0; i < n; ++i) ++w.start[static_cast<std::size_t>(rows.unit[i]) + 1];
  for (std::size_t u = 0; u < n_units; ++u) w.start[u + 1] += w.start[u];
  at_least(w.order, static_cast<std::size_t>(n));
  at_least(w.stamp, n_units);
  std::copy_n(w.start.begin(), n_units, w.stamp.begin());
  for (std::ptrdiff_t i = 0; i < n; ++i)
    w.order[static_cast<std::size_t>(w.stamp[static_cast<std::size_t>(rows.unit[i])]++)] = static_cast<std::int32_t>(i);
  w.bucket_start.assign(n_buckets + 1, 0);
  for (std::size_t u = 0; u < n_units; ++u)
    if (w.start[u + 1] > w.start[u]) ++w.bucket_start[rows.unit_hashes[u].a % n_buckets + 1];
  for (std::size_t b = 0; b < n_buckets; ++b) w.bucket_start[b + 1] += w.bucket_start[b];
  at_least(w.bucket_units, w.bucket_start[n_buckets]);
  {
    std::vector<std::size_t> next(w.bucket_start.begin(), w.bucket_start.end() - 1);
    for (std::size_t u = 0; u < n_units; ++u)
      if (w.start[u + 1] > w.start[u]) w.bucket_units[next[rows.unit_hashes[u].a % n_buckets]++] = u;
  }
  // Each bucket's units, ratings, raters, levels and code widths.
  const std::size_t n_levels = w.level_values.size();
  at_least(w.local_code, std::max(rows.n_raters, n_levels));
  std::vector<std::int32_t>& rater_seen = w.stamp;
  std::vector<std::int32_t>& level_seen = w.local_code;
  at_least(rater_seen, rows.n_raters);
  std::fill_n(rater_seen.begin(), rows.n_raters, -1);
  std::fill_n(level_seen.begin(), n_levels, -1);
  w.bucket_shape.assign(7 * n_buckets, 0);
  std::vector<std::size_t> sizes(n_buckets);
  for (std::size_t b = 0; b < n_buckets; ++b) {
    piece_shape shape;
    std::size_t most = 0;
    const auto tag = static_cast<std::int32_t>(b);
    for (std::size_t k = w.bucket_start[b]; k < w.bucket_start[b + 1]; ++k) {
      const std::size_t u = w.bucket_units[k];
      const auto count = static_cast<std::size_t>(w.start[u + 1] - w.start[u]);
      ++shape.units;
      shape.ratings += count;
      most = std::max(most, count);
      for (std::int32_t at = w.start[u]; at < w.start[u + 1]; ++at) {
        const std::int32_t i = w.order[static_cast<std::size_t>(at)];
        const auto r = static_cast<std::size_t>(rows.rater[i]);
        const auto l = static_cast<std::size_t>(w.level_code[static_cast<std::size_t>(i)]);
        if (rater_seen[r] != tag) rater_seen[r] = tag, ++shape.raters;
        if (level_seen[l] != tag) level_seen[l] = tag, ++shape.levels;
      }
    }
    shape.count_bytes = code_width(most);
    shape.rater_bytes = code_width(shape.raters ? shape.raters - 1 : 0);
    shape.level_bytes = code_width(shape.levels ? shape.levels - 1 : 0);
    const std::size_t fields[7] = {shape.units,       shape.ratings,     shape.raters,     shape.levels,
                                   shape.count_bytes, shape.rater_bytes, shape.level_bytes};
    std::copy_n(fields, 7, w.bucket_shape.begin() + static_cast<std::ptrdiff_t>(7 * b));
    sizes[b] = shape.bytes();
  }
  return sizes;
}

CALIBRA_INLINE void write_buckets(long_workspace& w, const bucket_rows& rows, const std::vector<std::uint8_t*>& out) {
  using namespace long_ratings_impl;
  const std::size_t n_buckets = out.size();
  if (w.bucket_start.size() != n_buckets + 1 || w.bucket_shape.size() != 7 * n_buckets)
    throw invalid_argument("agreement", "write_buckets: plan_buckets first, for as many buckets");
  const std::size_t n_levels = w.level_values.size();
  // Per rater and per level: its code in the bucket being written.
  std::vector<std::int32_t>& rater_seen = w.stamp;
  std::vector<std::int32_t>& level_seen = w.local_code;
  std::fill_n(rater_seen.begin(), rows.n_raters, -1);
  std::fill_n(level_seen.begin(), n_levels, -1);
  std::vector<std::int32_t> rater_local(rows.n_raters), level_local(n_levels);
  for (std::size_t b = 0; b < n_buckets; ++b) {
    const std::size_t* f = &w.bucket_shape[7 * b];
    piece_shape shape;
    shape.units = f[0], shape.ratings = f[1], shape.raters = f[2], shape.levels = f[3];
    shape.count_bytes = f[4], shape.rater_bytes = f[5], shape.level_bytes = f[6];
    std::uint8_t* header = out[b];
    for (const std::uint64_t word :
         {packed_tag, std::uint64_t{shape.units}, std::uint64_t{shape.ratings}, std::uint64_t{shape.raters},
          std::uint64_t{shape.levels}, std::uint64_t{shape.count_bytes | shape.rater_bytes << 8 | shape.level_bytes << 16},
          std::uint64_t{0}, std::uint64_t{0}})
      put_word(header, word);
    std::uint8_t* first = header;
    std::uint8_t* second = first + 8 * shape.units;
    std::uint8_t* rater_first = second + 8 * shape.units;
    std::uint8_t* rater_second = rater_first + 8 * shape.raters;
    std::uint8_t* level_value = rater_second + 8 * shape.raters;
    std::uint8_t* counts = level_value + 8 * shape.levels;
    std::uint8_t* rater_codes = counts + shape.count_bytes * shape.units;
    std::uint8_t* level_codes = rater_codes + shape.rater_bytes * shape.ratings;
    const auto tag = static_cast<std::int32_t>(b);
    std::int32_t next_rater = 0, next_level = 0;
    for (std::size_t k = w.bucket_start[b]; k < w.bucket_start[b + 1]; ++k) {
      const std::size_t u = w.bucket_units[k];
      put_word(first, rows.unit_hashes[u].a);
      put_word(second, rows.unit_hashes[u].b);
      put_code(counts, shape.count_bytes, static_cast<std::size_t>(w.start[u + 1] - w.start[u]));
      for (std::int32_t at = w.start[u]; at < w.start[u + 1]; ++at) {
        const std::int32_t i = w.order[static_cast<std::size_t>(at)];
        const auto r = static_cast<std::size_t>(rows.rater[i]);
        const auto l = static_cast<std::size_t>(w.level_code[static_cast<std::size_t>(i)]);
        if (rater_seen[r] != tag) {
          rater_seen[r] = tag;
          rater_local[r] = next_rater++;
          put_word(rater_first, rows.rater_hashes[r].a);
          put_word(rater_second, rows.rater_hashes[r].b);
        }
        if (level_seen[l] != tag) {
          level_seen[l] = tag;
          level_local[l] = next_level++;
          std::memcpy(level_value, &w.level_values[l], 8);
          level_value += 8;
        }
        put_code(rater_codes, shape.rater_bytes, static_cast<std::size_t>(rater_local[r]));
        put_code(level_codes, shape.level_bytes, static_cast<std::size_t>(level_local[l]));
      }
    }
  }
}

CALIBRA_INLINE bool reduce_buckets(long_workspace& w, const std::vector<packed_piece>& pieces, std::size_t min_width,
                                   long_problem& found) {
  using namespace long_ratings_impl;
  const auto bad = [](std::size_t k, const std::string& why) {
    return invalid_argument("agreement", "bucket piece " + std::to_string(k) + " is not a packed piece: " + why);
  };
  // The shapes first, to size the per-rating arrays once.
  std::size_t total = 0;
  std::vector<piece_shape> shapes(pieces.size());
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    if (pieces[k].size < 8 * header_words) throw bad(k, std::to_string(pieces[k].size) + " bytes");
    const std::uint8_t* at = pieces[k].data;
    if (get_word(at) != packed_tag) throw bad(k, "its tag differs");
    piece_shape& s = shapes[k];
    s.units = get_word(at), s.ratings = get_word(at), s.raters = get_word(at), s.levels = get_word(at);
    const std::uint64_t widths = get_word(at);
    s.count_bytes = widths & 0xFF, s.rater_bytes = (widths >> 8) & 0xFF, s.level_bytes = (widths >> 16) & 0xFF;
    for (const std::size_t bytes : {s.count_bytes, s.rater_bytes, s.level_bytes})
      if (bytes != 1 && bytes != 2 && bytes != 4) throw bad(k, "a code width of " + std::to_string(bytes));
    if (s.units > pieces[k].size || s.ratings > pieces[k].size || s.raters > pieces[k].size ||
        s.levels > pieces[k].size || s.bytes() != pieces[k].size)
      throw bad(k, std::to_string(pieces[k].size) + " bytes for its header's counts");
    total += s.ratings;
  }
  if (total > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw invalid_argument("agreement", "a bucket holds " + std::to_string(total) +
                                            " ratings; use more partitions (at most 2^31 - 1 ratings a bucket)");
  at_least(w.unit, total);
  at_least(w.rater, total);
  at_least(w.level, total);
  w.unit_hashes.clear();
  w.rater_hashes.clear();
  w.ids.reset();    // units by first hash
  w.pairs.reset();  // raters by first hash
  // A unit or rater is known by its first hash; its second must agree
  // wherever the first is met again, or two keys share a first hash: -1.
  const auto intern_pair = [](auto& table, std::vector<hash_pair>& known, const hash_pair& h) -> std::int32_t {
    bool fresh = false;
    const std::int32_t id = table.intern(h.a, fresh);
    if (fresh) known.push_back(h);
    else if (!(known[static_cast<std::size_t>(id)] == h)) return -1;
    return id;
  };
  std::size_t row = 0;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const piece_shape& s = shapes[k];
    const std::uint8_t* first = pieces[k].data + 8 * header_words;
    const std::uint8_t* second = first + 8 * s.units;
    const std::uint8_t* rater_first = second + 8 * s.units;
    const std::uint8_t* rater_second = rater_first + 8 * s.raters;
    const std::uint8_t* level_value = rater_second + 8 * s.raters;
    const std::uint8_t* counts = level_value + 8 * s.levels;
    const std::uint8_t* rater_codes = counts + s.count_bytes * s.units;
    const std::uint8_t* level_codes = rater_codes + s.rater_bytes * s.ratings;
    std::vector<std::int32_t>& rater_id = w.local_code;
    at_least(rater_id, s.raters);
    for (std::size_t r = 0; r < s.raters; ++r) {
      const std::int32_t id = intern_pair(w.pairs, w.rater_hashes, {get_word(rater_first), get_word(rater_second)});
      if (id < 0) {
        found = long_problem{"collision", 1, static_cast<std::int64_t>(k), -1};
        return false;
      }
      rater_id[r] = id;
    }
    w.level_values.resize(s.levels);
    for (std::size_t l = 0; l < s.levels; ++l) std::memcpy(&w.level_values[l], level_value + 8 * l, 8);
    std::size_t left = s.ratings;
    for (std::size_t j = 0; j < s.units; ++j) {
      const std::int32_t id = intern_pair(w.ids, w.unit_hashes, {get_word(first), get_word(second)});
      if (id < 0) {
        found = long_problem{"collision", 0, static_cast<std::int64_t>(k), -1};
        return false;
      }
      const std::size_t count = get_code(counts, s.count_bytes);
      if (count > left) throw bad(k, "its units hold more ratings than it has");
      left -= count;
      for (std::size_t c = 0; c < count; ++c, ++row) {
        const std::size_t r = get_code(rater_codes, s.rater_bytes);
        const std::size_t l = get_code(level_codes, s.level_bytes);
        if (r >= s.raters || l >= s.levels) throw bad(k, "a code past its table");
        w.unit[row] = id;
        w.rater[row] = rater_id[r];
        w.level[row] = w.level_values[l];
      }
    }
    if (left) throw bad(k, "its units hold fewer ratings than it has");
  }
  if (!reduce_coded(w, static_cast<std::ptrdiff_t>(total), w.unit_hashes.size(), w.rater_hashes.size(),
                    w.level.data(), 1, min_width, found)) {
    // The pair rated twice, by its hashes: rows mean nothing to the caller.
    const auto at = static_cast<std::size_t>(found.second);
    found.first = static_cast<std::int64_t>(w.unit_hashes[static_cast<std::size_t>(w.unit[at])].a);
    found.second = static_cast<std::int64_t>(w.rater_hashes[static_cast<std::size_t>(w.rater[at])].a);
    return false;
  }
  for (std::size_t r = 0; r < w.rated_row.size(); ++r)
    if (w.rated_row[r] >= 0) w.multisets.rated_raters.push_back(w.rater_hashes[r]);
  return true;
}

CALIBRA_INLINE weighted_patterns_record weighted_patterns(statistic stat, const Eigen::Ref<const Eigen::MatrixXd>& rows,
                                                          const Eigen::Ref<const Eigen::VectorXd>& counts,
                                                          const options& opts) {
  if (counts.size() != rows.rows())
    throw invalid_argument("agreement", "weighted_patterns: " + std::to_string(counts.size()) + " counts for " +
                                            std::to_string(rows.rows()) + " rows");
  std::map<std::vector<std::int32_t>, double> patterns;
  weighted_patterns_record out;
  Eigen::MatrixXd one(1, rows.cols());
  for (Eigen::Index d = 0; d < rows.rows(); ++d) {
    mergeable_summary s(stat, static_cast<std::size_t>(rows.cols()), opts);
    one = rows.row(d);
    s.add(one);
    const summary_record record = s.record();
    const double weight = counts[d];
    out.units += record.units * weight;
    out.dropped += record.units_dropped * weight;
    for (const auto& [key, count] : record.patterns) patterns[key] += count * weight;
  }
  out.patterns.assign(patterns.begin(), patterns.end());
  return out;
}

}  // namespace calibra::agreement::detail
