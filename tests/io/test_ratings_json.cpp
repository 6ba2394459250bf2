// The long-form ratings JSON reader: a good document, levels as numbers or
// text, null optional keys, ignored keys, agreement with the CSV reader,
// and errors built from text (the malformed files are in the bad-input
// catalogue, tests/bad_inputs/manifest.json).
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include "../support/error_of.hpp"
#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

using calibra::ratings_options;
using calibra::read_ratings_json;
using calibra::read_ratings_json_text;
using namespace calibra::calibration;

namespace {

using calibra_test::builtin;
using calibra_test::error_of;

}  // namespace

TEST_CASE("ratings JSON: a good document reads into the expected counts", "[ratings_json]") {
  const std::string text = R"([
    {"ratee": "pm01", "rater": "mgr1", "role": "manager", "competency": "product-delivery", "level": 3,
     "period": "2026Q1", "career_level": "pm", "outcome": null},
    {"period": "2026Q1", "level": "Advanced", "competency": "product-delivery", "role": "self",
     "rater": "pm01", "ratee": "pm01", "track": "ic"},
    {"ratee": "pm02", "rater": "mgr1", "role": "manager", "competency": "managing-up", "level": "expert",
     "period": "2026Q4", "career_level": "group-pm", "track": "manager", "outcome": "not-promoted"}
  ])";
  const ratings_table t = read_ratings_json_text(text, builtin(), "good.json");
  REQUIRE(t.size() == 3);
  CHECK(t.level(0) == 3);
  CHECK(t.level(1) == 4);
  CHECK(t.level(2) == 5);
  CHECK(t.source_row(1) == 2);  // rows are positions in the array
  CHECK(t.career_level(0) == *t.framework().ladder().index_of("pm"));
  CHECK_FALSE(t.outcome(0));  // null: not given
  CHECK(t.track(1) == calibra::track::ic);
  CHECK(t.outcome(2) == promotion_outcome::not_promoted);
  const ratings_summary& s = t.summary();
  CHECK(s.rows_read == 3);
  CHECK(s.ratees == 2);
  CHECK(s.raters == 2);
  CHECK(s.periods == 2);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::self)] == 1);
}

TEST_CASE("ratings JSON: the same ratings as CSV give the same table", "[ratings_json]") {
  const std::string csv = "ratee,rater,role,competency,level,period\n"
                          "a,m,manager,product-delivery,2,2026Q2\n"
                          "b,m,manager,product-quality,4,2026Q1\n";
  const std::string json = R"([{"ratee":"a","rater":"m","role":"manager","competency":"product-delivery",
                                "level":2,"period":"2026Q2"},
                               {"ratee":"b","rater":"m","role":"manager","competency":"product-quality",
                                "level":"4","period":"2026Q1"}])";
  const ratings_table from_csv = calibra::read_ratings_csv_text(csv, builtin());
  const ratings_table from_json = read_ratings_json_text(json, builtin());
  CHECK(calibra::to_ratings_csv(from_csv) == calibra::to_ratings_csv(from_json));
  CHECK(from_json.periods()[0] == "2026Q1");
}

TEST_CASE("ratings JSON: extra keys are kept as attributes, objects and arrays named in a warning", "[ratings_json]") {
  const std::string text = R"([{"ratee":"a","rater":"m","role":"manager","competency":"product-delivery",
                                "level":2,"period":"2026Q2","note":{"text":["x",{"y":1}]},"score":0.5,"team":"Core"},
                               {"ratee":"b","rater":"m","role":"manager","competency":"product-delivery",
                                "level":2,"period":"2026Q2","note":"short","remote":true,"comment":"Wrote the brief"}])";
  const ratings_table t = read_ratings_json_text(text, builtin(), "k.json");
  CHECK(t.size() == 2);
  CHECK(t.attribute_names() == std::vector<std::string>{"note", "score", "team", "remote"});
  CHECK(t.attribute(0, 0).empty());  // an object is not kept
  CHECK(t.attribute(1, 0) == "short");
  CHECK(t.attribute(0, 1) == "0.5");
  CHECK(t.attribute(0, 2) == "Core");
  CHECK(t.attribute(1, 3) == "true");
  CHECK(t.evidence(1) == "Wrote the brief");
  CHECK(t.summary().warnings == std::vector<std::string>{
                                    "keys outside the ratings format kept as attributes, not used by the analyses: "
                                    "'note', 'score', 'team', 'remote'",
                                    "keys holding an object or an array on some rows, whose value there is not kept: "
                                    "'note'"});
  ratings_options options;
  options.ignore_unknown_columns = true;
  const ratings_table ignored = read_ratings_json_text(text, builtin(), "k.json", options);
  CHECK(ignored.size() == 2);
  CHECK(ignored.attribute_names().empty());
  CHECK(ignored.summary().ignored_columns == std::vector<std::string>{"note", "score", "team", "remote"});
}

TEST_CASE("ratings JSON: every problem of the document in one run", "[ratings_json][errors]") {
  const std::string text = R"([
    {"ratee":"a","rater":"m","role":"manager","competency":"product-delivery","level":2,"period":"2026Q2"},
    {"ratee":"a","rater":"m","role":"manager","competency":"Vision","level":2,"period":"2026Q2"},
    {"ratee":"a","rater":"m","role":"manager","competency":"product-quality","level":true,"period":"2026Q2"},
    "not a rating",
    {"ratee":"a","rater":"m","role":"manager","competency":"managing-up","level":{"x":1},"period":"2026Q2"},
    {"ratee":"a","rater":"m","role":"manager","competency":"team-leadership","level":2},
    {"ratee":"a","rater":"m","role":"manager","competency":"product-delivery","level":3,"period":"2026 Q2"}
  ])";
  try {
    read_ratings_json_text(text, builtin(), "many.json");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 6);
    const auto& p = e.problems();
    CHECK(p[0].row == 2);
    CHECK(p[0].column == "competency");
    CHECK_THAT(p[0].message, Catch::Contains("many.json: row 2, column 'competency': unknown competency 'Vision'"));
    CHECK(p[1].row == 3);
    CHECK_THAT(p[1].message, Catch::Contains("many.json: row 3, column 'level': found a boolean"));
    CHECK_THAT(p[2].message, Catch::Contains("many.json: row 4: found a string"));
    CHECK_THAT(p[3].message, Catch::Contains("many.json: row 5, column 'level': found an object"));
    CHECK_THAT(p[4].message, Catch::Contains("many.json: row 6, column 'period': missing required key"));
    // 2026 Q2 is 2026Q2: row 7 repeats row 1.
    CHECK_THAT(p[5].message, Catch::Contains("many.json: row 7: duplicate rating"));
  }
  // Invalid JSON ends the reading, after the problems before it.
  const std::string broken = R"([{"ratee":"a","rater":"m","role":"boss","competency":"product-delivery","level":2,
                                 "period":"2026Q2"}, {"ratee": })";
  try {
    read_ratings_json_text(broken, builtin(), "b.json");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK_THAT(e.problems()[0].message, Catch::Contains("b.json: row 1, column 'role': unknown role 'boss'"));
    CHECK(e.problems()[1].id == "parse_error.ratings");
    CHECK_THAT(e.problems()[1].message, Catch::Contains("invalid JSON"));
  }
}

TEST_CASE("ratings JSON: cross-row rules, null keys and top-level scalars", "[ratings_json][errors]") {
  const std::string invalid = "validation_error.ratings";
  // Cross-row rules and duplicate policies work as in CSV.
  const std::string twice = R"([{"ratee":"a","rater":"m","role":"manager","competency":"product-delivery",
                                 "level":2,"period":"2026Q2"},
                                {"ratee":"a","rater":"m","role":"manager","competency":"product-delivery",
                                 "level":4,"period":"2026Q2"}])";
  CHECK_THAT(error_of([&] { read_ratings_json_text(twice, builtin(), "t.json"); }, invalid),
             Catch::Contains("t.json: row 2: duplicate rating"));
  ratings_options options;
  options.duplicates = duplicate_policy::mean;
  CHECK(read_ratings_json_text(twice, builtin(), "t.json", options).level(0) == 3);
  // A required key given as null is an error; a top-level scalar too.
  CHECK_THAT(error_of([&] { read_ratings_json_text(R"([{"ratee":null}])", builtin(), "n.json"); }, invalid),
             Catch::Contains("n.json: row 1, column 'ratee': found null; expected a string"));
  CHECK_THAT(error_of([&] { read_ratings_json_text("42", builtin(), "s.json"); }, invalid),
             Catch::Contains("s.json: the document is a number"));
  CHECK_THAT(error_of([&] { read_ratings_json_text("[[1]]", builtin(), "s.json"); }, invalid),
             Catch::Contains("s.json: row 1: found an array"));
}
