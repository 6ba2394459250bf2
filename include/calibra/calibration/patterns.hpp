// Patterns: per ratee the area and quadrant profile and
// the archetype the profile resembles; per team a heatmap and the team's
// strengths and gaps.
//
// Profiles are means of the scores per area / quadrant, and means of the
// gaps (score - expectation at the ratee's career level).
//
// Archetype similarity: the Pearson correlation, over the scored
// competencies, between the ratee's gap profile and the archetype's
// pattern vector (+1 for its strong competencies, -1 for its growth
// competencies, 0 otherwise).  The correlation centres both vectors, so it
// compares the shape of the profile -- where the ratee is stronger or
// weaker than their own average -- not its level.  It lies in [-1, 1];
// it is NaN when the profile is flat or the archetype's vector is constant
// over the scored competencies.  Gaps are used instead of raw scores so
// that the expectation matrix's own shape (seniors are expected to be
// stronger at strategy) does not masquerade as an archetype; a ratee
// without a career level is matched on raw scores.
//
// Teams: every ratee with scores, or the ratees one rater rates with role
// manager in the analysed period.  A team aggregate (mean gap per
// competency, strengths, gaps) is suppressed below the privacy minimum.
// docs/calibration-ratees.md has the details.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration {

/// Patterns read the context's scores and each ratee's career level in the
/// context's analysed period.
struct pattern_options {
  /// A best archetype with a similarity below this is not a clear match.
  double min_similarity = 0.3;
  /// ... nor one whose pattern does not stand out from rating noise: the
  /// person's own severity-adjusted means (competency_scores::
  /// adjusted_mean), projected on the archetype's centred pattern and
  /// divided by the SD that projection has from rating noise alone, must
  /// reach the one-sided normal quantile of 1 - significance / K (K: the
  /// framework's archetypes with a pattern).  Scores without adjusted means
  /// (observed means) skip the test.
  double significance = 0.10;

  void validate() const;
};

/// Mean score and mean expectation gap (score - expectation) of a group of
/// competencies (an area or a quadrant); NaN when none of them is scored
/// (the gap: or without a career level).
struct profile_cell {
  double mean_score = detail::ratee_nan();
  double mean_expectation_gap = detail::ratee_nan();
  std::size_t scored = 0;
};

struct ratee_pattern {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;
  std::vector<profile_cell> areas;      // framework area order
  std::array<profile_cell, 4> quadrants;  // all_quadrants() order
  bool relative_to_expectation = false;   // archetypes matched on gaps (true) or raw scores
  std::vector<double> archetype_similarity;  // framework archetype order
  std::optional<std::size_t> best_archetype, runner_up;
  double best_similarity = detail::ratee_nan(), runner_up_similarity = detail::ratee_nan();
  /// The best archetype's pattern against noise: projection / its noise SD
  /// (NaN when the scores have no adjusted means).
  double pattern_z = detail::ratee_nan();
  /// best_similarity >= min_similarity and pattern_z reaches the critical
  /// value (pattern_options::significance); otherwise "no clear archetype".
  bool clear_match = false;
};

struct patterns_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  double min_similarity = 0;
  double significance = 0;
  std::vector<ratee_pattern> ratees;  // in the order of the scores' rows
};

namespace detail {

/// Pearson correlation of x and y over the entries where x is not NaN.
double profile_correlation(const std::vector<double>& x, const std::vector<double>& y);

/// Per competency the archetype's pattern: +1 strong, -1 growth, 0 other.
std::vector<std::vector<double>> archetype_vectors(const framework& fw);

}  // namespace detail

/// Area and quadrant profiles and archetype matches of every ratee with
/// scores.
patterns_result analyse_patterns(const calibration_context& context, const pattern_options& options = {});

// ---- teams ---------------------------------------------------------------------------

/// Teams read the context's scores; the context's analysed period decides
/// career levels and who manages whom, its privacy rule what is shown.
struct team_options {
  /// How many strengths and gaps to list.
  std::size_t top = 3;

  void validate() const;
};

/// The team's mean expectation gap on one competency over the members with one.
struct team_competency {
  std::size_t competency = 0;
  std::size_t n_ratees = 0;
  double mean_expectation_gap = detail::ratee_nan();
  bool suppressed = false;
  std::string note;
};

struct team_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::optional<std::uint32_t> manager;  // rater id; empty: the whole table
  std::vector<std::uint32_t> ratees;     // members with scores, ascending ratee id
  /// members x competencies: score - expectation at the member's career
  /// level (NaN without a score or a career level).  Per-ratee values, so
  /// not suppressed.
  Eigen::MatrixXd heatmap;
  std::vector<team_competency> competencies;  // framework order
  /// Competencies with the highest positive mean expectation gap (strengths)
  /// and the lowest negative one (shortfalls: below expectation), best /
  /// worst first, at most `top` each; empty when suppressed.
  std::vector<std::size_t> strengths, shortfalls;
  bool suppressed = false;  // fewer members than the privacy minimum
  std::string note;
};

namespace detail {

/// (manager rater id, ratee id) pairs of manager-role ratings, in `period`
/// when given, sorted and unique.
std::vector<std::pair<std::uint32_t, std::uint32_t>> manager_pairs(const ratings_table& table,
                                                                          std::optional<std::uint32_t> period);

team_result build_team(const calibration_context& context, const competency_scores& scores,
                       const team_options& options, std::optional<std::uint32_t> manager,
                       const std::vector<std::uint32_t>& members);

}  // namespace detail

/// The team of one manager (a rater id with manager-role ratings in the
/// analysed period), or of every ratee with scores when `manager` is empty.
team_result analyse_team(const calibration_context& context, std::optional<std::uint32_t> manager = std::nullopt,
                         const team_options& options = {});

/// One team per rater with manager-role ratings in the analysed period,
/// ascending rater id.
std::vector<team_result> analyse_manager_teams(const calibration_context& context, const team_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/patterns-inl.hpp>
#endif
