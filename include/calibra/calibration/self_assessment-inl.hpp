// Implementation of <calibra/calibration/self_assessment.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/self_assessment.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>

#include <boost/math/distributions/students_t.hpp>

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

CALIBRA_INLINE std::string_view to_string(inflation_direction direction) {
  return calibra::detail::name_of(detail::inflation_direction_names, direction);
}

CALIBRA_INLINE std::optional<inflation_direction> parse_inflation_direction(std::string_view text) {
  return calibra::detail::value_of<inflation_direction>(detail::inflation_direction_names, text);
}

CALIBRA_INLINE auto self_assessment_options::validate() const -> void {
  const auto fail = [](const std::string& message) { throw invalid_argument("calibration", message); };
  if (comparison_roles.empty())
    fail("self_assessment: comparison_roles is empty; expected the roles whose ratings the self rating is "
         "compared with, e.g. manager");
  if (std::find(comparison_roles.begin(), comparison_roles.end(), rater_role::self) != comparison_roles.end())
    fail("self_assessment: comparison_roles must not include 'self'");
  if (!(conversation_min_self_gap >= 0) || !std::isfinite(conversation_min_self_gap))
    fail("self_assessment: conversation_min_self_gap must be a finite number of levels >= 0, got " +
         std::to_string(conversation_min_self_gap));
  if (!(confidence > 0 && confidence < 1))
    fail("self_assessment: confidence must be strictly between 0 and 1, got " + std::to_string(confidence));
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE self_inflation mean_with_t_interval(const std::vector<double>& values, double confidence) {
  self_inflation s;
  s.n_ratees = values.size();
  if (values.empty()) return s;
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean_self_gap = sum / n;
  if (values.size() < 2) return s;
  double squares = 0;
  for (double v : values) squares += (v - s.mean_self_gap) * (v - s.mean_self_gap);
  s.sd = std::sqrt(squares / (n - 1));
  s.se = s.sd / std::sqrt(n);
  const boost::math::students_t t(n - 1);
  const double q = boost::math::quantile(boost::math::complement(t, (1 - confidence) / 2));
  s.ci_low = s.mean_self_gap - q * s.se;
  s.ci_high = s.mean_self_gap + q * s.se;
  s.direction = s.ci_low > 0    ? inflation_direction::inflated
                : s.ci_high < 0 ? inflation_direction::deflated
                                : inflation_direction::none;
  return s;
}

CALIBRA_INLINE void suppress(self_inflation& s, const privacy_policy& privacy) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.suppressed = true;
  s.note = privacy.marker(s.n_ratees);
  s.mean_self_gap = s.sd = s.se = s.ci_low = s.ci_high = nan;
  s.direction.reset();
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE self_assessment_result analyse_self_assessment(const calibration_context& context,
                                                              const self_assessment_options& options,
                                                              const rater_offsets* offsets) {
  options.validate();
  const ratings_table& table = context.table();
  self_assessment_result result;
  result.confidence = options.confidence;
  if (offsets && offsets->empty()) offsets = nullptr;
  result.severity_adjusted = offsets != nullptr;
  const std::size_t n_competencies = table.n_competencies();
  if (table.periods().empty()) {
    result.reason = "no ratings";
    return result;
  }
  const std::uint32_t period = *context.period();
  result.period = period;
  const std::string period_name = table.periods()[period];
  for (std::size_t c = 0; c < n_competencies; ++c) {
    self_inflation none;
    none.competency = static_cast<std::uint32_t>(c);
    result.inflation.push_back(none);
  }

  // Per ratee x competency: the self level and the comparison sum / count.
  const std::size_t cells = table.ratees().size() * n_competencies;
  std::vector<int> self(cells, 0);
  std::vector<double> sum(cells, 0.0);
  std::vector<std::uint32_t> count(cells, 0);
  std::size_t self_ratings = 0, comparison_ratings = 0;
  const auto& roles = options.comparison_roles;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.period(row) != period) continue;
    const std::size_t cell = std::size_t{table.ratee(row)} * n_competencies + table.competency(row);
    if (table.role(row) == rater_role::self) {
      self[cell] = table.level(row);
      ++self_ratings;
    } else if (std::find(roles.begin(), roles.end(), table.role(row)) != roles.end()) {
      // With severities, the level an average rater would have given: a
      // lenient manager's reports must not look self-critical.
      double severity = 0;
      if (offsets) {
        severity = offsets->in_period(period, table.rater(row));
        if (!std::isfinite(severity)) severity = offsets->pooled_of(table.rater(row));
        if (!std::isfinite(severity)) severity = 0;
      }
      sum[cell] += table.level(row) + severity;
      ++count[cell];
      ++comparison_ratings;
    }
  }
  std::string role_names;
  for (rater_role role : roles) role_names += (role_names.empty() ? "" : "/") + std::string(to_string(role));
  if (self_ratings == 0) {
    result.reason = "no self ratings in period '" + period_name + "'";
    return result;
  }
  if (comparison_ratings == 0) {
    result.reason = "no " + role_names + " ratings in period '" + period_name + "' to compare the self ratings with";
    return result;
  }

  std::vector<std::vector<double>> by_competency(n_competencies);
  std::vector<double> ratee_means;
  for (std::uint32_t ratee = 0; ratee < table.ratees().size(); ++ratee) {
    conversation talk;
    talk.ratee = ratee;
    std::vector<conversation_topic> topics;
    double abs_sum = 0, signed_sum = 0;
    for (std::size_t c = 0; c < n_competencies; ++c) {
      const std::size_t cell = std::size_t{ratee} * n_competencies + c;
      if (self[cell] == 0 || count[cell] == 0) continue;
      self_gap g;
      g.ratee = ratee;
      g.competency = static_cast<std::uint32_t>(c);
      g.self_level = self[cell];
      g.n_comparison = count[cell];
      g.comparison_level = sum[cell] / count[cell];
      g.difference = g.self_level - g.comparison_level;
      result.self_gaps.push_back(g);
      by_competency[c].push_back(g.difference);
      ++talk.n_compared;
      abs_sum += std::abs(g.difference);
      signed_sum += g.difference;
      talk.max_abs_self_gap = std::max(talk.max_abs_self_gap, std::abs(g.difference));
      if (std::abs(g.difference) >= options.conversation_min_self_gap) topics.push_back({g.competency, g.difference});
    }
    if (talk.n_compared == 0) continue;
    talk.disagreement = abs_sum / static_cast<double>(talk.n_compared);
    talk.mean_self_gap = signed_sum / static_cast<double>(talk.n_compared);
    ratee_means.push_back(talk.mean_self_gap);
    std::stable_sort(topics.begin(), topics.end(), [](const conversation_topic& a, const conversation_topic& b) {
      return std::abs(a.self_gap) > std::abs(b.self_gap);
    });
    talk.n_topics = topics.size();
    if (topics.size() > options.max_topics) topics.resize(options.max_topics);
    talk.topics = std::move(topics);
    result.conversations.push_back(std::move(talk));
  }
  if (result.self_gaps.empty()) {
    result.reason = "no ratee has both a self rating and a " + role_names + " rating on the same competency in "
                    "period '" + period_name + "'";
    return result;
  }
  result.available = true;
  std::stable_sort(result.conversations.begin(), result.conversations.end(),
                   [](const conversation& a, const conversation& b) {
                     if (a.disagreement != b.disagreement) return a.disagreement > b.disagreement;
                     return a.max_abs_self_gap > b.max_abs_self_gap;
                   });

  for (std::size_t c = 0; c < n_competencies; ++c) {
    if (by_competency[c].empty()) continue;
    self_inflation s = detail::mean_with_t_interval(by_competency[c], options.confidence);
    s.competency = static_cast<std::uint32_t>(c);
    if (!context.privacy().allows(s.n_ratees)) detail::suppress(s, context.privacy());
    result.inflation[c] = std::move(s);
  }
  result.overall = detail::mean_with_t_interval(ratee_means, options.confidence);
  if (!context.privacy().allows(result.overall.n_ratees)) detail::suppress(result.overall, context.privacy());
  return result;
}

CALIBRA_INLINE self_profiles_result profile_self_assessments(const calibration_context& context) {
  self_profiles_result result;
  const ratings_table& table = context.table();
  const auto period = context.period();
  if (!period) {
    result.reason = "the ratings table is empty";
    return result;
  }
  const calibra::framework& fw = context.framework();
  const std::size_t n_competencies = fw.competencies().size();
  // Self level per (ratee, competency) in the period; 0 for none.
  std::vector<std::vector<int>> self_level(table.ratees().size());
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.period(row) != *period || table.role(row) != rater_role::self) continue;
    auto& levels = self_level[table.ratee(row)];
    if (levels.empty()) levels.assign(n_competencies, 0);
    levels[table.competency(row)] = table.level(row);
  }
  std::vector<std::optional<std::uint32_t>> career_of(table.ratees().size());
  for (const ratee_period& rp : table.ratee_periods())
    if (rp.period == *period) career_of[rp.ratee] = rp.career_level;

  for (std::uint32_t ratee = 0; ratee < self_level.size(); ++ratee) {
    const auto& levels = self_level[ratee];
    if (levels.empty()) continue;
    self_profile p;
    p.ratee = ratee;
    if (career_of[ratee]) p.career_level = *career_of[ratee];
    for (std::size_t c = 0; c < n_competencies; ++c) {
      if (levels[c] == 0) {
        p.unrated.push_back(c);
        continue;
      }
      if (!p.career_level) continue;
      self_profile_item item;
      item.competency = c;
      item.self_level = levels[c];
      item.expected = fw.expectations()(static_cast<Eigen::Index>(*p.career_level), static_cast<Eigen::Index>(c));
      item.difference = item.self_level - item.expected;
      (item.difference > 0 ? p.strengths : item.difference < 0 ? p.gaps : p.at_expectation).push_back(item);
    }
    const auto by_size = [](const self_profile_item& a, const self_profile_item& b) {
      const int da = a.difference < 0 ? -a.difference : a.difference;
      const int db = b.difference < 0 ? -b.difference : b.difference;
      return da != db ? da > db : a.competency < b.competency;
    };
    std::sort(p.strengths.begin(), p.strengths.end(), by_size);
    std::sort(p.gaps.begin(), p.gaps.end(), by_size);
    if (!p.career_level)
      p.note = "no career level in the ratings of this period, so there is no expectation to read the "
               "self-assessment against";
    for (const auto& item : p.gaps) p.to_discuss.push_back(item.competency);
    for (const auto& item : p.strengths) p.to_discuss.push_back(item.competency);
    for (std::size_t c : p.unrated) p.to_discuss.push_back(c);
    result.ratees.push_back(std::move(p));
  }
  result.available = !result.ratees.empty();
  if (!result.available)
    result.reason = "no self ratings in " + std::string(table.periods()[*period]);
  return result;
}

}  // namespace calibra::calibration
