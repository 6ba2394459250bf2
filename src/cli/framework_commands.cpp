// `calibra framework show|check|gaps|export|import|jd|rubric`.
#include "commands.hpp"
#include "text_table.hpp"
// Private to the library's sources: the canonical framework document as a
// JSON value, and the one NaN-to-null conversion.
#include "../io/framework_json_parts.hpp"
#include "../io/json_values.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/framework/documents.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/framework_xlsx.hpp>
#include <calibra/reports/framework_workbook.hpp>

#include <iostream>

#include <iomanip>
#include <memory>
#include <sstream>

namespace calibra::cli {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

struct framework_input {
  std::string file;  // empty: the built-in framework
  bool json_output = false;
};

/// Whether a file name ends in .xlsx (any case): read as a framework workbook.
bool is_xlsx_name(const std::string& file) {
  if (file.size() < 5) return false;
  std::string tail = file.substr(file.size() - 5);
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".xlsx";
}

framework load(const framework_input& in) {
  if (in.file.empty()) return builtin_framework();
  return is_xlsx_name(in.file) ? load_framework_xlsx(in.file) : load_framework(in.file);
}

std::string fixed(double v, int digits = 2) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

// ---- show ------------------------------------------------------------------

/// The canonical document in its key order (framework-format.md), then the
/// two computed members.
ordered_json show_json(const framework& fw) {
  ordered_json doc = detail::framework_document(fw);
  ordered_json levels = ordered_json::array();
  for (std::size_t l = 0; l < fw.scale().size(); ++l) {
    const auto& level = fw.scale().levels()[l];
    levels.push_back({{"id", level.id}, {"label", level.label}, {"ordinal", l + 1}});
  }
  doc["levels"] = levels;
  if (!fw.has_career_levels() || !fw.has_quadrants()) {
    doc["quadrant_profile"] = nullptr;
    doc["quadrant_profile_note"] = fw.has_career_levels() ? "not applicable: the competencies have no quadrants"
                                                          : "not applicable: the framework has no career levels";
    return doc;
  }
  ordered_json profile = ordered_json::object();
  const Eigen::MatrixXd p = fw.quadrant_profile();
  for (std::size_t l = 0; l < fw.ladder().size(); ++l) {
    ordered_json row = ordered_json::object();
    for (quadrant q : all_quadrants()) row[to_string(q)] = io::detail::number(p(static_cast<Eigen::Index>(l), q.index()));
    profile[fw.ladder().career_levels()[l].id] = row;
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
  if (scale.has_scope_and_autonomy()) {
    text_table levels({"#", "level", "scope", "autonomy"});
    for (std::size_t l = 0; l < scale.size(); ++l) {
      const auto& level = scale.levels()[l];
      levels.add({std::to_string(l + 1), level.label, std::string(to_string(*level.scope)),
                  std::string(to_string(*level.autonomy))});
    }
    out << levels.render();
  } else {
    text_table levels({"#", "level"});
    for (std::size_t l = 0; l < scale.size(); ++l) levels.add({std::to_string(l + 1), scale.levels()[l].label});
    out << levels.render();
  }

  if (!fw.has_career_levels()) {
    out << "\nCompetencies\n";
    text_table list(fw.has_quadrants() ? std::vector<std::string>{"quadrant", "competency", "id"}
                                       : std::vector<std::string>{"competency", "id"});
    for (const auto& c : comps) {
      if (c.quadrant) list.add({to_string(*c.quadrant), c.name, c.id});
      else list.add({c.name, c.id});
    }
    out << list.render();
    out << "\nExpectation matrix: not applicable: the framework has no career levels\n";
    out << "Quadrant profile: not applicable: the framework has no career levels\n";
    return out.str();
  }

  const bool by_quadrant = fw.has_quadrants();
  out << (by_quadrant ? "\nExpectation matrix (minimum level per career level; competencies grouped by quadrant)\n"
                      : "\nExpectation matrix (minimum level per career level)\n");
  std::vector<std::string> header{"quadrant", "competency"};
  if (!by_quadrant) header.erase(header.begin());
  for (const auto& l : ladder.career_levels()) header.push_back(l.id);
  text_table matrix(header);
  const auto add_row = [&](std::size_t c, std::vector<std::string> row) {
    for (std::size_t l = 0; l < ladder.size(); ++l) {
      const int e = fw.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c));
      row.push_back(std::to_string(e) + " " + scale.at_ordinal(e).label);
    }
    matrix.add(row);
  };
  if (!by_quadrant) {
    for (std::size_t c = 0; c < comps.size(); ++c) add_row(c, {comps[c].name});
  } else {
    for (quadrant q : all_quadrants()) {
      bool first = true;
      for (std::size_t c = 0; c < comps.size(); ++c) {
        if (comps[c].quadrant != q) continue;
        add_row(c, {first ? to_string(q) : "", comps[c].name});
        first = false;
      }
      if (!first) matrix.separator();
    }
  }
  out << matrix.render();

  if (!by_quadrant) {
    out << "\nQuadrant profile: not applicable: the competencies have no quadrants\n";
    return out.str();
  }
  out << "\nQuadrant profile (mean expected level)\n";
  std::vector<std::string> qheader{"career level", "track", "rank"};
  for (quadrant q : all_quadrants()) qheader.push_back(to_string(q));
  text_table profile(qheader);
  const Eigen::MatrixXd p = fw.quadrant_profile();
  for (std::size_t l = 0; l < ladder.size(); ++l) {
    const auto& level = ladder.career_levels()[l];
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
  for (const auto& g : fw.promotion_gaps()) {
    json comps = json::array();
    for (const auto& rise : g.competencies)
      comps.push_back({{"id", fw.competencies()[rise.competency].id},
                       {"name", fw.competencies()[rise.competency].name},
                       {"from_level", rise.from_level},
                       {"to_level", rise.to_level}});
    steps.push_back({{"from", fw.ladder().career_levels()[g.step.from].id},
                     {"to", fw.ladder().career_levels()[g.step.to].id},
                     {"competencies", comps}});
  }
  json plateaus = json::array();
  for (const auto& p : fw.plateaus())
    plateaus.push_back({{"id", fw.competencies()[p.competency].id},
                        {"career_level", fw.ladder().career_levels()[p.career_level].id},
                        {"level", p.level}});
  json doc = {{"steps", steps}, {"plateaus", plateaus}};
  if (!fw.has_career_levels()) doc["note"] = "not applicable: the framework has no career levels";
  return doc;
}

std::string gaps_text(const framework& fw) {
  std::ostringstream out;
  if (!fw.has_career_levels())
    return "Promotion gaps and plateaus: not applicable: the framework has no career levels\n";
  const auto& scale = fw.scale();
  for (const auto& g : fw.promotion_gaps()) {
    out << "Promotion " << fw.ladder().career_levels()[g.step.from].name << " -> "
        << fw.ladder().career_levels()[g.step.to].name << ": " << g.competencies.size()
        << " promotion-gap competencies\n";
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
      table.add({fw.competencies()[p.competency].name, fw.ladder().career_levels()[p.career_level].name,
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

// ---- jd and rubric ----------------------------------------------------------

json source_json(const document_source& s) {
  return {{"framework", {{"id", s.framework_id}, {"name", s.framework_name}, {"version", s.framework_version},
                         {"last_updated", s.last_updated}}},
          {"career_level", {{"id", s.career_level_id}, {"name", s.career_level_name},
                            {"track", std::string(to_string(s.track))}, {"rank", s.rank}}}};
}

json responsibility_json(const responsibility& r) {
  json j = {{"competency", r.competency_id}, {"name", r.competency_name}, {"level", r.level},
            {"level_label", r.level_label}, {"distinguishing", r.distinguishing}, {"statement", r.statement}};
  if (r.previous_level > 0) j["previous_level"] = r.previous_level;
  if (r.distinguishing) j["change"] = r.change;
  return j;
}

json job_description_json(const job_description_draft& jd) {
  json doc = source_json(jd.source);
  doc["previous_career_level"] = jd.previous_level_id ? json(*jd.previous_level_id) : json(nullptr);
  doc["grouping"] = std::string(to_string(jd.grouping));
  doc["summary"] = jd.summary;
  json groups = json::array();
  for (const auto& g : jd.groups) {
    json list = json::array();
    for (const auto& r : g.responsibilities) list.push_back(responsibility_json(r));
    groups.push_back({{"id", g.id}, {"name", g.name}, {"responsibilities", list}});
  }
  doc["groups"] = groups;
  json distinguishing = json::array();
  for (const auto& r : jd.distinguishing) distinguishing.push_back(r.competency_id);
  doc["distinguishing"] = distinguishing;
  doc["markdown"] = to_markdown(jd);
  return doc;
}

json scoring_anchor_json(const std::optional<scoring_anchor>& a) {
  if (!a) return nullptr;
  return {{"level", a->level}, {"label", a->label}, {"anchor", a->anchor}};
}

json interview_rubric_json(const interview_rubric_draft& rubric) {
  json doc = source_json(rubric.source);
  doc["grouping"] = std::string(to_string(rubric.grouping));
  doc["scale_size"] = rubric.scale_size;
  json entries = json::array();
  for (const auto& e : rubric.entries)
    entries.push_back({{"competency", e.competency_id},
                       {"name", e.competency_name},
                       {"group", e.group},
                       {"interview_format", e.interview_format},
                       {"target", e.target},
                       {"target_label", e.target_label},
                       {"below", scoring_anchor_json(e.below)},
                       {"meets", scoring_anchor_json(e.meets)},
                       {"above", scoring_anchor_json(e.above)}});
  doc["entries"] = entries;
  doc["markdown"] = to_markdown(rubric);
  return doc;
}

void add_framework_input(CLI::App& cmd, framework_input& in) {
  cmd.add_option("FILE", in.file,
                 "Framework JSON file, or a framework workbook (.xlsx) (default: the built-in product-manager framework)");
  cmd.add_flag("--json", in.json_output, "Print one JSON document");
}

}  // namespace

void add_framework_commands(CLI::App& app, exit_status& status) {
  auto* fw_cmd = app.add_subcommand("framework", "Show, check, export and import competency frameworks; draft job descriptions and interview rubrics");
  fw_cmd->require_subcommand(1);

  auto show_in = std::make_shared<framework_input>();
  auto* show = fw_cmd->add_subcommand("show", "Print a framework: scale, expectation matrix, quadrant profile");
  add_framework_input(*show, *show_in);
  show->callback([show_in] {
    const framework fw = load(*show_in);
    write_output("", show_in->json_output ? dump_json(show_json(fw)) : show_text(fw));
  });

  auto check_in = std::make_shared<framework_input>();
  auto as_of = std::make_shared<std::string>();
  auto* check_cmd = fw_cmd->add_subcommand(
      "check", "Apply the framework rules; exit 1 when a finding is an error, 2 when the file cannot be used");
  add_framework_input(*check_cmd, *check_in);
  check_cmd->add_option("--as-of", *as_of,
                        "The date to check on, YYYY-MM-DD (default: today); framework.stale compares last_updated "
                        "with it");
  check_cmd->callback([check_in, as_of, &status] {
    check_options options;
    options.as_of = *as_of;
    if (!as_of->empty() && !is_calendar_date(*as_of))
      throw invalid_argument("cli", "--as-of " + *as_of + ": expected a date as YYYY-MM-DD");
    const framework fw = load(*check_in);
    const auto findings = check(fw, options);
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
  auto* exp = fw_cmd->add_subcommand(
      "export", "Write a framework as canonical JSON, Markdown, an editable XLSX workbook or a 1EdTech CASE package");
  add_framework_input(*exp, *export_in);
  exp->add_option("--to", export_in->to,
                  "Output format: json, markdown, xlsx (the framework workbook; needs --out) or case (a CASE 1.0 "
                  "CFPackage, docs/case.md)")
      ->check(CLI::IsMember({"json", "markdown", "xlsx", "case"}));
  exp->add_option("--out", export_in->out, "Output file (default: standard output); written whole or not at all");
  exp->callback([export_in] {
    const std::string& to = export_in->to;
    if (to == "xlsx" && export_in->out.empty())
      throw invalid_argument("cli", "--to xlsx writes a binary workbook: give the file with --out FILE.xlsx");
    const framework fw = load(*export_in);
    if (to == "xlsx") {
      reports::write_framework_workbook(fw, export_in->out);
      if (export_in->json_output) write_output("", dump_json(json{{"format", "xlsx"}, {"file", export_in->out}}));
      return;
    }
    const std::string text = to == "json" ? to_json(fw) : to == "case" ? to_case_json(fw) : to_markdown(fw);
    if (export_in->json_output && to == "markdown")
      write_output(export_in->out, dump_json(json{{"format", export_in->to}, {"text", text}}));
    else
      write_output(export_in->out, text);
  });

  struct import_input {
    std::string file;
    std::string out;
  };
  auto import_in = std::make_shared<import_input>();
  auto* imp = fw_cmd->add_subcommand(
      "import",
      "Read a framework workbook (.xlsx, as `framework export --to xlsx` writes it) or a 1EdTech CASE package "
      "(CFPackage JSON) and write it as canonical calibra framework JSON");
  imp->add_option("FILE", import_in->file, "Framework workbook (.xlsx) or CASE package JSON file")->required();
  imp->add_option("--out", import_in->out, "Output file (default: standard output); written whole or not at all");
  imp->callback([import_in] {
    if (is_xlsx_name(import_in->file)) {
      write_output(import_in->out, to_json(load_framework_xlsx(import_in->file)));
      return;
    }
    const case_import_result imported = load_case(import_in->file);
    // What the importer assumed goes to stderr, so stdout stays one JSON document.
    for (const auto& note : imported.notes) std::cerr << "calibra: note: " << note << '\n';
    write_output(import_in->out, to_json(imported.framework));
  });

  struct document_input : framework_input {
    std::string level;
    std::string out;
  };
  auto add_document_command = [&](const char* name, const char* description, auto render_markdown, auto render_json) {
    auto in = std::make_shared<document_input>();
    auto* cmd = fw_cmd->add_subcommand(name, description);
    add_framework_input(*cmd, *in);
    cmd->add_option("--level", in->level, "Career level id (see `calibra framework show`)")->required();
    cmd->add_option("--out", in->out, "Output file (default: standard output); written whole or not at all");
    cmd->callback([in, render_markdown, render_json] {
      const framework fw = load(*in);
      write_output(in->out, in->json_output ? dump_json(render_json(fw, in->level)) : render_markdown(fw, in->level));
    });
  };
  add_document_command(
      "jd", "Draft a job description for a career level from the expectation matrix (Markdown)",
      [](const framework& fw, const std::string& level) { return to_markdown(job_description(fw, level)); },
      [](const framework& fw, const std::string& level) { return job_description_json(job_description(fw, level)); });
  add_document_command(
      "rubric", "Draft an interview rubric for a career level: format and below/meets/above anchors per competency",
      [](const framework& fw, const std::string& level) { return to_markdown(interview_rubric(fw, level)); },
      [](const framework& fw, const std::string& level) { return interview_rubric_json(interview_rubric(fw, level)); });
}

}  // namespace calibra::cli
