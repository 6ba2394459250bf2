// Patterns: area and quadrant profiles, archetype matches, team heatmap,
// strengths and gaps (include/calibra/calibration/patterns.hpp).
//
// Expected numbers are worked out by hand in the comments; the archetype
// correlations were also checked with numpy.corrcoef.
#include <calibra/calibration/patterns.hpp>
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

const double no_score = std::numeric_limits<double>::quiet_NaN();

// small_framework() with two areas and three archetypes:
//   areas: exec = {ti, te}, strat = {si, se}
//   builder:   strong ti, growth se          -> ( 1, 0, 0, -1)
//   visionary: strong si, se, growth ti      -> (-1, 0, 1,  1)
//   blank:     no competencies               -> ( 0, 0, 0,  0)
std::shared_ptr<const framework> pattern_framework() {
  const framework base = testing::small_framework();
  auto comps = base.competencies();
  comps[0].area = "exec";
  comps[1].area = "exec";
  comps[2].area = "strat";
  comps[3].area = "strat";
  std::vector<area> areas{{"exec", "Execution", ""}, {"strat", "Strategy", ""}};
  std::vector<archetype> archetypes{{"builder", "Builder", "", {"ti"}, {"se"}},
                                    {"visionary", "Visionary", "", {"si", "se"}, {"ti"}},
                                    {"blank", "Blank", "", {}, {}}};
  return std::make_shared<const framework>(base.metadata(), base.scale(), areas, comps, base.ladder(),
                                           base.expectations(), archetypes);
}

struct person {
  std::string name, career_level, manager;
};

ratings_table table_of(const std::shared_ptr<const framework>& fw, const std::vector<person>& people) {
  ratings_builder builder(fw);
  for (const person& p : people) {
    rating r;
    r.ratee = p.name;
    r.rater = p.manager;
    r.role = rater_role::manager;
    r.competency = 0;
    r.level = 2;
    r.period = "2026Q3";
    if (!p.career_level.empty()) r.career_level = fw->ladder().index_of(p.career_level);
    builder.add(r);
    const std::string peer = "peer-" + p.name;  // a peer: not a manager, so no team of its own
    r.rater = peer;
    r.role = rater_role::peer;
    builder.add(r);
  }
  return builder.finish();
}


}  // namespace

TEST_CASE("patterns: area and quadrant profiles and archetype matches, by hand", "[patterns]") {
  const auto fw = pattern_framework();
  const auto t = table_of(fw, {{"amy", "mid", "boss"}, {"joe", "", "boss"}, {"flat", "mid", "boss"}});
  // mid expects (3, 2, 2, 1): amy's gaps are (1, 0.5, 0, -0.5).
  const auto scores = scores_of(t, {{"amy", {4, 2.5, 2, 0.5}}, {"joe", {4, 2.5, 2, 0.5}}, {"flat", {4, 3, 3, 2}}});
  const auto r = analyse_patterns({t, *fw, scores});
  REQUIRE(r.available);
  REQUIRE(r.ratees.size() == 3);
  const auto& amy = r.ratees[0];

  SECTION("profiles") {
    REQUIRE(amy.areas.size() == 2);
    CHECK(amy.areas[0].mean_score == Approx(3.25));  // (4 + 2.5) / 2
    CHECK(amy.areas[0].mean_expectation_gap == Approx(0.75));    // (1 + 0.5) / 2
    CHECK(amy.areas[1].mean_score == Approx(1.25));  // (2 + 0.5) / 2
    CHECK(amy.areas[1].mean_expectation_gap == Approx(-0.25));   // (0 - 0.5) / 2
    CHECK(amy.areas[1].scored == 2);
    // One competency per quadrant: ti, te, si, se.
    CHECK(amy.quadrants[0].mean_score == Approx(4));
    CHECK(amy.quadrants[3].mean_expectation_gap == Approx(-0.5));
  }
  SECTION("archetypes: correlation of the gap profile with the pattern vectors") {
    CHECK(amy.relative_to_expectation);
    // gaps centred: (0.75, 0.25, -0.25, -0.75); builder (1, 0, 0, -1):
    // r = 1.5 / sqrt(1.25 * 2) = 0.948683.
    CHECK(amy.archetype_similarity[0] == Approx(0.9486832980505139));
    // visionary centred (-1.25, -0.25, 0.75, 0.75): r = -1.75 / sqrt(1.25 * 2.75) = -0.943880.
    CHECK(amy.archetype_similarity[1] == Approx(-0.9438798074485388));
    CHECK(std::isnan(amy.archetype_similarity[2]));  // blank: constant vector
    CHECK(amy.best_archetype == 0u);
    CHECK(amy.best_similarity == Approx(0.9486832980505139));
    CHECK(amy.runner_up == 1u);
    CHECK(amy.runner_up_similarity == Approx(-0.9438798074485388));
    CHECK(amy.clear_match);
  }
  SECTION("no career level: raw scores, gaps NaN") {
    const auto& joe = r.ratees[1];
    CHECK_FALSE(joe.career_level);
    CHECK_FALSE(joe.relative_to_expectation);
    CHECK(std::isnan(joe.areas[0].mean_expectation_gap));
    CHECK(joe.areas[0].mean_score == Approx(3.25));
    // raw (4, 2.5, 2, 0.5) against builder: numpy.corrcoef = 0.989949.
    CHECK(joe.archetype_similarity[0] == Approx(0.9899494936611665));
  }
  SECTION("a flat gap profile matches no archetype") {
    // (4, 3, 3, 2) - (3, 2, 2, 1) = (1, 1, 1, 1).
    const auto& flat = r.ratees[2];
    CHECK(std::isnan(flat.archetype_similarity[0]));
    CHECK_FALSE(flat.best_archetype);
    CHECK_FALSE(flat.clear_match);
  }
  SECTION("min_similarity decides a clear match") {
    const auto strict = analyse_patterns({t, *fw, scores}, pattern_options{0.95});
    CHECK(strict.ratees[0].best_archetype == 0u);
    CHECK_FALSE(strict.ratees[0].clear_match);
    CHECK_THROWS_AS(analyse_patterns({t, *fw, scores}, pattern_options{1.5}), calibra::invalid_argument);
  }
}

// boss1's team, all at mid (3, 2, 2, 1):
//   amy (4, 2.5, 2, 0.5)  gaps ( 1,  0.5,  0,   -0.5)
//   ben (3, 2, 1, 1)      gaps ( 0,  0,   -1,    0)
//   cat (3.5, 1.5, 2, 1)  gaps ( 0.5, -0.5, 0,   0)
//   dan (3, 3, 1.5, -)    gaps ( 0,  1,   -0.5,  -)
// boss2's team, juniors (2, 2, 1, 1): eve (2, 2, 1, 1) gaps 0; fay (2, 3, 1, 1) gaps (0, 1, 0, 0).
TEST_CASE("patterns: team heatmap, strengths and gaps with privacy", "[patterns]") {
  const auto fw = pattern_framework();
  const auto t = table_of(fw, {{"amy", "mid", "boss1"}, {"ben", "mid", "boss1"}, {"cat", "mid", "boss1"},
                               {"dan", "mid", "boss1"}, {"eve", "junior", "boss2"}, {"fay", "junior", "boss2"}});
  const auto scores = scores_of(t, {{"amy", {4, 2.5, 2, 0.5}},
                                    {"ben", {3, 2, 1, 1}},
                                    {"cat", {3.5, 1.5, 2, 1}},
                                    {"dan", {3, 3, 1.5, no_score}},
                                    {"eve", {2, 2, 1, 1}},
                                    {"fay", {2, 3, 1, 1}}});
  const std::uint32_t boss1 = *t.raters().find("boss1"), boss2 = *t.raters().find("boss2");

  SECTION("one manager's team") {
    const auto team = analyse_team({t, *fw, scores}, boss1);
    REQUIRE(team.available);
    CHECK(team.manager == boss1);
    CHECK(team.ratees.size() == 4);
    CHECK_FALSE(team.suppressed);
    CHECK(team.heatmap.rows() == 4);
    CHECK(team.heatmap(0, 0) == Approx(1.0));
    CHECK(team.heatmap(2, 1) == Approx(-0.5));
    CHECK(std::isnan(team.heatmap(3, 3)));
    // ti (1+0+0.5+0)/4 = 0.375, te (0.5+0-0.5+1)/4 = 0.25, si (0-1+0-0.5)/4 = -0.375,
    // se: three ratees < 4 -> suppressed.
    CHECK(team.competencies[0].mean_expectation_gap == Approx(0.375));
    CHECK(team.competencies[1].mean_expectation_gap == Approx(0.25));
    CHECK(team.competencies[2].mean_expectation_gap == Approx(-0.375));
    CHECK(team.competencies[3].n_ratees == 3);
    CHECK(team.competencies[3].suppressed);
    CHECK(std::isnan(team.competencies[3].mean_expectation_gap));
    CHECK(team.strengths == std::vector<std::size_t>{0, 1});
    CHECK(team.shortfalls == std::vector<std::size_t>{2});
  }
  SECTION("a team below the privacy minimum keeps its heatmap, not its aggregates") {
    const auto team = analyse_team({t, *fw, scores}, boss2);
    CHECK(team.suppressed);
    CHECK(team.note == "suppressed: 2 ratees, fewer than the minimum group of 4");
    CHECK(team.heatmap(1, 1) == Approx(1.0));
    CHECK(team.competencies[1].suppressed);
    CHECK(team.strengths.empty());
    CHECK(team.shortfalls.empty());
  }
  SECTION("the whole table") {
    // ti 1.5/6 = 0.25, te 2/6, si -1.5/6 = -0.25, se -0.5/5 = -0.1.
    team_options options;
    options.top = 1;
    const auto team = analyse_team({t, *fw, scores}, std::nullopt, options);
    CHECK_FALSE(team.manager);
    CHECK(team.ratees.size() == 6);
    CHECK(team.competencies[1].mean_expectation_gap == Approx(2.0 / 6));
    CHECK(team.competencies[3].mean_expectation_gap == Approx(-0.1));
    CHECK(team.strengths == std::vector<std::size_t>{1});
    CHECK(team.shortfalls == std::vector<std::size_t>{2});
    options.top = 3;
    const auto all = analyse_team({t, *fw, scores}, std::nullopt, options);
    CHECK(all.strengths == std::vector<std::size_t>{1, 0});
    CHECK(all.shortfalls == std::vector<std::size_t>{2, 3});
  }
  SECTION("every manager's team") {
    const auto teams = analyse_manager_teams({t, *fw, scores});
    REQUIRE(teams.size() == 2);  // peers are not managers
    CHECK(teams[0].manager == boss1);
    CHECK(teams[1].manager == boss2);
    CHECK(teams[1].suppressed);
  }
  SECTION("bad arguments") {
    CHECK_THROWS_AS(analyse_team({t, *fw, scores}, 99u), calibra::invalid_argument);
    team_options options;
    options.top = 0;
    CHECK_THROWS_AS(analyse_team({t, *fw, scores}, std::nullopt, options), calibra::invalid_argument);
    CHECK_THROWS_AS(calibration_context(t, *fw, scores).with_privacy({0}), calibra::invalid_argument);
  }
  SECTION("a manager whose ratees have no scores") {
    const auto only_boss2 = scores_of(t, {{"amy", {4, 2.5, 2, 0.5}}});
    const auto team = analyse_team({t, *fw, only_boss2}, boss2);
    CHECK_FALSE(team.available);
    CHECK(team.reason.find("boss2") != std::string::npos);
  }
}

// Planted truth: the generator's proficiency is expectation + person
// offset + a competency-specific trait, so each ratee's true gap profile
// has a similarity to each archetype.  The similarities computed from the
// observed scores should track the true ones.
TEST_CASE("patterns: planted traits on the simulated example data", "[patterns]") {
  const auto sim = simulate_ratings(builtin_framework(), example_simulation_config());
  const auto& t = sim.table;
  const auto& fw = t.framework();
  const auto last = static_cast<std::uint32_t>(t.periods().size() - 1);
  const auto scores = observed_scores(t, ratings_filter{std::nullopt, last, {}, {}});
  const auto r = analyse_patterns({t, scores});
  REQUIRE(r.ratees.size() == 40);
  REQUIRE(fw.archetypes().size() == 4);
  const auto vectors = calibration::detail::archetype_vectors(fw);
  std::vector<double> observed, planted;
  std::size_t best_agrees = 0;
  for (const auto& p : r.ratees) {
    const auto k = static_cast<std::size_t>(std::find(sim.truth.ratees.begin(), sim.truth.ratees.end(),
                                                      t.ratees()[p.ratee]) - sim.truth.ratees.begin());
    std::vector<double> truth(fw.competencies().size());
    for (std::size_t c = 0; c < truth.size(); ++c)
      truth[c] = sim.truth.proficiency(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c)) -
                 fw.expectations()(static_cast<Eigen::Index>(sim.truth.ratee_career_level[k]),
                                   static_cast<Eigen::Index>(c));
    std::size_t true_best = 0;
    for (std::size_t a = 0; a < vectors.size(); ++a) {
      const double s = calibration::detail::profile_correlation(truth, vectors[a]);
      if (s > calibration::detail::profile_correlation(truth, vectors[true_best])) true_best = a;
      observed.push_back(p.archetype_similarity[a]);
      planted.push_back(s);
    }
    best_agrees += p.best_archetype == true_best;
  }
  const double agreement = calibration::detail::profile_correlation(observed, planted);
  INFO("correlation of observed and planted similarities " << agreement << "; best archetype agrees for "
                                                           << best_agrees << " of 40");
  // The traits (SD 0.4) are measured by two rounded ratings with noise SD 0.35,
  // halo and rater biases, so the recovery is partial: about 0.5.
  CHECK(agreement > 0.3);
  CHECK(best_agrees >= 15);  // 10 expected by chance
}

TEST_CASE("patterns: an archetype is claimed only when it stands out from rating noise", "[patterns]") {
  const auto fw = pattern_framework();
  const auto t = table_of(fw, {{"amy", "mid", "boss"}});
  // mid expects (3, 2, 2, 1).  Own severity-adjusted means (4, 2, 2, 0.5)
  // give gaps (1, 0, 0, -0.5); builder's pattern (1, 0, 0, -1) is already
  // centred, so the projection is 1 + 0.5 = 1.5.  Two ratings per cell.
  competency_scores scores = scores_of(t, {{"amy", {4, 2, 2, 0.5}}}, 2);
  scores.adjusted_mean = scores.value;
  // Residual SD 0.5: noise SD of the projection 0.5 * sqrt((1 + 1) / 2) =
  // 0.5, z = 3.0.  Two archetypes have a pattern (blank has none), so the
  // critical value is the normal quantile of 1 - 0.10 / 2: 1.6449.
  scores.residual_sd = 0.5;
  const auto clear = analyse_patterns({t, *fw, scores});
  CHECK(clear.ratees[0].best_archetype == 0u);
  CHECK(clear.ratees[0].pattern_z == Approx(3.0));
  CHECK(clear.ratees[0].clear_match);
  // Residual SD 1.0: z = 1.5, below 1.6449: the same shape could be noise.
  scores.residual_sd = 1.0;
  const auto noisy = analyse_patterns({t, *fw, scores});
  CHECK(noisy.ratees[0].best_similarity == Approx(1.5 / std::sqrt(1.1875 * 2)));
  CHECK(noisy.ratees[0].pattern_z == Approx(1.5));
  CHECK_FALSE(noisy.ratees[0].clear_match);
  // A stricter significance (0.01: quantile of 1 - 0.005, 2.5758) refuses z = 2.5 too.
  scores.residual_sd = 0.6;  // z = 1.5 / 0.6 = 2.5
  pattern_options strict;
  strict.significance = 0.01;
  CHECK(analyse_patterns({t, *fw, scores}).ratees[0].clear_match);
  CHECK_FALSE(analyse_patterns({t, *fw, scores}, strict).ratees[0].clear_match);
  strict.significance = 0;
  CHECK_THROWS_AS(analyse_patterns({t, *fw, scores}, strict), calibra::invalid_argument);
}
