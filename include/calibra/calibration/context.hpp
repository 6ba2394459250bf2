// calibration_context: what every calibration analysis reads besides its
// own settings -- the ratings, the framework they are judged against, the
// analysed period, the privacy rule and, for the analyses of ratees, their
// scores.
//
// One context is built once and handed to each analysis, so the period and
// the privacy rule are stated in one place and cannot disagree between
// analyses:
//
//   const competency_scores scores = fit.fair_scores(table, period);
//   const calibration_context ctx =
//       calibration_context(table, scores).with_privacy({5});
//   level_inference levels = infer_levels(ctx);
//   readiness_result ready = assess_readiness(ctx);
//
// A ratings table converts to a context implicitly (its own framework, the
// latest period, the default privacy rule), so `analyse_anchors(table)`
// reads as it should.  The context holds references: the table, framework
// and scores must outlive it.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <cstdint>
#include <optional>
#include <string_view>

namespace calibra::calibration {

/// Which ratings an analysis over rating *agreement* uses: every period
/// pooled (the default of the anchor review and the decision study: the
/// anchor text is the same in every period, so pooling gives more evidence)
/// or only the context's analysed period.
enum class period_scope { all_periods, analysed_period };

class calibration_context {
 public:
  /// The table's own framework, the latest period, the default privacy rule.
  /// Implicit on purpose: a table is a complete context for the analyses
  /// that need nothing else.
  calibration_context(const ratings_table& table);  // NOLINT(google-explicit-constructor)
  /// Judged against `fw` instead of the table's own framework (it must have
  /// the same competencies and career levels, since the table's rows index
  /// into its own framework; an edited copy with other expectations is fine).
  calibration_context(const ratings_table& table, const calibra::framework& fw);
  /// With the ratee scores the level, readiness, pattern, team and
  /// development analyses read.  The analysed period defaults to the one the
  /// scores describe.
  calibration_context(const ratings_table& table, const competency_scores& scores);
  calibration_context(const ratings_table& table, const calibra::framework& fw, const competency_scores& scores);

  /// The analysed period by table period id.  Throws invalid_argument when
  /// the table has no such period.
  calibration_context& with_period(std::uint32_t period);
  /// The analysed period by name ("2026Q3").  Throws invalid_argument, listing
  /// the table's periods, when the name does not occur.
  calibration_context& with_period(std::string_view name);
  /// Throws invalid_argument for an invalid policy.
  calibration_context& with_privacy(const privacy_policy& privacy);
  calibration_context& with_scores(const competency_scores& scores);

  const ratings_table& table() const noexcept { return *table_; }
  /// The framework the analyses judge against.  Throws invalid_argument when
  /// none was given and the table was built without one.
  const calibra::framework& framework() const;

  bool has_scores() const noexcept { return scores_ != nullptr; }
  /// The ratee scores.  Throws invalid_argument naming `analysis` when the
  /// context has none, or when they do not fit the framework, or describe
  /// another period than the one requested with with_period().
  const competency_scores& scores(const char* analysis) const;

  /// The analysed period: the one set with with_period(), else the period
  /// the scores describe, else the latest period of the table.  Empty only
  /// for a table without periods.
  std::optional<std::uint32_t> period() const noexcept;
  /// Whether with_period() was called.
  bool period_given() const noexcept { return period_.has_value(); }

  const privacy_policy& privacy() const noexcept { return privacy_; }

 private:
  const ratings_table* table_;
  const calibra::framework* framework_ = nullptr;  // null: the table's own
  const competency_scores* scores_ = nullptr;
  std::optional<std::uint32_t> period_;
  privacy_policy privacy_;
};

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/context-inl.hpp>
#endif
