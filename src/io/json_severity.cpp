// JSON for the rater-ratee network and the severity fit (json_severity.hpp).
#include "json_severity.hpp"
#include "json_values.hpp"

#include <cmath>
#include <cstddef>
#include <string>

namespace calibra::io::detail {
using json = nlohmann::ordered_json;

json to_json_value(const calibration::rater_network& network, const calibration::ratings_table& table) {
  json out;
  out["connected"] = network.connected();
  out["n_components"] = network.components.size();
  out["n_raters"] = network.n_raters;
  out["n_ratees"] = network.n_ratees;
  out["n_ratings"] = network.n_ratings;
  out["rater_pairs_without_shared_ratee"] = network.rater_pairs_without_shared_ratee;
  if (network.components.empty())
    out["message"] = "no ratings by other people, so there is no rater network";
  else if (network.connected())
    out["message"] = "all raters are linked through shared ratees; their severities are comparable";
  else
    out["message"] = "the raters form " + std::to_string(network.components.size()) +
                     " groups with no shared ratees between them; severities are comparable only within a "
                     "group, and the suggestions name cross-ratings that would join the groups";

  json components = json::array(), members = json::array();
  for (std::size_t c = 0; c < network.components.size(); ++c) {
    const calibration::network_component& component = network.components[c];
    components.push_back({{"component", c},
                          {"raters", component.raters.size()},
                          {"ratees", component.ratees.size()},
                          {"ratings", component.ratings}});
    for (std::uint32_t r : component.raters)
      members.push_back({{"component", c}, {"kind", "rater"}, {"name", table.raters()[r]}});
    for (std::uint32_t e : component.ratees)
      members.push_back({{"component", c}, {"kind", "ratee"}, {"name", table.ratees()[e]}});
  }
  out["components"] = std::move(components);
  out["members"] = std::move(members);

  json articulation = json::array();
  for (std::uint32_t r : network.articulation_raters)
    articulation.push_back({{"rater", table.raters()[r]}, {"component", network.rater_component[r]}});
  out["articulation_raters"] = std::move(articulation);

  json pairs = json::array();
  for (const auto& [a, b] : network.pair_examples)
    pairs.push_back({{"rater_1", table.raters()[a]}, {"rater_2", table.raters()[b]}});
  out["pair_examples"] = std::move(pairs);

  json suggestions = json::array();
  for (const calibration::cross_assignment& s : network.suggestions)
    suggestions.push_back({{"rater", table.raters()[s.rater]},
                           {"ratee", table.ratees()[s.ratee]},
                           {"from_component", s.from_component},
                           {"to_component", s.to_component}});
  out["suggestions"] = std::move(suggestions);
  return out;
}

json to_json_value(const calibration::severity_fit& fit, const calibration::ratings_table& table) {
  json out;
  out["available"] = fit.available;
  out["reason"] = fit.available ? json(nullptr) : json(fit.reason);
  out["se_method"] = fit.available ? json(fit.se_method) : json(nullptr);
  out["confidence"] = fit.confidence;
  out["n_ratings"] = fit.n_ratings;
  out["dof"] = fit.available ? json(fit.dof) : json(nullptr);
  out["residual_sd"] = fit.available ? number(fit.residual_sd) : json(nullptr);
  out["mu"] = fit.available ? number(fit.mu) : json(nullptr);
  out["iterations"] = fit.iterations;
  out["converged"] = fit.converged;
  const bool random_effects = fit.model == calibration::severity_model::random_effects;
  out["model"] = random_effects ? "random-effects" : "fixed-effects";
  out["variance_components"] =
      fit.available && random_effects
          ? json{{"rater", number(fit.rater_variance)},
                 {"ratee", number(fit.ratee_variance)},
                 {"ratee_competency", number(fit.ratee_competency_variance)},
                 {"next_step", number(fit.next_step_variance)},
                 {"rater_competency", number(fit.rater_competency_variance)},
                 {"residual", number(fit.residual_sd * fit.residual_sd)}}
          : json(nullptr);
  out["raters_judged"] = fit.raters_judged;
  out["raters_flagged"] = fit.raters_flagged;
  out["flag_threshold"] = fit.flag_threshold;
  out["false_discovery_rate"] = random_effects ? json(fit.false_discovery_rate) : json(nullptr);

  json raters = json::array();
  for (const calibration::rater_severity& r : fit.raters) {
    json record;
    record["rater"] = table.raters()[r.rater];
    record["severity"] = number(r.severity);
    record["se"] = number(r.se);
    record["ci_low"] = number(r.ci_low);
    record["ci_high"] = number(r.ci_high);
    record["component"] = r.component;
    record["flags"] = spellings(r.flags);
    record["judged"] = r.judged;
    record["null_probability"] = number(r.null_probability);
    record["n_ratings"] = r.n_ratings;
    record["n_ratees"] = r.n_ratees;
    record["mean_level"] = number(r.mean_level);
    record["sd_level"] = number(r.sd_level);
    record["pooled_sd_level"] = number(r.pooled_sd_level);
    record["sd_ratio"] = number(r.sd_ratio);
    record["middle_share"] = number(r.middle_share);
    record["levels_used"] = r.levels_used;
    record["pooled_levels_used"] = r.pooled_levels_used;
    record["ratee_mean_sd"] = number(r.ratee_mean_sd);
    record["pooled_ratee_mean_sd"] = number(r.pooled_ratee_mean_sd);
    record["discrimination_ratio"] = number(r.discrimination_ratio);
    record["halo_within_sd"] = number(r.halo_within_sd);
    record["halo_sd_ratio"] = number(r.halo_sd_ratio);
    record["halo_pc1_share"] = number(r.halo_pc1_share);
    record["fit_mean_square"] = number(r.fit_mean_square);
    raters.push_back(std::move(record));
  }
  out["raters"] = std::move(raters);

  const auto& competencies = table.framework().competencies();
  json competency_effects = json::array();
  for (const calibration::facet_effect& e : fit.competency_effects)
    competency_effects.push_back({{"competency", competencies[e.id].id},
                                  {"estimate", number(e.estimate)},
                                  {"se", number(e.se)},
                                  {"n_ratings", e.n_ratings}});
  out["competency_effects"] = std::move(competency_effects);

  json period_effects = json::array();
  for (const calibration::facet_effect& e : fit.period_effects)
    period_effects.push_back({{"period", table.periods()[e.id]},
                              {"estimate", number(e.estimate)},
                              {"se", number(e.se)},
                              {"n_ratings", e.n_ratings}});
  out["period_effects"] = std::move(period_effects);

  json ratee_effects = json::array();
  for (std::size_t k = 0; k < fit.ratees.size(); ++k)
    ratee_effects.push_back({{"ratee", table.ratees()[fit.ratees[k]]}, {"effect", number(fit.ratee_effects[k])}});
  out["ratee_effects"] = std::move(ratee_effects);

  out["competency_biases_note"] = fit.rater_competency_note.empty() ? json(nullptr) : json(fit.rater_competency_note);
  out["competency_biases_judged"] = fit.biases_judged;
  out["competency_biases_flagged"] = fit.biases_flagged;
  json biases = json::array();
  const auto& framework_competencies = table.framework().competencies();
  for (const calibration::rater_competency_bias& x : fit.competency_biases)
    biases.push_back({{"rater", table.raters()[x.rater]},
                      {"competency", framework_competencies[x.competency].id},
                      {"bias", number(x.bias)},
                      {"sd", number(x.sd)},
                      {"n_ratings", x.n_ratings},
                      {"n_ratees", x.n_ratees},
                      {"judged", x.judged},
                      {"null_probability", number(x.null_probability)},
                      {"flagged", x.flagged}});
  out["competency_biases"] = std::move(biases);
  return out;
}

}  // namespace calibra::io::detail
