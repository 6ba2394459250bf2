// calibrate(): every calibration analysis the data supports, in one call.
//
// This is what `calibra calibrate`, the Python `calibra.calibrate()` and the
// calibration sections of `calibra report` run.  Each analysis lives in its
// own header and can be called alone; this file only decides the order
// (fair scores need the severity model first), shares the options they have
// in common (the analysed period, the privacy rule) and records which
// analyses ran and why the others did not.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/development.hpp>
#include <calibra/calibration/drift.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/patterns.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/readiness.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/error.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration {

struct calibrate_options {
  /// The period whose state the ratee analyses describe, by name (e.g.
  /// "2026Q3"); empty: the latest period in the data.
  std::optional<std::string> period;
  /// Aggregates over fewer ratees than this are suppressed.  It replaces
  /// the privacy field of every analysis's options, so one rule holds.
  privacy_policy privacy;

  // Per-analysis settings.  Their period fields are overridden by `period`
  // (anchors and the decision study pool every period unless their own
  // options restrict them: the anchor text is the same in every period).
  severity_options severity;
  anchors_options anchors;
  self_assessment_options self_assessment;
  drift_options drift;
  decision_study_options decision_study;
  level_options levels;
  readiness_options readiness;
  pattern_options patterns;
  team_options team;
  development_options development;
  feedback_options feedback;

  void validate() const;
};

/// Whether one analysis ran, and if not, why.
struct analysis_status {
  std::string id;  // the JSON section it fills, e.g. "self_vs_manager"
  bool available = false;
  std::string reason;  // empty when it ran
};

struct calibration_report {
  /// What reading the ratings did (rows read, kept, duplicates...).
  ratings_summary input;
  /// The analysed period (table period id and name).
  std::uint32_t period = 0;
  std::string period_name;
  privacy_policy privacy;

  severity_fit severity;
  /// Severity-adjusted scores in the analysed period (observed means when
  /// the severity model is unavailable; `method` says which).  Every ratee
  /// analysis below reads these.
  competency_scores scores;

  anchors_result anchors;                 // JSON: agreement, competencies
  self_assessment_result self_assessment; // JSON: self_vs_manager
  drift_result drift;
  decision_study_result decision_study;
  level_inference levels;                 // JSON: ratees, matrix_validation
  readiness_result readiness;
  patterns_result patterns;
  team_result team;                       // the whole table as one team
  std::vector<team_result> manager_teams; // one per manager
  development_result development;
  /// Recurring feedback themes; set only when a feedback log was given.
  std::optional<feedback_result> feedback;

  std::vector<analysis_status> analyses;

  const analysis_status* status(std::string_view id) const;
};

namespace detail {

std::uint32_t resolve_period(const ratings_table& table, const std::optional<std::string>& name);

void record(calibration_report& report, std::string id, bool available, std::string reason);

}  // namespace detail

/// The raters' severities as offsets for analyse_anchors(): pooled from
/// `fit`, per period from `drift` (when given and available).  Empty when
/// neither has any.
rater_offsets severity_offsets(const ratings_table& table, const severity_fit& fit,
                                      const drift_result* drift = nullptr);

/// Runs every analysis the data supports on `table` (and on the feedback
/// log, when given).  Throws invalid_argument for bad options or an unknown
/// period; an analysis the data cannot support is reported in `analyses`,
/// not thrown.
calibration_report calibrate(const ratings_table& table, const calibrate_options& options = {},
                                    const feedback_log* feedback = nullptr);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/calibrate-inl.hpp>
#endif
