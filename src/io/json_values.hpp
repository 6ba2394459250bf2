// Internal: the small conversions every JSON writer of calibra makes (the
// calibration report's sections, the agreement results, `framework show`,
// the report documents), so that a missing or non-finite value reads the
// same way -- null -- everywhere.  This is the one place that decides it.
//
// Every writer builds nlohmann::ordered_json: keys come out in the order
// they are written, which is the order the docs list them in.
#pragma once

#include <calibra/calibration/ratings.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calibra::io::detail {

using json = nlohmann::ordered_json;

/// A number, or null when it is NaN or infinite (JSON has neither).
inline json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

/// An optional number: null when absent, NaN or infinite.
inline json number(const std::optional<double>& value) { return value ? number(*value) : json(nullptr); }

/// A text, or null when it is empty.
inline json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

/// An enum's stable name (its to_string, found by argument-dependent lookup).
template <typename Enum>
json spelling(Enum value) {
  return std::string(to_string(value));
}

/// An optional enum's stable name, or null when absent.
template <typename Enum>
json spelling_or_null(const std::optional<Enum>& value) {
  return value ? spelling(*value) : json(nullptr);
}

/// The stable names of enum values, in their order.
template <typename Enum>
json spellings(const std::vector<Enum>& values) {
  json out = json::array();
  for (const Enum value : values) out.push_back(spelling(value));
  return out;
}

/// A period's name, or null when there is no period.
inline json period_or_null(const std::optional<std::uint32_t>& period, const calibration::ratings_table& table) {
  return period ? json(table.periods()[*period]) : json(nullptr);
}

}  // namespace calibra::io::detail
