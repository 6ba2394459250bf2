// Implementation of <calibra/calibration/context.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/context.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calibra::calibration {

CALIBRA_INLINE calibration_context::calibration_context(const ratings_table& table) : table_(&table) {}

CALIBRA_INLINE calibration_context::calibration_context(const ratings_table& table, const calibra::framework& fw)
    : table_(&table), framework_(&fw) {}

CALIBRA_INLINE calibration_context::calibration_context(const ratings_table& table, const competency_scores& scores)
    : table_(&table), scores_(&scores) {}

CALIBRA_INLINE calibration_context::calibration_context(const ratings_table& table, const calibra::framework& fw,
                                                        const competency_scores& scores)
    : table_(&table), framework_(&fw), scores_(&scores) {}

CALIBRA_INLINE calibration_context& calibration_context::with_period(std::uint32_t period) {
  const std::size_t n_periods = table_->periods().size();
  if (period >= n_periods)
    throw invalid_argument("calibration", "period id " + std::to_string(period) + " is not a period of the table (" +
                                              std::to_string(n_periods) + " periods)");
  period_ = period;
  return *this;
}

CALIBRA_INLINE calibration_context& calibration_context::with_period(std::string_view name) {
  if (table_->periods().empty()) throw invalid_argument("calibration", "the ratings table is empty");
  if (const auto id = table_->periods().find(name)) {
    period_ = *id;
    return *this;
  }
  std::string known;
  for (std::size_t p = 0; p < table_->periods().size(); ++p)
    known += (p ? ", " : "") + std::string(table_->periods()[p]);
  throw invalid_argument("calibration",
                         "period '" + std::string(name) + "' does not occur in the ratings; they cover " + known);
}

CALIBRA_INLINE calibration_context& calibration_context::with_privacy(const privacy_policy& privacy) {
  privacy.validate();
  privacy_ = privacy;
  return *this;
}

CALIBRA_INLINE calibration_context& calibration_context::with_scores(const competency_scores& scores) {
  scores_ = &scores;
  return *this;
}

CALIBRA_INLINE const calibra::framework& calibration_context::framework() const {
  if (framework_) return *framework_;
  if (!table_->framework_ptr())
    throw invalid_argument("calibration", "the ratings table has no framework (build it with ratings_builder)");
  return table_->framework();
}

CALIBRA_INLINE std::optional<std::uint32_t> calibration_context::period() const noexcept {
  if (period_) return period_;
  if (scores_ && scores_->period && *scores_->period < table_->periods().size()) return scores_->period;
  if (table_->periods().empty()) return std::nullopt;
  return static_cast<std::uint32_t>(table_->periods().size() - 1);
}

CALIBRA_INLINE const competency_scores& calibration_context::scores(const char* analysis) const {
  const std::string where = std::string(analysis) + ": ";
  if (!scores_)
    throw invalid_argument("calibration", where + "the calibration context has no competency scores "
                                                  "(build it with calibration_context(table, scores))");
  const ratings_table& table = *table_;
  const competency_scores& scores = *scores_;
  if (!table.framework_ptr())
    throw invalid_argument("calibration", where + "the ratings table has no framework (build it with ratings_builder)");
  const calibra::framework& fw = framework();
  const calibra::framework& own = table.framework();
  if (&own != &fw && (own.competencies().size() != fw.competencies().size() ||
                      own.ladder().size() != fw.ladder().size()))
    throw invalid_argument("calibration", where + "the framework has " + std::to_string(fw.competencies().size()) +
                                              " competencies and " + std::to_string(fw.ladder().size()) +
                                              " career levels but the ratings were read against one with " +
                                              std::to_string(own.competencies().size()) + " and " +
                                              std::to_string(own.ladder().size()));
  const auto rows = static_cast<Eigen::Index>(scores.ratees.size());
  const auto cols = static_cast<Eigen::Index>(fw.competencies().size());
  if (scores.value.rows() != rows || scores.value.cols() != cols)
    throw invalid_argument("calibration", where + "competency_scores.value is " + std::to_string(scores.value.rows()) +
                                              " x " + std::to_string(scores.value.cols()) + "; expected " +
                                              std::to_string(rows) + " ratees x " + std::to_string(cols) +
                                              " competencies");
  if (scores.se.size() != 0 && (scores.se.rows() != rows || scores.se.cols() != cols))
    throw invalid_argument("calibration", where + "competency_scores.se is " + std::to_string(scores.se.rows()) +
                                              " x " + std::to_string(scores.se.cols()) +
                                              "; expected the shape of value or an empty matrix");
  for (std::size_t i = 0; i < scores.ratees.size(); ++i) {
    if (scores.ratees[i] >= table.ratees().size())
      throw invalid_argument("calibration", where + "competency_scores.ratees[" + std::to_string(i) + "] = " +
                                                std::to_string(scores.ratees[i]) + " is not a ratee id of the table (" +
                                                std::to_string(table.ratees().size()) + " ratees)");
    if (i > 0 && scores.ratees[i] <= scores.ratees[i - 1])
      throw invalid_argument("calibration", where + "competency_scores.ratees must be strictly ascending (entry " +
                                                std::to_string(i) + ")");
  }
  const std::size_t n_periods = table.periods().size();
  if (scores.period && *scores.period >= n_periods)
    throw invalid_argument("calibration", where + "competency_scores.period " + std::to_string(*scores.period) +
                                              " is not a period of the table");
  if (period_ && scores.period && *scores.period != *period_)
    throw invalid_argument("calibration", where + "the scores describe period '" +
                                              std::string(table.periods()[*scores.period]) + "' but period '" +
                                              std::string(table.periods()[*period_]) + "' was requested");
  return scores;
}

}  // namespace calibra::calibration
