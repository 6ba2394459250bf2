// ICC: published Shrout & Fleiss (1979) values, psych::ICC's full output
// (tests/data/oracle/oracle_icc.R -> tests/data/oracle/icc_psych.json), the
// mergeable summary, numerical stability and degenerate tables.
#include <calibra/agreement/icc.hpp>
#include <calibra/io/wide_csv.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>

using calibra::agreement::icc;
using calibra::agreement::icc_anova;
using calibra::agreement::icc_form;
using calibra::agreement::icc_summary;
using calibra::agreement::options;
using calibra::agreement::result;

namespace {

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

nlohmann::json load_oracle() {
  std::ifstream in(std::string(CALIBRA_TEST_DATA_DIR) + "/oracle/icc_psych.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

Eigen::MatrixXd matrix_from_json(const nlohmann::json& rows) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (std::size_t u = 0; u < rows.size(); ++u)
    for (std::size_t j = 0; j < rows[u].size(); ++j)
      m(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j)) =
          rows[u][j].is_null() ? missing : rows[u][j].get<double>();
  return m;
}

// Shrout & Fleiss (1979) Table 2: 6 targets x 4 judges.
Eigen::MatrixXd shrout_fleiss() {
  Eigen::MatrixXd m(6, 4);
  m << 9, 2, 5, 8,  //
      6, 1, 3, 2,   //
      8, 4, 6, 8,   //
      7, 1, 2, 6,   //
      10, 5, 6, 9,  //
      6, 2, 4, 7;
  return m;
}

result icc_of(const Eigen::MatrixXd& m, icc_form form, double confidence = 0.95) {
  options opts;
  opts.form = form;
  opts.confidence = confidence;
  return icc(m, opts);
}

// The classical two-pass ANOVA in long double, independent of icc_summary.
// The first rating is subtracted first (exactly, for data near it) so that
// a large common offset does not eat the long double digits either.
icc_anova two_pass_anova(const Eigen::MatrixXd& data) {
  const Eigen::MatrixXd m = data.array() - data(0, 0);
  const auto n = m.rows(), k = m.cols();
  long double grand = 0;
  for (Eigen::Index u = 0; u < n; ++u)
    for (Eigen::Index j = 0; j < k; ++j) grand += m(u, j);
  grand /= static_cast<long double>(n * k);
  std::vector<long double> row_mean(static_cast<std::size_t>(n), 0), col_mean(static_cast<std::size_t>(k), 0);
  for (Eigen::Index u = 0; u < n; ++u)
    for (Eigen::Index j = 0; j < k; ++j) {
      row_mean[static_cast<std::size_t>(u)] += m(u, j) / static_cast<long double>(k);
      col_mean[static_cast<std::size_t>(j)] += m(u, j) / static_cast<long double>(n);
    }
  long double ss_units = 0, ss_raters = 0, ss_error = 0;
  for (auto r : row_mean) ss_units += k * (r - grand) * (r - grand);
  for (auto c : col_mean) ss_raters += n * (c - grand) * (c - grand);
  for (Eigen::Index u = 0; u < n; ++u)
    for (Eigen::Index j = 0; j < k; ++j) {
      const long double e = m(u, j) - row_mean[static_cast<std::size_t>(u)] - col_mean[static_cast<std::size_t>(j)] + grand;
      ss_error += e * e;
    }
  icc_anova a;
  a.n_units = static_cast<double>(n);
  a.n_raters = static_cast<std::size_t>(k);
  a.ss_units = static_cast<double>(ss_units);
  a.ss_raters = static_cast<double>(ss_raters);
  a.ss_error = static_cast<double>(ss_error);
  return a;
}

void require_close(double actual, double expected, double relative) {
  INFO("actual " << actual << " expected " << expected);
  REQUIRE(std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected)));
}

}  // namespace

TEST_CASE("ICC reproduces the published Shrout & Fleiss (1979) Table 2 values", "[icc]") {
  // Shrout & Fleiss (1979), Psychol Bull 86:420-428, Table 4 (two decimals).
  const Eigen::MatrixXd data = shrout_fleiss();
  const std::vector<std::pair<icc_form, double>> published{
      {icc_form::icc1, 0.17}, {icc_form::icc2, 0.29},  {icc_form::icc3, 0.71},
      {icc_form::icc1k, 0.44}, {icc_form::icc2k, 0.62}, {icc_form::icc3k, 0.91}};
  for (const auto& [form, expected] : published) {
    const result r = icc_of(data, form);
    INFO(calibra::agreement::to_string(form));
    REQUIRE(r.value);
    CHECK(*r.value == Approx(expected).margin(0.005));
    CHECK(r.n_units == 6);
    CHECK(r.n_raters == 4);
    CHECK(r.ci_method == "F");
    CHECK_FALSE(r.se);
    CHECK(r.stat == calibra::agreement::statistic::icc);
  }
}

TEST_CASE("ICC of the reference CSV file equals the published table", "[icc]") {
  const auto data = calibra::read_wide_csv(std::string(CALIBRA_TEST_DATA_DIR) + "/reference/shrout_fleiss_1979.csv");
  REQUIRE(data.ratings == shrout_fleiss());
  // Shrout & Fleiss (1979) Table 4: ICC(3,k) = .91.
  CHECK(*icc_of(data.ratings, icc_form::icc3k).value == Approx(0.91).margin(0.005));
}

TEST_CASE("ICC matches psych::ICC value, F test and interval on every oracle case", "[icc][oracle]") {
  const auto oracle = load_oracle();
  REQUIRE(oracle.at("cases").size() >= 4);
  for (const auto& c : oracle.at("cases")) {
    const Eigen::MatrixXd data = matrix_from_json(c.at("ratings"));
    const double confidence = c.at("confidence").get<double>();
    for (const auto& [name, expected] : c.at("psych").items()) {
      INFO("case " << c.at("name").get<std::string>() << ", form " << name);
      const result r = icc_of(data, calibra::agreement::parse_icc_form(name), confidence);
      REQUIRE(r.value);
      require_close(*r.value, expected.at("value").get<double>(), 1e-10);
      require_close(r.extra.at("F"), expected.at("F").get<double>(), 1e-10);
      CHECK(r.extra.at("df1") == expected.at("df1").get<double>());
      CHECK(r.extra.at("df2") == expected.at("df2").get<double>());
      require_close(r.extra.at("p"), expected.at("p").get<double>(), 1e-9);
      // p-values are small: also compare relatively.
      CHECK(r.extra.at("p") == Approx(expected.at("p").get<double>()).epsilon(1e-7));
      REQUIRE(r.ci_low);
      REQUIRE(r.ci_high);
      require_close(*r.ci_low, expected.at("lower").get<double>(), 1e-9);
      require_close(*r.ci_high, expected.at("upper").get<double>(), 1e-9);
      CHECK(r.n_units == c.at("n_units_complete").get<std::size_t>());
      CHECK(r.n_raters == c.at("n_raters").get<std::size_t>());
      CHECK(r.extra.at("units_dropped") == Approx(static_cast<double>(data.rows()) -
                                                  c.at("n_units_complete").get<double>()));
    }
  }
}

TEST_CASE("ICC forms are addressable by their McGraw-Wong names", "[icc]") {
  const Eigen::MatrixXd data = shrout_fleiss();
  const std::vector<std::pair<std::string, icc_form>> names{
      {"oneway-single", icc_form::icc1},
      {"oneway-average", icc_form::icc1k},
      {"twoway-agreement-single", icc_form::icc2},
      {"twoway-agreement-average", icc_form::icc2k},
      {"twoway-consistency-single", icc_form::icc3},
      {"twoway-consistency-average", icc_form::icc3k}};
  for (const auto& [name, form] : names) {
    INFO(name);
    CHECK(*icc_of(data, calibra::agreement::parse_icc_form(name)).value == *icc_of(data, form).value);
  }
}

TEST_CASE("ICC drops incomplete units listwise and says so", "[icc][missing]") {
  Eigen::MatrixXd data = shrout_fleiss();
  data(1, 2) = missing;
  options opts;
  opts.form = icc_form::icc3;
  opts.missing = calibra::agreement::missing_policy::available;
  const result r = icc(data, opts);
  // Same as the table without unit 2.
  Eigen::MatrixXd without(5, 4);
  without << data.row(0), data.row(2), data.row(3), data.row(4), data.row(5);
  const result reference = icc_of(without, icc_form::icc3);
  REQUIRE(r.value);
  CHECK(*r.value == *reference.value);
  CHECK(r.n_units == 5);
  CHECK(r.extra.at("units_dropped") == 1);
  CHECK(r.used.missing == calibra::agreement::missing_policy::listwise);
  CHECK(r.used.form == icc_form::icc3);
}

TEST_CASE("icc_summary is linear: merged splits and frequency weights equal one pass", "[icc][summary]") {
  const Eigen::MatrixXd data = shrout_fleiss();
  icc_summary whole(4), first(4), second(4);
  for (Eigen::Index u = 0; u < data.rows(); ++u) {
    whole.add_unit(data.row(u));
    (u < 2 ? first : second).add_unit(data.row(u));
  }
  const icc_anova merged = (first + second).finish();
  const icc_anova reference = two_pass_anova(data);
  for (const auto& a : {whole.finish(), merged}) {
    CHECK(a.n_units == 6);
    CHECK(a.ss_units == Approx(reference.ss_units).epsilon(1e-13));
    CHECK(a.ss_raters == Approx(reference.ss_raters).epsilon(1e-13));
    CHECK(a.ss_error == Approx(reference.ss_error).epsilon(1e-13));
  }

  SECTION("a weight of 2 equals adding the unit twice") {
    icc_summary weighted(4), repeated(4);
    for (Eigen::Index u = 0; u < data.rows(); ++u) {
      weighted.add_unit(data.row(u), u == 3 ? 2.0 : 1.0);
      repeated.add_unit(data.row(u));
      if (u == 3) repeated.add_unit(data.row(u));
    }
    Eigen::MatrixXd duplicated(7, 4);
    duplicated << data, data.row(3);
    const icc_anova expected = two_pass_anova(duplicated);
    for (const auto& a : {weighted.finish(), repeated.finish()}) {
      CHECK(a.n_units == 7);
      CHECK(a.ss_units == Approx(expected.ss_units).epsilon(1e-13));
      CHECK(a.ss_raters == Approx(expected.ss_raters).epsilon(1e-13));
      CHECK(a.ss_error == Approx(expected.ss_error).epsilon(1e-13));
    }
  }

  SECTION("a negative weight removes a unit (leave-one-out)") {
    icc_summary without = whole;
    without.add_unit(data.row(0), -1.0);
    const icc_anova expected = two_pass_anova(data.bottomRows(5));
    const icc_anova a = without.finish();
    CHECK(a.n_units == Approx(5));
    CHECK(a.ss_units == Approx(expected.ss_units).epsilon(1e-12));
    CHECK(a.ss_raters == Approx(expected.ss_raters).epsilon(1e-12));
    CHECK(a.ss_error == Approx(expected.ss_error).epsilon(1e-12));
  }

  SECTION("merging summaries over different raters is refused") {
    icc_summary three(3);
    CHECK_THROWS_AS(whole += three, calibra::invalid_argument);
  }
}

TEST_CASE("ICC sums stay exact with a large common offset", "[icc][stability]") {
  // 200 units x 4 raters around 1e9 with noise of order 1: naive one-pass
  // sums of squares lose every digit here.
  const Eigen::Index n = 200, k = 4;
  Eigen::MatrixXd data(n, k);
  std::uint64_t state = 12345;
  auto noise = [&] {  // deterministic, platform-independent
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0 - 0.5;
  };
  for (Eigen::Index u = 0; u < n; ++u) {
    const double unit_effect = 3 * noise();
    for (Eigen::Index j = 0; j < k; ++j) data(u, j) = 1e9 + unit_effect + 0.25 * static_cast<double>(j) + noise();
  }
  const icc_anova reference = two_pass_anova(data);
  icc_summary left(k), right(k);
  for (Eigen::Index u = 0; u < n; ++u) (u % 3 == 0 ? left : right).add_unit(data.row(u));
  const icc_anova a = (left + right).finish();
  CHECK(std::abs(a.ss_units - reference.ss_units) <= 1e-9 * reference.ss_units);
  CHECK(std::abs(a.ss_raters - reference.ss_raters) <= 1e-9 * reference.ss_raters);
  CHECK(std::abs(a.ss_error - reference.ss_error) <= 1e-9 * reference.ss_error);
  for (auto form : {icc_form::icc1, icc_form::icc2, icc_form::icc3}) {
    const double expected = *calibra::agreement::icc_from_anova(reference, form, 0.95).value;
    CHECK(*icc_of(data, form).value == Approx(expected).epsilon(1e-9));
  }
}

TEST_CASE("ICC of degenerate tables has no value and names the case", "[icc][degenerate]") {
  SECTION("every rating equal") {
    const Eigen::MatrixXd data = Eigen::MatrixXd::Constant(5, 3, 4.0);
    for (auto form : {icc_form::icc1, icc_form::icc2, icc_form::icc3k}) {
      const result r = icc_of(data, form);
      CHECK_FALSE(r.value);
      REQUIRE(r.reason);
      CHECK_THAT(*r.reason, Catch::Contains("zero variance"));
      CHECK_FALSE(r.ci_low);
      CHECK(r.n_units == 5);
    }
  }
  SECTION("one unit") {
    const result r = icc_of(shrout_fleiss().topRows(1), icc_form::icc2);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
    CHECK_THAT(*r.reason, Catch::Contains("fewer than 2 units"));
  }
  SECTION("one rater") {
    const result r = icc_of(shrout_fleiss().leftCols(1), icc_form::icc1);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
    CHECK_THAT(*r.reason, Catch::Contains("fewer than 2 raters"));
  }
  SECTION("no rater at all") {
    const result r = icc_of(Eigen::MatrixXd(4, 0), icc_form::icc1);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
  }
  SECTION("no complete unit") {
    Eigen::MatrixXd data = shrout_fleiss();
    data.col(2).setConstant(missing);
    const result r = icc_of(data, icc_form::icc3);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
    CHECK_THAT(*r.reason, Catch::Contains("fewer than 2 units"));
    CHECK(r.n_units == 0);
  }
  SECTION("equal unit means: single-measure forms defined, average-measure forms not") {
    Eigen::MatrixXd data(3, 2);
    data << 1, 3,  //
        3, 1,      //
        2, 2;
    const result single = icc_of(data, icc_form::icc1);
    REQUIRE(single.value);
    CHECK(*single.value == Approx(-1.0));  // (0 - MSW) / (0 + MSW)
    const result average = icc_of(data, icc_form::icc1k);
    CHECK_FALSE(average.value);
    REQUIRE(average.reason);
    CHECK_THAT(*average.reason, Catch::Contains("same mean"));
  }
  SECTION("raters agree perfectly up to a shift: ICC3 is 1, F infinite, no interval") {
    Eigen::MatrixXd data(4, 2);
    data << 1, 2,  //
        2, 3,      //
        5, 6,      //
        3, 4;
    const result r = icc_of(data, icc_form::icc3);
    REQUIRE(r.value);
    CHECK(*r.value == Approx(1.0));
    CHECK(r.extra.count("F") == 0);
    CHECK(r.extra.at("p") == 0.0);
    CHECK_FALSE(r.ci_low);
    CHECK_FALSE(r.ci_high);
  }
}

TEST_CASE("ICC rejects bad arguments", "[icc][errors]") {
  CHECK_THROWS_AS(icc_of(shrout_fleiss(), icc_form::icc1, 1.0), calibra::invalid_argument);
  CHECK_THROWS_AS(icc_of(shrout_fleiss(), icc_form::icc1, 0.0), calibra::invalid_argument);
  Eigen::MatrixXd data = shrout_fleiss();
  data(2, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(icc_of(data, icc_form::icc1), Catch::Contains("unit 3, rater 2"));
  CHECK_THROWS_AS(calibra::agreement::parse_icc_form("ICC4"), calibra::invalid_argument);
}

TEST_CASE("ICC with a bootstrap keeps the F test and reports a bootstrap interval", "[icc][bootstrap]") {
  const auto oracle = load_oracle();
  const Eigen::MatrixXd data = matrix_from_json(oracle.at("cases").at(1).at("ratings"));
  options opts;
  opts.form = icc_form::icc2;
  opts.bootstrap = 400;
  opts.seed = 7;
  opts.threads = 2;
  const result r = icc(data, opts);
  REQUIRE(r.value);
  REQUIRE(r.ci_low);
  REQUIRE(r.ci_high);
  CHECK(r.ci_method == "bootstrap-bca");
  CHECK(*r.ci_low < *r.value);
  CHECK(*r.value < *r.ci_high);
  CHECK(*r.ci_high <= 1.0);
  CHECK(r.extra.count("F") == 1);
  CHECK(r.extra.at("bootstrap_resamples") == 400);
  CHECK(r.extra.at("bootstrap_se") > 0);

  // The ICC plan's fast jackknife equals leaving each unit out for real.
  const auto plan = calibra::agreement::icc_resampling_plan(data, opts);
  const auto fast = plan.jackknife();
  REQUIRE(fast.size() == static_cast<std::size_t>(data.rows()));
  for (Eigen::Index u = 0; u < data.rows(); u += 7) {
    Eigen::MatrixXd without(data.rows() - 1, data.cols());
    without << data.topRows(u), data.bottomRows(data.rows() - u - 1);
    CHECK(fast[static_cast<std::size_t>(u)] == Approx(*icc_of(without, icc_form::icc2).value).epsilon(1e-11));
  }
}

TEST_CASE("ICC bootstrap drops resamples with fewer than two distinct units", "[icc][bootstrap][degenerate]") {
  // Regression: with 3 units, some resamples draw one unit three times; their
  // between-unit sum of squares is exactly 0, not a rounding residue that
  // makes the average-measures ICC explode.
  Eigen::MatrixXd data(3, 4);
  data << 9, 2, 5, 8,  //
      6, 1, 3, 2,      //
      8, 4, 6, 8;      // first three targets of Shrout & Fleiss (1979) Table 2
  options opts;
  opts.form = icc_form::icc1k;
  const auto plan = calibra::agreement::icc_resampling_plan(data, opts);
  CHECK(std::isnan(plan.estimate({3, 0, 0})));
  CHECK(std::isnan(plan.estimate({0, 0, 3})));
  CHECK(std::isfinite(plan.estimate({2, 1, 0})));
  opts.bootstrap = 500;
  opts.seed = 1;
  const result r = icc(data, opts);
  REQUIRE(r.ci_low);
  REQUIRE(r.ci_high);
  CHECK(*r.ci_high <= 1.0);
  CHECK(*r.ci_low > -1e3);
  CHECK(r.extra.at("bootstrap_undefined") > 0);
  CHECK(r.extra.at("bootstrap_se") < 10);
}

TEST_CASE("ICC2k has no value when its denominator is not positive (finding F6)", "[icc][degenerate]") {
  SECTION("denominator exactly 0: the 5 x 5 alternating table") {
    // Mean squares by hand (psych::ICC(x, lmer = FALSE) prints the same):
    // unit means 2.2, 1.8, 1.8, 2.2, 1.8 and rater means 1.8, 2.2, 1.8, 2.2,
    // 1.8 around 1.96 give SS_R = SS_C = 5 (2 * 0.24^2 + 3 * 0.16^2) = 0.96,
    // so MS_R = MS_C = 0.24; twelve 3s and thirteen 1s give SS_total = 121 -
    // 25 * 1.96^2 = 24.96, so SS_E = 23.04 and MS_E = 23.04 / 16 = 1.44.
    // MS_R + (MS_C - MS_E)/n = 0.24 - 1.2/5 = 0; psych prints ICC2k = 6.2e15
    // with the interval [7.44, 0.36].
    Eigen::MatrixXd data(5, 5);
    data << 3, 1, 3, 1, 3,  //
        1, 3, 1, 3, 1,      //
        1, 3, 1, 3, 1,      //
        3, 1, 3, 1, 3,      //
        1, 3, 1, 3, 1;
    const result r = icc_of(data, icc_form::icc2k);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
    CHECK_THAT(*r.reason, Catch::StartsWith("ICC2k denominator is not positive"));
    CHECK_FALSE(r.ci_low);
    CHECK_FALSE(r.ci_high);
    CHECK(r.n_units == 5);
    CHECK(r.extra.at("ms_units") == Approx(0.24).epsilon(1e-12));
    CHECK(r.extra.at("ms_raters") == Approx(0.24).epsilon(1e-12));
    CHECK(r.extra.at("ms_error") == Approx(1.44).epsilon(1e-12));
    CHECK(r.extra.at("ms_within") == Approx(1.2).epsilon(1e-12));  // (0.96 + 23.04) / 20

    // The other forms keep psych's values: ICC1 = -0.96 / 5.04, ICC2 = -1.2 / 4.8
    // (exactly -1/(k - 1)), ICC3 = -1.2 / 6, ICC1k = -0.96 / 0.24, ICC3k = -1.2 / 0.24.
    const std::vector<std::pair<icc_form, double>> defined{{icc_form::icc1, -0.96 / 5.04},
                                                           {icc_form::icc2, -0.25},
                                                           {icc_form::icc3, -0.2},
                                                           {icc_form::icc1k, -4.0},
                                                           {icc_form::icc3k, -5.0}};
    for (const auto& [form, expected] : defined) {
      const result other = icc_of(data, form);
      INFO(calibra::agreement::to_string(form));
      REQUIRE(other.value);
      CHECK(*other.value == Approx(expected).epsilon(1e-12));
      REQUIRE(other.ci_low);
      REQUIRE(other.ci_high);
      CHECK(*other.ci_low <= *other.value);
      CHECK(*other.value <= *other.ci_high);
    }
    // psych::ICC: ICC2 interval [-0.300471515546712, 0.1021366589027532].
    const result icc2 = icc_of(data, icc_form::icc2);
    CHECK(*icc2.ci_low == Approx(-0.300471515546712).margin(1e-9));
    CHECK(*icc2.ci_high == Approx(0.1021366589027532).margin(1e-9));
  }
  SECTION("denominator negative") {
    // 3 units x 2 raters: MS_R = 1/6, MS_C = 1/6, MS_E = 13/6 by hand (psych
    // agrees), so MS_R + (MS_C - MS_E)/n = 1/6 - 2/3 = -1/2 and the raw ratio
    // (1/6 - 13/6) / (-1/2) = 4, which psych prints.  ICC2 = -2 is below -1/(k - 1).
    Eigen::MatrixXd data(3, 2);
    data << 1, 3,  //
        3, 1,      //
        2, 3;
    const result r = icc_of(data, icc_form::icc2k);
    CHECK_FALSE(r.value);
    REQUIRE(r.reason);
    CHECK_THAT(*r.reason, Catch::StartsWith("ICC2k denominator is not positive"));
    CHECK(r.extra.at("ms_error") == Approx(13.0 / 6).epsilon(1e-12));
    const result icc2 = icc_of(data, icc_form::icc2);
    REQUIRE(icc2.value);
    CHECK(*icc2.value == Approx(-2.0).epsilon(1e-12));
  }
  SECTION("the bootstrap counts such resamples as undefined") {
    Eigen::MatrixXd data(3, 2);
    data << 1, 3,  //
        3, 1,      //
        2, 3;
    options opts;
    opts.form = icc_form::icc2k;
    const auto plan = calibra::agreement::icc_resampling_plan(data, opts);
    CHECK(std::isnan(plan.estimate({1, 1, 1})));
  }
}

TEST_CASE("ICC2k drops an interval that the step-up would invert", "[icc][degenerate]") {
  // MS_R = 1.4, MS_C = 0.1, MS_E = 1.1 by hand, so ICC2k = 0.3 / (1.4 - 1/5) = 0.25.
  // psych::ICC gives the ICC2 interval [-1.12364657316635, 0.872619652765156];
  // its lower bound is below -1/(k - 1) = -1, the pole of the step-up, and
  // psych's ICC2k interval comes out as [18.18, 0.93].
  Eigen::MatrixXd data(5, 2);
  data << 3, 4,  //
      4, 4,      //
      4, 4,      //
      2, 4,      //
      3, 1;
  const result icc2 = icc_of(data, icc_form::icc2);
  REQUIRE(icc2.ci_low);
  CHECK(*icc2.ci_low == Approx(-1.12364657316635).margin(1e-9));
  CHECK(*icc2.ci_high == Approx(0.872619652765156).margin(1e-9));
  const result r = icc_of(data, icc_form::icc2k);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.25).epsilon(1e-12));
  CHECK_FALSE(r.ci_low);
  CHECK_FALSE(r.ci_high);
  CHECK(r.extra.count("F") == 1);
}

TEST_CASE("ICC read column by column equals the long-double ANOVA of the complete units", "[icc][missing][wide]") {
  // 5,000 units (three blocks of the column reader for 2 raters; 7 raters
  // are read row by row) near a large offset, 10% of the ratings missing at
  // random: the complete units' classical ANOVA is the reference.
  for (const Eigen::Index k : {Eigen::Index{2}, Eigen::Index{7}}) {
    const Eigen::Index n = 5000;
    Eigen::MatrixXd data(n, k);
    std::uint64_t state = 777 + static_cast<std::uint64_t>(k);
    auto uniform = [&] {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(state >> 11) / 9007199254740992.0;
    };
    for (Eigen::Index u = 0; u < n; ++u) {
      const double unit_effect = 3 * (uniform() - 0.5);
      for (Eigen::Index j = 0; j < k; ++j)
        data(u, j) = uniform() < 0.1 ? missing : 1e6 + unit_effect + 0.25 * static_cast<double>(j) + uniform();
    }
    std::vector<Eigen::Index> kept;
    for (Eigen::Index u = 0; u < n; ++u)
      if (!data.row(u).array().isNaN().any()) kept.push_back(u);
    Eigen::MatrixXd complete(static_cast<Eigen::Index>(kept.size()), k);
    for (std::size_t i = 0; i < kept.size(); ++i) complete.row(static_cast<Eigen::Index>(i)) = data.row(kept[i]);
    const icc_anova reference = two_pass_anova(complete);
    INFO(k << " raters, " << kept.size() << " complete units");
    for (auto form : {icc_form::icc1, icc_form::icc2, icc_form::icc3, icc_form::icc2k}) {
      const result r = icc_of(data, form);
      const result expected = calibra::agreement::icc_from_anova(reference, form, 0.95);
      REQUIRE(r.value);
      CHECK(*r.value == Approx(*expected.value).epsilon(1e-10));
      CHECK(*r.ci_low == Approx(*expected.ci_low).epsilon(1e-9));
      CHECK(*r.ci_high == Approx(*expected.ci_high).epsilon(1e-9));
      CHECK(r.n_units == kept.size());
      CHECK(r.extra.at("units_dropped") == static_cast<double>(n) - static_cast<double>(kept.size()));
    }
  }
}

TEST_CASE("ICC: an infinite rating is reported only in a unit that is otherwise read", "[icc][errors][wide]") {
  // Two raters (the column reader): unit 2 stops at its missing first
  // rating, as the row-by-row reader does, so its infinite second rating is
  // never read.
  Eigen::MatrixXd data = shrout_fleiss().leftCols(2);
  data(1, 0) = missing;
  data(1, 1) = std::numeric_limits<double>::infinity();
  const result r = icc_of(data, icc_form::icc2);
  CHECK(r.n_units == 5);
  data(2, 1) = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(icc_of(data, icc_form::icc2), Catch::Contains("unit 3, rater 2: rating is infinite"));
}
