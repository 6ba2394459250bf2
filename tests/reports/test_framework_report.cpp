// The framework sections of a report, checked against the framework file
// itself: the expected cells are read straight from the JSON with
// nlohmann::json, not from calibra's framework model.
#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/reports/framework_report.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace calibra::reports;
using nlohmann::json;

namespace {

json read_json(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return json::parse(in);
}

json builtin_file() { return read_json(std::string(CALIBRA_SOURCE_DIR) + "/data/frameworks/product-manager.json"); }

std::string example(const std::string& name) { return std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name; }

/// 1-based ordinal of a level id in the file's scale.
int ordinal_in(const json& file, const std::string& level_id) {
  const auto& levels = file["scale"];
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (levels[i]["id"] == level_id) return static_cast<int>(i + 1);
  FAIL("unknown level " << level_id);
  return 0;
}

std::string label_in(const json& file, int ordinal) {
  return file["scale"][static_cast<std::size_t>(ordinal - 1)]["label"];
}

const section& find(const report& r, const std::string& id) {
  const section* s = r.find_section(id);
  REQUIRE(s != nullptr);
  return *s;
}

const table& find_table(const report& r, const std::string& id) {
  const table* t = r.find_table(id);
  REQUIRE(t != nullptr);
  return *t;
}

/// Row index of a competency (by display name) in a table with a "competency" column.
std::size_t row_of(const table& t, const std::string& name) {
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    if (*t.at(r, "competency").text() == name) return r;
  FAIL("no row for " << name << " in table " << t.id);
  return 0;
}

const std::vector<std::string> quadrant_order{"tactical-internal", "tactical-external", "strategic-internal",
                                              "strategic-external"};

}  // namespace

TEST_CASE("framework report: sections, stamp and level scale", "[reports][framework]") {
  const json file = builtin_file();
  const report r = framework_report(calibra::builtin_framework());
  CHECK_NOTHROW(validate(r));
  std::vector<std::string> ids;
  for (const section& s : r.sections) ids.push_back(s.id);
  CHECK(ids == std::vector<std::string>{"overview", "anchors", "targets", "promotion-gaps", "checks"});
  CHECK(r.title == file["metadata"]["name"].get<std::string>() + ": competency matrix");
  CHECK(r.framework.name == file["metadata"]["name"]);
  CHECK(r.framework.version == file["metadata"]["version"]);
  CHECK(r.framework.last_updated == file["metadata"]["last_updated"]);
  REQUIRE(r.levels.size() == file["scale"].size());
  for (std::size_t i = 0; i < r.levels.size(); ++i) {
    CHECK(r.levels[i].id == file["scale"][i]["id"]);
    CHECK(r.levels[i].label == file["scale"][i]["label"]);
  }
  CHECK(r.generator.rfind("calibra ", 0) == 0);

  framework_report_options options;
  options.title = "Ladder review";
  CHECK(framework_report(calibra::builtin_framework(), options).title == "Ladder review");
}

TEST_CASE("framework report: targets reproduce the expectation matrix", "[reports][framework]") {
  const json file = builtin_file();
  const report r = framework_report(calibra::builtin_framework());
  const table& t = find_table(r, "targets");

  // Columns: quadrant, competency, then the career levels in file order.
  REQUIRE(t.columns.size() == 2 + file["career_levels"].size());
  CHECK(t.columns[0].group_key);
  CHECK(t.frozen_columns == 2);
  for (std::size_t l = 0; l < file["career_levels"].size(); ++l) {
    CHECK(t.columns[2 + l].id == file["career_levels"][l]["id"]);
    CHECK(t.columns[2 + l].title == file["career_levels"][l]["name"]);
    CHECK(t.columns[2 + l].kind == column_kind::level);
  }

  // One row per competency; every cell is the file's expectation, as label
  // and as colour ordinal.
  REQUIRE(t.rows.size() == file["competencies"].size());
  std::size_t cells = 0;
  for (const json& comp : file["competencies"]) {
    const std::size_t row = row_of(t, comp["name"]);
    std::string quadrant_title = comp["quadrant"];
    quadrant_title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(quadrant_title[0])));
    CHECK(*t.at(row, "quadrant").text() == quadrant_title);
    for (const json& level : file["career_levels"]) {
      const std::string expected_id = file["expectations"][level["id"].get<std::string>()][comp["id"].get<std::string>()];
      const int expected = ordinal_in(file, expected_id);
      const cell& c = t.at(row, level["id"].get<std::string>());
      CHECK(c.level == expected);
      CHECK(*c.text() == label_in(file, expected));
      CHECK_FALSE(c.emphasis);
      ++cells;
    }
  }
  CHECK(cells == 60);

  // Rows grouped by quadrant in the fixed order, each group holding exactly
  // the file's competencies of that quadrant.
  REQUIRE(t.groups.size() == 4);
  for (std::size_t g = 0; g < 4; ++g) {
    std::set<std::string> expected, got;
    for (const json& comp : file["competencies"])
      if (comp["quadrant"] == quadrant_order[g]) expected.insert(comp["name"].get<std::string>());
    const std::size_t end = g + 1 < 4 ? t.groups[g + 1].first_row : t.rows.size();
    for (std::size_t row = t.groups[g].first_row; row < end; ++row) {
      got.insert(*t.at(row, "competency").text());
      CHECK(*t.at(row, "quadrant").text() == t.groups[g].title);
    }
    CHECK(got == expected);
  }

  // Quadrant profile: the mean of the file's ordinals per quadrant.
  const table& profile = find_table(r, "quadrant-profile");
  REQUIRE(profile.rows.size() == file["career_levels"].size());
  for (std::size_t l = 0; l < file["career_levels"].size(); ++l) {
    const std::string level_id = file["career_levels"][l]["id"];
    for (const std::string& q : quadrant_order) {
      double sum = 0;
      int n = 0;
      for (const json& comp : file["competencies"])
        if (comp["quadrant"] == q) {
          sum += ordinal_in(file, file["expectations"][level_id][comp["id"].get<std::string>()]);
          ++n;
        }
      CHECK(*profile.at(l, q).number() == Approx(sum / n));
    }
  }
  const auto& charts = find(r, "targets").charts;
  REQUIRE(charts.size() == 1);
  const auto& line = std::get<line_chart>(charts[0]);
  CHECK(line.lines.size() == 4);
  CHECK(line.x_labels.size() == file["career_levels"].size());
}

TEST_CASE("framework report: anchors table holds every behavioural anchor", "[reports][framework]") {
  const json file = builtin_file();
  const report r = framework_report(calibra::builtin_framework());
  const table& t = find_table(r, "anchors");
  const auto& levels = file["scale"];
  REQUIRE(t.columns.size() == 4 + levels.size());
  for (std::size_t l = 0; l < levels.size(); ++l) {
    CHECK(t.columns[4 + l].title == levels[l]["label"]);
    CHECK(t.columns[4 + l].level == static_cast<int>(l + 1));
  }
  REQUIRE(t.rows.size() == file["competencies"].size());
  for (const json& comp : file["competencies"]) {
    const std::size_t row = row_of(t, comp["name"]);
    CHECK(*t.at(row, "definition").text() == comp["definition"]);
    for (const json& level : levels) {
      const std::string id = level["id"];
      CHECK(*t.at(row, id).text() == comp["anchors"][id]);
    }
  }
  CHECK(t.groups.size() == 4);
  CHECK(t.frozen_columns == 2);
}

TEST_CASE("framework report: promotion gaps per step from the file's expectations", "[reports][framework]") {
  const json file = builtin_file();
  const report r = framework_report(calibra::builtin_framework());
  const table& gaps = find_table(r, "promotion-gaps");
  const table& steps = find_table(r, "steps");
  std::map<std::string, std::string> names;
  for (const json& l : file["career_levels"]) names[l["id"]] = l["name"];

  REQUIRE(steps.rows.size() == file["steps"].size());
  REQUIRE(gaps.groups.size() == file["steps"].size());
  std::size_t expected_rows = 0;
  for (std::size_t k = 0; k < file["steps"].size(); ++k) {
    const std::string from = file["steps"][k]["from"], to = file["steps"][k]["to"];
    // Competencies whose ordinal rises, with both ends.
    std::map<std::string, std::pair<int, int>> rises;
    for (const json& comp : file["competencies"]) {
      const std::string id = comp["id"];
      const int a = ordinal_in(file, file["expectations"][from][id]), b = ordinal_in(file, file["expectations"][to][id]);
      if (b > a) rises[comp["name"]] = {a, b};
    }
    expected_rows += rises.size();
    const std::string title = names[from] + " → " + names[to];
    CHECK(gaps.groups[k].title == title);
    CHECK(*steps.at(k, "step").text() == title);
    CHECK(*steps.at(k, "rising").number() == static_cast<double>(rises.size()));
    const std::size_t end = k + 1 < gaps.groups.size() ? gaps.groups[k + 1].first_row : gaps.rows.size();
    REQUIRE(end - gaps.groups[k].first_row == rises.size());
    for (std::size_t row = gaps.groups[k].first_row; row < end; ++row) {
      const std::string comp = *gaps.at(row, "competency").text();
      REQUIRE(rises.count(comp) == 1);
      CHECK(gaps.at(row, "from").level == rises[comp].first);
      CHECK(gaps.at(row, "to").level == rises[comp].second);
      CHECK(*gaps.at(row, "to").text() == label_in(file, rises[comp].second));
      CHECK(*gaps.at(row, "rise").number() == rises[comp].second - rises[comp].first);
    }
    // The built-in ladder raises 3-5 competencies per step (rule ladder.promotion-gap-count).
    CHECK(*steps.at(k, "guideline").text() == "within the guideline");
    CHECK_FALSE(steps.at(k, "guideline").emphasis);
  }
  CHECK(gaps.rows.size() == expected_rows);
  const auto& chart = std::get<bar_chart>(find(r, "promotion-gaps").charts.at(0));
  CHECK(chart.bars.size() == file["steps"].size());
  CHECK(chart.reference_lines == std::vector<double>{3, 5});
}

TEST_CASE("framework report: steps outside the 3-5 guideline are emphasised", "[reports][framework]") {
  const auto fw = calibra::load_framework(example("ladder.promotion-gap-count.json"));
  const report r = framework_report(fw);
  const table& steps = find_table(r, "steps");
  REQUIRE(steps.rows.size() == 2);
  // README of examples/frameworks: the apm to pm step raises a single competency.
  CHECK(*steps.at(0, "rising").number() == 1.0);
  CHECK(*steps.at(0, "guideline").text() == "fewer than 3");
  CHECK(steps.at(0, "guideline").emphasis);
  CHECK(std::get<bar_chart>(find(r, "promotion-gaps").charts.at(0)).bars[0].emphasis);
}

TEST_CASE("framework report: checks section lists findings, errors first, and marks the cells", "[reports][framework]") {
  {
    const report clean = framework_report(calibra::builtin_framework());
    const table& findings = find_table(clean, "findings");
    CHECK(findings.rows.empty());
    CHECK(findings.empty_text == "No findings: the framework passes every rule.");
    const table& rules = find_table(clean, "rules");
    CHECK(rules.rows.size() == calibra::check_rules().size());
    for (std::size_t i = 0; i < rules.rows.size(); ++i) CHECK(*rules.at(i, "result").text() == "pass");
  }
  {
    // examples/frameworks README: voice-of-the-customer has no advanced anchor.
    const auto fw = calibra::load_framework(example("anchor.missing.json"));
    const report r = framework_report(fw);
    const table& findings = find_table(r, "findings");
    REQUIRE(findings.rows.size() == 1);
    CHECK(*findings.at(0, "rule").text() == "anchor.missing");
    CHECK(*findings.at(0, "severity").text() == "error");
    CHECK(findings.at(0, "severity").emphasis);
    const table& anchors = find_table(r, "anchors");
    const std::size_t row = row_of(anchors, fw.competencies()[*fw.competency_index("voice-of-the-customer")].name);
    CHECK(*anchors.at(row, "advanced").text() == "(missing anchor)");
    CHECK(anchors.at(row, "advanced").emphasis);
    CHECK_FALSE(anchors.at(row, "proficient").emphasis);
    const table& rules = find_table(r, "rules");
    for (std::size_t i = 0; i < rules.rows.size(); ++i)
      CHECK(*rules.at(i, "result").text() == (*rules.at(i, "rule").text() == "anchor.missing" ? "fail" : "pass"));
  }
  {
    // managing-up falls from developing (pm) to foundational (senior-pm).
    const auto fw = calibra::load_framework(example("ladder.non-monotone.json"));
    const report r = framework_report(fw);
    const table& targets = find_table(r, "targets");
    const std::size_t row = row_of(targets, fw.competencies()[*fw.competency_index("managing-up")].name);
    CHECK(targets.at(row, "senior-pm").emphasis);
    CHECK(targets.at(row, "senior-pm").level == 1);
    CHECK_FALSE(targets.at(row, "pm").emphasis);
  }
  {
    // Several severities: errors come first.
    const auto fw = calibra::load_framework(example("anchor.vague.json"));
    std::vector<calibra::finding> findings = calibra::check(fw);
    findings.insert(findings.begin(), calibra::finding{"ladder.uniform", calibra::severity::warning, "/expectations/pm", "w", "h"});
    const report r = framework_report(fw, findings);
    const table& t = find_table(r, "findings");
    REQUIRE(t.rows.size() == findings.size());
    CHECK(*t.at(0, "severity").text() == "error");
    CHECK(*t.at(t.rows.size() - 1, "severity").text() == "warning");
  }
}

TEST_CASE("framework report: overview lists scale, career levels and competencies", "[reports][framework]") {
  const json file = builtin_file();
  const report r = framework_report(calibra::builtin_framework());
  const table& scale = find_table(r, "scale");
  REQUIRE(scale.rows.size() == file["scale"].size());
  for (std::size_t i = 0; i < scale.rows.size(); ++i) {
    CHECK(*scale.at(i, "ordinal").number() == static_cast<double>(i + 1));
    CHECK(*scale.at(i, "level").text() == file["scale"][i]["label"]);
    CHECK(scale.at(i, "level").level == static_cast<int>(i + 1));
    CHECK(*scale.at(i, "scope").text() == file["scale"][i]["scope"]);
  }
  const table& ladder = find_table(r, "career-levels");
  REQUIRE(ladder.rows.size() == file["career_levels"].size());
  CHECK(*ladder.at(2, "promotes_to").text() == "Principal Product Manager, Group Product Manager");
  CHECK(ladder.at(3, "promotes_to").empty());
  const table& comps = find_table(r, "competencies");
  CHECK(comps.rows.size() == file["competencies"].size());
  CHECK_THAT(find(r, "overview").intro, Catch::Contains(file["metadata"]["version"].get<std::string>()));
}
