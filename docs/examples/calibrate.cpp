#include <calibra/calibration/calibrate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/calibration_json.hpp>
#include <calibra/io/ratings.hpp>

#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();
  const auto table = calibra::read_ratings("data/examples/ratings.csv", fw);

  calibra::calibration::calibration_context context(table);
  context.with_privacy({5});  // hide aggregates over fewer than 5 ratees
  const auto report = calibra::calibration::calibrate(context);

  for (const auto& rater : report.severity.raters)
    std::cout << table.raters()[rater.rater] << " " << rater.severity << "\n";
  std::cout << calibra::to_json(report, table).size() << " bytes of JSON\n";
}
