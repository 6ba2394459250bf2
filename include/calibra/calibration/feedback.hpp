// The feedback log ("exponential feedback"): feedback
// items tagged with a competency and a date, and the patterns they form
// over time -- "discuss the pattern, not just the instance".
//
//   feedback_log log = calibra::read_feedback_csv("feedback.csv", fw);  // calibra/io/feedback.hpp
//   const feedback_result r = analyse_feedback(log);
//   for (const feedback_pattern& p : r.patterns) if (p.recurring) ...
//
// An item: ratee, date (YYYY-MM-DD), competency (an id of the framework),
// kind (strength or growth, optional), source (optional), note (free text).
// Dates are grouped into calendar quarters, spelled as rating periods are
// (2026Q3).
//
// Per ratee x competency (a per-ratee result, never suppressed):
//   - mentions per quarter, split by kind;
//   - recurring: mentioned in at least recurring_min_quarters distinct
//     quarters, or at least recurring_min_mentions times;
//   - trend: the least-squares slope of mentions per quarter over the
//     ratee's own span (first to last quarter with any feedback for the
//     ratee, empty quarters counting as 0): "increasing" when the slope is at
//     least trend_min_slope, "decreasing" when at most -trend_min_slope,
//     "stable" otherwise, "" when the span is a single quarter.
// Per competency over the team (an aggregate): mentions, strengths, growth
// items, ratees mentioned and ratees with a recurring pattern; suppressed
// when fewer than privacy.min_group ratees are mentioned.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

// ---- vocabulary --------------------------------------------------------------

/// What a feedback item says about the competency.
enum class feedback_kind : std::uint8_t { strength, growth };

std::string_view to_string(feedback_kind kind);

std::optional<feedback_kind> parse_feedback_kind(std::string_view text);

/// A calendar date.
struct calendar_date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  int quarter() const { return (month - 1) / 3 + 1; }
  /// Quarters since year 0, for arithmetic on quarters.
  long quarter_index() const { return static_cast<long>(year) * 4 + (quarter() - 1); }
  bool operator<(const calendar_date& o) const;
  bool operator==(const calendar_date& o) const { return year == o.year && month == o.month && day == o.day; }
};

/// The date `text` names when it is exactly YYYY-MM-DD and a real day of
/// the Gregorian calendar (leap years included).
std::optional<calendar_date> parse_date(std::string_view text);

std::string to_string(const calendar_date& d);

/// The quarter of a quarter_index(), spelled as a rating period: 2026Q3.
std::string quarter_name(long quarter_index);

// ---- the log -------------------------------------------------------------------

struct feedback_item {
  std::string ratee;
  calendar_date date;
  std::uint32_t competency = 0;  // index into the framework's competencies
  std::optional<feedback_kind> kind;
  std::string source;
  std::string note;
  /// Where the item came from (the CSV line; the 1-based add() order otherwise).
  std::size_t source_row = 0;
};

/// Feedback items checked against one framework.
class feedback_log {
 public:
  feedback_log() = default;
  explicit feedback_log(std::shared_ptr<const calibra::framework> fw, std::string source = "<memory>");
  explicit feedback_log(const calibra::framework& fw, std::string source = "<memory>")
      : feedback_log(std::make_shared<const calibra::framework>(fw), std::move(source)) {}

  /// Adds an item; throws invalid_argument naming the item for an empty
  /// ratee or note, a competency index out of range or an impossible date.
  void add(feedback_item item);

  const std::vector<feedback_item>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  const calibra::framework& framework() const { return *framework_; }
  const std::shared_ptr<const calibra::framework>& framework_ptr() const { return framework_; }
  const std::string& source() const { return source_; }

 private:
  std::shared_ptr<const calibra::framework> framework_;
  std::string source_ = "<memory>";
  std::vector<feedback_item> items_;
};

// ---- the analysis ----------------------------------------------------------------

struct feedback_options {
  /// Recurring: mentioned in at least this many distinct quarters ...
  std::size_t recurring_min_quarters = 2;
  /// ... or at least this many times in all.
  std::size_t recurring_min_mentions = 3;
  /// |slope| in mentions per quarter from which a trend is called.
  double trend_min_slope = 0.25;
  /// Only items of this kind count; empty: every item.
  std::optional<feedback_kind> kind;
  privacy_policy privacy;

  void validate() const;
};

/// Mentions of one competency for one ratee in one quarter.
struct feedback_quarter {
  long quarter = 0;  // calendar_date::quarter_index()
  std::size_t mentions = 0, strengths = 0, growth = 0;
};

/// One ratee's feedback on one competency over time.
struct feedback_pattern {
  std::string ratee;
  std::uint32_t competency = 0;
  std::size_t mentions = 0, strengths = 0, growth = 0;
  std::size_t quarters = 0;  // distinct quarters with a mention
  calendar_date first, last;  // first and last mention
  /// The ratee's span: their first and last quarter with any feedback.
  long span_first = 0, span_last = 0;
  /// Quarters with mentions, chronological (quarters without are 0).
  std::vector<feedback_quarter> by_quarter;
  double slope = std::numeric_limits<double>::quiet_NaN();  // mentions per quarter
  std::string trend;  // "increasing", "decreasing", "stable", or "" (one-quarter span)
  bool recurring = false;
};

/// One competency across the team.
struct feedback_team_count {
  std::uint32_t competency = 0;
  std::size_t n_ratees = 0;  // ratees mentioned
  std::size_t mentions = 0, strengths = 0, growth = 0;
  std::size_t recurring_ratees = 0;  // ratees with a recurring pattern on it
  bool suppressed = false;
  std::string note;
};

struct feedback_result {
  bool available = false;
  std::string reason;
  std::size_t n_items = 0;   // items counted (after the kind filter)
  std::size_t n_ratees = 0;
  std::optional<feedback_kind> kind;
  /// First and last quarter of the counted items.
  long first_quarter = 0, last_quarter = 0;
  /// By ratee name, then competency (framework order).
  std::vector<feedback_pattern> patterns;
  /// One per framework competency, framework order.
  std::vector<feedback_team_count> team;
  std::size_t recurring_patterns = 0;
};

/// Patterns per ratee and competency, and team counts per competency.
/// Throws invalid_argument for bad options; available = false for an
/// empty log (or no item of options.kind).
feedback_result analyse_feedback(const feedback_log& log, const feedback_options& options = {});

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/feedback-inl.hpp>
#endif
