// calibra/fwd.hpp declares types in the namespaces where the library
// defines them: each name declared there is complete once the full headers
// are included (a declaration in the wrong namespace would stay incomplete
// and fail to compile here).
#include <calibra/fwd.hpp>

#include <calibra/calibra.hpp>

#include <catch2/catch.hpp>

namespace {
template <typename... T>
constexpr bool all_complete() {
  return ((sizeof(T) > 0) && ...);
}
}  // namespace

TEST_CASE("every type in calibra/fwd.hpp is defined by the full headers", "[fwd]") {
  STATIC_REQUIRE(all_complete<calibra::quadrant, calibra::proficiency_level, calibra::proficiency_scale,
                              calibra::competency, calibra::area, calibra::career_level, calibra::step,
                              calibra::career_ladder, calibra::archetype, calibra::framework_metadata,
                              calibra::framework, calibra::finding, calibra::check_options, calibra::error,
                              calibra::parse_error, calibra::validation_error, calibra::invalid_argument>());
  STATIC_REQUIRE(all_complete<calibra::agreement::options, calibra::agreement::result,
                              calibra::agreement::pairwise_result, calibra::agreement::category_set,
                              calibra::agreement::mergeable_summary>());
  STATIC_REQUIRE(all_complete<calibra::calibration::rating, calibra::calibration::ratings_builder,
                              calibra::calibration::ratings_table, calibra::calibration::calibrate_options,
                              calibra::calibration::calibration_report, calibra::calibration::severity_options,
                              calibra::calibration::severity_fit, calibra::calibration::mixed_model,
                              calibra::calibration::mixed_model_fit>());
}
