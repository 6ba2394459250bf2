// Fuzz target: ratings from XLSX (calibra/io/ratings.hpp, "XLSX"): the
// workbook reader under the fuzz limits (CRC checks off, so mutations reach
// the XML; the seeds store their parts uncompressed), then the ratings on
// its sheet, against the built-in framework, with the strict and the
// lenient options.  See fuzz_ratings.hpp for the invariants of a table.
#include "fuzz_ratings.hpp"

#include "../src/io/ratings_workbook.hpp"
#include "fuzz_xlsx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calibra;
  namespace xl = detail::xlsx;
  const auto bytes = fuzz::as_text(data, size);
  xl::workbook book;
  if (!fuzz::read_fuzzed_workbook(bytes, book)) return 0;
  fuzz::check_reader([&](const ratings_options& options) {
    return detail::ratings_from_workbook(book, fuzz::ratings_framework(), "fuzz.xlsx", options);
  });
  return 0;
}
