// Implementation of <calibra/framework/quadrant.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/quadrant.hpp>

#include <calibra/error.hpp>

#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>


namespace calibra {

CALIBRA_INLINE std::string to_string(quadrant q) {
  return std::string(q.focus == focus::strategic ? "strategic" : "tactical") + "-" +
         (q.orientation == orientation::external ? "external" : "internal");
}

CALIBRA_INLINE std::optional<quadrant> parse_quadrant(std::string_view text) {
  for (quadrant q : all_quadrants())
    if (to_string(q) == text) return q;
  return std::nullopt;
}

CALIBRA_INLINE std::optional<quadrant> quadrant_of(grid_position p) {
  auto inside = [](double v) { return std::isfinite(v) && v >= -1.0 && v <= 1.0 && v != 0.0; };
  if (!inside(p.focus) || !inside(p.orientation)) return std::nullopt;
  return quadrant{p.focus > 0 ? focus::strategic : focus::tactical,
                  p.orientation > 0 ? orientation::external : orientation::internal};
}

}  // namespace calibra
