// Implementation of <calibra/framework/checks.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/checks.hpp>

#include <calibra/framework/framework.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>


namespace calibra {

CALIBRA_INLINE std::string_view to_string(severity s) {
switch (s) {
  case severity::error: return "error";
  case severity::warning: return "warning";
  case severity::info: return "info";
}
  return "?";
}

CALIBRA_INLINE const std::vector<rule_info>& check_rules() {
  static const std::vector<rule_info> rules{
      {"scale.level-count", severity::warning, "the scale has fewer than 4 or more than 5 levels"},
      {"framework.competency-count", severity::warning, "fewer than 12 or more than 20 competencies"},
      {"competency.definition", severity::error, "a definition is missing or is not exactly one sentence"},
      {"competency.overlap", severity::warning, "two competencies overlap heavily in name or definition"},
      {"anchor.missing", severity::error, "a competency has no anchor for a level"},
      {"anchor.length", severity::warning, "an anchor is not 2-3 sentences"},
      {"anchor.vague", severity::error, "an anchor uses trait words instead of observable behaviour"},
      {"anchor.no-scope", severity::warning, "an anchor does not say at what scope the behaviour happens"},
      {"ladder.non-monotone", severity::error, "an expectation drops along a promotion step"},
      {"ladder.uniform", severity::warning, "a career level expects the same mean level in all four quadrants"},
      {"ladder.quadrant-shift", severity::warning, "the ladder does not shift from tactical to strategic"},
      {"ladder.no-plateau", severity::warning, "every competency rises at every step"},
      {"ladder.promotion-gap-count", severity::warning, "a step raises fewer than 3 or more than 5 competencies"},
      {"ladder.track", severity::error, "a manager level expects no more people leadership than its IC peer"},
  };
  return rules;
}

}  // namespace calibra

namespace calibra::detail {

CALIBRA_INLINE std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

CALIBRA_INLINE bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || (static_cast<unsigned char>(c) & 0x80);
}

CALIBRA_INLINE std::size_t count_sentences(std::string_view text) {
static const char* const abbreviations[] = {"e.g.", "i.e.", "etc.", "vs.", "approx.", "incl."};
std::size_t count = 0;
bool content_since_end = false;
for (std::size_t i = 0; i < text.size(); ++i) {
  const char c = text[i];
  if (c == '.' || c == '!' || c == '?') {
    const bool at_boundary = i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1]));
    if (!at_boundary) continue;
    bool abbreviation = false;
    for (const char* abbr : abbreviations) {
      const std::string_view a(abbr);
      if (i + 1 >= a.size() && lowercase(text.substr(i + 1 - a.size(), a.size())) == a) abbreviation = true;
    }
    if (abbreviation) continue;
    if (content_since_end) ++count;
    content_since_end = false;
  } else if (!std::isspace(static_cast<unsigned char>(c))) {
    content_since_end = true;
  }
}
  if (content_since_end) ++count;  // a final sentence without its full stop still counts
  return count;
}

CALIBRA_INLINE bool contains_term(const std::string& lower_text, const std::string& term, bool whole_word) {
const std::string t = lowercase(term);
for (std::size_t pos = lower_text.find(t); pos != std::string::npos; pos = lower_text.find(t, pos + 1)) {
  const bool starts = pos == 0 || !is_word_char(lower_text[pos - 1]);
  const std::size_t end = pos + t.size();
  const bool ends = end == lower_text.size() || !is_word_char(lower_text[end]);
  if (starts && (!whole_word || ends)) return true;
}
  return false;
}

CALIBRA_INLINE std::set<std::string> content_words(std::string_view text) {
static const std::set<std::string> stop{"a",    "an",   "and",  "the",  "of",   "to",   "in",   "for",
                                        "on",   "with", "by",   "at",   "from", "that", "this", "it",
                                        "its",  "as",   "or",   "is",   "are",  "be",   "their", "they",
                                        "what", "how",  "into", "so",   "can",  "which", "who", "&"};
std::set<std::string> words;
std::string current;
for (char c : lowercase(text) + " ") {
  if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) {
    current += c;
  } else {
    if (!current.empty() && !stop.count(current)) words.insert(current);
    current.clear();
  }
}
  return words;
}

CALIBRA_INLINE double jaccard(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 0;
  std::size_t common = 0;
  for (const auto& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

CALIBRA_INLINE std::string fixed1(double v) {
  const double r = std::round(v * 100) / 100;
  std::string s = std::to_string(r);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace calibra::detail

namespace calibra {

CALIBRA_INLINE std::vector<finding> check(const framework& fw, const check_options& opt) {
std::vector<finding> out;
auto add = [&](std::string_view rule, std::string where, std::string message, std::string hint,
               std::optional<severity> level = std::nullopt) {
  severity s = severity::warning;
  for (const auto& r : check_rules())
    if (r.id == rule) s = r.severity;
  out.push_back({std::string(rule), level.value_or(s), std::move(where), std::move(message), std::move(hint)});
};
const auto& scale = fw.scale();
const auto& comps = fw.competencies();
const auto& ladder = fw.ladder();
const auto& levels = ladder.career_levels();
const auto& E = fw.expectations();
auto cname = [&](std::size_t c) { return "'" + comps[c].name + "'"; };
auto lname = [&](std::size_t l) { return "'" + levels[l].name + "'"; };

// ---- scale and competencies ---------------------------------------------
if (scale.size() < opt.min_levels || scale.size() > opt.max_levels)
  add("scale.level-count", "/scale",
      "the scale has " + std::to_string(scale.size()) + " levels; " + std::to_string(opt.min_levels) + " to " +
          std::to_string(opt.max_levels) + " separate adjacent career levels without false precision",
      scale.size() < opt.min_levels ? "add a level so adjacent career levels can differ"
                                    : "merge levels whose anchors raters cannot tell apart");
if (comps.size() < opt.min_competencies || comps.size() > opt.max_competencies)
  add("framework.competency-count", "/competencies",
      "the framework has " + std::to_string(comps.size()) + " competencies, outside " +
          std::to_string(opt.min_competencies) + "-" + std::to_string(opt.max_competencies),
      comps.size() > opt.max_competencies ? "combine competencies that are split too finely"
                                          : "cover all four quadrants with enough competencies to rate");
for (std::size_t c = 0; c < comps.size(); ++c) {
  const std::string at = "/competencies/" + std::to_string(c) + "/definition";
  const auto sentences = detail::count_sentences(comps[c].definition);
  if (sentences == 0)
    add("competency.definition", at, cname(c) + " has no definition",
        "write one sentence saying what the competency covers");
  else if (sentences != 1)
    add("competency.definition", at, cname(c) + " is defined in " + std::to_string(sentences) + " sentences",
        "condense the definition to a single sentence", severity::warning);
}
  for (std::size_t a = 0; a < comps.size(); ++a)
    for (std::size_t b = a + 1; b < comps.size(); ++b) {
      const double by_name =
          detail::jaccard(detail::content_words(comps[a].name), detail::content_words(comps[b].name));
      const double by_def =
          detail::jaccard(detail::content_words(comps[a].definition), detail::content_words(comps[b].definition));
      if (by_name >= opt.name_overlap || by_def >= opt.definition_overlap)
        add("competency.overlap", "/competencies/" + std::to_string(b),
            cname(a) + " and " + cname(b) + " overlap (name similarity " + detail::fixed1(by_name) +
                ", definition similarity " + detail::fixed1(by_def) + ")",
            "merge them into one competency or sharpen the definitions so each rating counts once");
    }

  // ---- anchors --------------------------------------------------------------
  for (std::size_t c = 0; c < comps.size(); ++c)
    for (std::size_t l = 0; l < scale.size(); ++l) {
      const std::string& anchor = comps[c].anchors[l];
      const std::string at = "/competencies/" + std::to_string(c) + "/anchors/" + scale.levels()[l].id;
      const std::string what = cname(c) + " at '" + scale.levels()[l].label + "'";
      if (anchor.find_first_not_of(" \t\r\n") == std::string::npos) {
        add("anchor.missing", at, what + " has no behavioural anchor",
            "describe what a person at this level does, at what scope, with how much independence");
        continue;
      }
      const auto sentences = detail::count_sentences(anchor);
      if (sentences < opt.min_anchor_sentences || sentences > opt.max_anchor_sentences)
        add("anchor.length", at, what + " has " + std::to_string(sentences) + " sentences",
            sentences < opt.min_anchor_sentences ? "add the scope and the evidence a rater would see"
                                                 : "keep the single most telling behaviour; long anchors get skimmed");
      const std::string lower = detail::lowercase(anchor);
      std::vector<std::string> hits;
      for (const auto& term : opt.vague_terms)
        if (detail::contains_term(lower, term, true)) hits.push_back(term);
      if (!hits.empty()) {
        std::string list;
        for (const auto& h : hits) list += (list.empty() ? "'" : ", '") + h + "'";
        add("anchor.vague", at, what + " uses trait language: " + list,
            "replace the adjective with the action a neutral observer would see (the photograph test)");
      }
      const bool scoped = std::any_of(opt.scope_terms.begin(), opt.scope_terms.end(),
                                      [&](const std::string& t) { return detail::contains_term(lower, t, false); });
      if (!scoped)
        add("anchor.no-scope", at, what + " does not say at what scope the behaviour happens",
            "name the scope: a task, a feature, a product area, several areas, the organisation");
    }

  // ---- ladder ---------------------------------------------------------------
  const auto gaps = fw.promotion_gaps();
  for (const auto& s : ladder.steps())
    for (std::size_t c = 0; c < comps.size(); ++c) {
      const int before = E(static_cast<Eigen::Index>(s.from), static_cast<Eigen::Index>(c));
      const int after = E(static_cast<Eigen::Index>(s.to), static_cast<Eigen::Index>(c));
      if (after < before)
        add("ladder.non-monotone", "/expectations/" + levels[s.to].id + "/" + comps[c].id,
            cname(c) + " drops from level " + std::to_string(before) + " at " + lname(s.from) + " to " +
                std::to_string(after) + " at " + lname(s.to),
            "expectations are minimums; a promotion never lowers one");
    }

  const Eigen::MatrixXd profile = fw.quadrant_profile();
  auto quadrant_mean = [&](std::size_t level, bool strategic) {
    double sum = 0;
    int n = 0;
    for (std::size_t c = 0; c < comps.size(); ++c)
      if (comps[c].quadrant.is_strategic() == strategic) {
        sum += E(static_cast<Eigen::Index>(level), static_cast<Eigen::Index>(c));
        ++n;
      }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
  };
  bool all_quadrants_present = true;
  for (int q = 0; q < 4; ++q) all_quadrants_present = all_quadrants_present && !std::isnan(profile(0, q));
  if (all_quadrants_present) {
    for (std::size_t l = 0; l < levels.size(); ++l) {
      const auto row = profile.row(static_cast<Eigen::Index>(l));
      if (row.maxCoeff() - row.minCoeff() < 1e-9)
        add("ladder.uniform", "/expectations/" + levels[l].id,
            lname(l) + " expects a mean level of " + detail::fixed1(row(0)) + " in every quadrant",
            "encode the quadrant shift: tactical first for junior levels, strategic for senior ones");
    }
  }

  const auto ic = ladder.track_levels(track::ic);
  const bool has_both_focuses =
      std::any_of(comps.begin(), comps.end(), [](const competency& c) { return c.quadrant.is_strategic(); }) &&
      std::any_of(comps.begin(), comps.end(), [](const competency& c) { return c.quadrant.is_tactical(); });
  if (!ic.empty() && has_both_focuses) {
    const std::size_t first = ic.front();
    const double tactical = quadrant_mean(first, false), strategic = quadrant_mean(first, true);
    if (!(tactical > strategic))
      add("ladder.quadrant-shift", "/expectations/" + levels[first].id,
          lname(first) + " expects " + detail::fixed1(tactical) + " on tactical and " + detail::fixed1(strategic) +
              " on strategic competencies; the entry level should be higher in tactical ones",
          "raise tactical or lower strategic expectations at the entry level");
    if (ic.size() >= 2) {
      const std::size_t second = ic[1];
      bool rises = false;
      for (int q = 2; q < 4; ++q)
        if (profile(static_cast<Eigen::Index>(second), q) > profile(static_cast<Eigen::Index>(first), q) + 1e-9)
          rises = true;
      if (!rises)
        add("ladder.quadrant-shift", "/expectations/" + levels[second].id,
            lname(second) + " is not above " + lname(first) + " in any strategic quadrant",
            "the second IC level should add proficiency in at least one strategic quadrant");
    }
    const int third_level = 3;
    for (std::size_t k = 2; k < ic.size(); ++k) {
      const std::size_t l = ic[k];
      int reached = 0;
      for (int q = 0; q < 4; ++q)
        if (std::floor(profile(static_cast<Eigen::Index>(l), q) + 0.5) >= third_level) ++reached;
      if (reached < 3)
        add("ladder.quadrant-shift", "/expectations/" + levels[l].id,
            lname(l) + " reaches '" + scale.levels()[static_cast<std::size_t>(third_level - 1)].label +
                "' in " + std::to_string(reached) + " of 4 quadrants; a senior level needs at least 3",
            "raise strategic expectations so senior levels operate across three or four quadrants");
    }
  }

  if (!ladder.steps().empty() && !comps.empty()) {
    const bool every_rises = std::all_of(gaps.begin(), gaps.end(), [&](const promotion_gap& g) {
      return g.competencies.size() == comps.size();
    });
    if (every_rises)
      add("ladder.no-plateau", "/expectations",
          "every competency rises at every step, so senior levels expect the maximum everywhere",
          "let tactical competencies plateau where senior people delegate the work");
  }
  for (std::size_t k = 0; k < gaps.size(); ++k) {
    const auto n = gaps[k].competencies.size();
    if (n < opt.min_promotion_gaps || n > opt.max_promotion_gaps)
      add("ladder.promotion-gap-count", "/steps/" + std::to_string(k),
          "the step " + lname(gaps[k].step.from) + " -> " + lname(gaps[k].step.to) + " raises " + std::to_string(n) +
              " competencies; focus needs " + std::to_string(opt.min_promotion_gaps) + "-" +
              std::to_string(opt.max_promotion_gaps),
          n < opt.min_promotion_gaps ? "name the competencies that distinguish the two levels"
                                     : "keep only the competencies that most differentiate the levels");
  }

  for (std::size_t l = 0; l < levels.size(); ++l) {
    if (levels[l].track != track::manager) continue;
    const auto peer = ladder.ic_peer(l);
    if (!peer) continue;
    std::vector<std::size_t> people;
    for (std::size_t c = 0; c < comps.size(); ++c)
      if (comps[c].people_leadership) people.push_back(c);
    if (people.empty()) continue;
    bool more = false;
    for (std::size_t c : people)
      if (E(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c)) >
          E(static_cast<Eigen::Index>(*peer), static_cast<Eigen::Index>(c)))
        more = true;
    if (!more)
      add("ladder.track", "/expectations/" + levels[l].id,
          lname(l) + " expects no more people leadership than its IC peer " + lname(*peer),
          "raise the people-leadership expectations of the manager track above the IC track");
  }
  return out;
}

CALIBRA_INLINE std::size_t count(const std::vector<finding>& findings, severity s) {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const finding& f) { return f.severity == s; }));
}

}  // namespace calibra
