// A ratings-only framework: a scale and competencies, no career levels,
// quadrants, scope or autonomy.  The model, the JSON reader and writer, the
// Markdown export and the checks ("not applicable" as info findings).
#include "small_framework.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

using namespace calibra;

namespace {

const std::string example = std::string(CALIBRA_EXAMPLES_DIR) + "/ratings-only/framework.json";

proficiency_scale plain_scale() {
  return proficiency_scale({{"p", "Poor", "", std::nullopt, std::nullopt},
                            {"f", "Fair", "", std::nullopt, std::nullopt},
                            {"g", "Good", "", std::nullopt, std::nullopt}});
}

competency plain_competency(const std::string& id) {
  competency c;
  c.id = id;
  c.name = "Competency " + id;
  c.definition = "Does " + id + ".";
  c.anchors.assign(3, "Runs the task. Reports on the feature.");
  return c;
}

framework ratings_only(std::vector<competency> comps, proficiency_scale scale = plain_scale()) {
  return framework({"ro", "Ratings only", "1.0", "2026-01-01", {}, ""}, std::move(scale), {}, std::move(comps), {},
                   {});
}

/// The message of the validation_error `make` throws ("" when it throws none).
template <typename Make>
std::string refusal(Make&& make) {
  try {
    make();
  } catch (const validation_error& e) {
    return e.what();
  }
  return "";
}

/// The JSON text of the example with `edit` applied.
std::string edited_example(void (*edit)(nlohmann::ordered_json&)) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(to_json(load_framework(example)));
  edit(doc);
  return doc.dump(2);
}

}  // namespace

TEST_CASE("ratings-only framework: built in C++ without ladder, quadrants, scope or autonomy",
          "[framework][ratings-only]") {
  const framework fw = ratings_only({plain_competency("a"), plain_competency("b")});
  CHECK_FALSE(fw.has_career_levels());
  CHECK_FALSE(fw.has_quadrants());
  CHECK_FALSE(fw.scale().has_scope_and_autonomy());
  CHECK(fw.ladder().size() == 0);
  // The empty matrix given is taken as 0 x competencies.
  CHECK(fw.expectations().rows() == 0);
  CHECK(fw.expectations().cols() == 2);
  CHECK(fw.promotion_gaps().empty());
  CHECK(fw.plateaus().empty());
  CHECK(fw.promotion_chains().empty());
  CHECK(fw.quadrant_profile().rows() == 0);
  CHECK_THROWS_AS(fw.expectation("pm", "a"), invalid_argument);

  // A full framework keeps its accessors.
  const framework full = testing::small_framework();
  CHECK(full.has_career_levels());
  CHECK(full.has_quadrants());
  CHECK(full.scale().has_scope_and_autonomy());
}

TEST_CASE("ratings-only framework: half states are refused with their JSON pointer", "[framework][ratings-only]") {
  // Expectations without a ladder.
  CHECK_THAT(refusal([] {
               framework({"ro", "Ratings only", "1.0", "2026-01-01", {}, ""}, plain_scale(), {},
                         {plain_competency("a")}, {}, expectation_matrix::Constant(1, 1, 2));
             }),
             Catch::Contains("/expectations: a framework without career levels has no expectations"));
  // A ladder without expectations.
  CHECK_THAT(refusal([] {
               framework({"ro", "Ratings only", "1.0", "2026-01-01", {}, ""}, plain_scale(), {},
                         {plain_competency("a")}, career_ladder({{"pm", "PM", track::ic, 1}}, {}), {});
             }),
             Catch::Contains("/expectations: expected a 1 x 1 matrix"));
  // Quadrants on some competencies only: the first without one is named.
  competency placed = plain_competency("b");
  placed.quadrant = quadrant{focus::strategic, orientation::external};
  CHECK_THAT(refusal([&] { ratings_only({placed, plain_competency("c"), plain_competency("d")}); }),
             Catch::Contains("/competencies/1/quadrant: competency 'c' has no quadrant, but 'b' has one"));
  CHECK_THAT(refusal([&] { ratings_only({plain_competency("a"), placed}); }),
             Catch::Contains("/competencies/1/quadrant: competency 'b' has a quadrant, but 'a' has none"));
  // A position needs a quadrant.
  competency positioned = plain_competency("a");
  positioned.position = grid_position{0.5, 0.5};
  CHECK_THAT(refusal([&] { ratings_only({positioned}); }),
             Catch::Contains("/competencies/0/position: a position needs a quadrant"));
  // Scope without autonomy, and scope on some levels only.
  proficiency_scale half({{"p", "Poor", "", scope::task, std::nullopt},
                          {"f", "Fair", "", std::nullopt, std::nullopt},
                          {"g", "Good", "", std::nullopt, std::nullopt}});
  CHECK_THAT(refusal([&] { ratings_only({plain_competency("a")}, half); }),
             Catch::Contains("/scale/0/autonomy: scope and autonomy are given together or not at all"));
  proficiency_scale some({{"p", "Poor", "", std::nullopt, std::nullopt},
                          {"f", "Fair", "", scope::task, autonomy::guided},
                          {"g", "Good", "", std::nullopt, std::nullopt}});
  CHECK_THAT(refusal([&] { ratings_only({plain_competency("a")}, some); }),
             Catch::Contains("/scale/1/scope: level 'f' has a scope and autonomy, but the first level has none"));
}

TEST_CASE("ratings-only framework: the example file loads, is canonical and round-trips",
          "[framework][ratings-only][io]") {
  const framework fw = load_framework(example);
  CHECK(fw.metadata().id == "lecture-evaluation");
  CHECK(fw.competencies().size() == 3);
  CHECK(fw.scale().size() == 4);
  CHECK_FALSE(fw.has_career_levels());
  CHECK_FALSE(fw.has_quadrants());
  CHECK_FALSE(fw.scale().has_scope_and_autonomy());

  std::ifstream in(example, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(to_json(fw) == bytes);
  // The canonical form leaves the absent members out.
  const auto doc = nlohmann::json::parse(bytes);
  CHECK_FALSE(doc.contains("career_levels"));
  CHECK_FALSE(doc.contains("steps"));
  CHECK_FALSE(doc.contains("expectations"));
  CHECK_FALSE(doc.at("competencies").at(0).contains("quadrant"));
  CHECK_FALSE(doc.at("scale").at(0).contains("scope"));
  CHECK_FALSE(doc.at("scale").at(0).contains("autonomy"));

  // "career_levels": [] with "expectations": {} reads as the same framework.
  const std::string empty_ladder = edited_example([](nlohmann::ordered_json& d) {
    d["career_levels"] = nlohmann::ordered_json::array();
    d["expectations"] = nlohmann::ordered_json::object();
  });
  CHECK(to_json(parse_framework(empty_ladder)) == bytes);

  const std::string md = to_markdown(fw);
  CHECK_THAT(md, Catch::Contains("| # | Level | Description |"));
  CHECK_THAT(md, Catch::Contains("### Clarity"));
  CHECK_THAT(md, Catch::Contains("Not applicable: the framework has no career levels."));
  CHECK_THAT(md, !Catch::Contains("Quadrant"));
}

TEST_CASE("ratings-only framework: half states in JSON are refused with their pointer",
          "[framework][ratings-only][io]") {
  const auto message = [](const std::string& text) {
    return refusal([&] { parse_framework(text, "ro.json"); });
  };
  // Career levels without expectations.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) {
               d["career_levels"] = {{{"id", "pm"}, {"name", "PM"}, {"track", "ic"}, {"rank", 1}}};
             })),
             Catch::Contains("ro.json: /expectations: missing: a framework with career levels needs"));
  // Expectations without career levels.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) {
               d["expectations"] = {{"pm", {{"clarity", "good"}}}};
             })),
             Catch::Contains("ro.json: /expectations: the framework has no career levels, so it has no expectations"));
  // Steps without career levels.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) {
               d["steps"] = {{{"from", "a"}, {"to", "b"}}};
             })),
             Catch::Contains("ro.json: /steps: the framework has no career levels, so it has no promotion steps"));
  // A quadrant on the second competency only.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) {
               d["competencies"][1]["quadrant"] = "tactical-internal";
             })),
             Catch::Contains("ro.json: /competencies/1/quadrant: competency 'organisation' has a quadrant, but "
                             "'clarity' has none"));
  // A scope on one level only.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) {
               d["scale"][2]["scope"] = "task";
               d["scale"][2]["autonomy"] = "guided";
             })),
             Catch::Contains("ro.json: /scale/2/scope: level 'good' has a scope and autonomy"));
  // An unknown value is still an unknown value.
  CHECK_THAT(message(edited_example([](nlohmann::ordered_json& d) { d["competencies"][0]["quadrant"] = "north"; })),
             Catch::Contains("/competencies/0/quadrant: expected one of tactical-internal"));
}

TEST_CASE("ratings-only framework: the ladder, quadrant and scope checks say not applicable",
          "[framework][ratings-only][checks]") {
  check_options opt;
  opt.as_of = "2026-12-06";
  const auto findings = check(load_framework(example), opt);
  CHECK(count(findings, severity::error) == 0);
  std::set<std::string> not_applicable;
  for (const finding& f : findings) {
    INFO(f.rule << " " << f.message);
    if (f.severity == severity::info) {
      CHECK(f.message.rfind("not applicable: ", 0) == 0);
      not_applicable.insert(f.rule);
    } else {
      // Three competencies against a guideline of 12 to 20: the one warning.
      CHECK(f.rule == "framework.competency-count");
    }
  }
  const std::set<std::string> expected{"scale.same-scope",   "anchor.no-scope",   "ladder.non-monotone",
                                       "ladder.uniform",     "ladder.quadrant-shift", "ladder.no-plateau",
                                       "ladder.superhuman",  "ladder.promotion-gap-count", "ladder.track"};
  CHECK(not_applicable == expected);
  // Every ladder rule of check_rules() is among them.
  for (const rule_info& r : check_rules())
    if (r.id.substr(0, 7) == "ladder.") CHECK(not_applicable.count(std::string(r.id)) == 1);

  // A full framework gets no "not applicable" finding.
  for (const finding& f : check(builtin_framework(), opt)) CHECK(f.severity != severity::info);
}

TEST_CASE("a ladder without quadrants: only the quadrant rules are not applicable", "[framework][ratings-only][checks]") {
  framework base = testing::small_framework();
  std::vector<competency> comps = base.competencies();
  for (competency& c : comps) c.quadrant.reset();
  const framework fw(base.metadata(), base.scale(), {}, comps, base.ladder(), base.expectations());
  CHECK(fw.has_career_levels());
  CHECK_FALSE(fw.has_quadrants());
  const Eigen::MatrixXd profile = fw.quadrant_profile();
  CHECK(profile.rows() == 4);
  CHECK(profile.array().isNaN().all());
  check_options opt;
  opt.as_of = "2026-12-06";
  std::set<std::string> not_applicable;
  for (const finding& f : check(fw, opt))
    if (f.severity == severity::info) not_applicable.insert(f.rule);
  CHECK(not_applicable == std::set<std::string>{"ladder.uniform", "ladder.quadrant-shift"});
}
