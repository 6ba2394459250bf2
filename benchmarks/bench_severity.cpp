// The severity model at the size the issue asks for: 10^6 ratings, 10^4
// raters, 10^5 ratees, fitted in seconds on 2 cores.
//
// Each ratee is rated by five raters on two competencies each (10 ratings
// per ratee): their own manager (ratee i belongs to rater i mod 10^4, so
// every rater manages ten ratees) in the first period, and four more raters
// spread over two periods.  Two designs for the four others:
//   - random: drawn uniformly from all raters (a well-mixed network);
//   - local:  drawn from the 20 raters next to the manager on a ring, so
//             raters are linked only through long chains of neighbours,
//             the slow case for an iterative solver.
// Levels: 3 + ratee effect N(0, 0.6) + competency effect + period effect
// - severity N(0, 0.3) + noise N(0, 0.5), rounded and clamped to 1..5.
//
// The table is built once per design, outside the timed loop.  Run e.g.
//   build-bench/bin/calibra_bench_severity --benchmark_min_time=1
#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/severity.hpp>
#include <calibra/framework/builtin.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace cal = calibra::calibration;

constexpr std::size_t n_raters = 10'000;
constexpr std::size_t n_ratees = 100'000;
constexpr std::size_t raters_per_ratee = 5;
constexpr std::size_t competencies_per_rater = 2;

enum class design { random, local };

const cal::ratings_table& table_for(design which) {
  static std::map<design, cal::ratings_table> cache;
  const auto found = cache.find(which);
  if (found != cache.end()) return found->second;

  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const std::size_t n_competencies = fw->competencies().size();
  std::mt19937_64 rng(20260401);
  std::normal_distribution<double> ratee_effect(0, 0.6), severity(0, 0.3), noise(0, 0.5);
  std::uniform_int_distribution<std::size_t> any_rater(0, n_raters - 1), near(1, 20),
      any_competency(0, n_competencies - 1);

  std::vector<std::string> rater_names(n_raters), ratee_names(n_ratees);
  for (std::size_t r = 0; r < n_raters; ++r) rater_names[r] = "rater" + std::to_string(r);
  for (std::size_t e = 0; e < n_ratees; ++e) ratee_names[e] = "ratee" + std::to_string(e);
  std::vector<double> rater_severity(n_raters);
  for (double& s : rater_severity) s = severity(rng);
  const std::vector<std::string> periods{"2026Q1", "2026Q2"};

  cal::ratings_builder builder(fw, "benchmark");
  builder.reserve(n_ratees * raters_per_ratee * competencies_per_rater);
  for (std::size_t e = 0; e < n_ratees; ++e) {
    const double ability = ratee_effect(rng);
    const std::size_t manager = e % n_raters;
    std::vector<std::size_t> raters{manager};
    while (raters.size() < raters_per_ratee) {
      const std::size_t candidate =
          which == design::random ? any_rater(rng) : (manager + near(rng)) % n_raters;
      if (std::find(raters.begin(), raters.end(), candidate) == raters.end()) raters.push_back(candidate);
    }
    for (std::size_t k = 0; k < raters.size(); ++k) {
      const std::size_t period = k == 0 ? 0 : k % 2;
      const std::size_t first = any_competency(rng);
      for (std::size_t c = 0; c < competencies_per_rater; ++c) {
        const std::size_t competency = (first + c) % n_competencies;
        const double score = 3 + ability + 0.1 * static_cast<double>(competency % 3) - 0.1 +
                             0.05 * static_cast<double>(period) - rater_severity[raters[k]] + noise(rng);
        cal::rating r;
        r.ratee = ratee_names[e];
        r.rater = rater_names[raters[k]];
        r.role = k == 0 ? cal::rater_role::manager : cal::rater_role::peer;
        r.competency = competency;
        r.level = static_cast<int>(std::clamp(std::lround(score), 1L, 5L));
        r.period = periods[period];
        builder.add(r);
      }
    }
  }
  return cache.emplace(which, builder.finish()).first->second;
}

void fit(benchmark::State& state, design which) {
  const cal::ratings_table& table = table_for(which);
  std::size_t iterations = 0;
  for (auto _ : state) {
    const cal::severity_fit result = cal::fit_severity(table);
    iterations = result.iterations;
    benchmark::DoNotOptimize(&result);
    if (!result.available || !result.converged) state.SkipWithError("the fit did not converge");
  }
  state.counters["ratings"] = static_cast<double>(table.size());
  state.counters["cg_iterations"] = static_cast<double>(iterations);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(table.size()));
}

void network(benchmark::State& state, design which) {
  const cal::ratings_table& table = table_for(which);
  for (auto _ : state) {
    const cal::rater_network result = cal::analyse_network(table);
    benchmark::DoNotOptimize(&result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(table.size()));
}

BENCHMARK_CAPTURE(fit, random_1e6_ratings, design::random)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(fit, local_1e6_ratings, design::local)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(network, random_1e6_ratings, design::random)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(network, local_1e6_ratings, design::local)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
