#include <calibra/io/framework_json.hpp>

#include <sstream>

namespace calibra {
namespace {

/// Markdown table cells cannot hold raw pipes or line breaks.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string to_markdown(const framework& fw) {
  std::ostringstream md;
  const auto& m = fw.metadata();
  const auto& scale = fw.scale();
  const auto& comps = fw.competencies();
  const auto& ladder = fw.ladder();
  md << "# " << m.name << "\n\n";
  md << "Version " << m.version << ", last updated " << m.last_updated;
  if (!m.owners.empty()) {
    md << ", owned by ";
    for (std::size_t i = 0; i < m.owners.size(); ++i) md << (i ? ", " : "") << m.owners[i];
  }
  md << ".\n\n";
  if (!m.description.empty()) md << m.description << "\n\n";

  md << "## Proficiency scale\n\n| # | Level | Scope | Autonomy | Description |\n|---|---|---|---|---|\n";
  for (std::size_t l = 0; l < scale.size(); ++l) {
    const auto& level = scale.levels()[l];
    md << "| " << l + 1 << " | " << cell(level.label) << " | " << to_string(level.scope) << " | "
       << to_string(level.autonomy) << " | " << cell(level.description) << " |\n";
  }

  md << "\n## Competencies and behavioural anchors\n";
  for (quadrant q : all_quadrants()) {
    bool any = false;
    for (const auto& c : comps) any = any || c.quadrant == q;
    if (!any) continue;
    md << "\n### Quadrant: " << to_string(q) << "\n";
    for (const auto& c : comps) {
      if (c.quadrant != q) continue;
      md << "\n#### " << c.name << "\n\n" << c.definition << "\n\n";
      if (c.area) {
        const auto a = fw.area_index(*c.area);
        md << "Area: " << fw.areas()[*a].name << ".\n\n";
      }
      md << "| Level | Anchor |\n|---|---|\n";
      for (std::size_t l = 0; l < scale.size(); ++l)
        md << "| " << cell(scale.levels()[l].label) << " | " << cell(c.anchors[l]) << " |\n";
      if (!c.interview_format.empty()) md << "\nInterview: " << c.interview_format << "\n";
    }
  }

  md << "\n## Expectations by career level\n\n| Competency | Quadrant |";
  for (const auto& l : ladder.levels()) md << ' ' << cell(l.name) << " |";
  md << "\n|---|---|";
  for (std::size_t l = 0; l < ladder.size(); ++l) md << "---|";
  md << "\n";
  for (quadrant q : all_quadrants())
    for (std::size_t c = 0; c < comps.size(); ++c) {
      if (comps[c].quadrant != q) continue;
      md << "| " << cell(comps[c].name) << " | " << to_string(q) << " |";
      for (std::size_t l = 0; l < ladder.size(); ++l)
        md << ' ' << scale.at_ordinal(fw.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c))).label
           << " |";
      md << "\n";
    }

  md << "\n## Promotion gaps\n";
  for (const auto& g : fw.gaps()) {
    md << "\n### " << ladder.levels()[g.step.from].name << " to " << ladder.levels()[g.step.to].name << "\n\n";
    if (g.competencies.empty()) md << "No competency rises on this step.\n";
    for (const auto& rise : g.competencies)
      md << "- " << comps[rise.competency].name << ": " << scale.at_ordinal(rise.from_level).label << " to "
         << scale.at_ordinal(rise.to_level).label << "\n";
  }
  return md.str();
}

}  // namespace calibra
