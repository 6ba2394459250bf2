// The framework as an editable XLSX workbook: one sheet per part of the
// framework file (metadata, scale, areas, competencies, actions, anchors,
// career levels, steps, targets, archetypes), plus the promotion gaps for
// reading.  `calibra framework import` (calibra/io/framework_xlsx.hpp)
// reads it back; export, import and export again gives the same workbook.
// The layout is in docs/framework-format.md, "The framework workbook".
#pragma once

#include <calibra/framework/framework.hpp>

#include <string>
#include <vector>

namespace calibra::reports {

/// Writes the workbook atomically (a temporary file renamed into place);
/// on failure invalid_argument names `path` and nothing is left behind.
void write_framework_workbook(const framework& fw, const std::string& path);

/// A ratings template for `fw`: a Ratings sheet with the long-form columns
/// (docs/ratings-format.md) and drop-down lists of roles, competency ids and
/// level ids, a Lists sheet with the ids, names and labels, and a Read me
/// sheet.  Written atomically, like write_framework_workbook.
void write_ratings_template(const framework& fw, const std::string& path);

/// The columns of the ratings template, in order.
const std::vector<std::string>& ratings_template_columns();

}  // namespace calibra::reports
