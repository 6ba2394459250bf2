// The proficiency scale: ordered levels defined by scope and autonomy rather
// than by quality adjectives.  The same competency practised at a wider scope
// with more autonomy is a higher level.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/detail/names.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra {

enum class scope { task, feature, product_area, multiple_areas, organisation, company };
enum class autonomy { guided, independent, leads_others, sets_direction };

namespace detail {
inline constexpr enum_names<scope, 6> scope_names{{
    {scope::task, "task"},
    {scope::feature, "feature"},
    {scope::product_area, "product-area"},
    {scope::multiple_areas, "multiple-areas"},
    {scope::organisation, "organisation"},
    {scope::company, "company"},
}};
static_assert(calibra::detail::is_one_to_one(scope_names));
inline constexpr enum_names<autonomy, 4> autonomy_names{{
    {autonomy::guided, "guided"},
    {autonomy::independent, "independent"},
    {autonomy::leads_others, "leads-others"},
    {autonomy::sets_direction, "sets-direction"},
}};
static_assert(calibra::detail::is_one_to_one(autonomy_names));
}  // namespace detail

std::string_view to_string(scope s);
std::string_view to_string(autonomy a);
std::optional<scope> parse_scope(std::string_view t);
std::optional<autonomy> parse_autonomy(std::string_view t);

struct proficiency_level {
  std::string id;
  std::string label;
  std::string description;
  /// How far the work reaches and how independently it is done.  Both are
  /// empty in a scale that does not define its levels that way (a
  /// ratings-only framework); a scale gives both to every level or to none.
  std::optional<calibra::scope> scope;
  std::optional<calibra::autonomy> autonomy;
};

/// Ordered levels, lowest first.  Levels are addressed by id or by their
/// 1-based ordinal (the number a rating form shows).
class proficiency_scale {
 public:
  static constexpr std::size_t min_levels = 3;
  static constexpr std::size_t max_levels = 7;

  proficiency_scale() = default;
  explicit proficiency_scale(std::vector<proficiency_level> levels) : levels_(std::move(levels)) {}

  const std::vector<proficiency_level>& levels() const { return levels_; }
  /// Whether the levels are defined by scope and autonomy (then every level
  /// has both).
  bool has_scope_and_autonomy() const { return !levels_.empty() && levels_.front().scope.has_value(); }
  std::size_t size() const { return levels_.size(); }
  const proficiency_level& at_ordinal(int ordinal) const;
  /// 1-based ordinal of a level id or label, if the scale has it.
  std::optional<int> ordinal_of(std::string_view id_or_label) const;

 private:
  std::vector<proficiency_level> levels_;
};

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/scale-inl.hpp>
#endif
