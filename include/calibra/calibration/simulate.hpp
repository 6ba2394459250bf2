// A seeded generator of ratings with known, planted rater effects, for
// tests, benchmarks, demos and the bundled example data set
// (data/examples/ratings.csv, documented in data/examples/README.md).
//
// The model, in levels of the framework's scale:
//
//   proficiency(ratee, competency, period) = expectation(career level, competency)
//                                          + person offset  ~ N(0, ratee_sd)
//                                          + trait          ~ N(0, ratee_competency_sd)
//                                          + growth_per_period * period index
//   score = proficiency + rater bias(period) + noise ~ N(0, noise_sd)
//   level = score rounded to the nearest level, clamped to the scale
//
// A rater's bias is positive for a lenient rater (ratings come out higher).
// Ordinary managers draw a bias ~ N(0, rater_bias_sd) once; self ratings
// add self_inflation instead.  Planted effects:
//   - lenient manager:  bias + leniency
//   - drifting manager: bias + drift_per_period * (period index - middle
//                       period index), so the drift is centred on the base bias
//   - halo manager:     rates a ratee from the ratee's mean proficiency over
//                       all competencies, keeping only (1 - halo_strength) of
//                       the competency-specific part and of the noise, so
//                       the levels barely vary across competencies
//   - vague anchor:     every manager and panel rating of vague_competency
//                       carries vague_noise_factor times the noise: raters
//                       read its anchors differently, whoever they are
//   - squad:            the last squad_managers managers and squad_ratees
//                       ratees form a group whose raters rate nobody outside
//                       it and whose ratees nobody outside it rates -- a
//                       separate component of the rater-ratee graph
//   - career progress:  (optional) a ratee below the top of their track
//                       stands part of the way towards the next career level
//                       on it: progress ~ U(0, 1), and every competency's
//                       proficiency starts from expectation(career level) +
//                       progress * (expectation(next level) - expectation(career level))
//   - outcomes:         in the outcome period, a ratee with a next career
//                       level is promoted when every competency that the
//                       step raises is met: the smallest margin, proficiency
//                       minus the next level's expectation, over those
//                       competencies, plus N(0, outcome_noise_sd), exceeds
//                       outcome_threshold
//
// Design: every period, every ratee rates themself (role self), is rated by
// their manager (role manager) and by one other manager of their component
// (role panel), on every competency.  The panel manager rotates with the
// period and the ratee, so the managers of a component share ratees.
//
// Determinism: the generator uses its own xoshiro256** stream seeded with
// splitmix64 and does all its arithmetic in 64-bit integers (millionths of
// a level).  Normal deviates are Irwin-Hall sums of twelve uniforms, which
// are close to normal and bounded at 6 standard deviations.  The same
// seed and configuration therefore give the same ratings on every platform
// and compiler, with no dependence on the standard library's
// distributions or on floating-point contraction.
#pragma once

#include <calibra/config.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/detail/random.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calibra::calibration {

namespace detail {

using calibra::detail::splitmix64;
using calibra::detail::xoshiro256ss;

/// A deviate ~ N(0, sd), approximately, in the unit of `sd` (integers
/// throughout).  Irwin-Hall: the sum of twelve uniforms on [0, 1) has
/// mean 6 and variance 1.
std::int64_t normal(xoshiro256ss& rng, std::int64_t sd);

/// Millionths of a level: the generator's fixed-point unit.
inline constexpr std::int64_t micro = 1000000;

std::int64_t to_micro(double levels, const char* name);

std::int64_t floor_div(std::int64_t a, std::int64_t b);

}  // namespace detail

struct simulation_config {
  std::uint64_t seed = 20260101;
  std::vector<std::string> periods{"2026Q1", "2026Q2", "2026Q3", "2026Q4"};
  /// Ratees per career level, in ladder order; empty: 8 per career level.
  std::vector<std::size_t> ratees_per_career_level;
  std::size_t managers = 6;

  // The model, in levels.
  double ratee_sd = 0.4;
  double ratee_competency_sd = 0.4;
  double growth_per_period = 0.05;
  double rater_bias_sd = 0.1;
  double noise_sd = 0.35;
  double self_inflation = 0.5;

  // Planted effects.  Manager indices are 0-based; an empty optional turns
  // the effect off.  Effects planted on the same manager add up.
  std::optional<std::size_t> lenient_manager = 0;
  double leniency = 1.0;
  std::optional<std::size_t> drifting_manager = 1;
  double drift_per_period = -0.3;
  std::optional<std::size_t> halo_manager = 2;
  double halo_strength = 0.9;
  /// Competency id whose anchors are vague (see the header); empty: none.
  /// Only the noise draws of that competency are scaled, so the rest of
  /// the data is the same as without it.
  std::optional<std::string> vague_competency;
  double vague_noise_factor = 3.0;
  std::size_t squad_managers = 2;  // the last managers
  std::size_t squad_ratees = 8;    // 0: no squad

  // Design.
  bool self_ratings = true;
  bool panel_ratings = true;

  /// Place each ratee below the top of their track part of the way towards
  /// their next career level (see the header); off: everyone starts at
  /// their own level's expectations.
  bool career_progress = false;
  // Outcomes.
  bool outcomes = true;
  std::optional<std::size_t> outcome_period;  // index into periods; empty: the last
  double outcome_threshold = -0.3;
  double outcome_noise_sd = 0.25;
};

/// What the generator planted, for checking that analyses recover it.
struct simulation_truth {
  std::vector<std::string> ratees;
  std::vector<std::string> managers;
  std::vector<std::size_t> ratee_career_level;  // index into the ladder
  std::vector<std::size_t> ratee_manager;       // index into managers
  std::vector<bool> ratee_in_squad;
  std::vector<bool> manager_in_squad;
  /// ratees x competencies, in levels, in the first period (later periods
  /// add growth_per_period per period).
  Eigen::MatrixXd proficiency;
  /// Per ratee, the share of the way to the next career level at which they
  /// stand (0 without career_progress or a next level).
  std::vector<double> progress;
  /// managers x periods: levels added to each manager's ratings.
  Eigen::MatrixXd manager_bias;
  /// Per ratee, the outcome in the outcome period (none without a next level).
  std::vector<std::optional<promotion_outcome>> outcome;
  std::optional<std::size_t> outcome_period;
  std::optional<std::string> lenient_manager, drifting_manager, halo_manager;
  std::optional<std::string> vague_competency;
};

struct simulated_ratings {
  ratings_table table;
  simulation_truth truth;
};

/// Generates ratings for `fw` under `config`.  Throws invalid_argument for
/// an impossible configuration, naming the setting.
simulated_ratings simulate_ratings(std::shared_ptr<const calibra::framework> fw,
                                          const simulation_config& config);

simulated_ratings simulate_ratings(const calibra::framework& fw, const simulation_config& config);

/// The configuration of the bundled example (data/examples/ratings.csv)
/// for the built-in framework: 40 PMs (6 APM, 12 PM, 12 senior PM,
/// 5 principal PM, 5 group PM), 6 managers, 2026Q1..2026Q4, career
/// progress on, and the default planted effects.
simulation_config example_simulation_config();

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/simulate-inl.hpp>
#endif
