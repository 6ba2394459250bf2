// Internal: the small conversions the calibration report's writers
// (json_<area>.cpp) all make, so that a missing value reads the same way
// (null) in every section.
#pragma once

#include <calibra/calibration/ratings.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace calibra::io::detail {

/// A number, or null when it is NaN or infinite (JSON has neither).
inline nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

/// A text, or null when it is empty.
inline nlohmann::json text_or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

/// A period's name, or null when there is no period.
inline nlohmann::json period_or_null(const std::optional<std::uint32_t>& period,
                                     const calibration::ratings_table& table) {
  return period ? nlohmann::json(table.periods()[*period]) : nlohmann::json(nullptr);
}

}  // namespace calibra::io::detail
