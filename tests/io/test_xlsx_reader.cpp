// The XLSX reader (src/io/xlsx_reader.hpp): cell references, what it reads
// from hand-written parts, and every limit, on workbooks assembled here with
// minizip so that each holds exactly what the test needs.
#include "../../src/io/xlsx_reader.hpp"

#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include "../support/xlsx_parts.hpp"

#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace xl = calibra::detail::xlsx;

namespace {

using calibra_test::xlsx::parts;
using calibra_test::xlsx::zip_of;

const char* const main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

std::string worksheet(const std::string& rows) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"") + main_ns + "\"><sheetData>" +
         rows + "</sheetData></worksheet>";
}

/// A workbook of named sheets (name, sheet XML) plus optional shared strings.
parts workbook_parts(const std::vector<std::pair<std::string, std::string>>& sheets, const std::string& shared = {}) {
  std::string book = std::string("<?xml version=\"1.0\"?><workbook xmlns=\"") + main_ns +
                     "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
  std::string rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  parts out;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    // Parts are numbered backwards, so the tab order must come from workbook.xml.
    const std::string part = "sheet" + std::to_string(sheets.size() - i) + ".xml";
    book += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + std::to_string(i + 1) + "\" r:id=\"rId" +
            std::to_string(i + 1) + "\"/>";
    rels += "<Relationship Id=\"rId" + std::to_string(i + 1) +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/" +
            part + "\"/>";
    out.emplace_back("xl/worksheets/" + part, sheets[i].second);
  }
  if (!shared.empty()) {
    rels += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "sharedStrings\" Target=\"sharedStrings.xml\"/>";
    out.emplace_back("xl/sharedStrings.xml", shared);
  }
  out.emplace_back("xl/workbook.xml", book + "</sheets></workbook>");
  out.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  return out;
}

std::string message_of(const std::string& bytes, const xl::limits& caps = {}) {
  try {
    (void)xl::read_workbook(bytes, "book.xlsx", caps);
  } catch (const calibra::parse_error& e) {
    CHECK(e.id() == "parse_error.xlsx");
    return e.what();
  }
  FAIL("the workbook was read");
  return {};
}

}  // namespace

TEST_CASE("xlsx: A1 references", "[xlsx]") {
  CHECK(xl::cell_ref(6, 3) == "D7");
  CHECK(xl::cell_ref(0, 25) == "Z1");
  CHECK(xl::cell_ref(0, 26) == "AA1");
  CHECK(xl::cell_ref(1048575, 16383) == "XFD1048576");
  const auto d7 = xl::parse_cell_ref("D7");
  REQUIRE(d7);
  CHECK(d7->row == 6);
  CHECK(d7->column == 3);
  const auto last = xl::parse_cell_ref("XFD1048576");
  REQUIRE(last);
  CHECK(last->row == 1048575);
  CHECK(last->column == 16383);
  for (const char* bad : {"", "A", "7", "A0", "a1", "$A$1", "XFE1", "A1048577", "AAAA1", "A01", "A1 ", "D7:E8"}) {
    INFO(bad);
    CHECK_FALSE(xl::parse_cell_ref(bad));
  }
  CHECK(xl::sheet_label("Targets") == "Targets");
  CHECK(xl::sheet_label("Career levels") == "'Career levels'");
  CHECK(xl::sheet_label("It's") == "'It''s'");
}

TEST_CASE("xlsx: sheets in tab order with shared, rich, inline, number, boolean, error and formula cells", "[xlsx]") {
  const std::string shared =
      std::string("<?xml version=\"1.0\"?><sst xmlns=\"") + main_ns +
      "\"><si><t>plain</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh><t>PHONETIC</t></rPh></si>"
      "<si><t xml:space=\"preserve\"> spaced &amp; &lt;escaped&gt; </t></si></sst>";
  const std::string first = worksheet(
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>inline</t></is></c><c r=\"D3\"><v>-0.25</v></c>"
      "<c r=\"E3\" t=\"b\"><v>1</v></c><c r=\"F3\" t=\"e\"><v>#N/A</v></c>"
      "<c r=\"G3\" t=\"str\"><f>A1&amp;\"x\"</f><v>plainx</v></c><c r=\"H3\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"4\"><c><v>1</v></c><c><v>2</v></c><c r=\"E4\" t=\"inlineStr\"><is><t></t></is></c></row>");
  const std::string second = worksheet("<row r=\"2\"><c r=\"B2\"><v>42</v></c></row>");
  const auto book = xl::read_workbook(zip_of(workbook_parts({{"Targets", first}, {"Career levels", second}}, shared)),
                                      "book.xlsx");
  REQUIRE(book.sheets.size() == 2);
  CHECK(book.sheets[0].name == "Targets");
  CHECK(book.sheets[1].name == "Career levels");
  const xl::sheet& s = *book.find("Targets");
  CHECK(s.rows == 4);
  CHECK(s.columns == 8);
  CHECK(s.at(0, 0)->text == "plain");
  CHECK(s.at(0, 2)->text == "rich text");
  CHECK(s.at(0, 1) == nullptr);
  CHECK(s.at(2, 1)->text == "inline");
  CHECK(s.at(2, 3)->kind == xl::cell_kind::number);
  CHECK(s.at(2, 3)->number == -0.25);
  CHECK(s.at(2, 4)->kind == xl::cell_kind::boolean);
  CHECK(s.at(2, 4)->number == 1);
  CHECK(s.at(2, 5)->kind == xl::cell_kind::error);
  CHECK(s.at(2, 5)->text == "#N/A");
  CHECK(s.at(2, 6)->text == "plainx");
  CHECK(s.at(2, 7)->text == " spaced & <escaped> ");
  // Cells without a reference follow each other from column A.
  CHECK(s.at(3, 0)->number == 1);
  CHECK(s.at(3, 1)->number == 2);
  CHECK(s.at(3, 4) == nullptr);  // an empty string is an empty cell
  CHECK(s.at(2, 3)->ref() == "D3");
  CHECK(s.where(2, 3) == "Targets!D3");
  CHECK(book.sheets[1].where(1, 1) == "'Career levels'!B2");
  CHECK(book.sheets[1].at(1, 1)->number == 42);
  CHECK(book.find("Nope") == nullptr);
}

TEST_CASE("xlsx: broken containers and parts are refused with the file and the place", "[xlsx]") {
  CHECK_THAT(message_of(""), Catch::Contains("book.xlsx: the file is empty"));
  CHECK_THAT(message_of("ratee,rater\n"), Catch::Contains("not an XLSX workbook"));
  const std::string good = zip_of(workbook_parts({{"S", worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")}}));
  CHECK(xl::read_workbook(good, "book.xlsx").sheets.size() == 1);
  CHECK_THAT(message_of(good.substr(0, good.size() / 2)), Catch::Contains("not a readable ZIP archive"));
  CHECK_THAT(message_of(zip_of({{"notes.txt", "hello"}})), Catch::Contains("no workbook part"));

  // A stored part with one byte changed fails its CRC.
  std::string stored = zip_of(workbook_parts({{"S", worksheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>")}}), true);
  const auto at = stored.find("<v>1</v>");
  REQUIRE(at != std::string::npos);
  stored[at + 3] = '2';
  CHECK_THAT(message_of(stored), Catch::Contains("fails its CRC check"));

  auto sheet_message = [](const std::string& rows) {
    return message_of(zip_of(workbook_parts({{"S", worksheet(rows)}})));
  };
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>"),
             Catch::Contains("book.xlsx: sheet 'S': cell reference 'A0' is not an A1 reference"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"B2\"><v>1</v></c></row>"), Catch::Contains("cell B2 is inside row 1"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>1</v></c></row>"),
             Catch::Contains("S!A1 comes twice or out of order"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row>"),
             Catch::Contains("book.xlsx: S!A1: shared string 7 does not exist (the workbook has 0)"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"C1\"><v>1,5</v></c></row>"), Catch::Contains("S!C1: '1,5' is not a number"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"C1\" t=\"b\"><v>yes</v></c></row>"),
             Catch::Contains("S!C1: boolean value 'yes' is neither 0 nor 1"));
  CHECK_THAT(sheet_message("<row r=\"1\"><c r=\"A1\"><v>1</v></c>"), Catch::Contains("invalid XML"));

  parts missing = workbook_parts({{"S", worksheet("")}});
  missing.erase(missing.begin());  // the sheet's part
  CHECK_THAT(message_of(zip_of(missing)), Catch::Contains("sheet 'S' is missing its part 'xl/worksheets/sheet1.xml'"));
}

TEST_CASE("xlsx: hostile workbooks stop at their limit", "[xlsx]") {
  xl::limits caps;
  SECTION("entries") {
    caps.max_entries = 3;
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet("")}, {"T", worksheet("")}})), caps),
               Catch::Contains("entries; the limit is 3"));
  }
  SECTION("one part's inflated size, declared") {
    caps.max_entry_bytes = 1000;
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(std::string(2000, ' '))}})), caps),
               Catch::Contains("part 'xl/worksheets/sheet1.xml' inflates to") && Catch::Contains("the limit is 1000"));
  }
  SECTION("all parts together") {
    caps.max_total_bytes = 3000;
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(std::string(2000, ' '))},
                                                 {"T", worksheet(std::string(2000, ' '))}})),
                          caps),
               Catch::Contains("more than 3000 bytes in all"));
  }
  SECTION("inflation ratio (zip bomb)") {
    // 8 MiB of spaces deflate to about 8 KiB: a ratio near 1000.
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(std::string(std::size_t{8} << 20, ' '))}}))),
               Catch::Contains("inflates more than 100 times its compressed size") && Catch::Contains("zip bomb"));
    // The same part stored, ratio 1, reads.
    CHECK(xl::read_workbook(zip_of(workbook_parts({{"S", worksheet(std::string(std::size_t{2} << 20, ' '))}}), true),
                            "book.xlsx")
              .sheets.size() == 1);
  }
  SECTION("nesting depth") {
    std::string deep;
    for (int i = 0; i < 100; ++i) deep += "<x>";
    for (int i = 0; i < 100; ++i) deep += "</x>";
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(deep)}}))), Catch::Contains("nested deeper than 64"));
  }
  SECTION("document type declarations and entities") {
    const std::string laughs =
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>";
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", laughs}}))), Catch::Contains("document type declaration"));
  }
  SECTION("cells") {
    caps.max_cells = 5;
    std::string rows;
    for (int r = 1; r <= 6; ++r) rows += "<row r=\"" + std::to_string(r) + "\"><c><v>1</v></c></row>";
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(rows)}})), caps),
               Catch::Contains("more than 5 cells with a value"));
  }
  SECTION("shared strings") {
    caps.max_shared_strings = 2;
    const std::string sst = std::string("<sst xmlns=\"") + main_ns + "\"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>";
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet("")}}, sst)), caps),
               Catch::Contains("more than 2 shared strings"));
  }
  SECTION("text held by the cells: one long shared string referenced many times") {
    caps.max_text_bytes = 100000;
    const std::string sst = std::string("<sst xmlns=\"") + main_ns + "\"><si><t>" + std::string(10000, 'x') + "</t></si></sst>";
    std::string rows;
    for (int r = 1; r <= 20; ++r) rows += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c></row>";
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet(rows)}}, sst)), caps),
               Catch::Contains("more than 100000 bytes of text"));
  }
  SECTION("the file itself") {
    caps.max_file_bytes = 100;
    CHECK_THAT(message_of(zip_of(workbook_parts({{"S", worksheet("")}})), caps), Catch::Contains("larger than the"));
  }
}
