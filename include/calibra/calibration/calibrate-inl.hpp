// Implementation of <calibra/calibration/calibrate.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/calibrate.hpp>

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

CALIBRA_INLINE auto calibrate_options::validate() const -> void {
  privacy.validate();
  severity.validate();
  anchors.validate();
  self_assessment.validate();
  drift.validate();
  decision_study.validate();
  levels.validate();
  readiness.validate();
  patterns.validate();
  team.validate();
  development.validate();
  feedback.validate();
}

CALIBRA_INLINE auto calibration_report::status(std::string_view id) const -> const analysis_status* {
  for (const auto& a : analyses)
    if (a.id == id) return &a;
  return nullptr;
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE std::uint32_t resolve_period(const ratings_table& table, const std::optional<std::string>& name) {
  if (table.periods().empty()) throw invalid_argument("calibration", "the ratings table is empty");
  if (!name) return static_cast<std::uint32_t>(table.periods().size() - 1);
  if (const auto id = table.periods().find(*name)) return *id;
  std::string known;
  for (std::size_t p = 0; p < table.periods().size(); ++p)
    known += (p ? ", " : "") + std::string(table.periods()[p]);
  throw invalid_argument("calibration", "period '" + *name + "' does not occur in the ratings; they cover " + known);
}

CALIBRA_INLINE void record(calibration_report& report, std::string id, bool available, std::string reason) {
  report.analyses.push_back({std::move(id), available, available ? std::string() : std::move(reason)});
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE rater_offsets severity_offsets(const ratings_table& table, const severity_fit& fit,
                                      const drift_result* drift) {
  rater_offsets offsets;
  const std::size_t n_raters = table.raters().size(), n_periods = table.periods().size();
  if (fit.available)
    for (const rater_severity& r : fit.raters) offsets.set_pooled(n_raters, r.rater, r.severity);
  if (drift && drift->available)
    for (const rater_period_severity& r : drift->severities)
      offsets.set_in_period(n_periods, n_raters, r.period, r.rater, r.severity);
  return offsets;
}

CALIBRA_INLINE calibration_report calibrate(const ratings_table& table, const calibrate_options& options,
                                    const feedback_log* feedback) {
  options.validate();
  calibration_report report;
  report.input = table.summary();
  report.privacy = options.privacy;
  report.period = detail::resolve_period(table, options.period);
  report.period_name = std::string(table.periods()[report.period]);

  const framework& fw = table.framework();
  const privacy_policy& privacy = options.privacy;
  const std::uint32_t period = report.period;

  if (feedback) {
    feedback_options feedback_opts = options.feedback;
    feedback_opts.privacy = privacy;
    report.feedback = analyse_feedback(*feedback, feedback_opts);
    detail::record(report, "feedback", report.feedback->available, report.feedback->reason);
  }

  report.severity = fit_severity(table, options.severity);
  detail::record(report, "raters", report.severity.available, report.severity.reason);
  detail::record(report, "components", report.severity.available, report.severity.reason);
  if (report.severity.available) {
    report.scores = report.severity.fair_scores(table, period);
  } else {
    ratings_filter filter;
    filter.period = period;
    report.scores = observed_scores(table, filter);
  }

  // Drift before anchors: its per-period severities let the anchors
  // analysis take each rater's severity in that quarter out of the ratings.
  drift_options drift = options.drift;
  drift.privacy = privacy;
  report.drift = analyse_drift(table, drift);

  anchors_options anchors = options.anchors;
  anchors.privacy = privacy;
  const rater_offsets offsets = severity_offsets(table, report.severity, &report.drift);
  report.anchors = analyse_anchors(table, anchors, &offsets);
  detail::record(report, "agreement", report.anchors.available, report.anchors.reason);
  detail::record(report, "competencies", report.anchors.available, report.anchors.reason);

  self_assessment_options self = options.self_assessment;
  self.period = period;
  self.privacy = privacy;
  report.self_assessment = analyse_self_assessment(table, self);
  detail::record(report, "self_vs_manager", report.self_assessment.available, report.self_assessment.reason);

  detail::record(report, "drift", report.drift.available, report.drift.reason);

  decision_study_options study = options.decision_study;
  study.privacy = privacy;
  report.decision_study = decision_study(table, study);
  detail::record(report, "decision_study", report.decision_study.available, report.decision_study.reason);

  if (report.scores.rows() == 0) {
    const std::string reason = "no external ratings in " + report.period_name + " to score ratees on";
    for (const char* id : {"ratees", "matrix_validation", "readiness", "patterns", "team", "development_plans"})
      detail::record(report, id, false, reason);
    return report;
  }

  level_options levels = options.levels;
  levels.period = period;
  levels.privacy = privacy;
  report.levels = infer_levels(table, fw, report.scores, levels);
  detail::record(report, "ratees", report.levels.available, report.levels.reason);
  detail::record(report, "matrix_validation", report.levels.validation.available, report.levels.validation.reason);
  detail::record(report, "promotion_separation", report.levels.separation.available,
                 report.levels.separation.reason);

  readiness_options readiness = options.readiness;
  readiness.period = period;
  report.readiness = assess_readiness(table, fw, report.scores, readiness);
  detail::record(report, "readiness", report.readiness.available, report.readiness.reason);

  pattern_options patterns = options.patterns;
  patterns.period = period;
  report.patterns = analyse_patterns(table, fw, report.scores, patterns);
  detail::record(report, "patterns", report.patterns.available, report.patterns.reason);

  team_options team = options.team;
  team.period = period;
  team.privacy = privacy;
  report.team = analyse_team(table, fw, report.scores, std::nullopt, team);
  report.manager_teams = analyse_manager_teams(table, fw, report.scores, team);
  detail::record(report, "team", report.team.available, report.team.reason);

  development_options development = options.development;
  development.period = period;
  report.development = plan_development(table, fw, report.scores, development);
  detail::record(report, "development_plans", report.development.available, report.development.reason);
  return report;
}

}  // namespace calibra::calibration
