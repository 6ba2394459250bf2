// The fast paths for small integer codes (detail/patterns.hpp, the two-column
// table of Cohen's kappa, the linear-time jackknives of Conger and Light)
// must give what the general coding path gives.  Every categorical
// coefficient depends on the codes only through their order and spacing, so
// shifting all codes by 0.5 (which sends the computation down the general
// path) must leave every number unchanged.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/detail/patterns.hpp>

#include "../support/random_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace calibra::agreement;

namespace {
constexpr double NA = std::numeric_limits<double>::quiet_NaN();

using calibra_test::random_ratings;

void check_same(const std::optional<double>& fast, const std::optional<double>& general) {
  REQUIRE(fast.has_value() == general.has_value());
  if (fast) CHECK(*fast == Approx(*general).epsilon(1e-12).margin(1e-13));
}

void check_same(const result& fast, const result& general) {
  check_same(fast.value, general.value);
  check_same(fast.se, general.se);
  check_same(fast.ci_low, general.ci_low);
  check_same(fast.ci_high, general.ci_high);
  check_same(fast.observed, general.observed);
  check_same(fast.chance, general.chance);
  CHECK(fast.n_units == general.n_units);
  CHECK(fast.n_raters == general.n_raters);
  CHECK(fast.ci_method == general.ci_method);
  CHECK(fast.reason.has_value() == general.reason.has_value());
  REQUIRE(fast.per_category.size() == general.per_category.size());
  auto g = general.per_category.begin();
  for (const auto& [code, value] : fast.per_category) {
    CHECK(code + 0.5 == g->first);
    CHECK(value == Approx(g->second).epsilon(1e-12).margin(1e-13));
    ++g;
  }
}

const statistic categorical[] = {statistic::percent, statistic::unanimous,    statistic::within,
                                 statistic::fleiss,  statistic::gwet,         statistic::brennan_prediger,
                                 statistic::conger,  statistic::light,        statistic::krippendorff};
}  // namespace

TEST_CASE("integer and shifted codes give the same coefficients", "[patterns]") {
  const Eigen::MatrixXd ratings = random_ratings(7, 300, 5, 5, 0.15);
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const missing_policy policy : {missing_policy::available, missing_policy::listwise})
    for (const weight_scheme weights : {weight_scheme::identity, weight_scheme::quadratic})
      for (const statistic stat : categorical) {
        if (stat == statistic::krippendorff && weights != weight_scheme::identity) continue;
        options opts;
        opts.missing = policy;
        opts.weights = weights;
        INFO(to_string(stat) << " weights " << static_cast<int>(weights) << " policy " << static_cast<int>(policy));
        check_same(agree(ratings, stat, opts), agree(shifted, stat, opts));
      }
  for (const measurement_level level : {measurement_level::ordinal, measurement_level::interval,
                                        measurement_level::ratio}) {
    options opts;
    opts.level = level;
    INFO("krippendorff level " << static_cast<int>(level));
    // Ratio distances depend on the codes themselves, not only their spacing.
    if (level == measurement_level::ratio) {
      const Eigen::MatrixXd doubled = ratings * 2.0;  // even integers: still the fast path
      const Eigen::MatrixXd halves = ratings * 0.5;   // general path
      CHECK(*agree(doubled, statistic::krippendorff, opts).value ==
            Approx(*agree(halves, statistic::krippendorff, opts).value).epsilon(1e-12));
    } else {
      check_same(agree(ratings, statistic::krippendorff, opts), agree(shifted, statistic::krippendorff, opts));
    }
  }
}

TEST_CASE("two-rater fast paths match the general path", "[patterns]") {
  const Eigen::MatrixXd ratings = random_ratings(11, 400, 2, 4, 0.1);
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const weight_scheme weights : {weight_scheme::identity, weight_scheme::linear, weight_scheme::quadratic}) {
    options opts;
    opts.weights = weights;
    check_same(agree(ratings, statistic::cohen, opts), agree(shifted, statistic::cohen, opts));
    check_same(agree(ratings, statistic::scott, opts), agree(shifted, statistic::scott, opts));
  }
}

TEST_CASE("a code used only by dropped units is not a category", "[patterns]") {
  // Code 9 appears only in unit 3, which listwise deletion drops (and which
  // the two-rater statistics cannot pair).
  Eigen::MatrixXd ratings(6, 3);
  ratings << 1, 1, 2,  //
      2, 2, 2,         //
      1, 2, 1,         //
      9, NA, 1,        //
      3, 3, 3,         //
      1, 3, 1;
  options listwise;
  listwise.missing = missing_policy::listwise;
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const statistic stat : {statistic::fleiss, statistic::gwet, statistic::krippendorff}) {
    const result fast = agree(ratings, stat, listwise);
    CHECK(fast.used.categories == std::vector<double>{1, 2, 3});
    check_same(fast, agree(shifted, stat, listwise));
  }
  const Eigen::MatrixXd pair = ratings.leftCols(2);
  const result cohen = agree(pair, statistic::cohen);
  CHECK(cohen.used.categories == std::vector<double>{1, 2, 3});
  check_same(cohen, agree(Eigen::MatrixXd(pair.array() + 0.5), statistic::cohen));
}

TEST_CASE("declared categories on the fast path", "[patterns]") {
  const Eigen::MatrixXd ratings = random_ratings(3, 120, 4, 3, 0.1);
  options declared;
  declared.categories = {1, 2, 3, 4, 5};  // 4 and 5 never used
  options shifted_declared;
  shifted_declared.categories = {1.5, 2.5, 3.5, 4.5, 5.5};
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const statistic stat : {statistic::gwet, statistic::brennan_prediger, statistic::fleiss}) {
    const result fast = agree(ratings, stat, declared);
    CHECK(fast.used.categories.size() == 5);
    check_same(fast, agree(shifted, stat, shifted_declared));
  }
  const Eigen::MatrixXd pair = ratings.leftCols(2);
  check_same(agree(pair, statistic::cohen, declared),
             agree(Eigen::MatrixXd(pair.array() + 0.5), statistic::cohen, shifted_declared));

  // An undeclared code, even in a unit that is dropped, is still an error
  // naming the cell.
  Eigen::MatrixXd bad = ratings;
  bad(5, 1) = 7;
  bad(5, 0) = NA;
  for (const statistic stat : {statistic::fleiss, statistic::krippendorff, statistic::cohen}) {
    const Eigen::MatrixXd input = stat == statistic::cohen ? Eigen::MatrixXd(bad.leftCols(2)) : bad;
    CHECK_THROWS_WITH(agree(input, stat, declared), Catch::Contains("unit 5") && Catch::Contains("rater 1"));
  }
}

TEST_CASE("bootstrap intervals from the pattern table match the general path", "[patterns][bootstrap]") {
  const Eigen::MatrixXd ratings = random_ratings(5, 150, 4, 4, 0.1);
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const bootstrap_interval method : {bootstrap_interval::percentile, bootstrap_interval::bca})
    for (const statistic stat : {statistic::fleiss, statistic::krippendorff, statistic::percent}) {
      // Percent agreement takes few distinct values, so many resamples equal
      // the estimate and BCa's bias correction counts exact ties: a last-bit
      // difference in summation order moves it.  Compare its percentile
      // interval only.
      if (stat == statistic::percent && method == bootstrap_interval::bca) continue;
      options opts;
      opts.bootstrap = 200;
      opts.seed = 42;
      opts.bootstrap_method = method;
      INFO(to_string(stat) << " method " << static_cast<int>(method));
      const result fast = agree(ratings, stat, opts);
      const result general = agree(shifted, stat, opts);
      check_same(fast.ci_low, general.ci_low);
      check_same(fast.ci_high, general.ci_high);
      CHECK(fast.extra.at("bootstrap_se") == Approx(general.extra.at("bootstrap_se")).epsilon(1e-12));
      if (method == bootstrap_interval::bca && general.extra.count("bootstrap_acceleration"))
        CHECK(fast.extra.at("bootstrap_acceleration") ==
              Approx(general.extra.at("bootstrap_acceleration")).epsilon(1e-9).margin(1e-14));
    }
}

TEST_CASE("fast leave-one-out estimates equal one recomputation per unit", "[patterns][bootstrap]") {
  const Eigen::MatrixXd ratings = random_ratings(9, 60, 4, 4, 0.2);
  for (const statistic stat : {statistic::conger, statistic::light, statistic::fleiss, statistic::krippendorff}) {
    INFO(to_string(stat));
    const resampling_plan plan = make_resampling_plan(ratings, stat, {});
    REQUIRE(plan.jackknife);
    const std::vector<double> fast = plan.jackknife();
    REQUIRE(fast.size() == plan.n_units);
    std::vector<double> weights(plan.n_units, 1.0);
    for (std::size_t u = 0; u < plan.n_units; ++u) {
      weights[u] = 0;
      const double slow = plan.estimate(weights);
      weights[u] = 1;
      REQUIRE(std::isnan(fast[u]) == std::isnan(slow));
      if (!std::isnan(slow)) CHECK(fast[u] == Approx(slow).epsilon(1e-12).margin(1e-13));
    }
  }
}

TEST_CASE("wide designs: the hashed pattern table matches the general path", "[patterns][wide]") {
  // 12, 30 and 64 raters per unit put the pattern keys beyond the direct
  // table (hash table); 64 raters and 11 codes need 77 key bits, more than
  // the 62 a key holds, so that case takes the general path on both sides.
  struct shape {
    unsigned seed;
    Eigen::Index units, raters;
    int q;
    double missing;
  };
  for (const shape s : {shape{21, 400, 12, 5, 0.1}, shape{22, 250, 30, 5, 0.3}, shape{23, 150, 64, 4, 0.0},
                        shape{24, 120, 64, 11, 0.2}, shape{25, 300, 20, 7, 0.5}}) {
    const Eigen::MatrixXd ratings = random_ratings(s.seed, s.units, s.raters, s.q, s.missing);
    const Eigen::MatrixXd shifted = ratings.array() + 0.5;
    for (const missing_policy policy : {missing_policy::available, missing_policy::listwise})
      for (const weight_scheme weights : {weight_scheme::identity, weight_scheme::quadratic})
        for (const statistic stat : categorical) {
          if (stat == statistic::krippendorff && weights != weight_scheme::identity) continue;
          options opts;
          opts.missing = policy;
          opts.weights = weights;
          INFO(to_string(stat) << " raters " << s.raters << " q " << s.q << " missing " << s.missing << " weights "
                               << static_cast<int>(weights) << " policy " << static_cast<int>(policy));
          check_same(agree(ratings, stat, opts), agree(shifted, stat, opts));
        }
    for (const measurement_level level : {measurement_level::ordinal, measurement_level::interval}) {
      options opts;
      opts.level = level;
      INFO("krippendorff level " << static_cast<int>(level) << " raters " << s.raters);
      check_same(agree(ratings, statistic::krippendorff, opts), agree(shifted, statistic::krippendorff, opts));
    }
  }
}

TEST_CASE("wide designs: bootstrap from the hashed pattern table matches the general path",
          "[patterns][wide][bootstrap]") {
  const Eigen::MatrixXd ratings = random_ratings(31, 120, 25, 5, 0.2);
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const statistic stat : {statistic::fleiss, statistic::krippendorff}) {
    options opts;
    opts.bootstrap = 200;
    opts.seed = 42;
    opts.bootstrap_method = bootstrap_interval::bca;
    INFO(to_string(stat));
    const result fast = agree(ratings, stat, opts);
    const result general = agree(shifted, stat, opts);
    check_same(fast.ci_low, general.ci_low);
    check_same(fast.ci_high, general.ci_high);
    CHECK(fast.extra.at("bootstrap_se") == Approx(general.extra.at("bootstrap_se")).epsilon(1e-12));
  }
}

TEST_CASE("a code first met after the first block moves the pattern count to the hash table",
          "[patterns][wide][bootstrap]") {
  // 7 raters: 3 bits per code, so codes 1..5 fit the direct table (15 bits)
  // and a sixth code, first met in unit 2600 (the second block of units),
  // does not: the units already counted move to the hash table.
  Eigen::MatrixXd ratings = random_ratings(41, 3000, 7, 5, 0.1);
  ratings(2600, 3) = 6;
  ratings(2900, 1) = 6;
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  for (const statistic stat : {statistic::fleiss, statistic::krippendorff, statistic::conger}) {
    options opts;
    opts.bootstrap = 100;
    opts.seed = 3;
    INFO(to_string(stat));
    const result fast = agree(ratings, stat, opts);
    const result general = agree(shifted, stat, opts);
    check_same(fast, general);
    CHECK(fast.extra.at("bootstrap_se") == Approx(general.extra.at("bootstrap_se")).epsilon(1e-12));
  }
}

TEST_CASE("Light and Conger from the byte-coded matrix match the general path", "[patterns][wide][light][conger]") {
  // Light's kappa takes its pair tables from per-rater bitsets (64 units a
  // word) and Conger's kappa reads a byte per rating: unit counts that are
  // not multiples of 64, a rater with no rating, a code met only in a unit
  // that listwise deletion drops, declared categories and every weight
  // scheme must give what the general coding path gives.  Nine raters take
  // Conger's blocked passes, three its count of units per tuple of codes.
  for (const Eigen::Index raters : {Eigen::Index{9}, Eigen::Index{3}}) {
    Eigen::MatrixXd ratings = random_ratings(51, 197, raters, 6, 0.2);
    if (raters == 9) ratings.col(4).setConstant(NA);  // a rater with no rating
    ratings(130, 2) = 9;  // unit 131 has missing ratings: dropped under listwise
    ratings(130, 0) = NA;
    const Eigen::MatrixXd shifted = ratings.array() + 0.5;
    std::vector<double> declared{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (const missing_policy policy : {missing_policy::available, missing_policy::listwise})
      for (const weight_scheme weights : {weight_scheme::identity, weight_scheme::linear, weight_scheme::quadratic})
        for (const bool declare : {false, true})
          for (const statistic stat : {statistic::light, statistic::conger}) {
            options opts, shifted_opts;
            opts.missing = shifted_opts.missing = policy;
            opts.weights = shifted_opts.weights = weights;
            if (declare) {
              opts.categories = declared;
              for (double code : declared) shifted_opts.categories.push_back(code + 0.5);
            }
            INFO(to_string(stat) << " weights " << static_cast<int>(weights) << " policy " << static_cast<int>(policy)
                                 << " declared " << declare);
            const result fast = agree(ratings, stat, opts);
            const result general = agree(shifted, stat, shifted_opts);
            check_same(fast, general);
            REQUIRE(fast.used.categories.size() == general.used.categories.size());
            for (std::size_t k = 0; k < fast.used.categories.size(); ++k)
              CHECK(fast.used.categories[k] + 0.5 == general.used.categories[k]);
            if (stat == statistic::light) {
              CHECK(fast.extra.at("rater_pairs") == general.extra.at("rater_pairs"));
              CHECK(fast.extra.at("undefined_pairs") == general.extra.at("undefined_pairs"));
            }
          }
  }
}

TEST_CASE("Light's kappa from bitsets on complete and constant raters", "[patterns][light]") {
  // Complete raters take the margins from their own counts; a constant
  // pair has chance agreement 1 and is left out as undefined.
  Eigen::MatrixXd ratings = random_ratings(52, 130, 4, 3, 0.0);
  ratings.col(0).setConstant(2);
  ratings.col(1).setConstant(2);
  ratings(7, 3) = NA;
  const Eigen::MatrixXd shifted = ratings.array() + 0.5;
  const result fast = agree(ratings, statistic::light);
  const result general = agree(shifted, statistic::light);
  check_same(fast, general);
  CHECK(fast.extra.at("undefined_pairs") == 1);
  CHECK(fast.extra.at("rater_pairs") == general.extra.at("rater_pairs"));
  // More codes than the byte coding holds slots for: the general path.
  Eigen::MatrixXd many(80, 3);
  for (Eigen::Index u = 0; u < 80; ++u)
    many.row(u) << static_cast<double>(u), static_cast<double>(u), static_cast<double>((u * 7) % 80);
  const result wide_codes = agree(many, statistic::light);
  REQUIRE(wide_codes.value);
  check_same(wide_codes, agree(Eigen::MatrixXd(many.array() + 0.5), statistic::light));
}

TEST_CASE("the window check of many ratings at once agrees with the check of one", "[patterns][wide]") {
  // offsets() checks eight ratings per step with a rounding trick and the
  // rest one by one; each rating must get what offset() says of it alone:
  // its place in the window, or the marker when it is missing, outside the
  // window or not an integer (a tiny fraction, a half, an infinity).
  const std::uint16_t marker = 4096;
  const double big = 999'999'999'999'000.0;  // near the largest first code around() takes
  for (const double first : {3.0, -7.0, 0.0, big}) {
    const auto window = detail::integer_window::around(first, 2048, 4096);
    REQUIRE(window);
    const double lowest = window->lowest, highest = window->highest;
    const std::vector<double> odd{NA,          lowest,         highest,      lowest - 1, highest + 1,
                                  first,       first + 0.5,    first - 1e-9, 1e-300,     -0.0,
                                  0.0,         std::nextafter(first, 1e300), 5e-324,     -1e-300,
                                  std::numeric_limits<double>::infinity(),   -std::numeric_limits<double>::infinity(),
                                  first + 2047, first - 2048,  first + 1,    2.5e15,     -2.5e15};
    for (std::size_t size = 1; size <= odd.size(); ++size)
      for (std::size_t start = 0; start + size <= odd.size(); start += 3) {
        std::vector<std::uint16_t> at(size, 7);
        const unsigned checked = window->offsets(odd.data() + start, size, marker, at.data());
        bool rated = false, bad = false;
        for (std::size_t i = 0; i < size; ++i) {
          const double v = odd[start + i];
          INFO("first " << first << " value " << v);
          if (std::isnan(v)) {
            CHECK(at[i] == marker);
            continue;
          }
          rated = true;
          const std::int64_t alone = window->offset(v);
          if (alone < 0) {
            bad = true;
            CHECK(at[i] == marker);
          } else {
            CHECK(at[i] == alone);
          }
        }
        CHECK(((checked & detail::window_rated) != 0) == rated);
        CHECK(((checked & detail::window_bad) != 0) == bad);
      }
  }
}

TEST_CASE("codes that fail the window check send every fast path to the general path", "[patterns][wide]") {
  // A tiny fraction next to integer codes is its own category; the fast
  // paths must decline it (the general path keeps it), wherever it sits:
  // within the first eight ratings of a column or in the tail.
  for (const Eigen::Index at : {Eigen::Index{0}, Eigen::Index{5}, Eigen::Index{2047}, Eigen::Index{2052}}) {
    Eigen::MatrixXd ratings = random_ratings(61, 2053, 12, 4, 0.1);
    ratings(at, 7) = 1e-300;
    options opts;
    INFO("unit " << at);
    CHECK_FALSE(detail::tabulate_patterns(ratings, opts, false));
    CHECK_FALSE(detail::code_small(ratings, opts));
    const result fleiss = agree(ratings, statistic::fleiss, opts);
    REQUIRE(fleiss.value);
    CHECK(fleiss.used.categories.size() == 5);
  }
}
