// Implementation of <calibra/framework/documents.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/documents.hpp>

#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace calibra {

CALIBRA_INLINE std::string_view to_string(document_grouping g) {
  return g == document_grouping::area ? "area" : "quadrant";
}

}  // namespace calibra

namespace calibra::detail {

CALIBRA_INLINE std::size_t career_level_or_throw(const framework& fw, std::string_view career_level_id) {
  if (const auto index = fw.ladder().index_of(career_level_id)) return *index;
  std::string valid;
  for (const auto& l : fw.ladder().career_levels()) valid += (valid.empty() ? "" : ", ") + l.id;
  throw invalid_argument("documents", "unknown career level '" + std::string(career_level_id) +
                                          "'; valid career levels: " + valid);
}

CALIBRA_INLINE document_source source_of(const framework& fw, std::size_t level) {
  const auto& m = fw.metadata();
  const auto& l = fw.ladder().career_levels()[level];
  return {m.id, m.name, m.version, m.last_updated, l.id, l.name, l.track, l.rank};
}

CALIBRA_INLINE int target(const framework& fw, std::size_t level, std::size_t competency) {
  return fw.expectations()(static_cast<Eigen::Index>(level), static_cast<Eigen::Index>(competency));
}

CALIBRA_INLINE std::string quadrant_name(quadrant q) {
  return std::string(q.is_strategic() ? "Strategic" : "Tactical") + ", " +
         (q.orientation == orientation::external ? "external" : "internal");
}

CALIBRA_INLINE document_grouping grouping_of(const framework& fw) {
  if (fw.areas().empty()) return document_grouping::quadrant;
  const bool all = std::all_of(fw.competencies().begin(), fw.competencies().end(),
                               [](const competency& c) { return c.area.has_value(); });
  return all ? document_grouping::area : document_grouping::quadrant;
}

CALIBRA_INLINE std::vector<competency_group> groups_of(const framework& fw, document_grouping grouping) {
std::vector<competency_group> groups;
const auto& comps = fw.competencies();
if (grouping == document_grouping::area) {
  for (const auto& a : fw.areas()) {
    competency_group g{a.id, a.name, {}};
    for (std::size_t c = 0; c < comps.size(); ++c)
      if (comps[c].area == a.id) g.competencies.push_back(c);
    if (!g.competencies.empty()) groups.push_back(std::move(g));
  }
} else if (!fw.has_quadrants()) {
  // Neither areas on every competency nor quadrants: one group of all.
  competency_group g{"competencies", "Competencies", {}};
  for (std::size_t c = 0; c < comps.size(); ++c) g.competencies.push_back(c);
  groups.push_back(std::move(g));
} else {
  for (quadrant q : all_quadrants()) {
    competency_group g{to_string(q), quadrant_name(q), {}};
    for (std::size_t c = 0; c < comps.size(); ++c)
      if (comps[c].quadrant == q) g.competencies.push_back(c);
    if (!g.competencies.empty()) groups.push_back(std::move(g));
  }
}
  return groups;
}

CALIBRA_INLINE std::string scope_phrase(scope s) {
switch (s) {
  case scope::task: return "on well-bounded tasks";
  case scope::feature: return "for whole features";
  case scope::product_area: return "across an entire product area";
  case scope::multiple_areas: return "across several product areas";
  case scope::organisation: return "across the product organisation";
  case scope::company: return "across the whole company";
}
  return "";
}

CALIBRA_INLINE std::string autonomy_phrase(autonomy a) {
switch (a) {
  case autonomy::guided: return "with guidance";
  case autonomy::independent: return "independently";
  case autonomy::leads_others: return "leading others";
  case autonomy::sets_direction: return "setting the direction";
}
  return "";
}

CALIBRA_INLINE std::string definition_clause(std::string definition) {
  while (!definition.empty() && (definition.back() == '.' || definition.back() == ' ')) definition.pop_back();
  if (definition.size() >= 2 && definition[0] >= 'A' && definition[0] <= 'Z' && definition[1] >= 'a' &&
      definition[1] <= 'z')
    definition[0] = static_cast<char>(definition[0] - 'A' + 'a');
  return definition;
}

CALIBRA_INLINE std::string responsibility_statement(const competency& c, const proficiency_level& level) {
if (!level.scope || !level.autonomy) {
  // A scale without scope and autonomy: the level's label says it all.
  const std::string clause = definition_clause(c.definition);
  return "Practise " + c.name + " at the level '" + level.label + "'" + (clause.empty() ? "." : ": " + clause + ".");
}
const std::string where = scope_phrase(*level.scope);
std::string s;
switch (*level.autonomy) {
  case autonomy::guided:
    s = "Practise " + c.name + " " + where +
        ", with a more experienced product manager shaping the approach and reviewing the result";
    break;
  case autonomy::independent:
    s = "Own " + c.name + " " + where + " without day-to-day supervision, choosing the approach yourself";
    break;
  case autonomy::leads_others:
    s = "Lead " + c.name + " " + where +
        ", bringing other product managers along and raising the standard of their work";
    break;
  case autonomy::sets_direction:
    s = "Set the direction for " + c.name + " " + where +
        ", defining the standards and systems that others work within";
    break;
}
  const std::string clause = definition_clause(c.definition);
  return s + (clause.empty() ? "." : ": " + clause + ".");
}

CALIBRA_INLINE std::string level_reach(const proficiency_level& level) {
  if (!level.scope || !level.autonomy) return level.label;
  return level.label + " (" + scope_phrase(*level.scope) + ", " + autonomy_phrase(*level.autonomy) + ")";
}

CALIBRA_INLINE std::string list_names(const std::vector<std::string>& names) {
std::string out;
for (std::size_t i = 0; i < names.size(); ++i) {
  if (i > 0) out += i + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ";
  out += names[i];
}
  return out;
}

CALIBRA_INLINE std::string table_cell(const std::string& text) {
std::string out;
for (char c : text) {
  if (c == '|') out += "\\|";
  else if (c == '\n' || c == '\r') out += ' ';
  else out += c;
}
  return out;
}

}  // namespace calibra::detail

namespace calibra {

CALIBRA_INLINE job_description_draft job_description(const framework& fw, std::string_view career_level_id) {
const std::size_t level = detail::career_level_or_throw(fw, career_level_id);
const auto& comps = fw.competencies();
const auto& scale = fw.scale();
job_description_draft jd;
jd.source = detail::source_of(fw, level);

std::optional<std::size_t> previous;
for (const step& s : fw.ladder().steps())
  if (s.to == level) {
    previous = s.from;
    break;
  }
if (previous) {
  jd.previous_level_id = fw.ladder().career_levels()[*previous].id;
  jd.previous_level_name = fw.ladder().career_levels()[*previous].name;
}

  jd.grouping = detail::grouping_of(fw);
  for (const auto& g : detail::groups_of(fw, jd.grouping)) {
    responsibility_group group{g.id, g.name, {}};
    for (std::size_t c : g.competencies) {
      responsibility r;
      r.competency = c;
      r.competency_id = comps[c].id;
      r.competency_name = comps[c].name;
      r.level = detail::target(fw, level, c);
      const proficiency_level& target = scale.at_ordinal(r.level);
      r.level_label = target.label;
      r.statement = detail::responsibility_statement(comps[c], target);
      if (previous) {
        r.previous_level = detail::target(fw, *previous, c);
        r.distinguishing = r.level > r.previous_level;
        if (r.distinguishing)
          r.change = "rises from " + detail::level_reach(scale.at_ordinal(r.previous_level)) + " to " +
                     detail::level_reach(target) + ".";
      }
      group.responsibilities.push_back(std::move(r));
    }
    jd.groups.push_back(std::move(group));
  }
  for (std::size_t c = 0; c < comps.size(); ++c)
    for (const auto& g : jd.groups)
      for (const auto& r : g.responsibilities)
        if (r.competency == c && r.distinguishing) jd.distinguishing.push_back(r);

  // The summary: scope of most targets, where the weight lies, what is new.
  std::array<int, detail::scope_names.size()> scope_count{};
  int highest = 0;
  for (std::size_t c = 0; c < comps.size(); ++c) {
    const int t = detail::target(fw, level, c);
    if (const auto sc = scale.at_ordinal(t).scope) ++scope_count[static_cast<std::size_t>(*sc)];
    highest = std::max(highest, t);
  }
  std::size_t common_scope = 0;
  for (std::size_t s = 0; s < scope_count.size(); ++s)
    if (scope_count[s] >= scope_count[common_scope]) common_scope = s;
  std::vector<std::string> strongest;
  for (std::size_t c = 0; c < comps.size(); ++c)
    if (detail::target(fw, level, c) == highest) strongest.push_back(comps[c].name);

  const auto& cl = fw.ladder().career_levels()[level];
  std::string& s = jd.summary;
  s = "The " + cl.name + " is " +
      (cl.track == track::manager ? "a people-management role on the manager track"
                                  : "an individual-contributor role") +
      " in the " + fw.metadata().name + ". It covers all " + std::to_string(comps.size()) +
      " competencies of the framework" +
      (scale.has_scope_and_autonomy()
           ? ", most of them practised " + detail::scope_phrase(detail::scope_names[common_scope].first) + ". "
           : std::string(". "));
  s += "The highest expectations (" + scale.at_ordinal(highest).label + ") are in " + detail::list_names(strongest) +
       ".";
  if (!previous) {
    s += " No promotion leads to this career level, so it is a point of entry to the ladder.";
  } else if (jd.distinguishing.empty()) {
    s += " The expectations are the same as for the " + *jd.previous_level_name +
         "; the step is one of track, not of level.";
  } else {
    std::vector<std::string> names;
    for (const auto& r : jd.distinguishing) names.push_back(r.competency_name);
    s += " Compared with the " + *jd.previous_level_name + ", the role asks for more in " + detail::list_names(names) +
         ".";
  }
  return jd;
}

CALIBRA_INLINE interview_rubric_draft interview_rubric(const framework& fw, std::string_view career_level_id) {
  const std::size_t level = detail::career_level_or_throw(fw, career_level_id);
  const auto& comps = fw.competencies();
  const auto& scale = fw.scale();
  interview_rubric_draft rubric;
  rubric.source = detail::source_of(fw, level);
  rubric.grouping = detail::grouping_of(fw);
  rubric.scale_size = scale.size();
  auto anchor_at = [&](std::size_t c, int ordinal) {
    return scoring_anchor{ordinal, scale.at_ordinal(ordinal).label,
                          comps[c].anchors[static_cast<std::size_t>(ordinal - 1)]};
  };
  for (const auto& g : detail::groups_of(fw, rubric.grouping))
    for (std::size_t c : g.competencies) {
      rubric_entry e;
      e.competency = c;
      e.competency_id = comps[c].id;
      e.competency_name = comps[c].name;
      e.definition = comps[c].definition;
      e.group = g.name;
      e.interview_format = comps[c].interview_format;
      e.target = detail::target(fw, level, c);
      e.target_label = scale.at_ordinal(e.target).label;
      if (e.target > 1) e.below = anchor_at(c, e.target - 1);
      e.meets = anchor_at(c, e.target);
      if (static_cast<std::size_t>(e.target) < scale.size()) e.above = anchor_at(c, e.target + 1);
      rubric.entries.push_back(std::move(e));
    }
  return rubric;
}

CALIBRA_INLINE std::string to_markdown(const job_description_draft& jd) {
const auto& src = jd.source;
std::string md = "# " + src.career_level_name + ": job description (draft)\n\n";
md += "_Drafted by calibra from " + src.framework_name + " version " + src.framework_version + " (last updated " +
      src.last_updated + "). The statements follow the expectation matrix; edit them before publishing._\n\n";
md += "## About the role\n\n" + jd.summary + "\n\n";
md += "## What distinguishes this role\n\n";
if (!jd.previous_level_name) {
  md +=
      "This is an entry level: no promotion leads to it, so every responsibility below is new to the person hired.\n\n";
} else if (jd.distinguishing.empty()) {
  md += "No competency rises on the step from the " + *jd.previous_level_name + ".\n\n";
} else {
  md += "Compared with the " + *jd.previous_level_name + ", this role expects more in:\n\n";
  for (const auto& r : jd.distinguishing) md += "- **" + r.competency_name + "** " + r.change + "\n";
  md += "\n";
}
  md += "## Responsibilities\n";
  for (const auto& g : jd.groups) {
    md += "\n### " + g.name + "\n\n";
    for (const auto& r : g.responsibilities)
      md += r.distinguishing ? "- **" + r.statement + "** _(expected more than at the previous level)_\n"
                             : "- " + r.statement + "\n";
  }
  return md;
}

CALIBRA_INLINE std::string to_markdown(const interview_rubric_draft& rubric) {
const auto& src = rubric.source;
std::string md = "# " + src.career_level_name + ": interview rubric (draft)\n\n";
md += "_Drafted by calibra from " + src.framework_name + " version " + src.framework_version + " (last updated " +
      src.last_updated + ")._\n\n";
md += "Score each competency by comparing the candidate's evidence with the anchors. \"Meets the bar\" is the level "
      "the " + src.career_level_name + " is expected to reach; \"below\" is one level under it and \"above\" one "
      "level over it.\n";
std::string group;
for (const auto& e : rubric.entries) {
  if (e.group != group) {
    group = e.group;
    md += "\n## " + group + "\n";
  }
  md += "\n### " + e.competency_name + "\n\n";
  md += "Target: **" + e.target_label + "** (level " + std::to_string(e.target) + " of " +
        std::to_string(rubric.scale_size) + ")\n\n";
  md += "Interview format: " +
        (e.interview_format.empty()
             ? std::string("not set in the framework; choose an exercise or behavioural questions.")
             : e.interview_format) +
        "\n\n";
  md += "| Verdict | Level | What the evidence shows |\n|---|---|---|\n";
  auto row = [&](const char* verdict, const scoring_anchor& a) {
    md += std::string("| ") + verdict + " | " + std::to_string(a.level) + " " + detail::table_cell(a.label) + " | " +
          (a.anchor.empty() ? std::string("(no anchor written for this level)") : detail::table_cell(a.anchor)) +
          " |\n";
  };
  if (e.below) row("Below the bar", *e.below);
  else md += "| Below the bar | - | (the target is the lowest level: anything short of the anchor below) |\n";
  row("Meets the bar", e.meets);
  if (e.above) row("Above the bar", *e.above);
  else md += "| Above the bar | - | (the target is the highest level of the scale) |\n";
}
  return md;
}

}  // namespace calibra
