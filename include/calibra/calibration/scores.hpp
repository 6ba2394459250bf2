// Shared vocabulary of the calibration analyses: which ratings count as
// "other people's view" of a ratee, the ratee x competency score matrix
// that level inference, readiness, patterns and development plans read,
// and the privacy rule that suppresses small aggregates.
#pragma once

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

/// Roles whose ratings describe a ratee from the outside: everything but
/// self.  Agreement, severity and fair scores use these; self ratings are
/// compared against them instead of being pooled with them.
inline const std::vector<rater_role>& external_roles() {
  static const std::vector<rater_role> roles{rater_role::manager, rater_role::peer, rater_role::skip_level,
                                             rater_role::panel};
  return roles;
}

/// Ratee x competency scores on the framework's level scale (1-based
/// ordinals, fractional after averaging or adjustment).
///
/// Rows follow `ratees` (table ratee ids, ascending); columns follow the
/// framework's competencies.  A cell without ratings holds NaN in `value`
/// and `se` and 0 in `n`.
struct competency_scores {
  std::vector<std::uint32_t> ratees;
  Eigen::MatrixXd value;
  Eigen::MatrixXd se;
  Eigen::MatrixXi n;
  /// The period the scores describe; empty when they pool every period.
  std::optional<std::uint32_t> period;
  /// How the values were obtained ("observed mean", "severity-adjusted"...).
  std::string method;

  std::size_t rows() const { return ratees.size(); }
  /// Row of a table ratee id, if the ratee has scores (binary search).
  std::optional<std::size_t> row_of(std::uint32_t ratee) const {
    const auto it = std::lower_bound(ratees.begin(), ratees.end(), ratee);
    if (it == ratees.end() || *it != ratee) return std::nullopt;
    return static_cast<std::size_t>(it - ratees.begin());
  }
};

/// The plain mean of the ratings `filter` keeps, per ratee and competency,
/// with the standard error of that mean (sample SD / sqrt(n); NaN below two
/// ratings).  With an empty `filter.roles`, only external_roles() count.
/// This is the unadjusted baseline that severity-adjusted fair scores
/// improve on.
inline competency_scores observed_scores(const ratings_table& table, ratings_filter filter = {}) {
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

/// The privacy rule: an aggregate over fewer than `min_group` distinct
/// ratees is not shown, because with so few people it identifies them.
struct privacy_policy {
  std::size_t min_group = 4;

  bool allows(std::size_t distinct_ratees) const { return distinct_ratees >= min_group; }
  /// The marker put in place of a suppressed value.
  std::string marker(std::size_t distinct_ratees) const {
    return "suppressed: " + std::to_string(distinct_ratees) + " ratee" + (distinct_ratees == 1 ? "" : "s") +
           ", fewer than the minimum group of " + std::to_string(min_group);
  }
  void validate() const {
    if (min_group < 1) throw invalid_argument("calibration", "min_group must be at least 1");
  }
};

/// The career level a ratee holds in `period` (from the ratings'
/// career_level column), if the data say.
/// ratee_periods() is sorted by ratee then period, so both lookups are
/// binary searches.
inline std::optional<std::uint32_t> career_level_of(const ratings_table& table, std::uint32_t ratee,
                                                    std::uint32_t period) {
  const auto& all = table.ratee_periods();
  const auto it = std::lower_bound(all.begin(), all.end(), std::pair{ratee, period},
                                   [](const ratee_period& rp, const std::pair<std::uint32_t, std::uint32_t>& key) {
                                     return rp.ratee != key.first ? rp.ratee < key.first : rp.period < key.second;
                                   });
  if (it == all.end() || it->ratee != ratee || it->period != period) return std::nullopt;
  return it->career_level;
}

/// The career level of `ratee` in the latest period that records one.
inline std::optional<std::uint32_t> latest_career_level_of(const ratings_table& table, std::uint32_t ratee) {
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
