// One CSV text per table (RFC 4180 quoting, LF line ends, UTF-8 without a
// byte-order mark).  The header row holds the column titles a reader sees;
// numbers are written exactly (shortest round-trip form, percentages as
// fractions); text cells are neutralised against formula injection.
#include "render_text.hpp"

#include <calibra/reports/escape.hpp>
#include <calibra/reports/write.hpp>

namespace calibra::reports {

std::vector<std::pair<std::string, std::string>> to_csv(const report& r) {
  validate(r);
  std::vector<std::pair<std::string, std::string>> out;
  for (const section& s : r.sections) {
    for (const table& t : s.tables) {
      std::string text;
      for (std::size_t c = 0; c < t.columns.size(); ++c) text += (c ? "," : "") + csv_field(t.columns[c].title);
      text += '\n';
      for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
          if (c) text += ',';
          if (const std::string* v = row[c].text())
            text += csv_field(*v);
          else if (const auto n = row[c].number())
            text += detail::shortest(*n);
        }
        text += '\n';
      }
      out.emplace_back(t.id, std::move(text));
    }
  }
  return out;
}

}  // namespace calibra::reports
