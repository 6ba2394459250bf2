// Fuzz target: the framework JSON reader (calibra/io/framework_json.hpp).
//
// Any bytes: parse_framework returns a framework or throws calibra::error.
// For a framework that loads, everything the `calibra framework` commands
// do with it must work too (checks, gaps, plateaus, profile, Markdown), and
// the canonical JSON must be a fixed point: writing, reading and writing
// again gives the same bytes.
#include "fuzz_common.hpp"

#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calibra;
  const auto text = fuzz::as_text(data, size);
  framework fw;
  if (!fuzz::expect_value_or_calibra_error([&] { fw = parse_framework(text, "fuzz.json"); })) return 0;

  // What the CLI does with a framework that loads: none of it may throw
  // anything but calibra::error (and for a valid framework, nothing at all).
  fuzz::require(fuzz::expect_value_or_calibra_error([&] {
                  (void)check(fw);
                  (void)fw.promotion_gaps();
                  (void)fw.plateaus();
                  (void)fw.quadrant_profile();
                  (void)fw.promotion_chains();
                  (void)to_markdown(fw);
                }),
                "a framework that loads can be checked and rendered");

  std::string canonical;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { canonical = to_json(fw); }),
                "a framework read from a file can be written as JSON");
  fuzz::require(fuzz::valid_utf8(canonical), "canonical JSON is UTF-8");
  framework again;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { again = parse_framework(canonical, "canonical.json"); }),
                "canonical JSON reads back");
  fuzz::require(to_json(again) == canonical, "canonical JSON is a fixed point");
  return 0;
}
