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

#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration {

struct pattern_options {
  /// Table period id whose career levels are used; default: the scores'
  /// period, else the latest.
  std::optional<std::uint32_t> period;
  /// A best archetype with a similarity below this is not a clear match.
  double min_similarity = 0.3;

  void validate() const {
    if (!(min_similarity >= -1 && min_similarity <= 1))
      throw invalid_argument("calibration", "patterns: min_similarity = " + std::to_string(min_similarity) +
                                                "; expected a correlation in [-1, 1]");
  }
};

/// Mean score and mean gap of a group of competencies (an area or a
/// quadrant); NaN when none of them is scored (gap: or no career level).
struct profile_cell {
  double mean_score = detail::ratee_nan();
  double mean_gap = detail::ratee_nan();
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
  bool clear_match = false;  // best_similarity >= min_similarity
};

struct patterns_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  double min_similarity = 0;
  std::vector<ratee_pattern> ratees;  // in the order of the scores' rows
};

namespace detail {

/// Pearson correlation of x and y over the entries where x is not NaN.
inline double profile_correlation(const std::vector<double>& x, const std::vector<double>& y) {
  double n = 0, sx = 0, sy = 0;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (!std::isnan(x[k])) {
      n += 1;
      sx += x[k];
      sy += y[k];
    }
  if (n < 2) return ratee_nan();
  const double mx = sx / n, my = sy / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (!std::isnan(x[k])) {
      sxy += (x[k] - mx) * (y[k] - my);
      sxx += (x[k] - mx) * (x[k] - mx);
      syy += (y[k] - my) * (y[k] - my);
    }
  // A profile flat to rounding is flat: no shape to compare.
  if (sxx <= 1e-24 * n || syy <= 0) return ratee_nan();
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

/// Per competency the archetype's pattern: +1 strong, -1 growth, 0 other.
inline std::vector<std::vector<double>> archetype_vectors(const framework& fw) {
  std::vector<std::vector<double>> out;
  for (const archetype& a : fw.archetypes()) {
    std::vector<double> v(fw.competencies().size(), 0.0);
    for (const auto& id : a.strong) v[*fw.competency_index(id)] = 1;
    for (const auto& id : a.growth) v[*fw.competency_index(id)] = -1;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace detail

/// Area and quadrant profiles and archetype matches of every ratee with
/// scores.
inline patterns_result analyse_patterns(const ratings_table& table, const framework& fw,
                                        const competency_scores& scores, const pattern_options& options = {}) {
  options.validate();
  detail::check_ratee_inputs(table, fw, scores, "patterns");
  patterns_result out;
  out.period = detail::analysed_period(table, scores, options.period, "patterns");
  out.score_method = scores.method;
  out.min_similarity = options.min_similarity;
  const std::size_t n_comp = fw.competencies().size();
  std::vector<std::optional<std::size_t>> area_of(n_comp);
  for (std::size_t c = 0; c < n_comp; ++c)
    if (fw.competencies()[c].area) area_of[c] = fw.area_index(*fw.competencies()[c].area);
  const auto archetypes = detail::archetype_vectors(fw);

  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    ratee_pattern p;
    p.ratee = scores.ratees[row];
    p.career_level = detail::standing_of(table, p.ratee, out.period).career_level;
    p.relative_to_expectation = p.career_level.has_value();
    p.areas.assign(fw.areas().size(), {});
    std::vector<double> area_score(fw.areas().size(), 0), area_gap(fw.areas().size(), 0);
    std::array<double, 4> quadrant_score{}, quadrant_gap{};
    std::vector<double> profile(n_comp, detail::ratee_nan());
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(i, static_cast<Eigen::Index>(c));
      if (std::isnan(score)) continue;
      const double gap = p.career_level ? score - detail::expectation_at(fw, *p.career_level, c) : detail::ratee_nan();
      profile[c] = p.career_level ? gap : score;
      if (area_of[c]) {
        area_score[*area_of[c]] += score;
        area_gap[*area_of[c]] += gap;
        ++p.areas[*area_of[c]].scored;
      }
      const auto q = static_cast<std::size_t>(fw.competencies()[c].quadrant.index());
      quadrant_score[q] += score;
      quadrant_gap[q] += gap;
      ++p.quadrants[q].scored;
    }
    const auto finish = [](profile_cell& cell, double score_sum, double gap_sum) {
      if (cell.scored == 0) return;
      cell.mean_score = score_sum / static_cast<double>(cell.scored);
      cell.mean_gap = gap_sum / static_cast<double>(cell.scored);  // NaN without a career level
    };
    for (std::size_t a = 0; a < p.areas.size(); ++a) finish(p.areas[a], area_score[a], area_gap[a]);
    for (std::size_t q = 0; q < 4; ++q) finish(p.quadrants[q], quadrant_score[q], quadrant_gap[q]);

    for (const auto& vec : archetypes) p.archetype_similarity.push_back(detail::profile_correlation(profile, vec));
    // Best and runner-up by similarity; NaN never ranks, ties go to the
    // archetype listed first.
    for (std::size_t a = 0; a < p.archetype_similarity.size(); ++a) {
      const double s = p.archetype_similarity[a];
      if (std::isnan(s)) continue;
      if (!p.best_archetype || s > p.best_similarity) {
        p.runner_up = p.best_archetype;
        p.runner_up_similarity = p.best_similarity;
        p.best_archetype = a;
        p.best_similarity = s;
      } else if (!p.runner_up || s > p.runner_up_similarity) {
        p.runner_up = a;
        p.runner_up_similarity = s;
      }
    }
    p.clear_match = p.best_archetype && p.best_similarity >= options.min_similarity;
    out.ratees.push_back(std::move(p));
  }
  out.available = !out.ratees.empty();
  if (!out.available) out.reason = "no ratee has scores";
  return out;
}

inline patterns_result analyse_patterns(const ratings_table& table, const competency_scores& scores,
                                        const pattern_options& options = {}) {
  if (!table.framework_ptr()) throw invalid_argument("calibration", "patterns: the ratings table has no framework");
  return analyse_patterns(table, table.framework(), scores, options);
}

// ---- teams ---------------------------------------------------------------------------

struct team_options {
  /// Table period id; default: the scores' period, else the latest.  It
  /// decides career levels and who manages whom.
  std::optional<std::uint32_t> period;
  /// How many strengths and gaps to list.
  std::size_t top = 3;
  privacy_policy privacy;

  void validate() const {
    if (top == 0) throw invalid_argument("calibration", "team: top must be at least 1");
    privacy.validate();
  }
};

/// The team's mean gap on one competency over the members with a gap.
struct team_competency {
  std::size_t competency = 0;
  std::size_t n_ratees = 0;
  double mean_gap = detail::ratee_nan();
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
  /// Competencies with the highest positive / lowest negative mean gap,
  /// best / worst first, at most `top` each; empty when suppressed.
  std::vector<std::size_t> strengths, gaps;
  bool suppressed = false;  // fewer members than the privacy minimum
  std::string note;
};

namespace detail {

/// (manager rater id, ratee id) pairs of manager-role ratings, in `period`
/// when given, sorted and unique.
inline std::vector<std::pair<std::uint32_t, std::uint32_t>> manager_pairs(const ratings_table& table,
                                                                          std::optional<std::uint32_t> period) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.role(row) != rater_role::manager) continue;
    if (period && table.period(row) != *period) continue;
    pairs.emplace_back(table.rater(row), table.ratee(row));
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

inline team_result build_team(const ratings_table& table, const framework& fw, const competency_scores& scores,
                              const team_options& options, std::optional<std::uint32_t> period,
                              std::optional<std::uint32_t> manager, const std::vector<std::uint32_t>& members) {
  team_result t;
  t.period = period;
  t.manager = manager;
  std::vector<std::size_t> rows;
  for (std::uint32_t ratee : members)
    if (const auto row = scores.row_of(ratee)) {
      t.ratees.push_back(ratee);
      rows.push_back(*row);
    }
  const std::size_t n_comp = fw.competencies().size();
  t.heatmap = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(n_comp),
                                        ratee_nan());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto level = standing_of(table, t.ratees[k], period).career_level;
    if (!level) continue;
    for (std::size_t c = 0; c < n_comp; ++c)
      t.heatmap(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c)) =
          scores.value(static_cast<Eigen::Index>(rows[k]), static_cast<Eigen::Index>(c)) -
          expectation_at(fw, *level, c);
  }
  t.available = !t.ratees.empty();
  if (!t.available) {
    t.reason = manager ? "no ratee of manager '" + table.raters()[*manager] + "' has scores" : "no ratee has scores";
    return t;
  }
  t.suppressed = !options.privacy.allows(t.ratees.size());
  if (t.suppressed) t.note = options.privacy.marker(t.ratees.size());
  for (std::size_t c = 0; c < n_comp; ++c) {
    team_competency tc;
    tc.competency = c;
    double sum = 0;
    for (Eigen::Index k = 0; k < t.heatmap.rows(); ++k) {
      const double gap = t.heatmap(k, static_cast<Eigen::Index>(c));
      if (std::isnan(gap)) continue;
      sum += gap;
      ++tc.n_ratees;
    }
    if (!options.privacy.allows(tc.n_ratees) || t.suppressed) {
      tc.suppressed = true;
      tc.note = options.privacy.marker(t.suppressed ? t.ratees.size() : tc.n_ratees);
    } else {
      tc.mean_gap = sum / static_cast<double>(tc.n_ratees);
    }
    t.competencies.push_back(std::move(tc));
  }
  if (!t.suppressed) {
    std::vector<std::size_t> order;
    for (const auto& tc : t.competencies)
      if (!std::isnan(tc.mean_gap)) order.push_back(tc.competency);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return t.competencies[a].mean_gap > t.competencies[b].mean_gap;
    });
    for (std::size_t c : order)
      if (t.strengths.size() < options.top && t.competencies[c].mean_gap > 0) t.strengths.push_back(c);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (t.gaps.size() < options.top && t.competencies[*it].mean_gap < 0) t.gaps.push_back(*it);
  }
  return t;
}

}  // namespace detail

/// The team of one manager (a rater id with manager-role ratings in the
/// analysed period), or of every ratee with scores when `manager` is empty.
inline team_result analyse_team(const ratings_table& table, const framework& fw, const competency_scores& scores,
                                std::optional<std::uint32_t> manager = std::nullopt,
                                const team_options& options = {}) {
  options.validate();
  detail::check_ratee_inputs(table, fw, scores, "team");
  const auto period = detail::analysed_period(table, scores, options.period, "team");
  std::vector<std::uint32_t> members;
  if (!manager) {
    members = scores.ratees;
  } else {
    if (*manager >= table.raters().size())
      throw invalid_argument("calibration", "team: rater id " + std::to_string(*manager) + " is not a rater of the table (" +
                                                std::to_string(table.raters().size()) + " raters)");
    for (const auto& [rater, ratee] : detail::manager_pairs(table, period))
      if (rater == *manager) members.push_back(ratee);
  }
  return detail::build_team(table, fw, scores, options, period, manager, members);
}

/// One team per rater with manager-role ratings in the analysed period,
/// ascending rater id.
inline std::vector<team_result> analyse_manager_teams(const ratings_table& table, const framework& fw,
                                                      const competency_scores& scores,
                                                      const team_options& options = {}) {
  options.validate();
  detail::check_ratee_inputs(table, fw, scores, "team");
  const auto period = detail::analysed_period(table, scores, options.period, "team");
  const auto pairs = detail::manager_pairs(table, period);
  std::vector<team_result> out;
  std::size_t a = 0;
  while (a < pairs.size()) {
    std::size_t b = a;
    std::vector<std::uint32_t> members;
    while (b < pairs.size() && pairs[b].first == pairs[a].first) members.push_back(pairs[b++].second);
    out.push_back(detail::build_team(table, fw, scores, options, period, pairs[a].first, members));
    a = b;
  }
  return out;
}

}  // namespace calibra::calibration
