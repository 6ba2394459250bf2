// Promotion readiness (seeds 000 and 003): for each next step of a ratee,
// is every promotion-gap competency of that step met, judged on the
// scores (fair scores, ideally) and their standard errors?
//
// A competency is judged against its threshold, the step's target
// expectation minus the tolerance (the same "meets" rule as levels.hpp):
//   met        the lower end of the score's confidence interval >= threshold
//   unmet      the upper end < threshold
//   uncertain  the interval straddles the threshold, or there is no score.
// The interval is score +- z * se with z the normal quantile of the
// two-sided confidence (default 80%: z = 1.2816); without a standard error
// (e.g. a single rating) the point value decides and the item says so.
// A step is ready when every gap competency is met, not ready when any is
// unmet, and too uncertain otherwise.  docs/calibration-ratees.md has the
// details.
#pragma once

#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::calibration {

struct readiness_options {
  /// Table period id whose career levels are used; default: the scores'
  /// period, else the latest.
  std::optional<std::uint32_t> period;
  /// Two-sided confidence of the interval that judges each competency.
  double confidence = 0.80;
  /// A competency is met at score >= target - tolerance (levels.hpp's rule).
  double tolerance = 0.25;

  void validate() const {
    detail::check_probability(confidence, "confidence", "readiness");
    detail::check_tolerance(tolerance, "readiness");
  }
};

enum class gap_status { met, unmet, uncertain };

inline std::string_view to_string(gap_status s) {
  switch (s) {
    case gap_status::met: return "met";
    case gap_status::unmet: return "unmet";
    case gap_status::uncertain: return "uncertain";
  }
  return "?";
}

enum class readiness_verdict { ready, not_ready, too_uncertain };

inline std::string_view to_string(readiness_verdict v) {
  switch (v) {
    case readiness_verdict::ready: return "ready";
    case readiness_verdict::not_ready: return "not-ready";
    case readiness_verdict::too_uncertain: return "too-uncertain";
  }
  return "?";
}

/// One promotion-gap competency of a step, judged.
struct readiness_item {
  std::size_t competency = 0;
  int from_level = 0;  // expectation at the ratee's career level
  int to_level = 0;    // expectation after the step: the target
  double threshold = 0;  // to_level - tolerance
  double score = detail::ratee_nan();
  double se = detail::ratee_nan();
  double ci_low = detail::ratee_nan(), ci_high = detail::ratee_nan();  // NaN without an SE
  gap_status status = gap_status::uncertain;
  bool point_only = false;  // judged on the point value: no standard error
};

struct step_readiness {
  calibra::step step;
  bool on_track = false;  // the step the ratee's own track takes (levels.hpp's walk)
  std::vector<readiness_item> items;  // framework::gaps() order
  std::size_t met = 0, unmet = 0, uncertain = 0;
  readiness_verdict verdict = readiness_verdict::too_uncertain;
};

struct ratee_readiness {
  std::uint32_t ratee = 0;
  std::optional<std::size_t> career_level;
  std::vector<step_readiness> steps;  // one per next step, ladder order
  /// "ready", "not-ready" or "too-uncertain" for the best step (ready beats
  /// too-uncertain beats not-ready; the on-track step wins a tie), or
  /// "no-career-level" / "top-of-ladder" when there is no step to judge.
  std::string summary;
  std::optional<std::size_t> summary_step;  // index into steps
};

struct readiness_result {
  bool available = false;
  std::string reason;
  std::optional<std::uint32_t> period;
  std::string score_method;
  double confidence = 0, tolerance = 0;
  std::vector<ratee_readiness> ratees;  // in the order of the scores' rows
};

/// Readiness of every ratee with scores for each step up from their career
/// level in the analysed period.
inline readiness_result assess_readiness(const ratings_table& table, const framework& fw,
                                         const competency_scores& scores, const readiness_options& options = {}) {
  options.validate();
  detail::check_ratee_inputs(table, fw, scores, "readiness");
  readiness_result out;
  out.period = detail::analysed_period(table, scores, options.period, "readiness");
  out.score_method = scores.method;
  out.confidence = options.confidence;
  out.tolerance = options.tolerance;
  const double z = detail::normal_quantile(0.5 + options.confidence / 2);
  const std::vector<promotion_gaps> all_gaps = fw.gaps();
  const detail::track_walks walks(fw);
  const bool has_se = scores.se.size() != 0;

  std::size_t judged = 0;
  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    ratee_readiness r;
    r.ratee = scores.ratees[row];
    r.career_level = detail::standing_of(table, r.ratee, out.period).career_level;
    if (!r.career_level) {
      r.summary = "no-career-level";
      out.ratees.push_back(std::move(r));
      continue;
    }
    const std::optional<std::size_t> own_next = walks.next_on_track(*r.career_level);
    for (const promotion_gaps& g : all_gaps) {
      if (g.step.from != *r.career_level) continue;
      step_readiness s;
      s.step = g.step;
      s.on_track = own_next == g.step.to;
      for (const competency_rise& rise : g.competencies) {
        readiness_item item;
        item.competency = rise.competency;
        item.from_level = rise.from_level;
        item.to_level = rise.to_level;
        item.threshold = rise.to_level - options.tolerance;
        const auto c = static_cast<Eigen::Index>(rise.competency);
        item.score = scores.value(i, c);
        item.se = has_se ? scores.se(i, c) : detail::ratee_nan();
        if (std::isnan(item.score)) {
          item.status = gap_status::uncertain;
        } else if (std::isnan(item.se)) {
          item.point_only = true;
          item.status = item.score >= item.threshold ? gap_status::met : gap_status::unmet;
        } else {
          item.ci_low = item.score - z * item.se;
          item.ci_high = item.score + z * item.se;
          item.status = item.ci_low >= item.threshold  ? gap_status::met
                        : item.ci_high < item.threshold ? gap_status::unmet
                                                        : gap_status::uncertain;
        }
        switch (item.status) {
          case gap_status::met: ++s.met; break;
          case gap_status::unmet: ++s.unmet; break;
          case gap_status::uncertain: ++s.uncertain; break;
        }
        s.items.push_back(item);
      }
      s.verdict = s.unmet > 0       ? readiness_verdict::not_ready
                  : s.uncertain > 0 ? readiness_verdict::too_uncertain
                                    : readiness_verdict::ready;
      r.steps.push_back(std::move(s));
    }
    if (r.steps.empty()) {
      r.summary = "top-of-ladder";
    } else {
      ++judged;
      const auto strength = [](readiness_verdict v) {
        return v == readiness_verdict::ready ? 2 : v == readiness_verdict::too_uncertain ? 1 : 0;
      };
      std::size_t best = 0;
      for (std::size_t k = 1; k < r.steps.size(); ++k) {
        const int a = strength(r.steps[k].verdict), b = strength(r.steps[best].verdict);
        if (a > b || (a == b && r.steps[k].on_track && !r.steps[best].on_track)) best = k;
      }
      r.summary_step = best;
      r.summary = std::string(to_string(r.steps[best].verdict));
    }
    out.ratees.push_back(std::move(r));
  }
  out.available = judged > 0;
  if (!out.available)
    out.reason = out.ratees.empty() ? "no ratee has scores"
                                    : "no ratee with scores has a career level with a next step";
  return out;
}

/// The same, against the framework the table was read with.
inline readiness_result assess_readiness(const ratings_table& table, const competency_scores& scores,
                                         const readiness_options& options = {}) {
  if (!table.framework_ptr()) throw invalid_argument("calibration", "readiness: the ratings table has no framework");
  return assess_readiness(table, table.framework(), scores, options);
}

}  // namespace calibra::calibration
