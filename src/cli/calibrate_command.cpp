// `calibra calibrate [RATINGS] [--framework FILE] [--period P] [--min-group N] [--json]`
//
// Reads ratings (CSV, JSON or XLSX), runs every calibration analysis
// the data supports (calibration/calibrate.hpp) and prints a summary for
// people or one JSON document for pipelines.  Without RATINGS it analyses
// the bundled example data set, regenerated from its seeded generator.
#include "commands.hpp"
#include "text_table.hpp"

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/calibration_json.hpp>
#include <calibra/io/feedback.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace calibra::cli {
namespace {

namespace cal = calibra::calibration;

struct calibrate_input {
  std::string ratings;
  std::string framework;
  std::string feedback;
  std::string period;
  std::size_t min_group = cal::privacy_policy{}.min_group;
  std::string duplicates = "error";
  bool ignore_unknown_columns = false;
  std::vector<std::string> roles;  // NAME=ROLE
  std::vector<std::string> attributes;  // wide form: columns kept as attributes
  std::string group_by;
  std::string sheet;  // XLSX ratings: the sheet to read
  bool json_output = false;
  std::string out;
};

std::string fixed(double value, int digits = 2) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string signed_fixed(double value, int digits = 2) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.*f", digits, value);
  return buffer;
}

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

/// The stable names of flags, in their order.
std::string join(const std::vector<cal::rater_flag>& flags) {
  std::vector<std::string> names;
  for (const auto flag : flags) names.emplace_back(cal::to_string(flag));
  return join(names);
}

/// The stable name of an enum value, "" when there is none.
template <typename Enum>
std::string name_or_empty(const std::optional<Enum>& value) {
  return value ? std::string(cal::to_string(*value)) : std::string();
}

/// The ratings to analyse: the file given, or the bundled example.
cal::ratings_table load_ratings(const calibrate_input& in) {
  auto fw = std::make_shared<const framework>(in.framework.empty() ? builtin_framework()
                                                                   : load_framework(in.framework));
  if (in.ratings.empty()) {
    if (!in.framework.empty())
      throw invalid_argument("cli", "--framework " + in.framework +
                                        " was given without a ratings file; the bundled example ratings belong to "
                                        "the built-in framework");
    return cal::simulate_ratings(fw, cal::example_simulation_config()).table;
  }
  ratings_options options;
  const auto policy = cal::parse_duplicate_policy(in.duplicates);
  if (!policy) throw invalid_argument("cli", "--duplicates " + in.duplicates + ": expected error, last or mean");
  options.duplicates = *policy;
  options.ignore_unknown_columns = in.ignore_unknown_columns;
  for (const std::string& mapping : in.roles) options.roles.push_back(parse_role_mapping(mapping));
  options.attribute_columns = in.attributes;
  if (!in.group_by.empty()) options.attribute_columns.push_back(in.group_by);
  options.sheet = in.sheet;
  cal::ratings_table table = read_ratings(in.ratings, fw, options);
  // What the reader accepted but the user should know goes to stderr, so
  // stdout stays the report (or one JSON document).
  for (const std::string& warning : table.summary().warnings) std::cerr << "calibra: warning: " << warning << '\n';
  return table;
}

std::string input_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::ratings_summary& s = report.input;
  std::ostringstream out;
  out << "Ratings: " << s.rows_kept << " of " << s.rows_read << " rows from " << s.source;
  if (s.duplicate_rows_dropped > 0)
    out << " (" << s.duplicate_rows_dropped << " duplicate rows folded under policy '" << cal::to_string(s.duplicates)
        << "')";
  out << "\n  " << s.ratees << " ratees, " << s.raters << " raters, " << s.periods << (s.periods == 1 ? " period (" : " periods (")
      << table.periods()[0] << ".." << table.periods()[table.periods().size() - 1] << "); analysed period "
      << report.period_name << "; groups under " << report.privacy.min_group << " ratees are suppressed\n";
  std::vector<std::string> skipped;
  for (const auto& a : report.analyses)
    if (!a.available) skipped.push_back(a.id + " (" + a.reason + ")");
  if (!skipped.empty()) out << "  not available: " << join(skipped, "; ") << "\n";
  return out.str();
}

std::string raters_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::severity_fit& fit = report.severity;
  if (!fit.available) return "";
  std::ostringstream out;
  const bool random_effects = fit.model == cal::severity_model::random_effects;
  out << "\nRater severity (levels; > 0 harsh, < 0 lenient; " << fixed(100 * fit.confidence, 0) << "% "
      << (random_effects ? "credible interval, shrunken random effects" : "CI, fixed effects") << "; residual SD "
      << fixed(fit.residual_sd) << ")\n";
  if (random_effects)
    out << "Lenient or harsh: at least " << fixed(fit.flag_threshold) << " levels from 0, with at most "
        << fixed(100 * fit.false_discovery_rate, 0) << "% expected false flags; " << fit.raters_flagged << " of "
        << fit.raters_judged << " judged raters flagged\n";
  text_table t({"rater", "severity", "CI", "component", "ratings", "ratees", "flags"});
  std::vector<const cal::rater_severity*> order;
  for (const auto& r : fit.raters) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return a->component != b->component ? a->component < b->component : a->severity < b->severity;
  });
  for (const auto* r : order)
    t.add({std::string(table.raters()[r->rater]), signed_fixed(r->severity),
           "[" + signed_fixed(r->ci_low) + ", " + signed_fixed(r->ci_high) + "]", std::to_string(r->component + 1),
           std::to_string(r->n_ratings), std::to_string(r->n_ratees),
           r->judged ? join(r->flags)
                     : join(r->flags) + (r->flags.empty() ? "" : ", ") + "too few ratings to judge"});
  out << t.render();
  if (!fit.rater_competency_note.empty()) out << "  " << fit.rater_competency_note << "\n";
  for (const cal::rater_competency_bias& x : fit.competency_biases)
    if (x.flagged)
      out << "  " << table.raters()[x.rater] << " rates " << table.framework().competencies()[x.competency].id << " "
          << fixed(std::abs(x.bias)) << " levels " << (x.bias > 0 ? "lower" : "higher")
          << " than their own severity predicts (sets its bar " << (x.bias > 0 ? "higher" : "lower") << ")\n";

  const cal::rater_network& net = fit.network;
  if (net.connected()) {
    out << "The rater network is connected: every severity above is on one scale.\n";
  } else {
    out << "The rater network has " << net.components.size()
        << (fit.model == cal::severity_model::random_effects
                ? " components; across components, severities rest on the model's assumption that all raters "
                  "come from one population.\n"
                : " components; severities compare only within a component.\n");
    for (const auto& s : net.suggestions)
      out << "  to join component " << s.to_component + 1 << " with " << s.from_component + 1 << ": have "
          << table.raters()[s.rater] << " rate " << table.ratees()[s.ratee] << "\n";
  }
  if (!net.articulation_raters.empty()) {
    std::vector<std::string> names;
    for (auto r : net.articulation_raters) names.emplace_back(table.raters()[r]);
    out << "Raters who alone hold their component together: " << join(names) << "\n";
  }
  return out.str();
}

const std::string& competency_id(const cal::ratings_table& table, std::size_t c) {
  return table.framework().competencies()[c].id;
}

std::string career_level_id(const cal::ratings_table& table, const std::optional<std::size_t>& level) {
  return level ? table.framework().ladder().career_levels()[*level].id : std::string("-");
}

std::string percent(double share) { return std::isfinite(share) ? fixed(100 * share, 0) + "%" : "-"; }

std::string agreement_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::anchors_result& a = report.anchors;
  if (!a.available) return "";
  std::ostringstream out;
  const auto& o = a.overall;
  out << "\nAgreement among raters of the same ratee (" << o.n_units << " units, " << o.n_ratees << " ratees): "
      << "within one level " << percent(o.within_one) << ", exact " << percent(o.exact) << ", Krippendorff's alpha "
      << fixed(o.alpha) << " (ordinal), Gwet's AC2 " << fixed(o.gwet) << "\n";
  // "divergent": units more than one level apart as rated; "adjusted": the
  // same after removing each rater's severity, which the flag is judged on.
  text_table t({"competency", "units", "within one", "exact", "alpha", "divergent", "adjusted", "anchor"});
  for (const auto& c : a.competencies) {
    if (c.n_units == 0) continue;
    t.add({competency_id(table, c.competency), std::to_string(c.n_units),
           c.suppressed ? "suppressed" : percent(c.within_one), percent(c.exact), fixed(c.alpha),
           std::to_string(c.divergent_units), c.severity_adjusted ? percent(c.adjusted_divergent_share) : "-",
           c.needs_rewrite ? "NEEDS REWRITE" : c.evaluated ? "" : "not evaluated"});
  }
  out << t.render();
  if (a.severity_adjusted)
    out << "  (adjusted: share of units still more than one level apart after removing each rater's severity; "
           "anchors are flagged on it)\n";
  for (const auto& c : a.competencies) {
    if (c.needs_rewrite) out << "  " << competency_id(table, c.competency) << ": " << c.rewrite_reason << "\n";
    if (!c.evaluated && c.n_units > 0 && !c.suppressed)
      out << "  " << competency_id(table, c.competency) << ": " << c.not_evaluated << "\n";
  }
  if (!a.note.empty()) out << "  " << a.note << "\n";
  return out.str();
}

std::string self_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::self_assessment_result& r = report.self_assessment;
  if (!r.available) return "";
  std::ostringstream out;
  out << "\nSelf vs manager in " << report.period_name << " (gap = self - manager, in levels)\n";
  const auto& all = r.overall;
  if (all.suppressed)
    out << "  team self-inflation: " << all.note << "\n";
  else
    out << "  team self-inflation: " << signed_fixed(all.mean_self_gap) << " [" << signed_fixed(all.ci_low) << ", "
        << signed_fixed(all.ci_high) << "] over " << all.n_ratees << " ratees (" << name_or_empty(all.direction)
        << ")\n";
  std::vector<std::string> inflated;
  for (const auto& c : r.inflation)
    if (c.competency && c.direction == cal::inflation_direction::inflated)
      inflated.push_back(competency_id(table, *c.competency) + " " + signed_fixed(c.mean_self_gap));
  if (!inflated.empty()) out << "  inflated competencies: " << join(inflated) << "\n";
  const std::size_t shown = std::min<std::size_t>(r.conversations.size(), 5);
  if (shown > 0) out << "  conversations to have first:\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& c = r.conversations[i];
    std::vector<std::string> topics;
    for (const auto& topic : c.topics)
      topics.push_back(competency_id(table, topic.competency) + " " + signed_fixed(topic.self_gap, 1));
    out << "    " << table.ratees()[c.ratee] << ": mean |gap| " << fixed(c.disagreement)
        << (topics.empty() ? "" : "; " + join(topics)) << "\n";
  }
  return out.str();
}

std::string drift_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::drift_result& d = report.drift;
  if (!d.available) return "";
  std::ostringstream out;
  out << "\nDrift across " << d.agreement.size() << " periods\n";
  bool any = false;
  for (const auto& r : d.raters) {
    if (!r.flagged) continue;
    any = true;
    out << "  " << table.raters()[r.rater] << " became " << name_or_empty(r.direction) << ": severity " << signed_fixed(r.change)
        << " [" << signed_fixed(r.ci_low) << ", " << signed_fixed(r.ci_high) << "] from " << table.periods()[r.first_period]
        << " to " << table.periods()[r.last_period] << " relative to the other raters\n";
  }
  for (const auto& p : d.agreement)
    if (p.decay) {
      any = true;
      out << "  calibration decay in " << table.periods()[p.period] << ": " << p.decay_reason << "\n";
    }
  if (!any) out << "  no rater moved more than " << fixed(d.severity_threshold) << " levels and agreement held\n";
  return out.str();
}

std::string decision_text(const cal::calibration_report& report) {
  const cal::decision_study_result& g = report.decision_study;
  if (!g.available || g.suppressed) return "";
  std::ostringstream out;
  if (!g.projection_reason.empty()) {
    out << "\nDecision study (" << to_string(g.design) << " design): no reliability projection: "
        << g.projection_reason << "\n";
    return out.str();
  }
  out << "\nDecision study (" << to_string(g.design) << " design, " << fixed(g.harmonic_raters_per_unit, 1)
      << " raters per ratee now): reliability G " << fixed(g.g_current) << ", Phi " << fixed(g.phi_current) << "; ";
  if (g.raters_needed_g)
    out << *g.raters_needed_g << " rater" << (*g.raters_needed_g == 1 ? "" : "s") << " per ratee reach G >= "
        << fixed(g.target) << "\n";
  else
    out << "no number of raters reaches G >= " << fixed(g.target) << "\n";
  return out.str();
}

std::string ratees_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  const cal::level_inference& levels = report.levels;
  if (!levels.available) return "";
  std::ostringstream out;
  out << "\nRatees in " << report.period_name << " (" << report.scores.method << " scores)\n";
  text_table t({"ratee", "career level", "inferred", "best fit", "readiness", "archetype", "plan"});
  for (std::size_t i = 0; i < levels.ratees.size(); ++i) {
    const cal::ratee_level& r = levels.ratees[i];
    std::string readiness = "-", archetype = "-", plan = "-";
    if (report.readiness.available && i < report.readiness.ratees.size())
      readiness = std::string(cal::to_string(report.readiness.ratees[i].summary));
    if (report.patterns.available && i < report.patterns.ratees.size()) {
      const auto& p = report.patterns.ratees[i];
      if (p.best_archetype && p.clear_match)
        archetype = table.framework().archetypes()[*p.best_archetype].id + " (" + fixed(p.best_similarity) + ")";
    }
    if (report.development.available && i < report.development.ratees.size()) {
      std::vector<std::string> items;
      for (const auto& item : report.development.ratees[i].items) items.push_back(competency_id(table, item.competency));
      if (!items.empty()) plan = join(items);
    }
    const std::string inferred =
        r.inferred_level ? career_level_id(table, r.inferred_level) + " (" + fixed(r.inferred_probability) + ")" : "-";
    t.add({std::string(table.ratees()[r.ratee]), career_level_id(table, r.career_level), inferred,
           career_level_id(table, r.best_fit_level), readiness, archetype, plan});
  }
  out << t.render();

  const cal::matrix_validation& v = levels.validation;
  if (v.available && !report.self_profiles) {
    std::vector<std::string> easy, hard;
    for (const auto& c : v.competencies) {
      if (c.verdict == cal::anchor_verdict::too_easy) easy.push_back(competency_id(table, c.competency));
      if (c.verdict == cal::anchor_verdict::too_hard) hard.push_back(competency_id(table, c.competency));
    }
    out << "Matrix validation: ";
    if (easy.empty() && hard.empty()) out << "no competency's expectations look too easy or too hard";
    if (!easy.empty()) out << "too easy (people rate above their level): " << join(easy);
    if (!easy.empty() && !hard.empty()) out << "; ";
    if (!hard.empty()) out << "too hard: " << join(hard);
    out << "\n";
  }
  const cal::promotion_separation& s = levels.separation;
  if (s.available && !s.suppressed)
    out << "Promoted vs not promoted (" << s.n_promoted << " vs " << s.n_not_promoted << "): Hedges' g "
        << fixed(s.hedges_g) << " [" << fixed(s.g_ci_low) << ", " << fixed(s.g_ci_high) << "], AUC " << fixed(s.auc)
        << "\n";
  else if (s.suppressed)
    out << "Promoted vs not promoted: " << s.note << "\n";
  return out.str();
}

std::string feedback_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  if (!report.feedback || !report.feedback->available) return "";
  const cal::feedback_result& f = *report.feedback;
  std::ostringstream out;
  out << "\nFeedback log: " << f.n_items << " items on " << f.n_ratees << " ratees, " << f.recurring_patterns
      << " recurring themes\n";
  text_table t({"ratee", "competency", "mentions", "strength", "growth", "quarters", "trend"});
  for (const auto& p : f.patterns)
    if (p.recurring)
      t.add({p.ratee, competency_id(table, p.competency), std::to_string(p.mentions), std::to_string(p.strengths),
             std::to_string(p.growth), std::to_string(p.quarters), p.trend.empty() ? "-" : p.trend});
  if (f.recurring_patterns > 0) out << t.render();
  return out.str();
}

std::string self_profiles_text(const cal::calibration_report& report, const cal::ratings_table& table) {
  if (!report.self_profiles || !report.self_profiles->available) return "";
  std::ostringstream out;
  out << "\nSelf-assessment in " << report.period_name << " (no other rater yet), against the career level\n";
  const auto items = [&](const std::vector<cal::self_profile_item>& list) {
    std::vector<std::string> names;
    for (const auto& item : list)
      names.push_back(competency_id(table, item.competency) + " (" + std::to_string(item.self_level) + " vs " +
                      std::to_string(item.expected) + ")");
    return names.empty() ? std::string("none") : join(names);
  };
  for (const cal::self_profile& p : report.self_profiles->ratees) {
    out << std::string(table.ratees()[p.ratee]) << " (" << career_level_id(table, p.career_level) << ")\n";
    if (!p.note.empty()) out << "  " << p.note << "\n";
    if (p.career_level) {
      out << "  strengths to lean into: " << items(p.strengths) << "\n";
      out << "  gaps: " << items(p.gaps) << "\n";
    }
    for (std::size_t i = 0; i < report.patterns.ratees.size(); ++i) {
      const auto& pattern = report.patterns.ratees[i];
      if (report.patterns.available && pattern.ratee == p.ratee && pattern.best_archetype && pattern.clear_match)
        out << "  archetype: " << table.framework().archetypes()[*pattern.best_archetype].id << " ("
            << fixed(pattern.best_similarity) << ")\n";
    }
    if (report.development.available)
      for (const auto& plan : report.development.ratees)
        if (plan.ratee == p.ratee) {
          std::vector<std::string> steps;
          for (const auto& item : plan.items) steps.push_back(competency_id(table, item.competency));
          out << "  development plan: " << (steps.empty() ? std::string("no gap to plan for") : join(steps)) << "\n";
        }
    std::vector<std::string> discuss;
    for (std::size_t c : p.to_discuss) discuss.push_back(competency_id(table, c));
    out << "  to discuss with the manager: " << (discuss.empty() ? std::string("none") : join(discuss)) << "\n";
  }
  return out.str();
}

std::string groups_text(const cal::calibration_report& report) {
  if (!report.groups) return "";
  const cal::group_comparison& g = *report.groups;
  std::ostringstream out;
  out << "\nGroups by '" << g.attribute << "'";
  if (!g.available) return out.str() + ": " + g.reason + "\n";
  out << " (mean score per ratee; difference from the other groups' ratees with a "
      << fixed(100 * g.confidence, 0) << "% Welch interval)\n";
  text_table t({"group", "ratees", "mean score", "difference", "interval"});
  for (const auto& r : g.groups)
    t.add({r.value, std::to_string(r.ratees), r.suppressed ? "suppressed" : fixed(r.mean_score),
           r.suppressed ? "-" : signed_fixed(r.difference),
           std::isfinite(r.lower) ? "[" + signed_fixed(r.lower) + ", " + signed_fixed(r.upper) + "]" : "-"});
  out << t.render();
  if (g.ratees_without_value > 0)
    out << "  " << g.ratees_without_value << " ratees have no value in '" << g.attribute << "' and are in no group\n";
  if (g.ratees_with_two_values > 0)
    out << "  " << g.ratees_with_two_values << " ratees have two values in '" << g.attribute
        << "' in the period and are in no group\n";
  if (std::any_of(g.groups.begin(), g.groups.end(), [](const auto& r) { return r.suppressed; }))
    out << "  suppressed: the group or the rest has fewer than " << report.privacy.min_group << " ratees\n";
  return out.str();
}

void run(const calibrate_input& in) {
  const cal::ratings_table table = load_ratings(in);
  cal::calibration_context context(table);
  if (!in.period.empty()) context.with_period(in.period);
  context.with_privacy({in.min_group});
  std::optional<cal::feedback_log> feedback;
  if (!in.feedback.empty()) feedback = read_feedback_csv(in.feedback, table.framework_ptr());
  cal::calibrate_options options;
  options.group_by = in.group_by;
  cal::calibration_report report = cal::calibrate(context, options, feedback ? &*feedback : nullptr);
  if (in.ratings.empty()) report.input.source = "the bundled example (data/examples/ratings.csv)";
  if (in.json_output) {
    write_output(in.out, [&](std::ostream& out) { write_json(out, report, table); });
    return;
  }
  write_output(in.out, input_text(report, table) + agreement_text(report, table) + raters_text(report, table) +
                           drift_text(report, table) + self_text(report, table) + decision_text(report) +
                           ratees_text(report, table) + self_profiles_text(report, table) + groups_text(report) + feedback_text(report, table));
}

}  // namespace

void add_calibrate_command(CLI::App& app, exit_status& /*status*/) {
  auto in = std::make_shared<calibrate_input>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Calibration analyses of long-form ratings: agreement, rater severity, drift, levels, readiness");
  cmd->add_option("RATINGS", in->ratings,
                  "Ratings file, .csv, .json or .xlsx (default: the bundled example data for the built-in "
                  "framework)");
  cmd->add_option("--framework", in->framework, "Framework JSON file (default: the built-in framework)");
  cmd->add_option("--feedback", in->feedback,
                  "Feedback log CSV (ratee, date, competency, kind, source, note) for recurring themes");
  cmd->add_option("--period", in->period, "Period the ratee analyses describe, e.g. 2026Q3 (default: the latest)");
  cmd->add_option("--min-group", in->min_group, "Suppress aggregates over fewer ratees than this")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  cmd->add_option("--duplicates", in->duplicates, "Repeated ratings: error, last or mean")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "last", "mean"}));
  cmd->add_flag("--ignore-unknown-columns", in->ignore_unknown_columns,
                "Drop columns outside the ratings format instead of keeping them as attributes");
  cmd->add_option("--role", in->roles,
                  "Read a role name of your own as one of calibra's, NAME=ROLE (e.g. line-manager=manager, "
                  "student=external); repeatable");
  cmd->add_option("--group-by", in->group_by,
                  "Compare the groups of ratees an extra column defines (e.g. team): ratees, mean score, and the "
                  "difference from the rest with an interval");
  cmd->add_option("--attribute", in->attributes,
                  "In a wide ratings file, a column that is not a competency but an attribute to keep (e.g. "
                  "team); repeatable");
  cmd->add_option("--sheet", in->sheet,
                  "In an .xlsx ratings file, the sheet to read (default: the sheet named Ratings, else the first)");
  cmd->add_flag("--json", in->json_output, "Print one JSON document");
  cmd->add_option("--out", in->out, "Output file (default: standard output); written whole or not at all");
  cmd->callback([in] { run(*in); });
}

}  // namespace calibra::cli
