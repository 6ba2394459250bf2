// JSON for the agreement analyses (json_agreement_analyses.hpp).
#include "json_agreement_analyses.hpp"
#include "json_values.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>

namespace calibra::io::detail {
namespace {

using json = nlohmann::ordered_json;
namespace cal = calibration;

json reason_of(bool available, const std::string& reason) { return available ? json(nullptr) : json(reason); }

const std::string& competency_id(const cal::ratings_table& table, std::size_t c) {
  return table.framework().competencies()[c].id;
}

/// The scalar fields of one agreement scope, written into `out`.
void put_summary(json& out, const cal::agreement_summary& s) {
  out["n_units"] = s.n_units;
  out["n_ratings"] = s.n_ratings;
  out["n_ratees"] = s.n_ratees;
  out["n_raters"] = s.n_raters;
  out["n_pairs"] = s.suppressed ? json(nullptr) : json(s.n_pairs);
  out["pairs_beyond_one"] = s.suppressed ? json(nullptr) : json(s.pairs_beyond_one);
  out["divergent_units"] = s.suppressed ? json(nullptr) : json(s.divergent_units);
  out["divergent_share"] = number(s.divergent_share);
  out["alpha"] = number(s.alpha);
  out["alpha_ci_low"] = number(s.alpha_ci_low);
  out["alpha_ci_high"] = number(s.alpha_ci_high);
  out["gwet_ac2"] = number(s.gwet);
  out["exact"] = number(s.exact);
  out["within_one"] = number(s.within_one);
  // After removing rater severity (null when no severities were available).
  const bool adjusted = s.severity_adjusted && !s.suppressed;
  out["adjusted_divergent_units"] = adjusted ? json(s.adjusted_divergent_units) : json(nullptr);
  out["adjusted_divergent_share"] = number(s.adjusted_divergent_share);
  out["pair_divergent_share"] = number(s.pair_divergent_share);
  out["adjusted_pair_divergent_share"] = number(s.adjusted_pair_divergent_share);
  out["adjusted_within_one"] = number(s.adjusted_within_one);
  out["suppressed"] = s.suppressed;
  out["note"] = text_or_null(s.note);
}

json inflation_record(const cal::self_inflation& s) {
  return {{"n_ratees", s.n_ratees},       {"mean_gap", number(s.mean_self_gap)},
          {"sd", number(s.sd)},           {"se", number(s.se)},
          {"ci_low", number(s.ci_low)},   {"ci_high", number(s.ci_high)},
          {"direction", spelling_or_null(s.direction)}, {"suppressed", s.suppressed},
          {"note", text_or_null(s.note)}};
}

json count_or_null(bool suppressed, std::size_t count) { return suppressed ? json(nullptr) : json(count); }

}  // namespace

json agreement_section(const cal::anchors_result& r, const cal::ratings_table& table) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["period"] = period_or_null(r.period, table);
  put_summary(out, r.overall);
  out["notes"] = r.overall.notes;
  out["competencies_flagged"] = r.competencies_flagged;
  out["competencies_evaluated"] = r.competencies_evaluated;
  out["message"] = text_or_null(r.note);
  json statistics = json::array();
  if (r.available) {
    statistics.push_back({{"statistic", "krippendorff_alpha_ordinal"},
                          {"value", number(r.overall.alpha)},
                          {"ci_low", number(r.overall.alpha_ci_low)},
                          {"ci_high", number(r.overall.alpha_ci_high)}});
    statistics.push_back({{"statistic", "gwet_ac2"}, {"value", number(r.overall.gwet)}, {"ci_low", nullptr},
                          {"ci_high", nullptr}});
    statistics.push_back({{"statistic", "exact"}, {"value", number(r.overall.exact)}, {"ci_low", nullptr},
                          {"ci_high", nullptr}});
    statistics.push_back({{"statistic", "within_one"}, {"value", number(r.overall.within_one)}, {"ci_low", nullptr},
                          {"ci_high", nullptr}});
  }
  out["statistics"] = std::move(statistics);
  return out;
}

json competencies_section(const cal::anchors_result& r, const cal::ratings_table& table) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["period"] = period_or_null(r.period, table);
  out["max_divergent_share"] = r.max_divergent_share;
  out["min_within_one"] = r.min_within_one;
  out["min_units"] = r.min_units;
  out["severity_adjusted"] = r.severity_adjusted;
  out["competencies_flagged"] = r.competencies_flagged;
  out["competencies_evaluated"] = r.competencies_evaluated;
  json records = json::array(), examples = json::array(), example_ratings = json::array(), raters = json::array();
  const auto& scale = table.framework().scale();
  for (const cal::competency_agreement& c : r.competencies) {
    const std::string& id = competency_id(table, c.competency);
    json record;
    record["competency"] = id;
    put_summary(record, c);
    record["needs_rewrite"] = c.needs_rewrite;
    record["rewrite_reason"] = text_or_null(c.rewrite_reason);
    record["evaluated"] = c.evaluated;
    record["not_evaluated"] = text_or_null(c.not_evaluated);
    records.push_back(std::move(record));
    for (const cal::divergent_unit& unit : c.examples) {
      const std::string& ratee = table.ratees()[unit.ratee];
      const std::string& period = table.periods()[unit.period];
      std::string levels;
      int low = unit.ratings.empty() ? 0 : unit.ratings.front().second, high = low;
      for (const auto& [rater, level] : unit.ratings) {
        levels += (levels.empty() ? "" : ", ") + table.raters()[rater] + "=" + std::to_string(level);
        low = std::min(low, level);
        high = std::max(high, level);
        example_ratings.push_back({{"competency", id},
                                   {"ratee", ratee},
                                   {"period", period},
                                   {"rater", table.raters()[rater]},
                                   {"level", level},
                                   {"level_id", scale.at_ordinal(level).id}});
      }
      examples.push_back({{"competency", id},
                          {"ratee", ratee},
                          {"period", period},
                          {"spread", unit.spread},
                          {"adjusted_spread", number(unit.adjusted_spread)},
                          {"min_level", low},
                          {"max_level", high},
                          {"levels", levels}});
    }
    for (const cal::rater_involvement& involved : c.raters)
      raters.push_back({{"competency", id},
                        {"rater", table.raters()[involved.rater]},
                        {"units", involved.units},
                        {"divergent_units", involved.divergent_units},
                        {"divergent_share", number(involved.divergent_share)}});
  }
  out["competencies"] = std::move(records);
  out["examples"] = std::move(examples);
  out["example_ratings"] = std::move(example_ratings);
  out["raters"] = std::move(raters);
  return out;
}

json to_json_value(const cal::anchors_result& r, const cal::ratings_table& table) {
  return {{"agreement", agreement_section(r, table)}, {"competencies", competencies_section(r, table)}};
}

json to_json_value(const cal::self_assessment_result& r, const cal::ratings_table& table) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["period"] = period_or_null(r.period, table);
  out["confidence"] = r.confidence;
  out["severity_adjusted"] = r.severity_adjusted;
  json gaps = json::array();
  for (const cal::self_gap& g : r.self_gaps)
    gaps.push_back({{"ratee", table.ratees()[g.ratee]},
                    {"competency", competency_id(table, g.competency)},
                    {"self_level", g.self_level},
                    {"comparison_level", number(g.comparison_level)},
                    {"n_comparison", g.n_comparison},
                    {"gap", number(g.difference)}});
  out["gaps"] = std::move(gaps);
  json inflation = json::array();
  for (const cal::self_inflation& s : r.inflation) {
    json record = inflation_record(s);
    record["competency"] = s.competency ? json(competency_id(table, *s.competency)) : json(nullptr);
    inflation.push_back(std::move(record));
  }
  out["inflation"] = std::move(inflation);
  out["overall"] = inflation_record(r.overall);
  json conversations = json::array(), topics = json::array();
  for (std::size_t k = 0; k < r.conversations.size(); ++k) {
    const cal::conversation& c = r.conversations[k];
    const std::string& ratee = table.ratees()[c.ratee];
    conversations.push_back({{"rank", k + 1},
                             {"ratee", ratee},
                             {"disagreement", number(c.disagreement)},
                             {"max_abs_gap", number(c.max_abs_self_gap)},
                             {"mean_gap", number(c.mean_self_gap)},
                             {"n_compared", c.n_compared},
                             {"n_topics", c.n_topics}});
    for (std::size_t t = 0; t < c.topics.size(); ++t)
      topics.push_back({{"rank", k + 1},
                        {"ratee", ratee},
                        {"topic", t + 1},
                        {"competency", competency_id(table, c.topics[t].competency)},
                        {"gap", number(c.topics[t].self_gap)}});
  }
  out["conversations"] = std::move(conversations);
  out["topics"] = std::move(topics);
  return out;
}

json to_json_value(const cal::drift_result& r, const cal::ratings_table& table) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["confidence"] = r.confidence;
  out["severity_threshold"] = r.severity_threshold;
  out["alpha_decay"] = r.alpha_decay;
  out["within_decay"] = r.within_decay;
  out["calibration_decay"] = r.calibration_decay;
  out["raters_flagged"] = r.raters_flagged;
  out["notes"] = r.notes;
  const auto& periods = table.periods();
  json severities = json::array();
  for (const cal::rater_period_severity& s : r.severities)
    severities.push_back({{"rater", table.raters()[s.rater]},
                          {"period", periods[s.period]},
                          {"severity", number(s.severity)},
                          {"se", number(s.se)},
                          {"ci_low", number(s.ci_low)},
                          {"ci_high", number(s.ci_high)},
                          {"component", s.component},
                          {"n_ratings", s.n_ratings},
                          {"n_ratees", s.n_ratees}});
  out["severities"] = std::move(severities);
  json raters = json::array(), flags = json::array();
  for (const cal::rater_drift& d : r.raters) {
    raters.push_back({{"rater", table.raters()[d.rater]},
                      {"first_period", periods[d.first_period]},
                      {"last_period", periods[d.last_period]},
                      {"periods", d.periods},
                      {"severity_first", number(d.severity_first)},
                      {"severity_last", number(d.severity_last)},
                      {"raw_change", number(d.raw_change)},
                      {"raw_se", number(d.raw_se)},
                      {"reference_change", number(d.reference_change)},
                      {"n_comparators", d.n_comparators},
                      {"change", number(d.change)},
                      {"se", number(d.se)},
                      {"ci_low", number(d.ci_low)},
                      {"ci_high", number(d.ci_high)},
                      {"flagged", d.flagged},
                      {"direction", spelling_or_null(d.direction)}});
    if (d.flagged) {
      char change[64];
      std::snprintf(change, sizeof change, "%+.2f levels [%.2f, %.2f]", d.change, d.ci_low, d.ci_high);
      flags.push_back({{"flag", "severity-drift"},
                       {"rater", table.raters()[d.rater]},
                       {"period", periods[d.last_period]},
                       {"detail", "severity " + std::string(change) + " from " + periods[d.first_period] + " to " +
                                      periods[d.last_period] + " relative to the other raters: " +
                                      std::string(cal::to_string(*d.direction))}});
    }
  }
  out["raters"] = std::move(raters);
  json agreement = json::array();
  for (const cal::period_agreement& a : r.agreement) {
    json record;
    record["period"] = periods[a.period];
    record["n_units"] = a.agreement.n_units;
    record["n_ratees"] = a.agreement.n_ratees;
    record["alpha"] = number(a.agreement.alpha);
    record["gwet_ac2"] = number(a.agreement.gwet);
    record["exact"] = number(a.agreement.exact);
    record["within_one"] = number(a.agreement.within_one);
    record["divergent_share"] = number(a.agreement.divergent_share);
    record["alpha_drop"] = number(a.alpha_drop);
    record["within_drop"] = number(a.within_drop);
    record["best_alpha_period"] = a.best_alpha_period ? json(periods[*a.best_alpha_period]) : json(nullptr);
    record["best_within_period"] = a.best_within_period ? json(periods[*a.best_within_period]) : json(nullptr);
    record["decay"] = a.decay;
    record["decay_reason"] = text_or_null(a.decay_reason);
    record["suppressed"] = a.agreement.suppressed;
    record["note"] = text_or_null(a.agreement.note);
    agreement.push_back(std::move(record));
    if (a.decay)
      flags.push_back({{"flag", "calibration-decay"}, {"rater", nullptr}, {"period", periods[a.period]},
                       {"detail", a.decay_reason}});
  }
  out["agreement"] = std::move(agreement);
  out["flags"] = std::move(flags);
  return out;
}

json to_json_value(const cal::decision_study_result& r, const cal::ratings_table&) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["design"] = r.available ? json(std::string(cal::to_string(r.design))) : json(nullptr);
  out["projection_reason"] = text_or_null(r.projection_reason);
  out["balanced"] = r.balanced;
  out["estimator"] = text_or_null(r.estimator);
  out["n_cells"] = r.n_cells;
  out["n_units"] = r.n_units;
  out["n_ratees"] = r.n_ratees;
  out["n_raters"] = r.n_raters;
  out["n_ratings"] = r.n_ratings;
  out["mean_raters_per_unit"] = number(r.mean_raters_per_unit);
  out["harmonic_raters_per_unit"] = number(r.harmonic_raters_per_unit);
  const bool shown = r.available && !r.suppressed;
  const auto value = [&](double x) { return shown ? number(x) : json(nullptr); };
  out["ratee_variance"] = value(r.components.ratee);
  out["rater_variance"] = value(r.components.rater);
  out["residual_variance"] = value(r.components.residual);
  out["g_current"] = value(r.g_current);
  out["phi_current"] = value(r.phi_current);
  out["target"] = r.target;
  out["raters_needed_g"] = r.raters_needed_g ? json(*r.raters_needed_g) : json(nullptr);
  out["raters_needed_phi"] = r.raters_needed_phi ? json(*r.raters_needed_phi) : json(nullptr);
  out["suppressed"] = r.suppressed;
  out["note"] = text_or_null(r.note);
  out["notes"] = r.notes;
  json components = json::array();
  if (r.available) {
    const cal::variance_components& vc = r.components;
    const double total = vc.ratee + vc.rater + vc.residual;
    for (const auto& [name, variance, raw] : {std::tuple{"ratee", vc.ratee, vc.ratee_raw},
                                              std::tuple{"rater", vc.rater, vc.rater_raw},
                                              std::tuple{"residual", vc.residual, vc.residual_raw}})
      components.push_back({{"component", name},
                            {"variance", value(variance)},
                            {"raw", value(raw)},
                            {"share", total > 0 ? value(variance / total) : json(nullptr)}});
  }
  out["components"] = std::move(components);
  json projection = json::array();
  for (const cal::reliability_projection& p : r.projection)
    projection.push_back({{"raters", p.raters}, {"g", value(p.g)}, {"phi", value(p.phi)}});
  out["projection"] = std::move(projection);
  return out;
}

json to_json_value(const cal::feedback_result& r, const framework& fw) {
  json out;
  out["available"] = r.available;
  out["reason"] = reason_of(r.available, r.reason);
  out["kind"] = r.kind ? json(std::string(cal::to_string(*r.kind))) : json(nullptr);
  out["n_items"] = r.n_items;
  out["n_ratees"] = r.n_ratees;
  out["first_quarter"] = r.available ? json(cal::quarter_name(r.first_quarter)) : json(nullptr);
  out["last_quarter"] = r.available ? json(cal::quarter_name(r.last_quarter)) : json(nullptr);
  out["recurring_patterns"] = r.recurring_patterns;
  const auto& comps = fw.competencies();
  json patterns = json::array(), counts = json::array();
  for (const cal::feedback_pattern& p : r.patterns) {
    const std::string& id = comps[p.competency].id;
    patterns.push_back({{"ratee", p.ratee},
                        {"competency", id},
                        {"mentions", p.mentions},
                        {"strengths", p.strengths},
                        {"growth", p.growth},
                        {"quarters", p.quarters},
                        {"first", cal::to_string(p.first)},
                        {"last", cal::to_string(p.last)},
                        {"span_first", cal::quarter_name(p.span_first)},
                        {"span_last", cal::quarter_name(p.span_last)},
                        {"slope", number(p.slope)},
                        {"trend", text_or_null(p.trend)},
                        {"recurring", p.recurring}});
    for (const cal::feedback_quarter& q : p.by_quarter)
      counts.push_back({{"ratee", p.ratee},
                        {"competency", id},
                        {"quarter", cal::quarter_name(q.quarter)},
                        {"mentions", q.mentions},
                        {"strengths", q.strengths},
                        {"growth", q.growth}});
  }
  out["patterns"] = std::move(patterns);
  out["counts"] = std::move(counts);
  json team = json::array();
  for (const cal::feedback_team_count& t : r.team)
    team.push_back({{"competency", comps[t.competency].id},
                    {"n_ratees", t.n_ratees},
                    {"mentions", count_or_null(t.suppressed, t.mentions)},
                    {"strengths", count_or_null(t.suppressed, t.strengths)},
                    {"growth", count_or_null(t.suppressed, t.growth)},
                    {"recurring_ratees", count_or_null(t.suppressed, t.recurring_ratees)},
                    {"suppressed", t.suppressed},
                    {"note", text_or_null(t.note)}});
  out["team"] = std::move(team);
  return out;
}

json to_json_value(const cal::feedback_result& r, const cal::ratings_table& table) {
  return to_json_value(r, table.framework());
}

}  // namespace calibra::io::detail
