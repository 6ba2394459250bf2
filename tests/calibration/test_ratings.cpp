// The ratings model: building a table by hand, the checks on each value and
// across rows, duplicate policies, period order, name tables and summary.
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using namespace calibra::calibration;

namespace {

std::shared_ptr<const calibra::framework> builtin() {
  static const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return fw;
}

template <typename Error>
std::string error_of(const std::function<void()>& action, const std::string& id) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(e.id() == id);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("unexpected exception: " << e.what());
  }
  FAIL("expected an exception, nothing was thrown");
  return {};
}

std::string validation_error_of(const std::function<void()>& action) {
  return error_of<calibra::validation_error>(action, "validation_error.ratings");
}

rating_text row(std::string_view ratee, std::string_view rater, std::string_view role, std::string_view competency,
                std::string_view level, std::string_view period) {
  rating_text r;
  r.ratee = ratee;
  r.rater = rater;
  r.role = role;
  r.competency = competency;
  r.level = level;
  r.period = period;
  return r;
}

}  // namespace

TEST_CASE("vocabulary: roles, outcomes and policies spell as documented", "[ratings]") {
  for (rater_role role : all_rater_roles) CHECK(parse_rater_role(to_string(role)) == role);
  CHECK(to_string(rater_role::skip_level) == "skip-level");
  CHECK_FALSE(parse_rater_role("Manager"));
  CHECK(parse_promotion_outcome("not-promoted") == promotion_outcome::not_promoted);
  CHECK_FALSE(parse_promotion_outcome("not promoted"));
  CHECK(parse_duplicate_policy("mean") == duplicate_policy::mean);
  CHECK(to_string(duplicate_policy::last) == "last");
}

TEST_CASE("periods: other spellings of a quarter are normalised; ordered forms are recognised", "[ratings][period]") {
  CHECK(to_string(rater_role::external) == "external");
  for (const char* spelling : {"2026-Q3", "2026 Q3", "2026q3", "2026/Q3", "2026_q3", "Q3 2026", "Q3-2026", "q3/2026",
                               "2026Q3"})
    CHECK(normalise_period(spelling) == "2026Q3");
  for (const char* other : {"2026Q5", "2026-Q", "Q32026", "Q5 2026", "spring", "2026--Q3", "2026-07-01"})
    CHECK(normalise_period(other) == other);
  for (const char* ordered : {"2026Q1", "2026", "2026H2", "2026-07", "2026-07-01"}) CHECK(period_is_ordered(ordered));
  for (const char* unordered : {"spring", "Q3", "2026H3", "26Q3", "FY26", "2026-7-1"}) CHECK_FALSE(period_is_ordered(unordered));
}

TEST_CASE("periods: quarters order chronologically, other text by bytes, typos are refused", "[ratings][period]") {
  REQUIRE(parse_quarter("2026Q3"));
  CHECK(parse_quarter("2026Q3")->year == 2026);
  CHECK(parse_quarter("2026Q3")->quarter == 3);
  CHECK_FALSE(parse_quarter("2026Q5"));
  CHECK_FALSE(parse_quarter("2026-Q3"));
  CHECK(period_less("2025Q4", "2026Q1"));
  CHECK(period_less("2026Q1", "2026Q2"));
  CHECK_FALSE(period_less("2026Q2", "2026Q2"));
  CHECK(period_less("2026Q4", "2026-01-01"));  // quarters first
  CHECK(period_less("2026-01-01", "2026-07-01"));
  CHECK(period_problem("2026Q3").empty());
  CHECK(period_problem("H1 2026").empty());
  CHECK(period_problem("2026-07-01").empty());
  CHECK_THAT(period_problem(""), Catch::Contains("empty period"));
  CHECK_THAT(period_problem("2026Q5"), Catch::Contains("'2026Q5' is not a quarter; expected YYYYQ1 to YYYYQ4"));
  CHECK_THAT(period_problem("2026Q12"), Catch::Contains("is not a quarter"));
  CHECK_THAT(period_problem("2026q3"), Catch::Contains("lower-case q; write quarters as YYYYQn, e.g. 2026Q3"));
}

TEST_CASE("name tables intern in order of first appearance and survive copies", "[ratings]") {
  name_table names;
  CHECK(names.intern("b") == 0);
  CHECK(names.intern("a") == 1);
  CHECK(names.intern("b") == 0);
  for (int i = 0; i < 1000; ++i) names.intern("n" + std::to_string(i));  // growth keeps lookups valid
  CHECK(names.find("a") == 1u);
  const name_table copy = names;
  name_table moved = std::move(names);
  CHECK(copy.find("n999") == 1001u);
  CHECK(moved.find("n999") == 1001u);
  CHECK(copy[1] == "a");
  CHECK_FALSE(copy.find("zz"));
  CHECK(copy.names().size() == 1002);
}

TEST_CASE("builder: a hand-built table holds interned ids, ordinals and sorted periods", "[ratings]") {
  ratings_builder b(builtin(), "hand");
  // Period 2026Q3 appears first, but ids follow the calendar.
  b.add_text(row("ana", "mo", "manager", "product-delivery", "proficient", "2026Q3"), 2);
  b.add_text(row("ana", "ana", "self", "product-delivery", "4", "2026Q3"), 3);
  b.add_text(row("ben", "mo", "manager", "fluency-with-data", "Developing", "2026Q1"), 4);
  rating_text with_attributes = row("ben", "ana", "peer", "fluency-with-data", "foundational", "2026Q1");
  with_attributes.career_level = "senior-pm";
  with_attributes.outcome = "promoted";
  b.add_text(with_attributes, 5);
  const ratings_table t = b.finish();

  REQUIRE(t.size() == 4);
  CHECK(t.ratees().size() == 2);
  CHECK(t.raters().size() == 2);
  REQUIRE(t.periods().size() == 2);
  CHECK(t.periods()[0] == "2026Q1");
  CHECK(t.periods()[1] == "2026Q3");
  CHECK(t.period(0) == 1);
  CHECK(t.period(2) == 0);
  CHECK(t.level(0) == 3);  // proficient
  CHECK(t.level(1) == 4);  // ordinal
  CHECK(t.level(2) == 2);  // label Developing
  CHECK(t.level(3) == 1);
  CHECK(t.competency(0) == *t.framework().competency_index("product-delivery"));
  CHECK(t.role(1) == rater_role::self);
  CHECK(t.source_row(3) == 5);
  CHECK(t.career_level(3) == *t.framework().ladder().index_of("senior-pm"));
  CHECK(t.track(3) == calibra::track::ic);  // derived from the career level
  CHECK_FALSE(t.track(0));
  CHECK(t.outcome(3) == promotion_outcome::promoted);
  CHECK(t.raters()[t.rater(0)] == "mo");
  CHECK(t.ratees()[t.ratee(2)] == "ben");

  // ana both rates and is rated; mo only rates; ben is only rated.
  const auto ana_as_rater = *t.raters().find("ana");
  CHECK(t.rater_as_ratee(ana_as_rater) == *t.ratees().find("ana"));
  CHECK_FALSE(t.rater_as_ratee(*t.raters().find("mo")));
  CHECK(t.ratee_as_rater(*t.ratees().find("ana")) == ana_as_rater);
  CHECK_FALSE(t.ratee_as_rater(*t.ratees().find("ben")));

  // One entry per (ratee, period), attributes merged.
  REQUIRE(t.ratee_periods().size() == 2);
  CHECK(t.ratee_periods()[0].ratee == *t.ratees().find("ana"));
  CHECK(t.ratee_periods()[0].ratings == 2);
  CHECK_FALSE(t.ratee_periods()[0].career_level);
  CHECK(t.ratee_periods()[1].career_level == *t.framework().ladder().index_of("senior-pm"));
  CHECK(t.ratee_periods()[1].outcome == promotion_outcome::promoted);

  const ratings_summary& s = t.summary();
  CHECK(s.source == "hand");
  CHECK(s.rows_read == 4);
  CHECK(s.rows_kept == 4);
  CHECK(s.duplicate_groups == 0);
  CHECK(s.ratees == 2);
  CHECK(s.raters == 2);
  CHECK(s.periods == 2);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::manager)] == 2);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::self)] == 1);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::peer)] == 1);
  CHECK(s.rows_per_competency[*t.framework().competency_index("fluency-with-data")] == 2);
  CHECK(s.rows_per_period == std::vector<std::size_t>{2, 2});
  CHECK(s.rows_with_career_level == 1);
  CHECK(s.rows_with_track == 1);
  CHECK(s.rows_with_outcome == 1);

  // The builder starts over after finish().
  CHECK(b.rows() == 0);
  CHECK(b.finish().empty());
}

TEST_CASE("builder: each value is checked against the framework, naming row and column", "[ratings][errors]") {
  struct bad_value {
    rating_text text;
    std::string expected;
  };
  auto with = [](rating_text r, std::string_view rating_text::*field, std::string_view value) {
    r.*field = value;
    return r;
  };
  const rating_text good = row("ana", "mo", "manager", "product-delivery", "proficient", "2026Q3");
  const std::vector<bad_value> cases{
      {with(good, &rating_text::competency, "Vision"), "row 7, column 'competency': unknown competency 'Vision'; "
                                                       "expected one of functional-specification, product-delivery"},
      {with(good, &rating_text::competency, "Product Delivery"),
       "column 'competency': unknown competency 'Product Delivery' ('Product Delivery' is the name of competency "
       "'product-delivery'; use its id)"},
      {with(good, &rating_text::level, "6"), "row 7, column 'level': level 6 is outside the scale 1..5"},
      {with(good, &rating_text::level, "0"), "column 'level': level 0 is outside the scale 1..5"},
      {with(good, &rating_text::level, "99999999999999999999"), "is outside the scale 1..5"},
      {with(good, &rating_text::level, "proficient+"), "column 'level': unknown level 'proficient+'; expected a "
                                                       "level id (foundational, developing, proficient, advanced, "
                                                       "expert), a label (Foundational,"},
      {with(good, &rating_text::level, "PROFICIENT"), "unknown level 'PROFICIENT' (did you mean 'proficient'?"},
      {with(good, &rating_text::level, "-1"), "column 'level': unknown level '-1'"},
      {with(good, &rating_text::role, "boss"), "column 'role': unknown role 'boss'; expected one of self, manager, "
                                               "peer, skip-level, panel"},
      {with(good, &rating_text::role, "self"), "column 'role': role 'self' but the rater 'mo' is not the ratee 'ana'"},
      {with(good, &rating_text::period, "2026Q5"), "row 7, column 'period': '2026Q5' is not a quarter"},
      {with(good, &rating_text::period, ""), "column 'period': empty cell; expected a period such as 2026Q3"},
      {with(good, &rating_text::ratee, ""), "row 7, column 'ratee': empty cell; expected the ratee's id"},
      {with(good, &rating_text::rater, " mo"), "column 'rater': ' mo' has leading or trailing spaces"},
      {with(good, &rating_text::career_level, "staff-pm"), "column 'career_level': unknown career level 'staff-pm'; "
                                                           "expected one of apm, pm, senior-pm, principal-pm, "
                                                           "group-pm"},
      {with(good, &rating_text::track, "exec"), "column 'track': unknown track 'exec'; expected ic or manager"},
      {with(with(good, &rating_text::career_level, "pm"), &rating_text::track, "manager"),
       "column 'track': track 'manager' contradicts career level 'pm', which is on the ic track"},
      {with(good, &rating_text::outcome, "yes"), "column 'outcome': unknown outcome 'yes'; expected promoted or "
                                                 "not-promoted"},
  };
  for (const auto& c : cases) {
    INFO(c.expected);
    ratings_builder b(builtin(), "r.csv");
    const std::string message = validation_error_of([&] { b.add_text(c.text, 7); });
    CHECK_THAT(message, Catch::StartsWith("[calibra.validation_error.ratings] r.csv: row 7, column '"));
    CHECK_THAT(message, Catch::Contains(c.expected));
  }
  // A rater id equal to the ratee id under another role reads as two people
  // sharing an id (students and lecturers numbered alike): a warning.
  {
    ratings_builder shared(builtin(), "r.csv");
    shared.add_text(with(good, &rating_text::rater, "ana"), 7);
    const ratings_table t = shared.finish();
    CHECK(t.role(0) == rater_role::manager);
    REQUIRE(t.summary().warnings.size() == 1);
    CHECK_THAT(t.summary().warnings[0], Catch::StartsWith("the rater id is the ratee id under a role other than 'self' "
                                                          "on rows 7: read as two people who share an id"));
  }
  // A track that agrees with the career level is fine.
  ratings_builder b(builtin());
  b.add_text(with(with(good, &rating_text::career_level, "group-pm"), &rating_text::track, "manager"), 1);
  CHECK(b.finish().track(0) == calibra::track::manager);
}

TEST_CASE("builder: resolved ratings out of range are invalid arguments", "[ratings][errors]") {
  ratings_builder b(builtin(), "gen");
  rating r;
  r.ratee = "ana";
  r.rater = "mo";
  r.period = "2026Q1";
  r.level = 6;
  const auto id = "invalid_argument.ratings";
  CHECK_THAT(error_of<calibra::invalid_argument>([&] { b.add(r); }, id),
             Catch::Contains("gen: rating 1: level 6 is outside the scale 1..5"));
  r.level = 2;
  r.competency = 12;
  CHECK_THAT(error_of<calibra::invalid_argument>([&] { b.add(r); }, id),
             Catch::Contains("competency index 12 is out of range; the framework has 12 competencies"));
  r.competency = 0;
  r.career_level = 5;
  CHECK_THAT(error_of<calibra::invalid_argument>([&] { b.add(r); }, id),
             Catch::Contains("career level index 5 is out of range"));
  r.career_level.reset();
  r.role = rater_role::self;
  CHECK_THAT(error_of<calibra::invalid_argument>([&] { b.add(r); }, id), Catch::Contains("role 'self' but"));
  r.role = rater_role::peer;
  b.add(r);
  CHECK(b.rows() == 1);
}

TEST_CASE("duplicates: policy error names both rows", "[ratings][duplicates]") {
  ratings_builder b(builtin(), "d.csv");
  b.add_text(row("ana", "mo", "manager", "product-delivery", "3", "2026Q1"), 2);
  b.add_text(row("ana", "mo", "manager", "product-quality", "3", "2026Q1"), 3);
  b.add_text(row("ana", "mo", "manager", "product-delivery", "3", "2026Q2"), 4);  // other period: fine
  b.add_text(row("ana", "mo", "manager", "product-delivery", "4", "2026Q1"), 9);
  b.add_text(row("ana", "mo", "manager", "product-quality", "4", "2026Q1"), 11);
  const std::string message = validation_error_of([&] { b.finish(); });
  CHECK_THAT(message, Catch::StartsWith("[calibra.validation_error.ratings] d.csv: row 9: duplicate rating: rater "
                                        "'mo' already rated ratee 'ana' on competency 'product-delivery' in period "
                                        "'2026Q1' on row 2;"));
  CHECK_THAT(message, Catch::Contains("'last' or 'mean'"));
}

TEST_CASE("duplicates: policy last keeps the later row, policy mean the rounded mean", "[ratings][duplicates]") {
  // Groups (rater mo on ana, competency by index) with levels in input order:
  //   product-delivery 3, 4     -> last 4; mean 3.5, a tie, goes toward the last (4)
  //   product-quality  4, 3     -> last 3; mean 3.5 goes toward the last (3)
  //   fluency-with-data 2, 4    -> last 4; mean 3
  //   strategic-impact 3, 4, 4  -> last 4; mean 3.67 -> 4
  //   managing-up      5, 1, 1  -> last 1; mean 2.33 -> 2
  const std::vector<std::pair<std::string, std::vector<std::string>>> groups{
      {"product-delivery", {"3", "4"}},
      {"product-quality", {"4", "3"}},
      {"fluency-with-data", {"2", "4"}},
      {"strategic-impact", {"3", "4", "4"}},
      {"managing-up", {"5", "1", "1"}}};
  auto build = [&](duplicate_policy policy) {
    ratings_builder b(builtin(), "d.csv");
    std::size_t line = 2;
    // Interleave the groups so that repeats are not adjacent in the input.
    for (std::size_t k = 0; k < 3; ++k)
      for (const auto& [competency, levels] : groups)
        if (k < levels.size()) b.add_text(row("ana", "mo", "manager", competency, levels[k], "2026Q1"), line++);
    b.add_text(row("ben", "mo", "manager", "managing-up", "2", "2026Q1"), line++);  // not a repeat
    return b.finish(policy);
  };
  auto level_of = [](const ratings_table& t, const std::string& ratee, const std::string& competency) {
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t.ratees()[t.ratee(i)] == ratee && t.framework().competencies()[t.competency(i)].id == competency)
        return t.level(i);
    return -1;
  };

  const ratings_table last = build(duplicate_policy::last);
  CHECK(last.size() == 6);
  CHECK(level_of(last, "ana", "product-delivery") == 4);
  CHECK(level_of(last, "ana", "product-quality") == 3);
  CHECK(level_of(last, "ana", "fluency-with-data") == 4);
  CHECK(level_of(last, "ana", "strategic-impact") == 4);
  CHECK(level_of(last, "ana", "managing-up") == 1);
  CHECK(level_of(last, "ben", "managing-up") == 2);
  const ratings_summary& s = last.summary();
  CHECK(s.rows_read == 13);
  CHECK(s.rows_kept == 6);
  CHECK(s.duplicate_groups == 5);
  CHECK(s.duplicate_rows_dropped == 7);
  CHECK(s.rows_read == s.rows_kept + s.duplicate_rows_dropped);
  CHECK(s.duplicates == duplicate_policy::last);
  REQUIRE(s.duplicate_examples.size() == 5);
  // Rows 2..6 are the first ratings of each group, 7..11 the second, 12..13 the third.
  CHECK(s.duplicate_examples[0].rows == std::vector<std::uint32_t>{2, 7});
  CHECK(s.duplicate_examples[0].kept_row == 7);
  CHECK(s.duplicate_examples[3].rows == std::vector<std::uint32_t>{5, 10, 12});
  CHECK(s.duplicate_examples[3].kept_row == 12);
  CHECK(s.duplicate_examples[3].mean_level == Approx(11.0 / 3));
  // The kept rows stay in input order and keep the source row of the last repeat.
  CHECK(last.source_row(0) == 7);

  const ratings_table mean = build(duplicate_policy::mean);
  CHECK(mean.size() == 6);
  CHECK(level_of(mean, "ana", "product-delivery") == 4);
  CHECK(level_of(mean, "ana", "product-quality") == 3);
  CHECK(level_of(mean, "ana", "fluency-with-data") == 3);
  CHECK(level_of(mean, "ana", "strategic-impact") == 4);
  CHECK(level_of(mean, "ana", "managing-up") == 2);
  CHECK(mean.summary().means_rounded == 4);  // all but fluency-with-data
  CHECK(mean.summary().duplicate_examples[2].level == 3);
}

TEST_CASE("rules across rows: one role per rater and ratee, one career level per ratee", "[ratings][errors]") {
  {
    ratings_builder b(builtin(), "roles.csv");
    b.add_text(row("ana", "mo", "manager", "product-delivery", "3", "2026Q1"), 2);
    b.add_text(row("ana", "mo", "peer", "product-quality", "3", "2026Q1"), 5);
    CHECK_THAT(validation_error_of([&] { b.finish(); }),
               Catch::Contains("roles.csv: row 5, column 'role': rater 'mo' rates ratee 'ana' in period '2026Q1' as "
                               "'peer' here but as 'manager' on row 2; expected one role per rater, ratee and "
                               "period"));
  }
  {
    // A different role in another period is fine (mo became the manager).
    ratings_builder b(builtin(), "roles.csv");
    b.add_text(row("ana", "mo", "peer", "product-delivery", "3", "2026Q1"), 2);
    b.add_text(row("ana", "mo", "manager", "product-delivery", "3", "2026Q2"), 3);
    CHECK(b.finish().size() == 2);
  }
  {
    ratings_builder b(builtin(), "levels.csv");
    rating_text first = row("ana", "mo", "manager", "product-delivery", "3", "2026Q1");
    first.career_level = "pm";
    rating_text second = row("ana", "ana", "self", "product-quality", "3", "2026Q1");
    second.career_level = "senior-pm";
    rating_text third = row("ana", "ana", "self", "product-delivery", "3", "2026Q2");
    third.career_level = "senior-pm";  // promoted in Q2: fine
    b.add_text(first, 3);
    b.add_text(second, 8);
    b.add_text(third, 9);
    CHECK_THAT(validation_error_of([&] { b.finish(); }),
               Catch::Contains("levels.csv: row 8, column 'career_level': ratee 'ana' has career level 'senior-pm' "
                               "here but 'pm' on row 3 for the same period '2026Q1'"));
  }
  {
    ratings_builder b(builtin(), "outcomes.csv");
    rating_text first = row("ana", "mo", "manager", "product-delivery", "3", "2026Q4");
    first.outcome = "not-promoted";
    rating_text second = row("ana", "mo", "manager", "product-quality", "3", "2026Q4");
    rating_text third = row("ana", "mo", "manager", "managing-up", "3", "2026Q4");
    third.outcome = "promoted";
    b.add_text(first, 2);
    b.add_text(second, 3);  // no outcome given: no conflict
    b.add_text(third, 4);
    CHECK_THAT(validation_error_of([&] { b.finish(); }),
               Catch::Contains("row 4, column 'outcome': ratee 'ana' has outcome 'promoted' here but "
                               "'not-promoted' on row 2"));
  }
}
