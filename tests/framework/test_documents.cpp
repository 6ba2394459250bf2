// Job descriptions and interview rubrics drafted from the expectation matrix.
//
// Expected targets, anchors, interview formats and promotion gaps are read
// straight from the framework data file (data/frameworks/product-manager.json)
// with nlohmann::json, not through calibra's model.
#include "small_framework.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/documents.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace calibra;
using nlohmann::json;
using Catch::Matchers::Contains;

namespace {

const json& data_file() {
  static const json doc = [] {
    std::ifstream in(std::string(CALIBRA_SOURCE_DIR) + "/data/frameworks/product-manager.json");
    std::ostringstream s;
    s << in.rdbuf();
    return json::parse(s.str());
  }();
  return doc;
}

/// 1-based ordinal of a level id in the data file's scale.
int ordinal(const std::string& level_id) {
  const json& scale = data_file()["scale"];
  for (std::size_t i = 0; i < scale.size(); ++i)
    if (scale[i]["id"] == level_id) return static_cast<int>(i + 1);
  return 0;
}

int expected_target(const std::string& career_level, const std::string& competency) {
  return ordinal(data_file()["expectations"][career_level][competency]);
}

/// The sentences of a text, cut at ". ".
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(". ", start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

}  // namespace

TEST_CASE("job description: every competency once, at the target of the expectation matrix", "[framework][documents]") {
  const framework fw = builtin_framework();
  for (const auto& level : data_file()["career_levels"]) {
    const std::string id = level["id"];
    INFO(id);
    const job_description_draft jd = job_description(fw, id);
    CHECK(jd.source.career_level_id == id);
    CHECK(jd.source.career_level_name == level["name"]);
    CHECK(jd.grouping == document_grouping::area);
    std::multiset<std::string> seen;
    for (std::size_t g = 0; g < jd.groups.size(); ++g) {
      const json& area = data_file()["areas"][g];
      CHECK(jd.groups[g].id == area["id"]);
      CHECK(jd.groups[g].name == area["name"]);
      for (const auto& r : jd.groups[g].responsibilities) {
        seen.insert(r.competency_id);
        CHECK(r.level == expected_target(id, r.competency_id));
        CHECK(r.level_label == data_file()["scale"][r.level - 1]["label"]);
        // The competency's area in the data file is the group it is listed under.
        for (const auto& c : data_file()["competencies"])
          if (c["id"] == r.competency_id) CHECK(c["area"] == area["id"]);
      }
    }
    REQUIRE(jd.groups.size() == 4);
    CHECK(seen.size() == data_file()["competencies"].size());
    for (const auto& c : data_file()["competencies"]) CHECK(seen.count(c["id"]) == 1);
  }
}

TEST_CASE("job description: promotion-gap competencies are what distinguishes the role", "[framework][documents]") {
  const framework fw = builtin_framework();
  // Previous career level: the step leading to it in the data file.
  std::map<std::string, std::string> previous;
  for (const auto& s : data_file()["steps"]) previous.emplace(s["to"], s["from"]);
  for (const auto& level : data_file()["career_levels"]) {
    const std::string id = level["id"];
    INFO(id);
    const job_description_draft jd = job_description(fw, id);
    std::vector<std::string> expected;
    if (previous.count(id)) {
      REQUIRE(jd.previous_level_id);
      CHECK(*jd.previous_level_id == previous[id]);
      for (const auto& c : data_file()["competencies"])
        if (expected_target(id, c["id"]) > expected_target(previous[id], c["id"])) expected.push_back(c["id"]);
    } else {
      CHECK_FALSE(jd.previous_level_id);
    }
    std::vector<std::string> got;
    for (const auto& r : jd.distinguishing) got.push_back(r.competency_id);
    CHECK(got == expected);
    for (const auto& g : jd.groups)
      for (const auto& r : g.responsibilities) {
        const bool in_expected = std::find(expected.begin(), expected.end(), r.competency_id) != expected.end();
        CHECK(r.distinguishing == in_expected);
        if (previous.count(id)) CHECK(r.previous_level == expected_target(previous[id], r.competency_id));
      }
  }
  // pm vs apm, read off the data file by hand: five competencies rise.
  std::vector<std::string> pm;
  for (const auto& r : job_description(fw, "pm").distinguishing) pm.push_back(r.competency_id);
  CHECK(pm == std::vector<std::string>{"functional-specification", "product-delivery", "fluency-with-data",
                                       "business-outcome-ownership", "stakeholder-inclusion"});
  CHECK(job_description(fw, "group-pm").previous_level_id == std::optional<std::string>("senior-pm"));
}

TEST_CASE("job description: statements come from scope, autonomy and definition, never from anchors", "[framework][documents]") {
  const framework fw = builtin_framework();
  for (const auto& level : data_file()["career_levels"]) {
    const std::string id = level["id"];
    const std::string md = to_markdown(job_description(fw, id));
    INFO(id);
    for (const auto& c : data_file()["competencies"]) {
      CHECK_THAT(md, Contains(c["name"].get<std::string>()));
      for (const auto& [level_id, anchor] : c["anchors"].items())
        for (const auto& sentence : sentences(anchor.get<std::string>()))
          if (sentence.size() >= 20) CHECK_THAT(md, !Contains(sentence));
    }
    // Nor the scale's own level descriptions.
    for (const auto& l : data_file()["scale"])
      for (const auto& sentence : sentences(l["description"].get<std::string>()))
        if (sentence.size() >= 20) CHECK_THAT(md, !Contains(sentence));
  }

  // pm expects Proficient (product-area scope, independent) in Functional
  // Specification: the statement says so in words and carries the definition.
  const job_description_draft jd = job_description(fw, "pm");
  const responsibility& spec = jd.groups[0].responsibilities[0];
  REQUIRE(spec.competency_id == "functional-specification");
  CHECK_THAT(spec.statement, Contains("Functional Specification") && Contains("across an entire product area") &&
                                 Contains("without day-to-day supervision") &&
                                 Contains("turning a problem into written requirements"));
  CHECK(spec.distinguishing);
  CHECK_THAT(spec.change, Contains("Developing") && Contains("Proficient"));
  // apm expects Foundational (task, guided) in Strategic Impact.
  const job_description_draft apm = job_description(fw, "apm");
  CHECK_THAT(apm.groups[2].responsibilities[2].statement,
             Contains("Strategic Impact on well-bounded tasks") && Contains("more experienced product manager"));
  CHECK_THAT(apm.summary, Contains("point of entry"));
  CHECK_THAT(job_description(fw, "group-pm").summary, Contains("manager track"));

  const std::string md = to_markdown(jd);
  CHECK_THAT(md, Contains("# Product Manager: job description (draft)") && Contains("## What distinguishes this role") &&
                     Contains("## Responsibilities") && Contains("### Product Execution"));
  CHECK_THAT(md, Contains("Compared with the Associate Product Manager, this role expects more in:"));
}

TEST_CASE("interview rubric: format, target and below/meets/above anchors per competency", "[framework][documents]") {
  const framework fw = builtin_framework();
  for (const auto& level : data_file()["career_levels"]) {
    const std::string id = level["id"];
    INFO(id);
    const interview_rubric_draft rubric = interview_rubric(fw, id);
    CHECK(rubric.scale_size == 5);
    REQUIRE(rubric.entries.size() == data_file()["competencies"].size());
    std::set<std::string> seen;
    for (const auto& e : rubric.entries) {
      seen.insert(e.competency_id);
      const json* comp = nullptr;
      for (const auto& c : data_file()["competencies"])
        if (c["id"] == e.competency_id) comp = &c;
      REQUIRE(comp);
      const int t = expected_target(id, e.competency_id);
      CHECK(e.target == t);
      CHECK(e.interview_format == (*comp)["interview_format"]);
      auto anchor = [&](int ordinal) {
        return (*comp)["anchors"][data_file()["scale"][ordinal - 1]["id"].get<std::string>()].get<std::string>();
      };
      CHECK(e.meets.level == t);
      CHECK(e.meets.anchor == anchor(t));
      if (t > 1) {
        REQUIRE(e.below);
        CHECK(e.below->level == t - 1);
        CHECK(e.below->anchor == anchor(t - 1));
      } else {
        CHECK_FALSE(e.below);
      }
      if (t < 5) {
        REQUIRE(e.above);
        CHECK(e.above->level == t + 1);
        CHECK(e.above->label == data_file()["scale"][t]["label"]);
        CHECK(e.above->anchor == anchor(t + 1));
      } else {
        CHECK_FALSE(e.above);
      }
    }
    CHECK(seen.size() == 12);
  }

  const std::string md = to_markdown(interview_rubric(fw, "senior-pm"));
  CHECK_THAT(md, Contains("# Senior Product Manager: interview rubric (draft)") && Contains("## Influencing People") &&
                     Contains("### Managing Up") && Contains("| Meets the bar | 3 Proficient |") &&
                     Contains("Spec writing exercise"));
}

TEST_CASE("documents at the ends of the scale, without areas, and with odd text", "[framework][documents]") {
  framework fw = testing::small_framework();  // no areas; the lead expects 4 (the top) in si
  const interview_rubric_draft lead = interview_rubric(fw, "lead");
  CHECK(lead.grouping == document_grouping::quadrant);
  const rubric_entry& si = lead.entries[2];
  CHECK(si.competency_id == "si");
  CHECK(si.group == "Strategic, internal");
  CHECK(si.target == 4);
  CHECK_FALSE(si.above);
  REQUIRE(si.below);
  CHECK(si.below->level == 3);
  const std::string md = to_markdown(lead);
  CHECK_THAT(md, Contains("the target is the highest level of the scale") &&
                     Contains("not set in the framework"));
  CHECK_THAT(to_markdown(interview_rubric(fw, "junior")), Contains("the target is the lowest level"));

  const job_description_draft jd = job_description(fw, "lead");
  CHECK(jd.grouping == document_grouping::quadrant);
  REQUIRE(jd.groups.size() == 4);
  CHECK(jd.groups[0].id == "tactical-internal");
  // lead (from mid): si rises 2 -> 4, se 1 -> 2; ti and te stay.
  std::vector<std::string> gaps;
  for (const auto& r : jd.distinguishing) gaps.push_back(r.competency_id);
  CHECK(gaps == std::vector<std::string>{"si", "se"});
  // Advanced is "leads-others" on the four-level scale.
  CHECK_THAT(jd.groups[2].responsibilities[0].statement, Contains("Lead Competency si across several product areas"));

  // Pipes and line breaks in anchors cannot break the Markdown table.
  std::vector<competency> comps = fw.competencies();
  comps[0].anchors[2] = "Writes | pipes\nand lines";
  fw = framework(fw.metadata(), fw.scale(), fw.areas(), comps, fw.ladder(), fw.expectations());
  CHECK_THAT(to_markdown(interview_rubric(fw, "mid")), Contains("| Meets the bar | 3 Proficient | Writes \\| pipes and lines |"));
}

TEST_CASE("documents for an unknown career level list the valid ids", "[framework][documents]") {
  const framework fw = builtin_framework();
  for (auto make : {+[](const framework& f) { (void)job_description(f, "cpo"); },
                    +[](const framework& f) { (void)interview_rubric(f, "cpo"); }}) {
    try {
      make(fw);
      FAIL("expected invalid_argument");
    } catch (const calibra::invalid_argument& e) {
      CHECK_THAT(std::string(e.what()),
                 Contains("[calibra.invalid_argument.documents] unknown career level 'cpo'; valid career levels: "
                          "apm, pm, senior-pm, principal-pm, group-pm"));
    }
  }
}
