#include <calibra/framework/builtin.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/framework_json.hpp>

#include "../support/files.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace calibra;
namespace fs = std::filesystem;

namespace {

std::string example(const std::string& name) { return std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name; }

using calibra_test::scratch_dir;
using calibra_test::slurp;

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("load then save reproduces canonical files byte for byte", "[io][framework]") {
  for (const char* name : {"minimal-valid.json", "ladder.track.json", "anchor.missing.json"}) {
    const std::string path = example(name);
    CHECK(to_json(load_framework(path)) == slurp(path));
  }
  CHECK(to_json(parse_framework(builtin_framework_json())) == builtin_framework_json());
}

TEST_CASE("save writes the file whole and load reads it back", "[io][framework]") {
  scratch_dir dir("save");
  const framework fw = builtin_framework();
  save_framework(fw, dir.file("pm.json"));
  CHECK(slurp(dir.file("pm.json")) == builtin_framework_json());
  CHECK(dir.entries() == 1);  // no temporary file left behind
  const framework again = load_framework(dir.file("pm.json"));
  CHECK(again.expectations() == fw.expectations());
  CHECK(again.competencies()[10].people_leadership);
  SECTION("a failed save leaves nothing behind") {
    CHECK_THROWS_AS(save_framework(fw, dir.file("missing-dir/pm.json")), invalid_argument);
    CHECK_THROWS_AS(save_framework(fw, dir.path.string()), invalid_argument);
    CHECK(dir.entries() == 1);
  }
}

TEST_CASE("a non-canonical file loads and saves canonically", "[io][framework]") {
  // Reordered keys and compact whitespace are accepted; saving normalises them.
  const std::string canonical = slurp(example("minimal-valid.json"));
  const auto doc = parse_framework(canonical);
  std::string compact;
  for (char c : canonical)
    if (c != '\n') compact += c;
  CHECK(to_json(parse_framework(compact)) == canonical);
  CHECK(to_json(doc) == canonical);
}

TEST_CASE("malformed framework files get errors naming the file and place", "[io][framework][bad-input]") {
  struct expectation {
    const char* file;
    const char* id;
    std::vector<const char*> fragments;
  };
  const std::vector<expectation> cases{
      {"invalid/bad-json.json", "parse_error.framework", {"bad-json.json:", "invalid JSON"}},
      {"invalid/empty.json", "parse_error.framework", {"empty.json", "empty"}},
      {"invalid/duplicate-competency-id.json", "validation_error.framework", {"/competencies/", "/id", "duplicate id 'team-leadership'"}},
      {"invalid/unknown-field.json", "validation_error.framework", {"/competencies/0/colour", "unknown field 'colour'"}},
      {"invalid/wrong-type.json", "validation_error.framework", {"/career_levels/1/rank", "expected an integer, found string"}},
      {"invalid/unknown-level-in-expectations.json", "validation_error.framework", {"/expectations/pm/functional-specification", "unknown level 'master'"}},
      {"invalid/position-quadrant-mismatch.json", "validation_error.framework", {"/competencies/0/position"}},
      {"invalid/impossible-date.json", "validation_error.framework",
       {"/metadata/last_updated", "\"2026-13-45\" is not a calendar date"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.file) {
      try {
        load_framework(example(c.file));
        FAIL("no error for " << c.file);
      } catch (const error& e) {
        CHECK(e.id() == c.id);
        const std::string what = e.what();
        CHECK_THAT(what, Catch::StartsWith(std::string("[calibra.") + c.id + "] "));
        CHECK_THAT(what, Catch::Contains(example(c.file)));
        for (const char* fragment : c.fragments) CHECK_THAT(what, Catch::Contains(fragment));
      }
    }
  }
}

TEST_CASE("hostile bytes are refused cleanly", "[io][framework][bad-input]") {
  scratch_dir dir("hostile");
  const std::string canonical = slurp(example("minimal-valid.json"));
  auto load_text = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(dir.file(name), std::ios::binary) << bytes;
    return load_framework(dir.file(name));
  };
  SECTION("invalid UTF-8 inside a string") {
    const std::string bad = replace_once(canonical, "\"version\": \"", "\"version\": \"\xC3\x28");
    CHECK_THROWS_WITH(load_text("latin1.json", bad), Catch::Contains("latin1.json:") && Catch::Contains("invalid JSON"));
  }
  SECTION("NUL byte") {
    CHECK_THROWS_AS(load_text("nul.json", replace_once(canonical, "{", std::string("{\0", 2))), parse_error);
  }
  SECTION("a 50 MB file is refused before parsing") {
    std::string huge = canonical;
    huge.insert(huge.size() - 2, std::string(50u << 20, ' '));
    CHECK_THROWS_WITH(load_text("huge.json", huge), Catch::Contains("MiB limit"));
  }
  SECTION("deeply nested JSON does not crash") {
    const std::string nested = std::string(100000, '[') + std::string(100000, ']');
    CHECK_THROWS_WITH(load_text("nested.json", nested), Catch::Contains("/: expected an object"));
  }
  SECTION("a top-level array, wrong format tag, missing field, bad date") {
    CHECK_THROWS_WITH(load_text("array.json", "[1, 2]"), Catch::Contains("expected an object, found array"));
    CHECK_THROWS_WITH(load_text("tag.json", replace_once(canonical, "calibra-framework/1", "calibra-framework/9")),
                      Catch::Contains("/format"));
    CHECK_THROWS_WITH(load_text("nometa.json", replace_once(canonical, "\"metadata\"", "\"metadatum\"")),
                      Catch::Contains("unknown field 'metadatum'"));
    CHECK_THROWS_WITH(load_text("date.json", replace_once(canonical, "\"last_updated\": \"", "\"last_updated\": \"yesterday")),
                      Catch::Contains("/metadata/last_updated"));
  }
  SECTION("missing file and directory") {
    CHECK_THROWS_WITH(load_framework(dir.file("nope.json")), Catch::Contains("nope.json: cannot open file"));
    CHECK_THROWS_WITH(load_framework(dir.path.string()), Catch::Contains("is a directory"));
  }
}

TEST_CASE("markdown export holds anchors, matrix and gaps", "[io][framework]") {
  const framework fw = builtin_framework();
  const std::string md = to_markdown(fw);
  CHECK_THAT(md, Catch::StartsWith("# " + fw.metadata().name));
  CHECK_THAT(md, Catch::Contains("### Quadrant: strategic-internal"));
  CHECK_THAT(md, Catch::Contains("| Fluency with Data | tactical-external |"));
  CHECK_THAT(md, Catch::Contains("## Promotion gaps"));
  CHECK_THAT(md, Catch::Contains(fw.competencies()[0].anchors[2]));
}

TEST_CASE("duplicate keys and non-UTF-8 text in code-built frameworks are refused", "[io][framework][bad-input]") {
  const std::string canonical(builtin_framework_json());
  const std::string twice = replace_once(canonical, "\"version\": ", "\"version\": \"0.9\", \"version\": ");
  CHECK_THROWS_WITH(parse_framework(twice, "twice.json"),
                    Catch::Contains("twice.json") && Catch::Contains("'version' appears twice"));
  framework fw = builtin_framework();
  auto meta = fw.metadata();
  meta.name = "caf\xE9";  // Latin-1, not UTF-8
  const framework latin1(meta, fw.scale(), fw.areas(), fw.competencies(), fw.ladder(), fw.expectations());
  CHECK_THROWS_AS(to_json(latin1), invalid_argument);
}

TEST_CASE("the framework reader reports every problem of the file in one run", "[io][framework][bad-input]") {
  // Three hand edits of the minimal example: an unknown field, a misspelt
  // quadrant and a date the calendar does not have, plus an expectation at a
  // level the scale lacks.
  std::string text = slurp(example("minimal-valid.json"));
  text = replace_once(text, "\"last_updated\": \"2026-11-22\"", "\"last_updated\": \"2026-02-30\"");
  text = replace_once(text, "\"quadrant\": \"tactical-external\"", "\"quadrant\": \"tactical-externel\"");
  text = replace_once(text, "\"name\": \"Product Delivery\",", "\"name\": \"Product Delivery\", \"colour\": \"red\",");
  text = replace_once(text, "\"user-experience-design\": \"developing\"", "\"user-experience-design\": \"master\"");
  try {
    parse_framework(text, "edited.json");
    FAIL("expected input_errors");
  } catch (const input_errors& e) {
    CHECK(e.id() == "validation_error.framework");
    REQUIRE(e.problems().size() == 4);
    const auto& p = e.problems();
    CHECK(p[0].pointer == "/metadata/last_updated");
    CHECK(p[0].message == "[calibra.validation_error.framework] edited.json: /metadata/last_updated: \"2026-02-30\" "
                          "is not a calendar date (month 01-12, a day the month has)");
    CHECK(p[1].pointer == "/competencies/1/colour");
    CHECK(p[2].pointer == "/competencies/3/quadrant");
    CHECK(p[3].pointer == "/expectations/apm/user-experience-design");
    CHECK_THAT(p[3].message, Catch::EndsWith("unknown level 'master'"));
    for (const auto& problem : p) CHECK(problem.file == "edited.json");
    CHECK_THAT(e.what(), Catch::StartsWith("[calibra.validation_error.framework] edited.json: 4 problems; nothing was "
                                           "read:\n  [calibra.validation_error.framework] edited.json: "
                                           "/metadata/last_updated:"));
  }
}

TEST_CASE("a broken list does not cascade into unknown references", "[io][framework][bad-input]") {
  // The competency whose id is a number cannot be read; expectations that name
  // it are not reported as unknown competencies on top of that.
  std::string text = slurp(example("minimal-valid.json"));
  text = replace_once(text, "\"id\": \"product-quality\"", "\"id\": 7");
  try {
    parse_framework(text, "one.json");
    FAIL("expected a validation_error");
  } catch (const input_errors& e) {
    FAIL("one problem expected, got: " << e.what());
  } catch (const validation_error& e) {
    CHECK(std::string(e.what()) ==
          "[calibra.validation_error.framework] one.json: /competencies/2/id: expected a string, found number");
  }
  // Rules across the model (here a step to a career level that does not exist) run once the file reads cleanly.
  const std::string step = replace_once(slurp(example("minimal-valid.json")), "\"to\": \"senior-pm\"", "\"to\": \"staff-pm\"");
  CHECK_THROWS_WITH(parse_framework(step, "step.json"),
                    Catch::Contains("step.json: /steps/1/to: unknown career level 'staff-pm'"));
}

TEST_CASE("the rules across the model report every broken one in one run", "[io][framework][bad-input]") {
  // Two rules the file's structure cannot see, each broken once: an empty
  // name and an archetype naming an unknown competency.  Both come back
  // from one parse, each at its place.
  const framework base = builtin_framework();
  std::string text = to_json(base);
  text = replace_once(text, "\"name\": \"" + base.competencies()[0].name + "\"", "\"name\": \"\"");
  text = replace_once(text, "\"strong\": [\n        \"" + base.archetypes()[0].strong[0] + "\"",
                      "\"strong\": [\n        \"ghost\"");
  try {
    parse_framework(text, "two.json");
    FAIL("expected input_errors");
  } catch (const input_errors& e) {
    REQUIRE(e.problems().size() == 2);
    CHECK(e.problems()[0].pointer == "/competencies/0/name");
    CHECK(e.problems()[0].message ==
          "[calibra.validation_error.framework] two.json: /competencies/0/name: name must not be empty");
    CHECK(e.problems()[1].pointer == "/archetypes/0/strong/0");
    CHECK_THAT(e.problems()[1].message, Catch::EndsWith("unknown competency 'ghost'"));
  }
}

TEST_CASE("the framework reader stops at 50 problems", "[io][framework][bad-input]") {
  std::string text = slurp(example("minimal-valid.json"));
  std::string extra;
  for (int i = 0; i < 60; ++i) extra += "\"extra" + std::to_string(i) + "\": 1, ";
  text = replace_once(text, "\"format\":", extra + "\"format\":");
  try {
    parse_framework(text, "many.json");
    FAIL("expected input_errors");
  } catch (const input_errors& e) {
    CHECK(e.problems().size() == input_errors::max_problems);
    CHECK(e.stopped());
  }
}

TEST_CASE("the checks settings of a framework file round-trip", "[io][framework]") {
  const framework fw = load_framework(example("anchor.vague.trait-words.json"));
  CHECK(fw.checks().trait_words == std::vector<std::string>{"wizard", "rockstar attitude"});
  const std::string text = to_json(fw);
  CHECK_THAT(text, Catch::Contains("\"checks\": {\n    \"trait_words\": [\n      \"wizard\",\n      \"rockstar attitude\""));
  CHECK(to_json(parse_framework(text)) == text);
  CHECK(text == slurp(example("anchor.vague.trait-words.json")));
  CHECK_THROWS_WITH(parse_framework(replace_once(text, "\"wizard\"", "\" \""), "blank.json"),
                    Catch::Contains("blank.json: /checks/trait_words/0: expected a word or phrase"));
  CHECK_THROWS_WITH(parse_framework(replace_once(text, "\"trait_words\"", "\"traits\""), "key.json"),
                    Catch::Contains("key.json: /checks/traits: unknown field 'traits'; allowed here: trait_words"));
}
