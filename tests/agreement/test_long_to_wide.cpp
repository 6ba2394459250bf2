// long_to_wide (long_to_wide.hpp) on planted long ratings whose wide
// matrix is written out by hand, then on the long form of Fleiss (1971),
// whose kappa is published (.430).
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/long_to_wide.hpp>

#include <calibra/error.hpp>

#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace calibra::agreement;
using calibra_test::read_reference;

namespace {

// Rows: (ratee, competency, rater, level).  Ratees a=0, b=1; competencies
// x=0, y=1; raters r0=0, r1=1.  Units by first appearance: (a,x), (b,x), (a,y).
const std::vector<std::int64_t> ratee{0, 0, 1, 0, 1};
const std::vector<std::int64_t> competency{0, 0, 0, 1, 0};
const std::vector<std::int64_t> rater{0, 1, 0, 1, 1};
const std::vector<double> level{3, 4, 2, 5, 2};

void check_planted(const long_to_wide_result& wide) {
  CHECK_FALSE(wide.duplicate);
  REQUIRE(wide.ratings.rows() == 3);
  REQUIRE(wide.ratings.cols() == 2);
  CHECK(wide.ratings(0, 0) == 3);
  CHECK(wide.ratings(0, 1) == 4);
  CHECK(wide.ratings(1, 0) == 2);
  CHECK(wide.ratings(1, 1) == 2);
  CHECK(std::isnan(wide.ratings(2, 0)));
  CHECK(wide.ratings(2, 1) == 5);
  CHECK(wide.unit_rows == std::vector<std::int64_t>{0, 2, 3});
}

}  // namespace

TEST_CASE("long_to_wide numbers units by first appearance", "[long_to_wide]") {
  check_planted(long_to_wide({{ratee.data(), 2}, {competency.data(), 2}}, {rater.data(), 2}, level.data(), level.size()));
}

TEST_CASE("long_to_wide gives the same matrix for keys of any cardinality", "[long_to_wide]") {
  // Cardinalities far above the rows take the hashed path instead of the direct table.
  check_planted(long_to_wide({{ratee.data(), 1000000}, {competency.data(), 1000000}}, {rater.data(), 2}, level.data(),
                             level.size()));
}

TEST_CASE("long_to_wide reports the first repeated (unit, rater) pair", "[long_to_wide]") {
  std::vector<std::int64_t> ratee2 = ratee, competency2 = competency, rater2 = rater;
  std::vector<double> level2 = level;
  ratee2.push_back(0);  // (a, x) by r1 again: row 1 rated it first
  competency2.push_back(0);
  rater2.push_back(1);
  level2.push_back(1);
  const auto wide = long_to_wide({{ratee2.data(), 2}, {competency2.data(), 2}}, {rater2.data(), 2}, level2.data(),
                                 level2.size());
  REQUIRE(wide.duplicate);
  CHECK(wide.duplicate->first == 1);
  CHECK(wide.duplicate->second == 5);
}

TEST_CASE("long_to_wide refuses codes outside their column and a missing key", "[long_to_wide]") {
  const std::vector<std::int64_t> bad{0, 0, 2, 0, 1};
  CHECK_THROWS_AS(long_to_wide({{bad.data(), 2}}, {rater.data(), 2}, level.data(), level.size()),
                  calibra::invalid_argument);
  CHECK_THROWS_AS(long_to_wide({{ratee.data(), 2}}, {bad.data(), 2}, level.data(), level.size()),
                  calibra::invalid_argument);
  CHECK_THROWS_AS(long_to_wide({}, {rater.data(), 2}, level.data(), level.size()), calibra::invalid_argument);
}

TEST_CASE("The long form of Fleiss (1971) pivots back to kappa .430", "[long_to_wide][fleiss]") {
  const Eigen::MatrixXd m = read_reference("fleiss1971_diagnoses.csv");
  // Long rows, raters in reverse order and units interleaved, so the pivot
  // has to place every rating itself.
  std::vector<std::int64_t> unit, who;
  std::vector<double> levels;
  for (Eigen::Index j = m.cols() - 1; j >= 0; --j)
    for (Eigen::Index u = 0; u < m.rows(); ++u) {
      unit.push_back(u);
      who.push_back(m.cols() - 1 - j);
      levels.push_back(m(u, j));
    }
  const auto wide = long_to_wide({{unit.data(), static_cast<std::size_t>(m.rows())}},
                                 {who.data(), static_cast<std::size_t>(m.cols())}, levels.data(), levels.size());
  REQUIRE(wide.ratings.rows() == m.rows());
  const result r = agree(wide.ratings, statistic::fleiss);
  REQUIRE(r.value);
  CHECK(*r.value == Approx(0.430).margin(5e-4));
}
