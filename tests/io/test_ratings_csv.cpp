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

#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
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

TEST_CASE("ratings CSV: unknown columns are errors unless ignored, and then listed", "[ratings_csv]") {
  const std::string text = "ratee,rater,role,comment,competency,level,period,score\n"
                           "pm01,mgr1,manager,\"fine, really\",product-delivery,3,2026Q1,0.7\n";
  CHECK_THAT(error_of([&] { read_ratings_csv_text(text, builtin(), "u.csv"); }, "validation_error.ratings"),
             Catch::StartsWith("[calibra.validation_error.ratings] u.csv: row 1, column 'comment': unknown column; "
                               "expected one of ratee, rater, role, competency, level, period, career_level?, "
                               "track?, outcome?"));
  ratings_options options;
  options.ignore_unknown_columns = true;
  const ratings_table t = read_ratings_csv_text(text, builtin(), "u.csv", options);
  CHECK(t.size() == 1);
  CHECK(t.summary().ignored_columns == std::vector<std::string>{"comment", "score"});
  // Ignored columns still count for raggedness.
  CHECK_THAT(error_of([&] { read_ratings_csv_text(text + "pm02,mgr1,manager,product-delivery,3,2026Q1,1\n", builtin(),
                                                  "u.csv", options); },
                      "parse_error.ratings"),
             Catch::Contains("u.csv: row 3, column 'score': the row has 7 cells, the header has 8"));
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
             Catch::Contains("expected a .csv or .json ratings file"));
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
