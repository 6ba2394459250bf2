// Implementation of <calibra/reports/document.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/reports/document.hpp>

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

CALIBRA_INLINE auto rgb::hex() const -> std::string {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "#";
  for (std::uint8_t v : {r, g, b}) {
    out += digits[v >> 4];
    out += digits[v & 15];
  }
  return out;
}

}  // namespace calibra::reports

namespace calibra::reports::detail {

CALIBRA_INLINE double relative_luminance(rgb c) {
  auto channel = [](std::uint8_t v) {
    const double s = v / 255.0;
    return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

}  // namespace calibra::reports::detail

namespace calibra::reports {

CALIBRA_INLINE double contrast_ratio(rgb a, rgb b) {
  double la = detail::relative_luminance(a), lb = detail::relative_luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
}

CALIBRA_INLINE rgb readable_text_on(rgb fill) {
  const rgb black{0x00, 0x00, 0x00}, white{0xff, 0xff, 0xff};
  return contrast_ratio(fill, black) >= contrast_ratio(fill, white) ? black : white;
}

CALIBRA_INLINE std::vector<rgb> level_palette(std::size_t n_levels) {
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

CALIBRA_INLINE std::string_view to_string(column_kind kind) {
switch (kind) {
  case column_kind::text: return "text";
  case column_kind::integer: return "integer";
  case column_kind::number: return "number";
  case column_kind::percent: return "percent";
  case column_kind::level: return "level";
}
  return "?";
}

CALIBRA_INLINE auto column::with_digits(int decimals) -> column& {
  digits = decimals;
  return *this;
}

CALIBRA_INLINE auto column::for_level(int ordinal) -> column& {
  level = ordinal;
  return *this;
}

CALIBRA_INLINE auto column::as_group_key() -> column& {
  group_key = true;
  return *this;
}

CALIBRA_INLINE auto cell::of_level(int ordinal, std::string label) -> cell {
  cell c(std::move(label));
  c.level = ordinal;
  return c;
}

CALIBRA_INLINE auto cell::with_level(std::optional<int> ordinal) -> cell& {
  level = ordinal;
  return *this;
}

CALIBRA_INLINE auto cell::emphasised(bool on) -> cell& {
  emphasis = on;
  return *this;
}

CALIBRA_INLINE auto cell::number() const -> std::optional<double> {
  if (kind_ == value_kind::number) return number_;
  return std::nullopt;
}

CALIBRA_INLINE auto table::add_row(std::vector<cell> row) -> table& {
  if (row.size() != columns.size())
    throw invalid_argument("reports", "table '" + id + "': row " + std::to_string(rows.size() + 1) + " has " +
                                          std::to_string(row.size()) + " cells, expected " +
                                          std::to_string(columns.size()));
  rows.push_back(std::move(row));
  return *this;
}

CALIBRA_INLINE auto table::begin_group(std::string group_title) -> table& {
  groups.push_back({std::move(group_title), rows.size()});
  return *this;
}

CALIBRA_INLINE auto table::column_index(std::string_view column_id) const -> std::optional<std::size_t> {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].id == column_id) return i;
  return std::nullopt;
}

CALIBRA_INLINE auto table::at(std::size_t row, std::string_view column_id) const -> const cell& {
  const auto col = column_index(column_id);
  if (!col) throw invalid_argument("reports", "table '" + id + "' has no column '" + std::string(column_id) + "'");
  if (row >= rows.size())
    throw invalid_argument("reports", "table '" + id + "' has no row " + std::to_string(row + 1));
  return rows[row][*col];
}

CALIBRA_INLINE auto table::group_of(std::size_t row) const -> const row_group* {
  const row_group* found = nullptr;
  for (const row_group& g : groups)
    if (g.first_row <= row) found = &g;
  return found;
}

CALIBRA_INLINE std::string_view chart_type(const chart& c) {
  static constexpr std::string_view names[] = {"bar", "heatmap", "forest", "line"};
  return names[c.index()];
}

CALIBRA_INLINE const std::string& chart_id(const chart& c) {
  return std::visit([](const auto& ch) -> const std::string& { return ch.id; }, c);
}

CALIBRA_INLINE const std::string& chart_title(const chart& c) {
  return std::visit([](const auto& ch) -> const std::string& { return ch.title; }, c);
}

CALIBRA_INLINE auto report::find_section(std::string_view section_id) const -> const section* {
  for (const section& s : sections)
    if (s.id == section_id) return &s;
  return nullptr;
}

CALIBRA_INLINE auto report::find_table(std::string_view table_id) const -> const table* {
  for (const section& s : sections)
    for (const table& t : s.tables)
      if (t.id == table_id) return &t;
  return nullptr;
}

CALIBRA_INLINE const level_style& style_of_level(const report& r, int ordinal) {
  if (ordinal < 1 || static_cast<std::size_t>(ordinal) > r.levels.size())
    throw invalid_argument("reports", "level ordinal " + std::to_string(ordinal) +
                                          " is outside the report's scale 1.." + std::to_string(r.levels.size()));
  return r.levels[static_cast<std::size_t>(ordinal - 1)];
}

}  // namespace calibra::reports

namespace calibra::reports::detail {

CALIBRA_INLINE bool is_safe_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace calibra::reports::detail

namespace calibra::reports {

CALIBRA_INLINE void validate(const report& r) {
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
      if (t.groups[g].first_row > t.rows.size())
        fail(tat, "row group '" + t.groups[g].title + "' starts after the last row");
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
