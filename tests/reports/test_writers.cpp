// The writers: HTML, Markdown, JSON and CSV renderings of a report, the
// injection rules, --format parsing, and write_report()'s all-or-nothing
// output.  (The XLSX content is read back by tests/reports/check_xlsx.py.)
#include <calibra/framework/builtin.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/reports/framework_report.hpp>
#include <calibra/reports/write.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace calibra::reports;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string script_name = "<script>alert(1)</script>";
const std::string formula_name = "=HYPERLINK(\"http://evil.example\",\"x\")";

/// The built-in framework with hostile text in names, definitions and metadata.
calibra::framework hostile_framework() {
  json doc = json::parse(calibra::builtin_framework_json());
  doc["metadata"]["name"] = "<b>Ladder</b> & \"co\"";
  doc["competencies"][0]["name"] = script_name;
  doc["competencies"][1]["name"] = formula_name;
  doc["competencies"][2]["name"] = "@SUM(A1:A9)";
  doc["competencies"][3]["name"] = "-2+3";
  doc["competencies"][4]["name"] = "+cmd|' /C calc'!A0";
  doc["competencies"][5]["definition"] = "Pipes | and *stars* and <img src=x onerror=alert(2)>.";
  doc["areas"][0]["name"] = "<i>area</i>";
  return calibra::parse_framework(doc.dump(), "hostile");
}

/// A fresh empty directory under the system temporary directory.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("calibra-reports-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::set<std::string> entries() const {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.insert(e.path().filename().string());
    return out;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("parse_formats reads the --format list", "[reports][write]") {
  CHECK(parse_formats("xlsx,html,md,json,csv") == formats::all());
  CHECK(parse_formats(" MD , Json ") == formats({format::markdown, format::json}));
  CHECK(parse_formats("markdown") == formats({format::markdown}));
  CHECK(parse_formats("csv,csv") == formats({format::csv}));
  CHECK(parse_formats("html").list() == std::vector<format>{format::html});
  CHECK(to_string(format::markdown) == "md");
  try {
    parse_formats("xlsx,pdf");
    FAIL("pdf accepted");
  } catch (const calibra::invalid_argument& e) {
    CHECK(e.id() == "invalid_argument.reports");
    CHECK_THAT(e.what(), Catch::Contains("unknown format 'pdf'") && Catch::Contains("xlsx, html, md, json, csv"));
  }
  CHECK_THROWS_WITH(parse_formats(""), Catch::Contains("no format given"));
  CHECK_THROWS_WITH(parse_formats(" , "), Catch::Contains("no format given"));
  CHECK_THROWS_WITH(parse_formats("xlsx,,csv"), Catch::Contains("empty name"));
}

TEST_CASE("HTML: self-contained, escaped, every section and level colour present", "[reports][write][html]") {
  const report r = framework_report(hostile_framework());
  const std::string html = to_html(r);

  // Injection shows as text.
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(lower(html).find("<script") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;img src=x onerror=alert(2)&gt;"));
  CHECK(html.find("<b>Ladder") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;b&gt;Ladder&lt;/b&gt; &amp; &quot;co&quot;"));
  CHECK(html.find("<i>area</i>") == std::string::npos);

  // No external requests: no src attributes, links only to fragments in the
  // page, no CSS imports or url(), and a policy that forbids fetching.
  CHECK(lower(html).find("src=\"") == std::string::npos);
  CHECK(lower(html).find("@import") == std::string::npos);
  CHECK(lower(html).find("url(") == std::string::npos);
  const std::regex href("href=\"([^\"]*)\"");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it, ++links)
    CHECK((*it)[1].str().rfind("#", 0) == 0);
  CHECK(links == r.sections.size());
  CHECK_THAT(html, Catch::Contains("Content-Security-Policy") && Catch::Contains("default-src 'none'"));

  for (const section& s : r.sections) CHECK_THAT(html, Catch::Contains("<section id=\"s-" + s.id + "\">"));
  for (std::size_t i = 0; i < r.levels.size(); ++i)
    CHECK_THAT(html, Catch::Contains(".lv" + std::to_string(i + 1) + " { background: " + r.levels[i].fill.hex()));
  // The stamp: version and date of the framework.
  CHECK_THAT(html, Catch::Contains("<strong class=\"version\">1.0.0</strong>"));
  CHECK_THAT(html, Catch::Contains("<time class=\"last-updated\">2026-11-22</time>"));
  // 60 target cells coloured + 5 scale cells + 5 legend swatches + gap cells...
  CHECK(count_of(html, "<td class=\"lv lv") >= 60);
  // Charts are inline SVG.
  CHECK(count_of(html, "<svg ") == 2);
  // Four quadrant separators in each of the three grouped tables, one per step in the gaps table.
  CHECK(count_of(html, "<tr class=\"group\">") == 4 * 3 + 4);
}

TEST_CASE("Markdown: escaped text, tables per section", "[reports][write][md]") {
  const report r = framework_report(hostile_framework());
  const std::string md = to_markdown(r);
  CHECK_THAT(md, Catch::Contains("\\<script\\>alert(1)\\</script\\>"));
  CHECK(md.find("<script>") == std::string::npos);
  CHECK_THAT(md, Catch::Contains("Pipes \\| and \\*stars\\*"));
  CHECK_THAT(md, Catch::Contains("## Targets") && Catch::Contains("### Expected level by career level"));
  CHECK_THAT(md, Catch::Contains("| **Tactical-internal** |"));
  CHECK_THAT(md, Catch::Contains("version **1.0.0**, last updated **2026-11-22**"));
  // Every table row has as many cells as its header.
  std::istringstream lines(md);
  std::string line;
  std::size_t header_pipes = 0;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') {
      in_table = false;
      continue;
    }
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    if (!in_table) header_pipes = pipes, in_table = true;
    CHECK(pipes == header_pipes);
  }
}

TEST_CASE("JSON: one document with flat records, levels beside the rows", "[reports][write][json]") {
  const report r = framework_report(calibra::builtin_framework());
  const auto doc = nlohmann::ordered_json::parse(to_json(r));  // keeps the key order to check it
  CHECK(doc["format"] == "calibra-report");
  CHECK(doc["format_version"] == 1);
  CHECK(doc["framework"]["name"] == "Product Manager Career Ladder");
  CHECK(doc["framework"]["version"] == "1.0.0");
  CHECK(doc["framework"]["last_updated"] == "2026-11-22");
  REQUIRE(doc["levels"].size() == 5);
  CHECK(doc["levels"][0]["fill"] == "#ffffcc");
  CHECK(doc["levels"][4]["fill"] == "#253494");
  CHECK(doc["sections"].size() == r.sections.size());

  const nlohmann::ordered_json* targets = nullptr;
  for (const auto& s : doc["sections"])
    for (const auto& t : s["tables"])
      if (t["id"] == "targets") targets = &t;
  REQUIRE(targets != nullptr);
  const auto fw = calibra::builtin_framework();
  REQUIRE((*targets)["rows"].size() == 12);
  REQUIRE((*targets)["levels"].size() == 12);
  for (std::size_t row = 0; row < 12; ++row) {
    const auto& record = (*targets)["rows"][row];
    const auto comp = std::find_if(fw.competencies().begin(), fw.competencies().end(),
                                   [&](const calibra::competency& c) { return c.name == record["competency"]; });
    REQUIRE(comp != fw.competencies().end());
    const std::string comp_id = comp->id;
    for (const auto& level : fw.ladder().career_levels()) {
      const int expected = fw.expectation(level.id, comp_id);
      CHECK((*targets)["levels"][row][level.id] == expected);
      CHECK(record[level.id] == fw.scale().at_ordinal(expected).label);
    }
  }
  // Record keys follow the column order.
  CHECK((*targets)["rows"][0].begin().key() == "quadrant");
  CHECK((*targets)["groups"].size() == 4);
  CHECK((*targets)["groups"][0]["rows"] == 3);

  const auto& gaps_chart = doc["sections"][3]["charts"][0];
  CHECK(gaps_chart["type"] == "bar");
  CHECK(gaps_chart["bars"].size() == 4);
  CHECK(doc["sections"][2]["charts"][0]["type"] == "line");
}

TEST_CASE("JSON and HTML carry the four chart kinds; non-finite values become null", "[reports][write][json]") {
  report r = begin_report(calibra::builtin_framework(), "charts");
  section s;
  s.id = "charts";
  s.title = "Charts";
  bar_chart b;
  b.id = "bars";
  b.bars = {{"a", 1.5, 2, false}, {"b", -0.5, std::nullopt, true}};
  heatmap h;
  h.id = "grid";
  h.row_labels = {"pm01", script_name};
  h.column_labels = {"Delivery", "Data"};
  h.cells = {{cell(2.4).with_level(2), cell()}, {cell(3.1).with_level(3), cell("n/a")}};
  forest_plot f;
  f.id = "severity";
  f.value_label = "severity (levels)";
  f.rows = {{"mgr1", -1.0, -1.3, -0.7, true}, {"mgr2", 0.1, -0.2, 0.4, false}};
  line_chart l;
  l.id = "drift";
  l.x_labels = {"2026Q1", "2026Q2", "2026Q3"};
  l.lines = {{"mgr1", {0.1, std::numeric_limits<double>::quiet_NaN(), 0.6}, true}};
  s.charts = {b, h, f, l};
  r.sections.push_back(s);

  const json doc = json::parse(to_json(r));
  const json& charts = doc["sections"][0]["charts"];
  REQUIRE(charts.size() == 4);
  CHECK(charts[0]["type"] == "bar");
  CHECK(charts[0]["bars"][1]["emphasis"] == true);
  CHECK(charts[1]["type"] == "heatmap");
  CHECK(charts[1]["values"][0][1].is_null());
  CHECK(charts[1]["levels"][1][0] == 3);
  CHECK(charts[2]["type"] == "forest");
  CHECK(charts[2]["rows"][0]["low"] == -1.3);
  CHECK(charts[3]["type"] == "line");
  CHECK(charts[3]["lines"][0]["values"][1].is_null());

  const std::string html = to_html(r);
  CHECK(count_of(html, "<svg ") == 4);
  CHECK(html.find("<script") == std::string::npos);
  CHECK_THAT(html, Catch::Contains("&lt;script&gt;"));
  // The missing period splits the line: one polyline before the gap, one after.
  CHECK(count_of(html, "<polyline") == 2);
}

TEST_CASE("CSV: one file per table, formula text neutralised, numbers exact", "[reports][write][csv]") {
  const report r = framework_report(hostile_framework());
  const auto files = to_csv(r);
  std::size_t tables = 0;
  for (const section& s : r.sections) tables += s.tables.size();
  REQUIRE(files.size() == tables);
  std::string competencies, profile;
  for (const auto& [id, text] : files) {
    if (id == "competencies") competencies = text;
    if (id == "quadrant-profile") profile = text;
    // No field may start with a formula trigger: check every field start.
    std::size_t field_start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i == field_start) {
        std::size_t k = i;
        if (k < text.size() && text[k] == '"') ++k;
        if (k < text.size()) {
          INFO("table " << id << " at byte " << i);
          CHECK(std::string("=+-@\t\r").find(text[k]) == std::string::npos);
        }
      }
      if (i == text.size()) break;
      if (text[i] == '"') quoted = !quoted;
      if (!quoted && (text[i] == ',' || text[i] == '\n')) field_start = i + 1;
    }
  }
  CHECK_THAT(competencies, Catch::Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\""));
  CHECK_THAT(competencies, Catch::Contains("\"'@SUM(A1:A9)\""));
  CHECK_THAT(competencies, Catch::Contains("\"'-2+3\""));
  CHECK_THAT(competencies, Catch::Contains(script_name));  // CSV is not HTML: text stays as written
  // Header row of titles; numbers in shortest exact form (2/3 keeps its digits).
  CHECK(profile.rfind("Career level,Tactical-internal,Tactical-external,Strategic-internal,Strategic-external\n", 0) == 0);
  CHECK_THAT(profile, Catch::Contains("Associate Product Manager,2,2,1.3333333333333333,1\n"));
}

TEST_CASE("write_report writes every format and names the files", "[reports][write]") {
  temp_dir dir;
  const report r = framework_report(calibra::builtin_framework());
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  write_options options;
  options.progress = [&](std::size_t done, std::size_t total, std::string_view) { calls.emplace_back(done, total); };
  const auto out = (dir.path / "nested" / "deeper").string();
  const auto written = write_report(r, out, formats::all(), options);
  REQUIRE(written.size() == 4 + to_csv(r).size());
  CHECK(fs::path(written[0]).filename() == "report.xlsx");
  CHECK(fs::path(written[1]).filename() == "report.html");
  CHECK(fs::path(written[2]).filename() == "report.md");
  CHECK(fs::path(written[3]).filename() == "report.json");
  CHECK(fs::path(written[4]).filename() == "report-scale.csv");
  for (const auto& f : written) CHECK(fs::file_size(f) > 0);
  CHECK(slurp(written[0]).rfind("PK\x03\x04", 0) == 0);  // a ZIP container
  CHECK(slurp(written[1]) == to_html(r));
  CHECK(slurp(written[3]) == to_json(r));
  // No temporaries remain.
  for (const auto& e : fs::directory_iterator(out)) CHECK(e.path().filename().string()[0] != '.');
  // Progress: monotone, ends at total (5 formats + the final rename).
  REQUIRE(!calls.empty());
  CHECK(calls.back() == std::make_pair(std::size_t{6}, std::size_t{6}));
  CHECK(std::is_sorted(calls.begin(), calls.end()));

  write_options named;
  named.basename = "ladder-2026";
  const auto just_md = write_report(r, dir.path.string(), parse_formats("md"), named);
  REQUIRE(just_md.size() == 1);
  CHECK(fs::path(just_md[0]).filename() == "ladder-2026.md");
}

TEST_CASE("write_report is all-or-nothing", "[reports][write]") {
  const report r = framework_report(calibra::builtin_framework());

  SECTION("a blocked target fails before anything is replaced") {
    temp_dir dir;
    write_report(r, dir.path.string(), formats::all());
    const std::string old_html = slurp(dir.path / "report.html");
    const auto before = dir.entries();
    fs::remove(dir.path / "report.md");
    fs::create_directory(dir.path / "report.md");  // a directory where a file must go

    report changed = r;
    changed.title = "Changed title";
    try {
      write_report(changed, dir.path.string(), formats::all());
      FAIL("write_report succeeded over a directory");
    } catch (const calibra::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains("report.md") && Catch::Contains("is a directory"));
    }
    CHECK(slurp(dir.path / "report.html") == old_html);  // the earlier report set is untouched
    CHECK(dir.entries() == before);                        // and no temporaries are left
  }

  SECTION("an output directory that is a file") {
    temp_dir dir;
    std::ofstream(dir.path / "plain") << "x";
    CHECK_THROWS_WITH(write_report(r, (dir.path / "plain").string(), formats::all()),
                      Catch::Contains("plain") && Catch::Contains("not a directory"));
    CHECK_THROWS_WITH(write_report(r, (dir.path / "plain" / "sub").string(), formats::all()),
                      Catch::Contains("cannot create the output directory"));
    CHECK(dir.entries() == std::set<std::string>{"plain"});
  }

  SECTION("a failure after creating the directory removes it again") {
    temp_dir dir;
    write_options options;
    options.basename = std::string(300, 'a');  // longer than a file name may be
    CHECK_THROWS_AS(write_report(r, (dir.path / "new" / "dirs").string(), formats::all(), options),
                    calibra::invalid_argument);
    CHECK(dir.entries().empty());
  }

  SECTION("bad requests are refused before any output") {
    temp_dir dir;
    CHECK_THROWS_WITH(write_report(r, (dir.path / "out").string(), formats()), Catch::Contains("no output format"));
    write_options options;
    options.basename = "../escape";
    CHECK_THROWS_WITH(write_report(r, (dir.path / "out").string(), formats::all(), options),
                      Catch::Contains("plain file name"));
    report broken = r;
    broken.sections[1].tables[0].rows[0].pop_back();
    CHECK_THROWS_WITH(write_report(broken, (dir.path / "out").string(), formats::all()),
                      Catch::Contains("table 'anchors', row 1"));
    CHECK(dir.entries().empty());
  }

  SECTION("write_xlsx alone is atomic too") {
    temp_dir dir;
    CHECK_THROWS_WITH(write_xlsx(r, (dir.path / "missing" / "r.xlsx").string()), Catch::Contains("r.xlsx"));
    fs::create_directory(dir.path / "r.xlsx");
    CHECK_THROWS_WITH(write_xlsx(r, (dir.path / "r.xlsx").string()), Catch::Contains("is a directory"));
    CHECK(dir.entries() == std::set<std::string>{"r.xlsx"});
  }
}
