// Agreement among the external raters of the same ratee, overall and per
// competency, and the competencies whose anchors need rewriting: when two
// raters of the same person land more than one level apart, the anchor is
// too vague to rate against.
//
//   const anchors_result r = analyse_anchors(table);
//   for (const competency_agreement& c : r.competencies)
//     if (c.needs_rewrite) ...  // c.divergent_share, c.examples
//
// A unit is one ratee on one competency in one period.  Only units that two
// or more external raters rated (every role but self, see
// external_roles()) carry information about agreement, so only they count.
// Per unit the analysis records the spread of the levels given (max - min);
// a unit whose spread exceeds one level is "divergent": two raters of the
// same person disagree by two levels or more.
//
// Statistics per scope (all units, or one competency's units), computed by
// the agreement engine (calibra::agreement::agree) on the levels of the
// framework's scale declared as the categories:
//   - alpha:      Krippendorff's alpha, ordinal metric;
//   - gwet:       Gwet's AC2 with ordinal weights (options.gwet_weights);
//   - exact:      pairwise percent agreement (identical levels);
//   - within_one: the share of rater pairs within one level, averaged over
//                 units (the calibration goal; with two raters per unit it
//                 is simply the share of units within one level).
// All four depend on a unit only through how many ratings it has at each
// level, not through which rater gave them, so the matrix handed to agree()
// packs each unit's ratings into its first columns.  This keeps its width at
// the largest number of raters of one unit instead of the number of raters
// in the table (nothing grows with raters x units).
//
// The rewrite rule (documented in docs/calibration-agreement.md): a
// competency needs rewriting when it has at least `min_units` units and
//   divergent_share > max_divergent_share   or   within_one < min_within_one.
//
// Rater severity first.  A lenient manager two levels above a harsh one
// makes every competency look divergent, yet no anchor rewrite fixes that.
// Given the raters' severities (rater_offsets, from the severity and drift
// fits; calibrate() passes them), each rating is shifted by its rater's
// severity before the spread is measured, and the rule above is judged on
// the adjusted numbers (adjusted_divergent_share, adjusted_within_one).  An
// adjusted difference of at least 1.5 levels counts as "more than one level
// apart": on whole levels that is a difference of two or more after
// rounding.  The raw numbers are still reported beside the adjusted ones.
// Privacy: a scope covering fewer ratees than privacy.min_group is
// suppressed -- numbers NaN, no examples, needs_rewrite false, and a note.
#pragma once

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

/// Rater severities (in levels; positive = harsh, the convention of
/// severity.hpp) to take out of the ratings before divergence is judged.
/// Adding a rater's severity to their level gives the level an average
/// rater would have given.
///
/// Severities are identified only within one connected component and one
/// fit, so a unit is adjusted with one source for all its raters: the
/// severities of its own period when every rater of the unit has one, else
/// the pooled severities, else not at all.
struct rater_offsets {
  /// By rater id; NaN for raters without a severity.
  std::vector<double> pooled;
  /// [period][rater]; NaN where the period's fit has no severity for the rater.
  std::vector<std::vector<double>> by_period;

  bool empty() const { return pooled.empty() && by_period.empty(); }

  void set_pooled(std::size_t n_raters, std::uint32_t rater, double severity) {
    if (pooled.size() < n_raters) pooled.resize(n_raters, std::numeric_limits<double>::quiet_NaN());
    pooled.at(rater) = severity;
  }
  void set_in_period(std::size_t n_periods, std::size_t n_raters, std::uint32_t period, std::uint32_t rater,
                     double severity) {
    if (by_period.size() < n_periods) by_period.resize(n_periods);
    std::vector<double>& row = by_period.at(period);
    if (row.size() < n_raters) row.resize(n_raters, std::numeric_limits<double>::quiet_NaN());
    row.at(rater) = severity;
  }
  /// Severity of `rater` in `period` from the per-period fit (NaN if none).
  double in_period(std::uint32_t period, std::uint32_t rater) const {
    if (period >= by_period.size() || rater >= by_period[period].size())
      return std::numeric_limits<double>::quiet_NaN();
    return by_period[period][rater];
  }
  double pooled_of(std::uint32_t rater) const {
    return rater < pooled.size() ? pooled[rater] : std::numeric_limits<double>::quiet_NaN();
  }
};

struct anchors_options {
  /// The period to look at; empty: every period pooled (more evidence; the
  /// anchors are the same text in every period).
  std::optional<std::uint32_t> period;
  /// Roles whose ratings count; empty: external_roles().  Self is refused:
  /// self ratings are compared with the manager's in self_assessment.hpp.
  std::vector<rater_role> roles;
  /// Flag a competency when more than this share of its units is divergent
  /// (spread of more than one level).
  double max_divergent_share = 0.10;
  /// Flag a competency when its within-one-level rate is below this.
  double min_within_one = 0.90;
  /// Competencies with fewer units (rated by two or more raters) are never
  /// flagged: too little evidence either way.
  std::size_t min_units = 10;
  /// Divergent units listed as evidence per competency (the count is always
  /// complete).
  std::size_t max_examples = 20;
  /// Raters listed per competency as most involved in divergent units.
  std::size_t max_raters_listed = 5;
  /// Weights of Gwet's AC2.
  agreement::weight_scheme gwet_weights = agreement::weight_scheme::ordinal;
  privacy_policy privacy;

  void validate() const {
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
    privacy.validate();
  }
};

/// Agreement over one set of units.  NaN where a statistic has no value
/// (see `notes`) or the scope is suppressed.
struct agreement_summary {
  std::size_t n_units = 0;     // units rated by two or more raters
  std::size_t n_ratings = 0;   // ratings in those units
  std::size_t n_ratees = 0;    // distinct ratees of those units
  std::size_t n_raters = 0;    // distinct raters of those units
  std::size_t n_pairs = 0;     // rater pairs within units
  std::size_t pairs_beyond_one = 0;  // pairs more than one level apart
  std::size_t divergent_units = 0;   // units whose spread exceeds one level
  double divergent_share = std::numeric_limits<double>::quiet_NaN();
  double alpha = std::numeric_limits<double>::quiet_NaN();  // Krippendorff, ordinal
  double alpha_ci_low = std::numeric_limits<double>::quiet_NaN();
  double alpha_ci_high = std::numeric_limits<double>::quiet_NaN();
  double gwet = std::numeric_limits<double>::quiet_NaN();   // AC2
  double exact = std::numeric_limits<double>::quiet_NaN();
  double within_one = std::numeric_limits<double>::quiet_NaN();
  /// The same after removing rater severity (see rater_offsets); NaN and 0
  /// when no severities were given.
  bool severity_adjusted = false;
  std::size_t adjusted_divergent_units = 0;
  double adjusted_divergent_share = std::numeric_limits<double>::quiet_NaN();
  double adjusted_within_one = std::numeric_limits<double>::quiet_NaN();
  bool suppressed = false;
  std::string note;  // privacy marker when suppressed
  /// Why a statistic has no value (from the agreement engine), one per statistic.
  std::vector<std::string> notes;
};

/// One divergent unit, as evidence.
struct divergent_unit {
  std::uint32_t ratee = 0;
  std::uint32_t competency = 0;
  std::uint32_t period = 0;
  int spread = 0;  // max - min level
  /// max - min after removing rater severity; NaN without severities.
  double adjusted_spread = std::numeric_limits<double>::quiet_NaN();
  /// (rater id, level), by rater id.
  std::vector<std::pair<std::uint32_t, int>> ratings;
};

/// How often one rater took part in the divergent units of a competency.
struct rater_involvement {
  std::uint32_t rater = 0;
  std::size_t units = 0;            // units of the competency the rater rated (with another rater)
  std::size_t divergent_units = 0;  // of those, the divergent ones
  double divergent_share = 0;       // divergent_units / units
};

struct competency_agreement : agreement_summary {
  std::size_t competency = 0;  // index into the framework's competencies
  bool needs_rewrite = false;
  /// Which rule fired, with the numbers; empty when not flagged.
  std::string rewrite_reason;
  /// Up to options.max_examples divergent units: largest spread first, then
  /// latest period, then ratee id.
  std::vector<divergent_unit> examples;
  /// The raters taking part in most divergent units (up to
  /// options.max_raters_listed; most divergent units first).  When one or
  /// two raters account for most of them across every competency, rater
  /// severity is the likelier cause (see the severity analysis).
  std::vector<rater_involvement> raters;
};

struct anchors_result {
  bool available = false;
  std::string reason;  // why not, when !available
  std::optional<std::uint32_t> period;
  agreement_summary overall;
  /// One per framework competency, framework order (n_units 0 when unrated).
  std::vector<competency_agreement> competencies;
  /// Competencies flagged, and a note when more than half of the evaluated
  /// competencies are: divergence everywhere points at the raters'
  /// calibration rather than at the text of particular anchors.
  std::size_t competencies_flagged = 0;
  std::size_t competencies_evaluated = 0;  // not suppressed, at least min_units units
  std::string note;
  /// Whether divergence was judged after removing rater severity.
  bool severity_adjusted = false;
  /// Thresholds in effect (echoed for the reader of a report).
  double max_divergent_share = 0;
  double min_within_one = 0;
  std::size_t min_units = 0;
};

namespace detail {

/// One rating of a unit, for grouping.
struct unit_rating {
  std::uint32_t competency, ratee, period, rater;
  int level;
};

/// The kept ratings sorted so that each unit (competency, ratee, period) is
/// one contiguous run, raters ascending inside it.
inline std::vector<unit_rating> sorted_unit_ratings(const ratings_table& table, const ratings_filter& filter) {
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

inline bool same_unit(const unit_rating& a, const unit_rating& b) {
  return a.competency == b.competency && a.ratee == b.ratee && a.period == b.period;
}

/// [begin, end) of each unit with two or more ratings.
inline std::vector<std::pair<std::size_t, std::size_t>> rated_units(const std::vector<unit_rating>& ratings) {
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

/// The threshold on a severity-adjusted difference for "more than one
/// level apart" (see the header comment).
inline constexpr double adjusted_beyond_one = 1.5;

/// The levels of one unit with each rater's severity added, into `out`.
/// When the unit cannot be adjusted (a rater without a severity in any
/// source), `out` holds the levels as rated and the result is false.
inline bool adjusted_levels(const std::vector<unit_rating>& ratings, std::size_t begin, std::size_t end,
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
    out.push_back(ratings[i].level + severity);
  }
  return true;
}

inline double spread_of(const std::vector<double>& values) {
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *high - *low;
}

/// Agreement statistics and counts over `units` (runs of `ratings`).
/// Raises nothing for degenerate data: a statistic without a value stays
/// NaN and its reason goes to `notes`.
inline agreement_summary summarise_agreement(const std::vector<unit_rating>& ratings,
                                             const std::vector<std::pair<std::size_t, std::size_t>>& units,
                                             std::size_t n_levels, std::size_t n_ratees_in_table,
                                             std::size_t n_raters_in_table,
                                             agreement::weight_scheme gwet_weights,
                                             const rater_offsets* offsets = nullptr) {
  agreement_summary s;
  s.n_units = units.size();
  if (units.empty()) return s;
  if (offsets && !offsets->empty()) {
    // Units that cannot be adjusted count with their levels as rated, so
    // that the adjusted numbers cover the same units as the raw ones.
    // within-one: the share of a unit's pairs, averaged over units, as the
    // raw within_one (the agreement engine's "within" statistic) does.
    double within_sum = 0;
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
    }
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

/// Blanks the numbers of a scope that covers too few ratees.
inline void suppress(agreement_summary& s, const privacy_policy& privacy) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.suppressed = true;
  s.note = privacy.marker(s.n_ratees);
  s.divergent_share = s.alpha = s.alpha_ci_low = s.alpha_ci_high = s.gwet = s.exact = s.within_one = nan;
  s.adjusted_divergent_share = s.adjusted_within_one = nan;
  s.n_pairs = s.pairs_beyond_one = s.divergent_units = s.adjusted_divergent_units = 0;
  s.notes.clear();
}

inline std::string format_share(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", share);
  return buffer;
}

inline ratings_filter external_filter(const std::vector<rater_role>& roles, std::optional<std::uint32_t> period) {
  ratings_filter filter;
  filter.roles = roles.empty() ? external_roles() : roles;
  filter.period = period;
  return filter;
}

}  // namespace detail

/// Agreement among external raters of the same ratee, overall and per
/// competency, with the rewrite flag and its evidence.  With `offsets`
/// (rater severities), divergence is judged after removing them.  Throws
/// invalid_argument for bad options or a period id outside the table;
/// returns available = false when no unit has two external ratings.
inline anchors_result analyse_anchors(const ratings_table& table, const anchors_options& options = {},
                                      const rater_offsets* offsets = nullptr) {
  options.validate();
  if (options.period && *options.period >= table.periods().size())
    throw invalid_argument("calibration", "anchors: period id " + std::to_string(*options.period) +
                                              " is not a period of the table (" +
                                              std::to_string(table.periods().size()) + " periods)");
  anchors_result result;
  result.period = options.period;
  result.max_divergent_share = options.max_divergent_share;
  result.min_within_one = options.min_within_one;
  result.min_units = options.min_units;
  if (offsets && offsets->empty()) offsets = nullptr;
  result.severity_adjusted = offsets != nullptr;

  const std::size_t n_competencies = table.n_competencies();
  const std::size_t n_levels = table.empty() ? 0 : table.framework().scale().size();
  const std::vector<detail::unit_rating> ratings =
      detail::sorted_unit_ratings(table, detail::external_filter(options.roles, options.period));
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
  if (!options.privacy.allows(result.overall.n_ratees)) detail::suppress(result.overall, options.privacy);

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
      result.competencies.push_back(std::move(ca));
      continue;
    }
    if (!options.privacy.allows(ca.n_ratees)) {
      detail::suppress(ca, options.privacy);
      result.competencies.push_back(std::move(ca));
      continue;
    }
    if (ca.n_units >= options.min_units) {
      // With severities, the rule reads the adjusted numbers: what is left
      // of the disagreement once each rater's overall severity is removed.
      const bool adjusted = ca.severity_adjusted;
      const double share = adjusted ? ca.adjusted_divergent_share : ca.divergent_share;
      const double within = adjusted ? ca.adjusted_within_one : ca.within_one;
      const std::size_t divergent = adjusted ? ca.adjusted_divergent_units : ca.divergent_units;
      const std::string after = adjusted ? " after removing rater severity" : "";
      std::string why;
      if (share > options.max_divergent_share)
        why = std::to_string(divergent) + " of " + std::to_string(ca.n_units) + " units (" +
              detail::format_share(share) + ") have raters more than one level apart" + after + ", above " +
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
