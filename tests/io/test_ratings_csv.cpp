// The long-form ratings CSV reader and writer: a good file's counts, RFC
// 4180 details, column order and unknown columns, duplicate policies, the
// writer's round trip, and file-level errors (the malformed files are in
// the bad-input catalogue, tests/bad_inputs/manifest.json).
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include "../support/error_of.hpp"
#include "../support/hand_ratings.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

using calibra::ratings_options;
using calibra::read_ratings_csv;
using calibra::read_ratings_csv_text;
using namespace calibra::calibration;

namespace {

const std::string bad_dir = std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/ratings_csv/";

using calibra_test::builtin;
using calibra_test::error_of;

const std::string header = "ratee,rater,role,competency,level,period\n";

}  // namespace

TEST_CASE("ratings CSV: a good file reads into the expected counts", "[ratings_csv]") {
  const std::string text = "ratee,rater,role,competency,level,period,career_level,track,outcome\n"
                           "pm01,mgr1,manager,product-delivery,proficient,2026Q1,pm,ic,\n"
                           "pm01,pm01,self,product-delivery,Advanced,2026Q1,pm,,\n"
                           "pm01,mgr2,panel,product-delivery,3,2026Q1,pm,ic,\n"
                           "pm02,mgr1,manager,managing-up,2,2026Q2,group-pm,manager,promoted\n"
                           "pm02,mgr1,manager,team-leadership,expert,2026Q2,group-pm,,promoted\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "good.csv");
  REQUIRE(t.size() == 5);
  CHECK(&t.framework() == builtin().get());  // shared, not copied
  const ratings_summary& s = t.summary();
  CHECK(s.source == "good.csv");
  CHECK(s.rows_read == 5);
  CHECK(s.rows_kept == 5);
  CHECK(s.ratees == 2);
  CHECK(s.raters == 3);
  CHECK(s.periods == 2);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::manager)] == 3);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::self)] == 1);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::panel)] == 1);
  CHECK(s.rows_per_competency[*t.framework().competency_index("product-delivery")] == 3);
  CHECK(s.rows_with_career_level == 5);
  CHECK(s.rows_with_track == 5);  // derived where the cell is empty
  CHECK(s.rows_with_outcome == 2);
  CHECK(s.ignored_columns.empty());
  CHECK(t.level(0) == 3);
  CHECK(t.level(1) == 4);
  CHECK(t.level(4) == 5);
  CHECK(t.source_row(0) == 2);
  CHECK(t.source_row(4) == 6);
  CHECK(t.track(3) == calibra::track::manager);
}

TEST_CASE("ratings CSV: BOM, CRLF, quoting, spaces, blank lines and column order", "[ratings_csv]") {
  const std::string text =
      "\xEF\xBB\xBF"
      "period,level,\"competency\",role,rater,ratee\r\n"
      "2026Q1, 3 ,product-delivery,manager,\"Smith, Jo\",\"O\"\"Neil\"\r\n"
      "\r\n"
      "2026Q1,Proficient,product-quality,manager,\"Smith, Jo\",\"Zoë\nLine\"\r\n"
      "2026Q2,1,product-quality,peer,x,y";  // no final line break
  const ratings_table t = read_ratings_csv_text(text, builtin(), "q.csv");
  REQUIRE(t.size() == 3);
  CHECK(t.raters()[t.rater(0)] == "Smith, Jo");
  CHECK(t.ratees()[t.ratee(0)] == "O\"Neil");
  CHECK(t.ratees()[t.ratee(1)] == "Zoë\nLine");
  CHECK(t.level(0) == 3);
  CHECK(t.level(1) == 3);
  CHECK(t.source_row(0) == 2);
  CHECK(t.source_row(1) == 4);  // the blank line counts
  CHECK(t.source_row(2) == 6);  // the quoted line break counts too
  CHECK(t.summary().rows_with_career_level == 0);
}

TEST_CASE("ratings CSV: extra columns are kept as attributes and named in a warning, or dropped when ignored",
          "[ratings_csv]") {
  const std::string text = "ratee,rater,role,team,competency,level,period,score\n"
                           "pm01,mgr1,manager,\"Growth, EU\",product-delivery,3,2026Q1,0.7\n"
                           "pm02,mgr1,manager,Core,product-delivery,2,2026Q1,\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "u.csv");
  CHECK(t.size() == 2);
  CHECK(t.attribute_names() == std::vector<std::string>{"team", "score"});
  CHECK(t.attribute(0, 0) == "Growth, EU");
  CHECK(t.attribute(1, 0) == "Core");
  CHECK(t.attribute(0, 1) == "0.7");
  CHECK(t.attribute(1, 1).empty());
  CHECK(t.attribute_index("score") == std::optional<std::size_t>(1));
  CHECK_FALSE(t.attribute_index("department"));
  REQUIRE(t.summary().warnings.size() == 1);
  CHECK(t.summary().warnings[0] ==
        "columns outside the ratings format kept as attributes, not used by the analyses: 'team', 'score'");
  CHECK(t.summary().ignored_columns.empty());

  ratings_options options;
  options.ignore_unknown_columns = true;
  const ratings_table dropped = read_ratings_csv_text(text, builtin(), "u.csv", options);
  CHECK(dropped.size() == 2);
  CHECK(dropped.attribute_names().empty());
  CHECK(dropped.summary().warnings.empty());
  CHECK(dropped.summary().ignored_columns == std::vector<std::string>{"team", "score"});
  // Extra columns still count for raggedness.
  CHECK_THAT(error_of([&] { read_ratings_csv_text(text + "pm03,mgr1,manager,product-delivery,3,2026Q1,1\n", builtin(),
                                                  "u.csv", options); },
                      "parse_error.ratings"),
             Catch::Contains("u.csv: row 4, column 'score': the row has 7 cells, the header has 8"));
}

TEST_CASE("ratings CSV: an extra column that looks like a format column is pointed out", "[ratings_csv]") {
  const ratings_table t = read_ratings_csv_text(header.substr(0, header.size() - 1) + ",Outcome\n"
                                                "pm01,mgr1,manager,product-delivery,3,2026Q1,promoted\n",
                                                builtin(), "o.csv");
  REQUIRE(t.summary().warnings.size() == 1);
  CHECK_THAT(t.summary().warnings[0], Catch::EndsWith("'Outcome' looks like the column 'outcome' (names are case-sensitive)"));
  CHECK_FALSE(t.outcome(0));
  // When a required column is missing, an unknown column is likely it misspelt: both are errors.
  const std::string misspelt = "ratee,rater,role,competncy,level,period\npm01,mgr1,manager,product-delivery,3,2026Q1\n";
  const std::string message = error_of([&] { read_ratings_csv_text(misspelt, builtin(), "m.csv"); },
                                       "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("m.csv: row 1, column 'competncy': unknown column, and a required column is missing"));
  CHECK_THAT(message, Catch::Contains("m.csv: row 1: missing required column 'competency'"));
}

TEST_CASE("ratings CSV: an evidence or comment column is kept with each rating", "[ratings_csv]") {
  const ratings_table t = read_ratings_csv_text(header.substr(0, header.size() - 1) + ",evidence\n"
                                                "pm01,mgr1,manager,product-delivery,3,2026Q1,\"Shipped checkout v2, on time\"\n"
                                                "pm02,mgr1,manager,product-delivery,2,2026Q1,\n",
                                                builtin(), "e.csv");
  CHECK(t.evidence(0) == "Shipped checkout v2, on time");
  CHECK(t.evidence(1).empty());
  CHECK(t.summary().rows_with_evidence == 1);
  const ratings_table c = read_ratings_csv_text("comment,ratee,rater,role,competency,level,period\n"
                                                "Ran 12 interviews,pm01,mgr1,manager,voice-of-the-customer,3,2026Q1\n",
                                                builtin(), "c.csv");
  CHECK(c.evidence(0) == "Ran 12 interviews");
  CHECK(c.attribute_names().empty());
  CHECK_THAT(error_of([&] { read_ratings_csv_text("evidence,comment," + header, builtin(), "ec.csv"); },
                      "validation_error.ratings"),
             Catch::Contains("ec.csv: row 1, column 'comment': gives the same column as 'evidence'"));
}

TEST_CASE("ratings CSV: period spellings become quarters; periods that cannot be ordered are named", "[ratings_csv]") {
  const ratings_table t = read_ratings_csv_text(header +
                                                    "pm01,mgr1,manager,product-delivery,3,2026-Q3\n"
                                                    "pm01,mgr1,manager,product-quality,3,2026 Q3\n"
                                                    "pm01,mgr1,manager,fluency-with-data,3,2026q3\n"
                                                    "pm01,mgr1,manager,managing-up,3,Q3 2026\n"
                                                    "pm01,mgr1,manager,team-leadership,3,2026Q3\n"
                                                    "pm01,mgr1,manager,product-delivery,2,Q2-2026\n",
                                                builtin(), "p.csv");
  // Q2 before Q3: every spelling of 2026Q3 is one period.
  CHECK(t.periods().names() == std::vector<std::string>{"2026Q2", "2026Q3"});
  REQUIRE(t.summary().warnings.size() == 1);
  CHECK(t.summary().warnings[0] == "period spellings read as quarters: '2026-Q3' as 2026Q3, '2026 Q3' as 2026Q3, "
                                   "'2026q3' as 2026Q3, 'Q3 2026' as 2026Q3, 'Q2-2026' as 2026Q2");

  const ratings_table u = read_ratings_csv_text(header +
                                                    "pm01,mgr1,manager,product-delivery,3,spring review\n"
                                                    "pm01,mgr1,manager,product-delivery,3,2026-07-01\n",
                                                builtin(), "u.csv");
  REQUIRE(u.summary().warnings.size() == 1);
  CHECK_THAT(u.summary().warnings[0],
             Catch::StartsWith("periods that cannot be ordered in time: 'spring review'; they are ordered by their text"));
  const ratings_table mixed = read_ratings_csv_text(header +
                                                        "pm01,mgr1,manager,product-delivery,3,2026Q3\n"
                                                        "pm01,mgr1,manager,product-delivery,3,2026-07-01\n",
                                                    builtin(), "m.csv");
  REQUIRE(mixed.summary().warnings.size() == 1);
  CHECK_THAT(mixed.summary().warnings[0], Catch::StartsWith("the periods mix quarters (YYYYQn) with other forms"));
  // A quarter that does not exist is still an error.
  CHECK_THAT(error_of([&] { read_ratings_csv_text(header + "pm01,mgr1,manager,product-delivery,3,2026-Q5\n", builtin(),
                                                  "q.csv"); },
                      "validation_error.ratings"),
             Catch::Contains("q.csv: row 2, column 'period': '2026-Q5' is not a quarter"));
}

TEST_CASE("ratings CSV: the external role, and a team's own role names mapped with ratings_options::roles",
          "[ratings_csv]") {
  const std::string text = header + "lect1,stud7,student,product-delivery,3,2026Q1\n"
                                    "lect1,boss,line-manager,product-delivery,2,2026Q1\n"
                                    "lect1,partner1,external,product-delivery,4,2026Q1\n";
  const std::string message = error_of([&] { read_ratings_csv_text(text, builtin(), "r.csv"); },
                                       "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("r.csv: row 2, column 'role': unknown role 'student'; expected one of self, "
                                      "manager, peer, skip-level, panel, external, or map the name to one of them "
                                      "(--role student=ROLE on the command line)"));
  CHECK_THAT(message, Catch::Contains("r.csv: row 3, column 'role': unknown role 'line-manager'"));
  ratings_options options;
  options.roles = {{"student", rater_role::external}, {"line-manager", rater_role::manager}};
  const ratings_table t = read_ratings_csv_text(text, builtin(), "r.csv", options);
  CHECK(t.role(0) == rater_role::external);
  CHECK(t.role(1) == rater_role::manager);
  CHECK(t.role(2) == rater_role::external);
  CHECK(t.summary().rows_per_role[static_cast<std::size_t>(rater_role::external)] == 2);
  CHECK(calibra::parse_role_mapping("student=external") == std::pair<std::string, rater_role>{"student", rater_role::external});
  CHECK_THAT(error_of([] { calibra::parse_role_mapping("student"); }, "invalid_argument.ratings"),
             Catch::Contains("expected NAME=ROLE"));
  CHECK_THAT(error_of([] { calibra::parse_role_mapping("student=pupil"); }, "invalid_argument.ratings"),
             Catch::Contains("unknown role 'pupil'"));
}

TEST_CASE("ratings CSV: a rater id equal to the ratee id under another role is a warning naming the rows",
          "[ratings_csv]") {
  const ratings_table t = read_ratings_csv_text(header + "s12,s12,external,product-delivery,3,2026Q1\n"
                                                         "s12,t1,manager,product-delivery,3,2026Q1\n"
                                                         "s12,s12,external,product-quality,2,2026Q1\n",
                                                builtin(), "s.csv");
  CHECK(t.size() == 3);
  REQUIRE(t.summary().warnings.size() == 1);
  CHECK(t.summary().warnings[0] == "the rater id is the ratee id under a role other than 'self' on rows 2, 4: read as "
                                   "two people who share an id; if they are one person, the role is 'self'");
}

TEST_CASE("ratings CSV: every problem of the file in one run", "[ratings_csv][errors]") {
  const std::string text = header + "pm01,mgr1,manager,product-delivery,3,2026Q1\n"  // row 2: fine
                                    "pm01,mgr1,manager,Vision,3,2026Q1\n"            // row 3: unknown competency
                                    "pm01,mgr1,manager,product-quality,9,2026Q1\n"   // row 4: level outside the scale
                                    "pm01,mgr1,manager,product-delivery\n"           // row 5: ragged
                                    "pm01,mgr1,boss,managing-up,3,2026Q1\n"          // row 6: unknown role
                                    "pm01,mgr1,manager,product-delivery,2,2026Q1\n"; // row 7: repeats row 2
  try {
    read_ratings_csv_text(text, builtin(), "many.csv");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    CHECK(e.id() == "validation_error.ratings");
    CHECK_FALSE(e.stopped());
    REQUIRE(e.problems().size() == 5);
    const auto& p = e.problems();
    CHECK(p[0].row == 3);
    CHECK(p[0].column == "competency");
    CHECK(p[0].id == "validation_error.ratings");
    CHECK(p[1].row == 4);
    CHECK(p[1].column == "level");
    CHECK(p[2].row == 5);
    CHECK(p[2].id == "parse_error.ratings");
    CHECK_THAT(p[2].message, Catch::StartsWith("[calibra.parse_error.ratings] many.csv: row 5, column 'level': the row has 4 cells"));
    CHECK(p[3].row == 6);
    CHECK(p[3].column == "role");
    CHECK(p[4].row == 7);
    CHECK_THAT(p[4].message, Catch::Contains("many.csv: row 7: duplicate rating"));
    for (const auto& problem : p) CHECK(problem.file == "many.csv");
    const std::string what = e.what();
    CHECK_THAT(what, Catch::StartsWith("[calibra.validation_error.ratings] many.csv: 5 problems; nothing was read:\n  "));
    CHECK_THAT(what, Catch::Contains("\n  [calibra.validation_error.ratings] many.csv: row 3, column 'competency': unknown competency 'Vision'"));
  }
}

TEST_CASE("ratings CSV: reading stops at 50 problems, and a broken quote ends it", "[ratings_csv][errors]") {
  std::string text = header;
  for (int i = 0; i < 70; ++i) text += "pm" + std::to_string(i) + ",mgr1,manager,Vision,3,2026Q1\n";
  try {
    read_ratings_csv_text(text, builtin(), "cap.csv");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    CHECK(e.problems().size() == calibra::input_errors::max_problems);
    CHECK(e.stopped());
    CHECK(e.problems().back().row == 51);
    CHECK_THAT(e.what(), Catch::StartsWith("[calibra.validation_error.ratings] cap.csv: 50 problems (reading stopped there"));
    // what() stays short enough for a log line; full_message() has every problem.
    CHECK(std::string(e.what()).size() <= calibra::input_errors::max_message_bytes + 200);
    CHECK_THAT(e.what(), Catch::Contains("\n  ... and ") && Catch::Contains(" more (input_errors::problems() lists them all)"));
    const std::string full = e.full_message();
    CHECK_THAT(full, Catch::StartsWith("[calibra.validation_error.ratings] cap.csv: 50 problems (reading stopped there"));
    CHECK_THAT(full, Catch::Contains("cap.csv: row 51, column 'competency': unknown competency 'Vision'"));
    CHECK_THAT(full, !Catch::Contains("more (input_errors::problems() lists them all)"));
  }
  // A quote that never closes leaves no next row to go on with: the problems so far and it.
  const std::string broken = header + "pm01,mgr1,manager,Vision,3,2026Q1\n"
                                      "pm01,\"mgr1,manager,product-delivery,3,2026Q1\n";
  try {
    read_ratings_csv_text(broken, builtin(), "q.csv");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].row == 2);
    CHECK(e.problems()[1].id == "parse_error.ratings");
    CHECK_THAT(e.problems()[1].message, Catch::Contains("a quoted cell is never closed"));
  }
  // One problem is thrown as itself.
  CHECK_THROWS_MATCHES(read_ratings_csv_text(header + "pm01,mgr1,manager,Vision,3,2026Q1\n", builtin(), "one.csv"),
                       calibra::validation_error,
                       Catch::Predicate<calibra::validation_error>([](const calibra::validation_error& e) {
                         return dynamic_cast<const calibra::input_errors*>(&e) == nullptr;
                       }));
}

TEST_CASE("ratings CSV: rows read ahead on a second thread keep their order, their problems and where reading stopped",
          "[ratings_csv][errors]") {
  // From a quarter of a megabyte of text (this one is about 550 KB) the
  // rows are split into cells a few thousand at a time on a second thread
  // (4096 per chunk): the planted problems straddle the chunks, and the
  // broken quote that ends the reading sits in the third one.
  std::string text = header;
  const std::vector<int> bad_rows{3, 4097, 4098, 8192, 8193, 9000};  // 1-based data rows
  for (int i = 1; i <= 12000; ++i) {
    const bool bad = std::find(bad_rows.begin(), bad_rows.end(), i) != bad_rows.end();
    if (i == 10000) text += "p" + std::to_string(i) + ",\"m1,manager,product-delivery,3,2026Q1\n";
    text += "p" + std::to_string(i) + ",m" + std::to_string(i % 40) + ",manager," +
            (bad ? std::string("Vision") : std::string("product-delivery")) + ",3,2026Q1\n";
  }
  try {
    read_ratings_csv_text(text, builtin(), "ahead.csv");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == bad_rows.size() + 1);
    for (std::size_t k = 0; k < bad_rows.size(); ++k) {
      CHECK(e.problems()[k].row == static_cast<std::size_t>(bad_rows[k]) + 1);  // + the header row
      CHECK_THAT(e.problems()[k].message, Catch::Contains("unknown competency 'Vision'"));
    }
    CHECK(e.problems().back().id == "parse_error.ratings");
    CHECK_THAT(e.problems().back().message, Catch::Contains("a quoted cell is never closed"));
  }
  // Without the problems every row arrives once: 9000 ratings by 9000
  // raters, the first and the last among them.
  std::string good = header;
  for (int i = 1; i <= 9000; ++i)
    good += "p" + std::to_string(i) + ",m" + std::to_string(i) + ",manager,product-delivery,3,2026Q1\n";
  REQUIRE(text.size() >= (std::size_t{1} << 18));
  REQUIRE(good.size() >= (std::size_t{1} << 18));
  const ratings_table t = read_ratings_csv_text(good, builtin(), "good.csv");
  REQUIRE(t.size() == 9000);
  CHECK(t.raters().size() == 9000);
  CHECK(t.raters().find("m1"));
  CHECK(t.raters().find("m4096"));
  CHECK(t.raters().find("m9000"));
}

TEST_CASE("ratings CSV: duplicate policies last and mean", "[ratings_csv][duplicates]") {
  const std::string text = header +
                           "pm01,mgr1,manager,product-delivery,2,2026Q1\n"
                           "pm01,mgr1,manager,product-quality,2,2026Q1\n"
                           "pm01,mgr1,manager,product-delivery,5,2026Q1\n"
                           "pm01,mgr1,manager,product-delivery,3,2026Q1\n";
  CHECK_THAT(error_of([&] { read_ratings_csv_text(text, builtin(), "d.csv"); }, "validation_error.ratings"),
             Catch::Contains("d.csv: row 4: duplicate rating: rater 'mgr1' already rated ratee 'pm01' on competency "
                             "'product-delivery' in period '2026Q1' on row 2"));
  ratings_options options;
  options.duplicates = duplicate_policy::last;
  const ratings_table last = read_ratings_csv_text(text, builtin(), "d.csv", options);
  REQUIRE(last.size() == 2);
  CHECK(last.level(1) == 3);
  CHECK(last.source_row(1) == 5);
  CHECK(last.summary().duplicate_rows_dropped == 2);
  REQUIRE(last.summary().duplicate_examples.size() == 1);
  CHECK(last.summary().duplicate_examples[0].rows == std::vector<std::uint32_t>{2, 4, 5});

  options.duplicates = duplicate_policy::mean;
  const ratings_table mean = read_ratings_csv_text(text, builtin(), "d.csv", options);
  REQUIRE(mean.size() == 2);
  CHECK(mean.level(1) == 3);  // (2 + 5 + 3) / 3 = 3.33 -> 3
  CHECK(mean.summary().duplicate_examples[0].mean_level == Approx(10.0 / 3));
  CHECK(mean.summary().means_rounded == 1);
}

TEST_CASE("ratings CSV: the writer round-trips a table", "[ratings_csv][write]") {
  const std::string text = "ratee,rater,role,competency,level,period,career_level,outcome\n"
                           "\"a,b\",mgr1,manager,product-delivery,3,2026Q2,pm,\n"
                           "\"a,b\",mgr1,manager,product-quality,Expert,2026Q2,pm,not-promoted\n"
                           "\"q\"\"x\",\"q\"\"x\",self,managing-up,1,2026Q1,,\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "w.csv");
  const std::string written = calibra::to_ratings_csv(t);
  CHECK(written ==
        "ratee,rater,role,competency,level,period,career_level,track,outcome\n"
        "\"a,b\",mgr1,manager,product-delivery,proficient,2026Q2,pm,ic,\n"
        "\"a,b\",mgr1,manager,product-quality,expert,2026Q2,pm,ic,not-promoted\n"
        "\"q\"\"x\",\"q\"\"x\",self,managing-up,foundational,2026Q1,,,\n");
  const ratings_table back = read_ratings_csv_text(written, builtin(), "back.csv");
  REQUIRE(back.size() == t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    CHECK(back.ratees()[back.ratee(i)] == t.ratees()[t.ratee(i)]);
    CHECK(back.raters()[back.rater(i)] == t.raters()[t.rater(i)]);
    CHECK(back.periods()[back.period(i)] == t.periods()[t.period(i)]);
    CHECK(back.competency(i) == t.competency(i));
    CHECK(back.level(i) == t.level(i));
    CHECK(back.role(i) == t.role(i));
    CHECK(back.career_level(i) == t.career_level(i));
    CHECK(back.track(i) == t.track(i));
    CHECK(back.outcome(i) == t.outcome(i));
  }
  CHECK(calibra::to_ratings_csv(back) == written);

  // Without optional values, only the six required columns are written.
  const ratings_table plain = read_ratings_csv_text(header + "a,b,peer,product-delivery,2,2026Q1\n", builtin());
  CHECK(calibra::to_ratings_csv(plain) == header + "a,b,peer,product-delivery,developing,2026Q1\n");

  // Evidence after the optional columns, then the attributes in their order.
  const ratings_table kept = read_ratings_csv_text("team,ratee,rater,role,competency,level,period,comment\n"
                                                   "Core,a,b,peer,product-delivery,2,2026Q1,\"Led the launch, twice\"\n"
                                                   ",a,c,peer,product-delivery,3,2026Q1,\n",
                                                   builtin(), "k.csv");
  const std::string kept_csv = calibra::to_ratings_csv(kept);
  CHECK(kept_csv == "ratee,rater,role,competency,level,period,evidence,team\n"
                    "a,b,peer,product-delivery,developing,2026Q1,\"Led the launch, twice\",Core\n"
                    "a,c,peer,product-delivery,proficient,2026Q1,,\n");
  const ratings_table kept_back = read_ratings_csv_text(kept_csv, builtin(), "k2.csv");
  CHECK(kept_back.evidence(0) == "Led the launch, twice");
  CHECK(kept_back.attribute(0, 0) == "Core");
  CHECK(calibra::to_ratings_csv(kept_back) == kept_csv);

  const auto path = (std::filesystem::temp_directory_path() / "calibra_ratings_write_test.csv").string();
  calibra::write_ratings_csv(t, path);
  CHECK(read_ratings_csv(path, builtin()).size() == 3);
  std::remove(path.c_str());
}

TEST_CASE("ratings CSV: file-level problems", "[ratings_csv][errors]") {
  CHECK_THAT(error_of([] { read_ratings_csv(bad_dir + "no_such_file.csv", builtin()); }, "parse_error.ratings"),
             Catch::Contains("no_such_file.csv: cannot open file"));
  CHECK_THAT(error_of([] { read_ratings_csv(bad_dir, builtin()); }, "parse_error.ratings"),
             Catch::Contains("is a directory"));
  CHECK_THAT(error_of([] { read_ratings_csv_text("\xEF\xBB\xBF\r\n\r\n", builtin(), "b.csv"); }, "parse_error.ratings"),
             Catch::Contains("b.csv: the file is empty"));
  CHECK_THAT(error_of([] { read_ratings_csv_text(header + "a,b,peer,product-delivery,2,2026Q1,x\"y\n", builtin(),
                                                 "q.csv"); },
                      "parse_error.ratings"),
             Catch::Contains("q.csv: row 2, column 7: the row has more cells"));
  CHECK_THAT(error_of([] { read_ratings_csv_text("ratee,,rater\n", builtin(), "h.csv"); }, "validation_error.ratings"),
             Catch::Contains("h.csv: row 1, column 2: empty column name"));
  CHECK_THAT(error_of([] { calibra::read_ratings(bad_dir + "ratings.txt", builtin()); }, "invalid_argument.ratings"),
             Catch::Contains("expected a .csv, .json or .xlsx ratings file"));
  // read_ratings picks the reader by extension.
  CHECK_THAT(error_of([] { calibra::read_ratings(bad_dir + "unknown_role.CSV", builtin()); }, "parse_error.ratings"),
             Catch::Contains("cannot open file"));
  CHECK_THAT(error_of([] { calibra::read_ratings(bad_dir + "../ratings_json/empty_array.json", builtin()); }, "parse_error.ratings"),
             Catch::Contains("holds no ratings"));
}

TEST_CASE("ratings CSV: a large generated file reads in one pass", "[ratings_csv][large]") {
  // 20 000 ratees x 12 competencies x one manager each: 240 000 rows.
  std::string text = header;
  const auto& competencies = builtin()->competencies();
  for (int r = 0; r < 20000; ++r)
    for (std::size_t c = 0; c < competencies.size(); ++c)
      text += "p" + std::to_string(r) + ",m" + std::to_string(r % 500) + ",manager," + competencies[c].id + "," +
              std::to_string(1 + (r + static_cast<int>(c)) % 5) + ",2026Q" + std::to_string(1 + r % 4) + "\n";
  const ratings_table t = read_ratings_csv_text(text, builtin(), "big.csv");
  CHECK(t.size() == 240000);
  CHECK(t.ratees().size() == 20000);
  CHECK(t.raters().size() == 500);
  CHECK(t.periods().size() == 4);
  CHECK(t.ratee_periods().size() == 20000);
}
