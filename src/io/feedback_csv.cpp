// Feedback log CSV reader, on the RFC 4180 tokenizer the ratings reader uses.
#include <calibra/error.hpp>
#include <calibra/io/feedback.hpp>

#include "csv_tokenizer.hpp"
#include "read_file.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace calibra {
namespace {

constexpr std::array<std::string_view, 6> feedback_columns{"ratee", "date", "competency", "kind", "source", "note"};
constexpr std::array<bool, 6> column_required{true, true, true, false, false, true};
constexpr std::size_t not_a_column = feedback_columns.size();
constexpr std::size_t max_feedback_csv_columns = 1000;

enum column_index : std::size_t { ratee_column, date_column, competency_column, kind_column, source_column, note_column };

std::string header_list() {
  std::string out;
  for (std::size_t c = 0; c < feedback_columns.size(); ++c)
    out += (c ? ", " : "") + std::string(feedback_columns[c]) + (column_required[c] ? "" : "?");
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string competency_list(const framework& fw) {
  constexpr std::size_t max_listed = 20;
  const auto& comps = fw.competencies();
  std::string out;
  for (std::size_t i = 0; i < comps.size() && i < max_listed; ++i) out += (i ? ", " : "") + comps[i].id;
  if (comps.size() > max_listed) out += ", ... (" + std::to_string(comps.size()) + " in all)";
  return out;
}

calibration::feedback_log read_csv(std::string_view text, std::shared_ptr<const framework> fw,
                                   const std::string& source, const feedback_read_options& options) {
  using detail::echo;
  if (!fw) throw invalid_argument("feedback", "reading a feedback log needs a framework");
  if (text.size() > max_feedback_file_bytes)
    throw parse_error("feedback", source + ": larger than the " + std::to_string(max_feedback_file_bytes >> 20) +
                                      " MiB limit for feedback files");
  text = detail::without_bom(text);
  detail::reject_utf16(text, "feedback", source);
  detail::reject_cr_only_line_ends(text, "feedback", source);
  detail::csv_cursor cursor(text, "feedback");
  if (!cursor.next_record())
    throw parse_error("feedback", source + ": the file is empty; expected a header row (" + header_list() +
                                      ") and one feedback item per row");
  const auto at_row = [&](std::size_t row) { return source + ": row " + std::to_string(row); };

  // Header.
  const std::size_t header_row = cursor.line();
  std::vector<std::size_t> field_of_column;
  std::vector<std::string> header;
  std::array<std::optional<std::size_t>, feedback_columns.size()> column_of_field{};
  for (;;) {
    const std::size_t column = header.size() + 1;
    const auto where = [&] { return at_row(header_row) + ", column " + std::to_string(column); };
    if (column > max_feedback_csv_columns)
      throw parse_error("feedback", where() + ": the header has more than " +
                                        std::to_string(max_feedback_csv_columns) + " columns, the most calibra reads");
    const detail::csv_field field = cursor.next_field([&](std::size_t) { return where(); });
    detail::check_cell_bytes(field.value, "feedback", where);
    const std::string name(detail::trim(field.value));
    if (name.empty())
      throw validation_error("feedback", where() + ": empty column name in the header; expected one of " +
                                             header_list() + " (? marks optional columns)");
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name)
        throw validation_error("feedback", at_row(header_row) + ", column '" + echo(name) +
                                               "': the column appears twice (columns " + std::to_string(c + 1) +
                                               " and " + std::to_string(column) + "); expected each column once");
    std::size_t field_index = not_a_column;
    for (std::size_t f = 0; f < feedback_columns.size(); ++f)
      if (feedback_columns[f] == name) field_index = f;
    if (field_index == not_a_column && !options.ignore_unknown_columns)
      throw validation_error("feedback", at_row(header_row) + ", column '" + echo(name) +
                                             "': unknown column; expected one of " + header_list() +
                                             " (? marks optional columns), or set the option to ignore unknown "
                                             "columns");
    if (field_index != not_a_column) column_of_field[field_index] = header.size();
    field_of_column.push_back(field_index);
    header.push_back(name);
    if (field.ends_record) break;
  }
  for (std::size_t f = 0; f < feedback_columns.size(); ++f)
    if (column_required[f] && !column_of_field[f])
      throw validation_error("feedback", at_row(header_row) + ": missing required column '" +
                                             std::string(feedback_columns[f]) + "'; expected the columns " +
                                             header_list() + " (? marks optional columns)");

  std::unordered_map<std::string_view, std::uint32_t> competency_of;
  const auto& comps = fw->competencies();
  for (std::size_t c = 0; c < comps.size(); ++c) competency_of.emplace(comps[c].id, static_cast<std::uint32_t>(c));

  // Rows.  Cells are copied: a quoted cell lives in the tokenizer's buffer
  // only until the next field is read.
  calibration::feedback_log log(fw, source);
  const std::size_t columns = header.size();
  std::array<std::string, feedback_columns.size()> cells;
  while (cursor.next_record()) {
    const std::size_t row = cursor.line();
    for (std::string& cell : cells) cell.clear();
    std::size_t column = 0;
    for (;;) {
      if (column >= columns)
        throw parse_error("feedback", at_row(row) + ", column " + std::to_string(column + 1) +
                                          ": the row has more cells than the " + std::to_string(columns) +
                                          " columns of the header; expected " + std::to_string(columns) +
                                          " cells per row");
      const auto where = [&] { return at_row(row) + ", column '" + echo(header[column]) + "'"; };
      const detail::csv_field field = cursor.next_field([&](std::size_t) { return where(); });
      detail::check_cell_bytes(field.value, "feedback", where);
      // Leading and trailing spaces are dropped; a note keeps its inner spacing and line breaks.
      if (field_of_column[column] != not_a_column) cells[field_of_column[column]].assign(detail::trim(field.value));
      ++column;
      if (field.ends_record) break;
    }
    if (column < columns)
      throw parse_error("feedback", at_row(row) + ", column '" + echo(header[column]) + "': the row has " +
                                        std::to_string(column) + " cells, the header has " +
                                        std::to_string(columns) + "; expected " + std::to_string(columns) +
                                        " cells per row (leave optional cells empty)");
    const auto fail = [&](std::size_t field, const std::string& message) {
      throw validation_error("feedback", at_row(row) + ", column '" + std::string(feedback_columns[field]) +
                                             "': " + message);
    };
    calibration::feedback_item item;
    item.source_row = row;
    if (cells[ratee_column].empty()) fail(ratee_column, "empty cell; expected the ratee's id");
    item.ratee = cells[ratee_column];
    if (cells[date_column].empty()) fail(date_column, "empty cell; expected a date YYYY-MM-DD");
    const auto date = calibration::parse_date(cells[date_column]);
    if (!date)
      fail(date_column, "'" + echo(cells[date_column]) + "' is not a calendar date; expected YYYY-MM-DD, e.g. "
                        "2026-03-14");
    item.date = *date;
    if (cells[competency_column].empty()) fail(competency_column, "empty cell; expected a competency id");
    const auto competency = competency_of.find(cells[competency_column]);
    if (competency == competency_of.end()) {
      std::string hint;
      for (const auto& c : comps)
        if (c.name == cells[competency_column] || equal_ignoring_case(c.id, cells[competency_column]))
          hint = " ('" + echo(cells[competency_column]) + "' " +
                 (c.name == cells[competency_column] ? "is the name of" : "differs only in case from") +
                 " competency '" + c.id + "'; use its id)";
      fail(competency_column, "unknown competency '" + echo(cells[competency_column]) + "'" + hint +
                                  "; expected one of " + competency_list(*fw));
    }
    item.competency = competency->second;
    if (!cells[kind_column].empty()) {
      const auto kind = calibration::parse_feedback_kind(cells[kind_column]);
      if (!kind) fail(kind_column, "unknown kind '" + echo(cells[kind_column]) + "'; expected strength or growth");
      item.kind = *kind;
    }
    item.source = cells[source_column];
    if (cells[note_column].empty()) fail(note_column, "empty note; expected what happened, in a few words");
    item.note = cells[note_column];
    log.add(std::move(item));
  }
  if (log.empty())
    throw parse_error("feedback", at_row(header_row) +
                                      ": there is a header but no feedback items; expected one item per row");
  return log;
}

}  // namespace

calibration::feedback_log read_feedback_csv_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                 const std::string& source_name,
                                                 const feedback_read_options& options) {
  return read_csv(text, std::move(fw), source_name, options);
}

calibration::feedback_log read_feedback_csv_text(std::string_view text, const framework& fw,
                                                 const std::string& source_name,
                                                 const feedback_read_options& options) {
  return read_csv(text, std::make_shared<const framework>(fw), source_name, options);
}

calibration::feedback_log read_feedback_csv(const std::string& path, std::shared_ptr<const framework> fw,
                                            const feedback_read_options& options) {
  const std::string text = detail::read_file(path, max_feedback_file_bytes, "feedback");
  return read_csv(text, std::move(fw), path, options);
}

calibration::feedback_log read_feedback_csv(const std::string& path, const framework& fw,
                                            const feedback_read_options& options) {
  return read_feedback_csv(path, std::make_shared<const framework>(fw), options);
}

}  // namespace calibra
