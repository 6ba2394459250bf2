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

#include <calibra/config.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>
#include <cmath>

namespace calibra::reports {

// ---- colours ----------------------------------------------------------------------

struct rgb {
  std::uint8_t r = 0, g = 0, b = 0;

  /// "#rrggbb", lowercase.
  std::string hex() const;
  /// 0xRRGGBB, as spreadsheet libraries take it.
  std::uint32_t packed() const { return (std::uint32_t{r} << 16) | (std::uint32_t{g} << 8) | b; }

  friend bool operator==(rgb a, rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
  friend bool operator!=(rgb a, rgb b) { return !(a == b); }
};

namespace detail {
/// WCAG relative luminance of an sRGB colour.
double relative_luminance(rgb c);
}  // namespace detail

/// WCAG contrast ratio between two colours (1 to 21).
double contrast_ratio(rgb a, rgb b);

/// Black or white, whichever reads better on `fill`.  Pure black, not a
/// softer dark grey: on mid-blue fills such as #2c7fb8 only pure black
/// reaches the WCAG AA ratio of 4.5:1.
rgb readable_text_on(rgb fill);

/// The level colour scale: a sequential light-to-dark ramp (ColorBrewer
/// YlGnBu, which stays ordered for colour-blind readers and in greyscale
/// print), using ColorBrewer's own n-class selection for 3 to 7 levels.
/// Other sizes take evenly spaced stops of the 7-class ramp.
std::vector<rgb> level_palette(std::size_t n_levels);

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

std::string_view to_string(column_kind kind);

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

  column& with_digits(int decimals);
  column& for_level(int ordinal);
  column& as_group_key();
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
  static cell of_level(int ordinal, std::string label);

  cell& with_level(std::optional<int> ordinal);
  cell& emphasised(bool on = true);

  bool empty() const { return kind_ == value_kind::empty; }
  const std::string* text() const { return kind_ == value_kind::text ? &text_ : nullptr; }
  std::optional<double> number() const;

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
  table& add_row(std::vector<cell> row);
  /// Starts a row group at the next row.
  table& begin_group(std::string group_title);

  std::optional<std::size_t> column_index(std::string_view column_id) const;
  /// The cell of `row` in the column named `column_id`.
  const cell& at(std::size_t row, std::string_view column_id) const;
  /// The group `row` belongs to, if the table is grouped.
  const row_group* group_of(std::size_t row) const;
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

std::string_view chart_type(const chart& c);
const std::string& chart_id(const chart& c);
const std::string& chart_title(const chart& c);

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

  const section* find_section(std::string_view section_id) const;
  const table* find_table(std::string_view table_id) const;
};

/// A level's style for ordinal (1-based), checked.
const level_style& style_of_level(const report& r, int ordinal);

namespace detail {
/// Ids become file names and HTML anchors: lowercase letters, digits, '-' and '_'.
bool is_safe_id(std::string_view id);
}  // namespace detail

/// Checks the document's internal consistency before any writer runs:
/// safe unique ids, one cell per column, level ordinals inside the scale,
/// ascending row groups, chart shapes.  Throws invalid_argument("reports")
/// naming the section, table or chart.
void validate(const report& r);

}  // namespace calibra::reports

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/reports/document-inl.hpp>
#endif
