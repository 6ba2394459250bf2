// Implementation of <calibra/reports/framework_report.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/reports/framework_report.hpp>

#include <calibra/framework/checks.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/reports/document.hpp>
#include <calibra/version.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>


namespace calibra::reports::detail {

CALIBRA_INLINE std::string quadrant_title(std::optional<quadrant> q) {
  if (!q) return {};  // a framework without quadrants
  std::string s = to_string(*q);
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

CALIBRA_INLINE std::vector<std::size_t> competencies_by_quadrant(const framework& fw) {
  std::vector<std::size_t> order;
  if (!fw.has_quadrants()) {  // file order
    for (std::size_t c = 0; c < fw.competencies().size(); ++c) order.push_back(c);
    return order;
  }
  for (quadrant q : all_quadrants())
    for (std::size_t c = 0; c < fw.competencies().size(); ++c)
      if (fw.competencies()[c].quadrant == q) order.push_back(c);
  return order;
}

CALIBRA_INLINE std::string area_name(const framework& fw, const competency& c) {
  if (!c.area) return {};
  return fw.areas()[*fw.area_index(*c.area)].name;
}

CALIBRA_INLINE std::string step_title(const framework& fw, const step& s) {
  const auto& levels = fw.ladder().career_levels();
  return levels[s.from].name + " → " + levels[s.to].name;
}

CALIBRA_INLINE cell level_cell(const framework& fw, int ordinal) {
  return cell::of_level(ordinal, fw.scale().at_ordinal(ordinal).label);
}

CALIBRA_INLINE int expected(const framework& fw, std::size_t career_level, std::size_t comp) {
  return fw.expectations()(static_cast<Eigen::Index>(career_level), static_cast<Eigen::Index>(comp));
}

CALIBRA_INLINE bool has_finding_at(const std::vector<finding>& findings, const std::string& pointer) {
  return std::any_of(findings.begin(), findings.end(), [&](const finding& f) { return f.where == pointer; });
}

CALIBRA_INLINE std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

}  // namespace calibra::reports::detail

namespace calibra::reports {

CALIBRA_INLINE report begin_report(const framework& fw, std::string title) {
report r;
r.title = std::move(title);
r.framework = {fw.metadata().name, fw.metadata().version, fw.metadata().last_updated};
r.generator = std::string("calibra ") + version_string;
const auto palette = level_palette(fw.scale().size());
for (std::size_t l = 0; l < fw.scale().size(); ++l) {
  const auto& level = fw.scale().levels()[l];
  r.levels.push_back({level.id, level.label, level.description, palette[l], readable_text_on(palette[l])});
}
  return r;
}

CALIBRA_INLINE section overview_section(const framework& fw) {
const auto& m = fw.metadata();
section s;
s.id = "overview";
s.title = "Overview";
s.intro = m.description.empty() ? m.name : m.description;
s.intro += "\n\nVersion " + m.version + ", last updated " + m.last_updated;
if (!m.owners.empty()) s.intro += ", owned by " + detail::join(m.owners, ", ");
s.intro += ". " + std::to_string(fw.competencies().size()) + " competencies, " +
           std::to_string(fw.scale().size()) + " proficiency levels, " + std::to_string(fw.ladder().size()) +
           " career levels.";

table scale("scale", "Proficiency scale",
            {{"ordinal", "#", column_kind::integer, 4},
             {"level", "Level", column_kind::level, 14},
             {"scope", "Scope", column_kind::text, 14},
             {"autonomy", "Autonomy", column_kind::text, 14},
             {"description", "Description", column_kind::text, 70}});
scale.caption = "Levels differ in the scope of the work and the autonomy it is done with.";
for (std::size_t l = 0; l < fw.scale().size(); ++l) {
  const auto& level = fw.scale().levels()[l];
  const int ordinal = static_cast<int>(l + 1);
  scale.add_row({ordinal, detail::level_cell(fw, ordinal),
                 level.scope ? cell(std::string(to_string(*level.scope))) : cell(),
                 level.autonomy ? cell(std::string(to_string(*level.autonomy))) : cell(), level.description});
}

  table ladder("career-levels", "Career levels",
               {{"career_level", "Career level", column_kind::text, 28},
                {"id", "Id", column_kind::text, 14},
                {"track", "Track", column_kind::text, 9},
                {"rank", "Rank", column_kind::integer, 6},
                {"promotes_to", "Promotes to", column_kind::text, 40}});
  for (std::size_t l = 0; l < fw.ladder().size(); ++l) {
    const auto& level = fw.ladder().career_levels()[l];
    std::vector<std::string> next;
    for (std::size_t n : fw.ladder().next(l)) next.push_back(fw.ladder().career_levels()[n].name);
    ladder.add_row({level.name, level.id, level.track == track::ic ? "IC" : "manager", level.rank,
                    next.empty() ? cell() : cell(detail::join(next, ", "))});
  }

  table comps("competencies", "Competencies",
              {column("quadrant", "Quadrant", column_kind::text, 18).as_group_key(),
               {"competency", "Competency", column_kind::text, 28},
               {"id", "Id", column_kind::text, 26},
               {"area", "Area", column_kind::text, 20},
               {"people_leadership", "People leadership", column_kind::text, 10},
               {"interview_format", "Interview format", column_kind::text, 60}});
  comps.frozen_columns = 2;
  std::optional<quadrant> current;
  for (std::size_t c : detail::competencies_by_quadrant(fw)) {
    const competency& comp = fw.competencies()[c];
    if (comp.quadrant && (!current || *current != *comp.quadrant)) {
      current = comp.quadrant;
      comps.begin_group(detail::quadrant_title(comp.quadrant));
    }
    comps.add_row({detail::quadrant_title(comp.quadrant), comp.name, comp.id, detail::area_name(fw, comp),
                   comp.people_leadership ? "yes" : "no", comp.interview_format});
  }
  s.tables = {std::move(scale), std::move(ladder), std::move(comps)};
  return s;
}

CALIBRA_INLINE section anchors_section(const framework& fw, const std::vector<finding>& findings) {
section s;
s.id = "anchors";
s.title = "Anchors";
s.intro =
    "What each proficiency level looks like for each competency: observable behaviour at a stated scope. "
    "Rows are grouped by quadrant; emphasised anchors have a finding in the Checks section.";
std::vector<column> columns{column("quadrant", "Quadrant", column_kind::text, 18).as_group_key(),
                            {"competency", "Competency", column_kind::text, 24},
                            {"area", "Area", column_kind::text, 18},
                            {"definition", "Definition", column_kind::text, 40}};
for (std::size_t l = 0; l < fw.scale().size(); ++l) {
  const auto& level = fw.scale().levels()[l];
  columns.push_back(column(level.id, level.label, column_kind::text, 44).for_level(static_cast<int>(l + 1)));
}
  table t("anchors", "Behavioural anchors", std::move(columns));
  t.frozen_columns = 2;
  std::optional<quadrant> current;
  for (std::size_t c : detail::competencies_by_quadrant(fw)) {
    const competency& comp = fw.competencies()[c];
    if (comp.quadrant && (!current || *current != *comp.quadrant)) {
      current = comp.quadrant;
      t.begin_group(detail::quadrant_title(comp.quadrant));
    }
    std::vector<cell> row{detail::quadrant_title(comp.quadrant), comp.name, detail::area_name(fw, comp),
                          comp.definition};
    for (std::size_t l = 0; l < fw.scale().size(); ++l) {
      const std::string pointer = "/competencies/" + std::to_string(c) + "/anchors/" + fw.scale().levels()[l].id;
      if (comp.anchors[l].empty())
        row.push_back(cell("(missing anchor)").emphasised());
      else
        row.push_back(cell(comp.anchors[l]).emphasised(detail::has_finding_at(findings, pointer)));
    }
    t.add_row(std::move(row));
  }
  s.tables.push_back(std::move(t));
  return s;
}

CALIBRA_INLINE section targets_section(const framework& fw, const std::vector<finding>& findings) {
const auto& ladder = fw.ladder();
section s;
s.id = "targets";
s.title = "Targets";
s.intro =
    "The minimum proficiency level expected of each career level, per competency. Darker cells expect more. "
    "The quadrant profile shows the shift from tactical to strategic work up the ladder.";
if (!fw.has_career_levels()) {
  s.intro = "Not applicable: the framework has no career levels, so it expects no level of anyone.";
  return s;
}
std::vector<column> columns{column("quadrant", "Quadrant", column_kind::text, 18).as_group_key(),
                            {"competency", "Competency", column_kind::text, 28}};
for (const auto& level : ladder.career_levels()) columns.push_back({level.id, level.name, column_kind::level, 16});
table t("targets", "Expected level by career level", std::move(columns));
t.caption = "Rows are competencies grouped by quadrant; columns are career levels.";
t.frozen_columns = 2;
std::optional<quadrant> current;
for (std::size_t c : detail::competencies_by_quadrant(fw)) {
  const competency& comp = fw.competencies()[c];
  if (comp.quadrant && (!current || *current != *comp.quadrant)) {
    current = comp.quadrant;
    t.begin_group(detail::quadrant_title(comp.quadrant));
  }
  std::vector<cell> row{detail::quadrant_title(comp.quadrant), comp.name};
  for (std::size_t l = 0; l < ladder.size(); ++l) {
    const std::string pointer = "/expectations/" + ladder.career_levels()[l].id + "/" + comp.id;
    row.push_back(detail::level_cell(fw, detail::expected(fw, l, c))
                      .emphasised(detail::has_finding_at(findings, pointer)));
  }
  t.add_row(std::move(row));
}

  const Eigen::MatrixXd profile = fw.quadrant_profile();
  std::vector<column> pcols{{"career_level", "Career level", column_kind::text, 28}};
  for (quadrant q : all_quadrants())
    pcols.push_back(column(to_string(q), detail::quadrant_title(q), column_kind::number, 18).with_digits(2));
  table p("quadrant-profile", "Quadrant profile", std::move(pcols));
  p.caption = "Mean expected level (1-" + std::to_string(fw.scale().size()) + ") per quadrant and career level.";
  p.frozen_columns = 1;
  line_chart chart;
  chart.id = "quadrant-profile-chart";
  chart.title = "Mean expected level per quadrant";
  chart.value_label = "mean expected level";
  chart.min = 1;
  chart.max = static_cast<double>(fw.scale().size());
  for (quadrant q : all_quadrants()) chart.lines.push_back({detail::quadrant_title(q), {}, false});
  for (std::size_t l = 0; l < ladder.size(); ++l) {
    std::vector<cell> row{ladder.career_levels()[l].name};
    chart.x_labels.push_back(ladder.career_levels()[l].name);
    for (quadrant q : all_quadrants()) {
      const double v = profile(static_cast<Eigen::Index>(l), q.index());
      row.emplace_back(v);
      chart.lines[static_cast<std::size_t>(q.index())].values.push_back(v);
    }
    p.add_row(std::move(row));
  }
  s.tables = {std::move(t), std::move(p)};
  s.charts.emplace_back(std::move(chart));
  return s;
}

CALIBRA_INLINE section promotion_gaps_section(const framework& fw, const check_options& guideline) {
const auto& comps = fw.competencies();
const auto& ladder = fw.ladder();
section s;
s.id = "promotion-gaps";
s.title = "Promotion gaps";
s.intro = "For each promotion step, the competencies where a person must show growth: the expected level rises "
          "between the two career levels. Focus works best with " +
          std::to_string(guideline.min_promotion_gaps) + " to " + std::to_string(guideline.max_promotion_gaps) +
          " such competencies per step.";
if (!fw.has_career_levels()) {
  s.intro = "Not applicable: the framework has no career levels, so it has no promotion steps.";
  return s;
}

table gaps("promotion-gaps", "Competencies that rise, per step",
           {column("step", "Step", column_kind::text, 36).as_group_key(),
            {"competency", "Competency", column_kind::text, 28},
            {"quadrant", "Quadrant", column_kind::text, 18},
            {"from", "From", column_kind::level, 14},
            {"to", "To", column_kind::level, 14},
            {"rise", "Rise (levels)", column_kind::integer, 8}});
gaps.frozen_columns = 2;
gaps.empty_text = "The ladder has no promotion steps.";
table steps("steps", "Promotion steps",
            {{"step", "Step", column_kind::text, 36},
             {"from", "From", column_kind::text, 26},
             {"to", "To", column_kind::text, 26},
             {"rising", "Rising competencies", column_kind::integer, 10},
             {"guideline", "Against the guideline", column_kind::text, 22},
             {"competencies", "Competencies", column_kind::text, 60}});
steps.frozen_columns = 1;
steps.empty_text = gaps.empty_text;
bar_chart chart;
chart.id = "promotion-gaps-chart";
chart.title = "Competencies rising per step";
chart.value_label = "competencies";
chart.min = 0;
chart.reference_lines = {static_cast<double>(guideline.min_promotion_gaps),
                         static_cast<double>(guideline.max_promotion_gaps)};

for (const promotion_gap& g : fw.promotion_gaps()) {
  const std::string title = detail::step_title(fw, g.step);
  gaps.begin_group(title);
  std::vector<std::string> names;
  for (const competency_rise& rise : g.competencies) {
    const competency& comp = comps[rise.competency];
    names.push_back(comp.name);
    gaps.add_row({title, comp.name, detail::quadrant_title(comp.quadrant), detail::level_cell(fw, rise.from_level),
                  detail::level_cell(fw, rise.to_level), rise.to_level - rise.from_level});
  }
  const std::size_t n = g.competencies.size();
  const bool within = n >= guideline.min_promotion_gaps && n <= guideline.max_promotion_gaps;
  const std::string verdict = within ? "within the guideline"
                              : n < guideline.min_promotion_gaps
                                  ? "fewer than " + std::to_string(guideline.min_promotion_gaps)
                                  : "more than " + std::to_string(guideline.max_promotion_gaps);
  steps.add_row({title, ladder.career_levels()[g.step.from].name, ladder.career_levels()[g.step.to].name, n,
                 cell(verdict).emphasised(!within), names.empty() ? cell("(none)") : cell(detail::join(names, "; "))});
  chart.bars.push_back({title, static_cast<double>(n), std::nullopt, !within});
}

  table plateaus("plateaus", "Plateaus",
                 {{"competency", "Competency", column_kind::text, 28},
                  {"from_career_level", "From career level", column_kind::text, 28},
                  {"level", "Stays at", column_kind::level, 14}});
  plateaus.caption = "Competencies that stop rising before the top of a track: senior people delegate that work.";
  plateaus.empty_text = "Every competency keeps rising to the top of its track.";
  for (const plateau& p : fw.plateaus())
    plateaus.add_row(
        {comps[p.competency].name, ladder.career_levels()[p.career_level].name, detail::level_cell(fw, p.level)});

  s.tables = {std::move(gaps), std::move(steps), std::move(plateaus)};
  s.charts.emplace_back(std::move(chart));
  return s;
}

CALIBRA_INLINE section checks_section(const framework& fw, const std::vector<finding>& findings) {
(void)fw;
section s;
s.id = "checks";
s.title = "Checks";
const auto errors = count(findings, severity::error), warnings = count(findings, severity::warning),
           infos = count(findings, severity::info);
s.intro = "The framework design rules applied by calibra (docs/checks.md): " + std::to_string(errors) +
          " error" + (errors == 1 ? "" : "s") + ", " + std::to_string(warnings) + " warning" +
          (warnings == 1 ? "" : "s") + ", " + std::to_string(infos) + " info" + (infos == 1 ? "" : "s") + ".";

table t("findings", "Findings",
        {{"severity", "Severity", column_kind::text, 9},
         {"rule", "Rule", column_kind::text, 26},
         {"where", "Where", column_kind::text, 34},
         {"message", "Message", column_kind::text, 60},
         {"hint", "Hint", column_kind::text, 50}});
t.frozen_columns = 2;
t.empty_text = "No findings: the framework passes every rule.";
std::vector<const finding*> sorted;
for (const finding& f : findings) sorted.push_back(&f);
std::stable_sort(sorted.begin(), sorted.end(),
                 [](const finding* a, const finding* b) { return a->severity < b->severity; });
for (const finding* f : sorted)
  t.add_row({cell(std::string(to_string(f->severity))).emphasised(f->severity == severity::error), f->rule,
             f->where, f->message, f->hint});

table rules("rules", "Rules applied",
            {{"rule", "Rule", column_kind::text, 26},
             {"severity", "Severity", column_kind::text, 9},
             {"checks", "What it checks", column_kind::text, 60},
             {"findings", "Findings", column_kind::integer, 9},
             {"result", "Result", column_kind::text, 9}});
rules.frozen_columns = 1;
for (const rule_info& rule : check_rules()) {
  const auto n = static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const finding& f) { return f.rule == rule.id; }));
  rules.add_row({std::string(rule.id), std::string(to_string(rule.severity)), std::string(rule.summary), n,
                 cell(n == 0 ? "pass" : "fail").emphasised(n > 0 && rule.severity == severity::error)});
}
  s.tables = {std::move(t), std::move(rules)};
  return s;
}

CALIBRA_INLINE report framework_report(const framework& fw, const std::vector<finding>& findings,
                               const framework_report_options& options) {
  report r = begin_report(fw, options.title.empty() ? fw.metadata().name + ": competency matrix" : options.title);
  r.sections.push_back(overview_section(fw));
  r.sections.push_back(anchors_section(fw, findings));
  r.sections.push_back(targets_section(fw, findings));
  r.sections.push_back(promotion_gaps_section(fw, options.checks));
  r.sections.push_back(checks_section(fw, findings));
  return r;
}

CALIBRA_INLINE report framework_report(const framework& fw, const framework_report_options& options) {
  return framework_report(fw, check(fw, options.checks), options);
}

}  // namespace calibra::reports
