// Implementation of <calibra/calibration/scores.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/scores.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::calibration {

CALIBRA_INLINE const std::vector<rater_role>& external_roles() {
  static const std::vector<rater_role> roles{rater_role::manager, rater_role::peer, rater_role::skip_level,
                                             rater_role::panel, rater_role::external};
  return roles;
}

CALIBRA_INLINE auto competency_scores::row_of(std::uint32_t ratee) const -> std::optional<std::size_t> {
  const auto it = std::lower_bound(ratees.begin(), ratees.end(), ratee);
  if (it == ratees.end() || *it != ratee) return std::nullopt;
  return static_cast<std::size_t>(it - ratees.begin());
}

CALIBRA_INLINE competency_scores observed_scores(const ratings_table& table, ratings_filter filter) {
if (filter.roles.empty()) filter.roles = external_roles();
const std::size_t n_comp = table.n_competencies();
const std::size_t n_ratees = table.ratees().size();

std::vector<double> sum(n_ratees * n_comp, 0.0), sum_sq(n_ratees * n_comp, 0.0);
std::vector<int> count(n_ratees * n_comp, 0);
std::vector<bool> rated(n_ratees, false);
for (std::size_t row = 0; row < table.size(); ++row) {
  if (!filter.keeps(table, row)) continue;
  const std::size_t cell = std::size_t{table.ratee(row)} * n_comp + table.competency(row);
  const double level = table.level(row);
  sum[cell] += level;
  sum_sq[cell] += level * level;
  ++count[cell];
  rated[table.ratee(row)] = true;
}

  competency_scores scores;
  scores.period = filter.period;
  scores.method = "observed mean";
  for (std::uint32_t r = 0; r < n_ratees; ++r)
    if (rated[r]) scores.ratees.push_back(r);
  const auto rows = static_cast<Eigen::Index>(scores.ratees.size());
  const auto cols = static_cast<Eigen::Index>(n_comp);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  scores.value = Eigen::MatrixXd::Constant(rows, cols, nan);
  scores.se = Eigen::MatrixXd::Constant(rows, cols, nan);
  scores.n = Eigen::MatrixXi::Zero(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i) {
    for (Eigen::Index c = 0; c < cols; ++c) {
      const std::size_t cell = std::size_t{scores.ratees[static_cast<std::size_t>(i)]} * n_comp +
                               static_cast<std::size_t>(c);
      const int n = count[cell];
      scores.n(i, c) = n;
      if (n == 0) continue;
      const double mean = sum[cell] / n;
      scores.value(i, c) = mean;
      if (n >= 2) {
        // Two-pass would be exact; levels are small integers, so the
        // one-pass form loses nothing measurable here.
        const double variance = std::max(0.0, (sum_sq[cell] - n * mean * mean) / (n - 1));
        scores.se(i, c) = std::sqrt(variance / n);
      }
    }
  }
  return scores;
}

CALIBRA_INLINE auto privacy_policy::marker(std::size_t distinct_ratees) const -> std::string {
  return "suppressed: " + std::to_string(distinct_ratees) + " ratee" + (distinct_ratees == 1 ? "" : "s") +
         ", fewer than the minimum group of " + std::to_string(min_group);
}

CALIBRA_INLINE auto privacy_policy::validate() const -> void {
  if (min_group < 1) throw invalid_argument("calibration", "min_group must be at least 1");
}

CALIBRA_INLINE std::optional<std::uint32_t> career_level_of(const ratings_table& table, std::uint32_t ratee,
                                                    std::uint32_t period) {
  const auto& all = table.ratee_periods();
  const auto it = std::lower_bound(all.begin(), all.end(), std::pair{ratee, period},
                                   [](const ratee_period& rp, const std::pair<std::uint32_t, std::uint32_t>& key) {
                                     return rp.ratee != key.first ? rp.ratee < key.first : rp.period < key.second;
                                   });
  if (it == all.end() || it->ratee != ratee || it->period != period) return std::nullopt;
  return it->career_level;
}

CALIBRA_INLINE std::optional<std::uint32_t> latest_career_level_of(const ratings_table& table, std::uint32_t ratee) {
const auto& all = table.ratee_periods();
auto it = std::upper_bound(all.begin(), all.end(), ratee,
                           [](std::uint32_t key, const ratee_period& rp) { return key < rp.ratee; });
while (it != all.begin()) {
  --it;
  if (it->ratee != ratee) break;
  if (it->career_level) return it->career_level;
}
  return std::nullopt;
}

}  // namespace calibra::calibration
