#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/reports/calibration_report.hpp>
#include <calibra/reports/write.hpp>

namespace cal = calibra::calibration;
namespace rep = calibra::reports;

int main() {
  auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());

  // The framework alone: overview, anchors, targets, promotion gaps, checks.
  rep::report matrix = rep::framework_report(*fw);
  rep::write_report(matrix, "matrix-report", rep::parse_formats("xlsx,html"));

  // With ratings: calibrate, then append the calibration sections.
  const cal::ratings_table ratings = cal::simulate_ratings(fw, cal::example_simulation_config()).table;
  const cal::calibration_report result = cal::calibrate(ratings);
  rep::report full = rep::framework_calibration_report(ratings, result);

  // Sections are values: add your own before writing.
  rep::section notes;
  notes.id = "notes";
  notes.title = "Calibration meeting notes";
  notes.intro = "Agreed on 2026-12-01: rewrite the Product Delivery anchors.";
  full.sections.push_back(notes);

  rep::write_options options;
  options.basename = "calibration-2026Q4";  // calibration-2026Q4.xlsx, ...
  rep::write_report(full, "calibration-report", rep::formats::all(), options);
}
