// Implementation of <calibra/calibration/feedback.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/feedback.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace calibra::calibration {

CALIBRA_INLINE std::string_view to_string(feedback_kind kind) {
  return kind == feedback_kind::strength ? "strength" : "growth";
}

CALIBRA_INLINE std::optional<feedback_kind> parse_feedback_kind(std::string_view text) {
  if (text == "strength") return feedback_kind::strength;
  if (text == "growth") return feedback_kind::growth;
  return std::nullopt;
}

CALIBRA_INLINE auto calendar_date::operator<(const calendar_date& o) const -> bool {
  if (year != o.year) return year < o.year;
  if (month != o.month) return month < o.month;
  return day < o.day;
}

CALIBRA_INLINE std::optional<calendar_date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (!year || !month || !day || *year < 1 || *month < 1 || *month > 12 || *day < 1) return std::nullopt;
  static constexpr int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  const int last = days_in_month[*month - 1] + (*month == 2 && leap ? 1 : 0);
  if (*day > last) return std::nullopt;
  return calendar_date{*year, *month, *day};
}

CALIBRA_INLINE std::string to_string(const calendar_date& d) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buffer;
}

CALIBRA_INLINE std::string quarter_name(long quarter_index) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04ldQ%ld", quarter_index / 4, quarter_index % 4 + 1);
  return buffer;
}

CALIBRA_INLINE feedback_log::feedback_log(std::shared_ptr<const calibra::framework> fw, std::string source)
    : framework_(std::move(fw)), source_(std::move(source)) {
  if (!framework_) throw invalid_argument("feedback", "a feedback log needs a framework");
}

CALIBRA_INLINE auto feedback_log::add(feedback_item item) -> void {
  const std::size_t position = items_.size() + 1;
  if (item.source_row == 0) item.source_row = position;
  const auto fail = [&](const std::string& message) {
    throw invalid_argument("feedback", source_ + ": item " + std::to_string(item.source_row) + ": " + message);
  };
  if (!framework_) fail("the log has no framework");
  if (item.ratee.empty()) fail("empty ratee");
  if (item.note.empty()) fail("empty note; a feedback item says what happened");
  if (item.competency >= framework_->competencies().size())
    fail("competency index " + std::to_string(item.competency) + " is out of range; the framework has " +
         std::to_string(framework_->competencies().size()) + " competencies");
  if (!parse_date(to_string(item.date))) fail("'" + to_string(item.date) + "' is not a calendar date");
  items_.push_back(std::move(item));
}

CALIBRA_INLINE auto feedback_options::validate() const -> void {
  const auto fail = [](const std::string& message) { throw invalid_argument("calibration", message); };
  if (recurring_min_quarters < 1) fail("feedback: recurring_min_quarters must be at least 1");
  if (recurring_min_mentions < 1) fail("feedback: recurring_min_mentions must be at least 1");
  if (!(trend_min_slope > 0) || !std::isfinite(trend_min_slope))
    fail("feedback: trend_min_slope must be a finite number of mentions per quarter > 0, got " +
         std::to_string(trend_min_slope));
  privacy.validate();
}

CALIBRA_INLINE feedback_result analyse_feedback(const feedback_log& log, const feedback_options& options) {
options.validate();
feedback_result result;
result.kind = options.kind;
const std::size_t n_competencies = log.framework_ptr() ? log.framework().competencies().size() : 0;
for (std::size_t c = 0; c < n_competencies; ++c) {
  feedback_team_count none;
  none.competency = static_cast<std::uint32_t>(c);
  result.team.push_back(none);
}
  std::vector<const feedback_item*> items;
  for (const feedback_item& item : log.items())
    if (!options.kind || item.kind == options.kind) items.push_back(&item);
  if (items.empty()) {
    result.reason = log.empty() ? "the feedback log is empty"
                                : "no feedback item of kind '" + std::string(to_string(*options.kind)) + "'";
    return result;
  }
  result.available = true;
  result.n_items = items.size();
  std::sort(items.begin(), items.end(), [](const feedback_item* a, const feedback_item* b) {
    if (a->ratee != b->ratee) return a->ratee < b->ratee;
    if (a->competency != b->competency) return a->competency < b->competency;
    if (!(a->date == b->date)) return a->date < b->date;
    return a->source_row < b->source_row;
  });
  result.first_quarter = std::numeric_limits<long>::max();
  result.last_quarter = std::numeric_limits<long>::min();

  std::vector<std::size_t> ratees_per_competency(n_competencies, 0), recurring_per_competency(n_competencies, 0);
  std::size_t a = 0;
  while (a < items.size()) {
    // One ratee: items[a..b).
    std::size_t b = a;
    long span_first = std::numeric_limits<long>::max(), span_last = std::numeric_limits<long>::min();
    while (b < items.size() && items[b]->ratee == items[a]->ratee) {
      span_first = std::min(span_first, items[b]->date.quarter_index());
      span_last = std::max(span_last, items[b]->date.quarter_index());
      ++b;
    }
    ++result.n_ratees;
    result.first_quarter = std::min(result.first_quarter, span_first);
    result.last_quarter = std::max(result.last_quarter, span_last);
    const double span = static_cast<double>(span_last - span_first + 1);
    std::size_t c = a;
    while (c < b) {
      // One competency of the ratee: items[c..d), by date.
      std::size_t d = c;
      feedback_pattern p;
      p.ratee = items[c]->ratee;
      p.competency = items[c]->competency;
      p.span_first = span_first;
      p.span_last = span_last;
      p.first = items[c]->date;
      while (d < b && items[d]->competency == p.competency) {
        const feedback_item& item = *items[d];
        const long q = item.date.quarter_index();
        if (p.by_quarter.empty() || p.by_quarter.back().quarter != q) p.by_quarter.push_back({q, 0, 0, 0});
        feedback_quarter& fq = p.by_quarter.back();
        ++fq.mentions;
        ++p.mentions;
        if (item.kind == feedback_kind::strength) {
          ++fq.strengths;
          ++p.strengths;
        } else if (item.kind == feedback_kind::growth) {
          ++fq.growth;
          ++p.growth;
        }
        p.last = item.date;
        ++d;
      }
      p.quarters = p.by_quarter.size();
      p.recurring = p.quarters >= options.recurring_min_quarters || p.mentions >= options.recurring_min_mentions;
      if (span >= 2) {
        // Slope of mentions on quarter over the span x = 0..n-1 (zeros
        // included): sum (x - xbar) y / sum (x - xbar)^2, xbar = (n-1)/2,
        // sum (x - xbar)^2 = n (n^2 - 1) / 12.
        const double x_bar = (span - 1) / 2;
        double covariance = 0;
        for (const feedback_quarter& fq : p.by_quarter)
          covariance += (static_cast<double>(fq.quarter - span_first) - x_bar) * static_cast<double>(fq.mentions);
        p.slope = covariance / (span * (span * span - 1) / 12);
        p.trend = p.slope >= options.trend_min_slope    ? "increasing"
                  : p.slope <= -options.trend_min_slope ? "decreasing"
                                                        : "stable";
      }
      feedback_team_count& team = result.team[p.competency];
      ++team.n_ratees;
      team.mentions += p.mentions;
      team.strengths += p.strengths;
      team.growth += p.growth;
      team.recurring_ratees += p.recurring;
      result.recurring_patterns += p.recurring;
      result.patterns.push_back(std::move(p));
      c = d;
    }
    a = b;
  }
  for (feedback_team_count& team : result.team)
    if (team.n_ratees > 0 && !options.privacy.allows(team.n_ratees)) {
      team.suppressed = true;
      team.note = options.privacy.marker(team.n_ratees);
      team.mentions = team.strengths = team.growth = team.recurring_ratees = 0;
    }
  return result;
}

}  // namespace calibra::calibration
