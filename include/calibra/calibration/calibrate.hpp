// calibrate(): every calibration analysis the data supports, in one call.
//
// This is what `calibra calibrate`, the Python `calibra.calibrate()` and the
// calibration sections of `calibra report` run.  Each analysis lives in its
// own header and can be called alone; this file only decides the order
// (fair scores need the severity model first), shares the options they have
// in common (the analysed period, the privacy rule) and records which
// analyses ran and why the others did not.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
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
  /// Aggregates over fewer ratees than this are suppressed.
  privacy_policy privacy;
  severity_options severity;

  void validate() const {
    privacy.validate();
    severity.validate();
  }
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
  /// the severity model is unavailable; `method` says which).
  competency_scores scores;

  std::vector<analysis_status> analyses;

  const analysis_status* status(std::string_view id) const {
    for (const auto& a : analyses)
      if (a.id == id) return &a;
    return nullptr;
  }
};

namespace detail {

inline std::uint32_t resolve_period(const ratings_table& table, const std::optional<std::string>& name) {
  if (table.periods().empty()) throw invalid_argument("calibration", "the ratings table is empty");
  if (!name) return static_cast<std::uint32_t>(table.periods().size() - 1);
  if (const auto id = table.periods().find(*name)) return *id;
  std::string known;
  for (std::size_t p = 0; p < table.periods().size(); ++p)
    known += (p ? ", " : "") + std::string(table.periods()[p]);
  throw invalid_argument("calibration", "period '" + *name + "' does not occur in the ratings; they cover " + known);
}

inline void record(calibration_report& report, std::string id, bool available, std::string reason) {
  report.analyses.push_back({std::move(id), available, available ? std::string() : std::move(reason)});
}

}  // namespace detail

/// Runs every analysis the data supports on `table`.  Throws
/// invalid_argument for bad options or an unknown period; an analysis the
/// data cannot support is reported in `analyses`, not thrown.
inline calibration_report calibrate(const ratings_table& table, const calibrate_options& options = {}) {
  options.validate();
  calibration_report report;
  report.input = table.summary();
  report.privacy = options.privacy;
  report.period = detail::resolve_period(table, options.period);
  report.period_name = std::string(table.periods()[report.period]);

  report.severity = fit_severity(table, options.severity);
  detail::record(report, "raters", report.severity.available, report.severity.reason);
  detail::record(report, "components", report.severity.available, report.severity.reason);
  if (report.severity.available) {
    report.scores = report.severity.fair_scores(table, report.period);
  } else {
    ratings_filter filter;
    filter.period = report.period;
    report.scores = observed_scores(table, filter);
  }
  return report;
}

}  // namespace calibra::calibration
