// Implementation of <calibra/reports/write.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/reports/write.hpp>

#include <calibra/reports/document.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace calibra::reports {

CALIBRA_INLINE formats::formats(std::initializer_list<format> list) {
  for (format f : list) add(f);
}

CALIBRA_INLINE auto formats::add(format f) -> formats& {
  bits_ |= bit(f);
  return *this;
}

}  // namespace calibra::reports
