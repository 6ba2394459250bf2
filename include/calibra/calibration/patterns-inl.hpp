// Implementation of <calibra/calibration/patterns.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/patterns.hpp>

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

CALIBRA_INLINE auto pattern_options::validate() const -> void {
  if (!(min_similarity >= -1 && min_similarity <= 1))
    throw invalid_argument("calibration", "patterns: min_similarity = " + std::to_string(min_similarity) +
                                              "; expected a correlation in [-1, 1]");
  if (!(significance > 0 && significance < 1))
    throw invalid_argument("calibration", "patterns: significance = " + std::to_string(significance) +
                                              "; expected a probability strictly between 0 and 1");
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE double profile_correlation(const std::vector<double>& x, const std::vector<double>& y) {
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

CALIBRA_INLINE std::vector<std::vector<double>> archetype_vectors(const framework& fw) {
std::vector<std::vector<double>> out;
for (const archetype& a : fw.archetypes()) {
  std::vector<double> v(fw.competencies().size(), 0.0);
  for (const auto& id : a.strong) v[*fw.competency_index(id)] = 1;
  for (const auto& id : a.growth) v[*fw.competency_index(id)] = -1;
  out.push_back(std::move(v));
}
  return out;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE patterns_result analyse_patterns(const calibration_context& context, const pattern_options& options) {
  options.validate();
  const ratings_table& table = context.table();
  const framework& fw = context.framework();
  const competency_scores& scores = context.scores("patterns");
  patterns_result out;
  out.period = context.period();
  out.score_method = scores.method;
  out.min_similarity = options.min_similarity;
  const std::size_t n_comp = fw.competencies().size();
  std::vector<std::optional<std::size_t>> area_of(n_comp);
  for (std::size_t c = 0; c < n_comp; ++c)
    if (fw.competencies()[c].area) area_of[c] = fw.area_index(*fw.competencies()[c].area);
  const auto archetypes = detail::archetype_vectors(fw);
  const bool has_adjusted = scores.adjusted_mean.rows() == static_cast<Eigen::Index>(scores.ratees.size()) &&
                            scores.n.size() == scores.adjusted_mean.size() && scores.residual_sd > 0;
  // One-sided test of the best of the framework's archetypes, Bonferroni
  // over them: the best of K noise-only projections exceeds this with
  // probability at most `significance`.
  std::size_t patterned = 0;
  for (const auto& a : archetypes)
    if (std::any_of(a.begin(), a.end(), [](double x) { return x != 0; })) ++patterned;
  const double z_critical =
      detail::normal_quantile(1 - options.significance / static_cast<double>(std::max<std::size_t>(patterned, 1)));
  out.significance = options.significance;

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
      if (!fw.competencies()[c].quadrant) continue;  // a framework without quadrants
      const auto q = static_cast<std::size_t>(fw.competencies()[c].quadrant->index());
      quadrant_score[q] += score;
      quadrant_gap[q] += gap;
      ++p.quadrants[q].scored;
    }
    const auto finish = [](profile_cell& cell, double score_sum, double gap_sum) {
      if (cell.scored == 0) return;
      cell.mean_score = score_sum / static_cast<double>(cell.scored);
      cell.mean_expectation_gap = gap_sum / static_cast<double>(cell.scored);  // NaN without a career level
    };
    for (std::size_t a = 0; a < p.areas.size(); ++a) finish(p.areas[a], area_score[a], area_gap[a]);
    for (std::size_t q = 0; q < 4; ++q) finish(p.quadrants[q], quadrant_score[q], quadrant_gap[q]);

    // Archetypes are matched on the person's own pattern when the scores
    // carry it (the severity-adjusted means, not shrunk towards their
    // level's profile: a shape is what shrinkage flattens first), else on
    // the scores.
    if (has_adjusted)
      for (std::size_t c = 0; c < n_comp; ++c) {
        const double own = scores.adjusted_mean(i, static_cast<Eigen::Index>(c));
        profile[c] = std::isnan(own) ? detail::ratee_nan()
                     : p.career_level ? own - detail::expectation_at(fw, *p.career_level, c)
                                      : own;
      }
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
    // Does the pattern stand out from rating noise?  The person's own
    // severity-adjusted means, projected on the best archetype's centred
    // pattern, against the SD that projection would have from rating noise
    // alone (residual SD, each cell's rating count).  A shift common to all
    // competencies (the person's level, a rater x person affinity) cancels
    // in the centred projection.
    if (p.best_archetype && has_adjusted) {
      const std::vector<double>& a = archetypes[*p.best_archetype];
      double mean = 0, count = 0;
      for (std::size_t c = 0; c < n_comp; ++c)
        if (!std::isnan(scores.adjusted_mean(i, static_cast<Eigen::Index>(c)))) {
          mean += a[c];
          count += 1;
        }
      mean /= std::max(count, 1.0);
      double projection = 0, variance = 0;
      for (std::size_t c = 0; c < n_comp; ++c) {
        const auto ci = static_cast<Eigen::Index>(c);
        const double own = scores.adjusted_mean(i, ci);
        if (std::isnan(own)) continue;
        const double w = a[c] - mean;
        const double relative = p.career_level ? own - detail::expectation_at(fw, *p.career_level, c) : own;
        projection += w * relative;
        variance += w * w * scores.residual_sd * scores.residual_sd / scores.n(i, ci);
      }
      if (variance > 0) p.pattern_z = projection / std::sqrt(variance);
    }
    p.clear_match = p.best_archetype && p.best_similarity >= options.min_similarity &&
                    (std::isnan(p.pattern_z) || p.pattern_z >= z_critical);
    out.ratees.push_back(std::move(p));
  }
  out.available = !out.ratees.empty();
  if (!out.available) out.reason = "no ratee has scores";
  return out;
}


CALIBRA_INLINE auto team_options::validate() const -> void {
  if (top == 0) throw invalid_argument("calibration", "team: top must be at least 1");
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE std::vector<std::pair<std::uint32_t, std::uint32_t>> manager_pairs(const ratings_table& table,
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

CALIBRA_INLINE team_result build_team(const calibration_context& context, const competency_scores& scores,
                                      const team_options& options, std::optional<std::uint32_t> manager,
                                      const std::vector<std::uint32_t>& members) {
  const ratings_table& table = context.table();
  const framework& fw = context.framework();
  const std::optional<std::uint32_t> period = context.period();
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
  t.suppressed = !context.privacy().allows(t.ratees.size());
  if (t.suppressed) t.note = context.privacy().marker(t.ratees.size());
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
    if (!context.privacy().allows(tc.n_ratees) || t.suppressed) {
      tc.suppressed = true;
      tc.note = context.privacy().marker(t.suppressed ? t.ratees.size() : tc.n_ratees);
    } else {
      tc.mean_expectation_gap = sum / static_cast<double>(tc.n_ratees);
    }
    t.competencies.push_back(std::move(tc));
  }
  if (!t.suppressed) {
    std::vector<std::size_t> order;
    for (const auto& tc : t.competencies)
      if (!std::isnan(tc.mean_expectation_gap)) order.push_back(tc.competency);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return t.competencies[a].mean_expectation_gap > t.competencies[b].mean_expectation_gap;
    });
    for (std::size_t c : order)
      if (t.strengths.size() < options.top && t.competencies[c].mean_expectation_gap > 0) t.strengths.push_back(c);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (t.shortfalls.size() < options.top && t.competencies[*it].mean_expectation_gap < 0)
        t.shortfalls.push_back(*it);
  }
  return t;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE team_result analyse_team(const calibration_context& context, std::optional<std::uint32_t> manager,
                                        const team_options& options) {
  options.validate();
  const ratings_table& table = context.table();
  const competency_scores& scores = context.scores("team");
  const auto period = context.period();
  std::vector<std::uint32_t> members;
  if (!manager) {
    members = scores.ratees;
  } else {
    if (*manager >= table.raters().size())
      throw invalid_argument("calibration", "team: rater id " + std::to_string(*manager) +
                                                " is not a rater of the table (" +
                                                std::to_string(table.raters().size()) + " raters)");
    for (const auto& [rater, ratee] : detail::manager_pairs(table, period))
      if (rater == *manager) members.push_back(ratee);
  }
  return detail::build_team(context, scores, options, manager, members);
}

CALIBRA_INLINE std::vector<team_result> analyse_manager_teams(const calibration_context& context,
                                                              const team_options& options) {
  options.validate();
  const competency_scores& scores = context.scores("team");
  const auto pairs = detail::manager_pairs(context.table(), context.period());
  std::vector<team_result> out;
  std::size_t a = 0;
  while (a < pairs.size()) {
    std::size_t b = a;
    std::vector<std::uint32_t> members;
    while (b < pairs.size() && pairs[b].first == pairs[a].first) members.push_back(pairs[b++].second);
    out.push_back(detail::build_team(context, scores, options, pairs[a].first, members));
    a = b;
  }
  return out;
}

}  // namespace calibra::calibration
