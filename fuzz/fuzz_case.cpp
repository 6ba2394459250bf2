// Fuzz target: the 1EdTech CASE importer (calibra/io/case.hpp).
//
// Any bytes: parse_case returns a framework or throws calibra::error.  An
// imported framework is a valid calibra framework (its canonical JSON reads
// back), and calibra's own export of it is lossless and stable: exporting,
// importing and exporting again gives the same package and the same
// framework.
#include "fuzz_common.hpp"

#include <calibra/io/case.hpp>
#include <calibra/io/framework_json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace calibra;
  const auto text = fuzz::as_text(data, size);
  case_import_result imported;
  if (!fuzz::expect_value_or_calibra_error([&] { imported = parse_case(text, "fuzz.case.json"); })) return 0;

  std::string canonical;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { canonical = to_json(imported.framework); }),
                "an imported framework can be written as calibra JSON");
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { (void)parse_framework(canonical, "imported.json"); }),
                "an imported framework is a valid calibra framework");

  std::string package;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { package = to_case_json(imported.framework); }),
                "an imported framework can be exported");
  fuzz::require(fuzz::valid_utf8(package), "an exported package is UTF-8");
  case_import_result again;
  fuzz::require(fuzz::expect_value_or_calibra_error([&] { again = parse_case(package, "export.case.json"); }),
                "calibra's own package imports");
  fuzz::require(again.calibra_extensions, "calibra's own package is recognised as such");
  fuzz::require(to_json(again.framework) == canonical, "export then import keeps the framework");
  fuzz::require(to_case_json(again.framework) == package, "the exported package is a fixed point");
  return 0;
}
