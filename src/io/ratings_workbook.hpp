// Internal: ratings from a workbook already read (the XLSX ratings reader,
// and the fuzz target, which reads the workbook under its own limits).
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/io/ratings.hpp>

#include "xlsx_reader.hpp"

#include <memory>
#include <string>

namespace calibra::detail {

/// The ratings on one sheet of `book` (ratings_options::sheet, else
/// "Ratings", else the first); see read_ratings_xlsx.
calibration::ratings_table ratings_from_workbook(const xlsx::workbook& book, std::shared_ptr<const framework> fw,
                                                 const std::string& source, const ratings_options& options);

}  // namespace calibra::detail
