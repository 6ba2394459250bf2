// Drift across periods ("calibration decay"): rater severity per
// period, agreement per period, and flags for a rater whose severity moves
// and for agreement that decays.
//
//   const drift_result r = analyse_drift(table);
//   for (const rater_drift& d : r.raters) if (d.flagged) ...   // d.change, d.ci_low, d.ci_high
//   for (const period_agreement& a : r.agreement) if (a.decay) ...
//
// Random effects (the default, severity_options::model): one REML fit of
// every period's external ratings,
//   level = mu + competency + period + ratee (+ ratee x competency)
//           - rater - rater x period + e,
// so a rater's severity in period p is their overall severity plus their
// rater x period deviation, both shrunk by the data's own variance
// components; when raters do not move, the rater x period variance comes out
// near 0 and so do all changes.  A rater's change is the deviation in the
// last period minus the deviation in the first; raters with at least
// min_ratings_to_judge ratings of min_ratees_to_judge ratees in both are
// judged, and the flagged ones are
// the largest set whose mean posterior probability of |change| below
// severity_threshold is at most severity.false_discovery_rate (the rule of
// the lenient/harsh flags, docs/severity.md).  Comparators are not needed:
// the period effects absorb a shift of everyone.
//
// Fixed effects: severity per period: fit_severity() (severity.hpp) on each period's
// external ratings alone.  Severity > 0 is harsh (the FACETS convention):
// a rater whose ratings go down over time has a rising severity.
//
// Each period's fit identifies severities by summing them to zero within a
// connected component of the rater-ratee graph, so a single rater's raw
// change between two fits also moves with everyone else in the component
// (when one of four raters drifts by d, the sum-to-zero shifts the others
// by -d/4 and leaves the drifter with 3d/4).  The change that is flagged is
// therefore measured against the rater's peers:
//   raw change       = severity(last) - severity(first), the rater's own
//                      first and last period with a severity;
//   reference change = median over the comparators of their raw change
//                      between the same two periods (comparators: other
//                      raters in the rater's component in both fits);
//   change           = raw change - reference change,
// with a normal interval from se^2 = se_first^2 + se_last^2 + (sum over the
// comparators of their two se^2) / m^2 -- the variance of the difference if
// the estimates were independent and the reference were a mean; both are
// approximations (docs/calibration-agreement.md).  Without comparators the
// change is the raw change.  A rater is flagged "severity-drift" when
// |change| > severity_threshold and the interval excludes 0.
//
// Agreement per period: the statistics of anchors.hpp on the units of the
// period.  Calibration decay: a period whose alpha is more than
// alpha_decay below the best earlier period's, or whose within-one-level
// rate is more than within_decay below the best earlier one.  Per-period
// agreement is an aggregate over ratees: suppressed below privacy.min_group.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/detail/names.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

struct drift_options {
  /// Roles whose ratings count; empty: external_roles().  Self is refused.
  std::vector<rater_role> roles;
  /// Severity model settings for the per-period fits (its filter's period
  /// and roles are set by the analysis; its confidence is replaced by ours).
  severity_options severity;
  double confidence = 0.95;
  /// |change| in levels, first to last period, from which a rater is flagged.
  double severity_threshold = 0.5;
  /// Drop of Krippendorff's alpha below the best earlier period that counts as decay.
  double alpha_decay = 0.10;
  /// Drop of the within-one-level rate below the best earlier period that counts as decay.
  double within_decay = 0.10;
  /// Weights of Gwet's AC2 in the per-period agreement.
  agreement::weight_scheme gwet_weights = agreement::weight_scheme::ordinal;

  void validate() const;
};

/// One rater's severity in one period's fit.
struct rater_period_severity {
  std::uint32_t rater = 0;
  std::uint32_t period = 0;
  double severity = 0, se = 0, ci_low = 0, ci_high = 0;
  std::size_t component = 0;  // component index within that period's fit
  std::size_t n_ratings = 0, n_ratees = 0;
};

/// Which way a flagged rater's severity moved.
enum class drift_direction {
  harsher,       // severity rose
  more_lenient,  // severity fell
};

namespace detail {
/// The stable spellings of drift_direction.
inline constexpr calibra::detail::enum_names<drift_direction, 2> drift_direction_names{{
    {drift_direction::harsher, "harsher"},
    {drift_direction::more_lenient, "more lenient"},
}};
static_assert(calibra::detail::is_one_to_one(drift_direction_names));
}  // namespace detail

std::string_view to_string(drift_direction direction);
std::optional<drift_direction> parse_drift_direction(std::string_view text);

/// How a rater's severity moved between their first and last period.
struct rater_drift {
  std::uint32_t rater = 0;
  std::uint32_t first_period = 0, last_period = 0;
  std::size_t periods = 0;  // periods with a severity
  double severity_first = 0, severity_last = 0;
  double raw_change = 0, raw_se = 0;
  double reference_change = 0;  // median change of the comparators (0 without)
  std::size_t n_comparators = 0;
  double change = 0;             // raw_change - reference_change
  double se = 0, ci_low = 0, ci_high = 0;
  /// Random effects: enough ratings in both periods to be judged at all
  /// (severity_options::min_ratings_to_judge ratings of min_ratees_to_judge
  /// ratees in each), and the posterior
  /// probability that |change| is below the threshold on the side of the
  /// estimate (NaN for the fixed-effects model).
  bool judged = true;
  double null_probability = 0;
  bool flagged = false;
  /// Empty when not flagged.
  std::optional<drift_direction> direction;
};

/// Agreement among external raters in one period.
struct period_agreement {
  std::uint32_t period = 0;
  agreement_summary agreement;
  /// Drops below the best earlier period (NaN for the first period or when undefined).
  double alpha_drop = std::numeric_limits<double>::quiet_NaN();
  double within_drop = std::numeric_limits<double>::quiet_NaN();
  std::optional<std::uint32_t> best_alpha_period, best_within_period;
  bool decay = false;
  std::string decay_reason;
};

struct drift_result {
  bool available = false;
  std::string reason;
  /// The model of the severities (options.severity.model).  Random
  /// effects: one REML fit over every period with a rater x period effect;
  /// its variance component is `rater_period_variance` (NaN otherwise).
  severity_model model = severity_model::random_effects;
  double rater_period_variance = std::numeric_limits<double>::quiet_NaN();
  double confidence = 0.95;
  double severity_threshold = 0, alpha_decay = 0, within_decay = 0;
  /// Rater x period severities, by period then rater id.
  std::vector<rater_period_severity> severities;
  /// Raters with a severity in two or more periods, by rater id.
  std::vector<rater_drift> raters;
  /// One per period of the table, chronological.
  std::vector<period_agreement> agreement;
  bool calibration_decay = false;  // some period decays
  std::size_t raters_flagged = 0;
  /// Periods whose severity fit was unavailable, and why.
  std::vector<std::string> notes;
};

/// Rater severity and agreement per period, severity-drift and
/// calibration-decay flags.  Throws invalid_argument for bad options;
/// available = false with one period (or none).
/// Drift reads every period of the context's table (its analysed period
/// plays no part); the per-period agreement follows its privacy rule.
drift_result analyse_drift(const calibration_context& context, const drift_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/drift-inl.hpp>
#endif
