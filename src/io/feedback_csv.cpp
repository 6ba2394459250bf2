// Feedback log CSV reader, on the RFC 4180 tokenizer the ratings reader uses.
#include <calibra/error.hpp>
#include <calibra/io/feedback.hpp>

#include "csv_header.hpp"
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
constexpr std::size_t max_feedback_csv_columns = 1000;

enum column_index : std::size_t { ratee_column, date_column, competency_column, kind_column, source_column, note_column };

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

/// The feedback columns as the shared CSV header reader sees them.
detail::named_csv_columns feedback_csv_columns(const std::string& source, const feedback_read_options& options) {
  detail::named_csv_columns format;
  format.subsystem = "feedback";
  format.source = source;
  format.names.assign(feedback_columns.begin(), feedback_columns.end());
  format.required.assign(column_required.begin(), column_required.end());
  format.max_columns = max_feedback_csv_columns;
  format.ignore_unknown_columns = options.ignore_unknown_columns;
  format.rows_hold = "one feedback item per row";
  return format;
}

calibration::feedback_log read_csv(std::string_view text, std::shared_ptr<const framework> fw,
                                   const std::string& source, const feedback_read_options& options) {
  using detail::echo;
  if (!fw) throw invalid_argument("feedback", "reading a feedback log needs a framework");
  detail::reject_oversized_text(text, max_feedback_file_bytes, "feedback", source, "feedback files");
  const detail::named_csv_columns format = feedback_csv_columns(source, options);
  detail::csv_cursor cursor = detail::open_named_csv(text, format);
  const detail::named_csv_header header = detail::read_named_csv_header(cursor, format);
  // Every problem of the file in one run, up to input_errors::max_problems:
  // a row with a problem is left out and the next one read.
  detail::problem_list problems("feedback", source);
  for (std::size_t f = 0; f < feedback_columns.size(); ++f) {
    if (!column_required[f] || header.column_of_field[f]) continue;
    try {
      throw validation_error("feedback", format.at_row(header.row) + ": missing required column '" +
                                             std::string(feedback_columns[f]) + "'; expected the columns " +
                                             format.list() + " (? marks optional columns)");
    } catch (const calibra::error& e) {
      problems.add(e, header.row, std::string(feedback_columns[f]));
    }
  }
  problems.raise();

  std::unordered_map<std::string_view, std::uint32_t> competency_of;
  const auto& comps = fw->competencies();
  for (std::size_t c = 0; c < comps.size(); ++c) competency_of.emplace(comps[c].id, static_cast<std::uint32_t>(c));

  calibration::feedback_log log(fw, source);
  std::vector<std::string> cells;
  std::size_t rows = 0;
  /// A problem in one cell of a row: recorded with its column, and the row left out.
  struct cell_problem {
    std::size_t field;
    std::string message;
  };
  while (!problems.full()) {
    std::optional<std::size_t> read_row;
    try {
      read_row = detail::read_named_csv_row(cursor, header, format, cells);
    } catch (const detail::csv_row_error& e) {
      problems.add(e, e.row, e.column);  // the row is read to its end: go on with the next
      ++rows;
      continue;
    } catch (const calibra::error& e) {
      problems.add(e, cursor.line());  // the tokenizer cannot find the next row
      break;
    }
    if (!read_row) break;
    ++rows;
    const std::size_t row = *read_row;
    const auto fail = [&](std::size_t field, const std::string& message) { throw cell_problem{field, message}; };
    try {
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
    } catch (const cell_problem& p) {
      try {
        throw validation_error("feedback", format.at_row(row) + ", column '" +
                                               std::string(feedback_columns[p.field]) + "': " + p.message);
      } catch (const calibra::error& e) {
        problems.add(e, row, std::string(feedback_columns[p.field]));
      }
    }
  }
  problems.raise();
  if (rows == 0)
    throw parse_error("feedback", format.at_row(header.row) +
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
