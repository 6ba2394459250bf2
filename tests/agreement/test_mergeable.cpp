// The mergeable summary factory (mergeable.hpp): summaries of the parts of
// a data set, merged, give the published value of the whole; the compact
// record rebuilds a summary; what has no summary is refused.
//
// Published values: Fleiss (1971), kappa .430 over the 30 diagnoses of 6
// raters, per category .245, .245, .520, .471, .566; Shrout & Fleiss (1979)
// Table 4: ICC(1,1) = .17, ICC(3,1) = .71; Krippendorff's canonical example
// (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"):
// interval alpha = .849.
#include <calibra/agreement/mergeable.hpp>

#include <calibra/error.hpp>

#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace calibra::agreement;
using calibra_test::NA;
using calibra_test::read_reference;

namespace {

/// One summary per block of rows, merged with +=.
mergeable_summary merged_over_blocks(const Eigen::MatrixXd& m, statistic stat, const options& opts,
                                     const std::vector<Eigen::Index>& cuts) {
  mergeable_summary whole(stat, static_cast<std::size_t>(m.cols()), opts);
  Eigen::Index start = 0;
  for (Eigen::Index cut : cuts) {
    mergeable_summary part(stat, static_cast<std::size_t>(m.cols()), opts);
    part.add(m.middleRows(start, cut - start));
    whole += part;
    start = cut;
  }
  return whole;
}

options with_categories(std::vector<double> codes) {
  options o;
  o.categories = std::move(codes);
  return o;
}

}  // namespace

TEST_CASE("Fleiss (1971) kappa from three merged parts", "[mergeable][fleiss]") {
  const Eigen::MatrixXd m = read_reference("fleiss1971_diagnoses.csv");
  const mergeable_summary s = merged_over_blocks(m, statistic::fleiss, with_categories({1, 2, 3, 4, 5}), {7, 19, 30});
  CHECK(s.units() == 30);
  const result r = s.finish();
  CHECK(r.stat == statistic::fleiss);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.430).margin(5e-4));
  CHECK(r.n_units == 30);
  CHECK(r.n_raters == 6);
  const std::vector<double> published{0.245, 0.245, 0.520, 0.471, 0.566};
  REQUIRE(r.per_category.size() == 5);
  std::size_t k = 0;
  for (const auto& [code, kappa] : r.per_category) {
    CHECK(code == static_cast<double>(k + 1));
    CHECK(kappa == Approx(published[k]).margin(5e-4));
    ++k;
  }
}

TEST_CASE("Shrout & Fleiss (1979) ICCs from two merged parts", "[mergeable][icc]") {
  const Eigen::MatrixXd m = read_reference("shrout_fleiss_1979.csv");
  options icc3;
  icc3.form = icc_form::icc3;
  const result r3 = merged_over_blocks(m, statistic::icc, icc3, {2, 6}).finish();
  REQUIRE(r3.value);
  CHECK(*r3.value == Approx(0.71).margin(5e-3));
  const result r1 = merged_over_blocks(m, statistic::icc, options{}, {3, 6}).finish();
  REQUIRE(r1.value);
  CHECK(*r1.value == Approx(0.17).margin(5e-3));
  CHECK(r1.n_units == 6);
  CHECK(r1.used.missing == missing_policy::listwise);
}

TEST_CASE("ICC summaries leave incomplete units out and count them", "[mergeable][icc]") {
  Eigen::MatrixXd m(3, 2);
  m << 1, 2, 2, NA, 3, 3;
  mergeable_summary s(statistic::icc, 2, options{});
  s.add(m);
  CHECK(s.units() == 2);
  CHECK(s.finish().extra.at("units_dropped") == 1);
  CHECK_FALSE(s.has_record());
  CHECK_THROWS_AS(s.record(), calibra::invalid_argument);
}

TEST_CASE("Krippendorff's canonical example, interval alpha, from merged parts", "[mergeable][krippendorff]") {
  const Eigen::MatrixXd m = read_reference("krippendorff_canonical.csv");
  options o = with_categories({1, 2, 3, 4, 5});
  o.level = measurement_level::interval;
  // The reference file holds one unit per row.
  const result r = merged_over_blocks(m, statistic::krippendorff, o, {4, m.rows()}).finish();
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.849).margin(5e-4));
}

TEST_CASE("Cohen's kappa from merged parts of a planted table", "[mergeable][cohen]") {
  // Table [[20, 5], [10, 15]] of 50 units: po = 35/50 = 0.7; the margins
  // (25, 25) and (30, 20) give pe = (25*30 + 25*20)/2500 = 0.5, so kappa =
  // (0.7 - 0.5)/(1 - 0.5) = 0.4.
  Eigen::MatrixXd m(50, 2);
  Eigen::Index u = 0;
  auto put = [&](int count, double a, double b) {
    for (int i = 0; i < count; ++i, ++u) m.row(u) << a, b;
  };
  put(20, 1, 1);
  put(5, 1, 2);
  put(10, 2, 1);
  put(15, 2, 2);
  const mergeable_summary s = merged_over_blocks(m, statistic::cohen, with_categories({1, 2}), {13, 31, 50});
  const result r = s.finish();
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.4).margin(1e-12));
  CHECK(*r.observed == Approx(0.7).margin(1e-12));
  CHECK(*r.chance == Approx(0.5).margin(1e-12));

  SECTION("the record rebuilds the same summary") {
    const summary_record record = s.record();
    CHECK(record.table(0, 0) == 20);
    CHECK(record.table(1, 0) == 10);
    const mergeable_summary rebuilt =
        mergeable_summary::from_record(statistic::cohen, 2, with_categories({1, 2}), std::nullopt, record);
    CHECK(*rebuilt.finish().value == Approx(0.4).margin(1e-12));
    CHECK(rebuilt.units() == 50);
  }
}

TEST_CASE("A multi-rater record holds each unit pattern once with its count", "[mergeable][record]") {
  // Three raters, codes 1..2: the pattern "two 1s and one 2" twice, "three 2s" once.
  Eigen::MatrixXd m(3, 3);
  m << 1, 1, 2, 2, 2, 2, 1, 2, 1;
  mergeable_summary s(statistic::fleiss, 3, with_categories({1, 2}));
  s.add(m);
  const summary_record record = s.record();
  REQUIRE(record.patterns.size() == 2);
  double units = 0;
  for (const auto& [key, count] : record.patterns) {
    units += count;
    if (key == std::vector<std::int32_t>{0, 2, 1, 1}) CHECK(count == 2);
    if (key == std::vector<std::int32_t>{1, 3}) CHECK(count == 1);
  }
  CHECK(units == 3);
  const mergeable_summary rebuilt =
      mergeable_summary::from_record(statistic::fleiss, 3, with_categories({1, 2}), std::nullopt, record);
  CHECK(*rebuilt.finish().value == Approx(*s.finish().value).margin(1e-15));

  summary_record corrupt = record;
  corrupt.patterns.front().first.front() = 7;  // no category 7 among two
  CHECK_THROWS_AS(mergeable_summary::from_record(statistic::fleiss, 3, with_categories({1, 2}), std::nullopt, corrupt),
                  calibra::invalid_argument);
}

TEST_CASE("What a summary cannot do is refused", "[mergeable][errors]") {
  CHECK_THROWS_AS(mergeable_summary(statistic::conger, 3, with_categories({1, 2})), calibra::invalid_argument);
  CHECK_THROWS_AS(mergeable_summary(statistic::light, 3, with_categories({1, 2})), calibra::invalid_argument);
  options boot = with_categories({1, 2});
  boot.bootstrap = 10;
  CHECK_THROWS_AS(mergeable_summary(statistic::fleiss, 3, boot), calibra::invalid_argument);
  CHECK_THROWS_AS(mergeable_summary(statistic::fleiss, 3, options{}), calibra::invalid_argument);  // no categories
  CHECK_THROWS_AS(mergeable_summary(statistic::cohen, 3, with_categories({1, 2})), calibra::invalid_argument);
  mergeable_summary fleiss(statistic::fleiss, 3, with_categories({1, 2}));
  const mergeable_summary other_codes(statistic::fleiss, 3, with_categories({1, 2, 3}));
  CHECK_THROWS_AS(fleiss += other_codes, calibra::invalid_argument);
  CHECK_THROWS_AS(fleiss.add(Eigen::MatrixXd::Ones(2, 2)), calibra::invalid_argument);
}

TEST_CASE("scan_summary_shape finds the codes and their pairable frequencies", "[mergeable][scan]") {
  // Unit 1 has ratings 1 and 2, unit 2 a lone 2 (not pairable), unit 3 two 3s.
  Eigen::MatrixXd m(3, 2);
  m << 1, 2, 2, NA, 3, 3;
  const summary_shape shape = scan_summary_shape(m, statistic::krippendorff);
  CHECK(shape.codes == std::vector<double>{1, 2, 3});
  CHECK(shape.pairable == std::vector<double>{1, 1, 2});
  // ICC keeps complete units only and has no codes.
  const summary_shape icc = scan_summary_shape(m, statistic::icc);
  CHECK(icc.units == 2);
  CHECK(icc.codes.empty());
}
