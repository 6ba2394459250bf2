// Inline SVG for the four chart kinds of the document model.  Every label
// goes through escape_html; colours are presentation attributes, so the
// HTML page needs no external style or script.
#pragma once

#include <calibra/reports/document.hpp>

#include <string>

namespace calibra::reports::detail {

/// One <svg> element drawing `c`; `r` supplies the level colours.
std::string render_svg(const chart& c, const report& r);

}  // namespace calibra::reports::detail
