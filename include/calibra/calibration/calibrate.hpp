// calibrate(): every calibration analysis the data supports, in one call.
//
// This is what `calibra calibrate`, the Python `calibra.calibrate()` and the
// calibration sections of `calibra report` run.  Each analysis lives in its
// own header and can be called alone; this file only decides the order
// (fair scores need the severity model first), shares the options they have
// in common through one calibration_context (the analysed period, the
// privacy rule) and records which analyses ran and why the others did not.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/development.hpp>
#include <calibra/calibration/drift.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/groups.hpp>
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
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

/// Per-analysis settings.  The analysed period and the privacy rule are
/// not here: they come from the calibration_context, so every analysis sees
/// the same ones (the feedback options' own privacy rule is replaced by the
/// context's too).
struct calibrate_options {
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
  /// An attribute column of the ratings (team, department) whose groups of
  /// ratees are compared (groups.hpp); empty for none.  A name the table
  /// does not have is an invalid_argument.
  std::string group_by;

  void validate() const;
};

/// The reason calibrate() gives for each analysis it skips on a framework
/// without career levels (a ratings-only framework): ratee levels, matrix
/// validation, promotion separation, readiness, patterns (quadrant profiles
/// and archetypes), the team view and development plans.  Severities, fair
/// scores, agreement, anchors, self vs manager, drift and the decision
/// study run as usual.
inline constexpr std::string_view not_applicable_without_ladder =
    "not applicable: the framework has no career levels";

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
  /// Set when the analysed period holds self ratings only: each person's
  /// self-assessment against their career level (self_assessment.hpp).
  /// `scores` are then the self levels (method "self-assessment only"), and
  /// levels, patterns (archetype) and development read them; every analysis
  /// that needs other raters says in its reason what it is waiting for.
  std::optional<self_profiles_result> self_profiles;
  /// The groups of calibrate_options::group_by; set only when it was given.
  std::optional<group_comparison> groups;

  std::vector<analysis_status> analyses;

  const analysis_status* status(std::string_view id) const;
};

namespace detail {

void record(calibration_report& report, std::string id, bool available, std::string reason);

}  // namespace detail

/// The raters' severities as offsets for analyse_anchors(): pooled from
/// `fit`, per period from `drift` (when given and available).  Empty when
/// neither has any.
rater_offsets severity_offsets(const ratings_table& table, const severity_fit& fit,
                                      const drift_result* drift = nullptr);

/// Runs every analysis the data supports on the context's table (and on the
/// feedback log, when given), in the context's analysed period (by default
/// the latest) and under its privacy rule.  The context's scores, if any,
/// are not used: calibrate() derives its own from the severity model.
/// Throws invalid_argument for bad options or an empty table; an analysis
/// the data cannot support is reported in `analyses`, not thrown.
calibration_report calibrate(const calibration_context& context, const calibrate_options& options = {},
                             const feedback_log* feedback = nullptr);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/calibrate-inl.hpp>
#endif
