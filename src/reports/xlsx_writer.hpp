// The XLSX writer without its own rename step, for write_report(), which
// stages every file of a report set itself.
#pragma once

#include <calibra/reports/document.hpp>

#include <string>

namespace calibra::reports::detail {

/// Writes the workbook straight to `file`; error messages name `shown_path`
/// (the final name rather than a temporary one).  On failure `file` may be
/// left behind: the caller owns its removal.
void write_xlsx_to(const report& r, const std::string& file, const std::string& shown_path);

}  // namespace calibra::reports::detail
