// JSON for the rater-effect analyses: the rater-ratee network (the
// report's `components` section) and the severity fit (its `raters`
// section).  Each section is an object whose main table is an array of
// flat records, so that Python can turn it into a DataFrame; details sit in
// further arrays next to it.  NaN and undefined values are null.
//
// nlohmann is a private dependency of calibra::io, so this header lives in
// src/io and is included only by the io sources.
#pragma once

#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/severity.hpp>

#include <nlohmann/json.hpp>

namespace calibra::io::detail {

/// The `components` section:
///   connected, n_components, n_raters, n_ratees, n_ratings,
///   rater_pairs_without_shared_ratee, message (a sentence for the reader),
///   components:   [{component, raters, ratees, ratings}]        (counts)
///   members:      [{component, kind: "rater" | "ratee", name}]
///   articulation_raters: [{rater, component}]
///   pair_examples:       [{rater_1, rater_2}]                    (capped)
///   suggestions:         [{rater, ratee, from_component, to_component}]
nlohmann::ordered_json to_json_value(const calibration::rater_network& network, const calibration::ratings_table& table);

/// The `raters` section:
///   available, reason, se_method, confidence, n_ratings, dof, residual_sd,
///   mu, iterations, converged,
///   raters: [{rater, severity, se, ci_low, ci_high, component, flags (array
///             of strings), n_ratings, n_ratees, and every diagnostic of
///             calibration::rater_severity under its own name}]
///   competency_effects: [{competency, estimate, se, n_ratings}]
///   period_effects:     [{period, estimate, se, n_ratings}]
///   ratee_effects:      [{ratee, effect}]
///   competency_biases_note, competency_biases_judged, competency_biases_flagged,
///   competency_biases:  [{rater, competency, bias, sd, n_ratings, n_ratees,
///                         judged, null_probability, flagged}]  (random effects:
///                         a rater's bias on one competency beyond their severity)
/// The network is written separately (to_json_value(fit.network, table)).
nlohmann::ordered_json to_json_value(const calibration::severity_fit& fit, const calibration::ratings_table& table);

}  // namespace calibra::io::detail
