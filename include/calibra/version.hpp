// The library version lives here and only here: CMake, pyproject.toml and the
// CLI all read these three numbers.
#pragma once

#define CALIBRA_VERSION_MAJOR 0
#define CALIBRA_VERSION_MINOR 1
#define CALIBRA_VERSION_PATCH 0

namespace calibra {
inline constexpr const char* version_string = "0.1.0";
}  // namespace calibra
