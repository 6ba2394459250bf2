#include "svg_charts.hpp"

#include "render_text.hpp"

#include <calibra/reports/escape.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <variant>
#include <vector>

namespace calibra::reports::detail {
namespace {

constexpr double chart_width = 760;
constexpr double char_width = 6.6;  // average advance of the 12px system sans-serif
constexpr const char* axis_colour = "#5c6670";
constexpr const char* grid_colour = "#e3e7eb";
constexpr const char* neutral_colour = "#4e79a7";
constexpr const char* accent_colour = "#c0392b";

/// Okabe-Ito: distinguishable for the common colour-vision deficiencies.
constexpr const char* series_colours[] = {"#0072b2", "#e69f00", "#009e73", "#cc79a7",
                                          "#56b4e9", "#d55e00", "#f0e442", "#000000"};

std::string num(double v) { return fixed(v, 1); }

/// Evenly spaced "nice" tick values (steps of 1, 2, 2.5 or 5 times a power
/// of ten) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 5) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * magnitude + 1e-12) {
      step = m * magnitude;
      break;
    }
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  return ticks;
}

std::string tick_label(double v) {
  std::string s = fixed(v, 2);
  while (s.back() == '0') s.pop_back();  // fixed() always prints a decimal point here
  if (s.back() == '.') s.pop_back();
  return s;
}

struct linear_scale {
  double lo, hi, px_lo, px_hi;
  double operator()(double v) const {
    const double t = (std::clamp(v, lo, hi) - lo) / (hi - lo);
    return px_lo + t * (px_hi - px_lo);
  }
};

/// The value range of an axis: the data (and any fixed ends or reference
/// values), widened to nice ticks.
std::pair<double, double> axis_range(std::vector<double> values, std::optional<double> fixed_min,
                                     std::optional<double> fixed_max) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (fixed_min) lo = *fixed_min;
  if (fixed_max) hi = *fixed_max;
  if (!(hi > lo)) hi = lo + 1;
  const auto ticks = nice_ticks(lo, hi);
  const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : 1;
  if (!fixed_min) lo = std::floor(lo / step) * step;
  if (!fixed_max) hi = std::ceil(hi / step) * step;
  return {lo, hi};
}

std::string open_svg(std::ostringstream& svg, const std::string& id, const std::string& title, double height) {
  svg << "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " << num(chart_width)
      << ' ' << num(height) << "\" width=\"" << num(chart_width) << "\" height=\"" << num(height)
      << "\" aria-labelledby=\"" << escape_html(id) << "-title\">"
      << "<title id=\"" << escape_html(id) << "-title\">" << escape_html(title) << "</title>";
  return {};
}

double label_width(const std::vector<std::string>& labels, double cap) {
  std::size_t longest = 0;
  for (const auto& l : labels) longest = std::max(longest, char_count(l));
  // Labels may be bold (emphasised), which runs wider than the average advance.
  return std::min(cap, 20 + 1.1 * char_width * static_cast<double>(longest));
}

/// Shortens a label to fit `width` pixels, with an ellipsis.
std::string fit(const std::string& label, double width) {
  const auto max_chars = static_cast<std::size_t>(std::max(4.0, width / char_width));
  if (char_count(label) <= max_chars) return label;
  return first_chars(label, max_chars - 1) + "…";
}

void x_axis(std::ostringstream& svg, const linear_scale& x, const std::vector<double>& ticks, double top, double bottom,
            const std::string& label) {
  for (double t : ticks) {
    const double px = x(t);
    svg << "<line x1=\"" << num(px) << "\" y1=\"" << num(top) << "\" x2=\"" << num(px) << "\" y2=\"" << num(bottom)
        << "\" stroke=\"" << grid_colour << "\"/>";
    svg << "<text x=\"" << num(px) << "\" y=\"" << num(bottom + 14) << "\" text-anchor=\"middle\" class=\"tick\">"
        << escape_html(tick_label(t)) << "</text>";
  }
  svg << "<line x1=\"" << num(x.px_lo) << "\" y1=\"" << num(bottom) << "\" x2=\"" << num(x.px_hi) << "\" y2=\""
      << num(bottom) << "\" stroke=\"" << axis_colour << "\"/>";
  if (!label.empty())
    svg << "<text x=\"" << num((x.px_lo + x.px_hi) / 2) << "\" y=\"" << num(bottom + 30)
        << "\" text-anchor=\"middle\" class=\"axis-label\">" << escape_html(label) << "</text>";
}

std::string bar_svg(const bar_chart& c, const report& r) {
  std::vector<std::string> labels;
  std::vector<double> values{0};
  for (const bar& b : c.bars) {
    labels.push_back(b.label);
    values.push_back(b.value);
  }
  for (double v : c.reference_lines) values.push_back(v);
  const auto [lo, hi] = axis_range(values, c.min, c.max);
  const double left = label_width(labels, 300), right = chart_width - 56, row = 24, top = 12;
  const double bottom = top + row * static_cast<double>(std::max<std::size_t>(c.bars.size(), 1));
  const linear_scale x{lo, hi, left, right};
  std::ostringstream svg;
  open_svg(svg, c.id, c.title, bottom + 40);
  x_axis(svg, x, nice_ticks(lo, hi), top, bottom, c.value_label);
  const double zero = x(std::clamp(0.0, lo, hi));
  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    const bar& b = c.bars[i];
    const double y = top + row * static_cast<double>(i);
    svg << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y + row / 2 + 4) << "\" text-anchor=\"end\""
        << (b.emphasis ? " class=\"label em\"" : " class=\"label\"") << '>' << escape_html(fit(b.label, left - 12))
        << "</text>";
    if (!std::isfinite(b.value)) continue;
    const double end = x(b.value);
    std::string fill = neutral_colour, stroke = "none";
    if (b.level) {
      fill = style_of_level(r, *b.level).fill.hex();
      stroke = axis_colour;
    }
    if (b.emphasis) fill = accent_colour, stroke = "none";
    svg << "<rect x=\"" << num(std::min(zero, end)) << "\" y=\"" << num(y + 4) << "\" width=\""
        << num(std::max(std::abs(end - zero), 1.0)) << "\" height=\"" << num(row - 8) << "\" fill=\"" << fill
        << "\" stroke=\"" << stroke << "\"><title>" << escape_html(b.label + ": " + tick_label(b.value))
        << "</title></rect>";
    svg << "<text x=\"" << num(std::max(zero, end) + 4) << "\" y=\"" << num(y + row / 2 + 4)
        << "\" class=\"value\">" << escape_html(tick_label(b.value)) << "</text>";
  }
  for (double ref : c.reference_lines) {
    const double px = x(ref);
    svg << "<line x1=\"" << num(px) << "\" y1=\"" << num(top - 4) << "\" x2=\"" << num(px) << "\" y2=\""
        << num(bottom) << "\" stroke=\"" << axis_colour << "\" stroke-dasharray=\"4 3\"/>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string forest_svg(const forest_plot& c) {
  std::vector<std::string> labels;
  std::vector<double> values{c.reference};
  for (const interval& i : c.rows) {
    labels.push_back(i.label);
    values.insert(values.end(), {i.estimate, i.low, i.high});
  }
  const auto [lo, hi] = axis_range(values, std::nullopt, std::nullopt);
  const double left = label_width(labels, 260), right = chart_width - 150, row = 22, top = 12;
  const double bottom = top + row * static_cast<double>(std::max<std::size_t>(c.rows.size(), 1));
  const linear_scale x{lo, hi, left, right};
  std::ostringstream svg;
  open_svg(svg, c.id, c.title, bottom + 40);
  x_axis(svg, x, nice_ticks(lo, hi), top, bottom, c.value_label);
  const double ref = x(c.reference);
  svg << "<line x1=\"" << num(ref) << "\" y1=\"" << num(top - 4) << "\" x2=\"" << num(ref) << "\" y2=\""
      << num(bottom) << "\" stroke=\"" << axis_colour << "\" stroke-dasharray=\"4 3\"/>";
  for (std::size_t k = 0; k < c.rows.size(); ++k) {
    const interval& i = c.rows[k];
    const double y = top + row * static_cast<double>(k) + row / 2;
    const char* colour = i.emphasis ? accent_colour : neutral_colour;
    svg << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\""
        << (i.emphasis ? " class=\"label em\"" : " class=\"label\"") << '>' << escape_html(fit(i.label, left - 12))
        << "</text>";
    if (std::isfinite(i.low) && std::isfinite(i.high)) {
      svg << "<line x1=\"" << num(x(i.low)) << "\" y1=\"" << num(y) << "\" x2=\"" << num(x(i.high)) << "\" y2=\""
          << num(y) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/>";
      for (double end : {i.low, i.high})
        svg << "<line x1=\"" << num(x(end)) << "\" y1=\"" << num(y - 5) << "\" x2=\"" << num(x(end)) << "\" y2=\""
            << num(y + 5) << "\" stroke=\"" << colour << "\" stroke-width=\"2\"/>";
    }
    if (std::isfinite(i.estimate)) {
      svg << "<circle cx=\"" << num(x(i.estimate)) << "\" cy=\"" << num(y) << "\" r=\"4.5\" fill=\"" << colour
          << "\"/>";
      std::string text = fixed(i.estimate, 2);
      if (std::isfinite(i.low) && std::isfinite(i.high)) text += " [" + fixed(i.low, 2) + ", " + fixed(i.high, 2) + "]";
      svg << "<text x=\"" << num(right + 10) << "\" y=\"" << num(y + 4) << "\" class=\"value\">" << escape_html(text)
          << "</text>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

std::string line_svg(const line_chart& c) {
  std::vector<double> values;
  for (const series& s : c.lines) values.insert(values.end(), s.values.begin(), s.values.end());
  const auto [lo, hi] = axis_range(values, c.min, c.max);
  const double left = 52, right = chart_width - 20, top = 14, plot_bottom = 230;
  const std::size_t n = c.x_labels.size();
  const double band = n ? (right - left) / static_cast<double>(n) : (right - left);
  auto x_of = [&](std::size_t i) { return left + band * (static_cast<double>(i) + 0.5); };
  const linear_scale y{lo, hi, plot_bottom, top};
  const std::size_t legend_rows = (c.lines.size() + 2) / 3;
  const double height = plot_bottom + 48 + 20 * static_cast<double>(legend_rows);
  std::ostringstream svg;
  open_svg(svg, c.id, c.title, height);
  for (double t : nice_ticks(lo, hi)) {
    svg << "<line x1=\"" << num(left) << "\" y1=\"" << num(y(t)) << "\" x2=\"" << num(right) << "\" y2=\""
        << num(y(t)) << "\" stroke=\"" << grid_colour << "\"/>";
    svg << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y(t) + 4) << "\" text-anchor=\"end\" class=\"tick\">"
        << escape_html(tick_label(t)) << "</text>";
  }
  svg << "<line x1=\"" << num(left) << "\" y1=\"" << num(plot_bottom) << "\" x2=\"" << num(right) << "\" y2=\""
      << num(plot_bottom) << "\" stroke=\"" << axis_colour << "\"/>";
  if (!c.value_label.empty())
    svg << "<text transform=\"translate(14 " << num((top + plot_bottom) / 2) << ") rotate(-90)\" text-anchor=\"middle\""
        << " class=\"axis-label\">" << escape_html(c.value_label) << "</text>";
  for (std::size_t i = 0; i < n; ++i)
    svg << "<text x=\"" << num(x_of(i)) << "\" y=\"" << num(plot_bottom + 16) << "\" text-anchor=\"middle\""
        << " class=\"tick\">" << escape_html(fit(c.x_labels[i], band - 4)) << "</text>";
  for (std::size_t s = 0; s < c.lines.size(); ++s) {
    const series& line = c.lines[s];
    const char* colour = series_colours[s % std::size(series_colours)];
    const char* width = line.emphasis ? "3.5" : "2";
    std::string points;
    auto flush = [&] {
      if (!points.empty())
        svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"" << width << "\" points=\""
            << points << "\"/>";
      points.clear();
    };
    for (std::size_t i = 0; i < line.values.size() && i < n; ++i) {
      const double v = line.values[i];
      if (!std::isfinite(v)) {
        flush();
        continue;
      }
      points += (points.empty() ? "" : " ") + num(x_of(i)) + "," + num(y(v));
      svg << "<circle cx=\"" << num(x_of(i)) << "\" cy=\"" << num(y(v)) << "\" r=\"3.5\" fill=\"" << colour
          << "\"><title>" << escape_html(line.name + ", " + c.x_labels[i] + ": " + fixed(v, 2)) << "</title></circle>";
    }
    flush();
    const double lx = left + 240 * static_cast<double>(s % 3), ly = plot_bottom + 40 + 20 * static_cast<double>(s / 3);
    svg << "<line x1=\"" << num(lx) << "\" y1=\"" << num(ly - 4) << "\" x2=\"" << num(lx + 22) << "\" y2=\""
        << num(ly - 4) << "\" stroke=\"" << colour << "\" stroke-width=\"" << width << "\"/>";
    svg << "<text x=\"" << num(lx + 28) << "\" y=\"" << num(ly) << "\""
        << (line.emphasis ? " class=\"label em\"" : " class=\"label\"") << '>' << escape_html(fit(line.name, 200))
        << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string heatmap_svg(const heatmap& c, const report& r) {
  const double left = label_width(c.row_labels, 220), cell_w = 46, cell_h = 22;
  double longest_column = 0;
  for (const auto& l : c.column_labels)
    longest_column = std::max(longest_column, char_width * static_cast<double>(std::min<std::size_t>(char_count(l), 28)));
  const double top = 16 + longest_column * 0.72;  // labels rotated by -45 degrees
  const double width = std::max(chart_width, left + cell_w * static_cast<double>(c.column_labels.size()) + 40);
  const double height = top + cell_h * static_cast<double>(c.row_labels.size()) + 12;
  std::ostringstream svg;
  svg << "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " << num(width) << ' '
      << num(height) << "\" width=\"" << num(width) << "\" height=\"" << num(height) << "\" aria-labelledby=\""
      << escape_html(c.id) << "-title\"><title id=\"" << escape_html(c.id) << "-title\">" << escape_html(c.title)
      << "</title>";
  for (std::size_t j = 0; j < c.column_labels.size(); ++j) {
    const double x = left + cell_w * (static_cast<double>(j) + 0.5);
    svg << "<text transform=\"translate(" << num(x) << ' ' << num(top - 6) << ") rotate(-45)\" class=\"tick\">"
        << escape_html(fit(c.column_labels[j], 180)) << "</text>";
  }
  for (std::size_t i = 0; i < c.row_labels.size(); ++i) {
    const double y = top + cell_h * static_cast<double>(i);
    svg << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y + cell_h / 2 + 4) << "\" text-anchor=\"end\""
        << " class=\"label\">" << escape_html(fit(c.row_labels[i], left - 12)) << "</text>";
    for (std::size_t j = 0; j < c.column_labels.size() && j < c.cells[i].size(); ++j) {
      const cell& x = c.cells[i][j];
      const double cx = left + cell_w * static_cast<double>(j);
      std::string fill = "#f1f3f5", ink = "#1a1a1a";
      if (x.level) {
        fill = style_of_level(r, *x.level).fill.hex();
        ink = style_of_level(r, *x.level).text.hex();
      }
      std::string text;
      if (const auto v = x.number()) text = fixed(*v, 1);
      else if (const std::string* t = x.text()) text = fit(*t, cell_w - 4);
      svg << "<rect x=\"" << num(cx + 1) << "\" y=\"" << num(y + 1) << "\" width=\"" << num(cell_w - 2)
          << "\" height=\"" << num(cell_h - 2) << "\" fill=\"" << fill << "\""
          << (x.emphasis ? std::string(" stroke=\"") + accent_colour + "\" stroke-width=\"2\"" : std::string())
          << "><title>" << escape_html(c.row_labels[i] + " / " + c.column_labels[j] + (text.empty() ? "" : ": " + text))
          << "</title></rect>";
      if (!text.empty())
        svg << "<text x=\"" << num(cx + cell_w / 2) << "\" y=\"" << num(y + cell_h / 2 + 4)
            << "\" text-anchor=\"middle\" class=\"cell\" fill=\"" << ink << "\">" << escape_html(text) << "</text>";
    }
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace

std::string render_svg(const chart& c, const report& r) {
  if (const auto* b = std::get_if<bar_chart>(&c)) return bar_svg(*b, r);
  if (const auto* f = std::get_if<forest_plot>(&c)) return forest_svg(*f);
  if (const auto* l = std::get_if<line_chart>(&c)) return line_svg(*l);
  return heatmap_svg(std::get<heatmap>(c), r);
}

}  // namespace calibra::reports::detail
