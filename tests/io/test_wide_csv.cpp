// The wide CSV reader: RFC 4180 details, missing cells, unit ids, the
// reference data sets, and errors built from text (the malformed files are
// in the bad-input catalogue, tests/bad_inputs/manifest.json).
#include <calibra/error.hpp>
#include <calibra/io/wide_csv.hpp>

#include "../support/error_of.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

using calibra::read_wide_csv;
using calibra::read_wide_csv_text;
using calibra::wide_csv_options;

namespace {

const std::string data_dir = CALIBRA_TEST_DATA_DIR;

/// The message of the calibra::parse_error (id parse_error.csv) `action` throws.
std::string error_of(const std::function<void()>& action) { return calibra_test::error_of(action, "parse_error.csv"); }

}  // namespace

TEST_CASE("wide CSV: header, ratings, missing cells, default unit names", "[wide_csv]") {
  const auto data = read_wide_csv_text("a,b,c\n1,2,3\n4,,6\n 7 ,\t, 9.5 \n", "t.csv");
  REQUIRE(data.ratings.rows() == 3);
  REQUIRE(data.ratings.cols() == 3);
  CHECK(data.raters == std::vector<std::string>{"a", "b", "c"});
  CHECK(data.units == std::vector<std::string>{"1", "2", "3"});
  CHECK(data.ratings(0, 0) == 1);
  CHECK(data.ratings(0, 2) == 3);
  CHECK(std::isnan(data.ratings(1, 1)));
  CHECK(data.ratings(2, 0) == 7);
  CHECK(std::isnan(data.ratings(2, 1)));  // whitespace only: missing
  CHECK(data.ratings(2, 2) == 9.5);
}

TEST_CASE("wide CSV: RFC 4180 quoting, CRLF, BOM, blank lines, number forms", "[wide_csv]") {
  const std::string text =
      "\xEF\xBB\xBF\"rater \"\"one\"\"\",\"two,\nlines\"\r\n"
      "\"1\",-2.5e1\r\n"
      "\r\n"
      "+3,\"\"\r\n";
  const auto data = read_wide_csv_text(text, "q.csv");
  CHECK(data.raters == std::vector<std::string>{"rater \"one\"", "two,\nlines"});
  REQUIRE(data.ratings.rows() == 2);
  CHECK(data.ratings(0, 0) == 1);
  CHECK(data.ratings(0, 1) == -25);
  CHECK(data.ratings(1, 0) == 3);
  CHECK(std::isnan(data.ratings(1, 1)));
  // No trailing newline at the end of the file is fine too.
  CHECK(read_wide_csv_text("x,y\n1,2", "n.csv").ratings.rows() == 1);
  // UTF-8 names are kept as they are.
  CHECK(read_wide_csv_text("Zoë,Łukasz\n1,2\n", "u.csv").raters[0] == "Zoë");
}

TEST_CASE("wide CSV: a unit column gives the unit ids and is not a rater", "[wide_csv]") {
  wide_csv_options options;
  options.unit_column = "id";
  const auto data = read_wide_csv_text("r1,id,r2\n1,u7,2\n,u9,3\n", "ids.csv", options);
  CHECK(data.raters == std::vector<std::string>{"r1", "r2"});
  CHECK(data.units == std::vector<std::string>{"u7", "u9"});
  REQUIRE(data.ratings.cols() == 2);
  CHECK(std::isnan(data.ratings(1, 0)));
  CHECK(data.ratings(1, 1) == 3);

  const auto message = error_of([&] { read_wide_csv_text("a,b\n1,2\n", "ids.csv", options); });
  CHECK_THAT(message, Catch::StartsWith("[calibra.parse_error.csv] ids.csv, line 1: no column named 'id'"));
  CHECK_THAT(message, Catch::Contains("'a', 'b'"));

  options.unit_column = "a";
  const auto single = error_of([&] { read_wide_csv_text("a,b\n1,2\n", "ids.csv", options); });
  CHECK_THAT(single, Catch::Contains("only 1 rater column"));

  options.unit_column = "unit";
  const auto empty_id = error_of([&] { read_wide_csv_text("unit,a,b\nx,1,2\n ,1,2\n", "ids.csv", options); });
  CHECK_THAT(empty_id, Catch::Contains("line 3, column 1 (unit column 'unit'): empty unit identifier"));
}

TEST_CASE("wide CSV: reference data sets read with the documented shapes", "[wide_csv][reference]") {
  struct expected_shape {
    std::string file;
    Eigen::Index units, raters;
  };
  // Shapes as listed in tests/data/reference/README.md.
  const std::vector<expected_shape> shapes{{"shrout_fleiss_1979.csv", 6, 4},
                                           {"fleiss1971_diagnoses.csv", 30, 6},
                                           {"krippendorff_canonical.csv", 12, 4},
                                           {"krippendorff_wikipedia.csv", 15, 3},
                                           {"irr_anxiety.csv", 20, 3},
                                           {"stuart1953_vision.csv", 7477, 2},
                                           {"gwet_cac_raw5obser.csv", 15, 5}};
  for (const auto& shape : shapes) {
    INFO(shape.file);
    const auto data = read_wide_csv(data_dir + "/reference/" + shape.file);
    CHECK(data.ratings.rows() == shape.units);
    CHECK(data.ratings.cols() == shape.raters);
    CHECK(data.raters.size() == static_cast<std::size_t>(shape.raters));
    CHECK(data.units.size() == static_cast<std::size_t>(shape.units));
  }
  const auto sf = read_wide_csv(data_dir + "/reference/shrout_fleiss_1979.csv");
  CHECK(sf.raters == std::vector<std::string>{"J1", "J2", "J3", "J4"});
  CHECK(sf.ratings(4, 0) == 10);  // Shrout & Fleiss Table 2, target 5, judge 1
  CHECK(sf.ratings(1, 3) == 2);
  // Krippendorff's canonical data: unit 12 has a single value (README).
  const auto kripp = read_wide_csv(data_dir + "/reference/krippendorff_canonical.csv");
  CHECK((kripp.ratings.row(11).array() == kripp.ratings.row(11).array()).count() == 1);
}

TEST_CASE("wide CSV: file-level problems", "[wide_csv][errors]") {
  CHECK_THAT(error_of([] { read_wide_csv(std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/wide_csv/no_such_file.csv"); }),
             Catch::Contains("no_such_file.csv: cannot open file"));
  CHECK_THAT(error_of([] { read_wide_csv(std::string(CALIBRA_SOURCE_DIR) + "/tests/bad_inputs/wide_csv"); }), Catch::Contains("is a directory"));
  // Numbers out of the double range and half numbers are not ratings.
  CHECK_THAT(error_of([] { read_wide_csv_text("a,b\n1e999,2\n", "r.csv"); }),
             Catch::Contains("line 2, column 1 (rater 'a'): '1e999' is out of the range"));
  CHECK_THAT(error_of([] { read_wide_csv_text("a,b\n1,2x\n", "r.csv"); }),
             Catch::Contains("line 2, column 2 (rater 'b'): '2x' is not a number"));
  CHECK_THAT(error_of([] { read_wide_csv_text("a,b\n1,0x10\n", "r.csv"); }), Catch::Contains("'0x10' is not a number"));
  CHECK_THAT(error_of([] { read_wide_csv_text("a,b\n1,-\n", "r.csv"); }), Catch::Contains("'-' is not a number"));
  // The line number counts line breaks inside quoted cells; the name
  // repeats the line break as \n, so the message stays on one line.
  CHECK_THAT(error_of([] { read_wide_csv_text("a,\"b\nc\"\n1,2\n1,x\n", "r.csv"); }),
             Catch::Contains("r.csv, line 4, column 2 (rater 'b\\nc'): 'x'"));
  // Overlong UTF-8 encodings and lone continuation bytes are refused.
  CHECK_THAT(error_of([] { read_wide_csv_text("a,\xC0\xAF\n1,2\n", "r.csv"); }), Catch::Contains("invalid UTF-8"));
  CHECK_THAT(error_of([] { read_wide_csv_text("a,b\x80\n1,2\n", "r.csv"); }), Catch::Contains("invalid UTF-8"));
}

TEST_CASE("wide CSV: a huge single line fails fast with a short message", "[wide_csv][errors][large]") {
  // 50 MB on one line: a single rater name, then a single data cell.
  const std::string huge(50u << 20, 'x');
  const std::string one_column = error_of([&] { read_wide_csv_text(huge, "big.csv"); });
  CHECK_THAT(one_column, Catch::Contains("only 1 rater column"));
  CHECK(one_column.size() < 400);

  const std::string huge_cell = error_of([&] { read_wide_csv_text("a,b\n1," + huge + "\n", "big.csv"); });
  CHECK_THAT(huge_cell, Catch::Contains("line 2, column 2 (rater 'b'): 'xxxxxxxx"));
  CHECK(huge_cell.size() < 400);

  // Millions of columns on one line: refused at the column limit.
  std::string wide_header;
  wide_header.reserve(50u << 20);
  for (std::size_t c = 0; wide_header.size() < (50u << 20); ++c) wide_header += "r" + std::to_string(c) + ",";
  const std::string too_wide = error_of([&] { read_wide_csv_text(wide_header, "wide.csv"); });
  CHECK_THAT(too_wide, Catch::Contains("more than 100000 columns"));
}

TEST_CASE("wide CSV: every problem of the file in one run", "[wide_csv][errors]") {
  const std::string text = "unit,r1,r2\n"
                           "u1,1,x\n"
                           "u2,2,3\n"
                           "u3,2\n"
                           "u2,3,3\n"
                           "u4,1,2,9\n";
  calibra::wide_csv_options options;
  options.unit_column = "unit";
  try {
    calibra::read_wide_csv_text(text, "w.csv", options);
    FAIL("no exception");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 4);
    CHECK(e.problems()[0].row == 2);
    CHECK_THAT(e.problems()[0].message, Catch::Contains("w.csv, line 2, column 3 (rater 'r2'): 'x' is not a number"));
    CHECK_THAT(e.problems()[1].message, Catch::Contains("line 4") && Catch::Contains("the row has 2 cells"));
    CHECK_THAT(e.problems()[2].message, Catch::Contains("unit 'u2' already appears on line 3"));
    CHECK_THAT(e.problems()[3].message, Catch::Contains("line 6, column 4: the row has more than the 3 columns"));
  }
}
