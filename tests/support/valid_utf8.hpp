// Test support shared by the C++ tests and the fuzz targets: a UTF-8
// well-formedness check for calibra's messages and outputs.
//
// It is written here rather than borrowed from the library (src/io's
// message_text.hpp decodes UTF-8 too), so that the check does not share a
// bug with the code it checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace calibra_test {

/// True when `text` is valid UTF-8: no overlong forms, surrogates or code
/// points above U+10FFFF, and no truncated sequence at the end.
inline bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    const unsigned lead = byte(i);
    const std::size_t length =
        lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t code = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      code = (code << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

}  // namespace calibra_test
