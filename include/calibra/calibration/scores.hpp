// Shared vocabulary of the calibration analyses: which ratings count as
// "other people's view" of a ratee, the ratee x competency score matrix
// that level inference, readiness, patterns and development plans read,
// and the privacy rule that suppresses small aggregates.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

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
const std::vector<rater_role>& external_roles();

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
  /// Per row, the SD of the part of the row's errors that every competency
  /// shares (the uncertainty about the person's overall level), so that
  /// "meets every competency" can be judged with correlated errors
  /// (meets.hpp).  Empty when unknown (observed means): the competencies'
  /// errors are then treated as independent.
  Eigen::VectorXd shared_se;
  /// Per row, the SD of a further error part that only the competencies
  /// raised by the ratee's on-track next step share (the severity model's
  /// next-step effect); empty or 0 when the scores have none.  Readiness
  /// for that step adds it to shared_se.
  Eigen::VectorXd next_step_se;
  /// Per row, how far the person's own ratings, unpooled, put their overall
  /// level above the shrunken one in `value`; empty or 0 when the scores
  /// have none.  Readiness judges the on-track step on value + this offset
  /// (the person's own evidence), with next_step_se as the SD of the
  /// person's own mean on the step's competencies.
  Eigen::VectorXd own_level_offset;
  /// Random effects: the plain mean of each cell's ratings once each rater's
  /// severity and the period effect are taken out (NaN where none), and
  /// the residual SD of one rating, so that the person's own pattern across
  /// competencies can be tested against rating noise (patterns.hpp).
  /// Empty / NaN otherwise.
  Eigen::MatrixXd adjusted_mean;
  double residual_sd = std::numeric_limits<double>::quiet_NaN();
  /// The period the scores describe; empty when they pool every period.
  std::optional<std::uint32_t> period;
  /// How the values were obtained ("observed mean", "severity-adjusted"...).
  std::string method;

  std::size_t rows() const { return ratees.size(); }
  /// Row of a table ratee id, if the ratee has scores (binary search).
  std::optional<std::size_t> row_of(std::uint32_t ratee) const;
};

/// The plain mean of the ratings `filter` keeps, per ratee and competency,
/// with the standard error of that mean (sample SD / sqrt(n); NaN below two
/// ratings).  With an empty `filter.roles`, only external_roles() count.
/// This is the unadjusted baseline that severity-adjusted fair scores
/// improve on.
competency_scores observed_scores(const ratings_table& table, ratings_filter filter = {});

/// The privacy rule: an aggregate over fewer than `min_group` distinct
/// ratees is not shown, because with so few people it identifies them.
struct privacy_policy {
  std::size_t min_group = 4;

  bool allows(std::size_t distinct_ratees) const { return distinct_ratees >= min_group; }
  /// The marker put in place of a suppressed value.
  std::string marker(std::size_t distinct_ratees) const;
  void validate() const;
};

/// The career level a ratee holds in `period` (from the ratings'
/// career_level column), if the data say.
/// ratee_periods() is sorted by ratee then period, so both lookups are
/// binary searches.
std::optional<std::uint32_t> career_level_of(const ratings_table& table, std::uint32_t ratee,
                                                    std::uint32_t period);

/// The career level of `ratee` in the latest period that records one.
std::optional<std::uint32_t> latest_career_level_of(const ratings_table& table, std::uint32_t ratee);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/scores-inl.hpp>
#endif
