// The calibration results as JSON: what `calibra calibrate --json` prints,
// what the Python package turns into DataFrames, and what a C++ caller gets
// for any one analysis.  docs/calibration.md lists the sections, and the
// detail pages it links list every field, in the order written.
//
// There is one writer per result type.  Each returns the object that the
// full report holds under the section's name, so a result serialised alone
// and the same section of the report are byte for byte the same.  Every
// writer takes the ratings table the result was computed from: results
// store ids, the table turns them into names.  Numbers that are absent, NaN
// or infinite are written as null; suppressed aggregates carry
// "suppressed": true and a note.  Compact JSON text (no indentation, no
// trailing newline) except for the whole report.
#pragma once

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/ratings.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace calibra {

/// The whole report as pretty-printed JSON (two-space indent, trailing
/// newline): summary first, then agreement, competencies, raters,
/// components, drift, self_vs_manager, decision_study, ratees,
/// matrix_validation, team, development_plans and, when a feedback log was
/// given, feedback.
std::string to_json(const calibration::calibration_report& report, const calibration::ratings_table& table);
/// The same document written to `out` as it is made, section by section and
/// the large tables row by row, so that it never has to fit in memory whole
/// (to_json builds the text in a string).
void write_json(std::ostream& out, const calibration::calibration_report& report,
                const calibration::ratings_table& table);

/// The `raters` section: the severity fit.
std::string to_json(const calibration::severity_fit& fit, const calibration::ratings_table& table);
/// The `components` section: the rater-ratee network.
std::string to_json(const calibration::rater_network& network, const calibration::ratings_table& table);
/// {"agreement": ..., "competencies": ...}: the two sections the anchor review fills.
std::string to_json(const calibration::anchors_result& result, const calibration::ratings_table& table);
/// The `self_vs_manager` section.
std::string to_json(const calibration::self_assessment_result& result, const calibration::ratings_table& table);
/// The `drift` section.
std::string to_json(const calibration::drift_result& result, const calibration::ratings_table& table);
/// The `decision_study` section.
std::string to_json(const calibration::decision_study_result& result, const calibration::ratings_table& table);
/// Level inference alone: the per-ratee levels and shortfalls.  (The
/// report's `matrix_validation` section is validation_to_json.)
std::string to_json(const calibration::level_inference& result, const calibration::ratings_table& table);
/// The `matrix_validation` section: level inference's validation of the
/// expectation matrix and the promotion separation.
std::string validation_to_json(const calibration::level_inference& result, const calibration::ratings_table& table);
/// Readiness alone.
std::string to_json(const calibration::readiness_result& result, const calibration::ratings_table& table);
/// Patterns alone.
std::string to_json(const calibration::patterns_result& result, const calibration::ratings_table& table);
/// The `development_plans` section.
std::string to_json(const calibration::development_result& result, const calibration::ratings_table& table);
/// One team.
std::string to_json(const calibration::team_result& result, const calibration::ratings_table& table);
/// The `team` section: the whole table as one team and every manager's team.
std::string to_json(const calibration::team_result& whole, const std::vector<calibration::team_result>& managers,
                    const calibration::ratings_table& table);
/// The `feedback` section.
std::string to_json(const calibration::feedback_result& result, const calibration::ratings_table& table);

}  // namespace calibra
