// Fuzz target: the XLSX reader (src/io/xlsx_reader.hpp) and the framework
// workbook reader on top of it (calibra/io/framework_xlsx.hpp).
//
// Any bytes: the reader returns a workbook or throws calibra::error.  CRC
// checks are off here (xlsx::limits::verify_crc), so mutated parts reach the
// XML parser; the seeds store their parts uncompressed for the same reason.
// A workbook that reads must be well formed: cells in strictly increasing
// row-major order, inside the sheet's extent and Excel's grid, found by
// at(), with references that read back.  A framework that reads must write
// canonical JSON that reads back as the same framework.
#include "fuzz_common.hpp"

#include "../src/io/framework_workbook.hpp"
#include "fuzz_xlsx.hpp"

#include <calibra/io/framework_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calibra;
  namespace xl = detail::xlsx;
  const auto bytes = fuzz::as_text(data, size);
  xl::workbook book;
  if (!fuzz::read_fuzzed_workbook(bytes, book)) return 0;

  for (const xl::sheet& s : book.sheets) {
    for (std::size_t i = 0; i < s.cells.size(); ++i) {
      const xl::cell& c = s.cells[i];
      fuzz::require(c.row < s.rows && c.column < s.columns, "a cell lies inside its sheet's extent");
      fuzz::require(c.row < xl::max_rows && c.column < xl::max_columns, "a cell lies inside Excel's grid");
      if (i > 0) {
        const xl::cell& p = s.cells[i - 1];
        fuzz::require(p.row < c.row || (p.row == c.row && p.column < c.column), "cells in strict row-major order");
      }
      fuzz::require(s.at(c.row, c.column) == &c, "at() finds every cell");
      const auto back = xl::parse_cell_ref(c.ref());
      fuzz::require(back && back->row == c.row && back->column == c.column, "a cell's reference reads back");
      fuzz::require(c.kind != xl::cell_kind::text || !c.text.empty(), "text cells are not empty");
      fuzz::require(fuzz::valid_utf8(c.text), "cell text is UTF-8");
    }
  }

  framework fw;
  if (!fuzz::expect_value_or_calibra_error(
          [&] { fw = detail::workbook::framework_from_workbook(book, "fuzz.xlsx"); }))
    return 0;
  std::string canonical;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { canonical = to_json(fw); }),
                "a framework read from a workbook can be written as JSON");
  framework again;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { again = parse_framework(canonical, "canonical.json"); }),
                "its canonical JSON reads back");
  fuzz::require(to_json(again) == canonical, "canonical JSON is a fixed point");
  return 0;
}
