// The report as one JSON document (shape in docs/reports.md).  Table rows are
// flat records keyed by column id, so pandas.DataFrame(table["rows"]) works;
// colours and emphasis sit beside the rows, never inside them.
#include "render_text.hpp"
// The JSON conversions every calibra writer shares (private to the sources).
#include "../io/json_values.hpp"

#include <calibra/reports/write.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <variant>

namespace calibra::reports {
namespace {

// Insertion order: records keep the column order, the document reads top-down.
using json = nlohmann::ordered_json;
using io::detail::number;  // the one NaN-to-null conversion

json value_of(const cell& c) {
  if (const std::string* t = c.text()) return *t;
  if (const auto v = c.number()) return number(*v);
  return nullptr;
}

json table_json(const table& t) {
  json columns = json::array();
  for (const column& c : t.columns) {
    json col = {{"id", c.id}, {"title", c.title}, {"kind", std::string(to_string(c.kind))}};
    if (c.kind == column_kind::number || c.kind == column_kind::percent) col["digits"] = c.digits;
    if (c.level) col["level"] = *c.level;
    if (c.group_key) col["group_key"] = true;
    columns.push_back(std::move(col));
  }
  json rows = json::array(), levels = json::array(), emphasis = json::array();
  bool any_level = false;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    json record = json::object(), row_levels = json::object();
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const cell& x = t.rows[r][c];
      record[t.columns[c].id] = value_of(x);
      if (x.level) {
        row_levels[t.columns[c].id] = *x.level;
        any_level = true;
      }
      if (x.emphasis) emphasis.push_back({{"row", r}, {"column", t.columns[c].id}});
    }
    rows.push_back(std::move(record));
    levels.push_back(std::move(row_levels));
  }
  json groups = json::array();
  for (std::size_t g = 0; g < t.groups.size(); ++g) {
    const std::size_t end = g + 1 < t.groups.size() ? t.groups[g + 1].first_row : t.rows.size();
    groups.push_back({{"title", t.groups[g].title}, {"first_row", t.groups[g].first_row},
                      {"rows", end - t.groups[g].first_row}});
  }
  json out = {{"id", t.id}, {"title", t.title}, {"columns", columns}, {"rows", rows}};
  if (!t.caption.empty()) out["caption"] = t.caption;
  if (!t.empty_text.empty()) out["empty_text"] = t.empty_text;
  if (t.frozen_columns) out["frozen_columns"] = t.frozen_columns;
  if (!t.groups.empty()) out["groups"] = groups;
  if (any_level) out["levels"] = levels;  // parallel to rows: {column id: level ordinal}
  if (!emphasis.empty()) out["emphasis"] = emphasis;
  return out;
}

json chart_json(const chart& ch) {
  json out = {{"id", chart_id(ch)}, {"type", std::string(chart_type(ch))}, {"title", chart_title(ch)}};
  if (const auto* b = std::get_if<bar_chart>(&ch)) {
    out["value_label"] = b->value_label;
    json bars = json::array();
    for (const bar& x : b->bars) {
      json item = {{"label", x.label}, {"value", number(x.value)}};
      if (x.level) item["level"] = *x.level;
      if (x.emphasis) item["emphasis"] = true;
      bars.push_back(std::move(item));
    }
    out["bars"] = bars;
    out["min"] = number(b->min);
    out["max"] = number(b->max);
    out["reference_lines"] = b->reference_lines;
  } else if (const auto* h = std::get_if<heatmap>(&ch)) {
    out["row_labels"] = h->row_labels;
    out["column_labels"] = h->column_labels;
    json values = json::array(), levels = json::array();
    for (const auto& row : h->cells) {
      json vr = json::array(), lr = json::array();
      for (const cell& x : row) {
        vr.push_back(value_of(x));
        lr.push_back(x.level ? json(*x.level) : json(nullptr));
      }
      values.push_back(std::move(vr));
      levels.push_back(std::move(lr));
    }
    out["values"] = values;
    out["levels"] = levels;
  } else if (const auto* f = std::get_if<forest_plot>(&ch)) {
    out["value_label"] = f->value_label;
    out["reference"] = number(f->reference);
    json rows = json::array();
    for (const interval& i : f->rows) {
      json item = {{"label", i.label}, {"estimate", number(i.estimate)}, {"low", number(i.low)},
                   {"high", number(i.high)}};
      if (i.emphasis) item["emphasis"] = true;
      rows.push_back(std::move(item));
    }
    out["rows"] = rows;
  } else if (const auto* l = std::get_if<line_chart>(&ch)) {
    out["value_label"] = l->value_label;
    out["x_labels"] = l->x_labels;
    json lines = json::array();
    for (const series& s : l->lines) {
      json values = json::array();
      for (double v : s.values) values.push_back(number(v));
      json item = {{"name", s.name}, {"values", values}};
      if (s.emphasis) item["emphasis"] = true;
      lines.push_back(std::move(item));
    }
    out["lines"] = lines;
    out["min"] = number(l->min);
    out["max"] = number(l->max);
  }
  return out;
}

}  // namespace

std::string to_json(const report& r) {
  validate(r);
  json levels = json::array();
  for (std::size_t i = 0; i < r.levels.size(); ++i) {
    const level_style& l = r.levels[i];
    levels.push_back({{"ordinal", i + 1}, {"id", l.id}, {"label", l.label}, {"description", l.description},
                      {"fill", l.fill.hex()}, {"text", l.text.hex()}});
  }
  json sections = json::array();
  for (const section& s : r.sections) {
    json tables = json::array(), charts = json::array();
    for (const table& t : s.tables) tables.push_back(table_json(t));
    for (const chart& c : s.charts) charts.push_back(chart_json(c));
    sections.push_back({{"id", s.id}, {"title", s.title}, {"intro", s.intro}, {"tables", tables}, {"charts", charts},
                        {"notes", s.notes}});
  }
  const json doc = {{"format", "calibra-report"},
                    {"format_version", 1},
                    {"title", r.title},
                    {"generator", r.generator},
                    {"framework",
                     {{"name", r.framework.name},
                      {"version", r.framework.version},
                      {"last_updated", r.framework.last_updated}}},
                    {"levels", levels},
                    {"sections", sections}};
  // Invalid UTF-8 cannot come from calibra's readers; if a programmatic
  // caller passes some, it is replaced rather than failing the whole run.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace calibra::reports
