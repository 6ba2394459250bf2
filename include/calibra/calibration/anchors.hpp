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
//   pair_divergent_share > max_divergent_share   or   within_one < min_within_one,
// both over rater pairs within units, so the rule means the same with two
// raters per unit or sixty (a unit's max - min spread grows with its raters:
// with sixty, nearly every unit has two raters more than a level apart).
//
// Rater severity first.  A lenient manager two levels above a harsh one
// makes every competency look divergent, yet no anchor rewrite fixes that.
// Given the raters' severities (rater_offsets, from the severity and drift
// fits; calibrate() passes them), each rating is shifted by its rater's
// severity -- and, where the fit estimated one, by the rater's own bias on
// that competency -- before the spread is measured.  A halo rater who
// rates one competency a level above everyone else is a rater to
// calibrate (the severity fit's rater x competency bias), not an anchor to
// rewrite; what disagreement is left is the anchors'.  The rule above is judged on
// the adjusted numbers (adjusted_pair_divergent_share, adjusted_within_one).  An
// adjusted difference of at least 1.5 levels counts as "more than one level
// apart": on whole levels that is a difference of two or more after
// rounding.  The raw numbers are still reported beside the adjusted ones.
// Privacy: a scope covering fewer ratees than privacy.min_group is
// suppressed -- numbers NaN, no examples, needs_rewrite false, and a note.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <cstdio>
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
  /// [competency][rater]: the rater's further severity on that competency
  /// (the severity fit's rater x competency bias, same sign convention),
  /// added to whichever severity adjusts the unit; 0 where none.
  std::vector<std::vector<double>> by_competency;

  bool empty() const { return pooled.empty() && by_period.empty(); }

  void set_pooled(std::size_t n_raters, std::uint32_t rater, double severity);
  void set_in_period(std::size_t n_periods, std::size_t n_raters, std::uint32_t period, std::uint32_t rater,
                     double severity);
  void set_on_competency(std::size_t n_competencies, std::size_t n_raters, std::uint32_t competency,
                         std::uint32_t rater, double bias);
  /// Severity of `rater` in `period` from the per-period fit (NaN if none).
  double in_period(std::uint32_t period, std::uint32_t rater) const;
  double pooled_of(std::uint32_t rater) const;
  /// The rater's bias on `competency` (0 if none).
  double on_competency(std::uint32_t competency, std::uint32_t rater) const;
};

/// The anchor review follows the context's privacy rule; which periods it
/// reads is `scope`.
struct anchors_options {
  /// Every period pooled (the default: more evidence, and the anchors are
  /// the same text in every period), or only the context's analysed period.
  period_scope scope = period_scope::all_periods;
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

  void validate() const;
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
  double divergent_share = std::numeric_limits<double>::quiet_NaN();       // of units
  double pair_divergent_share = std::numeric_limits<double>::quiet_NaN();  // pairs_beyond_one / n_pairs
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
  std::size_t adjusted_pairs_beyond_one = 0;
  double adjusted_pair_divergent_share = std::numeric_limits<double>::quiet_NaN();
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
  /// Whether the rewrite rule was applied: false below options.min_units
  /// units (or when suppressed), with `not_evaluated` saying why, e.g.
  /// "not evaluated: 6 units, minimum 10".
  bool evaluated = false;
  std::string not_evaluated;
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
std::vector<unit_rating> sorted_unit_ratings(const ratings_table& table, const ratings_filter& filter);

bool same_unit(const unit_rating& a, const unit_rating& b);

/// [begin, end) of each unit with two or more ratings.
std::vector<std::pair<std::size_t, std::size_t>> rated_units(const std::vector<unit_rating>& ratings);

/// The threshold on a severity-adjusted difference for "more than one
/// level apart" (see the header comment).
inline constexpr double adjusted_beyond_one = 1.5;

/// The levels of one unit with each rater's severity added, into `out`.
/// When the unit cannot be adjusted (a rater without a severity in any
/// source), `out` holds the levels as rated and the result is false.
bool adjusted_levels(const std::vector<unit_rating>& ratings, std::size_t begin, std::size_t end,
                            const rater_offsets& offsets, std::vector<double>& out);

double spread_of(const std::vector<double>& values);

/// Agreement statistics and counts over `units` (runs of `ratings`).
/// Raises nothing for degenerate data: a statistic without a value stays
/// NaN and its reason goes to `notes`.
agreement_summary summarise_agreement(const std::vector<unit_rating>& ratings,
                                             const std::vector<std::pair<std::size_t, std::size_t>>& units,
                                             std::size_t n_levels, std::size_t n_ratees_in_table,
                                             std::size_t n_raters_in_table,
                                             agreement::weight_scheme gwet_weights,
                                             const rater_offsets* offsets = nullptr);

/// Blanks the numbers of a scope that covers too few ratees.
void suppress(agreement_summary& s, const privacy_policy& privacy);

std::string format_share(double share);

ratings_filter external_filter(const std::vector<rater_role>& roles, std::optional<std::uint32_t> period);

}  // namespace detail

/// Agreement among external raters of the same ratee, overall and per
/// competency, with the rewrite flag and its evidence.  With `offsets`
/// (rater severities), divergence is judged after removing them.  Throws
/// invalid_argument for bad options;
/// returns available = false when no unit has two external ratings.
anchors_result analyse_anchors(const calibration_context& context, const anchors_options& options = {},
                               const rater_offsets* offsets = nullptr);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/anchors-inl.hpp>
#endif
