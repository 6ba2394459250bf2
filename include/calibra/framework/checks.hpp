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
  std::vector<std::string> vague_terms{
      "strong",      "excellent",     "deep",           "great",        "solid",          "exceptional",
      "outstanding", "good",          "effective",      "proactive",    "thinks strategically",
      "strategic thinker", "great communicator", "passionate", "visionary", "world-class",
      "best-in-class", "detail-oriented", "team player", "rock star", "rockstar", "savvy", "strong understanding"};
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

}  // namespace detail

/// Applies every rule to `fw`.  Findings come in rule order, then in the
/// order of the framework's own lists.
std::vector<finding> check(const framework& fw, const check_options& opt = {});

std::size_t count(const std::vector<finding>& findings, severity s);

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/checks-inl.hpp>
#endif
