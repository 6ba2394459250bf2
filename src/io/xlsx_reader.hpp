// Internal: a small, hardened reader for XLSX workbooks (Office Open XML
// spreadsheets).  libxlsxwriter only writes them; this reads them back.
//
// It unpacks the ZIP container with minizip from memory and parses the XML
// parts with expat.  It reads what a table of values needs and nothing else:
// sheet names and order (xl/workbook.xml and its relationships), shared
// strings, inline strings, numbers, booleans, formula results stored as
// text, and error values ("#N/A").  Styles, formulas themselves, merged
// cells, comments and everything else are ignored.
//
// Every workbook is untrusted.  The reader enforces the limits of
// xlsx_limits before and while it inflates and parses: the file size, the
// number of ZIP entries, the inflated size of each entry and of all of them,
// the inflation ratio (zip bombs), XML nesting depth, the number of cells and
// shared strings, and the text the cells hold in all.  A document type
// declaration (and so any entity definition) is refused.  Errors are
// calibra::parse_error with id parse_error.xlsx and name the file, and the
// sheet and cell when there is one: "book.xlsx: Targets!D7: ...".
//
//   const auto book = calibra::detail::xlsx::read_workbook(bytes, "book.xlsx");
//   for (const auto& sheet : book.sheets)
//     for (const auto& c : sheet.cells)            // row-major order
//       std::cout << sheet.name << '!' << c.ref() << " = " << c.text << '\n';
//   if (const auto* s = book.find("Targets"))
//     if (const auto* c = s->at(6, 3)) ...         // D7: row 6, column 3, 0-based
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::detail::xlsx {

/// The limits every workbook is read under.  The defaults are far above any
/// framework or ratings workbook a team keeps, and far below what would hurt.
struct limits {
  std::size_t max_file_bytes = std::size_t{64} << 20;          // the .xlsx file itself
  std::size_t max_entries = 4096;                              // ZIP entries
  std::size_t max_entry_bytes = std::size_t{128} << 20;        // one part, inflated
  std::size_t max_total_bytes = std::size_t{256} << 20;        // all parts read, inflated
  std::size_t max_ratio = 100;                                 // inflated : compressed, above ratio_floor_bytes
  std::size_t ratio_floor_bytes = std::size_t{1} << 20;        // small parts may compress better than max_ratio
  std::size_t max_depth = 64;                                  // XML element nesting
  std::size_t max_sheets = 256;
  std::size_t max_cells = 2'000'000;                           // in all sheets
  std::size_t max_shared_strings = 2'000'000;
  std::size_t max_text_bytes = std::size_t{256} << 20;         // text held by all cells together
  /// Whether a part's CRC-32 must match.  Only the fuzz target turns this
  /// off, so that its mutations reach the XML parser instead of the CRC.
  bool verify_crc = true;
};

/// A cell reference such as "D7", 0-based: D7 is row 6, column 3.  Excel's
/// grid is 1,048,576 rows by 16,384 columns (XFD).
struct cell_position {
  std::uint32_t row = 0;
  std::uint32_t column = 0;
};

inline constexpr std::uint32_t max_rows = 1'048'576;
inline constexpr std::uint32_t max_columns = 16'384;

/// "D7" for row 6, column 3.
std::string cell_ref(std::uint32_t row, std::uint32_t column);
/// A sheet name as a cell reference writes it: "Targets", or quoted when it
/// holds anything but letters, digits, '_' and '.': "'Career levels'".
std::string sheet_label(std::string_view name);
/// "D" for column 3.
std::string column_name(std::uint32_t column);
/// Reads an A1 reference ("D7", "XFD1048576"); nothing for anything else
/// (lowercase letters, "$D$7", "A0", past the grid, trailing characters).
std::optional<cell_position> parse_cell_ref(std::string_view ref);

enum class cell_kind {
  text,     // a shared or inline string, or a formula's text result
  number,   // a number (dates are numbers too: the reader does not read styles)
  boolean,  // TRUE or FALSE; `number` is 1 or 0 and `text` "TRUE" or "FALSE"
  error,    // an error value such as #N/A, in `text`
};

struct cell {
  std::uint32_t row = 0;
  std::uint32_t column = 0;
  cell_kind kind = cell_kind::text;
  std::string text;   // the text; for a number, the value as the file wrote it ("2", "0.5")
  double number = 0;  // for numbers and booleans

  std::string ref() const { return cell_ref(row, column); }
};

struct sheet {
  std::string name;
  /// Cells with a value, in row-major order.  Empty cells (no value, or an
  /// empty string) are left out.
  std::vector<cell> cells;
  /// Rows and columns up to the last cell with a value (0 for an empty sheet).
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;

  /// The cell at a 0-based position, or nullptr when it is empty.
  const cell* at(std::uint32_t row, std::uint32_t column) const;
  /// "Name!D7", the way error messages point at a cell.
  std::string where(std::uint32_t row, std::uint32_t column) const;
};

struct workbook {
  std::vector<sheet> sheets;  // in the workbook's tab order

  /// The sheet of that name (exact match), or nullptr.
  const sheet* find(std::string_view name) const;
};

/// Reads a workbook held in memory; `source` names it in messages.
workbook read_workbook(std::string_view bytes, const std::string& source, const limits& caps = {});

/// Reads a workbook file (refused unread when larger than max_file_bytes).
workbook load_workbook(const std::string& path, const limits& caps = {});

/// The day a serial number of the 1900 date system stands for, as
/// YYYY-MM-DD: a date cell a spreadsheet program made of a typed date holds
/// that number.  Empty unless `serial` is a whole number of days from 1
/// (1900-01-01) to 2958465 (9999-12-31).
std::optional<std::string> serial_date(double serial);

/// Whether the bytes start like a ZIP file ("PK\3\4"), as every XLSX does.
bool looks_like_zip(std::string_view bytes);

}  // namespace calibra::detail::xlsx
