// Implementation of <calibra/framework/scale.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/framework/scale.hpp>

#include <calibra/error.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace calibra {

CALIBRA_INLINE std::string_view to_string(scope s) { return detail::name_of(detail::scope_names, s); }

CALIBRA_INLINE std::string_view to_string(autonomy a) { return detail::name_of(detail::autonomy_names, a); }

CALIBRA_INLINE std::optional<scope> parse_scope(std::string_view t) {
  return detail::value_of<scope>(detail::scope_names, t);
}

CALIBRA_INLINE std::optional<autonomy> parse_autonomy(std::string_view t) {
  return detail::value_of<autonomy>(detail::autonomy_names, t);
}

CALIBRA_INLINE auto proficiency_scale::at_ordinal(int ordinal) const -> const proficiency_level& {
  if (ordinal < 1 || static_cast<std::size_t>(ordinal) > levels_.size())
    throw invalid_argument("scale", "level ordinal " + std::to_string(ordinal) + " is outside 1.." +
                                        std::to_string(levels_.size()));
  return levels_[static_cast<std::size_t>(ordinal - 1)];
}

CALIBRA_INLINE auto proficiency_scale::ordinal_of(std::string_view id_or_label) const -> std::optional<int> {
  for (std::size_t i = 0; i < levels_.size(); ++i)
    if (levels_[i].id == id_or_label || levels_[i].label == id_or_label) return static_cast<int>(i + 1);
  return std::nullopt;
}

}  // namespace calibra
