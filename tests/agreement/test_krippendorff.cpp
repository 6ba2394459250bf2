// Krippendorff's alpha against Krippendorff (2011), Wikipedia and irrCAC.
#include <calibra/agreement/krippendorff.hpp>

#include "../support/bounded_interval.hpp"
#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <utility>
#include <vector>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

namespace {
result alpha(const Eigen::MatrixXd& m, measurement_level level) {
  options opts;
  opts.level = level;
  return krippendorff_alpha(m, opts);
}
}  // namespace

TEST_CASE("Krippendorff (2011) canonical example, all four metrics", "[krippendorff]") {
  // "Computing Krippendorff's Alpha-Reliability" (2011), reliability data
  // with missing values: nominal 0.743, ordinal 0.815, interval 0.849,
  // ratio 0.797.
  const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
  CHECK(*alpha(m, measurement_level::nominal).value == Approx(0.743).margin(5e-4));
  CHECK(*alpha(m, measurement_level::ordinal).value == Approx(0.815).margin(5e-4));
  CHECK(*alpha(m, measurement_level::interval).value == Approx(0.849).margin(5e-4));
  CHECK(*alpha(m, measurement_level::ratio).value == Approx(0.797).margin(5e-4));
  const result r = alpha(m, measurement_level::nominal);
  CHECK(r.n_units == 11);  // unit 12 has a single value
  CHECK(r.extra.at("units_with_values") == 12);
}

TEST_CASE("irrCAC krippen.alpha.raw on cac.raw4raters: value, pa, pe and SE", "[krippendorff][irrCAC]") {
  // irrCAC README (unweighted): pa 0.805, pe 0.24, alpha 0.74342, se
  // 0.14557, CI (0.419, 1).  Weighting vignette (quadratic = interval):
  // pa 0.9735938, pe 0.825, alpha 0.84911, se 0.12913, CI (0.561, 1).
  const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
  const result nominal = alpha(m, measurement_level::nominal);
  CHECK(*nominal.value == Approx(0.74342).margin(6e-6));
  CHECK(*nominal.se == Approx(0.14557).margin(6e-6));
  CHECK(*nominal.observed == Approx(0.805).margin(1e-9));
  CHECK(*nominal.chance == Approx(0.24).margin(1e-9));
  // irrCAC's intervals are Wald on t(10) (11 pairable units), capped at 1;
  // calibra's are Fisher's z of the same estimate and SE.
  const double q = calibra_test::t_quantile(10);
  CHECK(0.74342 - q * 0.14557 == Approx(0.419).margin(5e-4));
  const auto [low, high] = calibra_test::fisher_z_interval(0.74342, 0.14557, q);
  CHECK(*nominal.ci_low == Approx(low).margin(1e-4));
  CHECK(*nominal.ci_high == Approx(high).margin(1e-4));
  CHECK(nominal.ci_method == "fisher-z t(n-1)");
  const result interval = alpha(m, measurement_level::interval);
  CHECK(*interval.value == Approx(0.84911).margin(6e-6));
  CHECK(*interval.se == Approx(0.12913).margin(6e-6));
  CHECK(*interval.observed == Approx(0.9735938).margin(1e-7));
  CHECK(*interval.chance == Approx(0.825).margin(1e-9));
  CHECK(0.84911 - q * 0.12913 == Approx(0.561).margin(5e-4));
  const auto [interval_low, interval_high] = calibra_test::fisher_z_interval(0.84911, 0.12913, q);
  CHECK(*interval.ci_low == Approx(interval_low).margin(1e-4));
  CHECK(*interval.ci_high == Approx(interval_high).margin(1e-4));
}

TEST_CASE("Wikipedia computational example", "[krippendorff]") {
  // en.wikipedia.org "Krippendorff's alpha": nominal 0.691, interval 0.811.
  const Eigen::MatrixXd m = read_reference("krippendorff_wikipedia.csv");
  CHECK(*alpha(m, measurement_level::nominal).value == Approx(0.691).margin(5e-4));
  CHECK(*alpha(m, measurement_level::interval).value == Approx(0.811).margin(5e-4));
}

TEST_CASE("two raters: irrCAC krippen2.table value on cont3x3abstractors", "[krippendorff][irrCAC]") {
  // irrCAC README 0.7972585; weighting vignette, quadratic 0.8926487.
  const Eigen::MatrixXd m = read_reference("gwet_cont3x3abstractors.csv");
  CHECK(*alpha(m, measurement_level::nominal).value == Approx(0.7972585).margin(1e-7));
  CHECK(*alpha(m, measurement_level::interval).value == Approx(0.8926487).margin(1e-7));
}

TEST_CASE("ordinal alpha has a standard error from the pooled frequencies", "[krippendorff]") {
  const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
  const result r = alpha(m, measurement_level::ordinal);
  REQUIRE(r.se);
  CHECK(*r.se > 0);
  // The same SE as a Gwet-weighted alpha with the ordinal metric's weights
  // taken as fixed: the interval metric with the same construction gives
  // irrCAC's number above, so here only consistency is checked.
  CHECK(*r.ci_low < *r.value);
}

TEST_CASE("Krippendorff summaries merge and subtract exactly", "[krippendorff][summary]") {
  const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
  const coded_ratings coded = code_ratings(m, {});
  const auto table = detail::count_units(coded);
  for (auto level : {measurement_level::nominal, measurement_level::interval, measurement_level::ratio}) {
    krippendorff_summary head(coded.categories, level), tail(coded.categories, level);
    for (std::size_t u = 0; u < table.n_units(); ++u) {
      const std::size_t b = table.offsets[u];
      (u < 5 ? head : tail).add_unit(table.category.data() + b, table.count.data() + b, table.offsets[u + 1] - b);
    }
    head += tail;
    options opts;
    opts.level = level;
    const result merged = head.finish(opts), single = krippendorff_alpha(m, opts);
    CHECK(*merged.value == Approx(*single.value).epsilon(1e-13));
    CHECK(*merged.se == Approx(*single.se).epsilon(1e-10));
  }
}

TEST_CASE("Krippendorff degenerate cases", "[krippendorff][degenerate]") {
  Eigen::MatrixXd same(3, 2);
  same << 2, 2, 2, 2, 2, NA;
  const result r = alpha(same, measurement_level::nominal);
  CHECK_FALSE(r.value);
  CHECK(r.reason->find("no variation") != std::string::npos);

  Eigen::MatrixXd lonely(3, 2);
  lonely << 1, NA, NA, 2, 3, NA;
  const result none = alpha(lonely, measurement_level::interval);
  CHECK_FALSE(none.value);
  CHECK(none.reason->find("no pairable units") != std::string::npos);

  options weighted;
  weighted.weights = weight_scheme::quadratic;
  CHECK_THROWS_AS(krippendorff_alpha(same, weighted), calibra::invalid_argument);
}

TEST_CASE("Krippendorff's alpha without tables reproduces the table path", "[krippendorff][many-categories]") {
  // krippendorff_without_tables is what krippendorff_alpha uses above 64
  // categories (continuous ratings); here it is called directly on data the
  // table path also handles, and on the published example.
  const auto without_tables = [](const Eigen::MatrixXd& m, measurement_level level, std::vector<double> declared = {}) {
    options opts;
    opts.level = level;
    opts.categories = std::move(declared);
    return detail::krippendorff_without_tables(code_ratings(m, opts), opts);
  };
  SECTION("Krippendorff (2011) canonical example: nominal 0.743, ordinal 0.815, interval 0.849") {
    const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
    CHECK(*without_tables(m, measurement_level::nominal).value == Approx(0.743).margin(5e-4));
    CHECK(*without_tables(m, measurement_level::ordinal).value == Approx(0.815).margin(5e-4));
    CHECK(*without_tables(m, measurement_level::interval).value == Approx(0.849).margin(5e-4));
  }
  SECTION("irrCAC cac.raw4raters: alpha 0.74342, se 0.14557 (nominal); 0.84911, 0.12913 (interval)") {
    const Eigen::MatrixXd m = read_reference("gwet_cac_raw4raters.csv");
    const result nominal = without_tables(m, measurement_level::nominal);
    CHECK(*nominal.value == Approx(0.74342).margin(6e-6));
    CHECK(*nominal.se == Approx(0.14557).margin(6e-6));
    const result interval = without_tables(m, measurement_level::interval);
    CHECK(*interval.value == Approx(0.84911).margin(6e-6));
    CHECK(*interval.se == Approx(0.12913).margin(6e-6));
  }
  SECTION("random data with missing values and non-integer codes: every field agrees") {
    std::mt19937_64 rng(31);
    for (int trial = 0; trial < 30; ++trial) {
      const int units = std::uniform_int_distribution<int>(3, 40)(rng);
      const int raters = std::uniform_int_distribution<int>(2, 6)(rng);
      const int q = std::uniform_int_distribution<int>(2, 12)(rng);
      std::uniform_int_distribution<int> code(1, q);
      std::uniform_real_distribution<double> u01(0, 1);
      Eigen::MatrixXd m(units, raters);
      for (int i = 0; i < units; ++i) {
        const int truth = code(rng);
        for (int j = 0; j < raters; ++j)
          m(i, j) = u01(rng) < 0.15 ? NA : 0.5 * (u01(rng) < 0.6 ? truth : code(rng)) + (trial % 2 ? 0.25 : 0.0);
      }
      for (auto level : {measurement_level::nominal, measurement_level::ordinal, measurement_level::interval}) {
        INFO("trial " << trial << ", level " << to_string(level));
        options opts;
        opts.level = level;
        const result table = krippendorff_alpha(m, opts);
        const result table_free = without_tables(m, level);
        CHECK(table_free.reason.has_value() == table.reason.has_value());
        CHECK(table_free.n_units == table.n_units);
        CHECK(table_free.n_raters == table.n_raters);
        CHECK(table_free.extra.at("units_with_values") == table.extra.at("units_with_values"));
        REQUIRE(table_free.value.has_value() == table.value.has_value());
        if (!table.value) continue;
        CHECK(*table_free.value == Approx(*table.value).margin(1e-12));
        CHECK(*table_free.observed == Approx(*table.observed).margin(1e-12));
        CHECK(*table_free.chance == Approx(*table.chance).margin(1e-12));
        REQUIRE(table_free.se.has_value() == table.se.has_value());
        if (table.se) {
          CHECK(*table_free.se == Approx(*table.se).margin(1e-12));
          CHECK(*table_free.ci_low == Approx(*table.ci_low).margin(1e-12));
          CHECK(*table_free.ci_high == Approx(*table.ci_high).margin(1e-12));
        }
      }
    }
  }
  SECTION("declared but unused categories widen the interval metric as in the table path") {
    Eigen::MatrixXd m(4, 2);
    m << 1, 2,  //
        2, 2,   //
        3, 4,   //
        4, 4;
    const std::vector<double> scale{0, 1, 2, 3, 4, 5, 6};
    options opts;
    opts.level = measurement_level::interval;
    opts.categories = scale;
    const result table = krippendorff_alpha(m, opts);
    const result table_free = without_tables(m, measurement_level::interval, scale);
    REQUIRE(table.value);
    CHECK(*table_free.value == Approx(*table.value).margin(1e-12));
    CHECK(*table_free.se == Approx(*table.se).margin(1e-12));
  }
  SECTION("no variation and no pairable unit give the documented reasons") {
    Eigen::MatrixXd same = Eigen::MatrixXd::Constant(3, 2, 2.0);
    const result constant = without_tables(same, measurement_level::interval);
    CHECK_FALSE(constant.value);
    CHECK_THAT(*constant.reason, Catch::Contains("no variation"));
    Eigen::MatrixXd lonely(2, 2);
    lonely << 1, NA,  //
        NA, 2;
    const result none = without_tables(lonely, measurement_level::nominal);
    CHECK_FALSE(none.value);
    CHECK_THAT(*none.reason, Catch::Contains("no pairable units"));
  }
  SECTION("the ratio level is not offered") {
    const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
    CHECK_THROWS_AS(without_tables(m, measurement_level::ratio), calibra::invalid_argument);
  }
}
