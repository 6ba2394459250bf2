// One program for both consumer projects (find_package and add_subdirectory;
// CALIBRA_CONSUMER_KIND says which).  Uses calibra as a user would: umbrella header,
// built-in framework from calibra::io, one agreement helper.
#include <calibra/calibra.hpp>

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

    // The built-in framework is embedded in calibra::io, so this exercises
    // linking the compiled library as well as the headers.
    const auto fw = calibra::builtin_framework();
    expect(fw.competencies().size() == 12,
           "the built-in framework has 12 competencies, got " + std::to_string(fw.competencies().size()));

    const auto findings = calibra::check(fw);
    for (const auto& finding : findings)
      if (finding.severity == calibra::severity::error)
        expect(false, "built-in framework check: " + finding.rule + " at " + finding.where + ": " + finding.message);

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
  std::cout << CALIBRA_CONSUMER_KIND << " consumer: all checks passed\n";
  return EXIT_SUCCESS;
}
