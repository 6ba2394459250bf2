// JSON for the agreement analyses: agreement and anchors to rewrite (the
// report's `agreement` and `competencies` sections), self vs manager
// (`self_vs_manager`), drift (`drift`), the decision study
// (`decision_study`) and the feedback log (`feedback`).
//
// Every section is an object: scalar summary fields, a main table that is
// an array of flat records (ids as names: ratee, rater, competency id,
// period), and detail tables as further arrays of flat records.  NaN and
// undefined values are null.  A suppressed aggregate has null numbers,
// "suppressed": true and a "note" with the privacy marker.
//
// nlohmann is a private dependency of calibra::io, so this header lives in
// src/io and is included only by the io sources (and the io tests).
#pragma once

#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/drift.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/framework/framework.hpp>

#include <nlohmann/json.hpp>

namespace calibra::io::detail {

/// The `agreement` section (overall agreement among external raters):
///   available, reason, period (null: every period), n_units, n_ratings,
///   n_ratees, n_raters, n_pairs, pairs_beyond_one, divergent_units,
///   divergent_share, alpha, alpha_ci_low, alpha_ci_high, gwet_ac2, exact,
///   within_one, suppressed, note, notes (strings),
///   competencies_flagged, competencies_evaluated, message (why divergence
///   may be the raters' rather than the anchors'; null when none),
///   statistics: [{statistic ("krippendorff_alpha_ordinal" | "gwet_ac2" |
///                 "exact" | "within_one"), value, ci_low, ci_high}]
nlohmann::ordered_json agreement_section(const calibration::anchors_result& r, const calibration::ratings_table& table);

/// The `competencies` section (anchors to rewrite):
///   available, reason, period, max_divergent_share, min_within_one,
///   min_units, competencies_flagged, competencies_evaluated,
///   competencies: [{competency, n_units, n_ratings, n_ratees, n_raters,
///                   n_pairs, pairs_beyond_one, divergent_units,
///                   divergent_share, pair_divergent_share, alpha, alpha_ci_low, alpha_ci_high,
///                   gwet_ac2, exact, within_one, needs_rewrite,
///                   rewrite_reason, suppressed, note}]
///   examples:        [{competency, ratee, period, spread, min_level,
///                      max_level, levels ("mgr1=4, mgr2=2")}]   (capped per competency)
///   example_ratings: [{competency, ratee, period, rater, level, level_id}]
///   raters:          [{competency, rater, units, divergent_units, divergent_share}]
nlohmann::ordered_json competencies_section(const calibration::anchors_result& r, const calibration::ratings_table& table);

/// Both: {"agreement": agreement_section, "competencies": competencies_section}.
nlohmann::ordered_json to_json_value(const calibration::anchors_result& r, const calibration::ratings_table& table);

/// The `self_vs_manager` section:
///   available, reason, period, confidence, severity_adjusted,
///   gaps:          [{ratee, competency, self_level, comparison_level, n_comparison, gap}]
///   inflation:     [{competency, n_ratees, mean_gap, sd, se, ci_low, ci_high,
///                    direction, suppressed, note}]
///   overall:       {n_ratees, mean_gap, sd, se, ci_low, ci_high, direction, suppressed, note}
///   conversations: [{rank, ratee, disagreement, max_abs_gap, mean_gap, n_compared, n_topics}]
///   topics:        [{rank, ratee, topic, competency, gap}]
nlohmann::ordered_json to_json_value(const calibration::self_assessment_result& r, const calibration::ratings_table& table);

/// The `drift` section:
///   available, reason, confidence, severity_threshold, alpha_decay,
///   within_decay, calibration_decay, raters_flagged, notes,
///   severities: [{rater, period, severity, se, ci_low, ci_high, component, n_ratings, n_ratees}]
///   raters:     [{rater, first_period, last_period, periods, severity_first,
///                 severity_last, raw_change, raw_se, reference_change,
///                 n_comparators, change, se, ci_low, ci_high, flagged, direction}]
///   agreement:  [{period, n_units, n_ratees, alpha, gwet_ac2, exact,
///                 within_one, divergent_share, alpha_drop, within_drop,
///                 best_alpha_period, best_within_period, decay,
///                 decay_reason, suppressed, note}]
///   flags:      [{flag ("severity-drift" | "calibration-decay"), rater, period, detail}]
nlohmann::ordered_json to_json_value(const calibration::drift_result& r, const calibration::ratings_table& table);

/// The `decision_study` section:
///   available, reason, design, projection_reason (why there is no projection; null
///   when there is one), balanced, estimator, n_cells, n_units,
///   n_ratees, n_raters, n_ratings, mean_raters_per_unit,
///   harmonic_raters_per_unit, ratee_variance, rater_variance,
///   residual_variance, g_current, phi_current, target, raters_needed_g,
///   raters_needed_phi, suppressed, note, notes,
///   components: [{component ("ratee" | "rater" | "residual"), variance, raw, share}]
///   projection: [{raters, g, phi}]
nlohmann::ordered_json to_json_value(const calibration::decision_study_result& r, const calibration::ratings_table& table);

/// The `feedback` section:
///   available, reason, kind, n_items, n_ratees, first_quarter,
///   last_quarter, recurring_patterns,
///   patterns: [{ratee, competency, mentions, strengths, growth, quarters,
///               first, last, span_first, span_last, slope, trend, recurring}]
///   counts:   [{ratee, competency, quarter, mentions, strengths, growth}]
///   team:     [{competency, n_ratees, mentions, strengths, growth,
///               recurring_ratees, suppressed, note}]
nlohmann::ordered_json to_json_value(const calibration::feedback_result& r, const framework& fw);
nlohmann::ordered_json to_json_value(const calibration::feedback_result& r, const calibration::ratings_table& table);

}  // namespace calibra::io::detail
