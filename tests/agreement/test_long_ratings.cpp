// The long-ratings reduction of calibra.dask (detail/long_ratings.hpp):
// codes and multisets against naive std::map counts of the same rows, the
// bucket path (packed pieces joined per unit) against the same counts over
// the pieces' union, hashes that agree across dtypes, and the problems it
// reports (a missing key, a unit rated twice even across pieces, a first
// hash naming two units or raters).
#include <calibra/agreement/detail/long_ratings.hpp>
#include <calibra/agreement/mergeable.hpp>
#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

using namespace calibra::agreement;
using namespace calibra::agreement::detail;

namespace {

constexpr double NA = std::numeric_limits<double>::quiet_NaN();

template <class T>
key_column column_of(const std::vector<T>& values, const char* name = "key") {
  key_column c;
  c.name = name;
  c.kind = std::is_floating_point_v<T> ? 'f' : std::is_signed_v<T> ? 'i' : 'u';
  c.itemsize = static_cast<int>(sizeof(T));
  c.data = reinterpret_cast<const char*>(values.data());
  c.stride = static_cast<std::ptrdiff_t>(sizeof(T));
  c.size = static_cast<std::ptrdiff_t>(values.size());
  return c;
}

/// Long rows with a planted answer: per row its unit key, rater key, level.
struct long_rows {
  std::vector<std::int64_t> unit;
  std::vector<std::int64_t> rater;
  std::vector<double> level;
};

/// `units` units, each rated by `per_unit` distinct raters from a pool of
/// `pool`, levels from `levels` (some missing), rows shuffled.
long_rows random_rows(std::size_t units, std::size_t per_unit, std::size_t pool, const std::vector<double>& levels,
                      std::uint32_t seed) {
  std::mt19937 rng(seed);
  long_rows rows;
  std::vector<std::int64_t> raters(pool);
  for (std::size_t r = 0; r < pool; ++r) raters[r] = static_cast<std::int64_t>(1000 + 7 * r);
  for (std::size_t u = 0; u < units; ++u) {
    std::shuffle(raters.begin(), raters.end(), rng);
    const std::size_t m = 1 + rng() % per_unit;
    for (std::size_t k = 0; k < m; ++k) {
      rows.unit.push_back(static_cast<std::int64_t>(u * 13 + 5));
      rows.rater.push_back(raters[k]);
      rows.level.push_back(rng() % 10 == 0 ? NA : levels[rng() % levels.size()]);
    }
  }
  std::vector<std::size_t> order(rows.unit.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  long_rows shuffled;
  for (const std::size_t i : order) {
    shuffled.unit.push_back(rows.unit[i]);
    shuffled.rater.push_back(rows.rater[i]);
    shuffled.level.push_back(rows.level[i]);
  }
  return shuffled;
}

using multiset_counts = std::map<std::vector<double>, double>;

/// The naive answer: each unit's sorted levels, counted.
multiset_counts naive_multisets(const std::vector<const long_rows*>& parts) {
  std::map<std::int64_t, std::vector<double>> by_unit;
  for (const long_rows* rows : parts)
    for (std::size_t i = 0; i < rows->unit.size(); ++i) {
      std::vector<double>& levels = by_unit[rows->unit[i]];
      if (!std::isnan(rows->level[i])) levels.push_back(rows->level[i]);
    }
  multiset_counts counts;
  for (auto& [unit, levels] : by_unit) {
    std::sort(levels.begin(), levels.end());
    counts[levels] += 1;
  }
  return counts;
}

multiset_counts counted(const unit_multisets& m) {
  multiset_counts counts;
  for (std::size_t d = 0; d < m.n_distinct(); ++d) {
    std::vector<double> levels;
    for (std::size_t j = 0; j < m.width; ++j) {
      const double x = m.rows[d * m.width + j];
      if (!std::isnan(x)) levels.push_back(x);
    }
    CHECK(counts.count(levels) == 0);  // distinct
    counts[levels] += m.weights[d];
  }
  return counts;
}

void code(long_workspace& w, const long_rows& rows, bool hashes) {
  long_problem found;
  REQUIRE(code_key_column(w, column_of(rows.unit, "unit"), 0, hashes, found));
  REQUIRE(code_rater_column(w, column_of(rows.rater, "rater"), 1, hashes, found));
  REQUIRE(found.what.empty());
}

/// One partition's rows packed into `n_buckets` buffers.
std::vector<std::vector<std::uint8_t>> packed(const long_rows& rows, std::size_t n_buckets) {
  long_workspace w;
  code(w, rows, true);
  bucket_rows in;
  in.n = static_cast<std::ptrdiff_t>(rows.unit.size());
  in.unit = w.unit.data();
  in.rater = w.rater.data();
  in.levels = rows.level.data();
  in.n_units = w.unit_hashes.size();
  in.n_raters = w.rater_hashes.size();
  in.unit_hashes = w.unit_hashes.data();
  in.rater_hashes = w.rater_hashes.data();
  const std::vector<std::size_t> sizes = plan_buckets(w, in, n_buckets);
  std::vector<std::vector<std::uint8_t>> out(n_buckets);
  std::vector<std::uint8_t*> at;
  for (std::size_t b = 0; b < n_buckets; ++b) {
    out[b].resize(sizes[b]);
    at.push_back(out[b].data());
  }
  write_buckets(w, in, at);
  return out;
}

std::vector<packed_piece> pieces_of(const std::vector<std::vector<std::vector<std::uint8_t>>>& parts,
                                    std::size_t bucket) {
  std::vector<packed_piece> pieces;
  for (const auto& part : parts) pieces.push_back({part[bucket].data(), part[bucket].size()});
  return pieces;
}

}  // namespace

TEST_CASE("long ratings: the multisets and their weights are a naive count of the units' levels") {
  for (const std::uint32_t seed : {1u, 2u, 3u}) {
    const long_rows rows = random_rows(500, 6, 20, {1, 2, 3, 4, 5}, seed);
    long_workspace w;
    code(w, rows, false);
    long_problem found;
    REQUIRE(reduce_units(w, static_cast<std::ptrdiff_t>(rows.unit.size()), rows.level.data(), 1, 1, found));
    CHECK(w.multisets.units == 500);
    CHECK(counted(w.multisets) == naive_multisets({&rows}));
    // Each rater with a level: its first row with one.
    std::map<std::int64_t, std::int64_t> first_rated;
    for (std::size_t i = rows.unit.size(); i-- > 0;)
      if (!std::isnan(rows.level[i])) first_rated[rows.rater[i]] = static_cast<std::int64_t>(i);
    std::set<std::int64_t> expected, got;
    for (const auto& [rater, row] : first_rated) expected.insert(row);
    got.insert(w.multisets.rated_rows.begin(), w.multisets.rated_rows.end());
    CHECK(got == expected);
  }
}

TEST_CASE("long ratings: codes over two key columns are the distinct pairs, dense in order of first sight") {
  const std::vector<std::int32_t> team = {2, 1, 2, 1, 2};
  const std::vector<double> person = {1.0, 1.0, 1.0, 2.0, -0.0};
  const std::vector<std::uint8_t> rater = {9, 8, 8, 9, 9};
  long_workspace w;
  long_problem found;
  REQUIRE(code_key_column(w, column_of(team), 0, true, found));
  REQUIRE(code_key_column(w, column_of(person), 1, true, found));
  REQUIRE(code_rater_column(w, column_of(rater), 2, true, found));
  CHECK(std::vector<std::int32_t>(w.unit.begin(), w.unit.begin() + 5) == std::vector<std::int32_t>{0, 1, 0, 2, 3});
  CHECK(w.unit_rows == std::vector<std::int64_t>{0, 1, 3, 4});
  CHECK(std::vector<std::int32_t>(w.rater.begin(), w.rater.begin() + 5) == std::vector<std::int32_t>{0, 1, 1, 0, 0});
  CHECK(w.rater_rows == std::vector<std::int64_t>{0, 1});
  // One pair of hashes per unit, all different.
  REQUIRE(w.unit_hashes.size() == 4);
  std::set<std::uint64_t> firsts;
  for (const hash_pair& h : w.unit_hashes) firsts.insert(h.a);
  CHECK(firsts.size() == 4);
}

TEST_CASE("long ratings: codes stay dense while every table grows") {
  // 3,000 distinct keys (several times a table's starting room), met in a
  // planted order and then again in reverse.
  const std::size_t n = 3000;
  std::vector<std::int64_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = static_cast<std::int64_t>(k);
  std::shuffle(order.begin(), order.end(), std::mt19937(7));
  std::vector<std::int64_t> keys = order;
  keys.insert(keys.end(), order.rbegin(), order.rend());
  std::vector<std::int64_t> scaled;
  for (const std::int64_t k : keys) scaled.push_back(k * 1000);
  long_workspace w;
  long_problem found;
  REQUIRE(code_key_column(w, column_of(keys), 0, true, found));
  REQUIRE(code_key_column(w, column_of(scaled), 1, true, found));
  REQUIRE(code_rater_column(w, column_of(keys), 2, true, found));
  for (std::size_t i = 0; i < 2 * n; ++i) {
    const auto expected = static_cast<std::int32_t>(i < n ? i : 2 * n - 1 - i);
    REQUIRE(w.unit[i] == expected);
    REQUIRE(w.rater[i] == expected);
  }
  CHECK(w.unit_rows.size() == n);
  CHECK(w.unit_hashes.size() == n);
  CHECK(w.rater_hashes.size() == n);
}

TEST_CASE("long ratings: equal values of different dtypes hash alike") {
  const hash_pair five = hash_key(column_of(std::vector<std::int64_t>{5}), 5);
  CHECK(five.a != five.b);  // two independent hashes
  const auto first_key_hash = [](const key_column& c) {
    std::uint64_t key = 0;
    REQUIRE(number_key(c, 0, key));
    return hash_key(c, key);
  };
  CHECK(first_key_hash(column_of(std::vector<std::int8_t>{5})) == five);
  CHECK(first_key_hash(column_of(std::vector<std::int16_t>{5})) == five);
  CHECK(first_key_hash(column_of(std::vector<std::int32_t>{5})) == five);
  CHECK(first_key_hash(column_of(std::vector<std::uint8_t>{5})) == five);
  CHECK(first_key_hash(column_of(std::vector<std::uint64_t>{5})) == five);
  CHECK(first_key_hash(column_of(std::vector<float>{5.0f})) == five);
  CHECK(first_key_hash(column_of(std::vector<double>{5.0})) == five);
  CHECK(hash_double(5.0, hash_seed_a) == hash_integer(5, hash_seed_a));
  // A non-integral value: float32 and float64 of one value agree; -0.0 is 0.
  CHECK(first_key_hash(column_of(std::vector<float>{2.5f})) == first_key_hash(column_of(std::vector<double>{2.5})));
  CHECK(first_key_hash(column_of(std::vector<double>{-0.0})) == first_key_hash(column_of(std::vector<std::int64_t>{0})));
  CHECK(!(first_key_hash(column_of(std::vector<double>{2.5})) == five));
  // Negative integers of any width.
  CHECK(first_key_hash(column_of(std::vector<std::int8_t>{-3})) ==
        first_key_hash(column_of(std::vector<std::int64_t>{-3})));
  // Text by its bytes, apart from the number with the same bytes.
  CHECK(hash_text("pm001", 5, hash_seed_a) == hash_text("pm001", 5, hash_seed_a));
  CHECK(hash_text("pm001", 5, hash_seed_a) != hash_text("pm002", 5, hash_seed_a));
}

TEST_CASE("long ratings: a missing key is reported by column and row") {
  long_workspace w;
  long_problem found;
  CHECK(!code_key_column(w, column_of(std::vector<double>{1.0, NA}), 0, false, found));
  CHECK(found.what == "missing");
  CHECK(found.column == 0);
  CHECK(found.first == 1);
  const std::vector<std::int8_t> code_values = {0, -1};
  key_column codes = column_of(code_values);
  codes.negative_missing = true;
  found = {};
  CHECK(!code_rater_column(w, codes, 1, false, found));
  CHECK((found.what == "missing" && found.column == 1 && found.first == 1));
  // A negative value that is not a code is a value.
  found = {};
  CHECK(code_key_column(w, column_of(std::vector<std::int8_t>{0, -1}), 0, false, found));
  // Codes without hashes of their values cannot be hashed.
  CHECK_THROWS_AS(code_key_column(w, codes, 0, true, found), calibra::invalid_argument);
}

TEST_CASE("long ratings: a unit rated twice by one rater is reported with both rows") {
  const long_rows rows{{1, 2, 1, 1}, {7, 7, 8, 7}, {1, 2, 3, 4}};
  long_workspace w;
  code(w, rows, false);
  long_problem found;
  CHECK(!reduce_units(w, 4, rows.level.data(), 1, 1, found));
  CHECK(found.what == "twice");
  CHECK(found.first == 0);
  CHECK(found.second == 3);
}

TEST_CASE("long ratings: buckets joined per unit give the multisets of the pieces' union") {
  // Three partitions of one data set, each unit's ratings spread over them;
  // more than 256 raters and non-integral levels, so codes take two bytes.
  const long_rows all = random_rows(2000, 8, 300, {0.5, 1.25, 2, 3.75, 4, 5, 6.5}, 11);
  std::vector<long_rows> parts(3);
  for (std::size_t i = 0; i < all.unit.size(); ++i) {
    long_rows& part = parts[(i * 7) % 3];
    part.unit.push_back(all.unit[i]);
    part.rater.push_back(all.rater[i]);
    part.level.push_back(all.level[i]);
  }
  const std::size_t n_buckets = 4;
  std::vector<std::vector<std::vector<std::uint8_t>>> packed_parts;
  for (const long_rows& part : parts) packed_parts.push_back(packed(part, n_buckets));
  multiset_counts joined;
  std::size_t units = 0;
  std::set<std::pair<std::uint64_t, std::uint64_t>> rated;
  for (std::size_t b = 0; b < n_buckets; ++b) {
    long_workspace w;
    long_problem found;
    REQUIRE(reduce_buckets(w, pieces_of(packed_parts, b), 2, found));
    CHECK(w.multisets.width >= 2);
    for (const auto& [levels, count] : counted(w.multisets)) joined[levels] += count;
    units += w.multisets.units;
    for (const hash_pair& h : w.multisets.rated_raters) rated.insert({h.a, h.b});
  }
  CHECK(units == 2000);
  CHECK(joined == naive_multisets({&all}));
  // The raters with a level, by their hashes.
  std::set<std::pair<std::uint64_t, std::uint64_t>> expected;
  for (std::size_t i = 0; i < all.unit.size(); ++i)
    if (!std::isnan(all.level[i])) {
      const hash_pair h = hash_key(column_of(all.rater), static_cast<std::uint64_t>(all.rater[i]));
      expected.insert({h.a, h.b});
    }
  CHECK(rated == expected);
}

TEST_CASE("long ratings: a unit rated twice by one rater is found across pieces") {
  const long_rows first{{1, 2}, {7, 7}, {1, 2}};
  const long_rows second{{3, 1}, {7, 7}, {3, 4}};  // unit 1 by rater 7 again
  const std::vector<std::vector<std::vector<std::uint8_t>>> parts = {packed(first, 1), packed(second, 1)};
  long_workspace w;
  long_problem found;
  CHECK(!reduce_buckets(w, pieces_of(parts, 0), 1, found));
  CHECK(found.what == "twice");
  const key_column keys = column_of(first.unit);
  CHECK(static_cast<std::uint64_t>(found.first) == hash_key(keys, 1).a);
  CHECK(static_cast<std::uint64_t>(found.second) == hash_key(keys, 7).a);
  // Without the repeat the same pieces reduce.
  const std::vector<std::vector<std::vector<std::uint8_t>>> fine = {packed(first, 1),
                                                                     packed(long_rows{{3, 1}, {7, 8}, {3, 4}}, 1)};
  found = {};
  REQUIRE(reduce_buckets(w, pieces_of(fine, 0), 1, found));
  CHECK(counted(w.multisets) == multiset_counts{{{1, 4}, 1}, {{2}, 1}, {{3}, 1}});
}

TEST_CASE("long ratings: a first hash naming two units or two raters is an error, not a merge") {
  // Two units (and then two raters) given the same first hash and
  // different second hashes.
  long_workspace w;
  const std::vector<std::int32_t> unit = {0, 1}, rater = {0, 1};
  const std::vector<double> levels = {1, 2};
  const std::vector<hash_pair> same = {{5, 6}, {5, 7}}, different = {{6, 6}, {7, 7}};
  bucket_rows in;
  in.n = 2;
  in.unit = unit.data();
  in.rater = rater.data();
  in.levels = levels.data();
  in.n_units = in.n_raters = 2;
  for (const bool units : {true, false}) {
    in.unit_hashes = units ? same.data() : different.data();
    in.rater_hashes = units ? different.data() : same.data();
    const std::vector<std::size_t> sizes = plan_buckets(w, in, 1);
    std::vector<std::uint8_t> piece(sizes[0]);
    write_buckets(w, in, {piece.data()});
    long_workspace reduced;
    long_problem found;
    CHECK(!reduce_buckets(reduced, {{piece.data(), piece.size()}}, 1, found));
    CHECK(found.what == "collision");
    CHECK(found.column == (units ? 0 : 1));
  }
}

TEST_CASE("long ratings: what is not a packed piece is refused") {
  const long_rows rows{{1, 2}, {7, 7}, {1, 2}};
  std::vector<std::uint8_t> piece = packed(rows, 1)[0];
  long_workspace w;
  long_problem found;
  std::vector<std::uint8_t> short_piece(piece.begin(), piece.end() - 1);
  CHECK_THROWS_AS(reduce_buckets(w, {{short_piece.data(), short_piece.size()}}, 1, found), calibra::invalid_argument);
  std::vector<std::uint8_t> retagged = piece;
  retagged[0] ^= 1;
  CHECK_THROWS_AS(reduce_buckets(w, {{retagged.data(), retagged.size()}}, 1, found), calibra::invalid_argument);
  const std::vector<std::int32_t> unit = {3}, rater = {0};
  const std::vector<double> levels = {1};
  const std::vector<hash_pair> hashes = {{1, 2}};
  bucket_rows in;
  in.n = 1;
  in.unit = unit.data();
  in.rater = rater.data();
  in.levels = levels.data();
  in.n_units = in.n_raters = 1;
  in.unit_hashes = in.rater_hashes = hashes.data();
  CHECK_THROWS_AS(plan_buckets(w, in, 1), calibra::invalid_argument);  // unit code 3 of 1
}

TEST_CASE("long ratings: weighted patterns count each distinct unit by its weight") {
  // Fleiss over categories 1, 2: the pattern (category index, count, ...)
  // of each row, times its weight; a row without a rating is no unit.
  Eigen::MatrixXd rows(3, 3);
  rows << 1, 1, 2, 2, 2, 2, NA, NA, NA;
  Eigen::VectorXd counts(3);
  counts << 3, 2, 4;
  options opts;
  opts.categories = std::vector<double>{1, 2};
  const weighted_patterns_record record = weighted_patterns(statistic::fleiss, rows, counts, opts);
  using pattern = std::pair<std::vector<std::int32_t>, double>;
  CHECK(record.patterns == std::vector<pattern>{{{0, 2, 1, 1}, 3.0}, {{1, 3}, 2.0}});
  CHECK(record.units == 5.0);
  CHECK(record.dropped == 0.0);
  CHECK_THROWS_AS(weighted_patterns(statistic::fleiss, rows, counts.head(2), opts), calibra::invalid_argument);
}
