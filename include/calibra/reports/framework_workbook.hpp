// The framework as an editable XLSX workbook: one sheet per part of the
// framework file (metadata, scale, areas, competencies, actions, anchors,
// career levels, steps, targets, archetypes), plus the promotion gaps for
// reading.  `calibra framework import` (calibra/io/framework_xlsx.hpp)
// reads it back; export, import and export again gives the same workbook.
// The layout is in docs/framework-format.md, "The framework workbook".
#pragma once

#include <calibra/framework/framework.hpp>

#include <string>

namespace calibra::reports {

/// Writes the workbook atomically (a temporary file renamed into place);
/// on failure invalid_argument names `path` and nothing is left behind.
void write_framework_workbook(const framework& fw, const std::string& path);

}  // namespace calibra::reports
