// Ratings in the shapes teams have: the wide form (a column per competency)
// in CSV and JSON, and relative levels (Needs Focus / On Track /
// Outperforming) read against the career level's expectation.  Expected
// levels come from the built-in framework's expectation matrix
// (framework show): at pm, product-delivery expects 3 and strategic-impact 1;
// at apm, product-delivery expects 2.
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>
#include <calibra/io/ratings.hpp>

#include "../support/error_of.hpp"
#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <string>

using calibra::ratings_options;
using calibra::read_ratings_csv_text;
using calibra::read_ratings_json_text;
using namespace calibra::calibration;
using calibra_test::builtin;
using calibra_test::level_of;
using calibra_test::error_of;

namespace {

}  // namespace

TEST_CASE("wide CSV: a column per competency, by id or by name, one rating per filled cell", "[ratings_shapes]") {
  const std::string text =
      "ratee,rater,role,period,career_level,product-delivery,Fluency with Data,evidence\n"
      "pm01,mgr1,manager,2026Q1,pm,proficient,4,shipped the billing revamp\n"
      "pm01,pm01,self,2026Q1,pm,advanced,,\n"
      "pm02,mgr1,manager,2026-Q1,senior-pm,2,Expert,\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "wide.csv");
  CHECK(t.size() == 5);  // one empty cell is no rating
  CHECK(level_of(t, "pm01", "mgr1", "product-delivery") == 3);
  CHECK(level_of(t, "pm01", "mgr1", "fluency-with-data") == 4);
  CHECK(level_of(t, "pm01", "pm01", "product-delivery") == 4);
  CHECK(level_of(t, "pm01", "pm01", "fluency-with-data") == 0);
  CHECK(level_of(t, "pm02", "mgr1", "fluency-with-data") == 5);
  CHECK(t.summary().rows_with_evidence == 2);  // the row's evidence goes with each of its ratings
  CHECK(t.periods().size() == 1);
}

TEST_CASE("wide CSV: unknown competency columns are errors naming each column, all in one run",
          "[ratings_shapes]") {
  const std::string text = "ratee,rater,role,period,product-delivery,Vision,team\n"
                           "pm01,mgr1,manager,2026Q1,3,3,core\n";
  const std::string message = error_of([&] { read_ratings_csv_text(text, builtin(), "w.csv"); },
                                       "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("w.csv: row 1, column 'Vision': not a competency of the framework"));
  CHECK_THAT(message, Catch::Contains("w.csv: row 1, column 'team': not a competency of the framework"));
  CHECK_THAT(message, Catch::Contains("2 problems"));

  SECTION("a declared attribute column is kept") {
    ratings_options options;
    options.attribute_columns = {"team"};
    options.ignore_unknown_columns = true;  // drops 'Vision'
    const ratings_table t = read_ratings_csv_text(text, builtin(), "w.csv", options);
    REQUIRE(t.size() == 1);
    REQUIRE(t.attribute_names().size() == 1);
    CHECK(t.attribute(0, 0) == "core");
    CHECK(t.summary().ignored_columns == std::vector<std::string>{"Vision"});
  }
  SECTION("a name in the wrong case gets a hint") {
    const std::string lower = "ratee,rater,role,period,fluency with data\npm01,mgr1,manager,2026Q1,3\n";
    // No column is a competency, so the file is long form with missing columns.
    CHECK_THROWS_AS(read_ratings_csv_text(lower, builtin(), "l.csv"), calibra::validation_error);
    const std::string mixed = "ratee,rater,role,period,product-delivery,fluency with data\npm01,mgr1,manager,2026Q1,3,3\n";
    CHECK_THAT(error_of([&] { read_ratings_csv_text(mixed, builtin(), "m.csv"); }, "validation_error.ratings"),
               Catch::Contains("did you mean 'Fluency with Data'?"));
  }
}

TEST_CASE("wide CSV: a wide file without the role or period column names what is missing", "[ratings_shapes]") {
  const std::string text = "ratee,rater,product-delivery\npm01,mgr1,3\n";
  const std::string message = error_of([&] { read_ratings_csv_text(text, builtin(), "w.csv"); },
                                       "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("missing required column 'role'"));
  CHECK_THAT(message, Catch::Contains("missing required column 'period'"));
}

TEST_CASE("relative levels: On Track is the expectation, the others one level below and above, clipped",
          "[ratings_shapes]") {
  const std::string text = "ratee,rater,role,competency,level,period,career_level\n"
                           "pm01,mgr1,manager,product-delivery,On Track,2026Q1,pm\n"
                           "pm01,mgr1,manager,strategic-impact,Needs Focus,2026Q1,pm\n"
                           "pm02,mgr1,manager,product-delivery,Outperforming,2026Q1,apm\n"
                           "pm02,mgr1,manager,strategic-impact,on-track,2026Q1,apm\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "rel.csv");
  CHECK(level_of(t, "pm01", "mgr1", "product-delivery") == 3);
  CHECK(level_of(t, "pm01", "mgr1", "strategic-impact") == 1);  // expectation 1: clipped to the bottom
  CHECK(level_of(t, "pm02", "mgr1", "product-delivery") == 3);  // apm expects 2
  CHECK(level_of(t, "pm02", "mgr1", "strategic-impact") == 1);
  bool noted = false;
  for (const auto& w : t.summary().warnings)
    noted = noted || (w.find("4 relative levels") != std::string::npos &&
                      w.find("1 of them had no level there and were clipped") != std::string::npos);
  CHECK(noted);
}

TEST_CASE("relative levels: mixed with absolute levels in one column, or without a career level, are refused",
          "[ratings_shapes]") {
  const std::string text = "ratee,rater,role,competency,level,period,career_level\n"
                           "pm01,mgr1,manager,product-delivery,On Track,2026Q1,pm\n"
                           "pm02,mgr1,manager,product-delivery,3,2026Q1,pm\n"
                           "pm03,mgr1,manager,product-delivery,Outperforming,2026Q1,\n";
  const std::string message = error_of([&] { read_ratings_csv_text(text, builtin(), "mix.csv"); },
                                       "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("mix.csv: row 3, column 'level': absolute level '3', but the column holds "
                                      "relative levels ('On Track' on row 2)"));
  CHECK_THAT(message, Catch::Contains("mix.csv: row 4, column 'level': relative level 'Outperforming' for a ratee "
                                      "with no career level on this row"));

  SECTION("in wide form the rule holds per competency column") {
    const std::string wide = "ratee,rater,role,period,career_level,product-delivery,managing-up\n"
                             "pm01,mgr1,manager,2026Q1,pm,On Track,3\n"
                             "pm02,mgr1,manager,2026Q1,pm,Needs Focus,4\n"
                             "pm03,mgr1,manager,2026Q1,pm,2,Outperforming\n";
    const std::string m = error_of([&] { read_ratings_csv_text(wide, builtin(), "wm.csv"); },
                                   "validation_error.ratings");
    CHECK_THAT(m, Catch::Contains("wm.csv: row 4, column 'product-delivery': absolute level '2'"));
    CHECK_THAT(m, Catch::Contains("wm.csv: row 4, column 'managing-up': relative level 'Outperforming'"));
  }
}

TEST_CASE("wide JSON: keys named after competencies, with relative levels", "[ratings_shapes]") {
  const std::string text =
      R"([{"ratee":"pm01","rater":"mgr1","role":"manager","period":"2026Q1","career_level":"pm",)"
      R"("product-delivery":"On Track","Fluency with Data":"Outperforming","team":"growth"},)"
      R"({"ratee":"pm02","rater":"mgr1","role":"manager","period":"2026Q1","career_level":"apm",)"
      R"("product-delivery":"Needs Focus","fluency-with-data":null,"team":"core"}])";
  ratings_options options;
  options.attribute_columns = {"team"};
  const ratings_table t = read_ratings_json_text(text, builtin(), "w.json", options);
  REQUIRE(t.size() == 3);
  CHECK(level_of(t, "pm01", "mgr1", "product-delivery") == 3);
  CHECK(level_of(t, "pm01", "mgr1", "fluency-with-data") == 4);  // pm expects 3
  CHECK(level_of(t, "pm02", "mgr1", "product-delivery") == 1);   // apm expects 2
  CHECK(t.attribute(0, 0) == "growth");

  SECTION("an undeclared key is an unknown competency, named on every row") {
    const std::string message = error_of([&] { read_ratings_json_text(text, builtin(), "w.json"); },
                                         "validation_error.ratings");
    CHECK_THAT(message, Catch::Contains("w.json: row 1, column 'team': not a competency of the framework"));
    CHECK_THAT(message, Catch::Contains("w.json: row 2, column 'team': not a competency of the framework"));
  }
  SECTION("a wide object with a level key is refused") {
    const std::string both =
        R"([{"ratee":"pm01","rater":"mgr1","role":"manager","period":"2026Q1","level":3,"product-delivery":3}])";
    CHECK_THAT(error_of([&] { read_ratings_json_text(both, builtin(), "b.json"); }, "validation_error.ratings"),
               Catch::Contains("b.json: row 1, column 'level': the object has keys named after competencies"));
  }
}
