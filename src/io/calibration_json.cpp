// Assembles the calibration report's JSON from the per-analysis writers
// (json_<area>.cpp); this file owns the document's top level and the
// `summary` section.
#include <calibra/io/calibration_json.hpp>

#include "json_agreement_analyses.hpp"
#include "json_ratees.hpp"
#include "json_severity.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cmath>
#include <ostream>
#include <sstream>
#include <string>

namespace calibra {
namespace {

using json = nlohmann::ordered_json;
namespace cal = calibration;

json summary_section(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::ratings_summary& in = report.input;
  json s;
  s["source"] = in.source;
  s["rows_read"] = in.rows_read;
  s["rows_kept"] = in.rows_kept;
  s["duplicate_policy"] = std::string(cal::to_string(in.duplicates));
  s["duplicate_groups"] = in.duplicate_groups;
  s["duplicate_rows_dropped"] = in.duplicate_rows_dropped;
  s["ignored_columns"] = in.ignored_columns;
  s["attribute_columns"] = table.attribute_names();
  s["ratings_with_evidence"] = in.rows_with_evidence;
  s["warnings"] = in.warnings;
  s["ratees"] = in.ratees;
  s["raters"] = in.raters;
  json periods = json::array();
  for (std::size_t p = 0; p < table.periods().size(); ++p)
    periods.push_back({{"period", table.periods()[p]}, {"ratings", in.rows_per_period[p]}});
  s["periods"] = periods;
  json roles = json::object();
  for (cal::rater_role role : cal::all_rater_roles)
    roles[std::string(cal::to_string(role))] = in.rows_per_role[static_cast<std::size_t>(role)];
  s["ratings_per_role"] = roles;
  json competencies = json::object();
  const auto& comps = table.framework().competencies();
  for (std::size_t c = 0; c < comps.size(); ++c) competencies[comps[c].id] = in.rows_per_competency[c];
  s["ratings_per_competency"] = competencies;
  s["framework"] = {{"id", table.framework().metadata().id},
                    {"version", table.framework().metadata().version},
                    {"last_updated", table.framework().metadata().last_updated}};
  s["analysed_period"] = report.period_name;
  s["min_group"] = report.privacy.min_group;
  s["scores_method"] = report.scores.method;
  json analyses = json::array();
  for (const auto& a : report.analyses)
    analyses.push_back({{"analysis", a.id},
                        {"available", a.available},
                        {"reason", a.available ? json(nullptr) : json(a.reason)}});
  s["analyses"] = analyses;
  return s;
}

/// The ratings that came with evidence or a comment, in input order.
void write_evidence_section(io::detail::json_writer& w, const cal::ratings_table& table) {
  const auto& fw = table.framework();
  w.begin_object();
  w.array_member("ratings", [&](auto& rows) {
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.evidence(row).empty()) continue;
    rows.push_back({{"ratee", table.ratees()[table.ratee(row)]},
                   {"rater", table.raters()[table.rater(row)]},
                   {"role", std::string(cal::to_string(table.role(row)))},
                   {"competency", fw.competencies()[table.competency(row)].id},
                   {"period", table.periods()[table.period(row)]},
                   {"level", fw.scale().at_ordinal(table.level(row)).id},
                   {"evidence", table.evidence(row)},
                   {"row", table.source_row(row)}});
  }
  });
  w.end_object();
}

json number_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

json groups_section(const cal::group_comparison& g) {
  json section;
  section["attribute"] = g.attribute;
  section["available"] = g.available;
  section["reason"] = g.available ? json(nullptr) : json(g.reason);
  section["confidence"] = g.confidence;
  section["ratees_without_value"] = g.ratees_without_value;
  section["ratees_with_two_values"] = g.ratees_with_two_values;
  json groups = json::array();
  for (const auto& r : g.groups)
    groups.push_back({{"group", r.value},
                      {"ratees", r.ratees},
                      {"mean_score", number_or_null(r.mean_score)},
                      {"difference", number_or_null(r.difference)},
                      {"lower", number_or_null(r.lower)},
                      {"upper", number_or_null(r.upper)},
                      {"suppressed", r.suppressed}});
  section["groups"] = std::move(groups);
  return section;
}

json self_profiles_section(const cal::self_profiles_result& result, const cal::ratings_table& table) {
  const auto& fw = table.framework();
  const auto items = [&](const std::vector<cal::self_profile_item>& list) {
    json out = json::array();
    for (const auto& item : list)
      out.push_back({{"competency", fw.competencies()[item.competency].id},
                     {"self_level", fw.scale().at_ordinal(item.self_level).id},
                     {"expected", fw.scale().at_ordinal(item.expected).id},
                     {"difference", item.difference}});
    return out;
  };
  const auto ids = [&](const std::vector<std::size_t>& list) {
    json out = json::array();
    for (std::size_t c : list) out.push_back(fw.competencies()[c].id);
    return out;
  };
  json section;
  section["available"] = result.available;
  section["reason"] = result.available ? json(nullptr) : json(result.reason);
  json ratees = json::array();
  for (const auto& p : result.ratees)
    ratees.push_back({{"ratee", std::string(table.ratees()[p.ratee])},
                      {"career_level", p.career_level ? json(fw.ladder().career_levels()[*p.career_level].id)
                                                      : json(nullptr)},
                      {"strengths", items(p.strengths)},
                      {"gaps", items(p.gaps)},
                      {"at_expectation", items(p.at_expectation)},
                      {"unrated", ids(p.unrated)},
                      {"to_discuss", ids(p.to_discuss)},
                      {"note", p.note.empty() ? json(nullptr) : json(p.note)}});
  section["ratees"] = std::move(ratees);
  return section;
}

}  // namespace

void write_json(std::ostream& out, const cal::calibration_report& report, const cal::ratings_table& table) {
  // Section by section: each small one is built, written and freed before
  // the next; the ones that grow with the ratees are written row by row.
  io::detail::json_writer w(out);
  w.begin_object();
  w.member("summary", summary_section(report, table));
  w.member("agreement", io::detail::agreement_section(report.anchors, table));
  w.member("competencies", io::detail::competencies_section(report.anchors, table));
  w.member("raters", io::detail::to_json_value(report.severity, table));
  w.member("components", io::detail::to_json_value(report.severity.network, table));
  w.member("drift", io::detail::to_json_value(report.drift, table));
  w.member("self_vs_manager", io::detail::to_json_value(report.self_assessment, table));
  w.member("decision_study", io::detail::to_json_value(report.decision_study, table));
  w.key("ratees");
  io::detail::write_ratees_section(w, report.levels, report.readiness, report.patterns, report.development,
                                   report.scores, report.severity.confidence, table);
  w.member("matrix_validation", io::detail::matrix_validation_section(report.levels, table));
  w.key("team");
  io::detail::write_team_section(w, report.team, report.manager_teams, table);
  w.key("development_plans");
  io::detail::write_development_section(w, report.development, table);
  if (report.feedback) w.member("feedback", io::detail::to_json_value(*report.feedback, table));
  if (report.groups) w.member("groups", groups_section(*report.groups));
  if (report.self_profiles) w.member("self_profiles", self_profiles_section(*report.self_profiles, table));
  if (table.summary().rows_with_evidence > 0) {
    w.key("evidence");
    write_evidence_section(w, table);
  }
  w.end_object();
  out << '\n';
}

std::string to_json(const cal::calibration_report& report, const cal::ratings_table& table) {
  std::ostringstream out;
  write_json(out, report, table);
  return std::move(out).str();
}

std::string to_json(const cal::severity_fit& fit, const cal::ratings_table& table) {
  return io::detail::to_json_value(fit, table).dump();
}
std::string to_json(const cal::rater_network& network, const cal::ratings_table& table) {
  return io::detail::to_json_value(network, table).dump();
}
std::string to_json(const cal::anchors_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::self_assessment_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::drift_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::decision_study_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::level_inference& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string validation_to_json(const cal::level_inference& result, const cal::ratings_table& table) {
  return io::detail::matrix_validation_section(result, table).dump();
}
std::string to_json(const cal::readiness_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::patterns_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::development_result& result, const cal::ratings_table& table) {
  std::ostringstream out;
  io::detail::json_writer w(out, false);
  io::detail::write_development_section(w, result, table);
  return std::move(out).str();
}
std::string to_json(const cal::team_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}
std::string to_json(const cal::team_result& whole, const std::vector<cal::team_result>& managers,
                    const cal::ratings_table& table) {
  std::ostringstream out;
  io::detail::json_writer w(out, false);
  io::detail::write_team_section(w, whole, managers, table);
  return std::move(out).str();
}
std::string to_json(const cal::feedback_result& result, const cal::ratings_table& table) {
  return io::detail::to_json_value(result, table).dump();
}

}  // namespace calibra
