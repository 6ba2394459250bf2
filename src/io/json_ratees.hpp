// JSON for the ratee analyses: level inference, readiness, patterns, teams
// and development plans (the report's `ratees`, `matrix_validation`,
// `team` and `development_plans` sections).
//
// Every section is an object whose main table is an array of flat records
// (ids as names: ratee, career level, competency, archetype, period), with
// detail tables as further arrays of records keyed by ratee.  NaN and
// undefined values are null; a suppressed aggregate is null with
// "suppressed": true and a "note".
//
// The three sections that grow with the ratees (`ratees`, `team`,
// `development_plans`) are written row by row through a json_writer
// (json_writer.hpp); the others are built as values.
//
// nlohmann is a private dependency of calibra::io, so this header lives in
// src/io and is included only by the io sources (and the io tests).
#pragma once

#include <calibra/calibration/development.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/patterns.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/readiness.hpp>

#include "json_writer.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace calibra::io::detail {

/// Level inference alone:
///   available, reason, period, scores_method, tolerance,
///   ratees:     [{ratee, career_level, inferred_level, next_level, best_fit_level,
///                 best_fit_distance, scored, inferred_vs_actual ("above" | "equal" | "below"),
///                 promotion_target, readiness_index, outcome}]
///   shortfalls: [{ratee, career_level (the level short of), competency, score, expected, shortfall}]
nlohmann::ordered_json to_json_value(const calibration::level_inference& r, const calibration::ratings_table& table);

/// Readiness alone:
///   available, reason, period, scores_method, confidence, tolerance,
///   ratees: [{ratee, career_level, readiness, readiness_step}]
///   steps:  [{ratee, from, to, on_track, verdict, met, unmet, uncertain}]
///   items:  [{ratee, from, to, competency, from_level, to_level, threshold, score, se,
///             ci_low, ci_high, status, point_only}]
nlohmann::ordered_json to_json_value(const calibration::readiness_result& r, const calibration::ratings_table& table);

/// Patterns alone:
///   available, reason, period, scores_method, min_similarity,
///   ratees:   [{ratee, career_level, relative_to_expectation, archetype, archetype_similarity,
///               runner_up_archetype, runner_up_similarity, archetype_z, clear_match}]
///   profiles: [{ratee, kind ("area" | "quadrant"), group, mean_score, mean_gap, scored}]
///   archetype_similarities: [{ratee, archetype, similarity}]
nlohmann::ordered_json to_json_value(const calibration::patterns_result& r, const calibration::ratings_table& table);

/// The `development_plans` section:
///   available, reason, period, scores_method,
///   plans: [{ratee, career_level, goal_level, goal_chosen, items, candidates, unscored, note}]
///   items: [{ratee, rank, competency, score, current_level, target_level, target_ordinal, gap,
///            priority, reason, actions (array of strings), quarters, target_quarter}]
void write_development_section(json_writer& w, const calibration::development_result& r,
                               const calibration::ratings_table& table);

/// One team:
///   team ("all" or the manager's name), manager, n_ratees, suppressed, note,
///   competencies: [{competency, n_ratees, mean_gap, suppressed, note}]
///   strengths / gaps: [{rank, competency, mean_gap}]
///   heatmap: [{ratee, competency, gap}]  (long form; cells without a gap are left out)
nlohmann::ordered_json to_json_value(const calibration::team_result& r, const calibration::ratings_table& table);

/// The `team` section: the whole table and every manager's team as flat
/// record arrays with a `team` column:
///   teams:        [{team, manager, n_ratees, suppressed, note}]
///   competencies: [{team, competency, n_ratees, mean_gap, suppressed, note}]
///   strengths:    [{team, rank, competency, mean_gap}]
///   gaps:         [{team, rank, competency, mean_gap}]
///   heatmap:      [{team, ratee, competency, gap}]
///   available, reason, period
void write_team_section(json_writer& w, const calibration::team_result& whole,
                        const std::vector<calibration::team_result>& managers, const calibration::ratings_table& table);

/// The `matrix_validation` section:
///   available, reason, confidence, verdict_threshold,
///   competencies:  [{competency, n_ratees, mean_gap, sd, ci_low, ci_high, verdict, suppressed, note}]
///   cells:         [{competency, career_level, n_ratees, mean_gap, sd, ci_low, ci_high, suppressed, note}]
///   career_levels: [{career_level, n_ratees, mean_gap, sd, ci_low, ci_high, share_above,
///                    share_equal, share_below, suppressed, note}]
///   overall:       {n_ratees, mean_gap, sd, ci_low, ci_high, share_above, share_equal, share_below,
///                   suppressed, note}
///   promotion_separation: {available, reason, confidence, n_promoted, n_not_promoted, mean_promoted,
///                   mean_not_promoted, sd_promoted, sd_not_promoted, hedges_g, g_se, g_ci_low,
///                   g_ci_high, auc, auc_se, auc_ci_low, auc_ci_high, suppressed, note}
nlohmann::ordered_json matrix_validation_section(const calibration::level_inference& r,
                                         const calibration::ratings_table& table);

/// The `ratees` section: one record per ratee merging the four analyses
/// (fields of each alone, see above, plus `plan_items`, the item count),
/// and their detail arrays: shortfalls, readiness_steps, readiness_items,
/// plan_items, profiles, archetype_similarities.
///   available, reason, period, scores_method, ratees: [{ratee, career_level, inferred_level,
///   best_fit_level, best_fit_distance, readiness, readiness_step, archetype, archetype_similarity,
///   ...}]
void write_ratees_section(json_writer& w, const calibration::level_inference& levels,
                          const calibration::readiness_result& readiness, const calibration::patterns_result& patterns,
                          const calibration::development_result& development,
                          const calibration::competency_scores& scores, double confidence,
                          const calibration::ratings_table& table);

}  // namespace calibra::io::detail
