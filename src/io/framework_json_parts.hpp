// Internal: the parts of the framework file format (framework_json.cpp)
// that the CASE export (case_export.cpp) writes too, inside calibra's
// extension members, so that both spell them the same way.
#pragma once

#include <calibra/framework/framework.hpp>

#include <nlohmann/json.hpp>

namespace calibra::detail {

/// The framework format's "scale": one object per proficiency level.
nlohmann::ordered_json scale_json(const framework& fw);

/// The framework format's "archetypes": one object per archetype.
nlohmann::ordered_json archetypes_json(const framework& fw);

}  // namespace calibra::detail
