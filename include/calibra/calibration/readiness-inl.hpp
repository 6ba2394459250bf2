// Implementation of <calibra/calibration/readiness.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/readiness.hpp>
#include <calibra/calibration/meets.hpp>

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

CALIBRA_INLINE auto readiness_options::validate() const -> void {
  detail::check_probability(confidence, "confidence", "readiness");
  detail::check_tolerance(tolerance, "readiness");
  detail::check_probability(ready_probability, "ready_probability", "readiness");
  detail::check_probability(not_ready_probability, "not_ready_probability", "readiness");
  if (!(not_ready_probability < ready_probability))
    throw invalid_argument("calibration", "readiness: not_ready_probability (" + std::to_string(not_ready_probability) +
                                              ") must be below ready_probability (" +
                                              std::to_string(ready_probability) + ")");
}

CALIBRA_INLINE std::string_view to_string(promotion_gap_status s) {
  return calibra::detail::name_of(detail::promotion_gap_status_names, s);
}

CALIBRA_INLINE std::optional<promotion_gap_status> parse_promotion_gap_status(std::string_view text) {
  return calibra::detail::value_of<promotion_gap_status>(detail::promotion_gap_status_names, text);
}

CALIBRA_INLINE std::string_view to_string(readiness_verdict v) {
  return calibra::detail::name_of(detail::readiness_verdict_names, v);
}

CALIBRA_INLINE std::optional<readiness_verdict> parse_readiness_verdict(std::string_view text) {
  return calibra::detail::value_of<readiness_verdict>(detail::readiness_verdict_names, text);
}

CALIBRA_INLINE std::string_view to_string(readiness_summary s) {
  return calibra::detail::name_of(detail::readiness_summary_names, s);
}

CALIBRA_INLINE std::optional<readiness_summary> parse_readiness_summary(std::string_view text) {
  return calibra::detail::value_of<readiness_summary>(detail::readiness_summary_names, text);
}

CALIBRA_INLINE readiness_result assess_readiness(const calibration_context& context, const readiness_options& options) {
  options.validate();
  const ratings_table& table = context.table();
  const framework& fw = context.framework();
  const competency_scores& scores = context.scores("readiness");
  readiness_result out;
  out.period = context.period();
  out.score_method = scores.method;
  out.confidence = options.confidence;
  out.tolerance = options.tolerance;
  out.ready_probability = options.ready_probability;
  out.not_ready_probability = options.not_ready_probability;
  const bool has_shared = scores.shared_se.size() == static_cast<Eigen::Index>(scores.ratees.size());
  const double z = detail::normal_quantile(0.5 + options.confidence / 2);
  const std::vector<promotion_gap> all_gaps = fw.promotion_gaps();
  const detail::track_walks walks(fw);
  const bool has_se = scores.se.size() != 0;

  std::size_t judged = 0;
  for (std::size_t row = 0; row < scores.ratees.size(); ++row) {
    const auto i = static_cast<Eigen::Index>(row);
    ratee_readiness r;
    r.ratee = scores.ratees[row];
    r.career_level = detail::standing_of(table, r.ratee, out.period).career_level;
    if (!r.career_level) {
      r.summary = readiness_summary::no_career_level;
      out.ratees.push_back(std::move(r));
      continue;
    }
    const std::optional<std::size_t> own_next = walks.next_on_track(*r.career_level);
    const bool has_offset = scores.own_level_offset.size() == static_cast<Eigen::Index>(scores.ratees.size());
    for (const promotion_gap& g : all_gaps) {
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
        // The on-track step is judged on the person's own evidence: their
        // overall level unshrunk (see competency_scores::own_level_offset).
        if (s.on_track && has_offset && !std::isnan(item.score)) item.score += scores.own_level_offset[i];
        item.se = has_se ? scores.se(i, c) : detail::ratee_nan();
        if (std::isnan(item.score)) {
          item.status = promotion_gap_status::uncertain;
        } else if (std::isnan(item.se)) {
          item.point_only = true;
          item.status = item.score >= item.threshold ? promotion_gap_status::met : promotion_gap_status::unmet;
        } else {
          item.ci_low = item.score - z * item.se;
          item.ci_high = item.score + z * item.se;
          item.status = item.ci_low >= item.threshold  ? promotion_gap_status::met
                        : item.ci_high < item.threshold ? promotion_gap_status::unmet
                                                        : promotion_gap_status::uncertain;
        }
        if (!std::isnan(item.score))
          item.probability_met = item.point_only || !(item.se > 0)
                                     ? (item.score >= item.threshold ? 1.0 : 0.0)
                                     : detail::normal_cdf((item.score - item.threshold) / item.se);
        switch (item.status) {
          case promotion_gap_status::met: ++s.met; break;
          case promotion_gap_status::unmet: ++s.unmet; break;
          case promotion_gap_status::uncertain: ++s.uncertain; break;
        }
        s.items.push_back(item);
      }
      std::vector<double> value, sd, threshold;
      bool unscored = false;
      for (const readiness_item& item : s.items) {
        unscored = unscored || std::isnan(item.score);
        value.push_back(item.score);
        sd.push_back(item.point_only ? 0.0 : item.se);
        threshold.push_back(item.threshold);
      }
      double shared = has_shared ? scores.shared_se[i] : 0.0;
      if (s.on_track && scores.next_step_se.size() == static_cast<Eigen::Index>(scores.ratees.size()))
        shared = std::hypot(shared, scores.next_step_se[i]);
      s.probability = probability_meets_all(value, sd, shared, threshold);
      s.verdict = s.probability <= options.not_ready_probability               ? readiness_verdict::not_ready
                  : s.probability >= options.ready_probability && !unscored ? readiness_verdict::ready
                                                                              : readiness_verdict::too_uncertain;
      r.steps.push_back(std::move(s));
    }
    if (r.steps.empty()) {
      r.summary = readiness_summary::top_of_ladder;
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
      switch (r.steps[best].verdict) {
        case readiness_verdict::ready: r.summary = readiness_summary::ready; break;
        case readiness_verdict::not_ready: r.summary = readiness_summary::not_ready; break;
        case readiness_verdict::too_uncertain: r.summary = readiness_summary::too_uncertain; break;
      }
    }
    out.ratees.push_back(std::move(r));
  }
  out.available = judged > 0;
  if (!out.available)
    out.reason = out.ratees.empty() ? "no ratee has scores"
                                    : "no ratee with scores has a career level with a next step";
  return out;
}


}  // namespace calibra::calibration
