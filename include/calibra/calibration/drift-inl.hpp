// Implementation of <calibra/calibration/drift.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/drift.hpp>

#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/mixed_model.hpp>
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
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration::detail {

// The two severity models' halves of analyse_drift, and the agreement half
// they share (defined below).
CALIBRA_INLINE void random_effects_drift(const ratings_table& table, const drift_options& options,
                                         const std::vector<rater_role>& roles, drift_result& result);
CALIBRA_INLINE void fixed_effects_drift(const ratings_table& table, const drift_options& options,
                         const std::vector<rater_role>& roles, drift_result& result);
CALIBRA_INLINE void period_agreement_and_decay(const ratings_table& table, const drift_options& options,
                                               const privacy_policy& privacy,
                                const std::vector<rater_role>& roles, drift_result& result);

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE std::string_view to_string(drift_direction direction) {
  return calibra::detail::name_of(detail::drift_direction_names, direction);
}

CALIBRA_INLINE std::optional<drift_direction> parse_drift_direction(std::string_view text) {
  return calibra::detail::value_of<drift_direction>(detail::drift_direction_names, text);
}

CALIBRA_INLINE auto drift_options::validate() const -> void {
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
  severity_options check = severity;
  check.confidence = confidence;
  check.validate();
}

CALIBRA_INLINE drift_result analyse_drift(const calibration_context& context, const drift_options& options) {
options.validate();
const ratings_table& table = context.table();
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
  result.model = options.severity.model;
  if (options.severity.model == severity_model::random_effects)
    detail::random_effects_drift(table, options, roles, result);
  else
    detail::fixed_effects_drift(table, options, roles, result);
  detail::period_agreement_and_decay(table, options, context.privacy(), roles, result);
  result.available = true;
  return result;
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE void random_effects_drift(const ratings_table& table, const drift_options& options,
                                         const std::vector<rater_role>& roles, drift_result& result) {
  ratings_filter filter;
  filter.roles = roles;
  const severity_design d = make_severity_design(table, filter, true);
  if (d.rows() == 0) {
    result.notes.push_back("no external ratings to model");
    return;
  }
  // Rater x period cells, numbered in order of appearance.
  const std::size_t n_periods = d.n_periods();
  std::vector<std::uint32_t> rp_code(d.rows());
  std::vector<std::uint32_t> rp_of(d.n_raters() * n_periods, UINT32_MAX);
  std::vector<std::uint32_t> rp_rater, rp_period;
  std::vector<std::size_t> rp_n;
  std::vector<std::vector<std::uint32_t>> rp_ratees;
  for (std::size_t i = 0; i < d.rows(); ++i) {
    std::uint32_t& code = rp_of[d.rater[i] * n_periods + d.period[i]];
    if (code == UINT32_MAX) {
      code = static_cast<std::uint32_t>(rp_rater.size());
      rp_rater.push_back(d.rater[i]);
      rp_period.push_back(d.period[i]);
      rp_n.push_back(0);
      rp_ratees.emplace_back();
    }
    rp_code[i] = code;
    ++rp_n[code];
  }
  for (std::size_t e = 0; e < d.n_ratees(); ++e)
    for (std::size_t i = d.ratee_offsets[e]; i < d.ratee_offsets[e + 1]; ++i) {
      std::vector<std::uint32_t>& ratees = rp_ratees[rp_code[i]];
      if (ratees.empty() || ratees.back() != e) ratees.push_back(static_cast<std::uint32_t>(e));
    }
  ratee_cells cells = make_ratee_cells(d);
  const bool with_cells = options.severity.ratee_competency_effects && d.n_competencies() > 1 && cells.replicated;
  std::vector<mixed_factor> random{{"rater", d.rater, d.n_raters()},
                                   {"rater:period", std::move(rp_code), rp_rater.size()},
                                   {"ratee", std::move(cells.ratee_code), d.n_ratees()}};
  if (with_cells) random.push_back({"ratee:competency", std::move(cells.cell_code), cells.cell_ratee.size()});
  std::vector<mixed_factor> fixed;
  if (d.n_competencies() > 1) fixed.push_back({"competency", d.competency, d.n_competencies()});
  if (n_periods > 1) fixed.push_back({"period", d.period, n_periods});
  mixed_model_fit m;
  try {
    m = fit_mixed_model(d.level, std::move(random), std::move(fixed));
  } catch (const error& e) {
    result.notes.push_back(std::string("the rater x period model cannot be fitted to these ratings: ") + e.what());
    return;
  }
  const mixed_random_factor& rater = m.random[0];
  const mixed_random_factor& deviation = m.random[1];
  result.rater_period_variance = deviation.variance;
  const boost::math::normal standard;
  const double z = boost::math::quantile(boost::math::complement(standard, (1 - options.confidence) / 2));

  // Severity in each (rater, period): overall plus deviation.  Their
  // posterior covariance is left out (it is negative: both explain the same
  // ratings), so the SD errs on the wide side.
  std::vector<std::size_t> order(rp_rater.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair{d.period_ids[rp_period[a]], d.rater_ids[rp_rater[a]]} <
           std::pair{d.period_ids[rp_period[b]], d.rater_ids[rp_rater[b]]};
  });
  for (std::size_t k : order) {
    const std::uint32_t r = rp_rater[k];
    rater_period_severity s;
    s.rater = d.rater_ids[r];
    s.period = d.period_ids[rp_period[k]];
    s.severity = -(rater.mode[r] + deviation.mode[k]);
    s.se = std::sqrt(rater.conditional_sd[r] * rater.conditional_sd[r] +
                     deviation.conditional_sd[k] * deviation.conditional_sd[k]);
    s.ci_low = s.severity - z * s.se;
    s.ci_high = s.severity + z * s.se;
    s.n_ratings = rp_n[k];
    s.n_ratees = rp_ratees[k].size();
    result.severities.push_back(s);
  }

  // Change from each rater's first to last period (deviation last - first;
  // the overall severity cancels).
  std::vector<std::vector<std::size_t>> cells_of(d.n_raters());
  for (std::size_t k = 0; k < rp_rater.size(); ++k) cells_of[rp_rater[k]].push_back(k);
  std::vector<double> candidates;
  std::vector<std::size_t> candidate_index;
  for (std::size_t r = 0; r < d.n_raters(); ++r) {
    std::vector<std::size_t>& mine = cells_of[r];
    if (mine.size() < 2) continue;
    std::sort(mine.begin(), mine.end(), [&](std::size_t a, std::size_t b) { return rp_period[a] < rp_period[b]; });
    const std::size_t first = mine.front(), last = mine.back();
    rater_drift x;
    x.rater = d.rater_ids[r];
    x.first_period = d.period_ids[rp_period[first]];
    x.last_period = d.period_ids[rp_period[last]];
    x.periods = mine.size();
    x.severity_first = -(rater.mode[r] + deviation.mode[first]);
    x.severity_last = -(rater.mode[r] + deviation.mode[last]);
    x.raw_change = x.severity_last - x.severity_first;
    x.raw_se = std::sqrt(deviation.conditional_sd[first] * deviation.conditional_sd[first] +
                         deviation.conditional_sd[last] * deviation.conditional_sd[last]);
    x.change = x.raw_change;
    x.se = x.raw_se;
    x.ci_low = x.change - z * x.se;
    x.ci_high = x.change + z * x.se;
    // Judged like a severity: enough ratings of enough ratees in both periods.
    x.judged = rp_n[first] >= options.severity.min_ratings_to_judge &&
               rp_n[last] >= options.severity.min_ratings_to_judge &&
               rp_ratees[first].size() >= options.severity.min_ratees_to_judge &&
               rp_ratees[last].size() >= options.severity.min_ratees_to_judge;
    x.null_probability = null_probability(x.change, x.se, options.severity_threshold);
    if (x.judged) {
      candidates.push_back(x.null_probability);
      candidate_index.push_back(result.raters.size());
    }
    result.raters.push_back(x);
  }
  const std::vector<bool> selected = select_discoveries(candidates, options.severity.false_discovery_rate);
  for (std::size_t k = 0; k < candidates.size(); ++k)
    if (selected[k]) {
      rater_drift& x = result.raters[candidate_index[k]];
      x.flagged = true;
      x.direction = x.change > 0 ? drift_direction::harsher : drift_direction::more_lenient;
      ++result.raters_flagged;
    }
  std::sort(result.raters.begin(), result.raters.end(),
            [](const rater_drift& a, const rater_drift& b) { return a.rater < b.rater; });
}

CALIBRA_INLINE void fixed_effects_drift(const ratings_table& table, const drift_options& options,
                                        const std::vector<rater_role>& roles, drift_result& result) {
  const std::size_t n_periods = table.periods().size();
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
      d.null_probability = std::numeric_limits<double>::quiet_NaN();
      d.flagged = std::abs(d.change) > options.severity_threshold && (d.ci_low > 0 || d.ci_high < 0);
      if (d.flagged) d.direction = d.change > 0 ? drift_direction::harsher : drift_direction::more_lenient;
      result.raters_flagged += d.flagged;
      result.raters.push_back(std::move(d));
    }
  }
  std::sort(result.raters.begin(), result.raters.end(),
            [](const rater_drift& x, const rater_drift& y) { return x.rater < y.rater; });
}

CALIBRA_INLINE void period_agreement_and_decay(const ratings_table& table, const drift_options& options,
                                               const privacy_policy& privacy,
                                               const std::vector<rater_role>& roles, drift_result& result) {
  const std::size_t n_periods = table.periods().size(), n_raters = table.raters().size();
  // Agreement per period and decay.
  const std::size_t n_levels = table.framework().scale().size();
  std::optional<std::uint32_t> best_alpha, best_within;
  double best_alpha_value = -std::numeric_limits<double>::infinity();
  double best_within_value = -std::numeric_limits<double>::infinity();
  for (std::uint32_t p = 0; p < n_periods; ++p) {
    period_agreement pa;
    pa.period = p;
    const std::vector<detail::unit_rating> ratings =
        detail::sorted_unit_ratings(table, detail::external_filter(roles, p));
    pa.agreement = detail::summarise_agreement(ratings, detail::rated_units(ratings), n_levels, table.ratees().size(),
                                               n_raters, options.gwet_weights);
    if (pa.agreement.n_units > 0 && !privacy.allows(pa.agreement.n_ratees))
      detail::suppress(pa.agreement, privacy);
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
}

}  // namespace calibra::calibration::detail
