#include <calibra/calibration/development.hpp>
#include <calibra/calibration/levels.hpp>
#include <calibra/calibration/patterns.hpp>
#include <calibra/calibration/readiness.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include <iostream>

int main() {
  namespace cal = calibra::calibration;
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const cal::ratings_table table = calibra::read_ratings_csv("data/examples/ratings.csv", fw);
  cal::ratings_filter latest;
  latest.period = table.periods().find("2026Q4");
  const cal::competency_scores scores = cal::observed_scores(table, latest);  // external raters only

  // One context for every ratee analysis: the table, its scores, and the
  // period and privacy rule they share (here the scores' period, 2026Q4).
  const cal::calibration_context context(table, scores);
  const cal::level_inference levels = cal::infer_levels(context);
  const cal::readiness_result readiness = cal::assess_readiness(context);
  const cal::patterns_result patterns = cal::analyse_patterns(context);
  const cal::development_result plans = cal::plan_development(context);

  const auto level_id = [&](std::optional<std::size_t> l) {
    return l ? fw->ladder().career_levels()[*l].id : std::string("-");
  };
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& l = levels.ratees[i];
    const auto& p = patterns.ratees[i];
    std::cout << table.ratees()[l.ratee] << ": " << level_id(l.career_level) << ", inferred "
              << level_id(l.inferred_level) << ", best fit " << level_id(l.best_fit_level) << ", "
              << cal::to_string(readiness.ratees[i].summary) << ", archetype "
              << (p.best_archetype ? fw->archetypes()[*p.best_archetype].id : "-") << "\n";
    for (const auto& item : plans.ratees[i].items)
      std::cout << "  plan: " << fw->competencies()[item.competency].id << " to level " << item.target_level
                << " by " << item.target_quarter.value_or("-") << " (" << cal::to_string(item.priority) << ")\n";
  }
  for (const auto& c : levels.validation.competencies)
    if (c.verdict != cal::anchor_verdict::calibrated)
      std::cout << fw->competencies()[c.competency].id << ": " << cal::to_string(c.verdict) << " (mean gap "
                << c.expectation_gap.mean << ")\n";
  const auto& s = levels.separation;
  std::cout << "promoted " << s.n_promoted << " vs not " << s.n_not_promoted << ": g = " << s.hedges_g
            << ", AUC = " << s.auc << "\n";
}
