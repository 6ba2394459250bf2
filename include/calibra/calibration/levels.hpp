// Level inference and matrix validation: rate real people against the
// matrix and compare the result with their career level.
//
// Given a score per ratee and competency (observed means or
// severity-adjusted fair scores, see scores.hpp), this answers three
// questions about the expectation matrix:
//
//   1. Per ratee: which career level do the scores say they are at?  A
//      probability for each career level on their track, the most probable
//      one, the competencies short of the level above it, and the career
//      level (any track) whose expectation row is closest to the profile.
//   2. Against the actual career levels: do people score above their level
//      across the board (the anchors are too easy) or below it (too hard)?
//   3. Against the promotion outcomes: does the matrix separate the ratees
//      who were promoted from those who were not?  (Hedges' g and the AUC.)
//
// Definitions, thresholds and formulas are in docs/calibration-ratees.md.
// The helpers in detail:: (analysed period, a ratee's career level and
// track, the walk along a track) are shared with readiness.hpp,
// patterns.hpp and development.hpp.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/detail/names.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

// ---- shared by the ratee analyses ---------------------------------------------

namespace detail {

double ratee_nan();

/// Where a ratee stands in the analysed period.
struct ratee_standing {
  std::optional<std::size_t> career_level;    // in the period, else the latest recorded
  std::optional<calibra::track> track;        // of the career level, else as recorded
  std::optional<promotion_outcome> outcome;   // recorded in the period only
};

ratee_standing standing_of(const ratings_table& table, std::uint32_t ratee,
                                  std::optional<std::uint32_t> period);

/// The promotion chain a ratee walks: a maximal chain of steps from a career
/// level no step leads to.  For a ratee with a career level, the chain
/// through that level with the most levels of its track (first in
/// framework::promotion_chains() order on a tie); without one, the chain
/// with the most levels of the recorded track (IC when unknown).
class track_walks {
 public:
  explicit track_walks(const framework& fw);

  const std::vector<std::size_t>& walk(const ratee_standing& s) const;

  /// The promotion a ratee at `level` walks next on their track, if any.
  std::optional<std::size_t> next_on_track(std::size_t level) const;

 private:
  std::size_t best_chain(std::optional<std::size_t> through, calibra::track t) const;

  const career_ladder* ladder_;
  std::vector<std::vector<std::size_t>> chains_;
  std::vector<std::size_t> by_level_;
  std::size_t by_track_[2] = {0, 0};
};

int expectation_at(const framework& fw, std::size_t career_level, std::size_t competency);

/// Mean, SD and a t interval of a sample (NaN where undefined).
struct sample_summary {
  std::size_t n = 0;
  double mean = ratee_nan(), sd = ratee_nan(), ci_low = ratee_nan(), ci_high = ratee_nan();
};

sample_summary summarise_sample(const std::vector<double>& xs, double confidence);

void check_probability(double value, const char* name, const char* analysis);

void check_tolerance(double tolerance, const char* analysis);

}  // namespace detail

// ---- options and results ---------------------------------------------------------

/// Level inference reads the context's scores, and the career levels and
/// promotion outcomes of the context's analysed period.
struct level_options {
  /// A ratee meets an expectation when score >= expectation - tolerance
  /// (the shortfalls against the next level, the anchors' verdicts).
  double tolerance = 0.25;
  /// Whether a competency without a score is listed among the shortfalls
  /// against the next level (true) or left out (false, the default).  The
  /// level probabilities always use the scored competencies only.
  bool unscored_counts_as_unmet = false;
  /// Confidence of the intervals (t intervals for mean gaps, normal for g and AUC).
  double confidence = 0.95;
  /// |mean gap| in levels from which a competency's anchors are called too
  /// easy or too hard (the interval must exclude zero too).
  double verdict_threshold = 0.5;
  void validate() const;
};

/// One competency below the expectation of a career level.
struct competency_shortfall {
  std::size_t competency = 0;
  double score = 0;       // NaN when unscored (and counted as unmet)
  int expected = 0;       // the career level's expectation
  double shortfall = 0;   // expected - score, in levels (NaN when unscored)
};

/// Where one ratee's scores put them on the ladder.
struct ratee_level {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;    // actual, from the ratings
  std::vector<std::size_t> walk;              // the promotion chain checked, lowest first
  /// Per level of the walk, the probability that the person works at it:
  /// the posterior of a uniform prior over the walk and a likelihood in
  /// which each scored competency scatters around the level's expectation
  /// with variance profile_spread^2 + se^2, independently
  /// (docs/calibration-ratees.md).
  /// They sum to 1.
  std::vector<double> level_probabilities;
  /// The most probable level of the walk (the lower one on a tie), and its
  /// probability; empty when nothing is scored.
  std::optional<std::size_t> inferred_level;
  double inferred_probability = detail::ratee_nan();
  /// The level of the walk above the inferred one; empty at the top.
  std::optional<std::size_t> next_level;
  /// The competencies short of next_level, largest shortfall first.
  std::vector<competency_shortfall> shortfalls;
  /// The career level (any track) whose expectation row is closest to the
  /// scores in least squares over the scored competencies, and the root
  /// mean square distance to it, in levels.
  std::optional<std::size_t> best_fit_level;
  double best_fit_distance = detail::ratee_nan();
  std::size_t scored = 0;     // competencies with a score
  /// inferred vs actual position on the walk: +1 above, 0 equal, -1 below;
  /// empty without an actual career level.
  std::optional<int> inferred_vs_actual;
  /// The next career level after the actual one on the ratee's track, and
  /// the readiness index against it: the mean over scored competencies of
  /// score - expectation there (negative: short of it).
  std::optional<std::size_t> promotion_target;
  double readiness_index = detail::ratee_nan();
  std::optional<promotion_outcome> outcome;   // recorded in the analysed period
};

/// The expectation gap, score - expectation at the actual career level,
/// summarised over ratees: its mean with a t interval.  (Not the promotion
/// gap of a step, nor the self gap of self_assessment.hpp.)
struct expectation_gap_summary {
  std::size_t n_ratees = 0;
  double mean = detail::ratee_nan(), sd = detail::ratee_nan();
  double ci_low = detail::ratee_nan(), ci_high = detail::ratee_nan();
  bool suppressed = false;
  std::string note;
};

struct matrix_cell {
  std::size_t competency = 0;
  std::size_t career_level = 0;
  expectation_gap_summary expectation_gap;
};

/// Verdict on a competency's anchors, from the mean gap over its ratees.
enum class anchor_verdict {
  too_easy,           // mean >= verdict_threshold and the interval above 0
  too_hard,           // mean <= -verdict_threshold and the interval below 0
  calibrated,         // |mean| < verdict_threshold
  unclear,            // large mean, but the interval includes 0
  insufficient_data,  // fewer than two ratees
  suppressed,         // fewer ratees than the privacy policy allows to report
};

namespace detail {
/// The stable spellings of anchor_verdict.
inline constexpr calibra::detail::enum_names<anchor_verdict, 6> anchor_verdict_names{{
    {anchor_verdict::too_easy, "too-easy"},
    {anchor_verdict::too_hard, "too-hard"},
    {anchor_verdict::calibrated, "calibrated"},
    {anchor_verdict::unclear, "unclear"},
    {anchor_verdict::insufficient_data, "insufficient-data"},
    {anchor_verdict::suppressed, "suppressed"},
}};
static_assert(calibra::detail::is_one_to_one(anchor_verdict_names));
}  // namespace detail

std::string_view to_string(anchor_verdict verdict);
std::optional<anchor_verdict> parse_anchor_verdict(std::string_view text);

struct competency_validation {
  std::size_t competency = 0;
  expectation_gap_summary expectation_gap;
  anchor_verdict verdict = anchor_verdict::insufficient_data;
};

struct career_level_validation {
  std::size_t career_level = 0;
  /// Per ratee the mean gap over their scored competencies, summarised.
  expectation_gap_summary expectation_gap;
  /// Shares of these ratees whose inferred level is above / equal to /
  /// below their actual one (NaN when suppressed).
  double share_above = detail::ratee_nan(), share_equal = detail::ratee_nan(), share_below = detail::ratee_nan();
};

struct matrix_validation {
  bool available = false;
  std::string reason;
  double confidence = 0;          // of the t intervals
  double verdict_threshold = 0;   // |mean gap| for too-easy / too-hard
  std::vector<matrix_cell> cells;                        // competency-major, only cells with ratees
  std::vector<competency_validation> competencies;       // framework order
  std::vector<career_level_validation> career_levels;    // ladder order, only levels with ratees
  career_level_validation overall;                       // every ratee with a career level
};

/// Does the readiness index separate promoted from not-promoted ratees?
struct promotion_separation {
  bool available = false;
  std::string reason;
  double confidence = 0;
  std::size_t n_promoted = 0, n_not_promoted = 0;
  double mean_promoted = detail::ratee_nan(), mean_not_promoted = detail::ratee_nan();
  double sd_promoted = detail::ratee_nan(), sd_not_promoted = detail::ratee_nan();
  /// Hedges' g, (promoted - not promoted) / pooled SD with the exact small
  /// sample correction, its standard error and a normal interval.
  double hedges_g = detail::ratee_nan(), g_se = detail::ratee_nan();
  double g_ci_low = detail::ratee_nan(), g_ci_high = detail::ratee_nan();
  /// P(index of a promoted ratee > index of a not-promoted one), ties
  /// counting one half, with DeLong's standard error and a normal interval
  /// clipped to [0, 1].
  double auc = detail::ratee_nan(), auc_se = detail::ratee_nan();
  double auc_ci_low = detail::ratee_nan(), auc_ci_high = detail::ratee_nan();
  bool suppressed = false;
  std::string note;
};

struct level_inference {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  double tolerance = 0;
  /// How far, in levels, people's true profiles scatter around the
  /// expectation row of the level they work at (tau in the level
  /// probabilities): the root mean squared distance of the scores from the
  /// row of the ratee's actual career level (the nearest row of the walk
  /// without one), less the scores' own error variance; NaN when nothing is
  /// scored.
  double profile_spread = detail::ratee_nan();
  std::vector<ratee_level> ratees;   // in the order of the scores' rows
  matrix_validation validation;
  promotion_separation separation;
};

// ---- the statistics ------------------------------------------------------------------

namespace detail {

/// Hedges' g of a - b as metafor::escalc(measure = "SMD") computes it: the
/// exact correction factor J(m) = Gamma(m/2) / (sqrt(m/2) Gamma((m-1)/2)),
/// m = n_a + n_b - 2, and the large-sample variance
/// 1/n_a + 1/n_b + g^2 / (2 (n_a + n_b)).
struct hedges_result {
  double g = ratee_nan(), se = ratee_nan();
};

hedges_result hedges_g(const std::vector<double>& a, const std::vector<double>& b);

/// AUC = P(a > b) + P(a = b) / 2 and DeLong's standard error, by sorting:
/// O((n_a + n_b) log(n_a + n_b)).
struct auc_result {
  double auc = ratee_nan(), se = ratee_nan();
};

auc_result auc_delong(const std::vector<double>& a, std::vector<double> b_sorted_copy);

double normal_quantile(double p);

expectation_gap_summary expectation_gap_from(const std::vector<double>& xs, double confidence,
                                             const privacy_policy& privacy);

anchor_verdict judge_anchors(const expectation_gap_summary& g, double threshold);

}  // namespace detail

// ---- the analysis ----------------------------------------------------------------------

/// Level inference, matrix validation and promotion separation for every
/// ratee with scores.  Throws invalid_argument for bad options or scores
/// that do not fit the framework; data that cannot support a part returns
/// it with available = false and a reason.
level_inference infer_levels(const calibration_context& context, const level_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/levels-inl.hpp>
#endif
