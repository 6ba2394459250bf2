// Internal: the parts of the framework file format (framework_json.cpp)
// that other writers share: the CASE export (case_export.cpp) writes the
// scale and archetypes inside calibra's extension members, and `calibra
// framework show --json` starts from the whole canonical document.
#pragma once

#include <calibra/framework/framework.hpp>

#include <nlohmann/json.hpp>

namespace calibra::detail {

/// The framework format's "scale": one object per proficiency level.
nlohmann::ordered_json scale_json(const framework& fw);

/// The framework format's "archetypes": one object per archetype.
nlohmann::ordered_json archetypes_json(const framework& fw);

/// The canonical document, keys in the format's order (what to_json prints).
nlohmann::ordered_json framework_document(const framework& fw);

}  // namespace calibra::detail
