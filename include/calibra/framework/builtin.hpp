// The built-in product-manager framework: 12 competencies in four areas and
// four quadrants, a five-level scope-based scale, an IC ladder from
// Associate PM to Principal PM with a Group PM manager branch, anchors for
// every cell, interview formats and the four archetypes.  It is embedded in
// calibra::io, so it works with no files; its source is
// data/frameworks/product-manager.json.
#pragma once

#include <calibra/framework/framework.hpp>

#include <string_view>

namespace calibra {

/// A fresh copy of the built-in framework.
framework builtin_framework();

/// The canonical JSON text the built-in framework is loaded from.
std::string_view builtin_framework_json();

}  // namespace calibra
