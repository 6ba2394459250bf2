// Shared by the libFuzzer targets.
//
// The contract every reader must keep, whatever the bytes: it returns a value
// or throws calibra::error.  Any other exception, a crash, a sanitizer report
// or a broken invariant is a finding, and a finding must abort the process so
// that libFuzzer saves the input.
#pragma once

#include <calibra/error.hpp>

#include "../tests/support/valid_utf8.hpp"

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

using calibra_test::valid_utf8;

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
