// Internal: what the CASE exporter (case_export.cpp) and importer
// (case_import.cpp) both know about a package.  docs/case.md lists where
// every calibra field lives in the package; keep it in step with both files.
#pragma once

#include <cstddef>
#include <string_view>

namespace calibra::detail::case_package {

// Item types calibra writes in CFItemType, and reads back.
inline constexpr const char* type_area = "Area";
inline constexpr const char* type_quadrant = "Quadrant";
inline constexpr const char* type_competency = "Competency";
inline constexpr const char* type_career_level = "CareerLevel";

/// A date as YYYY-MM-DD: the form of calibra's last_updated, and the start
/// of CASE's lastChangeDateTime.
inline bool is_iso_date(std::string_view d) {
  if (d.size() != 10) return false;
  for (std::size_t i = 0; i < d.size(); ++i)
    if ((i == 4 || i == 7) ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  return true;
}

}  // namespace calibra::detail::case_package
