// Implementation of <calibra/agreement/options.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/options.hpp>

#include <calibra/error.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace calibra::agreement {

CALIBRA_INLINE std::string_view to_string(statistic s) { return detail::statistic_names.name(s); }

CALIBRA_INLINE std::string_view to_string(missing_policy m) { return detail::missing_names.name(m); }

CALIBRA_INLINE std::string_view to_string(measurement_level l) { return detail::level_names.name(l); }

CALIBRA_INLINE std::string_view to_string(weight_scheme w) { return detail::weight_names.name(w); }

CALIBRA_INLINE std::string_view to_string(icc_form f) { return detail::icc_form_names.name(f); }

CALIBRA_INLINE std::string_view to_string(kappa_se k) { return detail::kappa_se_names.name(k); }

CALIBRA_INLINE std::string_view to_string(bootstrap_interval b) { return detail::bootstrap_interval_names.name(b); }

CALIBRA_INLINE statistic parse_statistic(std::string_view s) { return detail::statistic_names.parse(s); }

CALIBRA_INLINE missing_policy parse_missing_policy(std::string_view s) { return detail::missing_names.parse(s); }

CALIBRA_INLINE measurement_level parse_measurement_level(std::string_view s) { return detail::level_names.parse(s); }

CALIBRA_INLINE weight_scheme parse_weight_scheme(std::string_view s) { return detail::weight_names.parse(s); }

CALIBRA_INLINE kappa_se parse_kappa_se(std::string_view s) { return detail::kappa_se_names.parse(s); }

CALIBRA_INLINE bootstrap_interval parse_bootstrap_interval(std::string_view s) {
  return detail::bootstrap_interval_names.parse(s);
}

CALIBRA_INLINE icc_form parse_icc_form(std::string_view s) {
  std::string lower(s);
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  static constexpr std::array<std::pair<std::string_view, icc_form>, 12> names{{
      {"icc1", icc_form::icc1},
      {"icc2", icc_form::icc2},
      {"icc3", icc_form::icc3},
      {"icc1k", icc_form::icc1k},
      {"icc2k", icc_form::icc2k},
      {"icc3k", icc_form::icc3k},
      {"oneway-single", icc_form::icc1},
      {"oneway-average", icc_form::icc1k},
      {"twoway-agreement-single", icc_form::icc2},
      {"twoway-agreement-average", icc_form::icc2k},
      {"twoway-consistency-single", icc_form::icc3},
      {"twoway-consistency-average", icc_form::icc3k},
  }};
  for (const auto& [name, form] : names)
    if (name == lower) return form;
  return detail::icc_form_names.parse(s);  // throws, listing the Shrout-Fleiss names
}

}  // namespace calibra::agreement
