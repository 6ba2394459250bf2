// Implementation of <calibra/framework/relative.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/relative.hpp>

#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <optional>
#include <string>
#include <string_view>


namespace calibra {

CALIBRA_INLINE std::string_view to_string(relative_rating r) {
switch (r) {
  case relative_rating::needs_focus: return "needs-focus";
  case relative_rating::on_track: return "on-track";
  case relative_rating::outperforming: return "outperforming";
}
  return "?";
}

CALIBRA_INLINE std::string_view label(relative_rating r) {
switch (r) {
  case relative_rating::needs_focus: return "Needs Focus";
  case relative_rating::on_track: return "On Track";
  case relative_rating::outperforming: return "Outperforming";
}
  return "?";
}

CALIBRA_INLINE std::optional<relative_rating> parse_relative_rating(std::string_view text) {
  for (auto r : {relative_rating::needs_focus, relative_rating::on_track, relative_rating::outperforming})
    if (text == to_string(r) || text == label(r)) return r;
  return std::nullopt;
}

CALIBRA_INLINE relative_rating to_relative(int level, int expectation) {
  if (level < expectation) return relative_rating::needs_focus;
  if (level == expectation) return relative_rating::on_track;
  return relative_rating::outperforming;
}

CALIBRA_INLINE int to_absolute(relative_rating r, int expectation, int scale_size) {
  if (expectation < 1 || expectation > scale_size)
    throw invalid_argument("relative", "expectation " + std::to_string(expectation) + " is outside the scale 1.." +
                                           std::to_string(scale_size));
  const int level = expectation + (r == relative_rating::needs_focus     ? -1
                                   : r == relative_rating::outperforming ? 1
                                                                         : 0);
  if (level < 1 || level > scale_size)
    throw invalid_argument("relative", "'" + std::string(label(r)) +
                                           "' has no level on this scale when the expectation is level " +
                                           std::to_string(expectation));
  return level;
}

CALIBRA_INLINE relative_rating to_relative(const framework& fw, std::string_view career_level_id,
                                   std::string_view competency_id, int level) {
  return to_relative(level, fw.expectation(career_level_id, competency_id));
}

CALIBRA_INLINE int to_absolute(const framework& fw, std::string_view career_level_id, std::string_view competency_id,
                       relative_rating r) {
  return to_absolute(r, fw.expectation(career_level_id, competency_id), static_cast<int>(fw.scale().size()));
}

}  // namespace calibra
