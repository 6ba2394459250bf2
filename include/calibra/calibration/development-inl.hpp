// Implementation of <calibra/calibration/development.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/development.hpp>

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

CALIBRA_INLINE auto development_options::validate() const -> void {
  if (max_items == 0) throw invalid_argument("calibration", "development plan: max_items must be at least 1");
  detail::check_tolerance(tolerance, "development plan");
  if (!(levels_per_quarter > 0 && levels_per_quarter <= 10))
    throw invalid_argument("calibration", "development plan: levels_per_quarter = " +
                                              std::to_string(levels_per_quarter) + "; expected a value in (0, 10]");
}

CALIBRA_INLINE std::string_view to_string(plan_priority p) {
  return p == plan_priority::role_requirement ? "role-requirement" : "career-goal";
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE std::optional<std::string> quarter_after(std::string_view period, int quarters) {
  const auto q = parse_quarter(period);
  if (!q) return std::nullopt;
  const int index = q->year * 4 + (q->quarter - 1) + quarters;
  return std::to_string(index / 4) + "Q" + std::to_string(index % 4 + 1);
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE development_result plan_development(const calibration_context& context, const development_options& options) {
  options.validate();
  const ratings_table& table = context.table();
  const framework& fw = context.framework();
  const competency_scores& scores = context.scores("development plan");
  development_result out;
  out.period = context.period();
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
        throw invalid_argument(
            "calibration", "development plan: career goal '" + ladder.career_levels()[it->second].id + "' of ratee '" +
                               table.ratees()[plan.ratee] + "' cannot be reached by promotions from '" +
                               ladder.career_levels()[*plan.career_level].id + "'");
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
        item.reason =
            "below the " + ladder.career_levels()[*plan.career_level].name + " expectation (" + label(now) + ")";
      } else if (plan.goal_level) {
        const int goal = detail::expectation_at(fw, *plan.goal_level, c);
        const bool rises = !plan.career_level || goal > now;
        if (!rises || !(score < goal - options.tolerance)) continue;
        item.priority = plan_priority::career_goal;
        item.target_level = goal;
        item.reason = (plan.goal_chosen ? "career goal " : "promotion gap to ") +
                      ladder.career_levels()[*plan.goal_level].name + ": the expectation rises " +
                      (plan.career_level ? "from " + label(now) + " " : "") + "to " + label(goal);
      } else {
        continue;
      }
      item.shortfall = item.target_level - score;
      const auto& catalogue = fw.competencies()[c].actions;
      const std::size_t n_actions =
          options.actions_per_item == 0 ? catalogue.size() : std::min(options.actions_per_item, catalogue.size());
      item.actions.assign(catalogue.begin(), catalogue.begin() + static_cast<std::ptrdiff_t>(n_actions));
      // 1e-9 keeps a gap of exactly k levels (up to rounding) at k quarters.
      item.quarters = std::max(1, static_cast<int>(std::ceil(item.shortfall / options.levels_per_quarter - 1e-9)));
      item.target_quarter = quarterly ? detail::quarter_after(period_name, item.quarters) : std::nullopt;
      candidates.push_back(std::move(item));
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const plan_item& a, const plan_item& b) {
      if (a.priority != b.priority) return a.priority == plan_priority::role_requirement;
      return a.shortfall > b.shortfall;
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


}  // namespace calibra::calibration
