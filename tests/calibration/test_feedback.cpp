// Feedback log: dates and quarters, the log's checks, patterns per ratee
// and competency (counts, recurring, least-squares trend by hand), team
// counts with privacy, the kind filter, and the bundled example file.
#include <calibra/calibration/feedback.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/feedback.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

using namespace calibra::calibration;
using Catch::Matchers::Contains;

namespace {

std::shared_ptr<const calibra::framework> fw() {
  static const auto shared = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return shared;
}

std::uint32_t competency(const char* id) { return static_cast<std::uint32_t>(*fw()->competency_index(id)); }

feedback_item item(const char* ratee, const char* date, const char* comp, std::optional<feedback_kind> kind) {
  feedback_item i;
  i.ratee = ratee;
  i.date = *parse_date(date);
  i.competency = competency(comp);
  i.kind = kind;
  i.note = "something happened";
  return i;
}

constexpr auto growth = feedback_kind::growth;
constexpr auto strength = feedback_kind::strength;
constexpr const char* pd = "product-delivery";
constexpr const char* fwd = "fluency-with-data";

/// A: pd growth Q1, Q2, Q2, unspecified Q4; fwd strength Q1.
/// B: pd strength Q3, Q4, Q4.   C: fwd growth Q1.   D: pd growth Q2.
feedback_log hand_log() {
  feedback_log log(fw(), "hand");
  log.add(item("A", "2026-01-10", pd, growth));
  log.add(item("B", "2026-07-04", pd, strength));
  log.add(item("A", "2026-05-20", pd, growth));
  log.add(item("A", "2026-05-02", pd, growth));
  log.add(item("A", "2026-11-30", pd, std::nullopt));
  log.add(item("A", "2026-03-01", fwd, strength));
  log.add(item("B", "2026-10-01", pd, strength));
  log.add(item("B", "2026-12-31", pd, strength));
  log.add(item("C", "2026-02-02", fwd, growth));
  log.add(item("D", "2026-04-15", pd, growth));
  return log;
}

}  // namespace

TEST_CASE("feedback: dates are real calendar days, grouped into quarters", "[feedback]") {
  CHECK(parse_date("2026-03-14") == calendar_date{2026, 3, 14});
  CHECK(parse_date("2024-02-29").has_value());  // leap year
  CHECK(parse_date("2000-02-29").has_value());  // divisible by 400
  CHECK_FALSE(parse_date("1900-02-29").has_value());  // divisible by 100, not 400
  CHECK_FALSE(parse_date("2026-02-29").has_value());
  CHECK_FALSE(parse_date("2026-04-31").has_value());
  CHECK_FALSE(parse_date("2026-13-01").has_value());
  CHECK_FALSE(parse_date("2026-00-10").has_value());
  CHECK_FALSE(parse_date("2026-1-01").has_value());
  CHECK_FALSE(parse_date("2026/01/01").has_value());
  CHECK_FALSE(parse_date("0000-01-01").has_value());
  CHECK_FALSE(parse_date("2026-01-01 ").has_value());
  CHECK(parse_date("2026-12-31")->quarter() == 4);
  CHECK(parse_date("2026-04-01")->quarter() == 2);
  CHECK(quarter_name(parse_date("2026-08-15")->quarter_index()) == "2026Q3");
  CHECK(parse_date("2027-01-01")->quarter_index() - parse_date("2026-12-31")->quarter_index() == 1);
  CHECK(to_string(calendar_date{2026, 3, 4}) == "2026-03-04");
  CHECK(parse_feedback_kind("growth") == growth);
  CHECK_FALSE(parse_feedback_kind("Growth").has_value());
  CHECK(to_string(strength) == "strength");
}

TEST_CASE("feedback: the log refuses items it cannot place", "[feedback][errors]") {
  feedback_log log(fw(), "log");
  feedback_item bad = item("A", "2026-01-10", pd, growth);
  bad.ratee.clear();
  CHECK_THROWS_WITH(log.add(bad), Contains("item 1: empty ratee"));
  bad = item("A", "2026-01-10", pd, growth);
  bad.note.clear();
  CHECK_THROWS_WITH(log.add(bad), Contains("empty note"));
  bad = item("A", "2026-01-10", pd, growth);
  bad.competency = 12;
  CHECK_THROWS_WITH(log.add(bad), Contains("competency index 12 is out of range"));
  bad = item("A", "2026-01-10", pd, growth);
  bad.date = {2026, 2, 30};
  CHECK_THROWS_AS(log.add(bad), calibra::invalid_argument);
  CHECK(log.empty());
  CHECK_THROWS_AS(feedback_log(std::shared_ptr<const calibra::framework>{}), calibra::invalid_argument);
}

TEST_CASE("feedback: patterns per ratee and competency, by hand", "[feedback]") {
  const feedback_result r = analyse_feedback(hand_log());
  REQUIRE(r.available);
  CHECK(r.n_items == 10);
  CHECK(r.n_ratees == 4);
  CHECK(quarter_name(r.first_quarter) == "2026Q1");
  CHECK(quarter_name(r.last_quarter) == "2026Q4");
  // By ratee name, then framework order (product-delivery before fluency-with-data).
  REQUIRE(r.patterns.size() == 5);

  const feedback_pattern& a_pd = r.patterns[0];
  CHECK(a_pd.ratee == "A");
  CHECK(a_pd.competency == competency(pd));
  CHECK(a_pd.mentions == 4);
  CHECK(a_pd.growth == 3);
  CHECK(a_pd.strengths == 0);
  CHECK(a_pd.quarters == 3);  // Q1, Q2, Q4
  CHECK(a_pd.first == calendar_date{2026, 1, 10});
  CHECK(a_pd.last == calendar_date{2026, 11, 30});
  REQUIRE(a_pd.by_quarter.size() == 3);
  CHECK(quarter_name(a_pd.by_quarter[1].quarter) == "2026Q2");
  CHECK(a_pd.by_quarter[1].mentions == 2);
  CHECK(a_pd.by_quarter[1].growth == 2);
  CHECK(a_pd.recurring);
  // A's span is 2026Q1..Q4 (x = 0..3, mean 1.5, sum (x - 1.5)^2 = 5); mentions 1, 2, 0, 1:
  // slope = (-1.5*1 - 0.5*2 + 0.5*0 + 1.5*1) / 5 = -0.2 -> stable.
  CHECK(a_pd.slope == Approx(-0.2));
  CHECK(a_pd.trend == "stable");

  // A on fwd: one mention in Q1 of a Q1..Q4 span: slope -1.5/5 = -0.3 -> decreasing; not recurring.
  const feedback_pattern& a_fwd = r.patterns[1];
  CHECK(a_fwd.competency == competency(fwd));
  CHECK(a_fwd.slope == Approx(-0.3));
  CHECK(a_fwd.trend == "decreasing");
  CHECK_FALSE(a_fwd.recurring);
  CHECK(a_fwd.strengths == 1);

  // B: span Q3..Q4 (x = 0, 1), mentions 1, 2: slope = (-0.5*1 + 0.5*2) / 0.5 = 1 -> increasing.
  const feedback_pattern& b_pd = r.patterns[2];
  CHECK(b_pd.ratee == "B");
  CHECK(b_pd.slope == Approx(1.0));
  CHECK(b_pd.trend == "increasing");
  CHECK(b_pd.recurring);  // three mentions, two quarters
  CHECK(b_pd.strengths == 3);
  CHECK(quarter_name(b_pd.span_first) == "2026Q3");

  // C: a single quarter: no trend.
  const feedback_pattern& c_fwd = r.patterns[3];
  CHECK(c_fwd.ratee == "C");
  CHECK(std::isnan(c_fwd.slope));
  CHECK(c_fwd.trend.empty());
  CHECK_FALSE(c_fwd.recurring);
  CHECK(r.recurring_patterns == 2);
}

TEST_CASE("feedback: recurring and trend thresholds are options", "[feedback]") {
  feedback_options o;
  o.recurring_min_quarters = 4;
  o.recurring_min_mentions = 4;
  o.trend_min_slope = 0.1;
  const feedback_result r = analyse_feedback(hand_log(), o);
  CHECK(r.patterns[0].recurring);        // A pd: four mentions
  CHECK_FALSE(r.patterns[2].recurring);  // B pd: three mentions in two quarters
  CHECK(r.patterns[0].trend == "decreasing");  // slope -0.2 <= -0.1
}

TEST_CASE("feedback: team counts per competency, suppressed for small groups", "[feedback]") {
  const feedback_result r = analyse_feedback(hand_log());
  REQUIRE(r.team.size() == 12);
  // product-delivery: A, B, D -- three ratees, fewer than the default four.
  const feedback_team_count& pd_team = r.team[competency(pd)];
  CHECK(pd_team.n_ratees == 3);
  CHECK(pd_team.suppressed);
  CHECK(pd_team.mentions == 0);
  CHECK_THAT(pd_team.note, Contains("3 ratees, fewer than the minimum group of 4"));
  CHECK_FALSE(r.team[competency("managing-up")].suppressed);  // nobody mentioned: nothing to hide
  CHECK(r.team[competency("managing-up")].n_ratees == 0);

  feedback_options o;
  o.privacy.min_group = 3;
  const feedback_result shown = analyse_feedback(hand_log(), o);
  const feedback_team_count& t = shown.team[competency(pd)];
  CHECK_FALSE(t.suppressed);
  CHECK(t.mentions == 8);  // A 4, B 3, D 1
  CHECK(t.strengths == 3);
  CHECK(t.growth == 4);
  CHECK(t.recurring_ratees == 2);  // A and B
  CHECK(shown.team[competency(fwd)].suppressed);  // A and C
}

TEST_CASE("feedback: only one kind of item", "[feedback]") {
  feedback_options o;
  o.kind = growth;
  const feedback_result r = analyse_feedback(hand_log(), o);
  REQUIRE(r.available);
  CHECK(r.n_items == 5);  // A pd x3, C fwd, D pd
  CHECK(r.n_ratees == 3);
  REQUIRE(r.patterns.size() == 3);
  // A's growth items span Q1..Q2, mentions 1, 2: slope 1 -> increasing.
  CHECK(r.patterns[0].mentions == 3);
  CHECK(r.patterns[0].slope == Approx(1.0));
  CHECK(r.patterns[0].trend == "increasing");

  feedback_log strengths_only(fw(), "s");
  strengths_only.add(item("A", "2026-01-10", pd, strength));
  const feedback_result none = analyse_feedback(strengths_only, o);
  CHECK_FALSE(none.available);
  CHECK_THAT(none.reason, Contains("no feedback item of kind 'growth'"));
}

TEST_CASE("feedback: an empty log is unavailable, bad options are invalid arguments", "[feedback][errors][unavailable]") {
  const feedback_result empty = analyse_feedback(feedback_log(fw(), "empty"));
  CHECK_FALSE(empty.available);
  CHECK_THAT(empty.reason, Contains("empty"));
  CHECK(empty.team.size() == 12);

  const feedback_log log = hand_log();
  feedback_options o;
  o.recurring_min_quarters = 0;
  CHECK_THROWS_WITH(analyse_feedback(log, o), Contains("recurring_min_quarters"));
  o = {};
  o.recurring_min_mentions = 0;
  CHECK_THROWS_WITH(analyse_feedback(log, o), Contains("recurring_min_mentions"));
  o = {};
  o.trend_min_slope = 0;
  CHECK_THROWS_AS(analyse_feedback(log, o), calibra::invalid_argument);
  o = {};
  o.privacy.min_group = 0;
  CHECK_THROWS_WITH(analyse_feedback(log, o), Contains("min_group"));
}

TEST_CASE("feedback: the bundled example log", "[feedback][example]") {
  const feedback_log log =
      calibra::read_feedback_csv(std::string(CALIBRA_SOURCE_DIR) + "/data/examples/feedback.csv", fw());
  CHECK(log.size() >= 90);
  const feedback_result r = analyse_feedback(log);
  REQUIRE(r.available);
  CHECK(quarter_name(r.first_quarter) == "2026Q1");
  CHECK(quarter_name(r.last_quarter) == "2026Q4");
  for (const feedback_pattern& p : r.patterns) {
    const bool ratee_of_example = p.ratee.size() == 4 && p.ratee.rfind("pm", 0) == 0;
    CHECK(ratee_of_example);
  }
  // pm02 hears about product delivery every quarter, more often later: a
  // recurring growth pattern on the rise.
  bool found = false;
  for (const feedback_pattern& p : r.patterns)
    if (p.ratee == "pm02" && p.competency == competency(pd)) {
      found = true;
      CHECK(p.recurring);
      CHECK(p.quarters == 4);
      CHECK(p.growth == p.mentions);
      CHECK(p.trend == "increasing");
    }
  CHECK(found);
  // Fluency with data: growth feedback for several PMs, enough to show.
  const feedback_team_count& data = r.team[competency(fwd)];
  CHECK_FALSE(data.suppressed);
  CHECK(data.n_ratees >= 4);
  CHECK(data.growth >= 5);
}
