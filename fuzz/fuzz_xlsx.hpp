// The workbook reader as both XLSX fuzz targets run it: CRC checks off, so
// mutated parts reach the XML parser (the seeds store their parts
// uncompressed), and caps small enough that a run stays fast.
#pragma once

#include "fuzz_common.hpp"

#include "../src/io/xlsx_reader.hpp"

#include <cstddef>
#include <string_view>

namespace calibra::fuzz {

/// Reads `bytes` into `book`; false when the reader refused them with a
/// calibra::error (anything else is a finding).
inline bool read_fuzzed_workbook(std::string_view bytes, calibra::detail::xlsx::workbook& book) {
  calibra::detail::xlsx::limits caps;
  caps.verify_crc = false;
  caps.max_file_bytes = std::size_t{1} << 20;
  caps.max_total_bytes = std::size_t{16} << 20;
  caps.max_entry_bytes = std::size_t{8} << 20;
  caps.max_cells = 100'000;
  return expect_value_or_calibra_error([&] { book = calibra::detail::xlsx::read_workbook(bytes, "fuzz.xlsx", caps); });
}

}  // namespace calibra::fuzz
