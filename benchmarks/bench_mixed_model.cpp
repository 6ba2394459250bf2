// The crossed random-effects model (mixed_model.hpp) at the size the issue
// asks for: 10^6 ratings, 10^4 raters, 10^5 ratees, REML, on 2 cores.
//
// The generator is a clustered organisation, because that is what rating
// data look like and because it is what an exact sparse Cholesky needs (a
// rater-ratee graph drawn uniformly at random fills the factor in; see
// docs/severity.md).  With D departments (D = 100 for 10^6 ratings):
//   - each department has 100 raters: a head (rater 0), 9 senior managers
//     (1..9) and 90 team leads (10..99); team lead l reports to senior
//     manager 1 + (l - 10) mod 9;
//   - each department has 1000 ratees; ratee j of a department reports to
//     team lead 10 + j mod 90;
//   - every ratee is rated by 5 raters, all of its own department: its
//     manager, its skip-level (the manager's senior manager) and 3 other
//     team leads of the department drawn at random (colleagues who work
//     with the ratee), except that for the first 10 ratees of department k
//     the third of those is the head of department k - 1 (mod D), a
//     cross-department reviewer that links the departments into one
//     connected network;
//   - each rater scores 2 of 8 competencies (drawn without replacement), so
//     a ratee has 10 ratings and the data 10^6.
// Ratings: 3 + competency effect (fixed, 0..0.35) + rater severity
// N(0, 0.3^2) + ratee effect N(0, 0.6^2) + noise N(0, 0.5^2), unrounded so
// that the recovered SDs (reported as counters) can be compared with the
// truth.
//
// Data are generated once per size, outside the timed loop; the timed
// region is the whole fit: set-up (cross-products, ordering, symbolic
// analysis), the optimisation and the conditional SDs, one iteration per
// size (a fit takes seconds).  Run e.g.
//   /usr/bin/time -v build-bench/bin/calibra_bench_mixed_model
#include <calibra/calibration/mixed_model.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace {

namespace cal = calibra::calibration;

constexpr std::uint32_t raters_per_department = 100;
constexpr std::uint32_t ratees_per_department = 1000;
constexpr std::uint32_t competencies = 8;

struct org_data {
  std::vector<double> y;
  std::vector<std::uint32_t> rater, ratee, competency;
};

const org_data& org_for(std::uint32_t departments) {
  static std::map<std::uint32_t, org_data> cache;
  const auto found = cache.find(departments);
  if (found != cache.end()) return found->second;

  std::mt19937_64 rng(20261206);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_int_distribution<std::uint32_t> any_lead(10, raters_per_department - 1), any_competency(0, competencies - 1);
  const std::uint32_t n_raters = departments * raters_per_department;
  const std::uint32_t n_ratees = departments * ratees_per_department;
  std::vector<double> severity(n_raters), ratee_effect(n_ratees);
  for (auto& s : severity) s = 0.3 * z(rng);
  for (auto& e : ratee_effect) e = 0.6 * z(rng);
  std::vector<double> competency_effect(competencies);
  for (std::uint32_t c = 0; c < competencies; ++c) competency_effect[c] = 0.05 * c;

  org_data data;
  const std::size_t n = static_cast<std::size_t>(n_ratees) * 10;
  data.y.reserve(n);
  data.rater.reserve(n);
  data.ratee.reserve(n);
  data.competency.reserve(n);
  std::vector<std::uint32_t> raters;
  for (std::uint32_t dep = 0; dep < departments; ++dep) {
    const std::uint32_t base = dep * raters_per_department;
    for (std::uint32_t j = 0; j < ratees_per_department; ++j) {
      const std::uint32_t ratee = dep * ratees_per_department + j;
      const std::uint32_t lead = 10 + j % 90;
      raters.assign({base + lead, base + 1 + (lead - 10) % 9});
      while (raters.size() < 5) {
        const std::uint32_t r = base + any_lead(rng);
        if (std::find(raters.begin(), raters.end(), r) == raters.end()) raters.push_back(r);
      }
      if (j < 10) raters[4] = ((dep + departments - 1) % departments) * raters_per_department;
      for (const auto r : raters) {
        const std::uint32_t c1 = any_competency(rng);
        std::uint32_t c2 = any_competency(rng);
        while (c2 == c1) c2 = any_competency(rng);
        for (const auto c : {c1, c2}) {
          data.y.push_back(3.0 + competency_effect[c] + severity[r] + ratee_effect[ratee] + 0.5 * z(rng));
          data.rater.push_back(r);
          data.ratee.push_back(ratee);
          data.competency.push_back(c);
        }
      }
    }
  }
  return cache.emplace(departments, std::move(data)).first->second;
}

void fit_org(benchmark::State& state) {
  const auto departments = static_cast<std::uint32_t>(state.range(0));
  const org_data& data = org_for(departments);
  cal::mixed_model_fit fit;
  for (auto _ : state) {
    fit = cal::fit_mixed_model(data.y, {{"rater", data.rater, 0}, {"ratee", data.ratee, 0}},
                               {{"competency", data.competency, 0}});
    benchmark::DoNotOptimize(fit.criterion_value);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(data.y.size()));
  state.counters["ratings"] = static_cast<double>(data.y.size());
  state.counters["raters"] = static_cast<double>(fit.random.at(0).mode.size());
  state.counters["ratees"] = static_cast<double>(fit.random.at(1).mode.size());
  state.counters["evaluations"] = static_cast<double>(fit.evaluations);
  state.counters["converged"] = fit.converged ? 1 : 0;
  state.counters["nnz_L"] = static_cast<double>(fit.factor_nonzeros);
  // Planted: 0.3, 0.6 and 0.5.
  state.counters["sd_rater"] = fit.random.at(0).sd;
  state.counters["sd_ratee"] = fit.random.at(1).sd;
  state.counters["sigma"] = fit.sigma;
}

// The shape of the model `calibrate` fits (severity.hpp, random_effects):
// besides rater and ratee, a ratee x competency effect and a ratee x
// next-step effect (one group of the ratee's competencies that the next
// career level raises and one of the rest), and a fixed profile per
// (career level, competency).  Career levels are 4 (ratee mod 4); the next
// level raises the competencies c with (c + level) odd.  Same data as
// fit/org; the planted model has no cell or next-step effect, so those
// variances should come out near 0.
void fit_org_severity_shape(benchmark::State& state) {
  const auto departments = static_cast<std::uint32_t>(state.range(0));
  const org_data& data = org_for(departments);
  const std::size_t n = data.y.size();
  std::vector<std::uint32_t> profile(n), cell(n), step(n);
  std::map<std::uint64_t, std::uint32_t> cell_code;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t level = data.ratee[i] % 4, c = data.competency[i];
    profile[i] = level * competencies + c;
    const std::uint64_t key = std::uint64_t{data.ratee[i]} * competencies + c;
    cell[i] = cell_code.emplace(key, static_cast<std::uint32_t>(cell_code.size())).first->second;
    step[i] = 2 * data.ratee[i] + (c + level) % 2;
  }
  cal::mixed_model_fit fit;
  for (auto _ : state) {
    fit = cal::fit_mixed_model(data.y,
                               {{"rater", data.rater, 0},
                                {"ratee", data.ratee, 0},
                                {"ratee:next-step", step, 0},
                                {"ratee:competency", cell, 0}},
                               {{"profile", profile, 0}});
    benchmark::DoNotOptimize(fit.criterion_value);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
  state.counters["ratings"] = static_cast<double>(n);
  state.counters["levels"] = static_cast<double>(fit.random.at(0).mode.size() + fit.random.at(1).mode.size() +
                                                 fit.random.at(2).mode.size() + fit.random.at(3).mode.size());
  state.counters["fixed"] = static_cast<double>(fit.fixed.size());
  state.counters["evaluations"] = static_cast<double>(fit.evaluations);
  state.counters["converged"] = fit.converged ? 1 : 0;
  state.counters["nnz_L"] = static_cast<double>(fit.factor_nonzeros);
  // Planted: 0.3, 0.6, 0, 0 and 0.5.
  state.counters["sd_rater"] = fit.random.at(0).sd;
  state.counters["sd_ratee"] = fit.random.at(1).sd;
  state.counters["sd_step"] = fit.random.at(2).sd;
  state.counters["sd_cell"] = fit.random.at(3).sd;
  state.counters["sigma"] = fit.sigma;
}

}  // namespace

// 10^5 ratings (10 departments) and 10^6 ratings (100 departments).
BENCHMARK(fit_org)->Name("fit/org")->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);
// The severity shape at 10^5 ratings only: at 10^6 it takes minutes.
BENCHMARK(fit_org_severity_shape)
    ->Name("fit/org_severity_shape")
    ->Arg(10)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

BENCHMARK_MAIN();
