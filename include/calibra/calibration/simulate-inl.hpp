// Implementation of <calibra/calibration/simulate.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/simulate.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/detail/random.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/framework.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>


namespace calibra::calibration::detail {

CALIBRA_INLINE std::int64_t normal(xoshiro256ss& rng, std::int64_t sd) {
  constexpr int bits = 20;
  std::int64_t sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<std::int64_t>(rng.next() >> (64 - bits));
  const std::int64_t centred = sum - 6 * (std::int64_t{1} << bits);
  return centred * sd / (std::int64_t{1} << bits);
}

CALIBRA_INLINE std::int64_t to_micro(double levels, const char* name) {
  if (!std::isfinite(levels) || levels < -10 || levels > 10)
    throw invalid_argument("simulate", std::string(name) + " = " + std::to_string(levels) +
                                           " is outside [-10, 10] levels");
  return static_cast<std::int64_t>(std::llround(levels * static_cast<double>(micro)));
}

CALIBRA_INLINE std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE simulated_ratings simulate_ratings(std::shared_ptr<const calibra::framework> fw,
                                          const simulation_config& config) {
  using detail::micro;
  using detail::to_micro;
  if (!fw) throw invalid_argument("simulate", "no framework");
  const auto fail = [](const std::string& message) { throw invalid_argument("simulate", message); };
  const auto& ladder = fw->ladder();
  const std::size_t n_competencies = fw->competencies().size();
  const std::size_t n_periods = config.periods.size();
  const int n_levels = static_cast<int>(fw->scale().size());

  if (n_periods == 0) fail("periods: at least one period is needed");
  for (std::size_t p = 0; p < n_periods; ++p) {
    if (const std::string problem = period_problem(config.periods[p]); !problem.empty())
      fail("periods[" + std::to_string(p) + "]: " + problem);
    for (std::size_t q = 0; q < p; ++q)
      if (config.periods[q] == config.periods[p]) fail("periods: '" + config.periods[p] + "' is listed twice");
  }
  std::vector<std::size_t> per_level = config.ratees_per_career_level;
  if (per_level.empty()) per_level.assign(ladder.size(), 8);
  if (per_level.size() != ladder.size())
    fail("ratees_per_career_level: expected one count per career level (" + std::to_string(ladder.size()) +
         "), got " + std::to_string(per_level.size()));
  std::size_t n_ratees = 0;
  for (std::size_t count : per_level) n_ratees += count;
  if (n_ratees == 0) fail("ratees_per_career_level: no ratees");
  if (config.managers == 0) fail("managers: at least one manager is needed");
  const std::size_t squad_ratees = config.squad_ratees;
  const std::size_t squad_managers = squad_ratees > 0 ? config.squad_managers : 0;
  if (squad_ratees > 0 && (squad_managers == 0 || squad_managers >= config.managers))
    fail("squad_managers: a squad needs at least one manager and leaves at least one outside (managers = " +
         std::to_string(config.managers) + ")");
  if (squad_ratees >= n_ratees)
    fail("squad_ratees: the squad must leave ratees outside it (" + std::to_string(n_ratees) + " ratees)");
  for (const auto& [planted, name] : {std::pair{config.lenient_manager, "lenient_manager"},
                                      std::pair{config.drifting_manager, "drifting_manager"},
                                      std::pair{config.halo_manager, "halo_manager"}})
    if (planted && *planted >= config.managers)
      fail(std::string(name) + " = " + std::to_string(*planted) + " is not a manager index (managers = " +
           std::to_string(config.managers) + ")");
  const std::size_t outcome_period = config.outcome_period.value_or(n_periods - 1);
  if (outcome_period >= n_periods) fail("outcome_period: not a period index");
  if (config.halo_strength < 0 || config.halo_strength > 1) fail("halo_strength: expected a value in [0, 1]");
  std::optional<std::size_t> vague;
  if (config.vague_competency) {
    vague = fw->competency_index(*config.vague_competency);
    if (!vague) fail("vague_competency = '" + *config.vague_competency + "' is not a competency of the framework");
    if (!(config.vague_noise_factor >= 0 && config.vague_noise_factor <= 10))
      fail("vague_noise_factor = " + std::to_string(config.vague_noise_factor) + ": expected a factor in [0, 10]");
  }
  for (const auto& [value, name] : {std::pair{config.ratee_sd, "ratee_sd"},
                                    std::pair{config.ratee_competency_sd, "ratee_competency_sd"},
                                    std::pair{config.rater_bias_sd, "rater_bias_sd"},
                                    std::pair{config.noise_sd, "noise_sd"},
                                    std::pair{config.outcome_noise_sd, "outcome_noise_sd"}})
    if (!(value >= 0)) fail(std::string(name) + ": a standard deviation cannot be negative");

  const std::int64_t ratee_sd = to_micro(config.ratee_sd, "ratee_sd");
  const std::int64_t trait_sd = to_micro(config.ratee_competency_sd, "ratee_competency_sd");
  const std::int64_t growth = to_micro(config.growth_per_period, "growth_per_period");
  const std::int64_t bias_sd = to_micro(config.rater_bias_sd, "rater_bias_sd");
  const std::int64_t noise_sd = to_micro(config.noise_sd, "noise_sd");
  const std::int64_t self_inflation = to_micro(config.self_inflation, "self_inflation");
  const std::int64_t leniency = to_micro(config.leniency, "leniency");
  const std::int64_t drift = to_micro(config.drift_per_period, "drift_per_period");
  const std::int64_t halo = to_micro(config.halo_strength, "halo_strength");
  const std::int64_t threshold = to_micro(config.outcome_threshold, "outcome_threshold");
  const std::int64_t outcome_sd = to_micro(config.outcome_noise_sd, "outcome_noise_sd");

  detail::xoshiro256ss rng(config.seed);
  simulation_truth truth;
  truth.outcome_period = config.outcomes ? std::optional<std::size_t>(outcome_period) : std::nullopt;

  // People.
  const auto numbered = [](const std::string& prefix, std::size_t i, std::size_t n) {
    std::string digits = std::to_string(i + 1);
    const std::size_t width = std::max<std::size_t>(2, std::to_string(n).size());
    return prefix + std::string(width > digits.size() ? width - digits.size() : 0, '0') + digits;
  };
  for (std::size_t m = 0; m < config.managers; ++m) {
    truth.managers.push_back("mgr" + std::to_string(m + 1));
    truth.manager_in_squad.push_back(m >= config.managers - squad_managers);
  }
  for (std::size_t level = 0; level < per_level.size(); ++level)
    for (std::size_t k = 0; k < per_level[level]; ++k) {
      truth.ratees.push_back(numbered("pm", truth.ratees.size(), n_ratees));
      truth.ratee_career_level.push_back(level);
    }
  // Squad ratees spread evenly over the list (so over career levels).
  truth.ratee_in_squad.assign(n_ratees, false);
  for (std::size_t s = 0; s < squad_ratees; ++s)
    truth.ratee_in_squad[(2 * s + 1) * n_ratees / (2 * squad_ratees)] = true;
  std::vector<std::size_t> main_managers, squad;
  for (std::size_t m = 0; m < config.managers; ++m) (truth.manager_in_squad[m] ? squad : main_managers).push_back(m);
  std::size_t next_main = 0, next_squad = 0;
  for (std::size_t r = 0; r < n_ratees; ++r)
    truth.ratee_manager.push_back(truth.ratee_in_squad[r] ? squad[next_squad++ % squad.size()]
                                                          : main_managers[next_main++ % main_managers.size()]);
  if (config.lenient_manager) truth.lenient_manager = truth.managers[*config.lenient_manager];
  if (config.drifting_manager) truth.drifting_manager = truth.managers[*config.drifting_manager];
  if (config.halo_manager) truth.halo_manager = truth.managers[*config.halo_manager];
  truth.vague_competency = config.vague_competency;
  // The factor in millionths, applied to the noise draw (integer arithmetic
  // like the rest, for bit-identical output everywhere).
  const std::int64_t vague_factor = to_micro(config.vague_noise_factor, "vague_noise_factor");

  // Rater biases, per manager and period.
  std::vector<std::vector<std::int64_t>> bias(config.managers, std::vector<std::int64_t>(n_periods));
  truth.manager_bias.resize(static_cast<Eigen::Index>(config.managers), static_cast<Eigen::Index>(n_periods));
  for (std::size_t m = 0; m < config.managers; ++m) {
    std::int64_t base = detail::normal(rng, bias_sd);
    if (config.lenient_manager == m) base += leniency;
    for (std::size_t p = 0; p < n_periods; ++p) {
      // Centred on the middle of the periods: the drifting manager moves
      // through their base bias instead of starting there, so less of the
      // drift disappears into the floor or ceiling of the scale.
      const std::int64_t twice_offset = 2 * static_cast<std::int64_t>(p) - static_cast<std::int64_t>(n_periods - 1);
      bias[m][p] = base + (config.drifting_manager == m ? drift * twice_offset / 2 : 0);
      truth.manager_bias(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(p)) =
          static_cast<double>(bias[m][p]) / micro;
    }
  }

  // Each ratee's next career level on their own track (the first next step
  // when none stays on the track); none at the top of the ladder.
  std::vector<std::optional<std::size_t>> target_level(n_ratees);
  for (std::size_t r = 0; r < n_ratees; ++r) {
    const std::size_t level = truth.ratee_career_level[r];
    const std::vector<std::size_t> next = ladder.next(level);
    if (next.empty()) continue;
    target_level[r] = next.front();
    for (std::size_t candidate : next)
      if (ladder.career_levels()[candidate].track == ladder.career_levels()[level].track) {
        target_level[r] = candidate;
        break;
      }
  }

  // Proficiency in the first period.
  std::vector<std::vector<std::int64_t>> proficiency(n_ratees, std::vector<std::int64_t>(n_competencies));
  truth.proficiency.resize(static_cast<Eigen::Index>(n_ratees), static_cast<Eigen::Index>(n_competencies));
  truth.progress.assign(n_ratees, 0.0);
  const auto& expectations = fw->expectations();
  const auto expected_at = [&](std::size_t level, std::size_t c) {
    return static_cast<std::int64_t>(expectations(static_cast<Eigen::Index>(level), static_cast<Eigen::Index>(c))) *
           micro;
  };
  for (std::size_t r = 0; r < n_ratees; ++r) {
    const std::int64_t person = detail::normal(rng, ratee_sd);
    std::int64_t progress = 0;  // millionths of the way to the next level
    if (config.career_progress && target_level[r]) {
      constexpr int bits = 20;
      progress = static_cast<std::int64_t>(rng.next() >> (64 - bits)) * micro >> bits;
      truth.progress[r] = static_cast<double>(progress) / micro;
    }
    const std::size_t level = truth.ratee_career_level[r];
    for (std::size_t c = 0; c < n_competencies; ++c) {
      const std::int64_t step = target_level[r] ? expected_at(*target_level[r], c) - expected_at(level, c) : 0;
      proficiency[r][c] = expected_at(level, c) + step * progress / micro + person + detail::normal(rng, trait_sd);
      truth.proficiency(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
          static_cast<double>(proficiency[r][c]) / micro;
    }
  }
  const auto proficiency_at = [&](std::size_t r, std::size_t c, std::size_t p) {
    return proficiency[r][c] + growth * static_cast<std::int64_t>(p);
  };

  // Outcomes: promoted when every competency the next step raises is met.
  // The margin of the step is the smallest amount by which the ratee's
  // proficiency exceeds the next level's expectation over those
  // competencies; with noise added, it must exceed the threshold.
  truth.outcome.assign(n_ratees, std::nullopt);
  for (std::size_t r = 0; r < n_ratees && config.outcomes; ++r) {
    if (!target_level[r]) continue;
    const std::size_t level = truth.ratee_career_level[r];
    std::optional<std::int64_t> margin;
    for (std::size_t c = 0; c < n_competencies; ++c) {
      if (expected_at(*target_level[r], c) <= expected_at(level, c)) continue;
      const std::int64_t here = proficiency_at(r, c, outcome_period) - expected_at(*target_level[r], c);
      margin = margin ? std::min(*margin, here) : here;
    }
    // A step that raises nothing is judged on the competencies' mean margin.
    if (!margin) {
      std::int64_t sum = 0;
      for (std::size_t c = 0; c < n_competencies; ++c)
        sum += proficiency_at(r, c, outcome_period) - expected_at(*target_level[r], c);
      margin = sum / static_cast<std::int64_t>(n_competencies);
    }
    const std::int64_t readiness = *margin + detail::normal(rng, outcome_sd);
    truth.outcome[r] = readiness > threshold ? promotion_outcome::promoted : promotion_outcome::not_promoted;
  }

  // Ratings.
  const auto to_level = [&](std::int64_t score) {
    const std::int64_t level = detail::floor_div(score + micro / 2, micro);
    return static_cast<int>(std::min<std::int64_t>(std::max<std::int64_t>(level, 1), n_levels));
  };
  ratings_builder builder(fw, "simulated");
  for (std::size_t p = 0; p < n_periods; ++p) {
    for (std::size_t r = 0; r < n_ratees; ++r) {
      const std::size_t own = truth.ratee_manager[r];
      const std::vector<std::size_t>& component = truth.ratee_in_squad[r] ? squad : main_managers;
      struct source {
        std::string_view rater;
        rater_role role;
        std::optional<std::size_t> manager;
      };
      std::vector<source> sources;
      if (config.self_ratings) sources.push_back({truth.ratees[r], rater_role::self, std::nullopt});
      sources.push_back({truth.managers[own], rater_role::manager, own});
      if (config.panel_ratings && component.size() > 1) {
        const std::size_t position =
            static_cast<std::size_t>(std::find(component.begin(), component.end(), own) - component.begin());
        const std::size_t offset = 1 + (p + r) % (component.size() - 1);
        const std::size_t panel = component[(position + offset) % component.size()];
        sources.push_back({truth.managers[panel], rater_role::panel, panel});
      }

      std::int64_t mean_proficiency = 0;
      for (std::size_t c = 0; c < n_competencies; ++c) mean_proficiency += proficiency_at(r, c, p);
      mean_proficiency /= static_cast<std::int64_t>(n_competencies);

      for (const source& s : sources) {
        const bool haloed = s.manager && config.halo_manager == *s.manager;
        const std::int64_t shared_noise = haloed ? detail::normal(rng, noise_sd) : 0;
        for (std::size_t c = 0; c < n_competencies; ++c) {
          std::int64_t noise = detail::normal(rng, noise_sd);
          if (s.manager && vague == c) noise = noise * vague_factor / micro;
          std::int64_t score = 0;
          if (!s.manager) {
            score = proficiency_at(r, c, p) + self_inflation + noise;
          } else if (haloed) {
            const std::int64_t specific = proficiency_at(r, c, p) - mean_proficiency;
            score = mean_proficiency + bias[*s.manager][p] + shared_noise + (specific + noise) * (micro - halo) / micro;
          } else {
            score = proficiency_at(r, c, p) + bias[*s.manager][p] + noise;
          }
          rating row;
          row.ratee = truth.ratees[r];
          row.rater = s.rater;
          row.role = s.role;
          row.competency = c;
          row.level = to_level(score);
          row.period = config.periods[p];
          row.career_level = truth.ratee_career_level[r];
          if (config.outcomes && p == outcome_period) row.outcome = truth.outcome[r];
          builder.add(row);
        }
      }
    }
  }
  return {builder.finish(), std::move(truth)};
}

CALIBRA_INLINE simulated_ratings simulate_ratings(const calibra::framework& fw, const simulation_config& config) {
  return simulate_ratings(std::make_shared<const calibra::framework>(fw), config);
}

CALIBRA_INLINE simulation_config example_simulation_config() {
  simulation_config config;
  config.seed = 20260101;
  config.ratees_per_career_level = {6, 12, 12, 5, 5};
  config.vague_competency = "business-outcome-ownership";
  config.career_progress = true;
  config.drift_per_period = -0.4;
  return config;
}

}  // namespace calibra::calibration
