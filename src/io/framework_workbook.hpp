// Internal: the framework workbook's layout, shared by its writer
// (src/reports/framework_workbook.cpp, libxlsxwriter) and its reader
// (src/io/framework_xlsx.cpp).  docs/framework-format.md describes it.
//
// Each sheet is one table: a header row (row 1), then one row per item.
// framework_tables() gives every sheet's cells for a framework; the writer
// lays them out and colours them, the reader reads the same headers back.
#pragma once

#include <calibra/framework/framework.hpp>

#include "xlsx_reader.hpp"

#include <string>
#include <vector>

namespace calibra::detail::workbook {

namespace sheets {
inline constexpr const char* framework = "Framework";
inline constexpr const char* scale = "Scale";
inline constexpr const char* areas = "Areas";
inline constexpr const char* competencies = "Competencies";
inline constexpr const char* actions = "Actions";
inline constexpr const char* anchors = "Anchors";
inline constexpr const char* career_levels = "Career levels";
inline constexpr const char* steps = "Steps";
inline constexpr const char* targets = "Targets";
inline constexpr const char* archetypes = "Archetypes";
inline constexpr const char* archetype_competencies = "Archetype competencies";
inline constexpr const char* promotion_gaps = "Promotion gaps";
}  // namespace sheets

/// Rows of the Framework sheet (column A), in the order written.
namespace fields {
inline constexpr const char* format = "Format";
inline constexpr const char* id = "Id";
inline constexpr const char* name = "Name";
inline constexpr const char* version = "Version";
inline constexpr const char* last_updated = "Last updated";
inline constexpr const char* description = "Description";
inline constexpr const char* owner = "Owner";
inline constexpr const char* trait_word = "Trait word";
}  // namespace fields

/// One cell's value.
struct value {
  enum class kind { empty, text, number, boolean } what = kind::empty;
  std::string text;
  double number = 0;
  bool flag = false;

  static value of(std::string t) { return t.empty() ? value{} : value{kind::text, std::move(t), 0, false}; }
  static value of_number(double n) { return value{kind::number, {}, n, false}; }
  static value of_boolean(bool b) { return value{kind::boolean, {}, 0, b}; }
};

/// How a sheet's cells are coloured (the writer's business; the reader
/// ignores colours).
enum class colouring {
  none,
  level_columns,  // header cells of columns 2.. are scale levels (Anchors)
  level_values,   // cells of columns 2.. hold scale level ids (Targets): conditional colours
  scale_rows,     // row i is scale level i (Scale)
  gap_levels,     // columns 4 and 5 hold level ids (Promotion gaps)
};

struct table {
  std::string sheet;
  std::vector<std::string> header;
  std::vector<std::vector<value>> rows;
  /// Written for reading; the reader skips this sheet (Promotion gaps).
  bool computed = false;
  colouring colours = colouring::none;
  double first_column_width = 0;  // 0: measured
};

/// Every sheet of the workbook for `fw`, in tab order.
std::vector<table> framework_tables(const framework& fw);

/// The framework a workbook already read holds (parse_framework_xlsx
/// without the reading; the fuzz target reads with its own limits).
framework framework_from_workbook(const xlsx::workbook& book, const std::string& source);

}  // namespace calibra::detail::workbook
