// The calibration report as one JSON document: what `calibra calibrate
// --json` prints and what the Python package turns into DataFrames.
// docs/calibration-json.md lists every section and field.
#pragma once

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/ratings.hpp>

#include <string>

namespace calibra {

/// The report as pretty-printed JSON (two-space indent, trailing newline).
/// `table` must be the table the report was computed from: the report
/// stores ids, the table turns them into names.
std::string to_json(const calibration::calibration_report& report, const calibration::ratings_table& table);

}  // namespace calibra
