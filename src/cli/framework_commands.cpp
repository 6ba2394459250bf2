// `calibra framework show|check|gaps|export`.
#include "commands.hpp"
#include "text_table.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <iomanip>
#include <memory>
#include <sstream>

namespace calibra::cli {
namespace {

using nlohmann::json;

struct framework_input {
  std::string file;  // empty: the built-in framework
  bool json_output = false;
};

framework load(const framework_input& in) { return in.file.empty() ? builtin_framework() : load_framework(in.file); }

std::string fixed(double v, int digits = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// ---- show ------------------------------------------------------------------

json show_json(const framework& fw) {
  json doc = json::parse(to_json(fw));
  json levels = json::array();
  for (std::size_t l = 0; l < fw.scale().size(); ++l) {
    const auto& level = fw.scale().levels()[l];
    levels.push_back({{"id", level.id}, {"label", level.label}, {"ordinal", l + 1}});
  }
  doc["levels"] = levels;
  json profile = json::object();
  const Eigen::MatrixXd p = fw.quadrant_profile();
  for (std::size_t l = 0; l < fw.ladder().size(); ++l) {
    json row = json::object();
    for (quadrant q : all_quadrants()) {
      const double v = p(static_cast<Eigen::Index>(l), q.index());
      row[to_string(q)] = std::isnan(v) ? json(nullptr) : json(v);
    }
    profile[fw.ladder().levels()[l].id] = row;
  }
  doc["quadrant_profile"] = profile;
  return doc;
}

std::string show_text(const framework& fw) {
  std::ostringstream out;
  const auto& m = fw.metadata();
  const auto& scale = fw.scale();
  const auto& comps = fw.competencies();
  const auto& ladder = fw.ladder();
  out << m.name << "  (version " << m.version << ", last updated " << m.last_updated << ")\n";
  if (!m.description.empty()) out << m.description << "\n";

  out << "\nProficiency scale\n";
  text_table levels({"#", "level", "scope", "autonomy"});
  for (std::size_t l = 0; l < scale.size(); ++l) {
    const auto& level = scale.levels()[l];
    levels.add({std::to_string(l + 1), level.label, std::string(to_string(level.scope)),
                std::string(to_string(level.autonomy))});
  }
  out << levels.render();

  out << "\nExpectation matrix (minimum level per career level; competencies grouped by quadrant)\n";
  std::vector<std::string> header{"quadrant", "competency"};
  for (const auto& l : ladder.levels()) header.push_back(l.id);
  text_table matrix(header);
  for (quadrant q : all_quadrants()) {
    bool first = true;
    for (std::size_t c = 0; c < comps.size(); ++c) {
      if (comps[c].quadrant != q) continue;
      std::vector<std::string> row{first ? to_string(q) : "", comps[c].name};
      for (std::size_t l = 0; l < ladder.size(); ++l) {
        const int e = fw.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c));
        row.push_back(std::to_string(e) + " " + scale.at_ordinal(e).label);
      }
      matrix.add(row);
      first = false;
    }
    if (!first) matrix.separator();
  }
  out << matrix.render();

  out << "\nQuadrant profile (mean expected level)\n";
  std::vector<std::string> qheader{"career level", "track", "rank"};
  for (quadrant q : all_quadrants()) qheader.push_back(to_string(q));
  text_table profile(qheader);
  const Eigen::MatrixXd p = fw.quadrant_profile();
  for (std::size_t l = 0; l < ladder.size(); ++l) {
    const auto& level = ladder.levels()[l];
    std::vector<std::string> row{level.name, std::string(to_string(level.track)), std::to_string(level.rank)};
    for (int q = 0; q < 4; ++q) row.push_back(fixed(p(static_cast<Eigen::Index>(l), q)));
    profile.add(row);
  }
  out << profile.render();
  return out.str();
}

// ---- gaps ------------------------------------------------------------------

json gaps_json(const framework& fw) {
  json steps = json::array();
  for (const auto& g : fw.gaps()) {
    json comps = json::array();
    for (const auto& rise : g.competencies)
      comps.push_back({{"id", fw.competencies()[rise.competency].id},
                       {"name", fw.competencies()[rise.competency].name},
                       {"from_level", rise.from_level},
                       {"to_level", rise.to_level}});
    steps.push_back({{"from", fw.ladder().levels()[g.step.from].id},
                     {"to", fw.ladder().levels()[g.step.to].id},
                     {"competencies", comps}});
  }
  json plateaus = json::array();
  for (const auto& p : fw.plateaus())
    plateaus.push_back({{"id", fw.competencies()[p.competency].id},
                        {"career_level", fw.ladder().levels()[p.career_level].id},
                        {"level", p.level}});
  return {{"steps", steps}, {"plateaus", plateaus}};
}

std::string gaps_text(const framework& fw) {
  std::ostringstream out;
  const auto& scale = fw.scale();
  for (const auto& g : fw.gaps()) {
    out << "Promotion " << fw.ladder().levels()[g.step.from].name << " -> " << fw.ladder().levels()[g.step.to].name
        << ": " << g.competencies.size() << " promotion-gap competencies\n";
    text_table table({"competency", "from", "to", "rise"});
    for (const auto& rise : g.competencies)
      table.add({fw.competencies()[rise.competency].name,
                 std::to_string(rise.from_level) + " " + scale.at_ordinal(rise.from_level).label,
                 std::to_string(rise.to_level) + " " + scale.at_ordinal(rise.to_level).label,
                 "+" + std::to_string(rise.to_level - rise.from_level)});
    out << table.render() << "\n";
  }
  const auto plateaus = fw.plateaus();
  if (!plateaus.empty()) {
    out << "Plateaus (competencies that stop rising before the top of a track)\n";
    text_table table({"competency", "from career level", "held at"});
    for (const auto& p : plateaus)
      table.add({fw.competencies()[p.competency].name, fw.ladder().levels()[p.career_level].name,
                 std::to_string(p.level) + " " + scale.at_ordinal(p.level).label});
    out << table.render();
  }
  return out.str();
}

// ---- check -----------------------------------------------------------------

json findings_json(const std::vector<finding>& findings) {
  json list = json::array();
  for (const auto& f : findings)
    list.push_back({{"rule", f.rule},
                    {"severity", to_string(f.severity)},
                    {"where", f.where},
                    {"message", f.message},
                    {"hint", f.hint}});
  return {{"findings", list},
          {"errors", count(findings, severity::error)},
          {"warnings", count(findings, severity::warning)},
          {"infos", count(findings, severity::info)}};
}

std::string findings_text(const framework& fw, const std::vector<finding>& findings) {
  std::ostringstream out;
  for (const auto& f : findings)
    out << to_string(f.severity) << " [" << f.rule << "] " << f.where << ": " << f.message << "\n    hint: " << f.hint
        << "\n";
  out << "Checked '" << fw.metadata().name << "' against " << check_rules().size() << " rules: "
      << count(findings, severity::error) << " errors, " << count(findings, severity::warning) << " warnings, "
      << count(findings, severity::info) << " infos.\n";
  return out.str();
}

void add_framework_input(CLI::App& cmd, framework_input& in) {
  cmd.add_option("FILE", in.file, "Framework JSON file (default: the built-in product-manager framework)");
  cmd.add_flag("--json", in.json_output, "Print one JSON document");
}

}  // namespace

void add_framework_commands(CLI::App& app, exit_status& status) {
  auto* fw_cmd = app.add_subcommand("framework", "Show, check and export competency frameworks");
  fw_cmd->require_subcommand(1);

  auto show_in = std::make_shared<framework_input>();
  auto* show = fw_cmd->add_subcommand("show", "Print a framework: scale, expectation matrix, quadrant profile");
  add_framework_input(*show, *show_in);
  show->callback([show_in] {
    const framework fw = load(*show_in);
    write_output("", show_in->json_output ? dump_json(show_json(fw)) : show_text(fw));
  });

  auto check_in = std::make_shared<framework_input>();
  auto* check_cmd = fw_cmd->add_subcommand(
      "check", "Apply the framework rules; exit 1 when a finding is an error, 2 when the file cannot be used");
  add_framework_input(*check_cmd, *check_in);
  check_cmd->callback([check_in, &status] {
    const framework fw = load(*check_in);
    const auto findings = check(fw);
    write_output("", check_in->json_output ? dump_json(findings_json(findings)) : findings_text(fw, findings));
    if (count(findings, severity::error) > 0) status.code = 1;
  });

  auto gaps_in = std::make_shared<framework_input>();
  auto* gaps = fw_cmd->add_subcommand("gaps", "Promotion-gap competencies of every step, and plateaus");
  add_framework_input(*gaps, *gaps_in);
  gaps->callback([gaps_in] {
    const framework fw = load(*gaps_in);
    write_output("", gaps_in->json_output ? dump_json(gaps_json(fw)) : gaps_text(fw));
  });

  struct export_input : framework_input {
    std::string to = "json";
    std::string out;
  };
  auto export_in = std::make_shared<export_input>();
  auto* exp = fw_cmd->add_subcommand("export", "Write a framework as canonical JSON or Markdown");
  add_framework_input(*exp, *export_in);
  exp->add_option("--to", export_in->to, "Output format")->check(CLI::IsMember({"json", "markdown"}));
  exp->add_option("--out", export_in->out, "Output file (default: standard output); written whole or not at all");
  exp->callback([export_in] {
    const framework fw = load(*export_in);
    const std::string text = export_in->to == "json" ? to_json(fw) : to_markdown(fw);
    if (export_in->json_output && export_in->to != "json")
      write_output(export_in->out, dump_json({{"format", export_in->to}, {"text", text}}));
    else
      write_output(export_in->out, text);
  });
}

}  // namespace calibra::cli
