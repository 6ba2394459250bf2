// Ratings from an XLSX workbook: one sheet read as a table of cells, through
// the same header recognition and row reader as ratings CSV
// (ratings_rows.hpp), so long, wide and relative forms read alike.
#include <calibra/error.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_header.hpp"
#include "message_text.hpp"
#include "ratings_rows.hpp"
#include "ratings_workbook.hpp"
#include "xlsx_reader.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

namespace calibra {
namespace {

namespace xl = detail::xlsx;

/// The sheet the ratings are on: the one named in the options, else the one
/// named "Ratings", else the first.
const xl::sheet& ratings_sheet(const xl::workbook& book, const std::string& source, const ratings_options& options) {
  std::string names;
  for (const xl::sheet& s : book.sheets) names += (names.empty() ? "'" : ", '") + detail::echo(s.name) + "'";
  if (!options.sheet.empty()) {
    if (const xl::sheet* s = book.find(options.sheet)) return *s;
    throw invalid_argument("ratings", source + ": no sheet named '" + detail::echo(options.sheet) +
                                          "'; the workbook has the sheets " + names);
  }
  if (book.sheets.empty()) throw parse_error("ratings", source + ": the workbook has no sheets; expected a sheet of ratings");
  if (const xl::sheet* s = book.find("Ratings")) return *s;
  return book.sheets.front();
}

/// Serial numbers from 1927-05-18 (10000) to 9999-12-31: a number in that
/// range in the period column is a date the spreadsheet program stored as
/// a number (years like 2026 stay years).
constexpr double first_date_serial = 10000, last_date_serial = 2958465;

/// The text of a cell as a CSV file would hold it.  A whole number is
/// written without a fraction (3.0 is "3", as the level 3); a number in the
/// period column within the date range is that day, YYYY-MM-DD.
std::string cell_text(const xl::cell& c, bool period_column) {
  if (c.kind != xl::cell_kind::number) return std::string(detail::trim(c.text));
  if (period_column && c.number >= first_date_serial && c.number < last_date_serial + 1)
    return *xl::serial_date(std::floor(c.number));
  if (std::floor(c.number) == c.number && std::fabs(c.number) < 1e15) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", c.number);
    return text;
  }
  return c.text;
}

}  // namespace

calibration::ratings_table detail::ratings_from_workbook(const xl::workbook& book, std::shared_ptr<const framework> fw,
                                                         const std::string& source, const ratings_options& options) {
  const xl::sheet& sheet = ratings_sheet(book, source, options);
  detail::named_csv_columns format = detail::ratings_table_columns(source);
  format.sheet = sheet.name;
  const auto& cells = sheet.cells;
  if (cells.empty())
    throw parse_error("ratings", source + ": sheet " + detail::echo(sheet.name) + " is empty; expected a header row (" +
                                     format.list() + ") and " + format.rows_hold);

  // The header: the first row with a value, from its first cell to its last.
  const std::uint32_t header_row = cells.front().row;
  const std::uint32_t first_column = cells.front().column;
  std::size_t next = 0;
  while (next < cells.size() && cells[next].row == header_row) ++next;
  const std::uint32_t last_column = cells[next - 1].column;
  format.cell_ref = [&sheet, first_column](std::size_t row, std::size_t column) {
    return sheet.where(static_cast<std::uint32_t>(row - 1), static_cast<std::uint32_t>(first_column + column));
  };

  detail::named_csv_header header;
  header.row = header_row + 1;
  header.column_of_field.assign(format.names.size(), std::nullopt);
  if (last_column - first_column + 1 > format.max_columns)
    throw parse_error("ratings", format.at_row(header.row) + ": the header has more than " +
                                     std::to_string(format.max_columns) + " columns, the most calibra reads");
  {
    std::size_t k = 0;
    for (std::uint32_t column = first_column; column <= last_column; ++column) {
      std::string name;
      if (k < next && cells[k].column == column) {
        const xl::cell& c = cells[k++];
        if (c.kind == xl::cell_kind::error)
          throw parse_error("ratings", format.source + ": " + sheet.where(c.row, c.column) + ": the header cell holds the error value " +
                                           detail::echo(c.text) + "; expected a column name");
        name = cell_text(c, false);
      }
      detail::add_named_column(header, format, std::move(name), column - first_column);
    }
  }

  std::optional<std::size_t> period_column;
  if (const auto p = header.column_of_field[5]) period_column = *p;
  static_assert(calibration::ratings_columns[5] == "period");

  calibration::ratings_builder builder(std::move(fw), source);
  for (const auto& [name, role] : options.roles) builder.map_role(name, role);
  // Messages about a rating name its cell: the column by its header name,
  // or by the format's name for a column given under an alias.
  std::unordered_map<std::string, std::size_t> column_of_name;
  for (std::size_t c = 0; c < header.names.size(); ++c) column_of_name.emplace(header.names[c], c);
  for (std::size_t f = 0; f < format.names.size(); ++f)
    if (header.column_of_field[f]) column_of_name.emplace(std::string(format.names[f]), *header.column_of_field[f]);
  builder.locate_cells([&](std::size_t row, std::string_view column) {
    if (column.empty()) return format.at_row(row);
    const auto it = column_of_name.find(std::string(column));
    if (it == column_of_name.end()) return format.at_row(row) + ", column '" + detail::echo(column) + "'";
    return format.at_cell(row, it->second, column);
  });

  detail::ratings_row_source rows;
  rows.position = [&] { return next < cells.size() ? std::size_t{cells[next].row} + 1 : std::size_t{sheet.rows}; };
  rows.next = [&](std::vector<std::string>& known, std::vector<std::string>& extra) -> std::optional<std::size_t> {
    if (next >= cells.size()) return std::nullopt;
    known.assign(format.names.size(), std::string());
    extra.assign(header.extra.size(), std::string());
    const std::uint32_t row = cells[next].row;
    std::optional<detail::csv_row_error> problem;
    const auto note = [&](const xl::cell& c, const std::string& name, const std::string& message) {
      if (!problem)
        problem.emplace("ratings", format.source + ": " + sheet.where(c.row, c.column) + ", column '" +
                                       detail::echo(name) + "': " + message,
                        std::size_t{row} + 1, name);
    };
    for (; next < cells.size() && cells[next].row == row; ++next) {
      const xl::cell& c = cells[next];
      if (c.column < first_column || c.column > last_column) {
        if (!problem)
          problem.emplace("ratings", format.source + ": " + sheet.where(c.row, c.column) + ": the value '" +
                                         detail::echo(cell_text(c, false)) +
                                         "' lies outside the columns of the header (" +
                                         sheet.where(header_row, first_column) + " to " +
                                         sheet.where(header_row, last_column) + "); expected every value under a column name",
                          std::size_t{row} + 1, xl::column_name(c.column));
        continue;
      }
      const std::size_t column = c.column - first_column;
      const std::string& name = header.names[column];
      if (c.kind == xl::cell_kind::error) {
        note(c, name, "the cell holds the error value " + detail::echo(c.text) + "; expected a value");
        continue;
      }
      const std::size_t field = header.field_of_column[column];
      if (field != detail::named_csv_header::unknown_column) {
        known[field] = cell_text(c, period_column && *period_column == column);
      } else {
        for (std::size_t k = 0; k < header.extra.size(); ++k)
          if (header.extra[k] == column) extra[k] = cell_text(c, false);
      }
    }
    if (problem) throw *problem;
    return std::size_t{row} + 1;
  };
  return detail::read_ratings_rows(rows, header, format, builder, options);
}

calibration::ratings_table read_ratings_xlsx_bytes(std::string_view bytes, std::shared_ptr<const framework> fw,
                                                   const std::string& source_name, const ratings_options& options) {
  const xl::workbook book = xl::read_workbook(bytes, source_name);
  return detail::ratings_from_workbook(book, std::move(fw), source_name, options);
}

calibration::ratings_table read_ratings_xlsx(const std::string& path, std::shared_ptr<const framework> fw,
                                             const ratings_options& options) {
  const xl::workbook book = xl::load_workbook(path);
  return detail::ratings_from_workbook(book, std::move(fw), path, options);
}

calibration::ratings_table read_ratings_xlsx(const std::string& path, const framework& fw,
                                             const ratings_options& options) {
  return read_ratings_xlsx(path, std::make_shared<const framework>(fw), options);
}

}  // namespace calibra
