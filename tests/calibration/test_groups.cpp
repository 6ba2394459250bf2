// Group comparison by an attribute column (calibration/groups.hpp), on
// planted groups whose means and spreads are known exactly; the interval's
// t quantile t(0.975, 6) = 2.446912 is the textbook value.
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/groups.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>

#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace calibra::calibration;
using calibra_test::builtin;

namespace {

/// A manager rating of level 3 in 2026Q1.
rating_text text(std::string_view ratee, std::string_view competency) {
  rating_text r;
  r.ratee = ratee;
  r.rater = "mgr1";
  r.role = "manager";
  r.competency = competency;
  r.level = "3";
  r.period = "2026Q1";
  return r;
}

/// One manager rating per ratee on one competency, with a team.
ratings_table teams(const std::vector<std::pair<std::string, std::pair<std::string, std::string>>>& people) {
  ratings_builder b(builtin(), "teams");
  b.attribute_column("team");
  std::size_t row = 2;
  for (const auto& [ratee, team_level] : people) {
    rating_text r;
    r.ratee = ratee;
    r.rater = "mgr1";
    r.role = "manager";
    r.competency = "product-delivery";
    r.level = team_level.second;
    r.period = "2026Q1";
    r.attributes = {team_level.first};
    b.add_text(r, row++);
  }
  return b.finish();
}

}  // namespace

TEST_CASE("groups: mean score per group and the Welch interval of its difference from the rest", "[groups]") {
  const ratings_table t = teams({{"a1", {"alpha", "4"}}, {"a2", {"alpha", "4"}}, {"a3", {"alpha", "3"}},
                                 {"a4", {"alpha", "3"}}, {"b1", {"beta", "2"}}, {"b2", {"beta", "2"}},
                                 {"b3", {"beta", "1"}}, {"b4", {"beta", "1"}}});
  calibration_context context(t);
  const group_comparison g = compare_groups(context, "team");
  REQUIRE(g.available);
  REQUIRE(g.groups.size() == 2);
  const group_result& alpha = g.groups[0];
  CHECK(alpha.value == "alpha");
  CHECK(alpha.ratees == 4);
  CHECK(alpha.mean_score == Approx(3.5));
  CHECK(alpha.difference == Approx(2.0));
  // se = sqrt(1/12 + 1/12), Welch df = 6.
  CHECK(alpha.lower == Approx(2.0 - 2.446912 * 0.4082483).epsilon(1e-6));
  CHECK(alpha.upper == Approx(2.0 + 2.446912 * 0.4082483).epsilon(1e-6));
  CHECK(g.groups[1].difference == Approx(-2.0));
  CHECK_FALSE(alpha.suppressed);
}

TEST_CASE("groups: small groups are suppressed, ratees without a value or with two are counted apart", "[groups]") {
  ratings_builder b(builtin(), "teams");
  b.attribute_column("team");
  const std::vector<std::pair<std::string, std::string>> rows{
      {"a1", "alpha"}, {"a2", "alpha"}, {"a3", "alpha"}, {"a4", "alpha"}, {"c1", "gamma"}, {"n1", ""}};
  std::size_t row = 2;
  for (const auto& [ratee, team] : rows) {
    rating_text r = text(ratee, "product-delivery");
    r.attributes = {team};
    b.add_text(r, row++);
  }
  rating_text split = text("s1", "product-delivery");
  split.attributes = {"alpha"};
  b.add_text(split, row++);
  split.competency = "managing-up";
  split.attributes = {"gamma"};
  b.add_text(split, row++);
  const ratings_table t = b.finish();
  const group_comparison g = compare_groups(calibration_context(t), "team");
  REQUIRE(g.groups.size() == 2);
  CHECK(g.groups[0].ratees == 4);
  CHECK(g.groups[0].suppressed);  // the rest (gamma) has 1 ratee
  CHECK(g.groups[1].ratees == 1);
  CHECK(g.groups[1].suppressed);
  CHECK(g.ratees_without_value == 1);
  CHECK(g.ratees_with_two_values == 1);
}

TEST_CASE("groups: an unknown column is an error naming it; calibrate records the comparison", "[groups]") {
  const ratings_table t = teams({{"a1", {"alpha", "4"}}, {"b1", {"beta", "2"}}});
  CHECK_THROWS_WITH(compare_groups(calibration_context(t), "tema"),
                    Catch::Contains("group by 'tema': the ratings have no such column; their extra columns are "
                                    "'team'"));
  calibrate_options options;
  options.group_by = "team";
  const calibration_report report = calibrate(calibration_context(t), options);
  REQUIRE(report.groups);
  CHECK(report.groups->groups.size() == 2);
  REQUIRE(report.status("groups"));
  CHECK(report.status("groups")->available);
}
