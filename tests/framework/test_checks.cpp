#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace calibra;

namespace {

std::string example(const std::string& name) { return std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks/" + name; }

bool fires(const std::vector<finding>& findings, const std::string& rule) {
  return std::any_of(findings.begin(), findings.end(), [&](const finding& f) { return f.rule == rule; });
}

}  // namespace

TEST_CASE("every rule fires on its example framework", "[framework][checks]") {
  for (const auto& rule : check_rules()) {
    const std::string id(rule.id);
    DYNAMIC_SECTION(id) {
      const framework fw = load_framework(example(id + ".json"));
      const auto findings = check(fw);
      CHECK(fires(findings, id));
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
    const auto findings = check(fw);
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
