// Development plans: per ratee, a short list of the
// competencies to work on, with targets, actions and a target quarter.
//
// Candidates, in priority order:
//   1. role requirement -- the score is below the expectation of the
//      ratee's current career level (score < expectation - tolerance); the
//      target is that expectation.
//   2. career goal -- a promotion-gap competency on the way to the goal
//      (the next career level on the ratee's track, or a chosen goal): its
//      expectation rises between the current career level and the goal and
//      the score is below the goal's expectation (minus the tolerance); the
//      target is the goal's expectation.
// Within a priority the larger gap (target - score) comes first, then the
// framework order.  The plan keeps the first max_items (default 3).
// Each item lists the first actions_per_item actions of the competency's
// action catalogue in the framework.
//
// Target quarter: the analysed period must be a quarter (YYYYQn).  An item
// is due ceil(gap / levels_per_quarter) quarters after it, at least one:
// with the default of one level per quarter, a gap of up to one level is
// due the next quarter (2026Q3 -> 2026Q4), a gap of 1.5 levels two
// quarters later (2027Q1).  For any other kind of period the item has no
// target quarter and the plan's note says why.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <map>

namespace calibra::calibration {

/// A plan starts from the context's scores and analysed period.
struct development_options {
  /// At most this many items per plan.
  std::size_t max_items = 3;
  /// A competency needs work when score < target - tolerance.
  double tolerance = 0.25;
  /// Actions listed per item, from the competency's catalogue; 0 lists all.
  std::size_t actions_per_item = 2;
  /// Pace assumed for the target quarter: levels closed per quarter.
  double levels_per_quarter = 1.0;
  /// Chosen career goals: ratee name -> career level id.  Ratees without
  /// one aim at the next career level on their track.
  std::map<std::string, std::string> career_goals;

  void validate() const;
};

enum class plan_priority { role_requirement, career_goal };

std::string_view to_string(plan_priority p);

struct plan_item {
  std::size_t competency = 0;
  double score = 0;         // current level, on the scale (fractional)
  int current_level = 0;    // the score rounded to the nearest level of the scale
  int target_level = 0;     // 1-based ordinal
  double shortfall = 0;     // target_level - score
  plan_priority priority = plan_priority::role_requirement;
  std::string reason;
  std::vector<std::string> actions;
  int quarters = 0;                           // quarters after the analysed period
  std::optional<std::string> target_quarter;  // e.g. "2026Q4"
};

struct development_plan {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;
  std::optional<std::size_t> goal_level;  // next step on the track, or the chosen goal
  bool goal_chosen = false;
  std::vector<plan_item> items;           // priority order, at most max_items
  std::size_t candidates = 0;             // items before the cap
  std::size_t unscored = 0;               // competencies without a score: not planned
  std::string note;
};

struct development_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  std::vector<development_plan> ratees;  // in the order of the scores' rows
};

namespace detail {

/// The quarter `quarters` after a YYYYQn period, or nothing for other periods.
std::optional<std::string> quarter_after(std::string_view period, int quarters);

}  // namespace detail

/// A development plan for every ratee with scores.
development_result plan_development(const calibration_context& context, const development_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/development-inl.hpp>
#endif
