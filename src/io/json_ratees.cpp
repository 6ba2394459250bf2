// JSON for the ratee analyses (json_ratees.hpp).
#include "json_ratees.hpp"
#include "json_values.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace calibra::io::detail {
namespace {

using json = nlohmann::ordered_json;
namespace cal = calibration;

json career_level_id(const std::optional<std::size_t>& level, const cal::ratings_table& table) {
  return level ? json(table.framework().ladder().career_levels()[*level].id) : json(nullptr);
}

const std::string& competency_id(std::size_t c, const cal::ratings_table& table) {
  return table.framework().competencies()[c].id;
}

json level_label(int ordinal, const cal::ratings_table& table) {
  const auto& levels = table.framework().scale().levels();
  if (ordinal < 1 || static_cast<std::size_t>(ordinal) > levels.size()) return nullptr;
  return levels[static_cast<std::size_t>(ordinal - 1)].id;
}

/// The statistic fields of a (possibly suppressed) gap statistic, into `record`.
void put_expectation_gap(json& record, const cal::expectation_gap_summary& g) {
  record["n_ratees"] = g.n_ratees;
  record["mean_gap"] = number(g.mean);
  record["sd"] = number(g.sd);
  record["ci_low"] = number(g.ci_low);
  record["ci_high"] = number(g.ci_high);
  record["suppressed"] = g.suppressed;
  record["note"] = text_or_null(g.note);
}

json header(bool available, const std::string& reason, const std::optional<std::uint32_t>& period,
            const std::string& method, const cal::ratings_table& table) {
  json out;
  out["available"] = available;
  out["reason"] = available ? json(nullptr) : json(reason);
  out["period"] = period_or_null(period, table);
  out["scores_method"] = text_or_null(method);
  return out;
}

// ---- per-analysis record builders, shared by the single sections and ratees_section.

json level_record(const cal::ratee_level& r, const cal::ratings_table& table) {
  json rec;
  rec["ratee"] = table.ratees()[r.ratee];
  rec["career_level"] = career_level_id(r.career_level, table);
  rec["inferred_level"] = career_level_id(r.inferred_level, table);
  rec["inferred_probability"] = number(r.inferred_probability);
  rec["next_level"] = career_level_id(r.next_level, table);
  rec["best_fit_level"] = career_level_id(r.best_fit_level, table);
  rec["best_fit_distance"] = number(r.best_fit_distance);
  rec["scored"] = r.scored;
  rec["inferred_vs_actual"] = !r.inferred_vs_actual      ? json(nullptr)
                              : *r.inferred_vs_actual > 0 ? json("above")
                              : *r.inferred_vs_actual < 0 ? json("below")
                                                          : json("equal");
  rec["promotion_target"] = career_level_id(r.promotion_target, table);
  rec["readiness_index"] = number(r.readiness_index);
  rec["outcome"] = r.outcome ? json(std::string(cal::to_string(*r.outcome))) : json(nullptr);
  return rec;
}

// The add_* functions append a table's rows to `out`: a json array, or a
// json_writer::row_sink that writes each row as it comes.

template <typename Rows>
void add_shortfalls(Rows& out, const cal::ratee_level& r, const cal::ratings_table& table) {
  for (const auto& s : r.shortfalls)
    out.push_back({{"ratee", table.ratees()[r.ratee]},
                   {"career_level", career_level_id(r.next_level, table)},
                   {"competency", competency_id(s.competency, table)},
                   {"score", number(s.score)},
                   {"expected", s.expected},
                   {"shortfall", number(s.shortfall)}});
}

json step_target(const cal::ratee_readiness& r, const cal::ratings_table& table) {
  if (!r.summary_step) return nullptr;
  return career_level_id(r.steps[*r.summary_step].step.to, table);
}

template <typename Rows>
void add_readiness_steps(Rows& steps, const cal::ratee_readiness& r, const cal::ratings_table& table) {
  const std::string& ratee = table.ratees()[r.ratee];
  for (const auto& s : r.steps)
    steps.push_back({{"ratee", ratee},
                     {"from", career_level_id(s.step.from, table)},
                     {"to", career_level_id(s.step.to, table)},
                     {"on_track", s.on_track},
                     {"verdict", std::string(cal::to_string(s.verdict))},
                     {"probability", number(s.probability)},
                     {"met", s.met},
                     {"unmet", s.unmet},
                     {"uncertain", s.uncertain}});
}

template <typename Rows>
void add_readiness_items(Rows& items, const cal::ratee_readiness& r, const cal::ratings_table& table) {
  const std::string& ratee = table.ratees()[r.ratee];
  for (const auto& s : r.steps) {
    const json from = career_level_id(s.step.from, table), to = career_level_id(s.step.to, table);
    for (const auto& item : s.items)
      items.push_back({{"ratee", ratee},
                       {"from", from},
                       {"to", to},
                       {"competency", competency_id(item.competency, table)},
                       {"from_level", level_label(item.from_level, table)},
                       {"to_level", level_label(item.to_level, table)},
                       {"threshold", item.threshold},
                       {"score", number(item.score)},
                       {"se", number(item.se)},
                       {"ci_low", number(item.ci_low)},
                       {"ci_high", number(item.ci_high)},
                       {"status", std::string(cal::to_string(item.status))},
                       {"probability_met", number(item.probability_met)},
                       {"point_only", item.point_only}});
  }
}

json archetype_id(const std::optional<std::size_t>& a, const cal::ratings_table& table) {
  return a ? json(table.framework().archetypes()[*a].id) : json(nullptr);
}

void put_pattern_fields(json& rec, const cal::ratee_pattern& p, const cal::ratings_table& table) {
  rec["relative_to_expectation"] = p.relative_to_expectation;
  rec["archetype"] = archetype_id(p.best_archetype, table);
  rec["archetype_similarity"] = number(p.best_similarity);
  rec["runner_up_archetype"] = archetype_id(p.runner_up, table);
  rec["runner_up_similarity"] = number(p.runner_up_similarity);
  rec["archetype_z"] = number(p.pattern_z);
  rec["clear_match"] = p.clear_match;
}

template <typename Rows>
void add_profiles(Rows& profiles, const cal::ratee_pattern& p, const cal::ratings_table& table) {
  const std::string& ratee = table.ratees()[p.ratee];
  const auto& fw = table.framework();
  const auto cell = [&](const char* kind, const std::string& group, const cal::profile_cell& c) {
    profiles.push_back({{"ratee", ratee},
                        {"kind", kind},
                        {"group", group},
                        {"mean_score", number(c.mean_score)},
                        {"mean_gap", number(c.mean_expectation_gap)},
                        {"scored", c.scored}});
  };
  for (std::size_t a = 0; a < p.areas.size(); ++a) cell("area", fw.areas()[a].id, p.areas[a]);
  for (std::size_t q = 0; q < 4; ++q) cell("quadrant", to_string(all_quadrants()[q]), p.quadrants[q]);
}

template <typename Rows>
void add_similarities(Rows& similarities, const cal::ratee_pattern& p, const cal::ratings_table& table) {
  const std::string& ratee = table.ratees()[p.ratee];
  const auto& fw = table.framework();
  for (std::size_t a = 0; a < p.archetype_similarity.size(); ++a)
    similarities.push_back({{"ratee", ratee},
                            {"archetype", fw.archetypes()[a].id},
                            {"similarity", number(p.archetype_similarity[a])}});
}

json plan_record(const cal::development_plan& p, const cal::ratings_table& table) {
  return {{"ratee", table.ratees()[p.ratee]},
          {"career_level", career_level_id(p.career_level, table)},
          {"goal_level", career_level_id(p.goal_level, table)},
          {"goal_chosen", p.goal_chosen},
          {"items", p.items.size()},
          {"candidates", p.candidates},
          {"unscored", p.unscored},
          {"note", text_or_null(p.note)}};
}

template <typename Rows>
void add_plan_items(Rows& items, const cal::development_plan& p, const cal::ratings_table& table) {
  for (std::size_t k = 0; k < p.items.size(); ++k) {
    const cal::plan_item& item = p.items[k];
    items.push_back({{"ratee", table.ratees()[p.ratee]},
                     {"rank", k + 1},
                     {"competency", competency_id(item.competency, table)},
                     {"score", number(item.score)},
                     {"current_level", level_label(item.current_level, table)},
                     {"target_level", level_label(item.target_level, table)},
                     {"target_ordinal", item.target_level},
                     {"gap", number(item.shortfall)},
                     {"priority", std::string(cal::to_string(item.priority))},
                     {"reason", item.reason},
                     {"actions", item.actions},
                     {"quarters", item.quarters},
                     {"target_quarter", item.target_quarter ? json(*item.target_quarter) : json(nullptr)}});
  }
}

std::string team_name(const cal::team_result& t, const cal::ratings_table& table) {
  return t.manager ? table.raters()[*t.manager] : std::string("all");
}

/// The tables of a team section, in the order they are written.
constexpr const char* team_tables[] = {"teams", "competencies", "strengths", "gaps", "heatmap"};

/// Appends the rows one team contributes to the team table `which`, each
/// with a `team` column unless `team_column` is false.
template <typename Rows>
void add_team_rows(Rows& out, std::string_view which, const cal::team_result& t, const cal::ratings_table& table,
                   bool team_column) {
  const std::string name = team_name(t, table);
  const auto add = [&](json row) {
    if (!team_column) row.erase("team");
    out.push_back(row);
  };
  if (which == "teams") {
    add({{"team", name},
         {"manager", t.manager ? json(table.raters()[*t.manager]) : json(nullptr)},
         {"n_ratees", t.ratees.size()},
         {"available", t.available},
         {"suppressed", t.suppressed},
         {"note", t.available ? text_or_null(t.note) : json(t.reason)}});
  } else if (which == "competencies") {
    for (const auto& c : t.competencies)
      add({{"team", name},
           {"competency", competency_id(c.competency, table)},
           {"n_ratees", c.n_ratees},
           {"mean_gap", number(c.mean_expectation_gap)},
           {"suppressed", c.suppressed},
           {"note", text_or_null(c.note)}});
  } else if (which == "strengths" || which == "gaps") {
    const std::vector<std::size_t>& list = which == "strengths" ? t.strengths : t.shortfalls;
    for (std::size_t k = 0; k < list.size(); ++k)
      add({{"team", name},
           {"rank", k + 1},
           {"competency", competency_id(list[k], table)},
           {"mean_gap", number(t.competencies[list[k]].mean_expectation_gap)}});
  } else {  // heatmap
    for (Eigen::Index i = 0; i < t.heatmap.rows(); ++i)
      for (Eigen::Index c = 0; c < t.heatmap.cols(); ++c) {
        const double gap = t.heatmap(i, c);
        if (std::isnan(gap)) continue;
        add({{"team", name},
             {"ratee", table.ratees()[t.ratees[static_cast<std::size_t>(i)]]},
             {"competency", competency_id(static_cast<std::size_t>(c), table)},
             {"gap", gap}});
      }
  }
}

json level_validation_record(const cal::career_level_validation& lv) {
  json rec;
  put_expectation_gap(rec, lv.expectation_gap);
  rec["share_above"] = number(lv.share_above);
  rec["share_equal"] = number(lv.share_equal);
  rec["share_below"] = number(lv.share_below);
  return rec;
}

}  // namespace

json to_json_value(const cal::level_inference& r, const cal::ratings_table& table) {
  json out = header(r.available, r.reason, r.period, r.score_method, table);
  out["tolerance"] = r.tolerance;
  out["profile_spread"] = number(r.profile_spread);
  json ratees = json::array(), shortfalls = json::array();
  for (const auto& x : r.ratees) {
    ratees.push_back(level_record(x, table));
    add_shortfalls(shortfalls, x, table);
  }
  out["ratees"] = std::move(ratees);
  out["shortfalls"] = std::move(shortfalls);
  return out;
}

json to_json_value(const cal::readiness_result& r, const cal::ratings_table& table) {
  json out = header(r.available, r.reason, r.period, r.score_method, table);
  out["confidence"] = r.confidence;
  out["tolerance"] = r.tolerance;
  json ratees = json::array(), steps = json::array(), items = json::array();
  for (const auto& x : r.ratees) {
    ratees.push_back({{"ratee", table.ratees()[x.ratee]},
                      {"career_level", career_level_id(x.career_level, table)},
                      {"readiness", spelling(x.summary)},
                      {"readiness_step", step_target(x, table)}});
    add_readiness_steps(steps, x, table);
    add_readiness_items(items, x, table);
  }
  out["ratees"] = std::move(ratees);
  out["steps"] = std::move(steps);
  out["items"] = std::move(items);
  return out;
}

json to_json_value(const cal::patterns_result& r, const cal::ratings_table& table) {
  json out = header(r.available, r.reason, r.period, r.score_method, table);
  out["min_similarity"] = r.min_similarity;
  json ratees = json::array(), profiles = json::array(), similarities = json::array();
  for (const auto& p : r.ratees) {
    json rec{{"ratee", table.ratees()[p.ratee]}, {"career_level", career_level_id(p.career_level, table)}};
    put_pattern_fields(rec, p, table);
    ratees.push_back(std::move(rec));
    add_profiles(profiles, p, table);
    add_similarities(similarities, p, table);
  }
  out["ratees"] = std::move(ratees);
  out["profiles"] = std::move(profiles);
  out["archetype_similarities"] = std::move(similarities);
  return out;
}

void write_development_section(json_writer& w, const cal::development_result& r, const cal::ratings_table& table) {
  w.begin_object();
  const json head = header(r.available, r.reason, r.period, r.score_method, table);
  for (const auto& [key, value] : head.items()) w.member(key, value);
  w.array_member("plans", [&](auto& rows) {
    for (const auto& p : r.ratees) rows.push_back(plan_record(p, table));
  });
  w.array_member("items", [&](auto& rows) {
    for (const auto& p : r.ratees) add_plan_items(rows, p, table);
  });
  w.end_object();
}

json to_json_value(const cal::team_result& r, const cal::ratings_table& table) {
  json out;
  out["team"] = team_name(r, table);
  out["manager"] = r.manager ? json(table.raters()[*r.manager]) : json(nullptr);
  out["available"] = r.available;
  out["reason"] = r.available ? json(nullptr) : json(r.reason);
  out["period"] = period_or_null(r.period, table);
  out["n_ratees"] = r.ratees.size();
  out["suppressed"] = r.suppressed;
  out["note"] = text_or_null(r.note);
  for (const char* key : team_tables) {
    if (std::string_view(key) == "teams") continue;
    json rows = json::array();
    add_team_rows(rows, key, r, table, false);
    out[key] = std::move(rows);
  }
  return out;
}

void write_team_section(json_writer& w, const cal::team_result& whole, const std::vector<cal::team_result>& managers,
                        const cal::ratings_table& table) {
  w.begin_object();
  for (const char* key : team_tables)
    w.array_member(key, [&](auto& rows) {
      add_team_rows(rows, key, whole, table, true);
      for (const auto& t : managers) add_team_rows(rows, key, t, table, true);
    });
  w.member("available", whole.available);
  w.member("reason", whole.available ? json(nullptr) : json(whole.reason));
  w.member("period", period_or_null(whole.period, table));
  w.end_object();
}

json matrix_validation_section(const cal::level_inference& r, const cal::ratings_table& table) {
  const cal::matrix_validation& v = r.validation;
  json out;
  out["available"] = v.available;
  out["reason"] = v.available ? json(nullptr) : json(v.reason);
  out["period"] = period_or_null(r.period, table);
  out["scores_method"] = text_or_null(r.score_method);
  out["confidence"] = v.confidence;
  out["verdict_threshold"] = v.verdict_threshold;
  json competencies = json::array(), cells = json::array(), levels = json::array();
  for (const auto& c : v.competencies) {
    json rec{{"competency", competency_id(c.competency, table)}};
    put_expectation_gap(rec, c.expectation_gap);
    rec["verdict"] = spelling(c.verdict);
    competencies.push_back(std::move(rec));
  }
  for (const auto& c : v.cells) {
    json rec{{"competency", competency_id(c.competency, table)},
             {"career_level", career_level_id(c.career_level, table)}};
    put_expectation_gap(rec, c.expectation_gap);
    cells.push_back(std::move(rec));
  }
  for (const auto& lv : v.career_levels) {
    json rec = level_validation_record(lv);
    rec["career_level"] = career_level_id(lv.career_level, table);
    levels.push_back(std::move(rec));
  }
  out["competencies"] = std::move(competencies);
  out["cells"] = std::move(cells);
  out["career_levels"] = std::move(levels);
  out["overall"] = v.available ? level_validation_record(v.overall) : json(nullptr);

  const cal::promotion_separation& s = r.separation;
  json sep;
  sep["available"] = s.available;
  sep["reason"] = s.available ? json(nullptr) : json(s.reason);
  sep["confidence"] = s.confidence;
  sep["n_promoted"] = s.n_promoted;
  sep["n_not_promoted"] = s.n_not_promoted;
  for (const auto& [key, value] : {std::pair{"mean_promoted", s.mean_promoted},
                                   std::pair{"mean_not_promoted", s.mean_not_promoted},
                                   std::pair{"sd_promoted", s.sd_promoted},
                                   std::pair{"sd_not_promoted", s.sd_not_promoted},
                                   std::pair{"hedges_g", s.hedges_g},
                                   std::pair{"g_se", s.g_se},
                                   std::pair{"g_ci_low", s.g_ci_low},
                                   std::pair{"g_ci_high", s.g_ci_high},
                                   std::pair{"auc", s.auc},
                                   std::pair{"auc_se", s.auc_se},
                                   std::pair{"auc_ci_low", s.auc_ci_low},
                                   std::pair{"auc_ci_high", s.auc_ci_high}})
    sep[key] = number(value);
  sep["suppressed"] = s.suppressed;
  sep["note"] = text_or_null(s.note);
  out["promotion_separation"] = std::move(sep);
  return out;
}

void write_ratees_section(json_writer& w, const cal::level_inference& levels, const cal::readiness_result& readiness,
                          const cal::patterns_result& patterns, const cal::development_result& development,
                          const cal::competency_scores& scores, double confidence, const cal::ratings_table& table) {
  w.begin_object();
  const json head =
      header(levels.available || readiness.available || patterns.available || development.available, levels.reason,
             levels.period ? levels.period : readiness.period,
             levels.score_method.empty() ? readiness.score_method : levels.score_method, table);
  for (const auto& [key, value] : head.items()) w.member(key, value);
  w.member("level_profile_spread", number(levels.profile_spread));

  // One record per ratee, in ratee-id order; each analysis fills its fields.
  // Built one ratee at a time from these indexes.
  const std::size_t n_ratees = table.ratees().size();
  std::vector<const cal::ratee_level*> level_of(n_ratees, nullptr);
  std::vector<const cal::ratee_readiness*> readiness_of(n_ratees, nullptr);
  std::vector<const cal::ratee_pattern*> pattern_of(n_ratees, nullptr);
  std::vector<const cal::development_plan*> plan_of(n_ratees, nullptr);
  for (const auto& x : levels.ratees) level_of[x.ratee] = &x;
  for (const auto& x : readiness.ratees) readiness_of[x.ratee] = &x;
  for (const auto& x : patterns.ratees) pattern_of[x.ratee] = &x;
  for (const auto& x : development.ratees) plan_of[x.ratee] = &x;
  w.array_member("ratees", [&](auto& rows) {
    for (std::uint32_t ratee = 0; ratee < n_ratees; ++ratee) {
      if (!level_of[ratee] && !readiness_of[ratee] && !pattern_of[ratee] && !plan_of[ratee]) continue;
      json rec;
      rec["ratee"] = table.ratees()[ratee];
      for (const char* key : {"career_level", "inferred_level", "inferred_probability", "next_level", "best_fit_level",
                              "best_fit_distance", "scored", "inferred_vs_actual", "promotion_target",
                              "readiness_index", "outcome", "readiness", "readiness_step", "readiness_probability",
                              "relative_to_expectation", "archetype", "archetype_similarity", "runner_up_archetype",
                              "runner_up_similarity", "archetype_z", "clear_match", "plan_items"})
        rec[key] = nullptr;
      if (const auto* x = level_of[ratee]) rec.update(level_record(*x, table));
      if (const auto* x = readiness_of[ratee]) {
        rec["career_level"] = career_level_id(x->career_level, table);
        rec["readiness"] = spelling(x->summary);
        rec["readiness_step"] = step_target(*x, table);
        rec["readiness_probability"] =
            x->summary_step ? number(x->steps[*x->summary_step].probability) : json(nullptr);
      }
      if (const auto* p = pattern_of[ratee]) put_pattern_fields(rec, *p, table);
      if (const auto* p = plan_of[ratee]) rec["plan_items"] = p->items.size();
      rows.push_back(rec);
    }
  });

  // The person's score per competency with its uncertainty, kept inside the
  // scale: score +- z sd, clipped to the first and last level.
  w.array_member("scores", [&](auto& rows) {
    const double z = cal::detail::normal_quantile(0.5 + confidence / 2);
    const double top = static_cast<double>(table.framework().scale().size());
    // Hand-built scores may come without counts: a finite value is a score.
    const bool counted = scores.n.rows() == scores.value.rows() && scores.n.cols() == scores.value.cols();
    for (std::size_t row = 0; row < scores.ratees.size(); ++row)
      for (Eigen::Index c = 0; c < scores.value.cols(); ++c) {
        const auto i = static_cast<Eigen::Index>(row);
        if (counted ? scores.n(i, c) == 0 : !std::isfinite(scores.value(i, c))) continue;
        const double value = scores.value(i, c);
        const double sd = scores.se.rows() == scores.value.rows() ? scores.se(i, c) : std::nan("");
        rows.push_back({{"ratee", table.ratees()[scores.ratees[row]]},
                        {"competency", competency_id(static_cast<std::size_t>(c), table)},
                        {"score", number(value)},
                        {"sd", number(sd)},
                        {"ci_low", number(std::isfinite(sd) ? std::max(1.0, value - z * sd) : std::nan(""))},
                        {"ci_high", number(std::isfinite(sd) ? std::min(top, value + z * sd) : std::nan(""))},
                        {"n", counted ? json(scores.n(i, c)) : json(nullptr)}});
      }
  });
  w.array_member("level_probabilities", [&](auto& rows) {
    for (const auto& x : levels.ratees) {
      for (std::size_t j = 0; j < x.level_probabilities.size(); ++j)
        rows.push_back({{"ratee", table.ratees()[x.ratee]},
                        {"career_level", career_level_id(x.walk[j], table)},
                        {"probability", number(x.level_probabilities[j])}});
    }
  });
  w.array_member("shortfalls", [&](auto& rows) {
    for (const auto& x : levels.ratees) add_shortfalls(rows, x, table);
  });
  w.array_member("readiness_steps", [&](auto& rows) {
    for (const auto& x : readiness.ratees) add_readiness_steps(rows, x, table);
  });
  w.array_member("readiness_items", [&](auto& rows) {
    for (const auto& x : readiness.ratees) add_readiness_items(rows, x, table);
  });
  w.array_member("plan_items", [&](auto& rows) {
    for (const auto& p : development.ratees) add_plan_items(rows, p, table);
  });
  w.array_member("profiles", [&](auto& rows) {
    for (const auto& p : patterns.ratees) add_profiles(rows, p, table);
  });
  w.array_member("archetype_similarities", [&](auto& rows) {
    for (const auto& p : patterns.ratees) add_similarities(rows, p, table);
  });
  w.end_object();
}

}  // namespace calibra::io::detail
