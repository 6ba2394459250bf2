// Feedback log CSV reader: what it accepts (quoting, CRLF, BOM, any column
// order, optional columns) and a located error for each malformed input.
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/feedback.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

using namespace calibra;
using Catch::Matchers::Contains;

namespace {

const framework& fw() {
  static const framework f = builtin_framework();
  return f;
}

calibration::feedback_log read(const std::string& text, const feedback_read_options& o = {}) {
  return read_feedback_csv_text(text, fw(), "f.csv", o);
}

/// The message of the error reading `text` throws, checked to be of type E.
template <typename E>
std::string error_of(const std::string& text, const feedback_read_options& o = {}) {
  try {
    read(text, o);
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("wrong exception type: " << e.what());
  }
  FAIL("no exception for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("feedback csv: a well-formed file", "[feedback_csv]") {
  const std::string text =
      "ratee,date,competency,kind,source,note\n"
      "pm07,2026-02-11,product-delivery,growth,mgr1,\"Release slipped a week, risk known early\"\n"
      "pm07,2026-05-03,product-delivery,,,Scope cut without telling design\n"
      "pm12,2026-08-30,managing-up,strength,\"Lee, eng lead\",\"Said \"\"no\"\" to a bad deadline\nwith options\"\n";
  const calibration::feedback_log log = read(text);
  REQUIRE(log.size() == 3);
  const auto& first = log.items()[0];
  CHECK(first.ratee == "pm07");
  CHECK(first.date == calibration::calendar_date{2026, 2, 11});
  CHECK(first.competency == *fw().competency_index("product-delivery"));
  CHECK(first.kind == calibration::feedback_kind::growth);
  CHECK(first.source == "mgr1");
  CHECK(first.note == "Release slipped a week, risk known early");
  CHECK(first.source_row == 2);
  CHECK_FALSE(log.items()[1].kind.has_value());
  CHECK(log.items()[1].source.empty());
  const auto& third = log.items()[2];
  CHECK(third.source == "Lee, eng lead");
  CHECK(third.note == "Said \"no\" to a bad deadline\nwith options");
  CHECK(third.source_row == 4);
  CHECK(log.source() == "f.csv");
}

TEST_CASE("feedback csv: column order, optional columns, CRLF and a BOM", "[feedback_csv]") {
  const calibration::feedback_log log = read(
      "\xEF\xBB\xBF"
      "note,competency,ratee,date\r\n"
      "\"Clear spec, \"\"testable\"\" criteria\",functional-specification,pm01,2026-01-05\r\n"
      "\r\n"
      "  Good readout  ,fluency-with-data,pm02,2026-12-31\r\n");
  REQUIRE(log.size() == 2);
  CHECK(log.items()[0].note == "Clear spec, \"testable\" criteria");
  CHECK(log.items()[1].note == "Good readout");  // surrounding spaces trimmed
  CHECK(log.items()[1].source_row == 4);         // the empty line counts as a line
  CHECK(log.items()[1].date.quarter() == 4);
}

TEST_CASE("feedback csv: malformed input names the file, row and column", "[feedback_csv][errors]") {
  const std::string header = "ratee,date,competency,kind,source,note\n";
  CHECK_THAT(error_of<parse_error>(""), Contains("f.csv: the file is empty"));
  CHECK_THAT(error_of<parse_error>(header), Contains("f.csv: row 1: there is a header but no feedback items"));
  CHECK_THAT(error_of<validation_error>("ratee,date,note\npm01,2026-01-01,x\n"),
             Contains("row 1: missing required column 'competency'"));
  CHECK_THAT(error_of<validation_error>("ratee,date,competency,note,mood\n"),
             Contains("row 1, column 'mood': unknown column"));
  CHECK_THAT(error_of<validation_error>("ratee,date,competency,note,ratee\n"),
             Contains("the column appears twice (columns 1 and 5)"));
  CHECK_THAT(error_of<validation_error>("ratee,,competency,note\n"), Contains("row 1, column 2: empty column name"));
  // Ragged rows.
  CHECK_THAT(error_of<parse_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,ok,extra\n"),
             Contains("row 2, column 7: the row has more cells than the 6 columns"));
  CHECK_THAT(error_of<parse_error>(header + "pm01,2026-01-01,product-delivery\n"),
             Contains("row 2, column 'kind': the row has 3 cells, the header has 6"));
  // Values.
  CHECK_THAT(error_of<validation_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,ok\n"
                                                 "pm01,2026-02-30,product-delivery,growth,mgr1,ok\n"),
             Contains("f.csv: row 3, column 'date': '2026-02-30' is not a calendar date; expected YYYY-MM-DD"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,14/03/2026,product-delivery,,,ok\n"),
             Contains("row 2, column 'date': '14/03/2026' is not a calendar date"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,,product-delivery,,,ok\n"),
             Contains("row 2, column 'date': empty cell"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,2026-01-01,Product Delivery,,,ok\n"),
             Contains("row 2, column 'competency': unknown competency 'Product Delivery' ('Product Delivery' is "
                      "the name of competency 'product-delivery'; use its id)"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,2026-01-01,delivery,,,ok\n"),
             Contains("expected one of functional-specification, product-delivery"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,2026-01-01,product-delivery,praise,,ok\n"),
             Contains("row 2, column 'kind': unknown kind 'praise'; expected strength or growth"));
  CHECK_THAT(error_of<validation_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,   \n"),
             Contains("row 2, column 'note': empty note"));
  CHECK_THAT(error_of<validation_error>(header + ",2026-01-01,product-delivery,growth,mgr1,ok\n"),
             Contains("row 2, column 'ratee': empty cell"));
  // Bytes.
  CHECK_THAT(error_of<parse_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,caf\xE9\n"),
             Contains("row 2, column 'note': invalid UTF-8"));
  CHECK_THAT(error_of<parse_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,\"open\n"),
             Contains("row 2, column 'note': a quoted cell is never closed"));
  CHECK_THAT(error_of<parse_error>(header + "pm01,2026-01-01,product-delivery,growth,mgr1,say \"hi\"\n"),
             Contains("a double quote inside an unquoted cell"));
}

TEST_CASE("feedback csv: unknown columns can be ignored; files are read by path", "[feedback_csv]") {
  feedback_read_options o;
  o.ignore_unknown_columns = true;
  const calibration::feedback_log log = read("ratee,mood,date,competency,note\npm01,happy,2026-01-01,managing-up,ok\n", o);
  REQUIRE(log.size() == 1);
  CHECK(log.items()[0].note == "ok");

  const std::string path = "calibra_test_feedback_read.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "ratee,date,competency,note\npm01,2026-01-01,managing-up,ok\n";
  }
  const calibration::feedback_log from_file = read_feedback_csv(path, fw());
  CHECK(from_file.size() == 1);
  CHECK(from_file.source() == path);
  std::remove(path.c_str());
  CHECK_THROWS_WITH(read_feedback_csv("no/such/feedback.csv", fw()), Contains("no/such/feedback.csv: cannot open file"));
  CHECK_THROWS_AS(read_feedback_csv("no/such/feedback.csv", fw()), parse_error);
}

TEST_CASE("feedback csv: every problem of the file in one run", "[feedback_csv][errors]") {
  const std::string text = "ratee,date,competency,kind,source,note\n"
                           "pm01,2026-02-30,product-delivery,growth,mgr1,ok\n"
                           "pm01,2026-03-01,Vision,growth,mgr1,ok\n"
                           "pm01,2026-03-02,product-delivery\n"
                           "pm02,2026-03-03,product-delivery,praise,mgr1,ok\n"
                           "pm02,2026-03-04,product-delivery,growth,mgr1,ok\n";
  try {
    read(text);
    FAIL("no exception");
  } catch (const calibra::input_errors& e) {
    REQUIRE(e.problems().size() == 4);
    CHECK(e.problems()[0].row == 2);
    CHECK(e.problems()[0].column == "date");
    CHECK(e.problems()[1].column == "competency");
    CHECK(e.problems()[2].row == 4);
    CHECK(e.problems()[3].column == "kind");
    CHECK_THAT(e.full_message(), Contains("f.csv: 4 problems"));
  }
  // Several missing columns are named together.
  try {
    read("ratee,note\npm01,x\n");
    FAIL("no exception");
  } catch (const calibra::input_errors& e) {
    CHECK(e.problems().size() == 2);
  }
}
