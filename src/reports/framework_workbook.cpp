// The framework workbook (framework_workbook.hpp), laid out from the tables
// of src/io/framework_workbook.hpp with libxlsxwriter.
//
// Text is written as text cells, never as formulas.  Scale levels take the
// report's colour ramp: the Scale rows, the Anchors headers, and the Targets
// and Promotion gaps cells, where conditional formats keep the colour right
// when a level is edited.  Drop-down lists (data validation) offer the
// level ids, quadrants, scopes, autonomies and tracks.  The document
// properties carry a fixed date (the framework's last-updated date), so the
// same framework always gives the same workbook.
#include <calibra/reports/document.hpp>
#include <calibra/reports/framework_workbook.hpp>

#include "../io/framework_workbook.hpp"

#include <calibra/error.hpp>

#include "open_workbook.hpp"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>

namespace calibra::reports {
namespace {

namespace fs = std::filesystem;
namespace wb = ::calibra::detail::workbook;

lxw_color_t colour(rgb c) { return c.packed() == 0 ? static_cast<lxw_color_t>(LXW_COLOR_BLACK) : c.packed(); }

/// Characters XML 1.0 cannot hold are dropped (tab, CR and LF stay).
std::string clean(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
  return out;
}

/// "Scale" or "'Career levels'" for a formula.
std::string sheet_ref(const std::string& name) {
  return name.find(' ') == std::string::npos ? name : "'" + name + "'";
}

/// Midnight UTC of a YYYY-MM-DD date (the framework's last update).
std::time_t fixed_time(const std::string& date) {
  std::tm tm{};
  if (date.size() != 10 || !is_calendar_date(date)) return 0;
  tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(date.substr(8, 2));
  return timegm(&tm);
}

class framework_book {
 public:
  framework_book(const framework& fw, const std::string& file, std::string shown)
      : fw_(fw), path_(shown), palette_(level_palette(fw.scale().size())), book_(file, shown) {}

  void write() {
    const auto& m = fw_.metadata();
    const std::string title = clean(m.name), comments = clean("version " + m.version + ", last updated " + m.last_updated);
    lxw_doc_properties props{};
    props.title = const_cast<char*>(title.c_str());
    props.subject = const_cast<char*>("Competency framework (calibra-framework/1)");
    props.comments = const_cast<char*>(comments.c_str());
    props.created = fixed_time(m.last_updated);
    check(workbook_set_properties(book_.get(), &props), "document properties");

    header_ = workbook_add_format(book_.get());
    format_set_bold(header_);
    format_set_pattern(header_, LXW_PATTERN_SOLID);
    format_set_bg_color(header_, 0xE4E9EE);
    format_set_bottom(header_, LXW_BORDER_THIN);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    computed_header_ = workbook_add_format(book_.get());
    format_set_bold(computed_header_);
    format_set_italic(computed_header_);
    format_set_pattern(computed_header_, LXW_PATTERN_SOLID);
    format_set_bg_color(computed_header_, 0xF3F4F6);
    body_ = workbook_add_format(book_.get());
    format_set_text_wrap(body_);
    format_set_align(body_, LXW_ALIGN_VERTICAL_TOP);
    for (std::size_t l = 0; l < palette_.size(); ++l) {
      lxw_format* f = workbook_add_format(book_.get());
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, colour(palette_[l]));
      format_set_font_color(f, colour(readable_text_on(palette_[l])));
      format_set_text_wrap(f);
      format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
      level_fill_.push_back(f);
      lxw_format* bold = workbook_add_format(book_.get());
      format_set_bold(bold);
      format_set_pattern(bold, LXW_PATTERN_SOLID);
      format_set_bg_color(bold, colour(palette_[l]));
      format_set_font_color(bold, colour(readable_text_on(palette_[l])));
      format_set_text_wrap(bold);
      format_set_align(bold, LXW_ALIGN_VERTICAL_TOP);
      level_header_.push_back(bold);
    }

    for (const wb::table& t : wb::framework_tables(fw_)) write_table(t);
  }

  void close() { book_.close(); }

 private:
  void check(lxw_error status, const std::string& what) { book_.check(status, what); }

  void put(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, const wb::value& v, lxw_format* f) {
    switch (v.what) {
      case wb::value::kind::empty: check(worksheet_write_blank(ws, row, col, f), "blank cell"); break;
      case wb::value::kind::number: check(worksheet_write_number(ws, row, col, v.number, f), "number cell"); break;
      case wb::value::kind::boolean: check(worksheet_write_boolean(ws, row, col, v.flag ? 1 : 0, f), "boolean cell"); break;
      case wb::value::kind::text: {
        const std::string text = clean(v.text);
        if (text.empty()) check(worksheet_write_blank(ws, row, col, f), "blank cell");
        else check(worksheet_write_string(ws, row, col, text.c_str(), f), "text cell");
        break;
      }
    }
  }

  /// A drop-down list over a column of another sheet, for rows 2..1000.
  void list_from(lxw_worksheet* ws, lxw_col_t col, const std::string& sheet, std::size_t items, lxw_col_t first = 0,
                 lxw_col_t last = 0) {
    if (items == 0) return;
    lxw_data_validation v{};
    v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    const std::string formula = "=" + sheet_ref(sheet) + "!$A$2:$A$" + std::to_string(items + 1);
    v.value_formula = const_cast<char*>(formula.c_str());
    v.ignore_blank = LXW_VALIDATION_ON;
    v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    check(worksheet_data_validation_range(ws, 1, last == 0 ? col : first, 1000, last == 0 ? col : last, &v),
          "drop-down list");
  }

  void list_of(lxw_worksheet* ws, lxw_col_t col, std::vector<const char*> values) {
    values.push_back(nullptr);
    lxw_data_validation v{};
    v.validate = LXW_VALIDATION_TYPE_LIST;
    v.value_list = const_cast<char**>(values.data());
    v.ignore_blank = LXW_VALIDATION_ON;
    v.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    check(worksheet_data_validation_range(ws, 1, col, 1000, col, &v), "drop-down list");
  }

  /// Colours every cell of the range equal to a level id with that level's fill.
  void level_colours(lxw_worksheet* ws, lxw_row_t last_row, lxw_col_t first, lxw_col_t last) {
    const auto& levels = fw_.scale().levels();
    for (std::size_t l = 0; l < levels.size(); ++l) {
      std::string quoted = "\"";
      for (char c : clean(levels[l].id)) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += "\"";
      if (quoted.size() > 255) continue;
      lxw_conditional_format cf{};
      cf.type = LXW_CONDITIONAL_TYPE_CELL;
      cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
      cf.value_string = const_cast<char*>(quoted.c_str());
      cf.format = level_fill_[l];
      check(worksheet_conditional_format_range(ws, 1, first, std::max<lxw_row_t>(last_row, 1), last, &cf),
            "level colours");
    }
  }

  void write_table(const wb::table& t) {
    lxw_worksheet* ws = workbook_add_worksheet(book_.get(), t.sheet.c_str());
    if (!ws) throw invalid_argument("reports", "cannot write '" + path_ + "': sheet '" + t.sheet + "'");
    const std::size_t ncols = t.header.size();
    const auto& levels = fw_.scale().levels();

    // Header row.
    for (std::size_t c = 0; c < ncols; ++c) {
      lxw_format* f = t.computed ? computed_header_ : header_;
      if (t.colours == wb::colouring::level_columns && c > 0 && c - 1 < level_header_.size()) f = level_header_[c - 1];
      put(ws, 0, static_cast<lxw_col_t>(c), wb::value::of(t.header[c]), f);
    }

    // Body.
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      lxw_format* row_format = body_;
      if (t.colours == wb::colouring::scale_rows && r < level_fill_.size()) row_format = level_fill_[r];
      for (std::size_t c = 0; c < t.rows[r].size(); ++c)
        put(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), t.rows[r][c], row_format);
    }

    // Widths: the longest line of a column, within 8-60 characters.
    for (std::size_t c = 0; c < ncols; ++c) {
      std::size_t longest = t.header[c].size();
      for (const auto& row : t.rows)
        if (c < row.size() && row[c].what == wb::value::kind::text) longest = std::max(longest, row[c].text.size());
      double width = std::clamp(static_cast<double>(longest) + 2, 8.0, 60.0);
      if (c == 0 && t.first_column_width > 0) width = t.first_column_width;
      check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width, nullptr), "width");
    }
    worksheet_freeze_panes(ws, 1, t.sheet == wb::sheets::framework ? 0 : 1);

    const auto last_row = static_cast<lxw_row_t>(std::max<std::size_t>(t.rows.size(), 1) + 200);
    const auto last_col = static_cast<lxw_col_t>(ncols - 1);
    if (t.sheet == wb::sheets::scale) {
      list_of(ws, 3, {"task", "feature", "product-area", "multiple-areas", "organisation", "company"});
      list_of(ws, 4, {"guided", "independent", "leads-others", "sets-direction"});
    } else if (t.sheet == wb::sheets::competencies) {
      list_of(ws, 3, {"tactical-internal", "tactical-external", "strategic-internal", "strategic-external"});
      list_from(ws, 6, wb::sheets::areas, fw_.areas().size());
      list_of(ws, 7, {"TRUE", "FALSE"});
    } else if (t.sheet == wb::sheets::career_levels) {
      list_of(ws, 2, {"ic", "manager"});
    } else if (t.sheet == wb::sheets::steps) {
      list_from(ws, 0, wb::sheets::career_levels, fw_.ladder().size(), 0, 1);
    } else if (t.sheet == wb::sheets::actions || t.sheet == wb::sheets::anchors) {
      list_from(ws, 0, wb::sheets::competencies, fw_.competencies().size());
    } else if (t.sheet == wb::sheets::targets) {
      list_from(ws, 0, wb::sheets::competencies, fw_.competencies().size());
      if (ncols > 1) {
        list_from(ws, 1, wb::sheets::scale, levels.size(), 1, last_col);
        level_colours(ws, last_row, 1, last_col);
      }
    } else if (t.sheet == wb::sheets::archetype_competencies) {
      list_from(ws, 0, wb::sheets::archetypes, fw_.archetypes().size());
      list_of(ws, 1, {"strong", "growth"});
      list_from(ws, 2, wb::sheets::competencies, fw_.competencies().size());
    } else if (t.colours == wb::colouring::gap_levels) {
      level_colours(ws, last_row, 3, 4);
    }
    if (t.computed) {
      const std::string note =
          "Computed from the Targets sheet for reading; calibra framework import ignores this sheet.";
      check(worksheet_write_string(ws, static_cast<lxw_row_t>(t.rows.size() + 2), 0, note.c_str(), computed_header_),
            "note");
    }
  }

  const framework& fw_;
  std::string path_;
  std::vector<rgb> palette_;
  detail::open_workbook book_;
  lxw_format* header_ = nullptr;
  lxw_format* computed_header_ = nullptr;
  lxw_format* body_ = nullptr;
  std::vector<lxw_format*> level_fill_, level_header_;
};

/// The ratings template (write_ratings_template).
class template_book {
 public:
  template_book(const framework& fw, const std::string& file, const std::string& shown)
      : fw_(fw), path_(shown), book_(file, shown) {}

  void write() {
    lxw_doc_properties props{};
    const std::string title = clean("Ratings template for " + fw_.metadata().name);
    props.title = const_cast<char*>(title.c_str());
    props.created = fixed_time(fw_.metadata().last_updated);
    check(workbook_set_properties(book_.get(), &props), "document properties");
    lxw_format* header = workbook_add_format(book_.get());
    format_set_bold(header);
    format_set_pattern(header, LXW_PATTERN_SOLID);
    format_set_bg_color(header, 0xE4E9EE);
    format_set_bottom(header, LXW_BORDER_THIN);

    const auto& columns = ratings_template_columns();
    lxw_worksheet* ratings = workbook_add_worksheet(book_.get(), "Ratings");
    lxw_worksheet* lists = workbook_add_worksheet(book_.get(), "Lists");
    lxw_worksheet* readme = workbook_add_worksheet(book_.get(), "Read me");
    for (std::size_t c = 0; c < columns.size(); ++c) {
      check(worksheet_write_string(ratings, 0, static_cast<lxw_col_t>(c), columns[c].c_str(), header), "header");
      check(worksheet_set_column(ratings, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                 columns[c] == "evidence" ? 50 : 22, nullptr), "width");
    }
    worksheet_freeze_panes(ratings, 1, 0);

    const char* list_header[] = {"competency", "competency name", "level", "level label", "role", "career_level",
                                 "career level name"};
    for (lxw_col_t c = 0; c < 7; ++c) {
      check(worksheet_write_string(lists, 0, c, list_header[c], header), "header");
      check(worksheet_set_column(lists, c, c, c == 1 ? 34 : 20, nullptr), "width");
    }
    const auto& comps = fw_.competencies();
    const auto& levels = fw_.scale().levels();
    for (std::size_t i = 0; i < comps.size(); ++i) {
      put(lists, i + 1, 0, comps[i].id);
      put(lists, i + 1, 1, comps[i].name);
    }
    for (std::size_t i = 0; i < levels.size(); ++i) {
      put(lists, i + 1, 2, levels[i].id);
      put(lists, i + 1, 3, levels[i].label);
    }
    const char* roles[] = {"manager", "self", "peer", "skip-level", "panel", "external"};
    for (std::size_t i = 0; i < 6; ++i) put(lists, i + 1, 4, roles[i]);
    const auto& careers = fw_.ladder().career_levels();
    for (std::size_t i = 0; i < careers.size(); ++i) {
      put(lists, i + 1, 5, careers[i].id);
      put(lists, i + 1, 6, careers[i].name);
    }

    const auto column_of = [&](const char* name) {
      return static_cast<lxw_col_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
    };
    validate(ratings, column_of("role"), "=Lists!$E$2:$E$7", "role", "manager, self, peer, skip-level, panel or external");
    validate(ratings, column_of("competency"), "=Lists!$A$2:$A$" + std::to_string(comps.size() + 1), "competency",
             "a competency id from the Lists sheet");
    validate(ratings, column_of("level"), "=Lists!$C$2:$C$" + std::to_string(levels.size() + 1), "level",
             "a level id from the Lists sheet");
    validate(ratings, column_of("career_level"), "=Lists!$F$2:$F$" + std::to_string(careers.size() + 1),
             "career level", "the ratee's career level id from the Lists sheet (optional)");

    const std::vector<std::string> lines{
        "Ratings template for " + fw_.metadata().name + " (version " + fw_.metadata().version + ")",
        "",
        "One rating per row on the Ratings sheet: who was rated (ratee), who rated (rater), how the rater stands "
        "to the ratee (role), the competency id, the level id, and the period (e.g. 2026Q3). The ratee's career "
        "level is optional, and so is the evidence, free text saying what the rater saw.",
        "The role, competency and level cells offer drop-down lists; the Lists sheet shows the competency names "
        "and level labels behind the ids.",
        "Save the filled workbook and run: calibra calibrate ratings-template.xlsx --framework framework.json "
        "(calibra reads the Ratings sheet; a CSV copy of it works as well)"};
    check(worksheet_set_column(readme, 0, 0, 110, nullptr), "width");
    for (std::size_t i = 0; i < lines.size(); ++i) put(readme, i, 0, lines[i]);
  }

  void close() { book_.close(); }

 private:
  void check(lxw_error status, const std::string& what) { book_.check(status, what); }
  void put(lxw_worksheet* ws, std::size_t row, lxw_col_t col, const std::string& text) {
    const std::string t = clean(text);
    if (!t.empty()) check(worksheet_write_string(ws, static_cast<lxw_row_t>(row), col, t.c_str(), nullptr), "cell");
  }
  void validate(lxw_worksheet* ws, lxw_col_t col, const std::string& formula, const char* title, const std::string& message) {
    lxw_data_validation v{};
    v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    v.value_formula = const_cast<char*>(formula.c_str());
    v.ignore_blank = LXW_VALIDATION_ON;
    v.error_title = const_cast<char*>(title);
    const std::string text = "Expected " + message + ".";
    v.error_message = const_cast<char*>(text.c_str());
    check(worksheet_data_validation_range(ws, 1, col, 10000, col, &v), "drop-down list");
  }

  const framework& fw_;
  std::string path_;
  detail::open_workbook book_;
};

/// Writes a workbook through a temporary file next to `path`.
template <typename Book>
void write_atomically(const framework& fw, const std::string& path) {
  const fs::path target(path);
  if (target.filename().empty()) throw invalid_argument("reports", "'" + path + "' is not a file name");
  std::error_code ec;
  if (fs::is_directory(target, ec)) throw invalid_argument("reports", "cannot write '" + path + "': it is a directory");
  static std::atomic<unsigned long> counter{0};
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + "." + std::to_string(::getpid()) +
                                                     "." + std::to_string(++counter) + ".xlsx.tmp");
  auto discard = [&] {
    std::error_code ignored;
    fs::remove(temporary, ignored);
  };
  try {
    if (!std::ofstream(temporary, std::ios::binary | std::ios::trunc))
      throw invalid_argument("reports", "cannot write '" + path + "': cannot create a file in that directory");
    Book book(fw, temporary.string(), path);
    book.write();
    book.close();
  } catch (...) {
    discard();
    throw;
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    discard();
    throw invalid_argument("reports", "cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace

const std::vector<std::string>& ratings_template_columns() {
  static const std::vector<std::string> columns{"ratee", "rater", "role", "competency", "level", "period", "career_level", "evidence"};
  return columns;
}

void write_ratings_template(const framework& fw, const std::string& path) { write_atomically<template_book>(fw, path); }

void write_framework_workbook(const framework& fw, const std::string& path) { write_atomically<framework_book>(fw, path); }

}  // namespace calibra::reports
