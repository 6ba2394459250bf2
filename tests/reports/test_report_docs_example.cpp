// The C++ example of docs/reports.md, run as written (inside a scratch
// directory), so the documentation cannot drift from the API.
#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/reports/calibration_report.hpp>
#include <calibra/reports/write.hpp>

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

namespace {

// ---- begin: docs/reports.md ----
namespace cal = calibra::calibration;
namespace rep = calibra::reports;

int docs_main() {
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
  return 0;
}
// ---- end: docs/reports.md ----

}  // namespace

TEST_CASE("the C++ example of docs/reports.md runs", "[reports][docs]") {
  namespace fs = std::filesystem;
  const fs::path scratch = fs::temp_directory_path() / ("calibra-reports-docs-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  const fs::path previous = fs::current_path();
  fs::current_path(scratch);
  int status = -1;
  try {
    status = docs_main();
  } catch (...) {
    fs::current_path(previous);
    fs::remove_all(scratch);
    throw;
  }
  fs::current_path(previous);
  CHECK(status == 0);
  CHECK(fs::exists(scratch / "matrix-report" / "report.xlsx"));
  CHECK(fs::exists(scratch / "matrix-report" / "report.html"));
  CHECK(fs::exists(scratch / "calibration-report" / "calibration-2026Q4.xlsx"));
  CHECK(fs::exists(scratch / "calibration-report" / "calibration-2026Q4-notes.csv") == false);  // no tables, no CSV
  CHECK(fs::exists(scratch / "calibration-report" / "calibration-2026Q4-severity.csv"));
  fs::remove_all(scratch);
}
