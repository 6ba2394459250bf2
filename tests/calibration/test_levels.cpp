// Level inference, matrix validation and promotion separation
// (include/calibra/calibration/levels.hpp).
//
// Expected numbers are worked out by hand in the comments, or come from
// peers run by scripts/oracle_levels.py (scipy, scikit-learn, R metafor and
// pROC); none come from calibra's own output.
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include "../framework/small_framework.hpp"

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

const double no_score = std::numeric_limits<double>::quiet_NaN();

struct person {
  std::string name;
  std::optional<std::string> career_level;
  std::optional<promotion_outcome> outcome;
};

// One manager rating per ratee (enough for career levels and outcomes); the
// scores the analyses read are built by hand below.
ratings_table table_of(const std::shared_ptr<const framework>& fw, const std::vector<person>& people,
                       const std::string& period = "2026Q3") {
  ratings_builder builder(fw);
  for (const person& p : people) {
    rating r;
    r.ratee = p.name;
    r.rater = "boss";
    r.role = rater_role::manager;
    r.competency = 0;
    r.level = 2;
    r.period = period;
    if (p.career_level) r.career_level = fw->ladder().index_of(*p.career_level);
    r.outcome = p.outcome;
    builder.add(r);
  }
  return builder.finish();
}

competency_scores scores_of(const ratings_table& table, const std::map<std::string, std::vector<double>>& rows) {
  competency_scores s;
  std::map<std::uint32_t, const std::vector<double>*> by_id;
  for (const auto& [name, values] : rows) by_id[*table.ratees().find(name)] = &values;
  const auto cols = static_cast<Eigen::Index>(table.n_competencies());
  s.value.resize(static_cast<Eigen::Index>(by_id.size()), cols);
  s.se = Eigen::MatrixXd::Constant(s.value.rows(), cols, no_score);
  s.n = Eigen::MatrixXi::Constant(s.value.rows(), cols, 1);
  Eigen::Index i = 0;
  for (const auto& [id, values] : by_id) {
    s.ratees.push_back(id);
    for (Eigen::Index c = 0; c < cols; ++c) s.value(i, c) = (*values)[static_cast<std::size_t>(c)];
    ++i;
  }
  s.method = "hand-built";
  return s;
}

const ratee_level& find(const level_inference& r, const ratings_table& t, const std::string& name) {
  const auto id = *t.ratees().find(name);
  for (const auto& x : r.ratees)
    if (x.ratee == id) return x;
  FAIL("no result for " << name);
  throw;
}

std::size_t level(const framework& fw, const std::string& id) { return *fw.ladder().index_of(id); }

}  // namespace

// small_framework() expectations (competencies ti, te, si, se):
//   junior  2 2 1 1
//   mid     3 2 2 1
//   senior  3 3 3 2
//   lead    3 2 4 2   (manager track, from mid)
TEST_CASE("levels: inferred level, shortfalls and best fit, worked by hand", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = table_of(fw, {{"amy", "mid", {}}, {"ben", "junior", {}}, {"cat", "senior", {}}, {"dan", "lead", {}}});
  const auto scores = scores_of(t, {{"amy", {3.0, 2.9, 2.0, 1.5}},
                                    {"ben", {3.0, 3.0, 3.0, 2.0}},
                                    {"cat", {1.5, 1.5, 1.0, 1.0}},
                                    {"dan", {3.0, 2.0, 4.0, 2.0}}});
  level_options options;
  options.privacy.min_group = 1;
  const auto r = infer_levels(t, *fw, scores, options);
  REQUIRE(r.available);
  REQUIRE(r.ratees.size() == 4);

  SECTION("amy: meets junior and mid, short of senior on si and se") {
    // Tolerance 0.25: meets when score >= expectation - 0.25.
    // senior: ti 3 >= 2.75, te 2.9 >= 2.75, si 2.0 < 2.75 (short 1.0), se 1.5 < 1.75 (short 0.5).
    const auto& amy = find(r, t, "amy");
    CHECK(amy.walk == std::vector<std::size_t>{level(*fw, "junior"), level(*fw, "mid"), level(*fw, "senior")});
    CHECK(amy.inferred_level == level(*fw, "mid"));
    CHECK(amy.next_level == level(*fw, "senior"));
    REQUIRE(amy.shortfalls.size() == 2);
    CHECK(amy.shortfalls[0].competency == 2);
    CHECK(amy.shortfalls[0].expected == 3);
    CHECK(amy.shortfalls[0].shortfall == Approx(1.0));
    CHECK(amy.shortfalls[1].competency == 3);
    CHECK(amy.shortfalls[1].shortfall == Approx(0.5));
    // Squared distances: junior 1+0.81+1+0.25 = 3.06, mid 0+0.81+0+0.25 = 1.06,
    // senior 0+0.01+1+0.25 = 1.26, lead 0+0.81+4+0.25 = 5.06 -> mid, sqrt(1.06/4).
    CHECK(amy.best_fit_level == level(*fw, "mid"));
    CHECK(amy.best_fit_distance == Approx(std::sqrt(1.06 / 4)));
    CHECK(amy.inferred_vs_actual == 0);
    // Readiness index against senior: mean(0, -0.1, -1, -0.5) = -0.4.
    CHECK(amy.promotion_target == level(*fw, "senior"));
    CHECK(amy.readiness_index == Approx(-0.4));
    CHECK(amy.scored == 4);
  }
  SECTION("ben: a junior who meets the top of the IC track") {
    const auto& ben = find(r, t, "ben");
    CHECK(ben.inferred_level == level(*fw, "senior"));
    CHECK_FALSE(ben.next_level);
    CHECK(ben.shortfalls.empty());
    CHECK(ben.best_fit_level == level(*fw, "senior"));
    CHECK(ben.best_fit_distance == Approx(0.0));
    CHECK(ben.inferred_vs_actual == 1);
    // Against mid: mean(0, 1, 1, 1) = 0.75.
    CHECK(ben.readiness_index == Approx(0.75));
  }
  SECTION("cat: below the bottom of the ladder") {
    // junior: ti 1.5 < 1.75, te 1.5 < 1.75 -> nothing met; best fit junior,
    // squared distance 0.25+0.25+0+0 = 0.5.
    const auto& cat = find(r, t, "cat");
    CHECK_FALSE(cat.inferred_level);
    CHECK(cat.next_level == level(*fw, "junior"));
    REQUIRE(cat.shortfalls.size() == 2);
    CHECK(cat.shortfalls[0].shortfall == Approx(0.5));
    CHECK(cat.best_fit_level == level(*fw, "junior"));
    CHECK(cat.best_fit_distance == Approx(std::sqrt(0.5 / 4)));
    CHECK(cat.inferred_vs_actual == -1);
    CHECK_FALSE(cat.promotion_target);  // senior is the top of the IC track
    CHECK(std::isnan(cat.readiness_index));
  }
  SECTION("dan: the manager track walks junior, mid, lead") {
    const auto& dan = find(r, t, "dan");
    CHECK(dan.walk == std::vector<std::size_t>{level(*fw, "junior"), level(*fw, "mid"), level(*fw, "lead")});
    CHECK(dan.inferred_level == level(*fw, "lead"));
    CHECK(dan.best_fit_level == level(*fw, "lead"));
    CHECK(dan.inferred_vs_actual == 0);
  }
}

TEST_CASE("levels: unscored competencies are left out or count as unmet", "[levels]") {
  const auto fw = std::make_shared<const framework>(testing::small_framework());
  const auto t = table_of(fw, {{"eve", {}, {}}});
  const auto scores = scores_of(t, {{"eve", {2.0, no_score, no_score, no_score}}});
  SECTION("left out (default): judged on ti alone") {
    // junior: 2 >= 1.75 met; mid: 2 < 2.75 -> unmet, shortfall 3 - 2 = 1.
    const auto r = infer_levels(t, *fw, scores);
    const auto& eve = r.ratees.at(0);
    CHECK_FALSE(eve.career_level);
    CHECK(eve.walk.size() == 3);  // no career level: the IC chain
    CHECK(eve.inferred_level == level(*fw, "junior"));
    REQUIRE(eve.shortfalls.size() == 1);
    CHECK(eve.shortfalls[0].shortfall == Approx(1.0));
    CHECK(eve.scored == 1);
    CHECK_FALSE(eve.inferred_vs_actual);
    // Best fit on ti alone: junior |2-2| = 0.
    CHECK(eve.best_fit_level == level(*fw, "junior"));
    CHECK(eve.best_fit_distance == Approx(0.0));
  }
  SECTION("counted as unmet") {
    level_options options;
    options.unscored_counts_as_unmet = true;
    const auto r = infer_levels(t, *fw, scores, options);
    const auto& eve = r.ratees.at(0);
    CHECK_FALSE(eve.inferred_level);
    CHECK(eve.next_level == level(*fw, "junior"));
    REQUIRE(eve.shortfalls.size() == 3);  // te, si, se unscored
    CHECK(std::isnan(eve.shortfalls[0].score));
  }
  SECTION("no career level anywhere: matrix validation unavailable") {
    const auto r = infer_levels(t, *fw, scores);
    CHECK_FALSE(r.validation.available);
    CHECK(r.validation.reason.find("career level") != std::string::npos);
    CHECK_FALSE(r.separation.available);
    CHECK(r.separation.reason.find("outcome") != std::string::npos);
  }
}
