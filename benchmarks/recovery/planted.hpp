// The planted-truth generator of the recovery benchmark (recovery.cpp):
// ratings of product managers against the built-in framework, generated
// from a model whose every ingredient is known -- true proficiencies, true
// rater severities, true self-inflation, planted archetypes -- together
// with the verdicts that truth implies (who is clearly ready, who clearly
// works at which career level).  The benchmark runs calibra on the ratings
// and counts how often calibra's judgments about people match the truth.
//
// The model, in levels of the framework's 1-based scale:
//
//   rating(rater, ratee, competency, period)
//       = clamp(round(proficiency(ratee, competency) - severity(rater)
//                     + pair(rater, ratee) + noise), 1, top)
//   self rating = clamp(round(proficiency + self_inflation(ratee) + noise), 1, top)
//   pair ~ N(0, pair_sd), one per (external rater, ratee), the same on
//          every competency and in every period: how this rater sees this
//          person (the rater x ratee interaction of real data).  It is what
//          makes a rater with one ratee hard to judge: their severity and
//          their view of that one person cannot be told apart.
//   noise ~ N(0, noise_sd), independent per rating
//
// Severity follows calibra's convention: positive is harsh (the rater's
// ratings come out lower), negative is lenient.  Proficiency does not
// change between periods and nobody drifts, so every drift flag is false.
//
// Raters:
//   ordinary managers and skip-level managers  severity ~ N(0, rater_sd)
//   planted lenient manager (manager 0)        severity = -planted_severity
//   planted harsh manager (manager 1)          severity = +planted_severity
//   one-ratee raters                            severity ~ N(0, rater_sd); each rates one person
//
// Designs:
//   one_period   one period; every ratee is rated by their manager (role
//                manager) and by one other manager (role panel; the other
//                manager rotates), and rates themself.  For guest_raters
//                ratees the second rater is a guest who rates nobody else
//                (role panel): the one-ratee raters of this design.
//   two_periods  two periods; every ratee is rated in both by their manager,
//                their skip-level manager (one per skip_span managers, role
//                skip_level) and one peer (role peer) who rates nobody else,
//                and rates themself.  The peers are the one-ratee raters.
// Every external rater rates every competency of every ratee they rate.
//
// Ratees: career levels in fixed shares (apm 20%, pm 25%, senior pm 25%,
// principal pm 15%, group pm 15%), managers assigned round robin, and one
// profile kind each (drawn with the shares in planted_config):
//   flat       proficiency = expectation(career level) + a + N(0, 0.06),
//              a ~ U(0.12, 0.28) per person: no pattern, works at the
//              career level, short of the next one
//   ready      proficiency = expectation(next career level on the track)
//              + a + N(0, 0.06), a ~ U(0.35, 0.60): ready for the step
//              (ratees without a next step get a flat profile instead)
//   archetype  proficiency = expectation(career level) + 0.30
//              + archetype_strength * (+1 on the archetype's strong
//              competencies, -1 on its growth ones) + N(0, 0.06); the
//              archetype is drawn uniformly from the framework's.  This is
//              the shape patterns.hpp matches: the correlation of the gap
//              profile (score - expectation) with the +1/-1 vector.
//   mixed      proficiency = expectation(career level) + N(0.2, 0.45) per
//              competency: no planted structure, mostly unclear verdicts
//
// The truth the benchmark scores against (constants below):
//   meets           proficiency >= expectation - meets_tolerance (the
//                   framework's "meets" rule, calibra's default tolerance)
//   clearly ready   for the next step on the ratee's track, every
//                   promotion-gap competency has proficiency >=
//                   target - meets_tolerance + readiness_margin
//   clearly not ready  some promotion-gap competency has proficiency <=
//                   target - meets_tolerance - readiness_margin
//   true level      walking up the ratee's promotion chain from the bottom,
//                   the last career level all of whose expectations are met
//   clear level     the true level is met with level_margin to spare on
//                   every competency, and the next level on the chain (if
//                   any) is missed by level_margin on some competency
//
// Determinism: one xoshiro256** stream (calibra/detail/random.hpp) per
// (design, seed); normal deviates are Irwin-Hall sums of twelve uniforms.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::bench::recovery {

enum class design { one_period = 1, two_periods = 2 };

/// Truth constants, in levels (see the header comment).
inline constexpr double meets_tolerance = 0.25;
inline constexpr double readiness_margin = 0.5;
inline constexpr double level_margin = 0.25;
/// A rater whose |true severity| is at most this is "small": flagging them
/// lenient or harsh is a false flag.
inline constexpr double small_severity = 0.25;

struct planted_config {
  design layout = design::one_period;
  std::uint64_t seed = 1;
  std::size_t ratees = 100;
  std::size_t team_size = 10;    // ratees per manager
  std::size_t skip_span = 4;     // managers per skip-level manager (two_periods)
  std::size_t guest_raters = 5;  // one-ratee raters in one_period

  double rater_sd = 0.2;
  double planted_severity = 0.8;
  double noise_sd = 0.35;
  double pair_sd = 0.25;
  double self_inflation = 0.4;  // mean of the per-ratee self-inflation
  double self_inflation_sd = 0.15;
  double archetype_strength = 0.5;

  // Shares of the profile kinds; the rest are flat.
  double ready_share = 0.25;
  double archetype_share = 0.20;
  double mixed_share = 0.10;
};

enum class rater_kind { manager, skip_level, guest, peer };

/// Planted rater effect: none for ordinary raters.
enum class rater_effect { none, lenient, harsh };

struct planted_rater {
  std::string name;
  rater_kind kind = rater_kind::manager;
  rater_effect effect = rater_effect::none;
  double severity = 0;           // > 0 harsh, in levels
  std::size_t ratees_rated = 0;  // distinct ratees this rater rates (all periods)
};

enum class profile_kind { flat, ready, archetype, mixed };

enum class readiness_truth { no_next_step, clearly_ready, clearly_not_ready, unclear };

struct planted_ratee {
  std::string name;
  std::size_t career_level = 0;  // index into the ladder; the same in every period
  std::size_t manager = 0;       // index into planted_data::raters
  profile_kind kind = profile_kind::flat;
  std::optional<std::size_t> archetype;  // index into framework::archetypes(), for kind archetype
  Eigen::VectorXd proficiency;           // per competency, framework order
  double self_inflation = 0;

  // The truth implied by the proficiencies.
  std::vector<std::size_t> walk;          // the ratee's promotion chain, lowest first
  std::optional<std::size_t> next_level;  // the next career level on the walk
  readiness_truth readiness = readiness_truth::no_next_step;
  std::optional<std::size_t> true_level;  // empty: not even the bottom of the walk is met
  bool clear_level = false;
};

/// The planted rater x ratee interaction of one pair (see the header).
struct planted_pair {
  std::size_t rater = 0;  // index into planted_data::raters
  std::size_t ratee = 0;  // index into planted_data::ratees
  double effect = 0;      // levels added to every rating of the pair
};

struct planted_data {
  planted_config config;
  std::vector<std::string> periods;   // chronological; the last is the analysed one
  std::vector<planted_rater> raters;  // external raters (self ratings are not listed)
  std::vector<planted_ratee> ratees;
  std::vector<planted_pair> pairs;  // every (external rater, ratee) pair that occurs
  calibration::ratings_table table;
};

/// Generates one data set of `config.layout` against `fw` (the built-in
/// framework, or any framework with a ladder, expectations and archetypes).
planted_data generate(const std::shared_ptr<const framework>& fw, const planted_config& config);

// ---- the truth rules, exposed for the test and the harness ----------------

/// The promotion chain a ratee at `career_level` walks: the chain through
/// that level with the most levels of its track (first on a tie).
std::vector<std::size_t> walk_of(const framework& fw, std::size_t career_level);

/// Competencies whose expectation rises from `from` to `to`.
std::vector<std::size_t> gap_competencies(const framework& fw, std::size_t from, std::size_t to);

readiness_truth readiness_of(const framework& fw, const Eigen::VectorXd& proficiency, std::size_t career_level,
                             std::optional<std::size_t> next_level);

/// The true level on `walk` and whether it is clear.
std::pair<std::optional<std::size_t>, bool> level_of(const framework& fw, const Eigen::VectorXd& proficiency,
                                                     const std::vector<std::size_t>& walk);

/// Position of `level` on `walk`, or -1 when absent.
int position_on(const std::vector<std::size_t>& walk, std::optional<std::size_t> level);

}  // namespace calibra::bench::recovery
