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

#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::calibration {

struct development_options {
  /// Table period id the plan starts from; default: the scores' period,
  /// else the latest.
  std::optional<std::uint32_t> period;
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

  void validate() const {
    if (max_items == 0) throw invalid_argument("calibration", "development plan: max_items must be at least 1");
    detail::check_tolerance(tolerance, "development plan");
    if (!(levels_per_quarter > 0 && levels_per_quarter <= 10))
      throw invalid_argument("calibration", "development plan: levels_per_quarter = " +
                                                std::to_string(levels_per_quarter) + "; expected a value in (0, 10]");
  }
};

enum class plan_priority { role_requirement, career_goal };

inline std::string_view to_string(plan_priority p) {
  return p == plan_priority::role_requirement ? "role-requirement" : "career-goal";
}

struct plan_item {
  std::size_t competency = 0;
  double score = 0;         // current level, on the scale (fractional)
  int current_level = 0;    // the score rounded to the nearest level of the scale
  int target_level = 0;     // 1-based ordinal
  double gap = 0;           // target_level - score
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
inline std::optional<std::string> quarter_after(std::string_view period, int quarters) {
  const auto q = parse_quarter(period);
  if (!q) return std::nullopt;
  const int index = q->year * 4 + (q->quarter - 1) + quarters;
  return std::to_string(index / 4) + "Q" + std::to_string(index % 4 + 1);
}

}  // namespace detail

/// A development plan for every ratee with scores.
inline development_result plan_development(const ratings_table& table, const framework& fw,
                                           const competency_scores& scores, const development_options& options = {}) {
  options.validate();
  detail::check_ratee_inputs(table, fw, scores, "development plan");
  development_result out;
  out.period = detail::analysed_period(table, scores, options.period, "development plan");
  out.score_method = scores.method;
  const auto& ladder = fw.ladder();
  const auto& scale = fw.scale();
  const std::size_t n_comp = fw.competencies().size();
  const detail::track_walks walks(fw);

  // Chosen goals by ratee id, checked up front.
  std::map<std::uint32_t, std::size_t> chosen;
  for (const auto& [ratee, level_id] : options.career_goals) {
    const auto id = table.ratees().find(ratee);
    if (!id)
      throw invalid_argument("calibration", "development plan: career_goals names ratee '" + ratee +
                                                "', who is not in the ratings");
    const auto level = ladder.index_of(level_id);
    if (!level)
      throw invalid_argument("calibration", "development plan: career goal '" + level_id + "' of ratee '" + ratee +
                                                "' is not a career level of the framework");
    chosen[*id] = *level;
  }
  const std::string period_name = out.period ? table.periods()[*out.period] : std::string();
  const bool quarterly = parse_quarter(period_name).has_value();
  const auto label = [&](int ordinal) { return scale.levels()[static_cast<std::size_t>(ordinal - 1)].label; };

  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    development_plan plan;
    plan.ratee = scores.ratees[row];
    plan.career_level = detail::standing_of(table, plan.ratee, out.period).career_level;
    if (const auto it = chosen.find(plan.ratee); it != chosen.end()) {
      plan.goal_level = it->second;
      plan.goal_chosen = true;
      if (plan.career_level && *plan.career_level != it->second && ladder.path(*plan.career_level, it->second).empty())
        throw invalid_argument("calibration", "development plan: career goal '" + ladder.levels()[it->second].id +
                                                  "' of ratee '" + table.ratees()[plan.ratee] +
                                                  "' cannot be reached by promotions from '" +
                                                  ladder.levels()[*plan.career_level].id + "'");
    } else if (plan.career_level) {
      plan.goal_level = walks.next_on_track(*plan.career_level);
    }

    std::vector<plan_item> candidates;
    for (std::size_t c = 0; c < n_comp; ++c) {
      const double score = scores.value(i, static_cast<Eigen::Index>(c));
      if (std::isnan(score)) {
        ++plan.unscored;
        continue;
      }
      plan_item item;
      item.competency = c;
      item.score = score;
      item.current_level = static_cast<int>(
          std::clamp<long>(std::lround(score), 1L, static_cast<long>(scale.size())));
      const int now = plan.career_level ? detail::expectation_at(fw, *plan.career_level, c) : 0;
      if (plan.career_level && score < now - options.tolerance) {
        item.priority = plan_priority::role_requirement;
        item.target_level = now;
        item.reason = "below the " + ladder.levels()[*plan.career_level].name + " expectation (" + label(now) + ")";
      } else if (plan.goal_level) {
        const int goal = detail::expectation_at(fw, *plan.goal_level, c);
        const bool rises = !plan.career_level || goal > now;
        if (!rises || !(score < goal - options.tolerance)) continue;
        item.priority = plan_priority::career_goal;
        item.target_level = goal;
        item.reason = (plan.goal_chosen ? "career goal " : "promotion gap to ") +
                      ladder.levels()[*plan.goal_level].name + ": the expectation rises " +
                      (plan.career_level ? "from " + label(now) + " " : "") + "to " + label(goal);
      } else {
        continue;
      }
      item.gap = item.target_level - score;
      const auto& catalogue = fw.competencies()[c].actions;
      const std::size_t n_actions =
          options.actions_per_item == 0 ? catalogue.size() : std::min(options.actions_per_item, catalogue.size());
      item.actions.assign(catalogue.begin(), catalogue.begin() + static_cast<std::ptrdiff_t>(n_actions));
      // 1e-9 keeps a gap of exactly k levels (up to rounding) at k quarters.
      item.quarters = std::max(1, static_cast<int>(std::ceil(item.gap / options.levels_per_quarter - 1e-9)));
      item.target_quarter = quarterly ? detail::quarter_after(period_name, item.quarters) : std::nullopt;
      candidates.push_back(std::move(item));
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const plan_item& a, const plan_item& b) {
      if (a.priority != b.priority) return a.priority == plan_priority::role_requirement;
      return a.gap > b.gap;
    });
    plan.candidates = candidates.size();
    if (candidates.size() > options.max_items) candidates.resize(options.max_items);
    plan.items = std::move(candidates);

    std::vector<std::string> notes;
    if (!plan.career_level) notes.push_back("no career level in the ratings: no role requirements");
    if (!plan.goal_level && plan.career_level) notes.push_back("top of the track: no career goal unless one is chosen");
    if (!quarterly && !plan.items.empty())
      notes.push_back("period '" + period_name + "' is not a quarter (YYYYQn): no target quarters");
    for (const auto& n : notes) plan.note += (plan.note.empty() ? "" : "; ") + n;
    out.ratees.push_back(std::move(plan));
  }
  out.available = !out.ratees.empty();
  if (!out.available) out.reason = "no ratee has scores";
  return out;
}

inline development_result plan_development(const ratings_table& table, const competency_scores& scores,
                                           const development_options& options = {}) {
  if (!table.framework_ptr())
    throw invalid_argument("calibration", "development plan: the ratings table has no framework");
  return plan_development(table, table.framework(), scores, options);
}

}  // namespace calibra::calibration
