// One name table per enum.  Flags, verdicts and directions are enums inside
// calibra; their stable spellings ("central-tendency", "too-easy", ...)
// appear only at the edges (JSON, text, reports, Python).  Each enum keeps
// its spellings in one table next to its declaration, and its to_string and
// parse_<enum> functions read that table, so adding a value is one enumerator
// and one table row (and the table's size).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace calibra::detail {

template <typename Enum, std::size_t N>
using enum_names = std::array<std::pair<Enum, std::string_view>, N>;

template <typename Table, typename Enum>
constexpr std::string_view name_of(const Table& table, Enum e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "?";
}

template <typename Enum, typename Table>
constexpr std::optional<Enum> value_of(const Table& table, std::string_view text) {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

/// True when every entry has a name and no two entries share a value or a
/// name.  Each table is checked with a static_assert, because a table
/// declared longer than its rows ends in a blank row that would parse "".
template <typename Table>
constexpr bool is_one_to_one(const Table& table) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].second.empty()) return false;
    for (std::size_t j = 0; j < i; ++j)
      if (table[j].first == table[i].first || table[j].second == table[i].second) return false;
  }
  return true;
}

}  // namespace calibra::detail
