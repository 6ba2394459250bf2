// Self vs manager: where a ratee and their manager see a
// competency differently, which of those differences to talk about first,
// and whether the team rates itself systematically higher than its
// managers do.
//
//   const self_assessment_result r = analyse_self_assessment(table);
//   for (const conversation& c : r.conversations) ...   // most disagreement first
//   for (const self_inflation& s : r.inflation) ...      // per competency, with a t interval
//
// In one period (default: the latest period of the table):
//   self_gap(ratee, competency) = self level - mean level given by the
//                                 comparison roles (default: manager)
// calibra's other two gaps are the promotion gap of a step (framework.hpp)
// and the expectation gap, score - expectation (levels.hpp).  A positive
// self gap means the ratee rates themself higher than their manager does.
// A ratee x competency cell needs both a self rating and at least one
// comparison rating; other cells have no self gap.
//
// Conversation list: one entry per ratee with at least one self gap,
// ordered by disagreement = mean |self gap| over their competencies (ties:
// the largest |self gap|, then ratee id).  Its topics are the competencies
// with |self gap| >= conversation_min_self_gap, largest first (ties:
// framework order), at most max_topics of them.
//
// Self-inflation per competency: the mean self gap over the ratees who have
// one, with a Student t interval (mean +- t_{n-1} sd / sqrt(n)); "inflated"
// when the interval lies above 0, "deflated" when below.  Overall: the same
// over each ratee's mean self gap.  These are aggregates over people: fewer
// than privacy.min_group ratees suppress them.  Self gaps and conversations
// are per-ratee results and are never suppressed.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
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

/// The comparison is made in the context's analysed period, and its
/// aggregates follow the context's privacy rule.
struct self_assessment_options {
  /// Whose view the self rating is compared with.
  std::vector<rater_role> comparison_roles{rater_role::manager};
  /// |gap| in levels from which a competency becomes a conversation topic.
  double conversation_min_self_gap = 1.0;
  /// Topics listed per ratee (the count is always complete).
  std::size_t max_topics = 5;
  double confidence = 0.95;

  void validate() const;
};

/// One ratee's self gap on one competency: their self rating minus the
/// comparison ratings.  (Not a promotion gap, nor the expectation gap of
/// levels.hpp.)
struct self_gap {
  std::uint32_t ratee = 0;
  std::uint32_t competency = 0;
  int self_level = 0;
  double comparison_level = 0;  // mean level of the comparison ratings
  std::size_t n_comparison = 0;  // how many comparison ratings
  double difference = 0;        // self_level - comparison_level
};

/// A competency to talk about.
struct conversation_topic {
  std::uint32_t competency = 0;
  double self_gap = 0;
};

/// One ratee's entry in the conversation list.
struct conversation {
  std::uint32_t ratee = 0;
  double disagreement = 0;      // mean |self gap| over the compared competencies
  double max_abs_self_gap = 0;
  double mean_self_gap = 0;     // signed: > 0 rates themself higher
  std::size_t n_compared = 0;    // competencies with a self gap
  std::size_t n_topics = 0;      // competencies with |self gap| >= conversation_min_self_gap
  std::vector<conversation_topic> topics;  // the first max_topics of them
};

/// Where the interval of a mean self-minus-comparison gap lies.
enum class inflation_direction {
  inflated,  // above 0: ratees rate themselves higher
  deflated,  // below 0
  none,      // the interval includes 0
};

namespace detail {
/// The stable spellings of inflation_direction.
inline constexpr calibra::detail::enum_names<inflation_direction, 3> inflation_direction_names{{
    {inflation_direction::inflated, "inflated"},
    {inflation_direction::deflated, "deflated"},
    {inflation_direction::none, "none"},
}};
static_assert(calibra::detail::is_one_to_one(inflation_direction_names));
}  // namespace detail

std::string_view to_string(inflation_direction direction);
std::optional<inflation_direction> parse_inflation_direction(std::string_view text);

/// Mean gap over ratees with a t interval.  NaN when suppressed or
/// undefined (no ratee; interval needs two).
struct self_inflation {
  std::optional<std::uint32_t> competency;  // empty: over all competencies (per-ratee mean gaps)
  std::size_t n_ratees = 0;
  double mean_self_gap = std::numeric_limits<double>::quiet_NaN();
  double sd = std::numeric_limits<double>::quiet_NaN();
  double se = std::numeric_limits<double>::quiet_NaN();
  double ci_low = std::numeric_limits<double>::quiet_NaN();
  double ci_high = std::numeric_limits<double>::quiet_NaN();
  /// Empty when there is no interval.
  std::optional<inflation_direction> direction;
  bool suppressed = false;
  std::string note;
};

struct self_assessment_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  double confidence = 0.95;
  /// Whether the comparison ratings were adjusted for their raters' severity.
  bool severity_adjusted = false;
  /// Every ratee x competency with a gap, by ratee id then competency.
  std::vector<self_gap> self_gaps;
  /// Ratees, most disagreement first.
  std::vector<conversation> conversations;
  /// One per framework competency, framework order (n_ratees 0 when none).
  std::vector<self_inflation> inflation;
  self_inflation overall;
};

namespace detail {

/// Mean, SD and t interval of `values` (at least one).
self_inflation mean_with_t_interval(const std::vector<double>& values, double confidence);

void suppress(self_inflation& s, const privacy_policy& privacy);

}  // namespace detail

/// Self vs comparison-role gaps in one period, the conversation list and
/// self-inflation per competency, in the context's analysed period.  Throws
/// invalid_argument for bad options; returns available = false when the
/// period has no self ratings or no comparison ratings, or no ratee has
/// both on some competency.
///
/// With `offsets` (rater severities, as for analyse_anchors), each
/// comparison rating is taken at the level an average rater would have
/// given (level + the rater's severity in the period, else pooled), so the
/// self rating is compared with a severity-adjusted view rather than with
/// one manager's leniency or harshness.
self_assessment_result analyse_self_assessment(const calibration_context& context,
                                               const self_assessment_options& options = {},
                                               const rater_offsets* offsets = nullptr);

// ---- a self-assessment alone ---------------------------------------------------
//
// Before anyone else has rated a person, their self-assessment can still be
// read against the expectations of their career level:
//   difference(competency) = self level - expectation at the career level
// Strengths to lean into: difference > 0, largest first; gaps: difference
// < 0, largest shortfall first (ties: framework order).  The competencies to
// discuss with the manager are the gaps, then the strengths, then the
// competencies the self-assessment left unrated: each is where the person's
// own view needs the manager's before it is acted on.

/// One competency of a self-assessment against the expectation.
struct self_profile_item {
  std::size_t competency = 0;
  int self_level = 0;   // 1-based ordinal
  int expected = 0;     // expectation at the career level
  int difference = 0;   // self_level - expected
};

struct self_profile {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;  // from the ratings of the period
  std::vector<self_profile_item> strengths;  // above the expectation
  std::vector<self_profile_item> gaps;       // below it
  std::vector<self_profile_item> at_expectation;
  std::vector<std::size_t> unrated;          // competencies without a self rating
  std::vector<std::size_t> to_discuss;       // gaps, strengths, then unrated
  std::string note;  // why strengths and gaps are missing (no career level), else empty
};

struct self_profiles_result {
  bool available = false;
  std::string reason;
  std::vector<self_profile> ratees;  // ratees with self ratings in the period, by table ratee id
};

/// Profiles of the self-assessments of the context's analysed period.
self_profiles_result profile_self_assessments(const calibration_context& context);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/self_assessment-inl.hpp>
#endif
