// Verbal bands at and around their edges: Landis & Koch (1977, Biometrics
// 33:159-174, p. 165) and Altman (1991, Practical Statistics for Medical
// Research, Table 14.8).
#include <calibra/agreement/interpretation.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using calibra::agreement::altman_label;
using calibra::agreement::interpret;
using calibra::agreement::interpretation_scale;
using calibra::agreement::landis_koch_label;

namespace {
struct labelled {
  double value;
  std::string landis_koch;
  std::string altman;
};
}  // namespace

TEST_CASE("Landis & Koch and Altman labels at the band edges", "[interpretation]") {
  const std::vector<labelled> table{
      {-1.0, "poor", "poor"},
      {-0.01, "poor", "poor"},
      {0.0, "slight", "poor"},
      {0.10, "slight", "poor"},
      {0.20, "slight", "poor"},
      {0.2001, "fair", "fair"},
      {0.21, "fair", "fair"},
      {0.40, "fair", "fair"},
      {0.41, "moderate", "moderate"},
      {0.60, "moderate", "moderate"},
      {0.61, "substantial", "good"},
      {0.80, "substantial", "good"},
      {0.81, "almost perfect", "very good"},
      {1.0, "almost perfect", "very good"},
  };
  for (const auto& row : table) {
    INFO("value " << row.value);
    REQUIRE(landis_koch_label(row.value));
    CHECK(std::string(*landis_koch_label(row.value)) == row.landis_koch);
    REQUIRE(altman_label(row.value));
    CHECK(std::string(*altman_label(row.value)) == row.altman);
    CHECK(*interpret(row.value) == *landis_koch_label(row.value));
    CHECK(*interpret(row.value, interpretation_scale::altman) == *altman_label(row.value));
  }
}

TEST_CASE("labels tolerate rounding at an edge", "[interpretation]") {
  // 0.1 + 0.2 + 0.3 is 0.6000000000000001 in binary floating point.
  CHECK(std::string(*landis_koch_label(0.1 + 0.2 + 0.3)) == "moderate");
  CHECK(std::string(*altman_label(0.1 + 0.2 + 0.3)) == "moderate");
  CHECK(std::string(*landis_koch_label(-1e-15)) == "slight");
  CHECK(std::string(*landis_koch_label(1.0 + 1e-12)) == "almost perfect");
}

TEST_CASE("no label for NaN, above 1, or a result without a value", "[interpretation]") {
  CHECK_FALSE(landis_koch_label(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(altman_label(1.01));
  CHECK_FALSE(landis_koch_label(std::numeric_limits<double>::infinity()));
  CHECK(std::string(*landis_koch_label(-std::numeric_limits<double>::infinity())) == "poor");
  calibra::agreement::result r;
  r.reason = "zero variance";
  CHECK_FALSE(interpret(r));
  r.value = 0.43;
  r.stat = calibra::agreement::statistic::fleiss;
  REQUIRE(interpret(r));
  CHECK(interpret(r)->label == "moderate");
  CHECK(interpret(r)->scale == interpretation_scale::landis_koch);
}

TEST_CASE("labels fit the statistic: none for raw rates, Koo & Li for ICC", "[interpretation]") {
  calibra::agreement::result r;
  r.value = 0.70;
  for (auto raw : {calibra::agreement::statistic::percent, calibra::agreement::statistic::unanimous,
                   calibra::agreement::statistic::within}) {
    r.stat = raw;
    CHECK_FALSE(interpret(r));
  }
  r.stat = calibra::agreement::statistic::icc;
  REQUIRE(interpret(r));
  CHECK(interpret(r)->scale == interpretation_scale::koo_li);
  // Koo & Li (2016): <0.5 poor, 0.5-0.75 moderate, 0.75-0.9 good, >0.9 excellent.
  CHECK(interpret(r)->label == "moderate");
  CHECK(*calibra::agreement::koo_li_label(0.4999) == "poor");
  CHECK(*calibra::agreement::koo_li_label(0.5) == "moderate");
  CHECK(*calibra::agreement::koo_li_label(0.75) == "good");
  CHECK(*calibra::agreement::koo_li_label(0.9) == "good");
  CHECK(*calibra::agreement::koo_li_label(0.91) == "excellent");
  r.stat = calibra::agreement::statistic::cohen;
  CHECK(interpret(r, interpretation_scale::altman)->label == "good");
}

TEST_CASE("Krippendorff's alpha gets Krippendorff's own thresholds", "[interpretation][krippendorff]") {
  // Krippendorff (2004), Content Analysis, 2nd ed., p. 241: rely on
  // alpha >= .800; consider .667 <= alpha < .800 only for tentative
  // conclusions.
  using calibra::agreement::krippendorff_label;
  CHECK(*krippendorff_label(1.0) == "reliable");
  CHECK(*krippendorff_label(0.800) == "reliable");
  CHECK(*krippendorff_label(0.8 - 1e-12) == "reliable");  // rounding at the edge
  CHECK(*krippendorff_label(0.7999) == "tentative");
  CHECK(*krippendorff_label(0.667) == "tentative");
  CHECK(*krippendorff_label(0.6669) == "unreliable");
  CHECK(*krippendorff_label(-0.2) == "unreliable");
  CHECK_FALSE(krippendorff_label(std::numeric_limits<double>::quiet_NaN()));
  CHECK_FALSE(krippendorff_label(1.01));

  // The alpha of 0.451 read "moderate (Landis & Koch)"; it is unreliable.
  calibra::agreement::result r;
  r.stat = calibra::agreement::statistic::krippendorff;
  r.value = 0.451;
  REQUIRE(interpret(r));
  CHECK(interpret(r)->label == "unreliable");
  CHECK(interpret(r)->scale == interpretation_scale::krippendorff);
  CHECK(calibra::agreement::to_string(interpretation_scale::krippendorff) == "Krippendorff (2004)");
  // The scale does not depend on the kappa scale asked for.
  CHECK(interpret(r, interpretation_scale::altman)->scale == interpretation_scale::krippendorff);
}
