#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <vector>
#include <string>

using namespace calibra;

namespace {

std::string example(const std::string& name) { return std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name; }

bool fires(const std::vector<finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const finding& f) { return f.rule == rule; });
}

/// The checks on a fixed day, so that framework.stale does not depend on when the tests run.
check_options on_fixed_day() {
  check_options options;
  options.as_of = "2026-12-06";
  return options;
}

}  // namespace

TEST_CASE("every rule fires on its example framework, and only it", "[framework][checks]") {
  for (const auto& rule : check_rules()) {
    const std::string id(rule.id);
    DYNAMIC_SECTION(id) {
      const framework fw = load_framework(example(id + ".json"));
      const auto findings = check(fw, on_fixed_day());
      CHECK(fires(findings, id));
      for (const auto& f : findings)
        if (f.rule != id && !(id == "ladder.no-plateau" && f.rule == "ladder.promotion-gap-count"))
          FAIL_CHECK(id << ".json also trips " << f.rule << " at " << f.where << ": " << f.message);
      for (const auto& f : findings)
        if (f.rule == id) {
          CHECK_FALSE(f.message.empty());
          CHECK_FALSE(f.hint.empty());
          CHECK(f.where.front() == '/');
        }
    }
  }
}

TEST_CASE("the built-in and the minimal example frameworks pass every rule", "[framework][checks]") {
  for (const auto& fw : {builtin_framework(), load_framework(example("minimal-valid.json"))}) {
    const auto findings = check(fw, on_fixed_day());
    for (const auto& f : findings) FAIL_CHECK(fw.metadata().id << ": " << f.rule << " " << f.where << " " << f.message);
    CHECK(findings.empty());
  }
}

TEST_CASE("rule severities decide the error count", "[framework][checks]") {
  const auto findings = check(load_framework(example("anchor.vague.json")));
  CHECK(count(findings, severity::error) >= 1);
  const auto vague = std::find_if(findings.begin(), findings.end(), [](const finding& f) { return f.rule == "anchor.vague"; });
  REQUIRE(vague != findings.end());
  CHECK(vague->severity == severity::error);
  CHECK_THAT(vague->message, Catch::Contains("'strong'") || Catch::Contains("'excellent'"));
}

TEST_CASE("sentence counting ignores abbreviations and decimals", "[framework][checks]") {
  CHECK(detail::count_sentences("") == 0);
  CHECK(detail::count_sentences("Ships a feature.") == 1);
  CHECK(detail::count_sentences("Ships a feature. Reports on it!") == 2);
  CHECK(detail::count_sentences("Ships features, e.g. checkout. Moves 2.5 points") == 2);
  CHECK(detail::count_sentences("Asks why? Then acts.") == 2);
}

TEST_CASE("the lexicons are extensible", "[framework][checks]") {
  const framework fw = builtin_framework();
  check_options strict;
  strict.vague_terms.push_back("writes");  // a verb several built-in anchors use
  const auto findings = check(fw, strict);
  CHECK(fires(findings, "anchor.vague"));
  check_options no_scope;
  no_scope.scope_terms = {"galaxy"};
  CHECK(fires(check(fw, no_scope), "anchor.no-scope"));
}

TEST_CASE("vague terms match whole words only", "[framework][checks]") {
  const std::string text = detail::lowercase("Deepens the strongest goods pipeline for the team.");
  CHECK_FALSE(detail::contains_term(text, "deep", true));
  CHECK_FALSE(detail::contains_term(text, "strong", true));
  CHECK_FALSE(detail::contains_term(text, "good", true));
  CHECK(detail::contains_term(detail::lowercase("A great communicator."), "great communicator", true));
  CHECK(detail::contains_term(text, "team", false));
}

TEST_CASE("the trait-word list covers character traits and grows from the framework file", "[framework][checks]") {
  const check_options defaults;
  for (const char* trait : {"highly skilled", "natural leader", "sound judgement", "strategic mindset"})
    CHECK(std::find(defaults.vague_terms.begin(), defaults.vague_terms.end(), trait) != defaults.vague_terms.end());
  // anchor.vague.trait-words.json: "checks": {"trait_words": ["wizard", "rockstar attitude"]}, and the
  // product-quality developing anchor calls the person "the quality wizard".
  const framework fw = load_framework(example("anchor.vague.trait-words.json"));
  REQUIRE(fw.checks().trait_words == std::vector<std::string>{"wizard", "rockstar attitude"});
  const auto findings = check(fw, on_fixed_day());
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "anchor.vague");
  CHECK(findings[0].where == "/competencies/2/anchors/developing");
  CHECK(findings[0].message == "'Product Quality' at 'Developing' uses trait language: 'wizard'");
  // Without the file's words the same anchor passes.
  std::ifstream in(example("anchor.vague.trait-words.json"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string words = "\"wizard\",\n      \"rockstar attitude\"\n";
  REQUIRE(text.find(words) != std::string::npos);
  text.replace(text.find(words), words.size(), "");
  const framework plain = parse_framework(text, "plain.json");
  CHECK(plain.checks().empty());
  CHECK(check(plain, on_fixed_day()).empty());
}

TEST_CASE("competency.overlap reads synonyms and word endings: User Research and Customer Interviewing",
          "[framework][checks]") {
  const check_options options = on_fixed_day();
  CHECK(detail::concept_words("User Research", options.synonyms) == std::set<std::string>{"customer", "research"});
  CHECK(detail::concept_words("Customer Interviewing", options.synonyms) ==
        std::set<std::string>{"customer", "research"});
  CHECK(detail::concept_words("Writes the specs", options.synonyms) == std::set<std::string>{"write", "specification"});
  const auto findings = check(load_framework(example("competency.overlap.synonyms.json")), options);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "competency.overlap");
  CHECK(findings[0].where == "/competencies/5");
  CHECK_THAT(findings[0].message,
             Catch::StartsWith("'User Research' and 'Customer Interviewing' overlap (name similarity 1,"));
  check_options without = options;
  without.synonyms.clear();
  CHECK(check(load_framework(example("competency.overlap.synonyms.json")), without).empty());
}

TEST_CASE("anchor.repeated and anchor.quality-only compare the levels of one competency", "[framework][checks]") {
  const auto repeated = check(load_framework(example("anchor.repeated.json")), on_fixed_day());
  REQUIRE(repeated.size() == 1);
  CHECK(repeated[0].severity == severity::error);
  CHECK(repeated[0].where == "/competencies/1/anchors/proficient");
  CHECK(repeated[0].message == "'Product Delivery' at 'Developing' and at 'Proficient' has the same anchor");

  const auto quality = check(load_framework(example("anchor.quality-only.json")), on_fixed_day());
  REQUIRE(quality.size() == 2);
  CHECK(quality[0].where == "/competencies/0/anchors/proficient");
  CHECK(quality[0].message ==
        "'Functional Specification' at 'Developing' and at 'Proficient' differ only in quality words: 'better'");
  CHECK(quality[1].where == "/competencies/0/anchors/advanced");
  CHECK(quality[1].message ==
        "'Functional Specification' at 'Developing' and at 'Advanced' differ only in quality words: 'best'");

  // Near-identical: one content word of ten differs, Jaccard 9/11 = 0.82.
  framework fw = load_framework(example("minimal-valid.json"));
  check_options options = on_fixed_day();
  std::vector<competency> comps = fw.competencies();
  comps[1].anchors[1] = "Ships each feature release on the agreed date. Tracks the risks in the team tracker.";
  comps[1].anchors[2] = "Ships each product release on the agreed date. Tracks the risks in the team tracker.";
  const framework near(fw.metadata(), fw.scale(), fw.areas(), comps, fw.ladder(), fw.expectations(), fw.archetypes());
  bool found = false;
  for (const auto& f : check(near, options))
    if (f.rule == "anchor.repeated") {
      found = true;
      CHECK(f.severity == severity::warning);
      CHECK(f.message == "'Product Delivery' at 'Developing' and at 'Proficient' has nearly the same anchor "
                         "(similarity 0.82)");
    }
  CHECK(found);
  options.anchor_similarity = 0.85;
  for (const auto& f : check(near, options)) CHECK(f.rule != "anchor.repeated");
}

TEST_CASE("framework.stale counts a year from last_updated to the date the caller passes", "[framework][checks]") {
  const framework fw = load_framework(example("minimal-valid.json"));  // last updated 2026-11-22
  check_options options;
  options.as_of = "2027-11-22";  // exactly a year: not yet stale
  CHECK_FALSE(fires(check(fw, options), "framework.stale"));
  options.as_of = "2027-11-23";
  const auto findings = check(fw, options);
  REQUIRE(fires(findings, "framework.stale"));
  CHECK(findings[0].where == "/metadata/last_updated");
  CHECK(findings[0].message ==
        "the framework was last updated on 2026-11-22, more than 12 months before 2027-11-23");
  options.as_of = "2027-02-30";
  CHECK_THROWS_AS(check(fw, options), calibra::invalid_argument);
  // The default is today, a real date.
  CHECK(is_calendar_date(detail::today()));
  CHECK(detail::days_from_date("1970-01-01") == 0);
  CHECK(detail::days_from_date("2024-03-01") - detail::days_from_date("2024-02-28") == 2);
}

TEST_CASE("scale rules: descriptions, number labels, levels with the same scope and autonomy", "[framework][checks]") {
  const auto description = check(load_framework(example("scale.description.json")), on_fixed_day());
  REQUIRE(description.size() == 1);
  CHECK(description[0].where == "/scale/2/description");
  CHECK(description[0].message == "the scale level 'Proficient' has no description");
  const auto numbers = check(load_framework(example("scale.numeric-labels.json")), on_fixed_day());
  REQUIRE(numbers.size() == 1);
  CHECK(numbers[0].message == "the scale's labels are numbers only (1 to 4)");
  const auto same = check(load_framework(example("scale.same-scope.json")), on_fixed_day());
  REQUIRE(same.size() == 1);
  CHECK(same[0].where == "/scale/2");
  CHECK(same[0].message ==
        "the scale levels 'Developing' and 'Proficient' have the same scope (feature) and autonomy (independent)");
}

TEST_CASE("ladder.superhuman: a level expecting the top of the scale on most competencies", "[framework][checks]") {
  const auto findings = check(load_framework(example("ladder.superhuman.json")), on_fixed_day());
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].where == "/expectations/senior-pm");
  CHECK(findings[0].message == "'Senior Product Manager' expects the top level 'Advanced' on 7 of 12 competencies");
  check_options looser = on_fixed_day();
  looser.top_level_share = 0.6;  // 7 of 12 is 0.58
  CHECK(check(load_framework(example("ladder.superhuman.json")), looser).empty());
}
