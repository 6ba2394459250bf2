// The report as an XLSX workbook (libxlsxwriter).
//
// One sheet per table: a section's first table takes the section's title as
// its sheet name, further tables their own titles.  Every sheet starts with
// the same three lines (title, "framework · version · last updated", intro),
// then the table: a header row with an autofilter, frozen panes below the
// header and right of the frozen columns, level colours as cell fills,
// separator rows above each row group, notes underneath.  Print headers
// repeat the report title, framework version and date on every page.
//
// Text never becomes a formula: every string is written with
// worksheet_write_string(), and text that a spreadsheet would read as a
// formula once edited or exported (leading = + - @ tab CR) gets a leading
// apostrophe (neutralise_formula), the same rule as the CSV writer.
#include "xlsx_writer.hpp"

#include "render_text.hpp"

#include <calibra/error.hpp>
#include <calibra/reports/escape.hpp>
#include <calibra/reports/write.hpp>

#include "open_workbook.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

namespace calibra::reports {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t max_cell_chars = 32767;  // Excel's limit for one cell
constexpr double line_height = 15.0;           // points, default font
constexpr double max_row_height = 409.0;       // Excel's limit
constexpr lxw_row_t header_row = 4;            // title, stamp, intro, blank, header

constexpr std::uint32_t accent = 0xC0392B;
constexpr std::uint32_t rule_grey = 0xD0D7DE;
constexpr std::uint32_t header_fill = 0xE4E9EE;
constexpr std::uint32_t group_fill = 0xD9E2EC;
constexpr std::uint32_t emphasis_fill = 0xFDECEA;
constexpr std::uint32_t muted_ink = 0x5C6670;

/// A colour for libxlsxwriter, where 0 means "not set": black has its own code.
lxw_color_t xlsx_colour(rgb c) { return c.packed() == 0 ? static_cast<lxw_color_t>(LXW_COLOR_BLACK) : c.packed(); }

/// Drops characters XML 1.0 cannot hold and that Excel refuses to open;
/// caps the text at Excel's cell limit.
std::string cell_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
  if (detail::char_count(out) > max_cell_chars) out = detail::first_chars(out, max_cell_chars - 12) + " (truncated)";
  return out;
}

/// A string for a spreadsheet cell: clean, then neutralised.
std::string safe_text(std::string_view text) { return cell_text(neutralise_formula(cell_text(text))); }

/// Header and footer text: '&' starts a control code there, so it is doubled.
std::string header_text(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (char c : cell_text(text)) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    out += c;
    if (c == '&') out += '&';
  }
  return detail::first_chars(out, max_chars);
}

/// Excel sheet names: at most 31 characters, none of []:*?/\, not starting
/// or ending with an apostrophe, unique regardless of case.
std::string sheet_name(std::string wanted, std::set<std::string>& used) {
  for (char& c : wanted)
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos || static_cast<unsigned char>(c) < 0x20) c = '-';
  while (!wanted.empty() && wanted.front() == '\'') wanted.erase(0, 1);
  if (wanted.empty()) wanted = "Sheet";
  auto folded = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (int n = 1;; ++n) {
    const std::string suffix = n == 1 ? "" : " (" + std::to_string(n) + ")";
    std::string name = detail::first_chars(wanted, 31 - suffix.size());
    while (!name.empty() && name.back() == '\'') name.pop_back();
    name += suffix;
    if (used.insert(folded(name)).second) return name;
  }
}

/// Lines a text needs in a column `width` characters wide (wrapping is
/// estimated: proportional fonts vary, so a little slack is added).
std::size_t wrapped_lines(std::string_view text, double width) {
  std::size_t lines = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const double chars = static_cast<double>(detail::char_count(text.substr(start, end - start)));
    lines += static_cast<std::size_t>(std::max(1.0, std::ceil(chars * 1.08 / std::max(width - 1.0, 1.0))));
    start = end + 1;
  }
  return std::max<std::size_t>(lines, 1);
}

class xlsx_book {
 public:
  /// Writes to `file`; messages name `shown_path` (the final name, not the temporary).
  xlsx_book(const report& r, const std::string& file, const std::string& shown_path)
      : r_(r), path_(shown_path), book_(file, shown_path) {}

  void write() {
    properties();
    std::set<std::string> used_names;
    for (const section& s : r_.sections) {
      for (std::size_t t = 0; t < s.tables.size(); ++t)
        write_sheet(s, s.tables[t], t == 0, sheet_name(t == 0 ? s.title : s.tables[t].title, used_names));
      if (s.tables.empty()) write_text_sheet(s, sheet_name(s.title, used_names));
    }
    if (r_.sections.empty()) workbook_add_worksheet(book_.get(), nullptr);
  }

  void close() { book_.close(); }

 private:
  // ---- formats ----------------------------------------------------------------------
  enum class role { title, stamp, intro, header, body, group, note, empty };

  struct format_key {
    role what = role::body;
    column_kind kind = column_kind::text;
    int digits = 0;
    int level = 0;  // 0: none
    bool emphasis = false;
    bool wrap = false;
    friend bool operator<(const format_key& a, const format_key& b) {
      return std::tie(a.what, a.kind, a.digits, a.level, a.emphasis, a.wrap) <
             std::tie(b.what, b.kind, b.digits, b.level, b.emphasis, b.wrap);
    }
  };

  lxw_format* format(const format_key& key) {
    auto found = formats_.find(key);
    if (found != formats_.end()) return found->second;
    lxw_format* f = workbook_add_format(book_.get());
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    switch (key.what) {
      case role::title:
        format_set_bold(f);
        format_set_font_size(f, 14);
        break;
      case role::stamp:
        format_set_italic(f);
        format_set_font_color(f, muted_ink);
        break;
      case role::intro:
        format_set_text_wrap(f);
        break;
      case role::header:
        format_set_bold(f);
        format_set_text_wrap(f);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, header_fill);
        format_set_bottom(f, LXW_BORDER_MEDIUM);
        format_set_border_color(f, 0x8795A3);
        break;
      case role::group:
        format_set_bold(f);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, group_fill);
        format_set_top(f, LXW_BORDER_MEDIUM);
        format_set_top_color(f, 0x52606D);
        break;
      case role::note:
      case role::empty:
        format_set_italic(f);
        format_set_font_color(f, muted_ink);
        break;
      case role::body:
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, rule_grey);
        break;
    }
    if (key.what == role::body || key.what == role::header) {
      switch (key.kind) {
        case column_kind::integer: format_set_num_format(f, "0"); break;
        case column_kind::number:
          format_set_num_format(f, key.digits == 0 ? "0" : ("0." + std::string(static_cast<std::size_t>(key.digits), '0')).c_str());
          break;
        case column_kind::percent:
          format_set_num_format(f, key.digits == 0 ? "0%" : ("0." + std::string(static_cast<std::size_t>(key.digits), '0') + "%").c_str());
          break;
        case column_kind::level: format_set_align(f, LXW_ALIGN_CENTER); break;
        case column_kind::text: break;
      }
    }
    if (key.level > 0) {
      const level_style& style = style_of_level(r_, key.level);
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, xlsx_colour(style.fill));
      format_set_font_color(f, xlsx_colour(style.text));
    }
    if (key.emphasis) {
      format_set_bold(f);
      format_set_border(f, LXW_BORDER_MEDIUM);
      format_set_border_color(f, accent);
      if (key.level == 0) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, emphasis_fill);
      }
    }
    if (key.wrap) format_set_text_wrap(f);
    formats_.emplace(key, f);
    return f;
  }

  // ---- writing ----------------------------------------------------------------------
  void check(lxw_error status, const std::string& what) { book_.check(status, what); }

  void put_text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::string_view text, lxw_format* f) {
    const std::string safe = safe_text(text);
    if (safe.empty())
      check(worksheet_write_blank(ws, row, col, f), "blank cell");
    else
      check(worksheet_write_string(ws, row, col, safe.c_str(), f), "text cell");
  }

  void properties() {
    const std::string stamp = r_.framework.name + ", version " + r_.framework.version + ", last updated " +
                              r_.framework.last_updated;
    const std::string title = cell_text(r_.title), author = cell_text(r_.generator), comments = cell_text(stamp);
    lxw_doc_properties props{};
    props.title = const_cast<char*>(title.c_str());
    props.subject = const_cast<char*>("Competency framework report");
    props.author = const_cast<char*>(author.c_str());
    props.comments = const_cast<char*>(comments.c_str());
    check(workbook_set_properties(book_.get(), &props), "document properties");
    const std::string version = cell_text(r_.framework.version), updated = cell_text(r_.framework.last_updated),
                      name = cell_text(r_.framework.name);
    check(workbook_set_custom_property_string(book_.get(), "Framework", name.empty() ? "-" : name.c_str()), "properties");
    check(workbook_set_custom_property_string(book_.get(), "Framework version", version.empty() ? "-" : version.c_str()),
          "properties");
    check(workbook_set_custom_property_string(book_.get(), "Last updated", updated.empty() ? "-" : updated.c_str()),
          "properties");
  }

  lxw_worksheet* new_sheet(const std::string& name) {
    lxw_worksheet* ws = workbook_add_worksheet(book_.get(), name.c_str());
    if (!ws) throw invalid_argument("reports", "cannot write '" + path_ + "': invalid sheet name '" + name + "'");
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    const std::string left = "&L" + header_text(r_.title, 120);
    const std::string right = "&R" + header_text("version " + r_.framework.version + " · updated " +
                                                       r_.framework.last_updated, 100);
    check(worksheet_set_header(ws, (left + right).c_str()), "page header");
    check(worksheet_set_footer(ws, ("&L" + header_text(r_.generator, 100) + "&RPage &P of &N").c_str()), "page footer");
    return ws;
  }

  /// Title, stamp and intro lines; `span` columns wide.
  void sheet_heading(lxw_worksheet* ws, const std::string& title, const std::string& intro, lxw_col_t span,
                     double span_width) {
    put_text(ws, 0, 0, title, format({role::title}));
    check(worksheet_set_row(ws, 0, 21, nullptr), "row height");
    put_text(ws, 1, 0,
             r_.framework.name + " · version " + r_.framework.version + " · last updated " + r_.framework.last_updated,
             format({role::stamp}));
    if (!intro.empty()) {
      lxw_format* f = format({role::intro});
      const std::string text = safe_text(intro);
      if (span > 1)
        check(worksheet_merge_range(ws, 2, 0, 2, static_cast<lxw_col_t>(span - 1), text.c_str(), f), "intro");
      else
        put_text(ws, 2, 0, intro, f);
      const double lines = static_cast<double>(wrapped_lines(text, std::max(span_width, 60.0)));
      check(worksheet_set_row(ws, 2, std::min(max_row_height, line_height * lines), nullptr), "row height");
    }
  }

  /// A section without tables: its heading, intro and notes.
  void write_text_sheet(const section& s, const std::string& name) {
    lxw_worksheet* ws = new_sheet(name);
    std::string intro;
    for (const std::string& p : detail::paragraphs(s.intro)) intro += (intro.empty() ? "" : "\n") + p;
    sheet_heading(ws, s.title, intro, 8, 100);
    write_notes(ws, s, header_row);
  }

  void write_sheet(const section& s, const table& t, bool first_of_section, const std::string& name) {
    lxw_worksheet* ws = new_sheet(name);
    const std::size_t ncols = t.columns.size();

    // Column widths: the hint, or the longest text (header included), within 6-60.
    std::vector<double> widths(ncols);
    std::vector<bool> wrap(ncols, false);
    for (std::size_t c = 0; c < ncols; ++c) {
      const column& col = t.columns[c];
      std::size_t longest = 0;
      for (const auto& row : t.rows) longest = std::max(longest, detail::char_count(detail::display_text(col, row[c])));
      const double measured = std::clamp(static_cast<double>(longest) + 2, 6.0, 60.0);
      widths[c] = col.width > 0 ? std::clamp(static_cast<double>(col.width), 4.0, 120.0) : measured;
      // Headers wrap on their own; a level column is as wide as its labels.
      if (col.kind == column_kind::level) widths[c] = std::max(widths[c], std::min(static_cast<double>(longest) + 2, 30.0));
      wrap[c] = col.kind == column_kind::text && static_cast<double>(longest) + 1 > widths[c];
      check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), widths[c], nullptr),
            "column width");
    }
    double total_width = 0;
    for (double w : widths) total_width += w;

    std::string intro;
    if (first_of_section)
      for (const std::string& p : detail::paragraphs(s.intro)) intro += (intro.empty() ? "" : "\n") + p;
    if (!t.caption.empty()) intro += (intro.empty() ? "" : "\n") + t.caption;
    sheet_heading(ws, first_of_section ? s.title : s.title + ": " + t.title, intro,
                  static_cast<lxw_col_t>(std::min<std::size_t>(ncols, 12)), total_width);

    // Header row.
    double header_lines = 1;
    for (std::size_t c = 0; c < ncols; ++c) {
      const column& col = t.columns[c];
      format_key key{role::header, col.kind, col.digits, col.level.value_or(0)};
      put_text(ws, header_row, static_cast<lxw_col_t>(c), col.title, format(key));
      header_lines = std::max(header_lines, static_cast<double>(wrapped_lines(col.title, widths[c])));
    }
    check(worksheet_set_row(ws, header_row, line_height * header_lines + 3, nullptr), "row height");

    // Body, with a separator row above each group.
    lxw_row_t row = header_row + 1;
    std::size_t next_group = 0;
    const auto key_column = std::find_if(t.columns.begin(), t.columns.end(), [](const column& c) { return c.group_key; });
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      while (next_group < t.groups.size() && t.groups[next_group].first_row == r) {
        lxw_format* f = format({role::group});
        for (std::size_t c = 0; c < ncols; ++c) check(worksheet_write_blank(ws, row, static_cast<lxw_col_t>(c), f), "group row");
        put_text(ws, row, 0, t.groups[next_group].title, f);
        if (key_column != t.columns.end() && key_column != t.columns.begin())
          put_text(ws, row, static_cast<lxw_col_t>(key_column - t.columns.begin()), t.groups[next_group].title, f);
        check(worksheet_set_row(ws, row, line_height + 3, nullptr), "row height");
        ++row;
        ++next_group;
      }
      double lines = 1;
      for (std::size_t c = 0; c < ncols; ++c) {
        const column& col = t.columns[c];
        const cell& x = t.rows[r][c];
        const format_key key{role::body, col.kind, col.digits, x.level.value_or(0), x.emphasis, wrap[c]};
        lxw_format* f = format(key);
        const auto col_index = static_cast<lxw_col_t>(c);
        if (const auto v = x.number()) {
          check(worksheet_write_number(ws, row, col_index, *v, f), "number cell");
        } else if (const std::string* text = x.text()) {
          put_text(ws, row, col_index, *text, f);
          if (wrap[c]) lines = std::max(lines, static_cast<double>(wrapped_lines(*text, widths[c])));
        } else {
          check(worksheet_write_blank(ws, row, col_index, f), "blank cell");
        }
      }
      if (lines > 1) check(worksheet_set_row(ws, row, std::min(max_row_height, line_height * lines), nullptr), "row height");
      ++row;
    }
    const lxw_row_t last_row = row - 1;

    if (t.rows.empty()) {
      put_text(ws, row, 0, t.empty_text.empty() ? std::string("No rows.") : t.empty_text, format({role::empty}));
      ++row;
    } else {
      check(worksheet_autofilter(ws, header_row, 0, last_row, static_cast<lxw_col_t>(ncols - 1)), "autofilter");
    }
    worksheet_freeze_panes(ws, header_row + 1, static_cast<lxw_col_t>(t.frozen_columns));
    check(worksheet_repeat_rows(ws, header_row, header_row), "print titles");
    if (first_of_section) write_notes(ws, s, row + 1);
  }

  void write_notes(lxw_worksheet* ws, const section& s, lxw_row_t row) {
    for (const std::string& note : s.notes) put_text(ws, row++, 0, note, format({role::note}));
  }

  const report& r_;
  std::string path_;
  detail::open_workbook book_;
  std::map<format_key, lxw_format*> formats_;
};

}  // namespace

namespace detail {

void write_xlsx_to(const report& r, const std::string& file, const std::string& shown_path) {
  validate(r);
  // libxlsxwriter reports a file it cannot create on stderr before failing;
  // finding out first keeps the CLI's output to the one calibra message.
  if (!std::ofstream(file, std::ios::binary | std::ios::trunc))
    throw invalid_argument("reports", "cannot write '" + shown_path + "': cannot create a file in that directory");
  xlsx_book book(r, file, shown_path);
  book.write();
  book.close();
}

}  // namespace detail

void write_xlsx(const report& r, const std::string& path) {
  validate(r);
  const fs::path target(path);
  if (target.filename().empty()) throw invalid_argument("reports", "'" + path + "' is not a file name");
  static std::atomic<unsigned long> counter{0};
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + "." +
                                                     std::to_string(::getpid()) + "." + std::to_string(++counter) +
                                                     ".xlsx.tmp");
  auto discard = [&] {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  };
  try {
    detail::write_xlsx_to(r, temporary.string(), path);
  } catch (...) {
    discard();
    throw;
  }
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    discard();
    throw invalid_argument("reports", "cannot write '" + path + "': it is a directory");
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    discard();
    throw invalid_argument("reports", "cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace calibra::reports
