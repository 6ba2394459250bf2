// Reading a framework back from its XLSX workbook (the layout `calibra
// framework export --to xlsx` writes; docs/framework-format.md, "The
// framework workbook").
//
// The workbook is turned into the framework JSON document and read by the
// same strict reader as a JSON file, so it obeys every rule of the format.
// Each problem names the sheet and cell instead of a JSON pointer
// ("book.xlsx: Targets!D7: unknown level 'master'"), and every problem is
// reported at once, up to input_errors::max_problems.  A workbook that is
// not a readable XLSX file is a parse_error with id parse_error.xlsx.
#pragma once

#include <calibra/framework/framework.hpp>

#include <string>
#include <string_view>

namespace calibra {

/// Reads a framework workbook held in memory; `source_name` is used in messages.
framework parse_framework_xlsx(std::string_view bytes, const std::string& source_name = "<memory>");

/// Reads a framework workbook file.
framework load_framework_xlsx(const std::string& path);

}  // namespace calibra
