#include "csv_header.hpp"

#include "message_text.hpp"

#include <utility>

namespace calibra::detail {

std::string_view start_csv_text(std::string_view text, const std::string& subsystem, const std::string& source) {
  text = without_bom(text);
  reject_utf16(text, subsystem, source);
  reject_cr_only_line_ends(text, subsystem, source);
  return text;
}

std::string quoted_header_names(const std::vector<std::string>& names) {
  constexpr std::size_t max_listed = 20;
  std::string out;
  for (std::size_t c = 0; c < names.size() && c < max_listed; ++c) out += (c ? ", '" : "'") + echo(names[c]) + "'";
  if (names.size() > max_listed) out += ", ...";
  return out;
}

std::string named_csv_columns::list() const {
  std::string out;
  for (std::size_t c = 0; c < names.size(); ++c)
    out += (c ? ", " : "") + std::string(names[c]) + (required[c] ? "" : "?");
  return out;
}

std::string named_csv_columns::at_row(std::size_t row) const {
  if (!sheet.empty()) return source + ": sheet " + echo(sheet) + ", row " + std::to_string(row);
  return source + ": row " + std::to_string(row);
}

std::string named_csv_columns::at_cell(std::size_t row, std::size_t column, std::string_view name) const {
  if (cell_ref) return source + ": " + cell_ref(row, column) + ", column '" + echo(name) + "'";
  return at_row(row) + ", column '" + echo(name) + "'";
}

std::optional<std::size_t> named_csv_header::first_missing_required(const named_csv_columns& format) const {
  for (std::size_t f = 0; f < format.names.size(); ++f)
    if (format.required[f] && !column_of_field[f]) return f;
  return std::nullopt;
}

csv_cursor open_named_csv(std::string_view text, const named_csv_columns& format) {
  csv_cursor cursor(start_csv_text(text, format.subsystem, format.source), format.subsystem);
  if (!cursor.next_record())
    throw parse_error(format.subsystem, format.source + ": the file is empty; expected a header row (" +
                                            format.list() + ") and " + format.rows_hold);
  return cursor;
}

void add_named_column(named_csv_header& header, const named_csv_columns& format, std::string name,
                      std::size_t column) {
  if (name.empty())
    throw validation_error(format.subsystem,
                           (format.cell_ref ? format.source + ": " + format.cell_ref(header.row, column)
                                            : format.at_row(header.row) + ", column " + std::to_string(column + 1)) +
                               ": empty column name in the header; expected one of " + format.list() +
                               " (? marks optional columns)");
  for (std::size_t c = 0; c < header.names.size(); ++c)
    if (header.names[c] == name)
      throw validation_error(format.subsystem, format.at_cell(header.row, column, name) +
                                                   ": the column appears twice (columns " +
                                                   (format.cell_ref ? format.cell_ref(header.row, c) + " and " +
                                                                          format.cell_ref(header.row, column)
                                                                    : std::to_string(c + 1) + " and " +
                                                                          std::to_string(column + 1)) +
                                                   "); expected each column once");
  std::size_t field = named_csv_header::unknown_column;
  for (std::size_t f = 0; f < format.names.size(); ++f)
    if (format.names[f] == name) field = f;
  for (const auto& [alias, f] : format.aliases)
    if (alias == name) field = f;
  if (field != named_csv_header::unknown_column && header.column_of_field[field])
    throw validation_error(format.subsystem, format.at_cell(header.row, column, name) +
                                                 ": gives the same column as '" +
                                                 echo(header.names[*header.column_of_field[field]]) +
                                                 "'; expected one of them");
  if (field == named_csv_header::unknown_column && format.keep_unknown_columns && !format.ignore_unknown_columns) {
    header.extra.push_back(header.names.size());
  } else if (field == named_csv_header::unknown_column) {
    if (!format.ignore_unknown_columns)
      throw validation_error(format.subsystem, format.at_cell(header.row, column, name) +
                                                   ": unknown column; expected one of " + format.list() +
                                                   " (? marks optional columns), or set the option to ignore "
                                                   "unknown columns");
    header.ignored.push_back(name);
  } else {
    header.column_of_field[field] = header.names.size();
  }
  header.field_of_column.push_back(field);
  header.names.push_back(std::move(name));
}

named_csv_header read_named_csv_header(csv_cursor& cursor, const named_csv_columns& format) {
  named_csv_header header;
  header.row = cursor.line();
  header.column_of_field.assign(format.names.size(), std::nullopt);
  const auto at_column = [&](std::size_t /*line*/, std::size_t column) {
    return format.at_row(header.row) + ", column " + std::to_string(column);
  };
  read_csv_header(cursor, format.subsystem, format.max_columns, at_column,
                  [&](std::string_view trimmed, std::size_t column) {
                    add_named_column(header, format, std::string(trimmed), column - 1);
                  });
  return header;
}

std::optional<std::size_t> read_named_csv_row(csv_cursor& cursor, const named_csv_header& header,
                                              const named_csv_columns& format, std::vector<std::string>& cells,
                                              std::vector<std::string>* extra) {
  if (!cursor.next_record()) return std::nullopt;
  const std::size_t row = cursor.line();
  const std::size_t columns = header.names.size();
  cells.resize(format.names.size());
  for (std::string& cell : cells) cell.clear();
  if (extra) {
    extra->resize(header.extra.size());
    for (std::string& cell : *extra) cell.clear();
  }
  // The first problem of the row; thrown once the row is read to its end,
  // so that the reader may go on with the next row.
  std::optional<csv_row_error> problem;
  std::string problem_message;
  const auto note = [&](const std::string& message, std::string column_name) {
    if (problem) return;
    problem.emplace(format.subsystem, message, row, std::move(column_name));
    problem_message = message;
  };
  std::size_t column = 0;
  try {
  for (;;) {
    if (column >= columns) {
      note(format.at_row(row) + ", column " + std::to_string(column + 1) + ": the row has more cells than the " +
               std::to_string(columns) + " columns of the header; expected " + std::to_string(columns) +
               " cells per row",
           std::to_string(column + 1));
      const csv_field field = cursor.next_field(
          [&](std::size_t) { return format.at_row(row) + ", column " + std::to_string(column + 1); });
      ++column;
      if (field.ends_record) break;
      continue;
    }
    const auto where = [&] { return format.at_row(row) + ", column '" + echo(header.names[column]) + "'"; };
    const csv_field field = cursor.next_field([&](std::size_t) { return where(); });
    try {
      check_cell_bytes(field.value, format.subsystem, where);
      // The cell is copied: a quoted cell lives in the cursor's buffer only
      // until the next field is read.  Leading and trailing spaces are dropped;
      // inner spacing and line breaks stay.
      const std::size_t known = header.field_of_column[column];
      if (known != named_csv_header::unknown_column) {
        cells[known].assign(trim(field.value));
      } else if (extra) {
        for (std::size_t k = 0; k < header.extra.size(); ++k)
          if (header.extra[k] == column) (*extra)[k].assign(trim(field.value));
      }
    } catch (const parse_error& e) {
      const std::string what = e.what();
      const std::string prefix = "[calibra." + e.id() + "] ";
      note(what.substr(what.rfind(prefix, 0) == 0 ? prefix.size() : 0), header.names[column]);
    }
    ++column;
    if (field.ends_record) break;
  }
  } catch (const csv_row_error&) {
    throw;
  } catch (const parse_error&) {
    // The tokenizer cannot find the end of the row.  A problem noted earlier
    // in the row comes first, as when the reader stopped at it; either way
    // the reading cannot go on.
    if (problem) throw parse_error(format.subsystem, problem_message);
    throw;
  }
  if (problem) throw *problem;
  if (column < columns)
    throw csv_row_error(format.subsystem,
                        format.at_row(row) + ", column '" + echo(header.names[column]) + "': the row has " +
                            std::to_string(column) + " cells, the header has " + std::to_string(columns) +
                            "; expected " + std::to_string(columns) + " cells per row (leave optional cells empty)",
                        row, header.names[column]);
  return row;
}

}  // namespace calibra::detail
