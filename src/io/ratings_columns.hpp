// Internal: what the ratings readers (CSV and JSON) say about the columns or
// keys of a file that are outside the ratings format.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/framework/framework.hpp>

#include "message_text.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace calibra::detail {

/// Levenshtein distance between two short names, lower-cased.
inline std::size_t name_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1)});
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// The column of the format an unknown name most likely misspells, if any:
/// the same name in another case, or, for names of five letters or more, one
/// letter off (two for the longer column names).
inline std::string_view likely_column(std::string_view name) {
  for (std::string_view column : calibration::ratings_columns) {
    const std::size_t distance = name_distance(name, column);
    if (distance == 0 || (name.size() >= 5 && distance <= (column.size() >= 8 ? 2u : 1u))) return column;
  }
  return {};
}

/// The warning naming the columns kept as attributes.
inline std::string extra_columns_warning(const std::vector<std::string>& names, std::string_view what) {
  std::string list, hints;
  for (const std::string& name : names) {
    list += (list.empty() ? "'" : ", '") + echo(name) + "'";
    if (const std::string_view column = likely_column(name); !column.empty())
      hints += "; '" + echo(name) + "' looks like the column '" + std::string(column) + "' (names are case-sensitive)";
  }
  return std::string(what) + " outside the ratings format kept as attributes, not used by the analyses: " + list +
         hints;
}

/// The competency a wide-form column stands for: its id or its name.
inline std::optional<std::size_t> competency_of_column(const framework& fw, std::string_view name) {
  const auto& competencies = fw.competencies();
  for (std::size_t c = 0; c < competencies.size(); ++c)
    if (competencies[c].id == name || competencies[c].name == name) return c;
  return std::nullopt;
}

inline bool equal_ignoring_case(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

inline std::string wide_unknown_column_message(const framework& fw, std::string_view name) {
  std::string ids, hint;
  const auto& competencies = fw.competencies();
  for (std::size_t c = 0; c < competencies.size(); ++c) {
    ids += (c ? ", " : "") + competencies[c].id;
    if (hint.empty() && (equal_ignoring_case(competencies[c].id, name) || equal_ignoring_case(competencies[c].name, name)))
      hint = " (did you mean '" + (equal_ignoring_case(competencies[c].id, name) ? competencies[c].id
                                                                                 : competencies[c].name) +
             "'? names are case-sensitive)";
  }
  return "not a competency of the framework" + hint +
         "; in wide form every column outside the ratings format is a competency, by id (" + ids +
         ") or by name; a column that is not a competency (team, department...) is kept as an attribute when named "
         "with --attribute or --group-by (ratings_options::attribute_columns), or dropped with "
         "--ignore-unknown-columns";
}

}  // namespace calibra::detail
