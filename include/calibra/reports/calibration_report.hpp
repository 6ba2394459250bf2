// Report sections from a calibration run (calibration/calibrate.hpp), for
// PM managers who read rather than code.  They follow the framework
// sections of framework_report.hpp in the same document:
//
//   data             what was read, the analysed period, which analyses ran and why others did not
//   calibration      agreement per competency, anchors that need rewriting (with evidence),
//                    agreement per period (calibration decay), raters needed for a reliable rating
//   raters           severity with confidence intervals and flags, connectivity, drift across periods
//   self-vs-manager  conversations sorted by disagreement, self-inflation per competency
//   self-profiles    people with only a self-assessment: each against the career level's expectations
//                    (strengths, gaps, what to discuss with the manager, archetype, development plan)
//   ratees           fair scores, inferred level, readiness for the next step, development plans
//   matrix           matrix validation (anchors too easy or too hard), promotion separation,
//                    team strengths and gaps
//
// Privacy: aggregates over people come from the analyses already suppressed
// below the privacy minimum; the tables show the empty value and the
// analysis's marker in a "note" column.  Per-ratee results are not
// aggregates; options.include_ratees leaves them out for a report that goes
// beyond the people entitled to see them.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/calibrate.hpp>
#include <calibra/reports/framework_report.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace calibra::reports {

struct calibration_report_options {
  /// Divergent units listed as evidence per flagged competency.
  std::size_t max_examples_per_competency = 5;
  /// Per-ratee sections (self vs manager conversations, fair scores,
  /// readiness, development plans).  Aggregates stay either way.
  /// Off, the evidence of divergent ratings does not name the ratee either.
  bool include_ratees = true;
};

namespace detail {

namespace cal = calibra::calibration;

std::string yes_no(bool v);

std::string rater_name(const cal::ratings_table& t, std::uint32_t id);
std::string ratee_name(const cal::ratings_table& t, std::uint32_t id);
std::string period_name(const cal::ratings_table& t, std::uint32_t id);

std::string career_level_name(const framework& fw, const std::optional<std::size_t>& level);

/// The level a fractional score rounds to, inside the scale, for colouring.
std::optional<int> score_level(const framework& fw, double score);

std::string fixed2(double v);

std::string percent(double share);

std::string unavailable_text(const std::string& what, const std::string& reason);

}  // namespace detail

/// What was read and which analyses ran.
section data_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings);

/// Agreement per competency, the anchors that need rewriting and their
/// evidence, agreement per period, and the decision study.
section calibration_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings,
                                   const calibration_report_options& options = {});

/// Severity per rater with its interval and flags, connectivity of the
/// rater network, and drift of severity across periods.
section raters_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings);

/// Self ratings against the manager's: the conversation list (per ratee)
/// and systematic self-inflation per competency (aggregates).
section self_vs_manager_section(const calibration::calibration_report& cal,
                                       const calibration::ratings_table& ratings,
                                       const calibration_report_options& options = {});

/// People whom only they themselves have rated (calibration_report::self_profiles):
/// an overview row each (strengths, gaps, competencies to discuss with the
/// manager, archetype, development plan) and a table each of competency,
/// self level, expected level and gap.  Per-ratee: left out without
/// options.include_ratees.
section self_profiles_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings);

/// Per ratee: fair scores, inferred level, readiness, development plan.
section ratees_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings);

/// Does the matrix fit the people it describes?  Anchors too easy or too
/// hard, per career level, promotion separation, team strengths and gaps.
section matrix_section(const calibration::calibration_report& cal, const calibration::ratings_table& ratings);

/// Appends the calibration sections to `r` (a report begun for the same framework).
void add_calibration_sections(report& r, const calibration::calibration_report& cal,
                                     const calibration::ratings_table& ratings,
                                     const calibration_report_options& options = {});

/// The framework report followed by the calibration sections; the title
/// says "calibration report" unless one is given.
report framework_calibration_report(const calibration::ratings_table& ratings,
                                           const calibration::calibration_report& cal,
                                           framework_report_options framework_options = {},
                                           const calibration_report_options& options = {});

}  // namespace calibra::reports

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/reports/calibration_report-inl.hpp>
#endif
