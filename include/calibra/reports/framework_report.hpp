// Report sections that describe a framework: what the matrix document
// holds (anchors, targets, promotion gaps), plus an overview and the rule checks.
//
//   overview        scale, career ladder, competencies
//   anchors         competencies (rows, grouped by quadrant) x levels (columns): the behavioural anchors
//   targets         competencies x career levels: the expected level, on the level colour scale
//   promotion-gaps  per step, the competencies whose expectation rises; steps summary; plateaus
//   checks          findings of calibra::check() and every rule applied
//
// Each section is built by its own function so callers compose the report
// they need; framework_report() puts them in that order.  Calibration
// sections (calibration_report.hpp) are appended to the same report.
#pragma once

#include <calibra/config.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/reports/document.hpp>
#include <calibra/version.hpp>

#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::reports {

struct framework_report_options {
  /// Report title; empty means "<framework name>: competency matrix".
  std::string title;
  /// The rules the checks section applies, and the 3-5 promotion-gap
  /// guideline the promotion-gaps summary uses.
  check_options checks;
};

namespace detail {

/// "Tactical-internal": the title of a quadrant group.
/// Empty for no quadrant (a framework without quadrants).
std::string quadrant_title(std::optional<quadrant> q);

/// Competency indices in report order: by quadrant (all_quadrants() order),
/// then as declared.
std::vector<std::size_t> competencies_by_quadrant(const framework& fw);

std::string area_name(const framework& fw, const competency& c);

std::string step_title(const framework& fw, const step& s);

cell level_cell(const framework& fw, int ordinal);

int expected(const framework& fw, std::size_t career_level, std::size_t comp);

bool has_finding_at(const std::vector<finding>& findings, const std::string& pointer);

std::string join(const std::vector<std::string>& parts, const std::string& separator);

}  // namespace detail

/// An empty report carrying the framework's stamp (name, version,
/// last-updated date) and its level colour scale, ready for sections.
report begin_report(const framework& fw, std::string title);

/// The scale, the career ladder and the list of competencies.
section overview_section(const framework& fw);

/// Competencies as rows grouped by quadrant, one column per level holding
/// the behavioural anchor.  Anchors with a check finding are emphasised.
section anchors_section(const framework& fw, const std::vector<finding>& findings = {});

/// The expectation matrix: competencies (rows, grouped by quadrant) x career
/// levels, each cell the minimum expected level on the level colour scale;
/// plus the mean expectation per quadrant and its line chart.
section targets_section(const framework& fw, const std::vector<finding>& findings = {});

/// Per promotion step, the competencies whose expectation rises (the
/// "promotion gap" competencies), a summary per step
/// against the 3-5 guideline, and the competencies that plateau.
section promotion_gaps_section(const framework& fw, const check_options& guideline = {});

/// The findings of check() (errors first) and every rule applied with its result.
section checks_section(const framework& fw, const std::vector<finding>& findings);

/// The framework report: overview, anchors, targets, promotion gaps, checks.
report framework_report(const framework& fw, const std::vector<finding>& findings,
                               const framework_report_options& options = {});

/// The framework report with the findings of check(fw, options.checks).
report framework_report(const framework& fw, const framework_report_options& options = {});

}  // namespace calibra::reports

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/reports/framework_report-inl.hpp>
#endif
