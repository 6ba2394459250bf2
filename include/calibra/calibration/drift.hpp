// Drift across periods ("calibration decay"): rater severity per
// period, agreement per period, and flags for a rater whose severity moves
// and for agreement that decays.
//
//   const drift_result r = analyse_drift(table);
//   for (const rater_drift& d : r.raters) if (d.flagged) ...   // d.change, d.ci_low, d.ci_high
//   for (const period_agreement& a : r.agreement) if (a.decay) ...
//
// Severity per period: fit_severity() (severity.hpp) on each period's
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

#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/error.hpp>

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
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
  privacy_policy privacy;

  void validate() const {
    const auto fail = [](const std::string& message) { throw invalid_argument("calibration", message); };
    if (!(confidence > 0 && confidence < 1))
      fail("drift: confidence must be strictly between 0 and 1, got " + std::to_string(confidence));
    if (!(severity_threshold >= 0) || !std::isfinite(severity_threshold))
      fail("drift: severity_threshold must be a finite number of levels >= 0, got " +
           std::to_string(severity_threshold));
    if (!(alpha_decay >= 0) || !std::isfinite(alpha_decay))
      fail("drift: alpha_decay must be a finite number >= 0, got " + std::to_string(alpha_decay));
    if (!(within_decay >= 0 && within_decay <= 1))
      fail("drift: within_decay must be a share in [0, 1], got " + std::to_string(within_decay));
    if (std::find(roles.begin(), roles.end(), rater_role::self) != roles.end())
      fail("drift: roles must not include 'self'");
    if (gwet_weights == agreement::weight_scheme::custom) fail("drift: gwet_weights cannot be 'custom'");
    privacy.validate();
    severity_options check = severity;
    check.confidence = confidence;
    check.validate();
  }
};

/// One rater's severity in one period's fit.
struct rater_period_severity {
  std::uint32_t rater = 0;
  std::uint32_t period = 0;
  double severity = 0, se = 0, ci_low = 0, ci_high = 0;
  std::size_t component = 0;  // component index within that period's fit
  std::size_t n_ratings = 0, n_ratees = 0;
};

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
  bool flagged = false;
  /// "harsher" (severity rose), "more lenient" (fell) or "" when not flagged.
  std::string direction;
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
inline drift_result analyse_drift(const ratings_table& table, const drift_options& options = {}) {
  options.validate();
  drift_result result;
  result.confidence = options.confidence;
  result.severity_threshold = options.severity_threshold;
  result.alpha_decay = options.alpha_decay;
  result.within_decay = options.within_decay;
  const std::size_t n_periods = table.periods().size();
  if (n_periods < 2) {
    result.reason = n_periods == 0 ? "no ratings" : "one period only ('" + table.periods()[0] +
                                                        "'); drift needs ratings from two or more periods";
    return result;
  }
  const std::vector<rater_role>& roles = options.roles.empty() ? external_roles() : options.roles;

  // Severity per period.
  const std::size_t n_raters = table.raters().size();
  std::vector<std::vector<const rater_severity*>> by_period(n_periods);
  std::vector<severity_fit> fits;
  fits.reserve(n_periods);
  for (std::uint32_t p = 0; p < n_periods; ++p) {
    severity_options so = options.severity;
    so.filter = ratings_filter{};
    so.filter.period = p;
    so.filter.roles = roles;
    so.period_effects = false;  // one period per fit
    so.confidence = options.confidence;
    fits.push_back(fit_severity(table, so));
    const severity_fit& fit = fits.back();
    by_period[p].assign(n_raters, nullptr);
    if (!fit.available) {
      result.notes.push_back("period '" + table.periods()[p] + "': no severity fit (" + fit.reason + ")");
      continue;
    }
    for (const rater_severity& rs : fit.raters) {
      by_period[p][rs.rater] = &rs;
      result.severities.push_back(
          {rs.rater, p, rs.severity, rs.se, rs.ci_low, rs.ci_high, rs.component, rs.n_ratings, rs.n_ratees});
    }
  }

  // Change from each rater's first to last period, against their peers.
  // Raters are grouped by their (first, last) pair of periods; for each pair
  // every rater with a severity in both periods is a possible comparator,
  // and comparators must share the rater's component in both fits.  Sorting
  // each (component, component) group by change gives every member's
  // median-without-themself in O(1), so the pass costs O(pairs x raters log
  // raters) rather than raters^2.
  const boost::math::normal standard;
  const double z = boost::math::quantile(boost::math::complement(standard, (1 - options.confidence) / 2));
  const auto usable = [&](std::uint32_t p, std::uint32_t rater) {
    return by_period[p][rater] != nullptr && std::isfinite(by_period[p][rater]->se);
  };
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint32_t>> by_span;
  std::vector<std::size_t> periods_of(n_raters, 0);
  for (std::uint32_t rater = 0; rater < n_raters; ++rater) {
    std::optional<std::uint32_t> first, last;
    for (std::uint32_t p = 0; p < n_periods; ++p)
      if (usable(p, rater)) {
        if (!first) first = p;
        last = p;
        ++periods_of[rater];
      }
    if (periods_of[rater] >= 2) by_span[{*first, *last}].push_back(rater);
  }
  struct peer {
    std::size_t component_first, component_last;
    double change, variance;
    std::uint32_t rater;
  };
  std::vector<std::size_t> position(n_raters);
  for (const auto& [span, raters] : by_span) {
    const auto [first, last] = span;
    std::vector<peer> peers;
    for (std::uint32_t other = 0; other < n_raters; ++other)
      if (usable(first, other) && usable(last, other)) {
        const rater_severity& x = *by_period[first][other];
        const rater_severity& y = *by_period[last][other];
        peers.push_back({x.component, y.component, y.severity - x.severity, x.se * x.se + y.se * y.se, other});
      }
    std::sort(peers.begin(), peers.end(), [](const peer& u, const peer& v) {
      if (u.component_first != v.component_first) return u.component_first < v.component_first;
      if (u.component_last != v.component_last) return u.component_last < v.component_last;
      if (u.change != v.change) return u.change < v.change;
      return u.rater < v.rater;
    });
    // Group bounds and running sums of variance, in one pass.
    std::vector<std::size_t> group_begin(peers.size()), group_end(peers.size());
    std::vector<double> variance_before(peers.size() + 1, 0.0);
    for (std::size_t i = 0; i < peers.size(); ++i) {
      position[peers[i].rater] = i;
      variance_before[i + 1] = variance_before[i] + peers[i].variance;
      const bool same = i > 0 && peers[i - 1].component_first == peers[i].component_first &&
                        peers[i - 1].component_last == peers[i].component_last;
      group_begin[i] = same ? group_begin[i - 1] : i;
    }
    for (std::size_t i = peers.size(); i-- > 0;)
      group_end[i] = i + 1 < peers.size() && group_begin[i + 1] == group_begin[i] ? group_end[i + 1] : i + 1;
    for (std::uint32_t rater : raters) {
      const std::size_t i = position[rater], begin = group_begin[i], end = group_end[i];
      const rater_severity& a = *by_period[first][rater];
      const rater_severity& b = *by_period[last][rater];
      rater_drift d;
      d.rater = rater;
      d.first_period = first;
      d.last_period = last;
      d.periods = periods_of[rater];
      d.severity_first = a.severity;
      d.severity_last = b.severity;
      d.raw_change = b.severity - a.severity;
      d.raw_se = std::sqrt(a.se * a.se + b.se * b.se);
      d.n_comparators = end - begin - 1;
      double variance = d.raw_se * d.raw_se;
      if (d.n_comparators > 0) {
        // The k-th smallest change among the group without the rater.
        const auto kth = [&](std::size_t k) {
          const std::size_t j = begin + k;
          return peers[j < i ? j : j + 1].change;
        };
        const std::size_t m = d.n_comparators;
        d.reference_change = m % 2 == 1 ? kth(m / 2) : (kth(m / 2 - 1) + kth(m / 2)) / 2;
        const double peer_variance = variance_before[end] - variance_before[begin] - peers[i].variance;
        variance += peer_variance / (static_cast<double>(m) * static_cast<double>(m));
      }
      d.change = d.raw_change - d.reference_change;
      d.se = std::sqrt(variance);
      d.ci_low = d.change - z * d.se;
      d.ci_high = d.change + z * d.se;
      d.flagged = std::abs(d.change) > options.severity_threshold && (d.ci_low > 0 || d.ci_high < 0);
      if (d.flagged) d.direction = d.change > 0 ? "harsher" : "more lenient";
      result.raters_flagged += d.flagged;
      result.raters.push_back(std::move(d));
    }
  }
  std::sort(result.raters.begin(), result.raters.end(),
            [](const rater_drift& x, const rater_drift& y) { return x.rater < y.rater; });

  // Agreement per period and decay.
  const std::size_t n_levels = table.framework().scale().size();
  std::optional<std::uint32_t> best_alpha, best_within;
  double best_alpha_value = -std::numeric_limits<double>::infinity();
  double best_within_value = -std::numeric_limits<double>::infinity();
  for (std::uint32_t p = 0; p < n_periods; ++p) {
    period_agreement pa;
    pa.period = p;
    const std::vector<detail::unit_rating> ratings = detail::sorted_unit_ratings(table, detail::external_filter(roles, p));
    pa.agreement = detail::summarise_agreement(ratings, detail::rated_units(ratings), n_levels, table.ratees().size(),
                                               n_raters, options.gwet_weights);
    if (pa.agreement.n_units > 0 && !options.privacy.allows(pa.agreement.n_ratees))
      detail::suppress(pa.agreement, options.privacy);
    const double alpha = pa.agreement.alpha, within = pa.agreement.within_one;
    if (best_alpha && std::isfinite(alpha)) {
      pa.alpha_drop = best_alpha_value - alpha;
      pa.best_alpha_period = best_alpha;
    }
    if (best_within && std::isfinite(within)) {
      pa.within_drop = best_within_value - within;
      pa.best_within_period = best_within;
    }
    std::string why;
    if (pa.alpha_drop > options.alpha_decay)
      why = "alpha " + detail::format_share(alpha) + " is " + detail::format_share(pa.alpha_drop) + " below " +
            table.periods()[*best_alpha] + " (" + detail::format_share(best_alpha_value) + ")";
    if (pa.within_drop > options.within_decay)
      why += (why.empty() ? "" : "; ") + std::string("within-one-level rate ") + detail::format_share(within) +
             " is " + detail::format_share(pa.within_drop) + " below " + table.periods()[*best_within] + " (" +
             detail::format_share(best_within_value) + ")";
    pa.decay = !why.empty();
    pa.decay_reason = std::move(why);
    result.calibration_decay = result.calibration_decay || pa.decay;
    if (std::isfinite(alpha) && alpha > best_alpha_value) {
      best_alpha_value = alpha;
      best_alpha = p;
    }
    if (std::isfinite(within) && within > best_within_value) {
      best_within_value = within;
      best_within = p;
    }
    result.agreement.push_back(std::move(pa));
  }
  result.available = true;
  return result;
}

}  // namespace calibra::calibration
