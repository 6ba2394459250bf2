// The report document: a format-neutral description of what a report says.
// Builders fill it (framework_report.hpp, calibration_report.hpp); writers
// (write.hpp) only lay it out as XLSX, HTML, Markdown, JSON or CSV.
//
//   report ─┬─ framework_stamp   name, version, last-updated date
//           ├─ levels            the colour scale, one entry per proficiency level
//           └─ sections ─┬─ intro, notes
//                        ├─ tables ── columns, rows of cells, row groups, frozen columns
//                        └─ charts ── bar, heatmap, forest plot, line: data, not pictures
//
// One rule keeps every format equally informative: colour and emphasis only
// repeat what the text of a cell already says (a level cell holds the level's
// label; a flagged anchor also has a "needs rewrite" column), so CSV, JSON,
// Markdown and screen readers lose nothing.
#pragma once

#include <calibra/error.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace calibra::reports {

// ---- colours ----------------------------------------------------------------------

struct rgb {
  std::uint8_t r = 0, g = 0, b = 0;

  /// "#rrggbb", lowercase.
  std::string hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "#";
    for (std::uint8_t v : {r, g, b}) {
      out += digits[v >> 4];
      out += digits[v & 15];
    }
    return out;
  }
  /// 0xRRGGBB, as spreadsheet libraries take it.
  std::uint32_t packed() const { return (std::uint32_t{r} << 16) | (std::uint32_t{g} << 8) | b; }

  friend bool operator==(rgb a, rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
  friend bool operator!=(rgb a, rgb b) { return !(a == b); }
};

namespace detail {
/// WCAG relative luminance of an sRGB colour.
inline double relative_luminance(rgb c) {
  auto channel = [](std::uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}
}  // namespace detail

/// WCAG contrast ratio between two colours (1 to 21).
inline double contrast_ratio(rgb a, rgb b) {
  double la = detail::relative_luminance(a), lb = detail::relative_luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}

/// Black or white, whichever reads better on `fill`.  Pure black, not a
/// softer dark grey: on mid-blue fills such as #2c7fb8 only pure black
/// reaches the WCAG AA ratio of 4.5:1.
inline rgb readable_text_on(rgb fill) {
  const rgb black{0x00, 0x00, 0x00}, white{0xff, 0xff, 0xff};
  return contrast_ratio(fill, black) >= contrast_ratio(fill, white) ? black : white;
}

/// The level colour scale: a sequential light-to-dark ramp (ColorBrewer
/// YlGnBu, which stays ordered for colour-blind readers and in greyscale
/// print), using ColorBrewer's own n-class selection for 3 to 7 levels.
/// Other sizes take evenly spaced stops of the 7-class ramp.
inline std::vector<rgb> level_palette(std::size_t n_levels) {
  switch (n_levels) {
    case 0: return {};
    case 3: return {{0xed, 0xf8, 0xb1}, {0x7f, 0xcd, 0xbb}, {0x2c, 0x7f, 0xb8}};
    case 4: return {{0xff, 0xff, 0xcc}, {0xa1, 0xda, 0xb4}, {0x41, 0xb6, 0xc4}, {0x22, 0x5e, 0xa8}};
    case 5: return {{0xff, 0xff, 0xcc}, {0xa1, 0xda, 0xb4}, {0x41, 0xb6, 0xc4}, {0x2c, 0x7f, 0xb8}, {0x25, 0x34, 0x94}};
    case 6:
      return {{0xff, 0xff, 0xcc}, {0xc7, 0xe9, 0xb4}, {0x7f, 0xcd, 0xbb},
              {0x41, 0xb6, 0xc4}, {0x2c, 0x7f, 0xb8}, {0x25, 0x34, 0x94}};
    default: break;
  }
  static const std::vector<rgb> ramp{{0xff, 0xff, 0xcc}, {0xc7, 0xe9, 0xb4}, {0x7f, 0xcd, 0xbb}, {0x41, 0xb6, 0xc4},
                                     {0x1d, 0x91, 0xc0}, {0x22, 0x5e, 0xa8}, {0x0c, 0x2c, 0x84}};
  if (n_levels == 7) return ramp;
  std::vector<rgb> out;
  for (std::size_t i = 0; i < n_levels; ++i) {
    const std::size_t at = n_levels == 1 ? 0 : (i * (ramp.size() - 1) + (n_levels - 1) / 2) / (n_levels - 1);
    out.push_back(ramp[at]);
  }
  return out;
}

/// One step of the report's colour scale (a proficiency level).
struct level_style {
  std::string id;
  std::string label;
  std::string description;
  rgb fill;
  rgb text;  // readable on `fill`
};

// ---- tables -----------------------------------------------------------------------

/// How a column's values read.  Writers format numbers from it; the stored
/// value stays exact.
enum class column_kind {
  text,     // free text
  integer,  // a count or an ordinal
  number,   // a real number shown with `digits` decimals
  percent,  // a fraction (0.83) shown as a percentage (83%)
  level,    // a proficiency level's label; its cells carry the level ordinal
};

inline std::string_view to_string(column_kind kind) {
  switch (kind) {
    case column_kind::text: return "text";
    case column_kind::integer: return "integer";
    case column_kind::number: return "number";
    case column_kind::percent: return "percent";
    case column_kind::level: return "level";
  }
  return "?";
}

struct column {
  std::string id;     // stable machine name: JSON keys
  std::string title;  // heading a reader sees: spreadsheet, HTML, Markdown, CSV header
  column_kind kind = column_kind::text;
  int width = 0;   // width hint in characters; 0 lets the writer measure
  int digits = 2;  // decimals for number and percent columns
  /// A column that stands for one proficiency level (the anchors table): its
  /// heading takes that level's colour.
  std::optional<int> level;
  /// The column repeats its row group's title in every row, so filters and
  /// CSV keep the grouping; layouts that draw group separators may omit it.
  bool group_key = false;

  column() = default;
  column(std::string column_id, std::string column_title, column_kind column_kind_ = column_kind::text,
         int width_hint = 0)
      : id(std::move(column_id)), title(std::move(column_title)), kind(column_kind_), width(width_hint) {}

  column& with_digits(int decimals) {
    digits = decimals;
    return *this;
  }
  column& for_level(int ordinal) {
    level = ordinal;
    return *this;
  }
  column& as_group_key() {
    group_key = true;
    return *this;
  }
};

/// One table cell: a value (nothing, text or a finite number) plus
/// presentation that repeats what the value says.
///
/// The value is a small tagged pair rather than a std::variant<monostate,
/// string, double>: GCC 12 at -O2 reports false -Wmaybe-uninitialized
/// warnings on copies of such a variant once report builders are inlined,
/// and a plain string member has none of that.
class cell {
 public:
  /// 1-based ordinal into report::levels: the cell takes that level's colour.
  std::optional<int> level;
  /// Draws attention (a flagged anchor, an unmet gap, a lenient rater).
  bool emphasis = false;

  cell() = default;
  cell(std::string text) : kind_(value_kind::text), text_(std::move(text)) {}  // NOLINT: rows read as {"text", 2.5}
  cell(const char* text) : cell(std::string(text)) {}                          // NOLINT
  template <typename Number, std::enable_if_t<std::is_arithmetic_v<Number> && !std::is_same_v<Number, bool> &&
                                                  !std::is_same_v<Number, char>,
                                              int> = 0>
  cell(Number number) {  // NOLINT
    const double v = static_cast<double>(number);
    if (std::isfinite(v)) {  // NaN and infinities mean "no value"
      kind_ = value_kind::number;
      number_ = v;
    }
  }
  template <typename T>
  cell(const std::optional<T>& maybe) : cell(maybe ? cell(*maybe) : cell()) {}

  /// A level cell: the level's label as text, coloured by its ordinal.
  static cell of_level(int ordinal, std::string label) {
    cell c(std::move(label));
    c.level = ordinal;
    return c;
  }

  cell& with_level(std::optional<int> ordinal) {
    level = ordinal;
    return *this;
  }
  cell& emphasised(bool on = true) {
    emphasis = on;
    return *this;
  }

  bool empty() const { return kind_ == value_kind::empty; }
  const std::string* text() const { return kind_ == value_kind::text ? &text_ : nullptr; }
  std::optional<double> number() const {
    if (kind_ == value_kind::number) return number_;
    return std::nullopt;
  }

 private:
  enum class value_kind : unsigned char { empty, text, number };
  value_kind kind_ = value_kind::empty;
  std::string text_;
  double number_ = 0.0;
};

/// Rows from `first_row` up to the next group's first row belong together
/// (competencies of one quadrant, gaps of one step).  Writers draw a
/// separator carrying `title` above them.
struct row_group {
  std::string title;
  std::size_t first_row = 0;
};

struct table {
  std::string id;  // unique in the report; names the CSV file
  std::string title;
  std::string caption;  // one sentence under the title
  std::vector<column> columns;
  std::vector<std::vector<cell>> rows;
  std::vector<row_group> groups;  // ascending first_row
  /// Columns that stay visible while scrolling sideways (spreadsheet panes,
  /// sticky HTML columns).
  std::size_t frozen_columns = 0;
  /// Shown instead of an empty table ("No findings").
  std::string empty_text;

  table() = default;
  table(std::string table_id, std::string table_title, std::vector<column> table_columns)
      : id(std::move(table_id)), title(std::move(table_title)), columns(std::move(table_columns)) {}

  /// Appends a row; it must have one cell per column.
  table& add_row(std::vector<cell> row) {
    if (row.size() != columns.size())
      throw invalid_argument("reports", "table '" + id + "': row " + std::to_string(rows.size() + 1) + " has " +
                                            std::to_string(row.size()) + " cells, expected " +
                                            std::to_string(columns.size()));
    rows.push_back(std::move(row));
    return *this;
  }
  /// Starts a row group at the next row.
  table& begin_group(std::string group_title) {
    groups.push_back({std::move(group_title), rows.size()});
    return *this;
  }

  std::optional<std::size_t> column_index(std::string_view column_id) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i].id == column_id) return i;
    return std::nullopt;
  }
  /// The cell of `row` in the column named `column_id`.
  const cell& at(std::size_t row, std::string_view column_id) const {
    const auto col = column_index(column_id);
    if (!col) throw invalid_argument("reports", "table '" + id + "' has no column '" + std::string(column_id) + "'");
    if (row >= rows.size())
      throw invalid_argument("reports", "table '" + id + "' has no row " + std::to_string(row + 1));
    return rows[row][*col];
  }
  /// The group `row` belongs to, if the table is grouped.
  const row_group* group_of(std::size_t row) const {
    const row_group* found = nullptr;
    for (const row_group& g : groups)
      if (g.first_row <= row) found = &g;
    return found;
  }
};

// ---- charts -----------------------------------------------------------------------

struct bar {
  std::string label;
  double value = 0;
  std::optional<int> level;  // colour by level, else the neutral bar colour
  bool emphasis = false;
};

/// Horizontal bars, one per label.
struct bar_chart {
  std::string id;
  std::string title;
  std::string value_label;  // axis title
  std::vector<bar> bars;
  std::optional<double> min, max;      // axis range; default from the data (and 0)
  std::vector<double> reference_lines;  // e.g. a target or a guideline band
};

/// A grid of coloured cells (rows x columns), e.g. ratees x competencies.
struct heatmap {
  std::string id;
  std::string title;
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<cell>> cells;  // [row][column]; the level gives the colour, the value the label
};

struct interval {
  std::string label;
  double estimate = 0;
  double low = 0, high = 0;
  bool emphasis = false;
};

/// Point estimates with confidence intervals against a reference value
/// (rater severities around 0).
struct forest_plot {
  std::string id;
  std::string title;
  std::string value_label;
  std::vector<interval> rows;
  double reference = 0;
};

struct series {
  std::string name;
  std::vector<double> values;  // one per x label; NaN marks a gap
  bool emphasis = false;
};

/// One line per series over ordered categories (a rater's severity per period).
struct line_chart {
  std::string id;
  std::string title;
  std::string value_label;
  std::vector<std::string> x_labels;
  std::vector<series> lines;
  std::optional<double> min, max;
};

using chart = std::variant<bar_chart, heatmap, forest_plot, line_chart>;

inline std::string_view chart_type(const chart& c) {
  static constexpr std::string_view names[] = {"bar", "heatmap", "forest", "line"};
  return names[c.index()];
}
inline const std::string& chart_id(const chart& c) {
  return std::visit([](const auto& ch) -> const std::string& { return ch.id; }, c);
}
inline const std::string& chart_title(const chart& c) {
  return std::visit([](const auto& ch) -> const std::string& { return ch.title; }, c);
}

// ---- sections and the report --------------------------------------------------------

struct section {
  std::string id;  // unique in the report: HTML anchor, spreadsheet order
  std::string title;
  std::string intro;  // paragraphs separated by blank lines
  std::vector<table> tables;
  std::vector<chart> charts;
  std::vector<std::string> notes;  // caveats, privacy markers
};

/// What every page or sheet header repeats: which framework, which version.
struct framework_stamp {
  std::string name;
  std::string version;
  std::string last_updated;  // ISO 8601 date
};

struct report {
  std::string title;
  framework_stamp framework;
  std::vector<level_style> levels;  // ordinal i+1 is levels[i]
  std::string generator;            // "calibra 0.4.0"
  std::vector<section> sections;

  const section* find_section(std::string_view section_id) const {
    for (const section& s : sections)
      if (s.id == section_id) return &s;
    return nullptr;
  }
  const table* find_table(std::string_view table_id) const {
    for (const section& s : sections)
      for (const table& t : s.tables)
        if (t.id == table_id) return &t;
    return nullptr;
  }
};

/// A level's style for ordinal (1-based), checked.
inline const level_style& style_of_level(const report& r, int ordinal) {
  if (ordinal < 1 || static_cast<std::size_t>(ordinal) > r.levels.size())
    throw invalid_argument("reports", "level ordinal " + std::to_string(ordinal) + " is outside the report's scale 1.." +
                                          std::to_string(r.levels.size()));
  return r.levels[static_cast<std::size_t>(ordinal - 1)];
}

namespace detail {
/// Ids become file names and HTML anchors: lowercase letters, digits, '-' and '_'.
inline bool is_safe_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}
}  // namespace detail

/// Checks the document's internal consistency before any writer runs:
/// safe unique ids, one cell per column, level ordinals inside the scale,
/// ascending row groups, chart shapes.  Throws invalid_argument("reports")
/// naming the section, table or chart.
inline void validate(const report& r) {
  auto fail = [](const std::string& where, const std::string& what) {
    throw invalid_argument("reports", where + ": " + what);
  };
  auto check_level = [&](const std::optional<int>& level, const std::string& where) {
    if (level && (*level < 1 || static_cast<std::size_t>(*level) > r.levels.size()))
      fail(where, "level ordinal " + std::to_string(*level) + " is outside the report's scale 1.." +
                      std::to_string(r.levels.size()));
  };
  std::set<std::string> section_ids, table_ids, chart_ids;
  for (const section& s : r.sections) {
    const std::string at = "section '" + s.id + "'";
    if (!detail::is_safe_id(s.id)) fail(at, "an id needs 1-64 characters from a-z, 0-9, '-' and '_'");
    if (!section_ids.insert(s.id).second) fail(at, "duplicate section id");
    for (const table& t : s.tables) {
      const std::string tat = at + ", table '" + t.id + "'";
      if (!detail::is_safe_id(t.id)) fail(tat, "an id needs 1-64 characters from a-z, 0-9, '-' and '_'");
      if (!table_ids.insert(t.id).second) fail(tat, "duplicate table id (table ids name the CSV files)");
      if (t.columns.empty()) fail(tat, "a table needs at least one column");
      std::set<std::string> column_ids;
      for (const column& c : t.columns) {
        if (c.id.empty()) fail(tat, "a column has an empty id");
        if (!column_ids.insert(c.id).second) fail(tat, "duplicate column id '" + c.id + "'");
        if (c.digits < 0 || c.digits > 12) fail(tat + ", column '" + c.id + "'", "digits must be 0-12");
        check_level(c.level, tat + ", column '" + c.id + "'");
      }
      if (t.frozen_columns > t.columns.size()) fail(tat, "more frozen columns than columns");
      for (std::size_t i = 0; i < t.rows.size(); ++i) {
        if (t.rows[i].size() != t.columns.size())
          fail(tat + ", row " + std::to_string(i + 1), "has " + std::to_string(t.rows[i].size()) +
                                                           " cells, expected " + std::to_string(t.columns.size()));
        for (std::size_t c = 0; c < t.columns.size(); ++c)
          check_level(t.rows[i][c].level, tat + ", row " + std::to_string(i + 1) + ", column '" + t.columns[c].id + "'");
      }
      for (std::size_t g = 0; g < t.groups.size(); ++g) {
        if (t.groups[g].first_row > t.rows.size()) fail(tat, "row group '" + t.groups[g].title + "' starts after the last row");
        if (g > 0 && t.groups[g].first_row < t.groups[g - 1].first_row)
          fail(tat, "row groups must be in ascending row order");
      }
    }
    for (const chart& ch : s.charts) {
      const std::string cat = at + ", chart '" + chart_id(ch) + "'";
      if (!detail::is_safe_id(chart_id(ch))) fail(cat, "an id needs 1-64 characters from a-z, 0-9, '-' and '_'");
      if (!chart_ids.insert(chart_id(ch)).second) fail(cat, "duplicate chart id");
      if (const auto* b = std::get_if<bar_chart>(&ch)) {
        for (const bar& x : b->bars) check_level(x.level, cat + ", bar '" + x.label + "'");
      } else if (const auto* h = std::get_if<heatmap>(&ch)) {
        if (h->cells.size() != h->row_labels.size()) fail(cat, "one row of cells per row label expected");
        for (const auto& row : h->cells) {
          if (row.size() != h->column_labels.size()) fail(cat, "one cell per column label expected");
          for (const cell& x : row) check_level(x.level, cat);
        }
      } else if (const auto* l = std::get_if<line_chart>(&ch)) {
        for (const series& s2 : l->lines)
          if (s2.values.size() != l->x_labels.size())
            fail(cat + ", series '" + s2.name + "'", "one value per x label expected");
      } else if (const auto* f = std::get_if<forest_plot>(&ch)) {
        for (const interval& i : f->rows)
          if (std::isfinite(i.low) && std::isfinite(i.high) && i.low > i.high)
            fail(cat + ", row '" + i.label + "'", "the interval's low end is above its high end");
      }
    }
  }
}

}  // namespace calibra::reports
