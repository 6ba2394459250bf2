// Implementation of <calibra/calibration/anchors.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/anchors.hpp>

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::calibration {

CALIBRA_INLINE auto rater_offsets::set_pooled(std::size_t n_raters, std::uint32_t rater, double severity) -> void {
  if (pooled.size() < n_raters) pooled.resize(n_raters, std::numeric_limits<double>::quiet_NaN());
  pooled.at(rater) = severity;
}

CALIBRA_INLINE auto rater_offsets::set_in_period(std::size_t n_periods, std::size_t n_raters, std::uint32_t period,
                                                 std::uint32_t rater, double severity) -> void {
  if (by_period.size() < n_periods) by_period.resize(n_periods);
  std::vector<double>& row = by_period.at(period);
  if (row.size() < n_raters) row.resize(n_raters, std::numeric_limits<double>::quiet_NaN());
  row.at(rater) = severity;
}

CALIBRA_INLINE auto rater_offsets::in_period(std::uint32_t period, std::uint32_t rater) const -> double {
  if (period >= by_period.size() || rater >= by_period[period].size())
    return std::numeric_limits<double>::quiet_NaN();
  return by_period[period][rater];
}

CALIBRA_INLINE auto rater_offsets::pooled_of(std::uint32_t rater) const -> double {
  return rater < pooled.size() ? pooled[rater] : std::numeric_limits<double>::quiet_NaN();
}

CALIBRA_INLINE auto rater_offsets::set_on_competency(std::size_t n_competencies, std::size_t n_raters,
                                                     std::uint32_t competency, std::uint32_t rater, double bias)
    -> void {
  if (by_competency.size() < n_competencies) by_competency.resize(n_competencies);
  std::vector<double>& row = by_competency.at(competency);
  if (row.size() < n_raters) row.resize(n_raters, 0.0);
  row.at(rater) = bias;
}

CALIBRA_INLINE auto rater_offsets::on_competency(std::uint32_t competency, std::uint32_t rater) const -> double {
  if (competency >= by_competency.size() || rater >= by_competency[competency].size()) return 0.0;
  return by_competency[competency][rater];
}

CALIBRA_INLINE auto anchors_options::validate() const -> void {
  const auto fail = [](const std::string& message) { throw invalid_argument("calibration", message); };
  if (!(max_divergent_share >= 0 && max_divergent_share <= 1))
    fail("anchors: max_divergent_share must be a share in [0, 1], got " + std::to_string(max_divergent_share));
  if (!(min_within_one >= 0 && min_within_one <= 1))
    fail("anchors: min_within_one must be a share in [0, 1], got " + std::to_string(min_within_one));
  if (min_units < 1) fail("anchors: min_units must be at least 1");
  if (std::find(roles.begin(), roles.end(), rater_role::self) != roles.end())
    fail("anchors: roles must not include 'self'; agreement is about other people's view of a ratee "
         "(self ratings are compared in the self-vs-manager analysis)");
  if (gwet_weights == agreement::weight_scheme::custom)
    fail("anchors: gwet_weights cannot be 'custom' (there is no matrix to give)");
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE std::vector<unit_rating> sorted_unit_ratings(const ratings_table& table, const ratings_filter& filter) {
  std::vector<unit_rating> out;
  for (std::size_t row = 0; row < table.size(); ++row)
    if (filter.keeps(table, row))
      out.push_back({table.competency(row), table.ratee(row), table.period(row), table.rater(row), table.level(row)});
  std::sort(out.begin(), out.end(), [](const unit_rating& a, const unit_rating& b) {
    if (a.competency != b.competency) return a.competency < b.competency;
    if (a.ratee != b.ratee) return a.ratee < b.ratee;
    if (a.period != b.period) return a.period < b.period;
    return a.rater < b.rater;
  });
  return out;
}

CALIBRA_INLINE bool same_unit(const unit_rating& a, const unit_rating& b) {
  return a.competency == b.competency && a.ratee == b.ratee && a.period == b.period;
}

CALIBRA_INLINE std::vector<std::pair<std::size_t, std::size_t>> rated_units(const std::vector<unit_rating>& ratings) {
std::vector<std::pair<std::size_t, std::size_t>> units;
std::size_t a = 0;
while (a < ratings.size()) {
  std::size_t b = a + 1;
  while (b < ratings.size() && same_unit(ratings[a], ratings[b])) ++b;
  if (b - a >= 2) units.emplace_back(a, b);
  a = b;
}
  return units;
}

CALIBRA_INLINE bool adjusted_levels(const std::vector<unit_rating>& ratings, std::size_t begin, std::size_t end,
                            const rater_offsets& offsets, std::vector<double>& out) {
  out.clear();
  bool per_period = true;
  for (std::size_t i = begin; i < end && per_period; ++i)
    per_period = std::isfinite(offsets.in_period(ratings[i].period, ratings[i].rater));
  for (std::size_t i = begin; i < end; ++i) {
    const double severity = per_period ? offsets.in_period(ratings[i].period, ratings[i].rater)
                                       : offsets.pooled_of(ratings[i].rater);
    if (!std::isfinite(severity)) {
      out.clear();
      for (std::size_t j = begin; j < end; ++j) out.push_back(ratings[j].level);
      return false;
    }
    out.push_back(ratings[i].level + severity + offsets.on_competency(ratings[i].competency, ratings[i].rater));
  }
  return true;
}

CALIBRA_INLINE double spread_of(const std::vector<double>& values) {
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *high - *low;
}

CALIBRA_INLINE agreement_summary summarise_agreement(const std::vector<unit_rating>& ratings,
                                             const std::vector<std::pair<std::size_t, std::size_t>>& units,
                                             std::size_t n_levels, std::size_t n_ratees_in_table,
                                             std::size_t n_raters_in_table,
                                             agreement::weight_scheme gwet_weights,
                                             const rater_offsets* offsets) {
  agreement_summary s;
  s.n_units = units.size();
  if (units.empty()) return s;
  if (offsets && !offsets->empty()) {
    // Units that cannot be adjusted count with their levels as rated, so
    // that the adjusted numbers cover the same units as the raw ones.
    // within-one: the share of a unit's pairs, averaged over units, as the
    // raw within_one (the agreement engine's "within" statistic) does.
    double within_sum = 0;
    std::size_t all_pairs = 0;
    std::vector<double> adjusted;
    for (const auto& [begin, end] : units) {
      adjusted_levels(ratings, begin, end, *offsets, adjusted);  // as rated when it cannot adjust
      s.adjusted_divergent_units += spread_of(adjusted) >= adjusted_beyond_one;
      std::size_t pairs = 0, pairs_within = 0;
      for (std::size_t a = 0; a < adjusted.size(); ++a)
        for (std::size_t b = a + 1; b < adjusted.size(); ++b) {
          ++pairs;
          pairs_within += std::abs(adjusted[a] - adjusted[b]) < adjusted_beyond_one;
        }
      within_sum += static_cast<double>(pairs_within) / static_cast<double>(pairs);
      s.adjusted_pairs_beyond_one += pairs - pairs_within;
      all_pairs += pairs;
    }
    s.adjusted_pair_divergent_share =
        static_cast<double>(s.adjusted_pairs_beyond_one) / static_cast<double>(all_pairs);
    s.severity_adjusted = true;
    s.adjusted_divergent_share = static_cast<double>(s.adjusted_divergent_units) / static_cast<double>(s.n_units);
    s.adjusted_within_one = within_sum / static_cast<double>(s.n_units);
  }
  std::size_t width = 0;
  std::vector<bool> ratee_seen(n_ratees_in_table, false), rater_seen(n_raters_in_table, false);
  std::vector<std::size_t> at(n_levels + 2, 0);  // ratings per level in the current unit
  for (const auto& [begin, end] : units) {
    width = std::max(width, end - begin);
    s.n_ratings += end - begin;
    int low = ratings[begin].level, high = low;
    for (std::size_t i = begin; i < end; ++i) {
      low = std::min(low, ratings[i].level);
      high = std::max(high, ratings[i].level);
      if (!ratee_seen[ratings[i].ratee]) {
        ratee_seen[ratings[i].ratee] = true;
        ++s.n_ratees;
      }
      if (!rater_seen[ratings[i].rater]) {
        rater_seen[ratings[i].rater] = true;
        ++s.n_raters;
      }
    }
    if (high - low > 1) ++s.divergent_units;
    // Pairs by level counts: a unit's raters are few, but count without a
    // double loop anyway.
    std::fill(at.begin(), at.end(), 0);
    for (std::size_t i = begin; i < end; ++i) ++at[static_cast<std::size_t>(ratings[i].level)];
    const std::size_t m = end - begin;
    std::size_t within = 0;
    for (std::size_t l = 1; l <= n_levels; ++l) {
      if (at[l] > 1) within += at[l] * (at[l] - 1) / 2;  // same level
      within += at[l] * at[l + 1];                       // adjacent levels
    }
    s.n_pairs += m * (m - 1) / 2;
    s.pairs_beyond_one += m * (m - 1) / 2 - within;
  }
  s.divergent_share = static_cast<double>(s.divergent_units) / static_cast<double>(s.n_units);
  s.pair_divergent_share = static_cast<double>(s.pairs_beyond_one) / static_cast<double>(s.n_pairs);

  // Units x slots: each unit's levels in its first columns, NaN after.
  Eigen::MatrixXd packed = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(units.size()),
                                                     static_cast<Eigen::Index>(width),
                                                     std::numeric_limits<double>::quiet_NaN());
  for (std::size_t u = 0; u < units.size(); ++u)
    for (std::size_t i = units[u].first; i < units[u].second; ++i)
      packed(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(i - units[u].first)) = ratings[i].level;

  agreement::options opts;
  for (std::size_t l = 1; l <= n_levels; ++l) opts.categories.push_back(static_cast<double>(l));
  const auto value = [&](agreement::statistic stat, const agreement::options& o, const char* name,
                         agreement::result* keep = nullptr) {
    const agreement::result r = agreement::agree(packed, stat, o);
    if (keep) *keep = r;
    if (r.value) return *r.value;
    s.notes.push_back(std::string(name) + ": " + r.reason.value_or("no value"));
    return std::numeric_limits<double>::quiet_NaN();
  };
  agreement::options alpha_opts = opts;
  alpha_opts.level = agreement::measurement_level::ordinal;
  agreement::result alpha;
  s.alpha = value(agreement::statistic::krippendorff, alpha_opts, "alpha", &alpha);
  if (alpha.ci_low && alpha.ci_high) {
    s.alpha_ci_low = *alpha.ci_low;
    s.alpha_ci_high = *alpha.ci_high;
  }
  agreement::options gwet_opts = opts;
  gwet_opts.weights = gwet_weights;
  s.gwet = value(agreement::statistic::gwet, gwet_opts, "gwet", nullptr);
  s.exact = value(agreement::statistic::percent, opts, "exact", nullptr);
  agreement::options within_opts = opts;
  within_opts.tolerance = 1;
  s.within_one = value(agreement::statistic::within, within_opts, "within_one", nullptr);
  return s;
}

CALIBRA_INLINE void suppress(agreement_summary& s, const privacy_policy& privacy) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.suppressed = true;
  s.note = privacy.marker(s.n_ratees);
  s.divergent_share = s.alpha = s.alpha_ci_low = s.alpha_ci_high = s.gwet = s.exact = s.within_one = nan;
  s.adjusted_divergent_share = s.adjusted_within_one = nan;
  s.pair_divergent_share = s.adjusted_pair_divergent_share = nan;
  s.adjusted_pairs_beyond_one = 0;
  s.n_pairs = s.pairs_beyond_one = s.divergent_units = s.adjusted_divergent_units = 0;
  s.notes.clear();
}

CALIBRA_INLINE std::string format_share(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", share);
  return buffer;
}

CALIBRA_INLINE ratings_filter external_filter(const std::vector<rater_role>& roles,
                                              std::optional<std::uint32_t> period) {
  ratings_filter filter;
  filter.roles = roles.empty() ? external_roles() : roles;
  filter.period = period;
  return filter;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE anchors_result analyse_anchors(const calibration_context& context, const anchors_options& options,
                                              const rater_offsets* offsets) {
  options.validate();
  const ratings_table& table = context.table();
  anchors_result result;
  result.period = options.scope == period_scope::analysed_period ? context.period() : std::nullopt;
  result.max_divergent_share = options.max_divergent_share;
  result.min_within_one = options.min_within_one;
  result.min_units = options.min_units;
  if (offsets && offsets->empty()) offsets = nullptr;
  result.severity_adjusted = offsets != nullptr;

  const std::size_t n_competencies = table.n_competencies();
  const std::size_t n_levels = table.empty() ? 0 : table.framework().scale().size();
  const std::vector<detail::unit_rating> ratings =
      detail::sorted_unit_ratings(table, detail::external_filter(options.roles, result.period));
  const auto units = detail::rated_units(ratings);
  if (units.empty()) {
    result.reason = ratings.empty() ? "no external ratings (only self ratings, or none in the period)"
                                    : "no unit (ratee, competency, period) is rated by two or more external "
                                      "raters, so there is no agreement to measure";
    for (std::size_t c = 0; c < n_competencies; ++c) {
      competency_agreement none;
      none.competency = c;
      result.competencies.push_back(std::move(none));
    }
    return result;
  }
  result.available = true;
  const std::size_t n_ratees = table.ratees().size(), n_raters = table.raters().size();
  result.overall =
      detail::summarise_agreement(ratings, units, n_levels, n_ratees, n_raters, options.gwet_weights, offsets);
  if (!context.privacy().allows(result.overall.n_ratees)) detail::suppress(result.overall, context.privacy());

  // Units are sorted by competency first: each competency is one slice.
  std::size_t next = 0;
  for (std::size_t c = 0; c < n_competencies; ++c) {
    std::size_t end = next;
    while (end < units.size() && ratings[units[end].first].competency == c) ++end;
    const std::vector<std::pair<std::size_t, std::size_t>> mine(units.begin() + static_cast<std::ptrdiff_t>(next),
                                                                units.begin() + static_cast<std::ptrdiff_t>(end));
    next = end;
    competency_agreement ca;
    static_cast<agreement_summary&>(ca) =
        detail::summarise_agreement(ratings, mine, n_levels, n_ratees, n_raters, options.gwet_weights, offsets);
    ca.competency = c;
    if (mine.empty()) {
      ca.not_evaluated = "not evaluated: no ratee rated by two raters";
      result.competencies.push_back(std::move(ca));
      continue;
    }
    if (!context.privacy().allows(ca.n_ratees)) {
      detail::suppress(ca, context.privacy());
      ca.not_evaluated = "not evaluated: " + ca.note;
      result.competencies.push_back(std::move(ca));
      continue;
    }
    ca.evaluated = ca.n_units >= options.min_units;
    if (!ca.evaluated)
      ca.not_evaluated = "not evaluated: " + std::to_string(ca.n_units) + (ca.n_units == 1 ? " unit" : " units") +
                         ", minimum " + std::to_string(options.min_units);
    if (ca.evaluated) {
      // With severities, the rule reads the adjusted numbers: what is left
      // of the disagreement once each rater's overall severity is removed.
      const bool adjusted = ca.severity_adjusted;
      const double share = adjusted ? ca.adjusted_pair_divergent_share : ca.pair_divergent_share;
      const double within = adjusted ? ca.adjusted_within_one : ca.within_one;
      const std::size_t divergent = adjusted ? ca.adjusted_pairs_beyond_one : ca.pairs_beyond_one;
      const std::string after = adjusted ? " after removing rater severity" : "";
      std::string why;
      if (share > options.max_divergent_share)
        why = std::to_string(divergent) + " of " + std::to_string(ca.n_pairs) + " rater pairs (" +
              detail::format_share(share) + ") are more than one level apart" + after + ", above " +
              detail::format_share(options.max_divergent_share);
      if (within < options.min_within_one)
        why += (why.empty() ? "" : "; ") + std::string("within-one-level rate") + after + " " +
               detail::format_share(within) + " is below " + detail::format_share(options.min_within_one);
      ca.needs_rewrite = !why.empty();
      ca.rewrite_reason = std::move(why);
    }
    // Per unit: raw spread, adjusted spread, and whether it counts as
    // divergent under the rule in effect.
    struct unit_spread {
      int raw = 0;
      double adjusted = std::numeric_limits<double>::quiet_NaN();
      bool divergent = false;
    };
    std::vector<double> unit_levels;
    const auto spread_of_unit = [&](const std::pair<std::size_t, std::size_t>& unit) {
      unit_spread out;
      int low = ratings[unit.first].level, high = low;
      for (std::size_t i = unit.first; i < unit.second; ++i) {
        low = std::min(low, ratings[i].level);
        high = std::max(high, ratings[i].level);
      }
      out.raw = high - low;
      if (offsets) {
        detail::adjusted_levels(ratings, unit.first, unit.second, *offsets, unit_levels);
        out.adjusted = detail::spread_of(unit_levels);
        out.divergent = out.adjusted >= detail::adjusted_beyond_one;
      } else {
        out.divergent = out.raw > 1;
      }
      return out;
    };
    // Evidence: the divergent units, most divergent and most recent first.
    std::vector<std::pair<unit_spread, std::pair<std::size_t, std::size_t>>> ranked;
    // Which raters take part in the divergent units.
    std::vector<rater_involvement> involved;
    std::vector<std::uint32_t> slot(n_raters, ratings_table::no_id);
    for (const auto& unit : mine) {
      const unit_spread spread = spread_of_unit(unit);
      if (spread.divergent) ranked.emplace_back(spread, unit);
      for (std::size_t i = unit.first; i < unit.second; ++i) {
        std::uint32_t& k = slot[ratings[i].rater];
        if (k == ratings_table::no_id) {
          k = static_cast<std::uint32_t>(involved.size());
          involved.push_back({ratings[i].rater, 0, 0, 0});
        }
        ++involved[k].units;
        involved[k].divergent_units += spread.divergent;
      }
    }
    for (rater_involvement& r : involved)
      r.divergent_share = static_cast<double>(r.divergent_units) / static_cast<double>(r.units);
    involved.erase(std::remove_if(involved.begin(), involved.end(),
                                  [](const rater_involvement& r) { return r.divergent_units == 0; }),
                   involved.end());
    const std::size_t listed = std::min(options.max_raters_listed, involved.size());
    std::partial_sort(involved.begin(), involved.begin() + static_cast<std::ptrdiff_t>(listed), involved.end(),
                      [](const rater_involvement& a, const rater_involvement& b) {
                        if (a.divergent_units != b.divergent_units) return a.divergent_units > b.divergent_units;
                        return a.rater < b.rater;
                      });
    involved.resize(listed);
    ca.raters = std::move(involved);
    const std::size_t shown = std::min(options.max_examples, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(shown), ranked.end(),
                      [&](const auto& a, const auto& b) {
                        // Adjusted spread first when there is one (NaN
                        // otherwise, and then equal everywhere).
                        if (offsets && a.first.adjusted != b.first.adjusted) return a.first.adjusted > b.first.adjusted;
                        if (a.first.raw != b.first.raw) return a.first.raw > b.first.raw;
                        const detail::unit_rating& x = ratings[a.second.first];
                        const detail::unit_rating& y = ratings[b.second.first];
                        if (x.period != y.period) return x.period > y.period;
                        return x.ratee < y.ratee;
                      });
    for (std::size_t k = 0; k < shown; ++k) {
      const auto& [spread, unit] = ranked[k];
      divergent_unit example;
      example.ratee = ratings[unit.first].ratee;
      example.competency = ratings[unit.first].competency;
      example.period = ratings[unit.first].period;
      example.spread = spread.raw;
      example.adjusted_spread = spread.adjusted;
      for (std::size_t i = unit.first; i < unit.second; ++i)
        example.ratings.emplace_back(ratings[i].rater, ratings[i].level);
      ca.examples.push_back(std::move(example));
    }
    result.competencies.push_back(std::move(ca));
  }
  for (const competency_agreement& c : result.competencies) {
    result.competencies_evaluated += !c.suppressed && c.n_units >= options.min_units;
    result.competencies_flagged += c.needs_rewrite;
  }
  if (result.competencies_evaluated >= 2 && 2 * result.competencies_flagged > result.competencies_evaluated)
    result.note = std::to_string(result.competencies_flagged) + " of " +
                  std::to_string(result.competencies_evaluated) + " competencies diverge" +
                  (result.severity_adjusted ? " even after removing each rater's severity" : "") +
                  ": disagreement this widespread usually comes from raters who are not calibrated (" +
                  (result.severity_adjusted ? "halo, or raters who read the scale differently"
                                            : "a lenient or harsh rater, drift") +
                  ") rather than from the text of particular anchors; check the raters listed per competency "
                  "and the severity analysis before rewriting anchors";
  return result;
}

}  // namespace calibra::calibration
