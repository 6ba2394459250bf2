// Implementation of <calibra/agreement/interpretation.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/interpretation.hpp>

#include <calibra/agreement/options.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>


namespace calibra::agreement {

CALIBRA_INLINE std::string_view to_string(interpretation_scale scale) {
switch (scale) {
  case interpretation_scale::landis_koch: return "Landis & Koch (1977)";
  case interpretation_scale::altman: return "Altman (1991)";
  case interpretation_scale::koo_li: return "Koo & Li (2016)";
  case interpretation_scale::krippendorff: return "Krippendorff (2004)";
}
  return "?";
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE std::optional<std::string_view> band_label(double value, const band_table& bands) {
  if (std::isnan(value) || value > 1.0 + band_edge_tolerance) return std::nullopt;
  if (value < -band_edge_tolerance) return bands.front().second;  // strictly negative
  for (std::size_t i = 1; i < bands.size(); ++i)
    if (value <= bands[i].first + band_edge_tolerance) return bands[i].second;
  return bands.back().second;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE std::optional<std::string_view> landis_koch_label(double value) {
  return detail::band_label(value, detail::landis_koch_bands);
}

CALIBRA_INLINE std::optional<std::string_view> altman_label(double value) {
  return detail::band_label(value, detail::altman_bands);
}

CALIBRA_INLINE std::optional<std::string_view> koo_li_label(double value) {
  if (std::isnan(value) || value > 1.0 + detail::band_edge_tolerance) return std::nullopt;
  if (value < 0.5 - detail::band_edge_tolerance) return "poor";
  if (value < 0.75 - detail::band_edge_tolerance) return "moderate";
  if (value <= 0.9 + detail::band_edge_tolerance) return "good";
  return "excellent";
}

CALIBRA_INLINE std::optional<std::string_view> krippendorff_label(double value) {
  if (std::isnan(value) || value > 1.0 + detail::band_edge_tolerance) return std::nullopt;
  if (value >= 0.800 - detail::band_edge_tolerance) return "reliable";
  if (value >= 0.667 - detail::band_edge_tolerance) return "tentative";
  return "unreliable";
}

CALIBRA_INLINE std::optional<std::string_view> interpret(double value,
                                                 interpretation_scale scale) {
  switch (scale) {
    case interpretation_scale::altman: return altman_label(value);
    case interpretation_scale::koo_li: return koo_li_label(value);
    case interpretation_scale::krippendorff: return krippendorff_label(value);
    case interpretation_scale::landis_koch: break;
  }
  return landis_koch_label(value);
}

CALIBRA_INLINE std::optional<interpretation> interpret(const result& r,
                                               interpretation_scale kappa_scale) {
  if (!r.value) return std::nullopt;
  interpretation_scale scale = kappa_scale;
  switch (r.stat) {
    case statistic::percent:
    case statistic::unanimous:
    case statistic::within: return std::nullopt;
    case statistic::icc: scale = interpretation_scale::koo_li; break;
    case statistic::krippendorff: scale = interpretation_scale::krippendorff; break;
    default: break;
  }
  const auto label = interpret(*r.value, scale);
  if (!label) return std::nullopt;
  return interpretation{*label, scale};
}

}  // namespace calibra::agreement
