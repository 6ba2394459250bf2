// Internal: the header row of a CSV file, read one way by every CSV reader
// (wide agreement CSV, long-form ratings CSV, feedback log CSV).
//
// Two layers.  read_csv_header() walks the header record and checks each
// name's bytes; the reader decides what a name means through a callback,
// because the wide format names raters while the others name fixed columns.
// On top of it, read_named_csv_header() and read_named_csv_row() serve the
// readers whose columns have fixed names (ratings, feedback): the known,
// required and unknown columns, and rows read into cells by column.
#pragma once

#include <calibra/error.hpp>

#include "csv_tokenizer.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::detail {

/// The checks every CSV reader runs on the whole text before the first
/// field: the text without a UTF-8 byte order mark, UTF-16 and CR-only
/// line ends refused.
std::string_view start_csv_text(std::string_view text, const std::string& subsystem, const std::string& source);

/// The header's names as a message lists them: "'a', 'b', ..." with the
/// first twenty quoted through echo().
std::string quoted_header_names(const std::vector<std::string>& names);

/// Reads the header record the cursor stands on: at most `max_columns`
/// fields, each checked as text (no NUL, valid UTF-8) and trimmed, then
/// handed to `on_name(name, column)` (1-based column), which refuses what
/// its reader does not accept.  `locate(line, column)` is the location of a
/// message about the field of `column` starting on `line`.
template <typename Locate, typename OnName>
void read_csv_header(csv_cursor& cursor, const std::string& subsystem, std::size_t max_columns,
                     const Locate& locate, const OnName& on_name) {
  const std::size_t header_line = cursor.line();
  for (std::size_t column = 1;; ++column) {
    if (column > max_columns)
      throw parse_error(subsystem, locate(header_line, column) + ": the header has more than " +
                                       std::to_string(max_columns) + " columns, the most calibra reads");
    const csv_field field = cursor.next_field([&](std::size_t line) { return locate(line, column); });
    check_cell_bytes(field.value, subsystem, [&] { return locate(header_line, column); });
    on_name(trim(field.value), column);
    if (field.ends_record) break;
  }
}

/// A CSV format whose columns have fixed names, and how one file is read.
struct named_csv_columns {
  std::string subsystem;                // error id suffix: "ratings", "feedback"
  std::string source;                   // file name for messages
  std::vector<std::string_view> names;  // the columns the format knows, in its order
  std::vector<bool> required;           // per name
  std::size_t max_columns = 0;          // the widest header read
  bool ignore_unknown_columns = false;  // skip unknown columns instead of refusing them
  bool keep_unknown_columns = false;    // read unknown columns as extra cells (the reader decides)
  std::vector<std::pair<std::string_view, std::size_t>> aliases;  // other header names of known columns
  std::string rows_hold;                // what a row holds, for the empty-file message: "one rating per row"
  /// For a worksheet read as a table (ratings XLSX): the sheet's name, and
  /// the reference of the cell at a 1-based row and a 0-based column of the
  /// header ("Ratings!C7").  Both empty for CSV.
  std::string sheet;
  std::function<std::string(std::size_t row, std::size_t column)> cell_ref;

  /// The known columns as messages list them, optional ones marked '?'.
  std::string list() const;
  /// "file: row R" (CSV) or "file: sheet S, row R", the start of a message about row `row`.
  std::string at_row(std::size_t row) const;
  /// "file: row R, column 'name'" (CSV) or "file: Sheet!C7, column 'name'",
  /// the start of a message about one cell; `column` is 0-based.
  std::string at_cell(std::size_t row, std::size_t column, std::string_view name) const;
};

/// The header of a CSV file with named columns, as read.
struct named_csv_header {
  static constexpr std::size_t unknown_column = static_cast<std::size_t>(-1);

  std::size_t row = 0;                                      // line of the header
  std::vector<std::string> names;                           // per column, trimmed
  std::vector<std::size_t> field_of_column;                 // known column per column, or unknown_column
  std::vector<std::optional<std::size_t>> column_of_field;  // column per known column, when present
  std::vector<std::string> ignored;                         // unknown columns skipped, in header order
  std::vector<std::size_t> extra;                           // unknown columns kept (keep_unknown_columns)

  /// The first required column the header lacks.
  std::optional<std::size_t> first_missing_required(const named_csv_columns& format) const;
};

/// Adds the header cell `name` (trimmed) of 0-based `column` to `header`:
/// refuses an empty or repeated column name, two names for one known
/// column, and an unknown name unless the format keeps or ignores unknown
/// columns.  read_named_csv_header() calls it for each CSV header field; the
/// XLSX ratings reader for each cell of a sheet's header row.
void add_named_column(named_csv_header& header, const named_csv_columns& format, std::string name,
                      std::size_t column);

/// A cursor on the header of a file with named columns: start_csv_text()'s
/// checks, then an empty file refused with a message that lists the columns.
csv_cursor open_named_csv(std::string_view text, const named_csv_columns& format);

/// Reads the header the cursor stands on: refuses an empty or repeated
/// column name, and an unknown one unless the format ignores unknown
/// columns.  Whether the required columns are there is the reader's to
/// check (the messages differ).
named_csv_header read_named_csv_header(csv_cursor& cursor, const named_csv_columns& format);

/// A problem confined to one row (a ragged row, bad bytes in a cell),
/// thrown once the whole row is read, so a reader may go on to the next.
class csv_row_error : public parse_error {
 public:
  csv_row_error(const std::string& subsystem, const std::string& what_arg, std::size_t row, std::string column)
      : parse_error(subsystem, what_arg), row(row), column(std::move(column)) {}
  std::size_t row;
  std::string column;
};

/// Reads the next data row into `cells`, one per known column (trimmed
/// text; empty for a column the header lacks), and into `extra` the cells
/// of header.extra, and returns its line, or nothing when no row is left.
/// Refuses a row with more or fewer cells than the header has columns, or a
/// cell that is not text, with a csv_row_error after the row is read.
std::optional<std::size_t> read_named_csv_row(csv_cursor& cursor, const named_csv_header& header,
                                              const named_csv_columns& format, std::vector<std::string>& cells,
                                              std::vector<std::string>* extra = nullptr);

}  // namespace calibra::detail
