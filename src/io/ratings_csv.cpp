// Long-form ratings CSV: the reader on the shared RFC 4180 tokenizer, the
// writer, and the extension dispatch.
#include <calibra/error.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_header.hpp"
#include "read_file.hpp"

#include <string>
#include <vector>

namespace calibra {
namespace {

using calibration::rating_text;
using calibration::ratings_columns;

/// The slot of rating_text a column fills.
std::string_view rating_text::*const slots[] = {
    &rating_text::ratee,      &rating_text::rater,        &rating_text::role,
    &rating_text::competency, &rating_text::level,        &rating_text::period,
    &rating_text::career_level, &rating_text::track,      &rating_text::outcome,
};
static_assert(sizeof(slots) / sizeof(slots[0]) == ratings_columns.size());

/// The ratings columns as the shared CSV header reader sees them.
detail::named_csv_columns ratings_csv_columns(const std::string& source, const ratings_options& options) {
  detail::named_csv_columns format;
  format.subsystem = "ratings";
  format.source = source;
  for (std::size_t c = 0; c < ratings_columns.size(); ++c) {
    format.names.push_back(ratings_columns[c]);
    format.required.push_back(c < calibration::required_ratings_columns);
  }
  format.max_columns = max_ratings_csv_columns;
  format.ignore_unknown_columns = options.ignore_unknown_columns;
  format.rows_hold = "one rating per row";
  return format;
}

calibration::ratings_table read_csv(std::string_view text, std::shared_ptr<const framework> fw,
                                    const std::string& source, const ratings_options& options) {
  detail::reject_oversized_text(text, max_ratings_file_bytes, "ratings", source, "ratings files");
  const detail::named_csv_columns format = ratings_csv_columns(source, options);
  detail::csv_cursor cursor = detail::open_named_csv(text, format);
  calibration::ratings_builder builder(std::move(fw), source);
  const detail::named_csv_header header = detail::read_named_csv_header(cursor, format);
  for (const std::string& name : header.ignored) builder.note_ignored_column(name);
  if (const auto missing = header.first_missing_required(format))
    throw validation_error("ratings", format.at_row(header.row) + ": missing required column '" +
                                          std::string(ratings_columns[*missing]) + "'; the header has " +
                                          detail::quoted_header_names(header.names) + "; expected the columns " +
                                          format.list() + " (? marks optional columns)");

  std::vector<std::string> cells;
  std::size_t rows = 0;
  while (const auto row = detail::read_named_csv_row(cursor, header, format, cells)) {
    rating_text r;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (header.column_of_field[f]) r.*slots[f] = cells[f];
    builder.add_text(r, *row);
    ++rows;
  }
  if (rows == 0)
    throw parse_error("ratings",
                      format.at_row(header.row) + ": there is a header but no ratings; expected one rating per row");
  return builder.finish(options.duplicates);
}

/// A cell as CSV: quoted when it holds a delimiter, a quote or a line break.
void append_cell(std::string& out, std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

calibration::ratings_table read_ratings_csv_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                 const std::string& source_name, const ratings_options& options) {
  return read_csv(text, std::move(fw), source_name, options);
}

calibration::ratings_table read_ratings_csv_text(std::string_view text, const framework& fw,
                                                 const std::string& source_name, const ratings_options& options) {
  return read_csv(text, std::make_shared<const framework>(fw), source_name, options);
}

calibration::ratings_table read_ratings_csv(const std::string& path, std::shared_ptr<const framework> fw,
                                            const ratings_options& options) {
  const std::string text = detail::read_file(path, max_ratings_file_bytes, "ratings");
  return read_csv(text, std::move(fw), path, options);
}

calibration::ratings_table read_ratings_csv(const std::string& path, const framework& fw,
                                            const ratings_options& options) {
  return read_ratings_csv(path, std::make_shared<const framework>(fw), options);
}

calibration::ratings_table read_ratings(const std::string& path, std::shared_ptr<const framework> fw,
                                        const ratings_options& options) {
  const auto dot = path.find_last_of('.');
  std::string extension = dot == std::string::npos ? std::string() : path.substr(dot + 1);
  for (char& c : extension)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (extension == "csv") return read_ratings_csv(path, std::move(fw), options);
  if (extension == "json") return read_ratings_json(path, std::move(fw), options);
  throw invalid_argument("ratings", path + ": cannot tell the format from the file name; expected a .csv or .json "
                                           "ratings file");
}

calibration::ratings_table read_ratings(const std::string& path, const framework& fw,
                                        const ratings_options& options) {
  return read_ratings(path, std::make_shared<const framework>(fw), options);
}

std::string to_ratings_csv(const calibration::ratings_table& table) {
  const auto& fw = table.framework();
  const calibration::ratings_summary& summary = table.summary();
  const bool career_levels = summary.rows_with_career_level > 0;
  const bool tracks = summary.rows_with_track > 0;
  const bool outcomes = summary.rows_with_outcome > 0;

  std::string out = "ratee,rater,role,competency,level,period";
  if (career_levels) out += ",career_level";
  if (tracks) out += ",track";
  if (outcomes) out += ",outcome";
  out += '\n';
  for (std::size_t i = 0; i < table.size(); ++i) {
    append_cell(out, table.ratees()[table.ratee(i)]);
    out += ',';
    append_cell(out, table.raters()[table.rater(i)]);
    out += ',';
    out += calibration::to_string(table.role(i));
    out += ',';
    append_cell(out, fw.competencies()[table.competency(i)].id);
    out += ',';
    append_cell(out, fw.scale().at_ordinal(table.level(i)).id);
    out += ',';
    append_cell(out, table.periods()[table.period(i)]);
    if (career_levels) {
      out += ',';
      if (const auto level = table.career_level(i)) append_cell(out, fw.ladder().career_levels()[*level].id);
    }
    if (tracks) {
      out += ',';
      if (const auto track = table.track(i)) out += to_string(*track);
    }
    if (outcomes) {
      out += ',';
      if (const auto outcome = table.outcome(i)) out += calibration::to_string(*outcome);
    }
    out += '\n';
  }
  return out;
}

void write_ratings_csv(const calibration::ratings_table& table, const std::string& path) {
  write_file_atomically(path, to_ratings_csv(table));
}

}  // namespace calibra
