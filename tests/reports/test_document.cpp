// The report document model: cells, tables, validation, colours.
#include <calibra/reports/document.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace calibra::reports;

namespace {

report small_report() {
  report r;
  r.title = "t";
  for (const auto& c : level_palette(3)) r.levels.push_back({"l", "L", "", c, readable_text_on(c)});
  section s;
  s.id = "main";
  s.title = "Main";
  table t("numbers", "Numbers", {column("name", "Name"), column("value", "Value", column_kind::number)});
  t.add_row({"a", 1.5});
  s.tables.push_back(t);
  r.sections.push_back(s);
  return r;
}

}  // namespace

TEST_CASE("cells hold nothing, text or a finite number", "[reports][document]") {
  CHECK(cell().empty());
  CHECK(*cell("abc").text() == "abc");
  CHECK(*cell(std::string("x")).text() == "x");
  CHECK(*cell(3).number() == 3.0);
  CHECK(*cell(std::size_t{7}).number() == 7.0);
  CHECK(*cell(2.5f).number() == 2.5);
  // Not-a-number and infinities are "no value", never a number to format.
  CHECK(cell(std::numeric_limits<double>::quiet_NaN()).empty());
  CHECK(cell(std::numeric_limits<double>::infinity()).empty());
  CHECK(cell(std::optional<double>()).empty());
  CHECK(*cell(std::optional<int>(4)).number() == 4.0);

  const cell level = cell::of_level(3, "Proficient");
  CHECK(*level.text() == "Proficient");
  CHECK(level.level == 3);
  CHECK_FALSE(level.emphasis);
  CHECK(cell("x").emphasised().emphasis);
  CHECK(cell(1.0).with_level(2).level == 2);
}

TEST_CASE("tables check row widths and find cells by column id", "[reports][document]") {
  table t("t", "T", {column("a", "A"), column("b", "B", column_kind::integer)});
  t.begin_group("first");
  t.add_row({"x", 1});
  t.add_row({"y", 2});
  t.begin_group("second");
  t.add_row({"z", 3});
  CHECK(*t.at(2, "a").text() == "z");
  CHECK(*t.at(1, "b").number() == 2.0);
  CHECK(t.group_of(1)->title == "first");
  CHECK(t.group_of(2)->title == "second");
  CHECK_THROWS_AS(t.at(0, "nope"), calibra::invalid_argument);
  CHECK_THROWS_AS(t.at(9, "a"), calibra::invalid_argument);
  try {
    t.add_row({"only one"});
    FAIL("a short row was accepted");
  } catch (const calibra::invalid_argument& e) {
    CHECK(e.id() == "invalid_argument.reports");
    CHECK_THAT(e.what(), Catch::Contains("table 't'") && Catch::Contains("row 4") && Catch::Contains("expected 2"));
  }
}

TEST_CASE("validate() rejects inconsistent documents, naming the place", "[reports][document]") {
  CHECK_NOTHROW(validate(small_report()));

  auto expect_error = [](const report& r, const std::string& fragment) {
    try {
      validate(r);
      FAIL("validate accepted a document that should fail with: " + fragment);
    } catch (const calibra::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains(fragment));
    }
  };

  report r = small_report();
  r.sections.push_back(r.sections[0]);
  expect_error(r, "duplicate section id");

  r = small_report();
  r.sections[0].id = "Has Spaces";
  expect_error(r, "section 'Has Spaces'");

  r = small_report();
  r.sections[0].tables.push_back(r.sections[0].tables[0]);
  expect_error(r, "duplicate table id");

  r = small_report();
  r.sections[0].tables[0].id = "../escape";
  expect_error(r, "table '../escape'");

  r = small_report();
  r.sections[0].tables[0].rows[0][1].level = 4;  // the scale has 3 levels
  expect_error(r, "level ordinal 4 is outside the report's scale 1..3");

  r = small_report();
  r.sections[0].tables[0].rows[0].pop_back();
  expect_error(r, "row 1");

  r = small_report();
  r.sections[0].tables[0].groups = {{"b", 1}, {"a", 0}};
  expect_error(r, "ascending");

  r = small_report();
  r.sections[0].tables[0].frozen_columns = 3;
  expect_error(r, "frozen");

  r = small_report();
  line_chart line;
  line.id = "drift";
  line.x_labels = {"2026Q1", "2026Q2"};
  line.lines = {{"mgr1", {1.0}, false}};
  r.sections[0].charts.emplace_back(line);
  expect_error(r, "series 'mgr1'");

  r = small_report();
  forest_plot forest;
  forest.id = "severity";
  forest.rows = {{"mgr1", 0.0, 1.0, -1.0, false}};
  r.sections[0].charts.emplace_back(forest);
  expect_error(r, "low end is above its high end");

  r = small_report();
  heatmap grid;
  grid.id = "grid";
  grid.row_labels = {"a"};
  grid.column_labels = {"x", "y"};
  grid.cells = {{cell(1.0)}};
  r.sections[0].charts.emplace_back(grid);
  expect_error(r, "one cell per column label");
}

TEST_CASE("the level palette is ColorBrewer YlGnBu", "[reports][document]") {
  // Expected values: R, RColorBrewer::brewer.pal(n, "YlGnBu") for n = 3..7.
  const std::vector<std::vector<std::string>> brewer{
      {"#edf8b1", "#7fcdbb", "#2c7fb8"},
      {"#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"},
      {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"},
      {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"},
      {"#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"}};
  for (std::size_t n = 3; n <= 7; ++n) {
    const auto palette = level_palette(n);
    REQUIRE(palette.size() == n);
    for (std::size_t i = 0; i < n; ++i) CHECK(palette[i].hex() == brewer[n - 3][i]);
  }
  // Outside 3..7 the ramp is sampled, first and last stops included, still light to dark.
  const auto two = level_palette(2);
  REQUIRE(two.size() == 2);
  CHECK(two.front().hex() == "#ffffcc");
  CHECK(two.back().hex() == "#0c2c84");
  CHECK(level_palette(0).empty());
  CHECK(level_palette(9).size() == 9);
}

TEST_CASE("text on level colours stays readable", "[reports][document]") {
  // WCAG 2 contrast ratios: black on white is 21:1; #777777 on white is
  // 4.48:1 (the WebAIM contrast checker's published value).
  CHECK(contrast_ratio({0, 0, 0}, {255, 255, 255}) == Approx(21.0));
  CHECK(contrast_ratio({0x77, 0x77, 0x77}, {255, 255, 255}) == Approx(4.48).margin(0.005));
  for (std::size_t n = 3; n <= 7; ++n)
    for (const rgb fill : level_palette(n)) CHECK(contrast_ratio(fill, readable_text_on(fill)) >= 4.5);
  CHECK(readable_text_on({0xff, 0xff, 0xcc}).hex() == "#000000");
  CHECK(readable_text_on({0x2c, 0x7f, 0xb8}).hex() == "#000000");
  CHECK(readable_text_on({0x25, 0x34, 0x94}).hex() == "#ffffff");
  CHECK(rgb{0x12, 0xab, 0xef}.packed() == 0x12abefu);
}
