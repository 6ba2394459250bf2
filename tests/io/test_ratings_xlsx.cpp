// Ratings from XLSX workbooks (calibra/io/ratings.hpp, "XLSX"): the same
// long, wide and relative forms as CSV, read from a sheet's cells, with
// messages naming the sheet and cell.  The workbooks are assembled here
// (support/xlsx_parts.hpp), so each holds exactly the cells a case needs.
// Expected levels come from the built-in framework (framework show): at pm,
// product-delivery expects 3 and strategic-impact 1.
#include <calibra/calibration/ratings.hpp>
#include <calibra/error.hpp>
#include <calibra/io/ratings.hpp>

#include "../support/error_of.hpp"
#include "../support/hand_ratings.hpp"
#include "../support/xlsx_parts.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

using calibra::ratings_options;
using calibra::read_ratings_csv_text;
using calibra::read_ratings_xlsx_bytes;
using namespace calibra::calibration;
using namespace calibra_test::xlsx;
using calibra_test::builtin;
using calibra_test::level_of;
using calibra_test::error_of;

namespace {

std::shared_ptr<const calibra::framework> fw() { return builtin(); }

const std::vector<std::string> long_header{"ratee", "rater", "role", "competency", "level", "period", "career_level"};

}  // namespace

TEST_CASE("ratings XLSX: long form reads as the same CSV would, numbers as their CSV text", "[ratings_xlsx]") {
  // Shared strings for the header, numbers for levels (3.0 is the level 3),
  // a lower-case quarter and a date serial in the period column.
  const std::vector<std::string> shared{"ratee", "rater", "role", "competency", "level", "period", "pm01", "mgr1"};
  std::string rows = row(1, {shared_cell("A1", 0), shared_cell("B1", 1), shared_cell("C1", 2), shared_cell("D1", 3),
                             shared_cell("E1", 4), shared_cell("F1", 5)});
  rows += row(2, {shared_cell("A2", 6), shared_cell("B2", 7), text_cell("C2", "manager"),
                  text_cell("D2", "product-delivery"), number_cell("E2", "3.0"), text_cell("F2", "2026-q1")});
  rows += row(3, {shared_cell("A3", 6), text_cell("B3", "pm01"), text_cell("C3", "self"),
                  text_cell("D3", "product-delivery"), number_cell("E3", "4"), text_cell("F3", "2026Q1")});
  // 46112 is 2026-03-31 in the 1900 date system (days since 1899-12-30).
  rows += row(4, {number_cell("A4", "1001"), shared_cell("B4", 7), text_cell("C4", "manager"),
                  text_cell("D4", "product-quality"), text_cell("E4", "advanced"), number_cell("F4", "46112")});
  const ratings_table t = read_ratings_xlsx_bytes(workbook({{"Sheet1", rows}}, shared), fw(), "long.xlsx");
  const ratings_table csv = read_ratings_csv_text(
      "ratee,rater,role,competency,level,period\n"
      "pm01,mgr1,manager,product-delivery,3,2026-q1\n"
      "pm01,pm01,self,product-delivery,4,2026Q1\n"
      "1001,mgr1,manager,product-quality,advanced,2026-03-31\n",
      fw(), "long.csv");
  REQUIRE(t.size() == 3);
  REQUIRE(csv.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(t.ratees()[t.ratee(i)] == csv.ratees()[csv.ratee(i)]);
    CHECK(t.level(i) == csv.level(i));
    CHECK(t.periods()[t.period(i)] == csv.periods()[csv.period(i)]);
    CHECK(t.source_row(i) == i + 2);  // spreadsheet rows: the header is row 1
  }
  CHECK(level_of(t, "pm01", "mgr1", "product-delivery") == 3);
  CHECK(level_of(t, "1001", "mgr1", "product-quality") == 4);
  CHECK(t.periods()[t.period(2)] == "2026-03-31");
  CHECK(t.periods()[t.period(0)] == "2026Q1");
}

TEST_CASE("ratings XLSX: wide and relative forms, recognised from the header", "[ratings_xlsx]") {
  std::string rows = text_row(1, {"ratee", "rater", "role", "period", "career_level", "product-delivery",
                                  "Strategic Impact", "team"});
  rows += row(2, {text_cell("A2", "pm01"), text_cell("B2", "mgr1"), text_cell("C2", "manager"),
                  text_cell("D2", "2026Q1"), text_cell("E2", "pm"), text_cell("F2", "On Track"),
                  text_cell("G2", "Outperforming"), text_cell("H2", "core")});
  rows += row(3, {text_cell("A3", "pm01"), text_cell("B3", "pm01"), text_cell("C3", "self"),
                  text_cell("D3", "2026Q1"), text_cell("E3", "pm"), text_cell("F3", "Needs Focus"),
                  text_cell("H3", "core")});
  ratings_options options;
  options.attribute_columns = {"team"};
  const ratings_table t = read_ratings_xlsx_bytes(workbook({{"Ratings", rows}}), fw(), "wide.xlsx", options);
  CHECK(t.size() == 3);  // G3 is empty: no rating
  CHECK(level_of(t, "pm01", "mgr1", "product-delivery") == 3);  // On Track at pm: the expectation, 3
  CHECK(level_of(t, "pm01", "mgr1", "strategic-impact") == 2);  // one above the expectation 1
  CHECK(level_of(t, "pm01", "pm01", "product-delivery") == 2);  // one below 3
  REQUIRE(t.attribute_names() == std::vector<std::string>{"team"});
  CHECK(t.attribute(0, 0) == "core");
}

TEST_CASE("ratings XLSX: the sheet read is the one named, else Ratings, else the first", "[ratings_xlsx]") {
  const auto sheet_of = [](const std::string& rater) {
    return text_row(1, long_header) +
           text_row(2, {"pm01", rater, "manager", "product-delivery", "3", "2026Q1", "pm"});
  };
  const std::string both = workbook({{"Notes", sheet_of("first")}, {"Ratings", sheet_of("named")},
                                     {"Other", sheet_of("other")}});
  CHECK(read_ratings_xlsx_bytes(both, fw(), "b.xlsx").raters()[0] == "named");
  CHECK(read_ratings_xlsx_bytes(workbook({{"A", sheet_of("first")}, {"B", sheet_of("second")}}), fw(), "b.xlsx")
            .raters()[0] == "first");
  ratings_options options;
  options.sheet = "Other";
  CHECK(read_ratings_xlsx_bytes(both, fw(), "b.xlsx", options).raters()[0] == "other");
  options.sheet = "Missing";
  CHECK_THAT(error_of([&] { read_ratings_xlsx_bytes(both, fw(), "b.xlsx", options); }, "invalid_argument.ratings"),
             Catch::Contains("b.xlsx: no sheet named 'Missing'; the workbook has the sheets 'Notes', 'Ratings', 'Other'"));
}

TEST_CASE("ratings XLSX: a header away from A1 is read where it is, and messages name its cells", "[ratings_xlsx]") {
  // The header on row 3 from column B; a bad level in D... (the level column is F).
  std::string rows = text_row(3, long_header, 1);
  rows += text_row(4, {"pm01", "mgr1", "manager", "product-delivery", "master", "2026Q1", "pm"}, 1);
  rows += text_row(5, {"pm02", "mgr1", "manager", "product-delivery", "3", "2026Q1", "pm"}, 1);
  const std::string message =
      error_of([&] { read_ratings_xlsx_bytes(workbook({{"Team A", rows}}), fw(), "off.xlsx"); },
               "validation_error.ratings");
  CHECK_THAT(message, Catch::Contains("off.xlsx: 'Team A'!F4, column 'level': unknown level 'master'"));

  // A value to the right of the header has no column.
  std::string beyond = text_row(1, long_header);
  beyond += row(2, {text_cell("A2", "pm01"), text_cell("B2", "mgr1"), text_cell("C2", "manager"),
                    text_cell("D2", "product-delivery"), number_cell("E2", "3"), text_cell("F2", "2026Q1"),
                    text_cell("G2", "pm"), text_cell("J2", "a note")});
  CHECK_THAT(error_of([&] { read_ratings_xlsx_bytes(workbook({{"Ratings", beyond}}), fw(), "n.xlsx"); },
                      "parse_error.ratings"),
             Catch::Contains("n.xlsx: Ratings!J2: the value 'a note' lies outside the columns of the header "
                             "(Ratings!A1 to Ratings!G1)"));
}

TEST_CASE("ratings XLSX: bad cells are all reported, up to the cap, naming sheet and cell", "[ratings_xlsx]") {
  std::string rows = text_row(1, long_header);
  // Rows 2..81: every one with an unknown role; row 2 also has a #N/A.
  for (int r = 2; r <= 81; ++r)
    rows += text_row(r, {"pm" + std::to_string(r), "mgr1", "boss", "product-delivery", "3", "2026Q1", "pm"});
  try {
    read_ratings_xlsx_bytes(workbook({{"Ratings", rows}}), fw(), "many.xlsx");
    FAIL("expected input_errors");
  } catch (const calibra::input_errors& e) {
    CHECK(e.problems().size() == calibra::input_errors::max_problems);
    CHECK(e.stopped());
    CHECK_THAT(e.problems()[0].message, Catch::Contains("many.xlsx: Ratings!C2, column 'role': unknown role 'boss'"));
    CHECK_THAT(e.problems()[1].message, Catch::Contains("many.xlsx: Ratings!C3, column 'role'"));
  }

  std::string errors = text_row(1, long_header);
  errors += row(2, {text_cell("A2", "pm01"), text_cell("B2", "mgr1"), text_cell("C2", "manager"),
                    text_cell("D2", "product-delivery"), error_cell("E2", "#N/A"), text_cell("F2", "2026Q1")});
  CHECK_THAT(error_of([&] { read_ratings_xlsx_bytes(workbook({{"Ratings", errors}}), fw(), "e.xlsx"); },
                      "parse_error.ratings"),
             Catch::Contains("e.xlsx: Ratings!E2, column 'level': the cell holds the error value #N/A"));

  // A header cell left empty between two names.
  const std::string gap = text_row(1, {"ratee", "rater", "", "role"}) + text_row(2, {"a", "b", "", "self"});
  CHECK_THAT(error_of([&] { read_ratings_xlsx_bytes(workbook({{"Ratings", gap}}), fw(), "g.xlsx"); },
                      "validation_error.ratings"),
             Catch::Contains("g.xlsx: Ratings!C1: empty column name in the header"));
  CHECK_THAT(error_of([&] { read_ratings_xlsx_bytes(workbook({{"Ratings", ""}}), fw(), "z.xlsx"); },
                      "parse_error.ratings"),
             Catch::Contains("z.xlsx: sheet Ratings is empty"));
}

TEST_CASE("read_ratings picks the XLSX reader by extension; --sheet is refused for other files", "[ratings_xlsx]") {
  const auto dir = std::filesystem::temp_directory_path() / ("calibra-ratings-xlsx-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "r.XLSX").string();
  std::ofstream(path, std::ios::binary)
      << workbook({{"Ratings", text_row(1, long_header) +
                                   text_row(2, {"pm01", "mgr1", "manager", "product-delivery", "3", "2026Q1", "pm"})}});
  CHECK(calibra::read_ratings(path, builtin()).size() == 1);
  ratings_options options;
  options.sheet = "Ratings";
  CHECK(calibra::read_ratings(path, builtin(), options).size() == 1);
  CHECK_THAT(error_of([&] { calibra::read_ratings((dir / "r.csv").string(), builtin(), options); },
                      "invalid_argument.ratings"),
             Catch::Contains("only an .xlsx ratings file has sheets"));
  std::filesystem::remove_all(dir);
}
