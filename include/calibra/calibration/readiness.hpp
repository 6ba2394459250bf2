// Promotion readiness: for each next step of a ratee,
// is every promotion-gap competency of that step met, judged on the
// scores (fair scores, ideally) and their standard errors?
//
// A competency is judged against its threshold, the step's target
// expectation minus the tolerance (the same "meets" rule as levels.hpp).
// The step's verdict rests on one number: the probability, under the
// posterior of the person's scores, that every promotion-gap competency is
// met at once (meets.hpp; with severity-adjusted scores the competencies
// share the uncertainty about the person's overall level).  Ready when that
// probability is at least ready_probability (0.6), not ready when it is
// at most not_ready_probability (0.25), too uncertain between; a step with
// an unscored gap competency is never ready.  Per competency the items
// still say met / unmet / uncertain by the score's interval (score +- z se,
// default 80%) and give their own probability.  docs/calibration-ratees.md
// has the details.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/detail/names.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::calibration {

/// Readiness reads the context's scores and each ratee's career level in the
/// context's analysed period.
struct readiness_options {
  /// Two-sided confidence of the interval that judges each competency.
  double confidence = 0.80;
  /// A competency is met at score >= target - tolerance (levels.hpp's rule).
  double tolerance = 0.25;
  /// The verdict of a step from the probability that every promotion-gap
  /// competency is met (meets.hpp): ready at or above ready_probability,
  /// not ready at or below not_ready_probability, too uncertain between.
  double ready_probability = 0.6;
  double not_ready_probability = 0.25;

  void validate() const;
};

/// Whether a ratee meets the target of one promotion-gap competency.
enum class promotion_gap_status { met, unmet, uncertain };
/// Whether a ratee is ready for a step: every promotion-gap competency met.
enum class readiness_verdict { ready, not_ready, too_uncertain };
/// A ratee's readiness in one word: the verdict of their best step, or why
/// no step was judged.
enum class readiness_summary { ready, not_ready, too_uncertain, no_career_level, top_of_ladder };

namespace detail {
/// The stable spellings of promotion_gap_status and readiness_verdict.
inline constexpr calibra::detail::enum_names<promotion_gap_status, 3> promotion_gap_status_names{{
    {promotion_gap_status::met, "met"},
    {promotion_gap_status::unmet, "unmet"},
    {promotion_gap_status::uncertain, "uncertain"},
}};
static_assert(calibra::detail::is_one_to_one(promotion_gap_status_names));
inline constexpr calibra::detail::enum_names<readiness_verdict, 3> readiness_verdict_names{{
    {readiness_verdict::ready, "ready"},
    {readiness_verdict::not_ready, "not-ready"},
    {readiness_verdict::too_uncertain, "too-uncertain"},
}};
static_assert(calibra::detail::is_one_to_one(readiness_verdict_names));
inline constexpr calibra::detail::enum_names<readiness_summary, 5> readiness_summary_names{{
    {readiness_summary::ready, "ready"},
    {readiness_summary::not_ready, "not-ready"},
    {readiness_summary::too_uncertain, "too-uncertain"},
    {readiness_summary::no_career_level, "no-career-level"},
    {readiness_summary::top_of_ladder, "top-of-ladder"},
}};
static_assert(calibra::detail::is_one_to_one(readiness_summary_names));
}  // namespace detail

std::string_view to_string(promotion_gap_status s);
std::optional<promotion_gap_status> parse_promotion_gap_status(std::string_view text);
std::string_view to_string(readiness_verdict v);
std::optional<readiness_verdict> parse_readiness_verdict(std::string_view text);
std::string_view to_string(readiness_summary s);
std::optional<readiness_summary> parse_readiness_summary(std::string_view text);

/// One promotion-gap competency of a step, judged.
struct readiness_item {
  std::size_t competency = 0;
  int from_level = 0;  // expectation at the ratee's career level
  int to_level = 0;    // expectation after the step: the target
  double threshold = 0;  // to_level - tolerance
  double score = detail::ratee_nan();
  double se = detail::ratee_nan();
  double ci_low = detail::ratee_nan(), ci_high = detail::ratee_nan();  // NaN without an SE
  promotion_gap_status status = promotion_gap_status::uncertain;
  bool point_only = false;  // judged on the point value: no standard error
  /// P(score >= threshold) under the score's posterior (0 or 1 when point
  /// only, NaN without a score).
  double probability_met = detail::ratee_nan();
};

struct step_readiness {
  calibra::step step;
  bool on_track = false;  // the step the ratee's own track takes (levels.hpp's walk)
  std::vector<readiness_item> items;  // framework::promotion_gaps() order
  std::size_t met = 0, unmet = 0, uncertain = 0;
  /// P(every promotion-gap competency is met), with the competencies'
  /// shared error (meets.hpp).  With an unscored gap competency it is the
  /// probability over the scored ones: an upper bound, so such a step is
  /// never ready.
  double probability = detail::ratee_nan();
  readiness_verdict verdict = readiness_verdict::too_uncertain;
};

struct ratee_readiness {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;
  std::vector<step_readiness> steps;  // one per next step, ladder order
  /// The verdict of the best step (ready beats too-uncertain beats
  /// not-ready; the on-track step wins a tie), or no_career_level /
  /// top_of_ladder when there is no step to judge.
  readiness_summary summary = readiness_summary::no_career_level;
  std::optional<std::size_t> summary_step;  // index into steps
};

struct readiness_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  double confidence = 0, tolerance = 0;
  double ready_probability = 0, not_ready_probability = 0;
  std::vector<ratee_readiness> ratees;  // in the order of the scores' rows
};

/// Readiness of every ratee with scores for each step up from their career
/// level in the analysed period.
readiness_result assess_readiness(const calibration_context& context, const readiness_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/readiness-inl.hpp>
#endif
