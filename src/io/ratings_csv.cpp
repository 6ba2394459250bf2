// Long-form ratings CSV: the reader on the shared RFC 4180 tokenizer, the
// writer, and the extension dispatch.
#include <calibra/error.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/ratings.hpp>

#include "csv_header.hpp"
#include "ratings_columns.hpp"
#include "ratings_rows.hpp"
#include "read_file.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
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
    &rating_text::career_level, &rating_text::track,      &rating_text::outcome,  &rating_text::evidence,
};
static_assert(sizeof(slots) / sizeof(slots[0]) == ratings_columns.size());

}  // namespace

/// The ratings columns as the shared CSV header reader sees them.
detail::named_csv_columns detail::ratings_table_columns(const std::string& source) {
  detail::named_csv_columns format;
  format.subsystem = "ratings";
  format.source = source;
  for (std::size_t c = 0; c < ratings_columns.size(); ++c) {
    format.names.push_back(ratings_columns[c]);
    format.required.push_back(c < calibration::required_ratings_columns);
  }
  format.max_columns = max_ratings_csv_columns;
  // Unknown columns are always read, so that a wide file's competency
  // columns reach the reader; the reader drops them itself under
  // ignore_unknown_columns.
  format.keep_unknown_columns = true;
  for (const auto& [alias, column] : calibration::ratings_column_aliases)
    for (std::size_t c = 0; c < ratings_columns.size(); ++c)
      if (ratings_columns[c] == column) format.aliases.emplace_back(alias, c);
  format.rows_hold = "one rating per row";
  return format;
}

namespace {

constexpr std::size_t competency_field = 3, level_field = 4;
static_assert(ratings_columns[competency_field] == "competency" && ratings_columns[level_field] == "level");

bool is_declared_attribute(const ratings_options& options, std::string_view name) {
  return std::find(options.attribute_columns.begin(), options.attribute_columns.end(), name) !=
         options.attribute_columns.end();
}

/// Wide form: one row per ratee, rater and period with one column per
/// competency.  `competency_of_extra[k]` is the competency of extra column
/// k, or nothing for an attribute or a dropped column.
calibration::ratings_table read_wide_rows(const detail::ratings_row_source& source, const detail::named_csv_header& header,
                                          const detail::named_csv_columns& format,
                                          calibration::ratings_builder& builder, detail::problem_list& problems,
                                          const ratings_options& options) {
  const framework& fw = builder.framework();
  std::vector<std::optional<std::size_t>> competency_of_extra(header.extra.size());
  std::vector<std::optional<std::size_t>> attribute_of_extra(header.extra.size());
  std::vector<std::string> attribute_names;
  for (std::size_t k = 0; k < header.extra.size(); ++k) {
    const std::string& name = header.names[header.extra[k]];
    if (const auto c = detail::competency_of_column(fw, name)) {
      for (std::size_t j = 0; j < k; ++j)
        if (competency_of_extra[j] == c) {
          try {
            throw validation_error("ratings", format.at_cell(header.row, header.extra[k], name) +
                                                  ": gives the same competency as '" +
                                                  detail::echo(header.names[header.extra[j]]) +
                                                  "'; expected one column per competency");
          } catch (const calibra::error& e) {
            problems.add(e, header.row, name);
          }
        }
      competency_of_extra[k] = c;
    } else if (is_declared_attribute(options, name)) {
      attribute_of_extra[k] = builder.attribute_column(name);
      attribute_names.push_back(name);
    } else if (options.ignore_unknown_columns) {
      builder.note_ignored_column(name);
    } else {
      try {
        throw validation_error("ratings", format.at_cell(header.row, header.extra[k], name) + ": " +
                                              detail::wide_unknown_column_message(fw, name));
      } catch (const calibra::error& e) {
        problems.add(e, header.row, name);
      }
    }
  }
  for (std::size_t f = 0; f < ratings_columns.size(); ++f) {
    if (header.column_of_field[f] || f >= calibration::required_ratings_columns || f == competency_field ||
        f == level_field)
      continue;
    try {
      throw validation_error("ratings", format.at_row(header.row) + ": missing required column '" +
                                            std::string(ratings_columns[f]) +
                                            "'; a wide file (one column per competency) has the columns ratee, "
                                            "rater, role and period, then one column per competency; the header has " +
                                            detail::quoted_header_names(header.names));
    } catch (const calibra::error& e) {
      problems.add(e, header.row, std::string(ratings_columns[f]));
    }
  }
  problems.raise();
  if (!attribute_names.empty())
    builder.warn("columns kept as attributes, not used by the analyses unless grouped by: " + [&] {
      std::string list;
      for (const auto& name : attribute_names) list += (list.empty() ? "'" : ", '") + detail::echo(name) + "'";
      return list;
    }());

  builder.collect_problems(&problems);
  std::vector<std::string> cells, extra;
  rating_text r;
  std::size_t rows = 0;
  while (!problems.full()) {
    std::optional<std::size_t> row;
    try {
      row = source.next(cells, extra);
    } catch (const detail::csv_row_error& e) {
      problems.add(e, e.row, e.column);
      ++rows;
      continue;
    } catch (const calibra::error& e) {
      problems.add(e, source.position());
      break;
    }
    if (!row) break;
    ++rows;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      r.*slots[f] = header.column_of_field[f] ? std::string_view(cells[f]) : std::string_view();
    r.attributes.assign(attribute_names.size(), std::string_view());
    for (std::size_t k = 0; k < extra.size(); ++k)
      if (attribute_of_extra[k]) r.attributes[*attribute_of_extra[k]] = extra[k];
    for (std::size_t k = 0; k < extra.size() && !problems.full(); ++k) {
      if (!competency_of_extra[k] || extra[k].empty()) continue;  // an empty cell: not rated
      r.competency = fw.competencies()[*competency_of_extra[k]].id;
      r.level = extra[k];
      r.level_column = header.names[header.extra[k]];
      builder.add_text(r, *row);
    }
  }
  if (rows == 0 && problems.empty())
    throw parse_error("ratings", format.at_row(header.row) +
                                     ": there is a header but no ratings; expected one row per ratee, rater and period");
  if (problems.full()) problems.raise();
  calibration::ratings_table table = builder.finish(options.duplicates);
  problems.raise();
  return table;
}

}  // namespace

calibration::ratings_table detail::read_ratings_rows(const ratings_row_source& source, const named_csv_header& header,
                                                     const named_csv_columns& format,
                                                     calibration::ratings_builder& builder,
                                                     const ratings_options& options) {
  for (const std::string& name : header.ignored) builder.note_ignored_column(name);
  detail::problem_list problems("ratings", format.source);
  // Wide form, recognised from the header: no competency and no level
  // column, and at least one column named after a competency.
  if (!header.column_of_field[competency_field] && !header.column_of_field[level_field] &&
      std::any_of(header.extra.begin(), header.extra.end(),
                  [&](std::size_t column) { return detail::competency_of_column(builder.framework(), header.names[column]); }))
    return read_wide_rows(source, header, format, builder, problems, options);
  if (header.first_missing_required(format)) {
    // An unknown column is then most likely the missing one, misspelt.
    for (std::size_t column : header.extra) {
      if (options.ignore_unknown_columns) continue;
      try {
        throw validation_error("ratings", format.at_cell(header.row, column, header.names[column]) +
                                              ": unknown column, and a required column is missing; expected one of " +
                                              format.list() + " (? marks optional columns)");
      } catch (const calibra::error& e) {
        problems.add(e, header.row, header.names[column]);
      }
    }
    for (std::size_t f = 0; f < calibration::required_ratings_columns; ++f) {
      if (header.column_of_field[f]) continue;
      try {
        throw validation_error("ratings", format.at_row(header.row) + ": missing required column '" +
                                              std::string(ratings_columns[f]) + "'; the header has " +
                                              detail::quoted_header_names(header.names) + "; expected the columns " +
                                              format.list() + " (? marks optional columns)");
      } catch (const calibra::error& e) {
        problems.add(e, header.row, std::string(ratings_columns[f]));
      }
    }
    problems.raise();
  }
  std::vector<std::string> extra_names;
  rating_text r;
  for (std::size_t column : header.extra) {
    if (options.ignore_unknown_columns) {
      builder.note_ignored_column(header.names[column]);
      continue;
    }
    extra_names.push_back(header.names[column]);
    builder.attribute_column(header.names[column]);
  }
  if (!extra_names.empty()) builder.warn(detail::extra_columns_warning(extra_names, "columns"));
  r.attributes.resize(extra_names.size());

  builder.collect_problems(&problems);
  std::vector<std::string> cells, extra;
  std::size_t rows = 0;
  while (!problems.full()) {
    std::optional<std::size_t> row;
    try {
      row = source.next(cells, extra);
    } catch (const detail::csv_row_error& e) {
      problems.add(e, e.row, e.column);  // the row is read to its end: go on with the next
      ++rows;
      continue;
    } catch (const calibra::error& e) {
      problems.add(e, source.position());  // the tokenizer cannot find the next row
      break;
    }
    if (!row) break;
    for (std::size_t f = 0; f < ratings_columns.size(); ++f)
      r.*slots[f] = header.column_of_field[f] ? std::string_view(cells[f]) : std::string_view();
    if (!options.ignore_unknown_columns)
      for (std::size_t k = 0; k < extra.size(); ++k) r.attributes[k] = extra[k];
    builder.add_text(r, *row);
    ++rows;
  }
  if (rows == 0 && problems.empty())
    throw parse_error("ratings",
                      format.at_row(header.row) + ": there is a header but no ratings; expected one rating per row");
  if (problems.full()) problems.raise();
  calibration::ratings_table table = builder.finish(options.duplicates);
  problems.raise();
  return table;
}

namespace {

/// One row as the source gave it: its cells, or the problem it raised.
struct read_row {
  std::optional<std::size_t> row;
  std::vector<std::string> cells, extra;
  std::exception_ptr problem;
  std::size_t position = 0;  // for a problem that ends the reading
  bool last = false;         // no row follows (the end, or a problem that ends it)
};

/// The shared state of read_ahead(): chunks of rows from the reading
/// thread to the caller, and consumed chunks back (their strings keep their
/// capacity, so the rows cost no allocations once the first chunks exist).
struct read_ahead_state {
  static constexpr std::size_t chunk_rows = 4096, chunks_ahead = 4;
  detail::ratings_row_source source;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<read_row>> ready, spare;
  bool stop = false;  // the caller is done
  std::vector<read_row> current;
  std::size_t next_item = 0;
  std::size_t position = 0;
  std::thread reader;

  void read() {
    try {
      read_chunks();
    } catch (...) {
      // Out of memory or a failing source outside a row: the caller gets it
      // as the end of the rows.
      std::vector<read_row> failed(1);
      failed[0].problem = std::current_exception();
      failed[0].last = true;
      {
        std::lock_guard<std::mutex> lock(mutex);
        ready.push_back(std::move(failed));
      }
      changed.notify_all();
    }
  }

  void read_chunks() {
    for (;;) {
      std::vector<read_row> chunk;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || ready.size() < chunks_ahead; });
        if (stop) return;
        if (!spare.empty()) {
          chunk = std::move(spare.front());
          spare.pop_front();
        }
      }
      chunk.resize(chunk_rows);
      std::size_t filled = 0;
      bool last = false;
      while (filled < chunk_rows && !last) {
        read_row& item = chunk[filled++];
        item.problem = nullptr;
        try {
          item.row = source.next(item.cells, item.extra);
          item.last = last = !item.row;
        } catch (const detail::csv_row_error&) {
          item.problem = std::current_exception();  // confined to the row: go on
          item.last = false;
        } catch (...) {
          item.problem = std::current_exception();
          item.position = source.position();
          item.last = last = true;
        }
      }
      chunk.resize(filled);
      {
        std::lock_guard<std::mutex> lock(mutex);
        ready.push_back(std::move(chunk));
      }
      changed.notify_all();
      if (last) return;
    }
  }

  std::optional<std::size_t> next(std::vector<std::string>& cells, std::vector<std::string>& extra) {
    if (next_item == current.size()) {
      std::unique_lock<std::mutex> lock(mutex);
      if (!current.empty()) spare.push_back(std::move(current));
      current.clear();
      next_item = 0;
      changed.notify_all();
      changed.wait(lock, [&] { return !ready.empty(); });
      current = std::move(ready.front());
      ready.pop_front();
    }
    read_row& item = current[next_item];
    if (!item.last) ++next_item;  // the last item answers every later call alike
    if (item.problem) {
      position = item.position;
      std::rethrow_exception(item.problem);
    }
    cells.swap(item.cells);
    extra.swap(item.extra);
    return item.row;
  }

  ~read_ahead_state() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    if (reader.joinable()) reader.join();
  }
};

calibration::ratings_table read_csv(std::string_view text, std::shared_ptr<const framework> fw,
                                    const std::string& source, const ratings_options& options) {
  detail::reject_oversized_text(text, max_ratings_file_bytes, "ratings", source, "ratings files");
  const detail::named_csv_columns format = detail::ratings_table_columns(source);
  detail::csv_cursor cursor = detail::open_named_csv(text, format);
  calibration::ratings_builder builder(std::move(fw), source);
  for (const auto& [name, role] : options.roles) builder.map_role(name, role);
  const detail::named_csv_header header = detail::read_named_csv_header(cursor, format);
  detail::ratings_row_source rows;
  rows.next = [&](std::vector<std::string>& cells, std::vector<std::string>& extra) {
    return detail::read_named_csv_row(cursor, header, format, cells, &extra);
  };
  rows.position = [&] { return cursor.line(); };
  // A thread of its own pays off on large files only: below a quarter of a
  // megabyte (a few thousand rows) starting it costs more than it saves.
  constexpr std::size_t read_ahead_from = std::size_t{1} << 18;
  return detail::read_ratings_rows(text.size() >= read_ahead_from ? detail::read_ahead(std::move(rows)) : std::move(rows),
                                   header, format, builder, options);
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

detail::ratings_row_source detail::read_ahead(ratings_row_source source) {
  if (std::thread::hardware_concurrency() < 2) return source;
  auto state = std::make_shared<read_ahead_state>();
  state->source = std::move(source);
  state->reader = std::thread([raw = state.get()] { raw->read(); });
  ratings_row_source ahead;
  ahead.next = [state](std::vector<std::string>& cells, std::vector<std::string>& extra) { return state->next(cells, extra); };
  ahead.position = [state] { return state->position; };
  return ahead;
}

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
  if (!options.sheet.empty() && extension != "xlsx")
    throw invalid_argument("ratings", path + ": a sheet ('" + options.sheet +
                                             "') is given, but only an .xlsx ratings file has sheets");
  if (extension == "csv") return read_ratings_csv(path, std::move(fw), options);
  if (extension == "json") return read_ratings_json(path, std::move(fw), options);
  if (extension == "xlsx") return read_ratings_xlsx(path, std::move(fw), options);
  throw invalid_argument("ratings", path + ": cannot tell the format from the file name; expected a .csv, .json or "
                                           ".xlsx ratings file");
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

  const bool evidence = summary.rows_with_evidence > 0;

  std::string out = "ratee,rater,role,competency,level,period";
  if (career_levels) out += ",career_level";
  if (tracks) out += ",track";
  if (outcomes) out += ",outcome";
  if (evidence) out += ",evidence";
  for (const std::string& name : table.attribute_names()) {
    out += ',';
    append_cell(out, name);
  }
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
    if (evidence) {
      out += ',';
      append_cell(out, table.evidence(i));
    }
    for (std::size_t a = 0; a < table.attribute_names().size(); ++a) {
      out += ',';
      append_cell(out, table.attribute(i, a));
    }
    out += '\n';
  }
  return out;
}

void write_ratings_csv(const calibration::ratings_table& table, const std::string& path) {
  write_file_atomically(path, to_ratings_csv(table));
}

}  // namespace calibra

namespace calibra {

std::pair<std::string, calibration::rater_role> parse_role_mapping(std::string_view text) {
  std::string roles;
  for (calibration::rater_role role : calibration::all_rater_roles)
    roles += (roles.empty() ? "" : ", ") + std::string(calibration::to_string(role));
  const auto equals = text.find('=');
  if (equals == std::string_view::npos || equals == 0 || equals + 1 == text.size())
    throw invalid_argument("ratings", "role mapping '" + std::string(text) +
                                          "': expected NAME=ROLE, e.g. line-manager=manager, with ROLE one of " +
                                          roles);
  const std::string_view role_text = text.substr(equals + 1);
  const auto role = calibration::parse_rater_role(role_text);
  if (!role)
    throw invalid_argument("ratings", "role mapping '" + std::string(text) + "': unknown role '" +
                                          std::string(role_text) + "'; expected one of " + roles);
  return {std::string(text.substr(0, equals)), *role};
}

}  // namespace calibra
