// Implementation of <calibra/framework/checks.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/checks.hpp>

#include <calibra/framework/framework.hpp>

#include <calibra/error.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
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
      {"scale.description", severity::warning, "a scale level has no description"},
      {"scale.numeric-labels", severity::warning, "the scale's labels are numbers only"},
      {"scale.same-scope", severity::warning, "two scale levels have the same scope and autonomy"},
      {"framework.competency-count", severity::warning, "fewer than 12 or more than 20 competencies"},
      {"framework.stale", severity::warning, "the framework was last updated more than a year ago"},
      {"competency.definition", severity::error, "a definition is missing or is not exactly one sentence"},
      {"competency.overlap", severity::warning, "two competencies overlap heavily in name or definition"},
      {"anchor.missing", severity::error, "a competency has no anchor for a level"},
      {"anchor.length", severity::warning, "an anchor is not 2-3 sentences"},
      {"anchor.vague", severity::error, "an anchor uses trait words instead of observable behaviour"},
      {"anchor.no-scope", severity::warning, "an anchor does not say at what scope the behaviour happens"},
      {"anchor.repeated", severity::error, "two levels of a competency have the same or nearly the same anchor"},
      {"anchor.quality-only", severity::error, "two levels of a competency differ only in quality words"},
      {"ladder.non-monotone", severity::error, "an expectation drops along a promotion step"},
      {"ladder.uniform", severity::warning, "a career level expects the same mean level in all four quadrants"},
      {"ladder.quadrant-shift", severity::warning, "the ladder does not shift from tactical to strategic"},
      {"ladder.no-plateau", severity::warning, "every competency rises at every step"},
      {"ladder.superhuman", severity::warning, "a career level expects the top of the scale on most competencies"},
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

CALIBRA_INLINE long days_from_date(std::string_view date) {
  // Howard Hinnant's days_from_civil.
  const auto number = [&](std::size_t from, std::size_t n) {
    long v = 0;
    for (std::size_t i = from; i < from + n; ++i) v = v * 10 + (date[i] - '0');
    return v;
  };
  long y = number(0, 4);
  const long m = number(5, 2), d = number(8, 2);
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CALIBRA_INLINE std::string today() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  long z = static_cast<long>(std::chrono::duration_cast<std::chrono::hours>(now).count() / 24);
  // Howard Hinnant's civil_from_days.
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  const long y = yoe + era * 400 + (m <= 2);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04ld-%02ld-%02ld", y, m, d);
  return buffer;
}

CALIBRA_INLINE std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : lowercase(text) + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) {
      current += c;
    } else if (!current.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  return out;
}

CALIBRA_INLINE std::set<std::string> concept_words(std::string_view text,
                                                   const std::vector<std::vector<std::string>>& synonyms) {
  const auto stem = [](std::string w) {
    const auto ends = [&](std::string_view suffix) {
      return w.size() > suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (w.size() >= 6 && ends("ing")) w.erase(w.size() - 3);
    else if (w.size() >= 5 && ends("ies")) w.replace(w.size() - 3, 3, "y");
    else if (w.size() >= 4 && ends("s") && !ends("ss")) w.pop_back();
    return w;
  };
  std::set<std::string> out;
  for (const std::string& word : content_words(text)) {
    std::string w = stem(word);
    for (const auto& group : synonyms) {
      if (group.empty()) continue;
      for (const auto& synonym : group)
        if (stem(lowercase(synonym)) == w) {
          w = stem(lowercase(group.front()));
          break;
        }
    }
    out.insert(w);
  }
  return out;
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
// A rule whose subject the framework does not have reports one info-level
// finding whose message starts with this, instead of passing silently.
const std::string not_applicable = "not applicable: ";

// ---- scale and competencies ---------------------------------------------
if (scale.size() < opt.min_levels || scale.size() > opt.max_levels)
  add("scale.level-count", "/scale",
      "the scale has " + std::to_string(scale.size()) + " levels; " + std::to_string(opt.min_levels) + " to " +
          std::to_string(opt.max_levels) + " separate adjacent career levels without false precision",
      scale.size() < opt.min_levels ? "add a level so adjacent career levels can differ"
                                    : "merge levels whose anchors raters cannot tell apart");
for (std::size_t l = 0; l < scale.size(); ++l) {
  const auto& level = scale.levels()[l];
  if (level.description.find_first_not_of(" \t\r\n") == std::string::npos)
    add("scale.description", "/scale/" + std::to_string(l) + "/description",
        "the scale level '" + level.label + "' has no description",
        "say in two or three sentences what scope a person at this level works at and how independently");
}
{
  bool all_numbers = scale.size() > 0;
  for (const auto& level : scale.levels()) {
    const auto& label = level.label;
    all_numbers = all_numbers && !label.empty() &&
                  std::all_of(label.begin(), label.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '.'; });
  }
  if (all_numbers)
    add("scale.numeric-labels", "/scale",
        "the scale's labels are numbers only (" + scale.levels().front().label + " to " + scale.levels().back().label + ")",
        "give each level a word label (Foundational, Developing, ...) so raters do not cluster on the middle number");
}
if (!scale.has_scope_and_autonomy())
  add("scale.same-scope", "/scale", not_applicable + "the scale levels have no scope and autonomy",
      "nothing to do; give every level a scope and an autonomy to have them compared", severity::info);
for (std::size_t l = 1; l < scale.size() && scale.has_scope_and_autonomy(); ++l)
  for (std::size_t k = 0; k < l; ++k) {
    const auto& a = scale.levels()[k];
    const auto& b = scale.levels()[l];
    if (a.scope == b.scope && a.autonomy == b.autonomy) {
      add("scale.same-scope", "/scale/" + std::to_string(l),
          "the scale levels '" + a.label + "' and '" + b.label + "' have the same scope (" + std::string(to_string(*a.scope)) +
              ") and autonomy (" + std::string(to_string(*a.autonomy)) + ")",
          "make the higher level reach a wider scope or work with more autonomy; levels that differ only in how well "
          "the work is done cannot be told apart");
      break;
    }
  }
if (comps.size() < opt.min_competencies || comps.size() > opt.max_competencies)
  add("framework.competency-count", "/competencies",
      "the framework has " + std::to_string(comps.size()) + " competencies, outside " +
          std::to_string(opt.min_competencies) + "-" + std::to_string(opt.max_competencies),
      comps.size() > opt.max_competencies ? "combine competencies that are split too finely"
                                          : "cover all four quadrants with enough competencies to rate");
{
  const std::string as_of = opt.as_of.empty() ? detail::today() : opt.as_of;
  if (!is_calendar_date(as_of))
    throw invalid_argument("checks", "as_of '" + as_of + "' is not a date; expected YYYY-MM-DD");
  const std::string& updated = fw.metadata().last_updated;
  if (is_calendar_date(updated) && opt.review_months > 0) {
    // The date review_months after the update, on the same day of the month
    // (the last day of a shorter month).
    const int months = std::stoi(updated.substr(0, 4)) * 12 + std::stoi(updated.substr(5, 2)) - 1 + opt.review_months;
    const int year = months / 12, month = months % 12 + 1;
    int day = std::stoi(updated.substr(8, 2));
    char due[64];
    for (;; --day) {
      std::snprintf(due, sizeof due, "%04d-%02d-%02d", year, month, day);
      if (is_calendar_date(due)) break;
    }
    if (detail::days_from_date(as_of) > detail::days_from_date(due))
      add("framework.stale", "/metadata/last_updated",
          "the framework was last updated on " + updated + ", more than " + std::to_string(opt.review_months) +
              " months before " + as_of,
          "review the anchors and expectations with the people who manage against them, then update last_updated");
  }
}
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
      const double by_name = detail::jaccard(detail::concept_words(comps[a].name, opt.synonyms),
                                             detail::concept_words(comps[b].name, opt.synonyms));
      const double by_def = detail::jaccard(detail::concept_words(comps[a].definition, opt.synonyms),
                                            detail::concept_words(comps[b].definition, opt.synonyms));
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
      for (const auto& term : fw.checks().trait_words)
        if (detail::contains_term(lower, term, true) &&
            std::find(hits.begin(), hits.end(), detail::lowercase(term)) == hits.end())
          hits.push_back(detail::lowercase(term));
      if (!hits.empty()) {
        std::string list;
        for (const auto& h : hits) list += (list.empty() ? "'" : ", '") + h + "'";
        add("anchor.vague", at, what + " uses trait language: " + list,
            "replace the adjective with the action a neutral observer would see (the photograph test)");
      }
      const bool scoped = std::any_of(opt.scope_terms.begin(), opt.scope_terms.end(),
                                      [&](const std::string& t) { return detail::contains_term(lower, t, false); });
      if (!scoped && scale.has_scope_and_autonomy())
        add("anchor.no-scope", at, what + " does not say at what scope the behaviour happens",
            "name the scope: a task, a feature, a product area, several areas, the organisation");
    }

  if (!scale.has_scope_and_autonomy())
    add("anchor.no-scope", "/scale", not_applicable + "the scale levels have no scope, so anchors are not asked to name one",
        "nothing to do; give the scale levels a scope and an autonomy to have the anchors checked for scope",
        severity::info);

  // ---- anchors across the levels of one competency -------------------------
  for (std::size_t c = 0; c < comps.size(); ++c) {
    const auto blank = [&](std::size_t l) {
      return comps[c].anchors[l].find_first_not_of(" \t\r\n") == std::string::npos;
    };
    std::vector<std::set<std::string>> content(scale.size()), essential(scale.size());
    for (std::size_t l = 0; l < scale.size(); ++l) {
      content[l] = detail::content_words(comps[c].anchors[l]);
      for (const auto& w : content[l])
        if (std::none_of(opt.quality_terms.begin(), opt.quality_terms.end(),
                         [&](const std::string& q) { return detail::lowercase(q) == w; }))
          essential[l].insert(w);
    }
    for (std::size_t l = 1; l < scale.size(); ++l) {
      if (blank(l)) continue;
      const std::string at = "/competencies/" + std::to_string(c) + "/anchors/" + scale.levels()[l].id;
      for (std::size_t k = 0; k < l; ++k) {
        if (blank(k)) continue;
        const std::string pair = cname(c) + " at '" + scale.levels()[k].label + "' and at '" + scale.levels()[l].label + "'";
        if (detail::words(comps[c].anchors[k]) == detail::words(comps[c].anchors[l])) {
          add("anchor.repeated", at, pair + " has the same anchor",
              "write what changes at the higher level: a wider scope, more independence, other people's work");
          break;
        }
        if (!essential[l].empty() && essential[k] == essential[l] && content[k] != content[l]) {
          std::string list;
          for (const auto& w : content[k])
            if (!content[l].count(w)) list += (list.empty() ? "'" : ", '") + w + "'";
          for (const auto& w : content[l])
            if (!content[k].count(w)) list += (list.empty() ? "'" : ", '") + w + "'";
          add("anchor.quality-only", at, pair + " differ only in quality words: " + list,
              "levels differ in scope and autonomy, not in how well: say how far the work reaches and who decides");
          break;
        }
        const double similarity = detail::jaccard(content[k], content[l]);
        if (similarity >= opt.anchor_similarity) {
          add("anchor.repeated", at, pair + " has nearly the same anchor (similarity " + detail::fixed1(similarity) + ")",
              "write what changes at the higher level: a wider scope, more independence, other people's work",
              severity::warning);
          break;
        }
      }
    }
  }

  // ---- ladder ---------------------------------------------------------------
  if (!fw.has_career_levels()) {
    for (const auto& r : check_rules())
      if (r.id.substr(0, 7) == "ladder.")
        add(r.id, "/career_levels", not_applicable + "the framework has no career levels",
            "nothing to do; add career levels and expectations to have the ladder checked", severity::info);
    return out;
  }
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
      if (comps[c].quadrant->is_strategic() == strategic) {
        sum += E(static_cast<Eigen::Index>(level), static_cast<Eigen::Index>(c));
        ++n;
      }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
  };
  if (!fw.has_quadrants())
    for (const char* rule : {"ladder.uniform", "ladder.quadrant-shift"})
      add(rule, "/competencies", not_applicable + "the competencies have no quadrants",
          "nothing to do; give every competency a quadrant to have the quadrant profile checked", severity::info);
  bool all_quadrants_present = fw.has_quadrants();
  for (int q = 0; q < 4 && all_quadrants_present; ++q) all_quadrants_present = !std::isnan(profile(0, q));
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
      fw.has_quadrants() &&
      std::any_of(comps.begin(), comps.end(), [](const competency& c) { return c.quadrant->is_strategic(); }) &&
      std::any_of(comps.begin(), comps.end(), [](const competency& c) { return c.quadrant->is_tactical(); });
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
  if (!comps.empty())
    for (std::size_t l = 0; l < levels.size(); ++l) {
      std::size_t at_top = 0;
      for (std::size_t c = 0; c < comps.size(); ++c)
        at_top += static_cast<std::size_t>(E(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c))) == scale.size();
      if (static_cast<double>(at_top) > opt.top_level_share * static_cast<double>(comps.size()))
        add("ladder.superhuman", "/expectations/" + levels[l].id,
            lname(l) + " expects the top level '" + scale.levels().back().label + "' on " + std::to_string(at_top) +
                " of " + std::to_string(comps.size()) + " competencies",
            "reserve the top levels for the strategic competencies that define the role; let tactical ones plateau");
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
