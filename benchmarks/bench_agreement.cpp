// Throughput of every agreement coefficient, from 10^3 to 10^7 ratings.
//
// Each case times the public entry point a user calls (coding the raw
// double matrix included), on a matrix from the shared fixture: 5 raters
// (2 for the two-rater coefficients), q = 5 categories, no missing ratings
// unless the name says so.  Items processed = ratings, so the "items_per_second"
// column reads as ratings per second.
//
// The default run is short (--benchmark_min_time=0.05 unless given); for
// the numbers in benchmarks/results/ run e.g.
//   build-bench/bin/calibra_bench_agreement --benchmark_min_time=0.5
#include "common.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/bootstrap.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/krippendorff.hpp>
#include <calibra/agreement/multi_rater.hpp>
#include <calibra/agreement/options.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

namespace agreement = calibra::agreement;
using calibra::bench::matrix_spec;
using calibra::bench::ratings_for;
using calibra::bench::spec_for_ratings;

/// Keeps the compiler from discarding a computed result.  Escapes its
/// address (with a memory clobber) rather than passing the value itself:
/// benchmark 1.7's DoNotOptimize on a non-const double uses a "+m,r" asm
/// constraint that GCC 12 miscompiles at -O3 (google/benchmark#903); the
/// value read after the loop came out as 0.
template <typename T>
void keep(const T& object) {
  benchmark::DoNotOptimize(&object);
}

constexpr std::size_t smallest = 1'000;
constexpr std::size_t largest = 10'000'000;

/// Times agree(ratings, stat, opts) on the fixture matrix of state.range(0)
/// ratings.
void run_coefficient(benchmark::State& state, std::size_t raters, double missing_rate, agreement::statistic stat,
                     const agreement::options& opts) {
  const matrix_spec spec = spec_for_ratings(static_cast<std::size_t>(state.range(0)), raters, 5, missing_rate);
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  double value = 0;
  for (auto _ : state) {
    const agreement::result r = agreement::agree(ratings, stat, opts);
    if (!r.value) {
      state.SkipWithError(("no value: " + r.reason.value_or("?")).c_str());
      break;
    }
    value = *r.value;
    keep(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spec.ratings()));
  state.counters["units"] = static_cast<double>(spec.units);
  state.counters["value"] = value;
}

/// Registers one coefficient over the full size range.
void register_coefficient(const std::string& name, std::size_t raters, agreement::statistic stat,
                          const agreement::options& opts = {}, double missing_rate = 0) {
  benchmark::RegisterBenchmark(name.c_str(),
                               [raters, missing_rate, stat, opts](benchmark::State& state) {
                                 run_coefficient(state, raters, missing_rate, stat, opts);
                               })
      ->RangeMultiplier(10)
      ->Range(smallest, largest)
      ->Unit(benchmark::kMillisecond);
}

agreement::options with_weights(agreement::weight_scheme scheme) {
  agreement::options opts;
  opts.weights = scheme;
  return opts;
}

agreement::options with_level(agreement::measurement_level level) {
  agreement::options opts;
  opts.level = level;
  return opts;
}

void register_coefficients() {
  using agreement::measurement_level;
  using agreement::statistic;
  using agreement::weight_scheme;
  const agreement::options quadratic = with_weights(weight_scheme::quadratic);
  agreement::options icc2;
  icc2.form = agreement::icc_form::icc2;

  register_coefficient("percent", 5, statistic::percent);
  register_coefficient("unanimous", 5, statistic::unanimous);
  register_coefficient("within", 5, statistic::within);
  register_coefficient("cohen", 2, statistic::cohen);
  register_coefficient("cohen_quadratic", 2, statistic::cohen, quadratic);
  register_coefficient("scott", 2, statistic::scott);
  register_coefficient("fleiss", 5, statistic::fleiss);
  register_coefficient("fleiss_missing10", 5, statistic::fleiss, {}, 0.10);
  register_coefficient("conger", 5, statistic::conger);
  register_coefficient("light", 5, statistic::light);
  register_coefficient("krippendorff_nominal", 5, statistic::krippendorff, with_level(measurement_level::nominal));
  register_coefficient("krippendorff_interval", 5, statistic::krippendorff, with_level(measurement_level::interval));
  register_coefficient("krippendorff_nominal_missing10", 5, statistic::krippendorff,
                       with_level(measurement_level::nominal), 0.10);
  register_coefficient("gwet_ac1", 5, statistic::gwet);
  register_coefficient("gwet_ac2_quadratic", 5, statistic::gwet, quadratic);
  register_coefficient("brennan_prediger", 5, statistic::brennan_prediger);
  register_coefficient("icc2", 5, statistic::icc, icc2);
}

// ---------------------------------------------------------------------------
// Wide designs: every coefficient at 10^6 ratings with 2, 5, 10, 20 and 50
// raters per unit (500,000 down to 20,000 units), complete and with 10% of
// the ratings missing.  Named wide/<coefficient>/raters:<R>/missing:<percent>;
// compare_peers.py --wide times the peers on the same shapes.

constexpr std::size_t wide_ratings = 1'000'000;

void register_wide(const std::string& name, agreement::statistic stat, const agreement::options& opts,
                   const std::vector<std::size_t>& raters_list) {
  for (const double missing_rate : {0.0, 0.10}) {
    for (const std::size_t raters : raters_list) {
      const std::string full = "wide/" + name + "/raters:" + std::to_string(raters) +
                               "/missing:" + std::to_string(static_cast<int>(missing_rate * 100 + 0.5));
      benchmark::RegisterBenchmark(full.c_str(),
                                   [raters, missing_rate, stat, opts](benchmark::State& state) {
                                     run_coefficient(state, raters, missing_rate, stat, opts);
                                   })
          ->Arg(static_cast<std::int64_t>(wide_ratings))
          ->Unit(benchmark::kMillisecond);
    }
  }
}

void register_wide_coefficients() {
  using agreement::measurement_level;
  using agreement::statistic;
  using agreement::weight_scheme;
  const std::vector<std::size_t> any = {2, 5, 10, 20, 50};
  const agreement::options quadratic = with_weights(weight_scheme::quadratic);
  agreement::options icc2;
  icc2.form = agreement::icc_form::icc2;
  register_wide("cohen", statistic::cohen, {}, {2});
  register_wide("scott", statistic::scott, {}, {2});
  register_wide("percent", statistic::percent, {}, any);
  register_wide("unanimous", statistic::unanimous, {}, any);
  register_wide("within", statistic::within, {}, any);
  register_wide("fleiss", statistic::fleiss, {}, any);
  register_wide("brennan_prediger", statistic::brennan_prediger, {}, any);
  register_wide("gwet_ac1", statistic::gwet, {}, any);
  register_wide("gwet_ac2_quadratic", statistic::gwet, quadratic, any);
  register_wide("conger", statistic::conger, {}, any);
  register_wide("light", statistic::light, {}, any);
  register_wide("krippendorff_nominal", statistic::krippendorff, with_level(measurement_level::nominal), any);
  register_wide("krippendorff_ordinal", statistic::krippendorff, with_level(measurement_level::ordinal), any);
  register_wide("krippendorff_interval", statistic::krippendorff, with_level(measurement_level::interval), any);
  register_wide("krippendorff_ratio", statistic::krippendorff, with_level(measurement_level::ratio), any);
  register_wide("icc2", statistic::icc, icc2, any);
}

// ---------------------------------------------------------------------------
// Mergeable summaries: code and summarise 4 chunks of units separately (as a
// streaming or distributed caller would), merge, finish.  Categories are
// declared so that every chunk codes to the same indices.

constexpr int chunks = 4;

std::vector<std::pair<Eigen::Index, Eigen::Index>> chunk_bounds(Eigen::Index units) {
  std::vector<std::pair<Eigen::Index, Eigen::Index>> bounds;
  for (int c = 0; c < chunks; ++c) {
    const Eigen::Index begin = units * c / chunks, end = units * (c + 1) / chunks;
    bounds.emplace_back(begin, end - begin);
  }
  return bounds;
}

/// Feeds every unit of a coded chunk to a summary, the way the single-pass
/// coefficients feed theirs.
template <typename Summary>
void add_units(Summary& summary, const agreement::coded_ratings& coded) {
  agreement::detail::for_each_unit(
      coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
        summary.add_unit(category, count, m);
      });
}

agreement::options declared_scale() {
  agreement::options opts;
  opts.categories = {1, 2, 3, 4, 5};
  return opts;
}

void BM_merge_fleiss(benchmark::State& state) {
  const matrix_spec spec = spec_for_ratings(static_cast<std::size_t>(state.range(0)), 5);
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  const agreement::options opts = declared_scale();
  const auto categories = agreement::category_set::declared(opts.categories);
  const Eigen::MatrixXd weights = agreement::weights_for(opts, opts.categories);
  for (auto _ : state) {
    agreement::multi_rater_summary total(categories, weights);
    for (const auto& [begin, size] : chunk_bounds(ratings.rows())) {
      const agreement::coded_ratings coded = agreement::code_ratings(ratings.middleRows(begin, size), opts);
      agreement::multi_rater_summary part(categories, weights);
      part.n_raters = agreement::detail::active_raters(coded);
      add_units(part, coded);
      total += part;
    }
    const agreement::result r = total.finish(agreement::statistic::fleiss, opts);
    keep(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spec.ratings()));
}
BENCHMARK(BM_merge_fleiss)->RangeMultiplier(10)->Range(smallest, largest)->Unit(benchmark::kMillisecond);

void BM_merge_krippendorff_nominal(benchmark::State& state) {
  const matrix_spec spec = spec_for_ratings(static_cast<std::size_t>(state.range(0)), 5);
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  agreement::options opts = declared_scale();
  opts.level = agreement::measurement_level::nominal;
  const auto categories = agreement::category_set::declared(opts.categories);
  for (auto _ : state) {
    agreement::krippendorff_summary total(categories, opts.level);
    for (const auto& [begin, size] : chunk_bounds(ratings.rows())) {
      const agreement::coded_ratings coded = agreement::code_ratings(ratings.middleRows(begin, size), opts);
      agreement::krippendorff_summary part(categories, opts.level);
      part.n_raters = agreement::detail::active_raters(coded);
      add_units(part, coded);
      total += part;
    }
    const agreement::result r = total.finish(opts);
    keep(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spec.ratings()));
}
BENCHMARK(BM_merge_krippendorff_nominal)
    ->RangeMultiplier(10)
    ->Range(smallest, largest)
    ->Unit(benchmark::kMillisecond);

void BM_merge_icc(benchmark::State& state) {
  const matrix_spec spec = spec_for_ratings(static_cast<std::size_t>(state.range(0)), 5);
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  for (auto _ : state) {
    agreement::icc_summary total(spec.raters);
    for (const auto& [begin, size] : chunk_bounds(ratings.rows())) {
      agreement::icc_summary part(spec.raters);
      for (Eigen::Index u = begin; u < begin + size; ++u) part.add_unit(ratings.row(u));
      total += part;
    }
    const agreement::result r = agreement::icc_from_anova(total.finish(), agreement::icc_form::icc2, 0.95);
    keep(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spec.ratings()));
}
BENCHMARK(BM_merge_icc)->RangeMultiplier(10)->Range(smallest, largest)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------
// Bootstrap: 1,000 resamples on 10^5 units x 5 raters, 2 threads.
// Target: under 2 s wall time for Krippendorff's alpha.

constexpr std::size_t bootstrap_units = 100'000;

/// CPU seconds of the whole process (all threads) since `start`: the
/// benchmark's own CPU column counts the main thread only.
double process_cpu_since(std::clock_t start) {
  return static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
}
constexpr std::size_t bootstrap_resamples = 1'000;

agreement::options bootstrap_options(agreement::bootstrap_interval method) {
  agreement::options opts;
  opts.bootstrap = bootstrap_resamples;
  opts.threads = 2;
  opts.seed = 7;
  opts.bootstrap_method = method;
  return opts;
}

void BM_bootstrap_krippendorff(benchmark::State& state) {
  const auto method = static_cast<agreement::bootstrap_interval>(state.range(0));
  matrix_spec spec;
  spec.units = bootstrap_units;
  spec.raters = 5;
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  const agreement::options opts = bootstrap_options(method);
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    const agreement::result r = agreement::agree(ratings, agreement::statistic::krippendorff, opts);
    if (!r.ci_low) {
      state.SkipWithError("bootstrap gave no interval");
      break;
    }
    keep(r);
  }
  state.counters["process_cpu_s"] = process_cpu_since(cpu_start) / static_cast<double>(state.iterations());
  state.SetLabel("krippendorff nominal, " + std::string(agreement::to_string(method)) + ", " +
                 std::to_string(bootstrap_resamples) + " resamples, 10^5 units x 5 raters, 2 threads");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bootstrap_resamples));
}
BENCHMARK(BM_bootstrap_krippendorff)
    ->Arg(static_cast<int>(agreement::bootstrap_interval::percentile))
    ->Arg(static_cast<int>(agreement::bootstrap_interval::bca))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

void BM_bootstrap_icc(benchmark::State& state) {
  const auto method = static_cast<agreement::bootstrap_interval>(state.range(0));
  matrix_spec spec;
  spec.units = bootstrap_units;
  spec.raters = 5;
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  agreement::options opts = bootstrap_options(method);
  opts.form = agreement::icc_form::icc2;
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    const agreement::result r = agreement::agree(ratings, agreement::statistic::icc, opts);
    if (!r.ci_low) {
      state.SkipWithError("bootstrap gave no interval");
      break;
    }
    keep(r);
  }
  state.counters["process_cpu_s"] = process_cpu_since(cpu_start) / static_cast<double>(state.iterations());
  state.SetLabel("icc2, " + std::string(agreement::to_string(method)) + ", " + std::to_string(bootstrap_resamples) +
                 " resamples, 10^5 units x 5 raters, 2 threads");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bootstrap_resamples));
}
BENCHMARK(BM_bootstrap_icc)
    ->Arg(static_cast<int>(agreement::bootstrap_interval::percentile))
    ->Arg(static_cast<int>(agreement::bootstrap_interval::bca))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// BCa needs the n leave-one-out estimates.  Summary-based statistics remove
// one unit from the pooled summary (O(n) in all); the others (Conger, Light)
// recompute from scratch per unit, O(n^2): this case shows the growth from
// 2,000 to 10,000 units.
void BM_bootstrap_bca_by_statistic(benchmark::State& state) {
  const auto stat = static_cast<agreement::statistic>(state.range(0));
  matrix_spec spec;
  spec.units = static_cast<std::size_t>(state.range(1));
  spec.raters = 5;
  const Eigen::MatrixXd& ratings = ratings_for(spec);
  const agreement::options opts = bootstrap_options(agreement::bootstrap_interval::bca);
  const std::clock_t cpu_start = std::clock();
  for (auto _ : state) {
    const agreement::result r = agreement::agree(ratings, stat, opts);
    if (!r.ci_low) {
      state.SkipWithError("bootstrap gave no interval");
      break;
    }
    keep(r);
  }
  state.counters["process_cpu_s"] = process_cpu_since(cpu_start) / static_cast<double>(state.iterations());
  state.SetLabel(std::string(agreement::to_string(stat)) + ", bca, " + std::to_string(bootstrap_resamples) +
                 " resamples, " + std::to_string(spec.units) + " units x 5 raters, 2 threads");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(bootstrap_resamples));
}
BENCHMARK(BM_bootstrap_bca_by_statistic)
    ->ArgsProduct({{static_cast<int>(agreement::statistic::fleiss), static_cast<int>(agreement::statistic::conger),
                    static_cast<int>(agreement::statistic::light)},
                   {2'000, 10'000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  // A short default run; an explicit --benchmark_min_time wins.
  std::vector<char*> args(argv, argv + argc);
  bool has_min_time = false;
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--benchmark_min_time", 20) == 0) has_min_time = true;
  static char short_run[] = "--benchmark_min_time=0.05";
  if (!has_min_time) args.insert(args.begin() + 1, short_run);
  int count = static_cast<int>(args.size());

  register_coefficients();
  register_wide_coefficients();
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
