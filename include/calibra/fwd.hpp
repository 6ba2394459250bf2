// Forward declarations of calibra's main types, for headers that only pass
// them by reference or pointer.  Costs next to nothing to include (it pulls
// in no other header), so an HR system's own headers can name calibra types
// without paying for the library's declarations.
#pragma once

namespace calibra {

// Framework model (calibra/framework/*.hpp).
struct quadrant;
struct proficiency_level;
class proficiency_scale;
struct competency;
struct area;
struct career_level;
struct step;
class career_ladder;
struct archetype;
struct framework_metadata;
class framework;
struct finding;
struct check_options;

// Errors (calibra/error.hpp).
class error;
class parse_error;
class validation_error;
class invalid_argument;

namespace agreement {
// Agreement engine (calibra/agreement/*.hpp).
struct options;
struct result;
struct pairwise_result;
class category_set;
class mergeable_summary;
}  // namespace agreement

namespace calibration {
// Ratings and calibration (calibra/calibration/*.hpp).
struct rating;
class ratings_builder;
class ratings_table;
class calibration_context;
enum class period_scope;
struct calibrate_options;
struct calibration_report;
struct severity_options;
struct severity_fit;
class mixed_model;
struct mixed_model_fit;
}  // namespace calibration

}  // namespace calibra
