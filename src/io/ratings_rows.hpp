// Internal: the ratings readers for tables of cells (CSV text, an XLSX
// sheet) share one reader of rows.  Each source reads its own header into a
// named_csv_header (add_named_column() for every name) and hands over its
// rows one at a time; read_ratings_rows() recognises long and wide form
// from the header and validates every row through the builder.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_header.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace calibra::detail {

/// The columns of the ratings format, their aliases and the header limits,
/// as the header reader sees them; `source` names the file in messages.
named_csv_columns ratings_table_columns(const std::string& source);

/// Where the rows of a table come from.
struct ratings_row_source {
  /// Reads the next row into `cells` (one per column of the format, empty
  /// for a column the header lacks) and `extra` (one per header.extra) and
  /// returns its 1-based row, or nothing when no row is left.  Throws
  /// csv_row_error for a problem confined to that row (the next row can
  /// still be read), any other calibra::error when reading cannot go on.
  std::function<std::optional<std::size_t>(std::vector<std::string>& cells, std::vector<std::string>& extra)> next;
  /// The row where reading stopped, for a problem that ends it.
  std::function<std::size_t()> position;
};

/// The same rows, read on a second thread (when the machine has one) a
/// few thousand rows ahead of the caller, so that splitting the text into
/// cells overlaps with validating them.  Rows, problems and positions come
/// in the same order as from `source` itself.  `source` is read only by that
/// thread until the returned source is destroyed (which stops and joins it),
/// so it must outlive it.
ratings_row_source read_ahead(ratings_row_source source);

/// Reads the rows after `header` in long form, or in wide form when the
/// header has no competency and no level column but columns named after
/// competencies.  Every problem is collected (up to input_errors::max_problems)
/// and raised at the end; nothing is returned when there is one.
calibration::ratings_table read_ratings_rows(const ratings_row_source& source, const named_csv_header& header,
                                             const named_csv_columns& format, calibration::ratings_builder& builder,
                                             const ratings_options& options);

}  // namespace calibra::detail
