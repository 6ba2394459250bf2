// Long ratings (one row per unit, rater and level) reduced where they lie,
// for merging partitions: the per-partition work of calibra.dask.
//
// A count statistic (percent, Fleiss, Krippendorff, ...) sees a unit only
// through its multiset of levels, so a partition of long ratings reduces to
// its distinct multisets with their numbers of units.  code_key_column and
// code_rater_column number the units (over every key column) and the raters
// of the rows with hash tables, reading each column as it lies (integer or
// float values of any width; a caller with other values codes them first
// and passes the codes with their hashes); reduce_units then finds a unit
// rated twice by one rater and counts the multisets.
//
// Across processes a unit is known by two independent 64-bit hashes of its
// key values (hash_pair), computed from the values themselves: an integer,
// an integral float and a bool of equal value hash alike, another float by
// its bits, text by its UTF-8 bytes.  Data that must move to its unit's
// partition goes as one packed buffer per bucket (pack_buckets): per
// unit piece its two hashes and its number of ratings, per rating a code
// into the piece's rater table (two hashes a rater) and into its level
// table, each code in the fewest bytes that hold it.  reduce_buckets reads
// the buffers of one bucket where they lie, joins the pieces of each unit
// and reduces as reduce_units does.  A hash that names two different units
// or raters (the first hashes equal, the second not) is reported, never
// merged.
//
// Why a workspace: a Dask worker runs with MALLOC_TRIM_THRESHOLD_ set, which
// fixes glibc's mmap threshold at 128 KiB, so every larger temporary is a
// fresh mapping whose pages fault in again.  The per-row buffers and hash
// tables live in a per-thread long_workspace that the next call reuses, so
// their pages fault in once; release_long_workspace() frees them.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace calibra::agreement::detail {

/// splitmix64's finaliser: every input bit moves every output bit.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

/// Two independent 64-bit hashes of one value, unit or rater.
struct hash_pair {
  std::uint64_t a = 0, b = 0;
};
inline bool operator==(const hash_pair& x, const hash_pair& y) { return x.a == y.a && x.b == y.b; }

// ---- hashes that agree between processes --------------------------------
// The seeds of the two hashes of a hash_pair.
constexpr std::uint64_t hash_seed_a = 0x243F6A8885A308D3ULL;
constexpr std::uint64_t hash_seed_b = 0x13198A2E03707344ULL;

std::uint64_t hash_bytes(const char* p, std::size_t n, std::uint64_t seed) noexcept;
std::uint64_t hash_integer(std::uint64_t value, std::uint64_t seed) noexcept;
/// An integral double hashes as that integer; any other by its bits.
std::uint64_t hash_double(double x, std::uint64_t seed) noexcept;
/// Text by its UTF-8 bytes.
std::uint64_t hash_text(const char* utf8, std::size_t n, std::uint64_t seed) noexcept;
/// The hash of a unit whose keys so far hash to `before`, with one more key
/// hashing to `value`.
std::uint64_t combine_hashes(std::uint64_t before, std::uint64_t value) noexcept;

// ---- open addressing ------------------------------------------------------

/// The storage of a hash table: open addressing with linear probing, doubled
/// when half full, over slots whose id is -1 when empty and whose
/// probe_hash() places them.  The slots keep their capacity between uses.
template <class Slot>
class probing_slots {
 public:
  std::int32_t size() const { return count_; }

 protected:
  static std::size_t capacity_for(std::size_t entries) {
    std::size_t cap = 1024;
    while (cap < 2 * entries) cap <<= 1;
    return cap;
  }
  void clear(std::size_t capacity) {
    cap_ = capacity;
    if (slots_.size() < cap_) slots_.resize(cap_);
    std::fill_n(slots_.begin(), cap_, Slot{});
    count_ = 0;
  }
  /// Where the probe for `hash` starts, after making room for one more.
  std::size_t first_probe(std::uint64_t hash) {
    if (2 * static_cast<std::size_t>(count_ + 1) > cap_) grow();
    return mix64(hash) & (cap_ - 1);
  }
  std::size_t next_probe(std::size_t at) const { return (at + 1) & (cap_ - 1); }

  std::vector<Slot> slots_;
  std::int32_t count_ = 0;

 private:
  void grow() {
    // The old slots move to spare_, which, like slots_, keeps its capacity
    // for the next use: a fresh buffer at every doubling would fault its
    // pages in again under Dask's allocator setting.
    spare_.assign(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(cap_));
    clear(2 * cap_);
    for (const Slot& old : spare_) {
      if (old.id < 0) continue;
      std::size_t at = mix64(old.probe_hash()) & (cap_ - 1);
      while (slots_[at].id >= 0) at = next_probe(at);
      slots_[at] = old;
      ++count_;
    }
  }
  std::vector<Slot> spare_;
  std::size_t cap_ = 0;
};

struct key_slot {
  std::uint64_t key = 0;
  std::int32_t id = -1;
  std::uint64_t probe_hash() const { return key; }
};

/// Map from 64-bit keys to dense ids 0, 1, 2, ... in order of first sight.
class id_table : public probing_slots<key_slot> {
 public:
  void reset(std::size_t expected = 0) { clear(capacity_for(expected)); }
  /// The id of `key`; `fresh` tells whether it was new.
  std::int32_t intern(std::uint64_t key, bool& fresh) {
    for (std::size_t at = first_probe(key);; at = next_probe(at)) {
      key_slot& s = slots_[at];
      if (s.id < 0) {
        s = key_slot{key, count_};
        fresh = true;
        return count_++;
      }
      if (s.key == key) {
        fresh = false;
        return s.id;
      }
    }
  }
};

// ---- columns ----------------------------------------------------------------

/// One key column read where it lies.
struct key_column {
  std::string name;
  char kind = 0;  // 'i' signed, 'u' unsigned (or bool), 'f' floating
  int itemsize = 0;  // 1, 2, 4 or 8 ('f': 4 or 8)
  const char* data = nullptr;
  std::ptrdiff_t stride = 0;  // bytes
  std::ptrdiff_t size = 0;
  bool negative_missing = false;  // codes: a negative value is missing
  /// For codes 0, 1, ... of values the caller read itself: each code's two
  /// hashes.  Null: a value hashes as the number it is.
  const std::vector<hash_pair>* value_hashes = nullptr;
};

/// The 64-bit key of row i (equal values, equal keys; -0.0 is 0.0), or
/// false when the row is missing (NaN; a negative code).
bool number_key(const key_column& c, std::ptrdiff_t i, std::uint64_t& key) noexcept;
/// The two hashes of a key number_key gave.
hash_pair hash_key(const key_column& c, std::uint64_t key);

/// A problem found in the data, as row positions: the caller words it.
struct long_problem {
  std::string what;  // "", "missing", "twice", "collision"
  std::int64_t column = -1;
  std::int64_t first = -1, second = -1;
};

/// Each distinct multiset of a unit's levels (ascending, NaN-padded to
/// `width`) with its number of units.
struct unit_multisets {
  std::size_t width = 0;
  std::vector<double> rows;  // n_distinct x width, row by row
  std::vector<double> weights;
  std::size_t units = 0;
  /// Per rater (by code) with a level, the first row with one; in reduce_buckets, per
  /// rater with a level, its hashes (in rated_raters) instead.
  std::vector<std::int64_t> rated_rows;
  std::vector<hash_pair> rated_raters;
  std::size_t n_distinct() const { return weights.size(); }
};

/// Buffers shared by the calls on one thread.
struct long_workspace {
  // Outputs of code_key_column / code_rater_column: per row its unit and
  // rater code, per code its first row and (when asked) its hashes.
  std::vector<std::int32_t> unit, rater;
  std::vector<std::int64_t> unit_rows, rater_rows;
  std::vector<hash_pair> unit_hashes, rater_hashes;
  unit_multisets multisets;
  // Scratch.
  std::vector<std::int32_t> start, order, stamp, level_code, local_code;
  std::vector<std::int64_t> seen_row, rated_row;
  std::vector<double> values, level, level_values;
  std::vector<hash_pair> value_hashes, stage_hashes;
  std::vector<std::size_t> bucket_start, bucket_units, bucket_shape;
  id_table ids, pairs, rows_by_hash;
};

/// The calling thread's workspace.
long_workspace& local_long_workspace();
/// Frees the calling thread's workspace.
void release_long_workspace();

/// Codes of the units over key columns 0..index: with index 0 they restart.
/// Per row w.unit, per unit w.unit_rows (its first row) and, with `hashes`,
/// w.unit_hashes.  False, with `found` set, at the first missing key.
bool code_key_column(long_workspace& w, const key_column& c, std::int64_t index, bool hashes, long_problem& found);
/// Codes of the raters: w.rater, w.rater_rows, w.rater_hashes.
bool code_rater_column(long_workspace& w, const key_column& c, std::int64_t index, bool hashes,
                       long_problem& found);

/// The rows' units and raters (coded in `w`) reduced to w.multisets, at
/// least `min_width` wide; a rater twice in one unit is "twice" (first,
/// second: the two rows).  Levels: one double a row (NaN: no level),
/// `level_stride` doubles apart.  False, with `found` set, at the first
/// problem.
bool reduce_units(long_workspace& w, std::ptrdiff_t n, const double* levels, std::ptrdiff_t level_stride,
                  std::size_t min_width, long_problem& found);

// ---- moving rows to their unit's bucket ------------------------------------

/// Coded rows with the hashes of their units and raters (code_key_column
/// and code_rater_column with hashes give them), to split into buckets.
struct bucket_rows {
  std::ptrdiff_t n = 0;
  const std::int32_t* unit = nullptr;   // per row, 0 .. n_units - 1
  const std::int32_t* rater = nullptr;  // per row, 0 .. n_raters - 1
  const double* levels = nullptr;       // per row; NaN: no level
  std::size_t n_units = 0, n_raters = 0;
  const hash_pair* unit_hashes = nullptr;   // per unit
  const hash_pair* rater_hashes = nullptr;  // per rater
};

/// The size in bytes of each of `n_buckets` packed buffers (a row goes to
/// bucket: its unit's first hash % n_buckets); the plan stays in `w` for
/// write_buckets.  Throws invalid_argument for a code out of range.
std::vector<std::size_t> plan_buckets(long_workspace& w, const bucket_rows& rows, std::size_t n_buckets);
/// Writes the buffers plan_buckets sized (out[b]: that many bytes).
void write_buckets(long_workspace& w, const bucket_rows& rows, const std::vector<std::uint8_t*>& out);

/// One packed buffer: where it lies and its size in bytes.
struct packed_piece {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

/// The multisets of the units in the pieces of one bucket (see pack_buckets)
/// into w.multisets, with per rater with a level its hashes.  A problem
/// names pieces and positions: "twice" with first = the unit's hash,
/// second = the rater's; "collision" for a first hash naming two units
/// (column 0) or two raters (column 1), first = the piece.  Throws invalid_argument for a buffer that is not a packed
/// piece.
bool reduce_buckets(long_workspace& w, const std::vector<packed_piece>& pieces, std::size_t min_width,
                    long_problem& found);

// ---- summaries of weighted multisets ----------------------------------------

/// The pattern counts of units given as distinct rows with their numbers of
/// units: each (category index, count, ...) pattern with its units, and the
/// units kept and dropped.
struct weighted_patterns_record {
  std::vector<std::pair<std::vector<std::int32_t>, double>> patterns;
  double units = 0, dropped = 0;
};
weighted_patterns_record weighted_patterns(statistic stat, const Eigen::Ref<const Eigen::MatrixXd>& rows,
                                           const Eigen::Ref<const Eigen::VectorXd>& counts, const options& opts);

}  // namespace calibra::agreement::detail

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/detail/long_ratings-inl.hpp>
#endif
