// Long-form ratings CSV: the reader on the shared RFC 4180 tokenizer, the
// writer, and the extension dispatch.
#include <calibra/error.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_tokenizer.hpp"
#include "read_file.hpp"

#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace calibra {
namespace {

using calibration::rating_text;
using calibration::ratings_columns;

constexpr std::size_t not_a_column = ratings_columns.size();

/// The slot of rating_text a column fills.
std::string_view rating_text::*const slots[] = {
    &rating_text::ratee,      &rating_text::rater,        &rating_text::role,
    &rating_text::competency, &rating_text::level,        &rating_text::period,
    &rating_text::career_level, &rating_text::track,      &rating_text::outcome,
};
static_assert(sizeof(slots) / sizeof(slots[0]) == ratings_columns.size());

std::string header_list() {
  std::string out;
  for (std::size_t c = 0; c < ratings_columns.size(); ++c)
    out += (c ? ", " : "") + std::string(ratings_columns[c]) + (c < calibration::required_ratings_columns ? "" : "?");
  return out;
}

calibration::ratings_table read_csv(std::string_view text, std::shared_ptr<const framework> fw,
                                    const std::string& source, const ratings_options& options) {
  using detail::echo;
  if (text.size() > max_ratings_file_bytes)
    throw parse_error("ratings", source + ": larger than the " + std::to_string(max_ratings_file_bytes >> 20) +
                                     " MiB limit for ratings files");
  text = detail::without_bom(text);
  detail::reject_utf16(text, "ratings", source);
  detail::reject_cr_only_line_ends(text, "ratings", source);
  detail::csv_cursor cursor(text, "ratings");
  if (!cursor.next_record())
    throw parse_error("ratings", source + ": the file is empty; expected a header row (" + header_list() +
                                     ") and one rating per row");

  const auto at_row = [&](std::size_t row) { return source + ": row " + std::to_string(row); };

  // Header: which field each column fills.
  const std::size_t header_row = cursor.line();
  std::vector<std::size_t> field_of_column;
  std::vector<std::string> header;
  std::array<std::optional<std::size_t>, ratings_columns.size()> column_of_field{};
  calibration::ratings_builder builder(std::move(fw), source);
  for (;;) {
    const std::size_t column = header.size() + 1;
    const auto where = [&] { return at_row(header_row) + ", column " + std::to_string(column); };
    if (column > max_ratings_csv_columns)
      throw parse_error("ratings", where() + ": the header has more than " + std::to_string(max_ratings_csv_columns) +
                                       " columns, the most calibra reads");
    const detail::csv_field field = cursor.next_field([&](std::size_t) { return where(); });
    detail::check_cell_bytes(field.value, "ratings", where);
    const std::string name(detail::trim(field.value));
    if (name.empty())
      throw validation_error("ratings", where() + ": empty column name in the header; expected one of " +
                                            header_list() + " (? marks optional columns)");
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name)
        throw validation_error("ratings", at_row(header_row) + ", column '" + echo(name) +
                                              "': the column appears twice (columns " + std::to_string(c + 1) +
                                              " and " + std::to_string(column) + "); expected each column once");
    std::size_t field_index = not_a_column;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (ratings_columns[f] == name) field_index = f;
    if (field_index == not_a_column) {
      if (!options.ignore_unknown_columns)
        throw validation_error("ratings", at_row(header_row) + ", column '" + echo(name) +
                                              "': unknown column; expected one of " + header_list() +
                                              " (? marks optional columns), or set the option to ignore unknown "
                                              "columns");
      builder.note_ignored_column(name);
    } else {
      column_of_field[field_index] = header.size();
    }
    field_of_column.push_back(field_index);
    header.push_back(name);
    if (field.ends_record) break;
  }
  for (std::size_t f = 0; f < calibration::required_ratings_columns; ++f)
    if (!column_of_field[f]) {
      std::string names;
      for (std::size_t c = 0; c < header.size() && c < 20; ++c) names += (c ? ", '" : "'") + echo(header[c]) + "'";
      if (header.size() > 20) names += ", ...";
      throw validation_error("ratings", at_row(header_row) + ": missing required column '" +
                                            std::string(ratings_columns[f]) + "'; the header has " + names +
                                            "; expected the columns " + header_list() + " (? marks optional columns)");
    }

  // Rows.  Cells are copied into `cells` because a quoted cell's text lives
  // in the tokenizer's buffer only until the next field is read.
  const std::size_t columns = header.size();
  std::array<std::string, ratings_columns.size()> cells;
  std::size_t rows = 0;
  while (cursor.next_record()) {
    const std::size_t row = cursor.line();
    std::size_t column = 0;
    for (;;) {
      if (column >= columns)
        throw parse_error("ratings", at_row(row) + ", column " + std::to_string(column + 1) +
                                         ": the row has more cells than the " + std::to_string(columns) +
                                         " columns of the header; expected " + std::to_string(columns) +
                                         " cells per row");
      const auto where = [&] { return at_row(row) + ", column '" + echo(header[column]) + "'"; };
      const detail::csv_field field = cursor.next_field([&](std::size_t) { return where(); });
      detail::check_cell_bytes(field.value, "ratings", where);
      if (field_of_column[column] != not_a_column) cells[field_of_column[column]].assign(detail::trim(field.value));
      ++column;
      if (field.ends_record) break;
    }
    if (column < columns)
      throw parse_error("ratings", at_row(row) + ", column '" + echo(header[column]) + "': the row has " +
                                       std::to_string(column) + " cells, the header has " +
                                       std::to_string(columns) + "; expected " + std::to_string(columns) +
                                       " cells per row (leave optional cells empty)");
    rating_text r;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      if (column_of_field[f]) r.*slots[f] = cells[f];
    builder.add_text(r, row);
    ++rows;
  }
  if (rows == 0)
    throw parse_error("ratings",
                      at_row(header_row) + ": there is a header but no ratings; expected one rating per row");
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
      if (const auto level = table.career_level(i)) append_cell(out, fw.ladder().levels()[*level].id);
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
