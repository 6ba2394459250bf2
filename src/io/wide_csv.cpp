#include <calibra/error.hpp>
#include <calibra/io/wide_csv.hpp>

#include "csv_header.hpp"
#include "read_file.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <system_error>
#include <unordered_map>

namespace calibra {
namespace detail {
namespace {

/// "file, line L, column C" -- the location prefix of every message.
std::string where(const std::string& source, std::size_t line, std::size_t column) {
  return source + ", line " + std::to_string(line) + ", column " + std::to_string(column);
}

template <typename Where>
void check_bytes(std::string_view value, const Where& where) {
  check_cell_bytes(value, "csv", where);
}

template <typename Where>
std::optional<double> parse_rating(std::string_view cell, const Where& where) {
  cell = trim(cell);
  if (cell.empty()) return std::nullopt;
  std::string_view digits = cell;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-') digits.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc::result_out_of_range)
    throw parse_error("csv", where() + ": '" + echo(cell) + "' is out of the range of a double; expected a rating");
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw parse_error("csv", where() + ": '" + echo(cell) +
                                 "' is not a number; expected a numeric rating, or an empty cell for a missing one");
  if (!std::isfinite(value))
    throw parse_error("csv", where() + ": '" + echo(cell) +
                                 "' is not a finite number; expected a numeric rating, or an empty cell for a "
                                 "missing one");
  return value;
}

}  // namespace
}  // namespace detail

wide_ratings read_wide_csv_text(std::string_view text, const std::string& source_name,
                                const wide_csv_options& options) {
  using detail::check_bytes;
  using detail::echo;
  text = detail::start_csv_text(text, "csv", source_name);

  detail::csv_cursor cursor(text, "csv");
  if (!cursor.next_record())
    throw parse_error("csv", source_name +
                                 ": the file is empty; expected a header row of rater names and one row per unit");

  // Header: one rater name per column (or the unit column's name).
  const std::size_t header_line = cursor.line();
  std::vector<std::string> header;
  std::unordered_map<std::string, std::size_t> column_of_name;
  const auto at = [&](std::size_t line, std::size_t column) { return detail::where(source_name, line, column); };
  detail::read_csv_header(cursor, "csv", max_wide_csv_columns, at, [&](std::string_view name, std::size_t column) {
    const std::string where = at(header_line, column);
    if (name.empty())
      throw parse_error("csv", where + ": empty column name in the header; expected a rater name in every column");
    const auto [it, inserted] = column_of_name.emplace(std::string(name), column);
    if (!inserted)
      throw parse_error("csv", where + ": duplicate column name '" + echo(name) + "' (also column " +
                                   std::to_string(it->second) + "); expected one column per rater");
    header.emplace_back(name);
  });

  std::optional<std::size_t> unit_index;  // 0-based column of unit ids
  if (!options.unit_column.empty()) {
    const auto it = column_of_name.find(options.unit_column);
    if (it == column_of_name.end())
      throw parse_error("csv", source_name + ", line " + std::to_string(header_line) + ": no column named '" +
                                   echo(options.unit_column) + "' for the unit identifiers; the header has " +
                                   detail::quoted_header_names(header));
    unit_index = it->second - 1;
  }

  const std::size_t columns = header.size();
  const std::size_t rater_columns = columns - (unit_index ? 1 : 0);
  if (rater_columns < 2)
    throw parse_error("csv", source_name + ", line " + std::to_string(header_line) + ": only " +
                                 std::to_string(rater_columns) +
                                 " rater column, so no pair of raters can be compared; expected one column per "
                                 "rater and at least two raters");

  wide_ratings out;
  for (std::size_t c = 0; c < columns; ++c)
    if (!(unit_index && c == *unit_index)) out.raters.push_back(header[c]);
  auto column_label = [&](std::size_t c) {  // 0-based column -> "(rater 'x')" or "(unit column 'x')"
    if (unit_index && c == *unit_index) return " (unit column '" + echo(header[c]) + "')";
    return " (rater '" + echo(header[c]) + "')";
  };

  // Data rows, stored row-major while reading, moved into the matrix at the
  // end.  Every problem of the file is reported in one run, up to
  // input_errors::max_problems: a row with a problem is read to its end and
  // left out.  Only a problem that leaves no next row to find (a quote that
  // never closes) stops the reading at once.
  std::vector<double> values, row_values;
  std::unordered_map<std::string, std::size_t> line_of_unit;
  detail::problem_list problems("csv", source_name);
  while (!problems.full()) {
    bool more = false;
    try {
      more = cursor.next_record();
    } catch (const calibra::error& e) {
      problems.add(e, cursor.line());
      break;
    }
    if (!more) break;
    const std::size_t line = cursor.line();
    std::size_t column = 0;
    bool broken = false;
    std::string unit;
    row_values.clear();
    const auto note = [&](const calibra::error& e, std::size_t at_column) {
      broken = true;
      problems.add(e, line, std::to_string(at_column));
    };
    try {
      for (;;) {
        if (column >= columns) {
          if (column == columns) {
            try {
              throw parse_error("csv", detail::where(source_name, line, column + 1) + ": the row has more than the " +
                                           std::to_string(columns) + " columns of the header; expected " +
                                           std::to_string(columns) + " cells per row");
            } catch (const calibra::error& e) {
              note(e, column + 1);
            }
          }
          const detail::csv_field extra = cursor.next_field(
              [&](std::size_t at) { return detail::where(source_name, at, column + 1); });
          ++column;
          if (extra.ends_record) break;
          continue;
        }
        const detail::csv_field field = cursor.next_field(
            [&](std::size_t at) { return detail::where(source_name, at, column + 1) + column_label(column); });
        const auto where = [&] { return detail::where(source_name, line, column + 1) + column_label(column); };
        try {
          check_bytes(field.value, where);
          if (unit_index && column == *unit_index) {
            const std::string_view id = detail::trim(field.value);
            if (id.empty()) throw parse_error("csv", where() + ": empty unit identifier; expected one on every row");
            const auto [it, inserted] = line_of_unit.emplace(std::string(id), line);
            if (!inserted)
              throw parse_error("csv", where() + ": unit '" + echo(id) + "' already appears on line " +
                                           std::to_string(it->second) + "; expected one row per unit");
            unit = id;
          } else {
            const auto rating = detail::parse_rating(field.value, where);
            row_values.push_back(rating ? *rating : std::numeric_limits<double>::quiet_NaN());
          }
        } catch (const parse_error& e) {
          note(e, column + 1);
        }
        ++column;
        if (field.ends_record) break;
      }
    } catch (const calibra::error& e) {
      problems.add(e, line);  // the tokenizer cannot find the end of the row
      break;
    }
    if (column < columns) {
      try {
        throw parse_error("csv", detail::where(source_name, line, column + 1) + column_label(column) +
                                     ": the row has " + std::to_string(column) + " cells, the header has " +
                                     std::to_string(columns) + "; expected " + std::to_string(columns) +
                                     " cells per row (leave a cell empty for a missing rating)");
      } catch (const calibra::error& e) {
        note(e, column + 1);
      }
    }
    if (broken) continue;
    values.insert(values.end(), row_values.begin(), row_values.end());
    out.units.push_back(unit_index ? unit : std::to_string(values.size() / rater_columns));
  }
  problems.raise();

  const std::size_t units = values.size() / rater_columns;
  if (units == 0)
    throw parse_error("csv", source_name + ", line " + std::to_string(header_line) +
                                 ": there is a header but no data rows; expected one row per unit");
  out.ratings = Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      values.data(), static_cast<Eigen::Index>(units), static_cast<Eigen::Index>(rater_columns));
  return out;
}

wide_ratings read_wide_csv(const std::string& path, const wide_csv_options& options) {
  const std::string text = detail::read_file(path, max_wide_csv_bytes, "csv");
  return read_wide_csv_text(text, path, options);
}

}  // namespace calibra
