// Framework checks: the design rules of a good framework (observable anchors, scope-based
// levels, quadrant shift, plateaus, 3-5 promotion gaps) applied by code.
//
// check() never throws on a valid framework; it returns findings.  Rule ids
// are stable and documented in docs/checks.md with an example each
// (examples/frameworks/<rule>.json).
#pragma once

#include <calibra/config.hpp>
#include <calibra/framework/framework.hpp>

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>
#include <set>

namespace calibra {

enum class severity { error, warning, info };

std::string_view to_string(severity s);

struct finding {
  std::string rule;  // stable id, e.g. "anchor.vague"
  calibra::severity severity = severity::warning;
  std::string where;  // JSON pointer into the framework file format
  std::string message;
  std::string hint;  // how to fix it
};

struct rule_info {
  std::string_view id;
  calibra::severity severity;
  std::string_view summary;
};

/// Every rule check() applies, with its severity.
const std::vector<rule_info>& check_rules();

/// Tunables of check().  The lexicons are data so organisations can extend
/// them with their own vocabulary (see docs/checks.md).
struct check_options {
  /// Trait adjectives and phrases that fail the photograph test.  Matched
  /// case-insensitively on word boundaries.
  /// The framework file's "checks": {"trait_words": [...]} adds to this list.
  std::vector<std::string> vague_terms{
      "strong",      "excellent",     "deep",           "great",        "solid",          "exceptional",
      "outstanding", "good",          "effective",      "proactive",    "thinks strategically",
      "strategic thinker", "great communicator", "passionate", "visionary", "world-class",
      "best-in-class", "detail-oriented", "team player", "rock star", "rockstar", "savvy", "strong understanding",
      // Traits of character and talent: inferred, never seen.
      "highly skilled", "skilled", "talented", "gifted", "brilliant", "natural leader", "born leader",
      "sound judgement", "sound judgment", "good judgement", "good judgment", "strategic mindset",
      "growth mindset", "owner mindset", "self-starter", "go-getter", "charismatic", "confident", "motivated",
      "driven", "hard-working", "hardworking", "results-oriented", "customer-obsessed", "intuitive", "dynamic",
      "ninja", "guru", "superstar", "seasoned", "mature", "polished"};
  /// Words that state the scope of a behaviour.  Matched case-insensitively
  /// at the start of a word, so "feature" also matches "features".
  std::vector<std::string> scope_terms{"task",    "feature",      "product area", "product line", "several product areas",
                                       "multiple product areas", "organisation", "organization", "company", "companies",
                                       "team",    "portfolio",    "squad",        "department",   "business unit",
                                       "initiative", "project"};
  std::size_t min_levels = 4, max_levels = 5;
  std::size_t min_competencies = 12, max_competencies = 20;
  std::size_t min_anchor_sentences = 2, max_anchor_sentences = 3;
  std::size_t min_promotion_gaps = 3, max_promotion_gaps = 5;
  double name_overlap = 0.6;        // Jaccard similarity of content words
  double definition_overlap = 0.5;  // Jaccard similarity of content words
  /// Words read as one for competency.overlap: each group's words count as
  /// its first word, after plural and -ing endings are dropped.
  std::vector<std::vector<std::string>> synonyms{
      {"customer", "user", "client", "buyer", "consumer"},
      {"research", "interview", "discovery", "survey"},
      {"roadmap", "roadmapping"},
      {"metric", "analytics", "measurement"},
      {"stakeholder", "partner"},
      {"specification", "spec", "requirement", "prd"},
  };
  /// Two anchors of one competency whose content words have at least this
  /// Jaccard similarity are near-identical (anchor.repeated).
  double anchor_similarity = 0.8;
  /// Words that say how well, not what or at what scope (anchor.quality-only).
  std::vector<std::string> quality_terms{
      "good",   "better",   "best",      "great",   "greater",   "greatest",  "strong",     "stronger",
      "strongest", "excellent", "excellently", "solid", "outstanding", "exceptional", "exceptionally", "superior",
      "basic",  "high",     "higher",    "highest", "very",      "more",       "most",
      "much",   "well",     "really",    "highly",  "increasingly", "consistently", "effectively", "deep",
      "deeper", "deepest",  "some",      "fully",   "expert",    "advanced",  "mastery",    "masterful"};
  /// The date the checks are made on, YYYY-MM-DD; empty: today (UTC).
  /// framework.stale compares metadata.last_updated with it.
  std::string as_of;
  /// A framework last updated more than this many months before as_of is stale.
  int review_months = 12;
  /// A career level expecting the top level of the scale on more than this
  /// share of the competencies is superhuman (ladder.superhuman).
  double top_level_share = 0.5;
};

namespace detail {

std::string lowercase(std::string_view text);

bool is_word_char(char c);

/// Sentences end at '.', '!' or '?' followed by whitespace or the end of the
/// text; a few abbreviations do not end sentences.
std::size_t count_sentences(std::string_view text);

/// Whether `term` occurs in `lower_text` starting at a word boundary (and, if
/// `whole_word`, also ending at one).
bool contains_term(const std::string& lower_text, const std::string& term, bool whole_word);

std::set<std::string> content_words(std::string_view text);

double jaccard(const std::set<std::string>& a, const std::set<std::string>& b);

std::string fixed1(double v);

/// Days since 1970-01-01 of a date for which is_calendar_date() holds.
long days_from_date(std::string_view date);

/// Today's date (UTC), YYYY-MM-DD.
std::string today();

/// Lower-case word tokens of `text` (letters and digits; other bytes split).
std::vector<std::string> words(std::string_view text);

/// content_words() with plural and -ing endings dropped and each synonym
/// group's words replaced by its first, the form competency.overlap compares.
std::set<std::string> concept_words(std::string_view text, const std::vector<std::vector<std::string>>& synonyms);

}  // namespace detail

/// Applies every rule to `fw`.  Findings come in rule order, then in the
/// order of the framework's own lists.
std::vector<finding> check(const framework& fw, const check_options& opt = {});

std::size_t count(const std::vector<finding>& findings, severity s);

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/checks-inl.hpp>
#endif
