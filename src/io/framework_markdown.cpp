#include <calibra/io/framework_json.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace calibra {
namespace {

/// Escapes one line of text so that Markdown renders it as written: '<' and
/// '>' become entities (a framework named "<img src=x onerror=...>" stays
/// text), and so does an '&' that could begin an entity reference ("&lt;",
/// "&#60;"; a plain "Vision & Roadmapping" stays readable); the punctuation
/// that starts emphasis, code, links, tables, headings or strike-through is
/// backslash-escaped.  When the text begins a line of the document
/// (`starts_line`), so is what would turn it into a heading, a quote, a list
/// item or a code block; text placed after "# ", "- " or "| " needs none of that.
void append_line(std::string& out, std::string_view line, bool starts_line) {
  const auto first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return;
  line.remove_prefix(first);  // four leading spaces would start a code block
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  const bool ordered_item =
      starts_line && digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')');
  const auto entity_start = [&](std::size_t i) {
    if (i + 1 >= line.size()) return false;
    const char next = line[i + 1];
    return next == '#' || (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z');
  };
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    switch (c) {
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '&':
        if (entity_start(i)) {
          out += "&amp;";
          continue;
        }
        break;
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~': case '#':
        out += '\\';
        break;
      case '+': case '-': case '=':
        if (starts_line && i == 0) out += '\\';
        break;
      case '.': case ')':
        if (ordered_item && i == digits) out += '\\';
        break;
      default:
        break;
    }
    out += c;
  }
}

/// Text for a heading, a list item or a table cell: one line, escaped.
std::string inline_text(std::string_view text) {
  std::string line(text);
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::string out;
  append_line(out, line, false);
  return out;
}

/// Markdown table cells cannot hold line breaks either.
std::string cell(std::string_view text) { return inline_text(text); }

/// Text for a paragraph: its lines kept, each escaped.
std::string paragraph(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    append_line(out, line, true);
    if (end == std::string_view::npos) break;
    out += '\n';
    start = end + 1;
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
  md << "# " << inline_text(m.name) << "\n\n";
  md << "Version " << inline_text(m.version) << ", last updated " << inline_text(m.last_updated);
  if (!m.owners.empty()) {
    md << ", owned by ";
    for (std::size_t i = 0; i < m.owners.size(); ++i) md << (i ? ", " : "") << inline_text(m.owners[i]);
  }
  md << ".\n\n";
  if (!m.description.empty()) md << paragraph(m.description) << "\n\n";

  const bool scoped = scale.has_scope_and_autonomy();
  md << (scoped ? "## Proficiency scale\n\n| # | Level | Scope | Autonomy | Description |\n|---|---|---|---|---|\n"
                : "## Proficiency scale\n\n| # | Level | Description |\n|---|---|---|\n");
  for (std::size_t l = 0; l < scale.size(); ++l) {
    const auto& level = scale.levels()[l];
    md << "| " << l + 1 << " | " << cell(level.label) << " | ";
    if (scoped) md << to_string(*level.scope) << " | " << to_string(*level.autonomy) << " | ";
    md << cell(level.description) << " |\n";
  }

  // Competencies in quadrant order, or in file order when they have none.
  std::vector<std::size_t> order;
  if (fw.has_quadrants()) {
    for (quadrant q : all_quadrants())
      for (std::size_t c = 0; c < comps.size(); ++c)
        if (comps[c].quadrant == q) order.push_back(c);
  } else {
    for (std::size_t c = 0; c < comps.size(); ++c) order.push_back(c);
  }

  md << "\n## Competencies and behavioural anchors\n";
  std::optional<quadrant> current;
  for (std::size_t c : order) {
    const competency& comp = comps[c];
    if (comp.quadrant && comp.quadrant != current) {
      current = comp.quadrant;
      md << "\n### Quadrant: " << to_string(*current) << "\n";
    }
    md << "\n" << (fw.has_quadrants() ? "####" : "###") << " " << inline_text(comp.name) << "\n\n"
       << paragraph(comp.definition) << "\n\n";
    if (comp.area) {
      const auto a = fw.area_index(*comp.area);
      md << "Area: " << inline_text(fw.areas()[*a].name) << ".\n\n";
    }
    md << "| Level | Anchor |\n|---|---|\n";
    for (std::size_t l = 0; l < scale.size(); ++l)
      md << "| " << cell(scale.levels()[l].label) << " | " << cell(comp.anchors[l]) << " |\n";
    if (!comp.interview_format.empty()) md << "\nInterview: " << inline_text(comp.interview_format) << "\n";
  }

  if (!fw.has_career_levels()) {
    md << "\n## Expectations by career level\n\nNot applicable: the framework has no career levels.\n";
    return md.str();
  }
  const bool quadrants = fw.has_quadrants();
  md << "\n## Expectations by career level\n\n| Competency |" << (quadrants ? " Quadrant |" : "");
  for (const auto& l : ladder.career_levels()) md << ' ' << cell(l.name) << " |";
  md << (quadrants ? "\n|---|---|" : "\n|---|");
  for (std::size_t l = 0; l < ladder.size(); ++l) md << "---|";
  md << "\n";
  for (std::size_t c : order) {
    md << "| " << cell(comps[c].name) << " |";
    if (quadrants) md << ' ' << to_string(*comps[c].quadrant) << " |";
    for (std::size_t l = 0; l < ladder.size(); ++l)
      md << ' '
         << cell(scale.at_ordinal(fw.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c))).label)
         << " |";
    md << "\n";
  }

  md << "\n## Promotion gaps\n";
  for (const auto& g : fw.promotion_gaps()) {
    md << "\n### " << inline_text(ladder.career_levels()[g.step.from].name) << " to "
       << inline_text(ladder.career_levels()[g.step.to].name) << "\n\n";
    if (g.competencies.empty()) md << "No competency rises on this step.\n";
    for (const auto& rise : g.competencies)
      md << "- " << inline_text(comps[rise.competency].name) << ": " << inline_text(scale.at_ordinal(rise.from_level).label)
         << " to " << inline_text(scale.at_ordinal(rise.to_level).label) << "\n";
  }
  return md.str();
}

}  // namespace calibra
