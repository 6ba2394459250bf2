// From long-form ratings to the units x raters matrix: shape, labels, NaN
// pattern and filters on a hand-built table, and the hand-off to agree().
#include <calibra/agreement/agree.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace calibra::calibration;

namespace {

/// Ratings (product-delivery unless said otherwise, 2026Q1 unless said otherwise):
///   ana: mo 3, jo 3, ana (self) 4;  product-quality: mo 5;  2026Q2: mo 2
///   ben: mo 2, jo 4
///   cy:  jo 1
ratings_table hand_built() {
  return calibra_test::table_from_text({
      {"ana", "mo", "manager", "product-delivery", 3, "2026Q1"},
      {"ben", "mo", "manager", "product-delivery", 2, "2026Q1"},
      {"ben", "jo", "panel", "product-delivery", 4, "2026Q1"},
      {"cy", "jo", "panel", "product-delivery", 1, "2026Q1"},
      {"ana", "ana", "self", "product-delivery", 4, "2026Q1"},
      {"ana", "mo", "manager", "product-quality", 5, "2026Q1"},
      {"ana", "mo", "manager", "product-delivery", 2, "2026Q2"},
      {"ana", "jo", "panel", "product-delivery", 3, "2026Q1"},
  });
}

bool missing(double x) { return std::isnan(x); }

}  // namespace

TEST_CASE("wide matrix: one competency and period gives ratees x raters", "[wide_matrix]") {
  const ratings_table t = hand_built();
  ratings_filter f;
  f.competency = t.framework().competency_index("product-delivery");
  f.period = t.periods().find("2026Q1");
  const unit_rater_matrix m = wide_matrix(t, f);

  REQUIRE(m.ratings.rows() == 3);
  REQUIRE(m.ratings.cols() == 3);
  CHECK(m.units == std::vector<std::string>{"ana", "ben", "cy"});
  CHECK(m.raters == std::vector<std::string>{"mo", "jo", "ana"});  // by rater id: order of first appearance
  CHECK(m.rater_ids == std::vector<std::uint32_t>{0, 1, 2});
  CHECK(m.unit_keys[1].ratee == *t.ratees().find("ben"));
  CHECK(m.unit_keys[1].competency == *f.competency);
  // ana
  CHECK(m.ratings(0, 0) == 3);
  CHECK(m.ratings(0, 1) == 3);
  CHECK(m.ratings(0, 2) == 4);
  // ben
  CHECK(m.ratings(1, 0) == 2);
  CHECK(m.ratings(1, 1) == 4);
  CHECK(missing(m.ratings(1, 2)));
  // cy
  CHECK(missing(m.ratings(2, 0)));
  CHECK(m.ratings(2, 1) == 1);
  CHECK(missing(m.ratings(2, 2)));
}

TEST_CASE("wide matrix: role filter drops self ratings; the matrix feeds agree()", "[wide_matrix]") {
  const ratings_table t = hand_built();
  ratings_filter f;
  f.competency = t.framework().competency_index("product-delivery");
  f.period = t.periods().find("2026Q1");
  f.roles = {rater_role::manager, rater_role::panel};
  const unit_rater_matrix m = wide_matrix(t, f);
  CHECK(m.raters == std::vector<std::string>{"mo", "jo"});
  REQUIRE(m.ratings.rows() == 3);
  // Hand count: ana's pair agrees (3, 3), ben's disagrees (2, 4), cy has a
  // single rating and cannot form a pair: 1 of 2 pairs agree.
  const auto r = calibra::agreement::agree(m.ratings, calibra::agreement::statistic::percent);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.5));
}

TEST_CASE("wide matrix: open competency or period makes them part of the unit", "[wide_matrix]") {
  const ratings_table t = hand_built();
  ratings_filter by_competency;
  by_competency.competency = t.framework().competency_index("product-delivery");
  const unit_rater_matrix per_period = wide_matrix(t, by_competency);
  CHECK(per_period.units == std::vector<std::string>{"ana/2026Q1", "ana/2026Q2", "ben/2026Q1", "cy/2026Q1"});
  REQUIRE(per_period.ratings.cols() == 3);
  CHECK(per_period.ratings(1, 0) == 2);  // mo on ana in 2026Q2
  CHECK(missing(per_period.ratings(1, 1)));
  CHECK(missing(per_period.ratings(1, 2)));

  const unit_rater_matrix all = wide_matrix(t);
  CHECK(all.units == std::vector<std::string>{"ana/product-delivery/2026Q1", "ana/product-delivery/2026Q2",
                                              "ana/product-quality/2026Q1", "ben/product-delivery/2026Q1",
                                              "cy/product-delivery/2026Q1"});
  CHECK(all.ratings.rows() == 5);
  CHECK(all.ratings.cols() == 3);
  // Every rating lands in exactly one cell.
  CHECK((all.ratings.array() == all.ratings.array()).count() == static_cast<Eigen::Index>(t.size()));
  CHECK(all.ratings(2, 0) == 5);

  ratings_filter only_jo;
  only_jo.raters = {*t.raters().find("jo")};
  const unit_rater_matrix jo = wide_matrix(t, only_jo);
  CHECK(jo.raters == std::vector<std::string>{"jo"});
  CHECK(jo.ratings.rows() == 3);
  CHECK(select_rows(t, only_jo) == std::vector<std::size_t>{2, 3, 7});
}

TEST_CASE("wide matrix: a filter that keeps nothing is an invalid argument", "[wide_matrix][errors]") {
  const ratings_table t = hand_built();
  ratings_filter f;
  f.competency = t.framework().competency_index("managing-up");
  try {
    wide_matrix(t, f);
    FAIL("expected invalid_argument");
  } catch (const calibra::invalid_argument& e) {
    CHECK(e.id() == "invalid_argument.ratings");
    CHECK_THAT(e.what(), Catch::Contains("keeps no ratings"));
  }
}
