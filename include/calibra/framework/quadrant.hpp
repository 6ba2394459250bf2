// The four-quadrant competency model: focus (tactical <-> strategic) crossed
// with orientation (internal <-> external).
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace calibra {

enum class focus { tactical, strategic };
enum class orientation { internal, external };

struct quadrant {
  calibra::focus focus = focus::tactical;
  calibra::orientation orientation = orientation::internal;

  friend bool operator==(quadrant a, quadrant b) {
    return a.focus == b.focus && a.orientation == b.orientation;
  }
  friend bool operator!=(quadrant a, quadrant b) { return !(a == b); }

  bool is_strategic() const { return focus == focus::strategic; }
  bool is_tactical() const { return focus == focus::tactical; }

  /// 0..3 in the order of all_quadrants(); handy for per-quadrant arrays.
  int index() const { return (focus == focus::strategic ? 2 : 0) + (orientation == orientation::external ? 1 : 0); }
};

/// The quadrants in a fixed order: tactical-internal, tactical-external,
/// strategic-internal, strategic-external.
inline constexpr std::array<quadrant, 4> all_quadrants() {
  return {{{focus::tactical, orientation::internal},
           {focus::tactical, orientation::external},
           {focus::strategic, orientation::internal},
           {focus::strategic, orientation::external}}};
}

std::string to_string(quadrant q);

std::optional<quadrant> parse_quadrant(std::string_view text);

/// A place on the 2-D competency grid.  focus: -1 fully tactical .. +1 fully
/// strategic; orientation: -1 fully internal .. +1 fully external.
struct grid_position {
  double focus = 0;
  double orientation = 0;
};

/// The quadrant a position falls in, or nothing when the position is outside
/// [-1, 1]² or lies on an axis (a zero coordinate belongs to no quadrant).
std::optional<quadrant> quadrant_of(grid_position p);

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/quadrant-inl.hpp>
#endif
