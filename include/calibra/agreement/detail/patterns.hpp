// Fast paths for the usual rating matrix: small integer codes.
//
// Every coefficient of the Fleiss / Gwet / Krippendorff family depends on a
// unit only through its multiset of category counts (its "pattern"), and the
// summaries are linear over units.  With q categories and R raters there are
// at most C(q + R, R) patterns (126 for 5 levels and 5 raters), so the whole
// matrix reduces to a table of patterns with the number of units showing
// each.  tabulate_patterns builds that table in one sequential pass over the
// column-major matrix, without coding it into an index matrix: column by
// column over blocks of units that stay in cache, each rating is checked and
// adds to its unit's pattern key (one bit field per category holding its
// count), and each unit's key is then counted, in a direct table while
// the keys are small and in a hash table sized by the number of distinct
// patterns once they are not (many raters per unit).  Nothing is allocated
// per unit.
//
// These paths are speculative: anything unusual (a non-integer or infinite
// code, codes spread over more than 4096 values, an undeclared code, keys
// that would not fit in 62 bits: codes present x bits of R > 62) makes
// them return nothing, and the caller takes the
// general path, which also produces the error messages.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace calibra::agreement::detail {

/// The units of a rating matrix grouped by pattern.  `keys` holds one
/// packed key per distinct pattern of a kept unit (one bit field per code
/// with its count), `units` how many kept units show it; pattern() unpacks
/// one.  Packed keys keep the table at 16 bytes per pattern, which matters
/// when many raters make nearly every unit's pattern distinct.
struct unit_patterns {
  category_set categories;
  std::vector<std::uint64_t> keys;
  std::vector<double> units;
  std::size_t n_units = 0;        // kept units
  std::size_t active_raters = 0;  // raters with a rating in a kept unit
  /// Pattern of each kept unit, in input order (filled on request: the
  /// bootstrap needs it, a point estimate does not).
  std::vector<std::uint32_t> unit_pattern;
  /// Unpacking: the codes met, ascending, each with the position of its
  /// field in a key and its category index.
  std::vector<unsigned> field_shift;
  std::vector<std::int32_t> field_category;
  std::uint64_t field_mask = 0;

  std::size_t n_patterns() const { return units.size(); }
  /// Most (category, count) pairs a pattern can have.
  std::size_t max_entries() const { return field_shift.size(); }

  /// Pattern p as m (category index, count) pairs, categories ascending;
  /// `category` and `count` hold max_entries() values.  Returns m.
  std::size_t pattern(std::size_t p, std::int32_t* category, double* count) const {
    const std::uint64_t key = keys[p];
    std::size_t m = 0;
    for (std::size_t f = 0; f < field_shift.size(); ++f) {
      const std::uint64_t c = (key >> field_shift[f]) & field_mask;
      if (c == 0) continue;
      category[m] = field_category[f];
      count[m++] = static_cast<double>(c);
    }
    return m;
  }

  /// Calls visit(category, count, m, weight) for every pattern whose weight
  /// (weights[p], or its number of units when `weights` is empty) is not 0.
  template <typename Visit>
  void for_each(const std::vector<double>& weights, Visit&& visit) const {
    std::vector<std::int32_t> category(max_entries());
    std::vector<double> count(max_entries());
    for (std::size_t p = 0; p < n_patterns(); ++p) {
      const double w = weights.empty() ? units[p] : weights[p];
      if (w == 0) continue;
      const std::size_t m = pattern(p, category.data(), count.data());
      visit(category.data(), count.data(), m, w);
    }
  }
};

/// Codes that are integers within a window of `span` values around the
/// first code met; `offset(v)` is v's place in the window.
struct integer_window {
  std::int64_t origin = 0;
  double lowest = 0, highest = 0;

  static std::optional<integer_window> around(double first, std::int64_t below, std::int64_t span);

  /// -1 when `value` (not NaN) is outside the window or not an integer.
  std::int64_t offset(double value) const;

  /// Checks `size` ratings at once: at[i] gets the offset of column[i] in
  /// the window when it is an integer inside it, and `marker` (a value that
  /// is no offset) when it is missing or fails the check.  Returns
  /// window_rated when some rating is present, plus window_bad when some
  /// present rating is not an integer inside the window.  The codes must
  /// stay below 2^51 in magnitude, as around() makes them, and the window
  /// and `marker` below 2^15: the SSE2 path packs the offsets with signed
  /// 16-bit saturation.  Branch-free; two ratings per instruction with SSE2.
  unsigned offsets(const double* column, std::size_t size, std::uint16_t marker, std::uint16_t* at) const;
};
inline constexpr unsigned window_rated = 1, window_bad = 2;

std::optional<double> first_rating(const ratings_ref& ratings);

/// The pattern table of `ratings` under opts.missing and opts.categories,
/// or nothing when the fast path does not apply (see the file comment).
std::optional<unit_patterns> tabulate_patterns(const ratings_ref& ratings, const options& opts,
                                                      bool map_units);

/// Pattern weights of a resample: the unit weights summed per pattern.
void pattern_weights(const unit_patterns& patterns, const std::vector<double>& unit_weights,
                            std::vector<double>& weights);

/// Leave-one-out estimates for every unit from one estimate per pattern:
/// units with the same pattern leave the same summary behind.
/// `without(p)` is the estimate with one unit of pattern p removed.
template <typename Without>
std::vector<double> jackknife_by_pattern(const unit_patterns& patterns, Without&& without) {
  std::vector<double> per_pattern(patterns.n_patterns());
  for (std::size_t p = 0; p < per_pattern.size(); ++p) per_pattern[p] = without(p);
  std::vector<double> leave_one_out(patterns.unit_pattern.size());
  for (std::size_t u = 0; u < leave_one_out.size(); ++u) leave_one_out[u] = per_pattern[patterns.unit_pattern[u]];
  return leave_one_out;
}

/// The two raters' contingency table over the units both rated, for small
/// integer codes, in one pass over the two (contiguous) columns: cell
/// (x, y) counts the units rated code origin + x by the first rater and
/// origin + y by the second.  Nothing when the fast path does not apply.
struct pair_counts {
  static constexpr std::int64_t span = 64;
  std::int64_t origin = 0;
  std::array<std::uint32_t, span * span> cell{};
  std::array<unsigned char, span> seen{};  // codes met anywhere, pairable or not
};

std::optional<pair_counts> tabulate_pair(const ratings_ref& ratings);

/// The rating matrix coded to one byte per rating, column-major like the
/// input: each code met gets a slot (in order of first appearance, at most
/// max_slots of them) and a missing rating the byte `missing`.  For the
/// coefficients that need to know which rater gave which rating (Conger,
/// Light) and read the matrix more than once: the later passes read a
/// byte per rating instead of a checked double.
struct small_codes {
  static constexpr std::size_t max_slots = 64;
  static constexpr std::uint8_t missing = 0xFF;
  Eigen::Index n = 0, raters = 0;
  std::vector<std::uint8_t> code;          // n x raters, column-major
  std::vector<double> slot_code;           // the code of each slot
  std::vector<std::int32_t> slot_category; // its category index, or missing_index when no kept unit uses it
  category_set categories;

  const std::uint8_t* column(Eigen::Index j) const { return code.data() + j * n; }
};

/// `ratings` coded as above, with the categories of the available-case
/// policy: the codes met (opts.missing is not looked at; the caller deals
/// with listwise deletion), or opts.categories when declared.  Nothing when
/// the fast path does not apply: codes that are not integers within a
/// window of 4096 values, more than max_slots codes, an undeclared code.
std::optional<small_codes> code_small(const ratings_ref& ratings, const options& opts);

/// Per rater and slot of small_codes, a bitset over units (bit u in word
/// u / 64), plus each rater's presence bitset.  With listwise deletion only
/// complete units are set.  Light's kappa takes its pair tables from these
/// with AND and popcount, O(words) per pair and category, without going
/// through the units pair by pair.
struct rater_bitsets {
  Eigen::Index n = 0, raters = 0, words = 0;
  std::size_t slots = 0;
  std::vector<std::uint64_t> bits;      // [rater][slot][word]
  std::vector<std::uint64_t> present;   // [rater][word]
  std::vector<std::uint64_t> rated;     // units rated per rater and slot: [rater][slot]
  std::vector<unsigned char> complete;  // the rater rated all n units (so did every rater, under listwise)
  std::vector<unsigned char> slot_used; // some kept unit has a rating in the slot
  std::size_t n_units = 0;              // kept units
  std::size_t active_raters = 0;        // raters with a rating in a kept unit

  const std::uint64_t* of(Eigen::Index rater, std::size_t slot) const {
    return bits.data() + (static_cast<std::size_t>(rater) * slots + slot) * static_cast<std::size_t>(words);
  }
  const std::uint64_t* presence(Eigen::Index rater) const {
    return present.data() + static_cast<std::size_t>(rater) * static_cast<std::size_t>(words);
  }
};

rater_bitsets make_rater_bitsets(const small_codes& codes, bool listwise);

/// A rater pair's Cohen table from the bitsets, over the units both rated.
/// With `full`, `cell` (slots x slots, row-major, rater a's slot by row)
/// gets every cell; otherwise `agreeing` gets the units on the diagonal and
/// `row` / `col` the two raters' slot counts.  Returns the units both rated.
std::uint64_t pair_from_bitsets(const rater_bitsets& bits, Eigen::Index a, Eigen::Index b, bool full,
                                std::uint64_t* cell, std::uint64_t* agreeing, std::uint64_t* row,
                                std::uint64_t* col);

}  // namespace calibra::agreement::detail

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/detail/patterns-inl.hpp>
#endif
