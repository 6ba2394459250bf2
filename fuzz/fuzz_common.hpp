// Shared by the libFuzzer targets.
//
// The contract every reader must keep, whatever the bytes: it returns a value
// or throws calibra::error.  Any other exception, a crash, a sanitizer report
// or a broken invariant is a finding, and a finding must abort the process so
// that libFuzzer saves the input.
#pragma once

#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace calibra::fuzz {

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "\n*** calibra fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

inline void require(bool condition, const char* invariant) {
  if (!condition) finding(std::string("invariant broken: ") + invariant);
}

/// True when `text` is valid UTF-8 (no overlongs, surrogates or code points
/// above U+10FFFF).  Written here rather than borrowed from the library, so
/// that the check does not share a bug with the code it checks.
inline bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < text.size()) {
    const unsigned lead = byte(i);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
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

/// Messages go to terminals and into JSON output, so they must stay short,
/// valid UTF-8, and start with the stable "[calibra.<id>] " prefix.
inline constexpr std::size_t max_message_bytes = 4096;

inline void check_error(const calibra::error& e) {
  const std::string what = e.what();
  const std::string prefix = "[calibra." + e.id() + "] ";
  if (what.rfind(prefix, 0) != 0) finding("message does not start with its id: " + what.substr(0, 200));
  if (what.size() == prefix.size()) finding("empty message for " + e.id());
  if (what.size() > max_message_bytes)
    finding("message of " + std::to_string(what.size()) + " bytes: " + what.substr(0, 200) + "...");
  if (!valid_utf8(what)) finding("message is not valid UTF-8: " + what.substr(0, 200));
}

/// Runs `read`; calibra::error is an expected outcome (checked for form),
/// anything else thrown is a finding.  Returns whether `read` succeeded.
template <typename Read>
bool expect_value_or_calibra_error(Read&& read) {
  try {
    read();
    return true;
  } catch (const calibra::error& e) {
    check_error(e);
    return false;
  } catch (const std::exception& e) {
    finding(std::string("exception outside calibra::error: ") + e.what());
  } catch (...) {
    finding("a non-standard exception");
  }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace calibra::fuzz
