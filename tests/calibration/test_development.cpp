// Development plans (include/calibra/calibration/development.hpp).
// Every expected item is worked out by hand in the comments.
#include <calibra/calibration/development.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include "../framework/small_framework.hpp"
#include "../support/hand_ratings.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace calibra;
using namespace calibra::calibration;

namespace {

using calibra_test::scores_of;

using calibra_test::find_ratee;
using calibra_test::one_rating_each;

const double no_score = std::numeric_limits<double>::quiet_NaN();

// small_framework() with an action catalogue: competency X has actions X1, X2, X3.
std::shared_ptr<const framework> plan_framework() {
  const framework base = testing::small_framework();
  auto comps = base.competencies();
  for (auto& c : comps) c.actions = {c.id + "1", c.id + "2", c.id + "3"};
  comps[3].actions.clear();  // se has no catalogue
  return std::make_shared<const framework>(base.metadata(), base.scale(), base.areas(), comps, base.ladder(),
                                           base.expectations());
}


}  // namespace

// Expectations (ti, te, si, se): mid 3 2 2 1, senior 3 3 3 2, lead 3 2 4 2.
// Scale: 1 Foundational, 2 Developing, 3 Proficient, 4 Advanced.
TEST_CASE("development: priorities, cap, targets, actions and quarters", "[development]") {
  const auto fw = plan_framework();
  const auto t = one_rating_each(fw, {{"amy", "mid"}, {"ben", "mid"}, {"sue", "senior"}, {"joe"}, {"zed"}});
  const auto scores = scores_of(t, {{"amy", {2.0, 2.0, 1.5, 1.0}},
                                    {"ben", {3.0, 2.0, 2.5, 1.5}},
                                    {"sue", {3, 3, 3, 2}},
                                    {"joe", {1, 1, 1, 1}},
                                    {"zed", {2, 2, 2, no_score}}});
  development_options options;
  options.career_goals = {{"ben", "lead"}, {"zed", "mid"}};
  const auto r = plan_development({t, *fw, scores}, options);
  REQUIRE(r.available);

  SECTION("amy: role requirements first, then the promotion gap to senior") {
    // Role (mid): ti 2 < 2.75 -> target 3, gap 1; si 1.5 < 1.75 -> target 2, gap 0.5.
    // Goal (senior): te rises 2->3, 2 < 2.75 -> gap 1; se rises 1->2, 1 < 1.75 -> gap 1.
    // Order: ti, si, then te, se (tie: framework order); cap 3 drops se.
    const auto& amy = find_ratee(r, t, "amy");
    CHECK(amy.goal_level == fw->ladder().index_of("senior"));
    CHECK_FALSE(amy.goal_chosen);
    CHECK(amy.candidates == 4);
    REQUIRE(amy.items.size() == 3);
    CHECK(amy.items[0].competency == 0);
    CHECK(amy.items[0].priority == plan_priority::role_requirement);
    CHECK(amy.items[0].target_level == 3);
    CHECK(amy.items[0].current_level == 2);
    CHECK(amy.items[0].shortfall == Approx(1.0));
    CHECK(amy.items[0].reason == "below the Mid expectation (Proficient)");
    CHECK(amy.items[0].actions == std::vector<std::string>{"ti1", "ti2"});
    CHECK(amy.items[0].quarters == 1);
    CHECK(amy.items[0].target_quarter == "2026Q4");
    CHECK(amy.items[1].competency == 2);
    CHECK(amy.items[1].shortfall == Approx(0.5));
    CHECK(amy.items[1].current_level == 2);  // 1.5 rounds half up
    CHECK(amy.items[2].competency == 1);
    CHECK(amy.items[2].priority == plan_priority::career_goal);
    CHECK(amy.items[2].target_level == 3);
    CHECK(amy.items[2].reason == "promotion gap to Senior: the expectation rises from Developing to Proficient");
    CHECK(amy.note.empty());
  }
  SECTION("ben: a chosen goal on the other branch") {
    // Lead raises si 2->4 (2.5 < 3.75, gap 1.5 -> 2 quarters -> 2027Q1) and se 1->2 (1.5 < 1.75, gap 0.5).
    const auto& ben = find_ratee(r, t, "ben");
    CHECK(ben.goal_chosen);
    CHECK(ben.goal_level == fw->ladder().index_of("lead"));
    REQUIRE(ben.items.size() == 2);
    CHECK(ben.items[0].competency == 2);
    CHECK(ben.items[0].target_level == 4);
    CHECK(ben.items[0].shortfall == Approx(1.5));
    CHECK(ben.items[0].quarters == 2);
    CHECK(ben.items[0].target_quarter == "2027Q1");
    CHECK(ben.items[0].reason == "career goal Lead: the expectation rises from Developing to Advanced");
    CHECK(ben.items[1].competency == 3);
    CHECK(ben.items[1].actions.empty());  // se has no catalogue
    CHECK(ben.items[1].target_quarter == "2026Q4");
  }
  SECTION("top of the track, no career level") {
    const auto& sue = find_ratee(r, t, "sue");
    CHECK(sue.items.empty());
    CHECK_FALSE(sue.goal_level);
    CHECK(sue.note.find("top of the track") != std::string::npos);
    const auto& joe = find_ratee(r, t, "joe");
    CHECK(joe.items.empty());
    CHECK(joe.note.find("no career level") != std::string::npos);
    // zed: no career level but a chosen goal, mid: ti 2 < 2.75 (gap 1); te, si meet; se unscored.
    const auto& zed = find_ratee(r, t, "zed");
    REQUIRE(zed.items.size() == 1);
    CHECK(zed.items[0].competency == 0);
    CHECK(zed.items[0].reason == "career goal Mid: the expectation rises to Proficient");
    CHECK(zed.unscored == 1);
  }
  SECTION("options: cap, pace and actions") {
    development_options o;
    o.max_items = 1;
    o.levels_per_quarter = 0.5;  // ti gap 1 -> 2 quarters
    o.actions_per_item = 0;       // all actions
    const auto plan = find_ratee(plan_development({t, *fw, scores}, o), t, "amy");
    REQUIRE(plan.items.size() == 1);
    CHECK(plan.candidates == 4);
    CHECK(plan.items[0].quarters == 2);
    CHECK(plan.items[0].target_quarter == "2027Q1");
    CHECK(plan.items[0].actions.size() == 3);
    o = {};
    // No tolerance: te 2 and se 1 still meet mid exactly, so the same four
    // candidates (ti, si role; te, se goal).
    o.tolerance = 0;
    CHECK(find_ratee(plan_development({t, *fw, scores}, o), t, "amy").candidates == 4);
  }
}

TEST_CASE("development: a period that is not a quarter has no target quarters", "[development]") {
  const auto fw = plan_framework();
  const auto t = one_rating_each(fw, {{"amy", "mid"}}, "2026-07-01");
  const auto r = plan_development({t, *fw, scores_of(t, {{"amy", {2.0, 2.0, 1.5, 1.0}}})});
  const auto& amy = r.ratees.at(0);
  REQUIRE_FALSE(amy.items.empty());
  CHECK_FALSE(amy.items[0].target_quarter);
  CHECK(amy.note.find("not a quarter") != std::string::npos);
}

TEST_CASE("development: quarter arithmetic", "[development]") {
  using calibration::detail::quarter_after;
  CHECK(quarter_after("2026Q3", 1) == "2026Q4");
  CHECK(quarter_after("2026Q4", 1) == "2027Q1");
  CHECK(quarter_after("2026Q1", 7) == "2027Q4");
  CHECK_FALSE(quarter_after("H1-2026", 1));
}

TEST_CASE("development: bad options", "[development]") {
  const auto fw = plan_framework();
  const auto t = one_rating_each(fw, {{"amy", "mid"}, {"sue", "senior"}});
  const auto scores = scores_of(t, {{"amy", {2, 2, 2, 1}}, {"sue", {3, 3, 3, 2}}});
  development_options o;
  o.max_items = 0;
  CHECK_THROWS_AS(plan_development({t, *fw, scores}, o), calibra::invalid_argument);
  o = {};
  o.levels_per_quarter = 0;
  CHECK_THROWS_AS(plan_development({t, *fw, scores}, o), calibra::invalid_argument);
  o = {};
  o.tolerance = 2;
  CHECK_THROWS_AS(plan_development({t, *fw, scores}, o), calibra::invalid_argument);
  o = {};
  o.career_goals = {{"nobody", "mid"}};
  CHECK_THROWS_WITH(plan_development({t, *fw, scores}, o), Catch::Contains("'nobody'"));
  o.career_goals = {{"amy", "cto"}};
  CHECK_THROWS_WITH(plan_development({t, *fw, scores}, o), Catch::Contains("'cto'"));
  o.career_goals = {{"sue", "lead"}};  // senior -> lead is a lateral move
  CHECK_THROWS_WITH(plan_development({t, *fw, scores}, o), Catch::Contains("cannot be reached"));
  o.career_goals = {{"amy", "mid"}};  // the current level: only role requirements
  CHECK_NOTHROW(plan_development({t, *fw, scores}, o));
}

// Planted truth: every simulated ratee gets a plan; role-requirement items
// go to competencies whose true proficiency is below the expectation more
// often than not.
TEST_CASE("development: planted proficiency on the simulated example data", "[development]") {
  const auto sim = simulate_ratings(builtin_framework(), example_simulation_config());
  const auto& t = sim.table;
  const auto& fw = t.framework();
  const auto last = static_cast<std::uint32_t>(t.periods().size() - 1);
  const auto r = plan_development({t, observed_scores(t, ratings_filter{std::nullopt, last, {}, {}})});
  REQUIRE(r.ratees.size() == 40);
  std::size_t role_items = 0, truly_below = 0;
  for (const auto& plan : r.ratees) {
    CHECK(plan.items.size() <= 3);
    const auto k = static_cast<std::size_t>(std::find(sim.truth.ratees.begin(), sim.truth.ratees.end(),
                                                      t.ratees()[plan.ratee]) - sim.truth.ratees.begin());
    for (const auto& item : plan.items) {
      // One quarter per started level of gap after 2026Q4.
      CHECK(item.quarters == std::max(1, static_cast<int>(std::ceil(item.shortfall - 1e-9))));
      CHECK(item.target_quarter == calibration::detail::quarter_after("2026Q4", item.quarters));
      CHECK_FALSE(item.actions.empty());
      if (item.priority != plan_priority::role_requirement) continue;
      ++role_items;
      // True proficiency in the last period: first period plus growth.
      const double truth =
          sim.truth.proficiency(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(item.competency)) +
          example_simulation_config().growth_per_period * last;
      truly_below += truth < fw.expectations()(static_cast<Eigen::Index>(sim.truth.ratee_career_level[k]),
                                               static_cast<Eigen::Index>(item.competency));
    }
  }
  INFO(truly_below << " of " << role_items << " role items truly below");
  CHECK(role_items > 10);
  CHECK(truly_below * 10 >= role_items * 7);
}
