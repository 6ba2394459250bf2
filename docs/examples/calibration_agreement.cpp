#include <calibra/calibration/anchors.hpp>
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/decision_study.hpp>
#include <calibra/calibration/drift.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/self_assessment.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/feedback.hpp>

#include <iostream>

using namespace calibra::calibration;

int main() {
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  // The bundled example (data/examples/ratings.csv) is exactly this table.
  const ratings_table table = simulate_ratings(fw, example_simulation_config()).table;

  // Rater severity (pooled and per quarter) first, so that the anchors
  // analysis judges what is left once each rater's leniency is taken out.
  const severity_fit severity = fit_severity(table);
  const drift_result drift = analyse_drift(table);
  const rater_offsets offsets = severity_offsets(table, severity, &drift);
  const anchors_result anchors = analyse_anchors(table, {}, &offsets);
  for (const competency_agreement& c : anchors.competencies)
    if (c.needs_rewrite)
      std::cout << fw->competencies()[c.competency].id << ": " << c.rewrite_reason << '\n';
  if (!anchors.note.empty()) std::cout << anchors.note << '\n';

  const self_assessment_result self = analyse_self_assessment(table);
  const conversation& first = self.conversations.front();
  std::cout << "talk first with " << table.ratees()[first.ratee] << " about "
            << fw->competencies()[first.topics.front().competency].id << '\n';

  for (const rater_drift& d : drift.raters)
    if (d.flagged)
      std::cout << table.raters()[d.rater] << " became " << to_string(*d.direction) << " by " << d.change << '\n';

  const decision_study_result study = decision_study(table);
  std::cout << "raters per PM for Phi >= 0.8: " << *study.raters_needed_phi << '\n';

  const feedback_log log = calibra::read_feedback_csv("data/examples/feedback.csv", fw);
  const feedback_result feedback = analyse_feedback(log);
  std::cout << feedback.recurring_patterns << " recurring feedback patterns\n";
}
