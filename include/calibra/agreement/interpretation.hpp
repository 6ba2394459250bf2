// Verbal labels for agreement coefficients.
//
// A label is a reading aid printed next to a value, never a replacement
// for it: the bands are conventions, they ignore the confidence interval,
// and the same kappa means different things for different prevalence.
//
//   value            Landis & Koch (1977)   Altman (1991)
//   below 0          poor                   poor
//   0    .. 0.20     slight                 poor
//   0.21 .. 0.40     fair                   fair
//   0.41 .. 0.60     moderate               moderate
//   0.61 .. 0.80     substantial            good
//   0.81 .. 1        almost perfect         very good
//
// The published bands are written with two decimals and leave gaps
// (0.20 .. 0.21); here each band runs up to and including its upper edge,
// so 0.205 is "fair" and 0.20 is "slight".  Edges are compared with a
// tolerance of 1e-9 so that a value computed as 0.6000000000000001 gets
// the band of 0.60.
#pragma once

#include <calibra/agreement/options.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>

namespace calibra::agreement {

enum class interpretation_scale { landis_koch, altman };

namespace detail {

inline constexpr double band_edge_tolerance = 1e-9;

/// Upper edges (inclusive) and labels; anything below 0 is the first label.
using band_table = std::array<std::pair<double, std::string_view>, 6>;

inline constexpr band_table landis_koch_bands{{{0.0, "poor"},
                                               {0.20, "slight"},
                                               {0.40, "fair"},
                                               {0.60, "moderate"},
                                               {0.80, "substantial"},
                                               {1.0, "almost perfect"}}};

inline constexpr band_table altman_bands{{{0.0, "poor"},
                                          {0.20, "poor"},
                                          {0.40, "fair"},
                                          {0.60, "moderate"},
                                          {0.80, "good"},
                                          {1.0, "very good"}}};

inline std::optional<std::string_view> band_label(double value, const band_table& bands) {
  if (std::isnan(value) || value > 1.0 + band_edge_tolerance) return std::nullopt;
  if (value < -band_edge_tolerance) return bands.front().second;  // strictly negative
  for (std::size_t i = 1; i < bands.size(); ++i)
    if (value <= bands[i].first + band_edge_tolerance) return bands[i].second;
  return bands.back().second;
}

}  // namespace detail

/// Landis & Koch (1977) label of an agreement value; empty for NaN or for a
/// value above 1 (not an agreement coefficient).
inline std::optional<std::string_view> landis_koch_label(double value) {
  return detail::band_label(value, detail::landis_koch_bands);
}

/// Altman (1991) label of an agreement value; empty for NaN or above 1.
inline std::optional<std::string_view> altman_label(double value) {
  return detail::band_label(value, detail::altman_bands);
}

inline std::optional<std::string_view> interpret(double value,
                                                 interpretation_scale scale = interpretation_scale::landis_koch) {
  return scale == interpretation_scale::altman ? altman_label(value) : landis_koch_label(value);
}

/// The label of a result's value; empty when the result has no value.
inline std::optional<std::string_view> interpret(const result& r,
                                                 interpretation_scale scale = interpretation_scale::landis_koch) {
  if (!r.value) return std::nullopt;
  return interpret(*r.value, scale);
}

}  // namespace calibra::agreement
