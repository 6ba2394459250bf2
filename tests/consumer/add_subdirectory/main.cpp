// Uses calibra embedded with add_subdirectory: umbrella header,
// built-in framework from calibra::io, one agreement helper.
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>
#include <calibra/version.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

int failures = 0;

void expect(bool condition, const std::string& what) {
  if (!condition) {
    std::cerr << "consumer check failed: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  try {
#ifdef EXPECTED_CALIBRA_VERSION
    expect(std::string(calibra::version_string) == EXPECTED_CALIBRA_VERSION,
           "header version " + std::string(calibra::version_string) + " matches the CMake version " +
               EXPECTED_CALIBRA_VERSION);
#endif

    namespace agreement = calibra::agreement;
    expect(agreement::parse_statistic("fleiss") == agreement::statistic::fleiss,
           "parse_statistic(\"fleiss\") gives statistic::fleiss");

    bool rejected = false;
    try {
      agreement::parse_statistic("no-such-statistic");
    } catch (const calibra::invalid_argument&) {
      rejected = true;
    }
    expect(rejected, "an unknown statistic name throws calibra::invalid_argument");
  } catch (const std::exception& e) {
    std::cerr << "consumer: unexpected exception: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
  if (failures != 0) return EXIT_FAILURE;
  std::cout << "add_subdirectory consumer: all checks passed\n";
  return EXIT_SUCCESS;
}
