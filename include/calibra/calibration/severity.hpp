// Rater severity: an additive model of the external ratings, severity-
// adjusted ("fair") scores, and rater-effect diagnostics.  docs/severity.md
// describes the model, its assumptions and every flag.
#pragma once

#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace calibra::calibration {

struct severity_options {
  /// Which ratings to model.  Empty roles -> external_roles().
  ratings_filter filter;
  bool period_effects = true;
  double confidence = 0.95;
  /// |severity| in levels from which a rater is called lenient or harsh
  /// (the confidence interval must also exclude 0).
  double flag_threshold = 0.5;
  /// Raters with fewer kept ratings get no distribution-based flag
  /// (central-tendency, range-restriction, non-discriminating, halo).
  std::size_t min_ratings_for_flags = 10;
  /// ... and with fewer distinct ratees no non-discriminating or halo flag.
  std::size_t min_ratees_for_flags = 3;
  /// central-tendency: at least this share of the rater's ratings at the
  /// middle level(s) of the scale AND an SD at most central_sd_ratio times
  /// the SD of all ratings of the same ratees.
  double central_share = 0.7;
  double central_sd_ratio = 0.6;
  /// range-restriction: the rater uses at most this many distinct levels
  /// while the ratings of the same ratees by everyone use more.
  std::size_t range_max_levels = 2;
  /// non-discriminating: the SD of the rater's per-ratee means is at most
  /// this share of the SD of those ratees' means over all their ratings.
  double nondiscriminating_ratio = 0.3;
  /// halo: mean within-ratee SD across competencies at most halo_sd_ratio
  /// times the median of that value over raters, AND the first principal
  /// component's share of the rater's (ratee, period) x competency matrix at
  /// least halo_pc1_share.
  double halo_sd_ratio = 0.5;
  double halo_pc1_share = 0.8;
  /// Exact standard errors (pseudo-inverse of the information matrix) when
  /// the model has at most this many severity, competency and period
  /// parameters; above it, the per-element approximation (docs/severity.md).
  std::size_t exact_se_max_parameters = 2000;
  /// Conjugate-gradient stopping rule for large designs.
  double tolerance = 1e-10;
  std::size_t max_iterations = 10000;

  void validate() const;
};

/// One rater's severity and diagnostics.
struct rater_severity {
  std::uint32_t rater = 0;
  double severity = 0, se = 0, ci_low = 0, ci_high = 0;
  std::size_t component = 0, n_ratings = 0, n_ratees = 0;

  // Diagnostics (NaN when undefined).
  double mean_level = 0;       // mean of the rater's levels
  double sd_level = 0;         // their sample SD
  double pooled_sd_level = 0;  // SD of all kept ratings of the rater's ratees, by every rater
  double sd_ratio = 0;         // sd_level / pooled_sd_level
  double middle_share = 0;     // share of the rater's ratings at the middle level(s) of the scale
  std::size_t levels_used = 0;         // distinct levels the rater gave
  std::size_t pooled_levels_used = 0;  // distinct levels all raters gave the rater's ratees
  double ratee_mean_sd = 0;            // SD of the rater's per-ratee mean levels
  double pooled_ratee_mean_sd = 0;     // SD of the same ratees' means over all their ratings
  double discrimination_ratio = 0;     // ratee_mean_sd / pooled_ratee_mean_sd
  double halo_within_sd = 0;   // mean over (ratee, period) of the SD of the rater's levels across competencies
  double halo_sd_ratio = 0;    // halo_within_sd / median of halo_within_sd over raters
  double halo_pc1_share = 0;   // first principal component share of the rater's (ratee, period) x competency matrix
  double fit_mean_square = 0;  // mean squared residual of the rater's ratings / residual variance

  /// Stable ids: "lenient", "harsh", "central-tendency", "range-restriction",
  /// "non-discriminating", "halo".
  std::vector<std::string> flags;
};

/// A competency or period effect.
struct facet_effect {
  std::uint32_t id = 0;  // competency index or table period id
  double estimate = 0, se = 0;
  std::size_t n_ratings = 0;
};

struct severity_fit {
  /// False when the data cannot support the model (no ratings, no residual
  /// degrees of freedom); `reason` then says why and the tables are empty.
  bool available = false;
  std::string reason;

  /// One per rater with kept ratings, ascending rater id.
  std::vector<rater_severity> raters;
  /// Ratee effects (mean-centred over ratees), by ascending ratee id.
  std::vector<std::uint32_t> ratees;
  std::vector<double> ratee_effects;
  /// Competencies and periods with kept ratings; estimates sum to zero.
  std::vector<facet_effect> competency_effects;
  std::vector<facet_effect> period_effects;
  double mu = 0;
  double residual_sd = 0;
  std::size_t n_ratings = 0;
  std::size_t dof = 0;  // residual degrees of freedom
  /// "exact: ..." or "approximate: ..." (docs/severity.md).
  std::string se_method;
  std::size_t iterations = 0;  // conjugate-gradient iterations (0 for the direct solve)
  bool converged = true;
  double confidence = 0.95;
  rater_network network;
  ratings_filter filter;  // the filter used (roles filled in)

  /// The rater's severity record, if the rater had kept ratings.
  const rater_severity* find_rater(std::uint32_t rater) const;

  /// Severity-adjusted ("fair") scores per ratee x competency for one period (default: latest), with SEs.
  competency_scores fair_scores(const ratings_table& table, std::optional<std::uint32_t> period = std::nullopt) const;
};

severity_fit fit_severity(const ratings_table& table, const severity_options& options = {});

// ---------------------------------------------------------------------------
// Implementation (in progress)

inline void severity_options::validate() const {}

inline const rater_severity* severity_fit::find_rater(std::uint32_t rater) const {
  for (const auto& r : raters)
    if (r.rater == rater) return &r;
  return nullptr;
}

inline competency_scores severity_fit::fair_scores(const ratings_table&, std::optional<std::uint32_t>) const {
  return {};
}

inline severity_fit fit_severity(const ratings_table& table, const severity_options& options) {
  options.validate();
  severity_fit fit;
  fit.network = analyse_network(table, options.filter);
  fit.reason = "not implemented yet";
  return fit;
}

}  // namespace calibra::calibration
