// Implementation of <calibra/calibration/calibrate.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/calibrate.hpp>

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
#include <calibra/detail/concurrency.hpp>
#include <calibra/error.hpp>

#include <future>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::calibration {

CALIBRA_INLINE auto calibrate_options::validate() const -> void {
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

CALIBRA_INLINE void record(calibration_report& report, std::string id, bool available, std::string reason) {
  report.analyses.push_back({std::move(id), available, available ? std::string() : std::move(reason)});
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE rater_offsets severity_offsets(const ratings_table& table, const severity_fit& fit,
                                      const drift_result* drift) {
  rater_offsets offsets;
  const std::size_t n_raters = table.raters().size(), n_periods = table.periods().size();
  if (fit.available) {
    for (const rater_severity& r : fit.raters) offsets.set_pooled(n_raters, r.rater, r.severity);
    const std::size_t n_competencies = table.framework().competencies().size();
    for (const rater_competency_bias& b : fit.competency_biases)
      offsets.set_on_competency(n_competencies, n_raters, b.competency, b.rater, b.bias);
  }
  if (drift && drift->available)
    for (const rater_period_severity& r : drift->severities)
      offsets.set_in_period(n_periods, n_raters, r.period, r.rater, r.severity);
  return offsets;
}

CALIBRA_INLINE calibration_report calibrate(const calibration_context& context, const calibrate_options& options,
                                            const feedback_log* feedback) {
  options.validate();
  const ratings_table& table = context.table();
  if (!context.period()) throw invalid_argument("calibration", "the ratings table is empty");
  calibration_report report;
  report.input = table.summary();
  report.privacy = context.privacy();
  report.period = *context.period();
  report.period_name = std::string(table.periods()[report.period]);

  const privacy_policy& privacy = context.privacy();
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

  // The context's period is set explicitly from here on, so the ratee
  // analyses describe the same period as the report.
  calibration_context at_period = context;
  at_period.with_period(period);
  calibration_context scored = at_period;
  scored.with_scores(report.scores);

  // The analyses from here on read the table and the scores and write
  // nothing they share, so independent ones run beside each other: the
  // decision study (the ratings alone) and, when the people are scored
  // against a ladder, readiness, the team views and the development plans
  // beside the chain of drift, anchors, self-assessment, levels and
  // patterns.  The report lists every analysis in the same order either
  // way.
  auto decision = calibra::detail::beside([&] { return decision_study(context, options.decision_study); });
  struct people_analyses {
    readiness_result readiness;
    team_result team;
    std::vector<team_result> manager_teams;
    development_result development;
  };
  std::future<people_analyses> people;
  if (table.framework().has_career_levels() && report.scores.rows() > 0)
    people = calibra::detail::beside([&] {
      return people_analyses{assess_readiness(scored, options.readiness), analyse_team(scored, std::nullopt, options.team),
                             analyse_manager_teams(scored, options.team), plan_development(scored, options.development)};
    });

  // Drift before anchors: its per-period severities let the anchors
  // analysis take each rater's severity in that quarter out of the ratings.
  report.drift = analyse_drift(context, options.drift);

  const rater_offsets offsets = severity_offsets(table, report.severity, &report.drift);
  report.anchors = analyse_anchors(context, options.anchors, &offsets);
  detail::record(report, "agreement", report.anchors.available, report.anchors.reason);
  detail::record(report, "competencies", report.anchors.available, report.anchors.reason);

  report.self_assessment = analyse_self_assessment(at_period, options.self_assessment, &offsets);
  detail::record(report, "self_vs_manager", report.self_assessment.available, report.self_assessment.reason);

  detail::record(report, "drift", report.drift.available, report.drift.reason);

  report.decision_study = decision.get();
  detail::record(report, "decision_study", report.decision_study.available, report.decision_study.reason);

  if (!options.group_by.empty()) {
    report.groups = compare_groups(scored, options.group_by);
    detail::record(report, "groups", report.groups->available, report.groups->reason);
  }

  if (!table.framework().has_career_levels()) {
    // A ratings-only framework: everything read against career levels,
    // expectations or quadrants has nothing to read against.  Said so
    // rather than run on made-up expectations.
    const std::string reason = std::string(not_applicable_without_ladder);
    report.levels.reason = report.levels.validation.reason = report.levels.separation.reason = reason;
    report.readiness.reason = report.patterns.reason = report.team.reason = report.development.reason = reason;
    for (const char* id : {"ratees", "matrix_validation", "promotion_separation", "readiness", "patterns", "team",
                           "development_plans"})
      detail::record(report, id, false, reason);
    return report;
  }

  if (report.scores.rows() == 0) {
    ratings_filter self_filter;
    self_filter.period = period;
    self_filter.roles = {rater_role::self};
    competency_scores self_scores = observed_scores(table, self_filter);
    if (self_scores.rows() > 0) {
      // A self-assessment alone: read it against the career level now, and
      // say what the other analyses wait for.
      const std::string one_other = "waiting for ratings from at least one other rater";
      const std::map<std::string, std::string> waiting{
          {"raters", "severity: " + one_other},
          {"components", "rater network: " + one_other},
          {"agreement", "agreement: waiting for two or more other raters of the same person"},
          {"competencies", "agreement per competency: waiting for two or more other raters of the same person"},
          {"self_vs_manager", "self vs manager: waiting for the manager's ratings to compare the self-assessment with"},
          {"decision_study", "decision study: waiting for two or more other raters of the same person"},
      };
      for (analysis_status& a : report.analyses)
        if (const auto it = waiting.find(a.id); it != waiting.end() && !a.available) a.reason = it->second;
      self_scores.method = "self-assessment only";
      report.scores = std::move(self_scores);
      at_period.with_scores(report.scores);
      report.self_profiles = profile_self_assessments(at_period);
      detail::record(report, "self_profiles", report.self_profiles->available, report.self_profiles->reason);
      report.levels = infer_levels(at_period, options.levels);
      detail::record(report, "ratees", report.levels.available, report.levels.reason);
      detail::record(report, "matrix_validation", false,
                     "matrix validation: " + one_other + "; a self-assessment does not test the expectations");
      detail::record(report, "promotion_separation", false, "promotion separation: " + one_other);
      detail::record(report, "readiness", false,
                     "readiness: " + one_other + "; promotion readiness is not judged on a self-assessment");
      report.patterns = analyse_patterns(at_period, options.patterns);
      detail::record(report, "patterns", report.patterns.available, report.patterns.reason);
      detail::record(report, "team", false, "team view: " + one_other);
      report.development = plan_development(at_period, options.development);
      detail::record(report, "development_plans", report.development.available, report.development.reason);
      return report;
    }
    const std::string reason = "no external ratings in " + report.period_name + " to score ratees on";
    for (const char* id : {"ratees", "matrix_validation", "readiness", "patterns", "team", "development_plans"})
      detail::record(report, id, false, reason);
    return report;
  }

  report.levels = infer_levels(scored, options.levels);
  detail::record(report, "ratees", report.levels.available, report.levels.reason);
  detail::record(report, "matrix_validation", report.levels.validation.available, report.levels.validation.reason);
  detail::record(report, "promotion_separation", report.levels.separation.available,
                 report.levels.separation.reason);

  report.patterns = analyse_patterns(scored, options.patterns);
  people_analyses side = people.get();
  report.readiness = std::move(side.readiness);
  report.team = std::move(side.team);
  report.manager_teams = std::move(side.manager_teams);
  report.development = std::move(side.development);

  detail::record(report, "readiness", report.readiness.available, report.readiness.reason);
  detail::record(report, "patterns", report.patterns.available, report.patterns.reason);
  detail::record(report, "team", report.team.available, report.team.reason);
  detail::record(report, "development_plans", report.development.available, report.development.reason);
  return report;
}

}  // namespace calibra::calibration
