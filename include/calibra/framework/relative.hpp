// The relative scale (Needs Focus / On Track / Outperforming) is a
// view of an absolute proficiency level against a career level's
// expectation.  These functions convert in both directions so that a team
// can rate on either scale and compare.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace calibra {

enum class relative_rating { needs_focus, on_track, outperforming };

std::string_view to_string(relative_rating r);

std::string_view label(relative_rating r);

/// Accepts the id ("on-track") or the label ("On Track").
std::optional<relative_rating> parse_relative_rating(std::string_view text);

/// Below the expectation is Needs Focus, at it On Track, above it Outperforming.
relative_rating to_relative(int level, int expectation);

/// The absolute level a relative rating stands for: one level below the
/// expectation, the expectation itself, or one level above, clamped to the
/// scale.  Where clamping makes the rating impossible (Needs Focus against
/// an expectation already at the lowest level, Outperforming at the top)
/// there is no such level and this throws invalid_argument.
int to_absolute(relative_rating r, int expectation, int scale_size);

/// Convenience over a framework: relative rating of `level` for a competency
/// at a career level, both by id.
relative_rating to_relative(const framework& fw, std::string_view career_level_id,
                                   std::string_view competency_id, int level);

int to_absolute(const framework& fw, std::string_view career_level_id, std::string_view competency_id,
                       relative_rating r);

}  // namespace calibra

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/framework/relative-inl.hpp>
#endif
