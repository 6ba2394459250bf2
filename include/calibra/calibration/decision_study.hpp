// Decision study: how many raters per ratee does a reliable score need?
// Generalizability theory (Cronbach et al. 1972; Brennan 2001) on the
// data's own design, then the Spearman-Brown / D-study projection.
//
//   const decision_study_result r = decision_study(table);
//   r.components.ratee, r.components.rater, r.components.residual
//   r.projection[k - 1].g, .phi        // k = 1..max_raters
//   r.raters_needed_phi                 // to reach options.target
//
// Object of measurement: a ratee on one competency in one period.  Each
// (competency, period) is a "cell" with its own mean; within a cell the
// facet is the rater.  Variance components are estimated within cells and
// pooled over cells (the cells' sums of squares and their expectations are
// added before solving), so competency and period differences do not count
// as differences between ratees.
//
// Designs (options.design = automatic detects which one the data have):
//   - crossed (p x r): some rater rates two or more ratees of a cell.
//       y = mu + ratee + rater + residual (residual includes ratee x rater)
//     Balanced data (every rater rates every ratee of every cell) give the
//     two-way ANOVA estimates.  Unbalanced data use Henderson's Method 1:
//     the quadratic forms T0 = sum y^2, Tp = sum_i y_i.^2 / n_i.,
//     Tr = sum_j y_.j^2 / n_.j and Tm = y..^2 / N are equated to their
//     expectations under the random model,
//       E(Tp - Tm)       = (N - kp) s2p + (a - kr) s2r + (a - 1) s2e
//       E(Tr - Tm)       = (b - kp) s2p + (N - kr) s2r + (b - 1) s2e
//       E(T0-Tp-Tr+Tm)   = (kp - b) s2p + (kr - a) s2r + (N - a - b + 1) s2e
//     with a ratees, b raters, N ratings, kp = sum n_i.^2 / N and
//     kr = sum n_.j^2 / N (one rating per ratee and rater in a cell), and
//     the 3 x 3 system is solved (Searle, Casella & McCulloch 1992, ch. 5).
//   - nested (r:p): no rater rates two ratees of a cell, so rater and
//     residual variance cannot be told apart.  One-way random ANOVA with
//     unequal group sizes: s2e = SSW / (N - a),
//     s2p = (SSB - (a - 1) s2e) / (N - kp), i.e. (MSB - MSW) / n0 with
//     n0 = (N - sum n_i^2 / N) / (a - 1) for one cell.
// Negative estimates are set to 0 (the raw values are kept) and noted.
//
// Projection for k raters per ratee:
//   relative error  s2_delta = s2e / k                 (crossed)
//   absolute error  s2_Delta = (s2r + s2e) / k         (crossed)
//                   s2_Delta = s2_delta = s2e / k      (nested: rater variance is inside s2e)
//   G(k)   = s2p / (s2p + s2_delta)    generalizability (relative decisions)
//   Phi(k) = s2p / (s2p + s2_Delta)    dependability (absolute decisions)
// G(k) is the Spearman-Brown projection of G(1); with the balanced crossed
// design G(1) and Phi(1) are Shrout & Fleiss' ICC(3,1) and ICC(2,1), and
// with the nested design G(1) is ICC(1,1).  When different ratees are rated
// by different raters -- the usual case in calibration -- rater severity
// does not cancel between ratees, so Phi is the coefficient to read.
// Raters needed: the smallest k with coefficient(k) >= target,
//   k = ceil(target / (1 - target) * error(1) / s2p).
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calibra::calibration {

/// Which generalizability design to estimate.
enum class g_design {
  automatic,  // crossed when some rater rates two ratees of a cell, else nested
  crossed,    // p x r
  nested,     // r:p (one-way)
};

std::string_view to_string(g_design design);

struct decision_study_options {
  /// Which ratings to use.  Empty roles: external_roles(); self is refused.
  /// competency / period restrict the cells (a row selection: the study
  /// pools every period unless the filter names one).
  ratings_filter filter;
  g_design design = g_design::automatic;
  /// Reliability to reach.
  double target = 0.8;
  /// Project for k = 1..max_raters raters per ratee.
  std::size_t max_raters = 10;

  void validate() const;
};

/// Variance components in squared levels.
struct variance_components {
  double ratee = 0;     // s2p: true differences between ratees (within a cell)
  double rater = 0;     // s2r: rater severity (crossed only; 0 when nested)
  double residual = 0;  // s2e: ratee x rater interaction and error (nested: also rater variance)
  /// The estimates before negative values were set to 0.
  double ratee_raw = 0, rater_raw = 0, residual_raw = 0;
};

/// Reliability of the mean of k raters' ratings.
struct reliability_projection {
  std::size_t raters = 0;
  double g = 0;    // relative (generalizability)
  double phi = 0;  // absolute (dependability)
};

struct decision_study_result {
  bool available = false;
  std::string reason;
  /// Set when the components are reported but the data cannot support a
  /// reliability projection (the residual variance is not positive); the
  /// projection is then empty and G / Phi are NaN.
  std::string projection_reason;
  g_design design = g_design::automatic;  // the design estimated (never automatic when available)
  bool balanced = false;                  // every cell complete: the ANOVA estimates
  std::string estimator;                  // how the components were obtained
  std::size_t n_cells = 0;                // (competency, period) groups with ratings
  std::size_t n_units = 0;                // ratee x cell
  std::size_t n_ratees = 0;               // distinct ratees
  std::size_t n_raters = 0;               // distinct raters
  std::size_t n_ratings = 0;
  double mean_raters_per_unit = std::numeric_limits<double>::quiet_NaN();
  /// Harmonic mean of raters per unit: the k of the data's current scores.
  double harmonic_raters_per_unit = std::numeric_limits<double>::quiet_NaN();
  variance_components components;
  std::vector<reliability_projection> projection;  // k = 1..max_raters
  double g_current = std::numeric_limits<double>::quiet_NaN();    // at harmonic_raters_per_unit
  double phi_current = std::numeric_limits<double>::quiet_NaN();
  double target = 0.8;
  /// Raters per ratee to reach target; empty when unreachable (no ratee variance).
  std::optional<std::size_t> raters_needed_g, raters_needed_phi;
  bool suppressed = false;
  std::string note;                // privacy marker
  std::vector<std::string> notes;  // negative components, design fallbacks
};

/// Spearman-Brown: reliability of the mean of k ratings from the
/// reliability `single` of one.
double spearman_brown(double single, double k);

/// The smallest whole number of ratings whose Spearman-Brown reliability
/// reaches `target`; empty when `single` <= 0 (no amount of raters helps).
std::optional<std::size_t> spearman_brown_raters_needed(double single, double target);

namespace detail {

/// One rating for the G study: `cell` groups units that share a mean;
/// `unit` is unique within its cell (a ratee), `rater` across the data.
struct g_observation {
  std::uint64_t cell;
  std::uint32_t unit;
  std::uint32_t rater;
  double score;
};

/// Components, design and projection from observations (any order; at
/// most one observation per cell, unit and rater).
decision_study_result g_study(std::vector<g_observation> obs, const decision_study_options& options,
                              const privacy_policy& privacy, std::size_t n_ratees);

}  // namespace detail

/// The G study and D-study projection of the external ratings of the
/// context's table, under its privacy rule.  Throws invalid_argument for bad
/// options; available = false when the ratings cannot support any design
/// (see reason).
decision_study_result decision_study(const calibration_context& context, const decision_study_options& options = {});

/// The same on a units x raters matrix (NaN = missing), one cell: for
/// published data sets and callers with their own scores.  options.filter
/// is ignored; `privacy` counts units as ratees.
decision_study_result decision_study(const Eigen::Ref<const Eigen::MatrixXd>& units_by_raters,
                                     const decision_study_options& options = {}, const privacy_policy& privacy = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/decision_study-inl.hpp>
#endif
