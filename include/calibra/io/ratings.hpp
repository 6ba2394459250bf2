// Reading and writing long-form ratings files (docs/ratings-format.md).
//
// CSV: a header row naming the columns (any order), then one rating per row:
//
//   ratee,rater,role,competency,level,period,career_level,track,outcome
//   pm01,mgr1,manager,product-delivery,proficient,2026Q1,pm,ic,
//
// JSON: an array of objects with the same keys:
//
//   [{"ratee": "pm01", "rater": "mgr1", "role": "manager",
//     "competency": "product-delivery", "level": 3, "period": "2026Q1"}]
//
// Both readers validate every value against the framework through
// calibration::ratings_builder.  Problems are calibra::parse_error (the
// bytes are not CSV/JSON: quoting, ragged rows, bad UTF-8, NUL bytes, an
// empty file) or calibra::validation_error (the values break a rule:
// unknown competency, level outside the scale, missing column, duplicate
// rating...), both with id suffix "ratings", and the message names the
// file, the row and the column.  The readers go on after a problem and
// report every one, up to input_errors::max_problems: a single problem is
// thrown as itself, several as calibra::input_errors (error.hpp).  Nothing
// is returned when there is any.
//
// Wide form, recognised from the header (CSV) or from each object's keys
// (JSON): no competency and no level column, and columns named after
// competencies (by id or by name), one rating per filled cell:
//
//   ratee,rater,role,period,product-delivery,Fluency with Data
//   pm01,mgr1,manager,2026Q1,proficient,3
//
// Levels may be relative (Needs Focus / On Track / Outperforming), read
// against the expectation at the row's career level (docs/ratings-format.md).
//
// Columns (keys) outside the format are kept as attributes of the ratings
// (ratings_table::attribute_names()) and named in summary().warnings; an
// `evidence` column (or `comment`) is kept with each rating.
//
//   [calibra.validation_error.ratings] r.csv: row 14, column 'competency':
//   unknown competency 'Vision'; expected one of ...
//
// In CSV the row is the 1-based line of the file on which the record starts
// (the header is row 1, as a spreadsheet numbers it); in JSON it is the
// 1-based position of the object in the array.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra {

struct ratings_options {
  /// What to do with repeated (ratee, rater, competency, period) ratings.
  calibration::duplicate_policy duplicates = calibration::duplicate_policy::error;
  /// A column (CSV) or key (JSON) outside the format is kept as an
  /// attribute and named in summary().warnings; with this set it is dropped
  /// instead and listed in summary().ignored_columns.
  bool ignore_unknown_columns = false;
  /// A team's own role names read as calibra's roles, e.g.
  /// {"line-manager", rater_role::manager}, {"student", rater_role::external}.
  std::vector<std::pair<std::string, calibration::rater_role>> roles;
  /// Columns (keys) of a wide file that are not competencies but attributes
  /// to keep (team, department).  In wide form any other column outside the
  /// format must be a competency; in long form every such column is kept
  /// anyway.  The CLI's --attribute and --group-by fill it.
  std::vector<std::string> attribute_columns;
  /// XLSX only: the sheet to read.  Empty: the sheet named "Ratings" when
  /// there is one, else the first sheet.  The CLI's --sheet.
  std::string sheet;
};

/// Reads "NAME=ROLE" (the CLI's --role) into a pair for ratings_options::roles.
/// Throws invalid_argument("ratings") naming what is wrong.
std::pair<std::string, calibration::rater_role> parse_role_mapping(std::string_view text);

/// Ratings files larger than this are refused before they are read.
inline constexpr std::size_t max_ratings_file_bytes = std::size_t{1} << 30;
/// A CSV header with more columns than this is refused.
inline constexpr std::size_t max_ratings_csv_columns = 1000;

// ---- CSV -----------------------------------------------------------------------

calibration::ratings_table read_ratings_csv(const std::string& path, std::shared_ptr<const framework> fw,
                                            const ratings_options& options = {});
calibration::ratings_table read_ratings_csv(const std::string& path, const framework& fw,
                                            const ratings_options& options = {});

/// Parses CSV text held in memory; `source_name` stands for the file name in messages.
calibration::ratings_table read_ratings_csv_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                 const std::string& source_name = "<memory>",
                                                 const ratings_options& options = {});
calibration::ratings_table read_ratings_csv_text(std::string_view text, const framework& fw,
                                                 const std::string& source_name = "<memory>",
                                                 const ratings_options& options = {});

// ---- JSON ----------------------------------------------------------------------

calibration::ratings_table read_ratings_json(const std::string& path, std::shared_ptr<const framework> fw,
                                             const ratings_options& options = {});
calibration::ratings_table read_ratings_json(const std::string& path, const framework& fw,
                                             const ratings_options& options = {});

calibration::ratings_table read_ratings_json_text(std::string_view text, std::shared_ptr<const framework> fw,
                                                  const std::string& source_name = "<memory>",
                                                  const ratings_options& options = {});
calibration::ratings_table read_ratings_json_text(std::string_view text, const framework& fw,
                                                  const std::string& source_name = "<memory>",
                                                  const ratings_options& options = {});

// ---- XLSX ----------------------------------------------------------------------
//
// One sheet of the workbook (ratings_options::sheet, else "Ratings", else the
// first) read as a table: the first row with a value is the header, from
// its first cell to its last, and each later row with a value is a row of
// the file; long, wide and relative forms are recognised from the header as
// in CSV.  A number cell reads as the CSV text of that number (3.0 is the
// level 3); in the period column a number from 10000 on is a date serial
// number and reads as YYYY-MM-DD.  Messages name the sheet and the cell:
// "r.xlsx: Ratings!E7, column 'level': ...".  A workbook that is not a
// readable XLSX (a broken or hostile ZIP, oversized parts) is a
// parse_error with id parse_error.xlsx.

calibration::ratings_table read_ratings_xlsx(const std::string& path, std::shared_ptr<const framework> fw,
                                             const ratings_options& options = {});
calibration::ratings_table read_ratings_xlsx(const std::string& path, const framework& fw,
                                             const ratings_options& options = {});

/// Parses an XLSX workbook held in memory; `source_name` stands for the file name in messages.
calibration::ratings_table read_ratings_xlsx_bytes(std::string_view bytes, std::shared_ptr<const framework> fw,
                                                   const std::string& source_name = "<memory>",
                                                   const ratings_options& options = {});

// ---- either ----------------------------------------------------------------------

/// Reads a .csv, .json or .xlsx file (by extension, case-insensitive).  Any
/// other extension is an invalid_argument.
calibration::ratings_table read_ratings(const std::string& path, std::shared_ptr<const framework> fw,
                                        const ratings_options& options = {});
calibration::ratings_table read_ratings(const std::string& path, const framework& fw,
                                        const ratings_options& options = {});

// ---- writing -------------------------------------------------------------------

/// The table as ratings CSV: the six required columns, then each optional
/// column that some row fills; levels as level ids; LF line ends; cells
/// quoted only when they hold a comma, a quote or a line break.  Reading
/// the text back gives the same table.
std::string to_ratings_csv(const calibration::ratings_table& table);

/// Writes to_ratings_csv(table) atomically (see io/files.hpp).
void write_ratings_csv(const calibration::ratings_table& table, const std::string& path);

}  // namespace calibra
