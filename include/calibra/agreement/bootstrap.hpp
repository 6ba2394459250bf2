// Bootstrap confidence intervals over units, shared by every coefficient.
//
// A coefficient hands the engine a resampling_plan: how many units there
// are and how to compute the estimate when unit u counts w[u] times.  A
// bootstrap resample is then nothing more than a vector of draw counts, so
// each resample costs one weighted pass and no copy of the data.
//
// Reproducibility: resample b uses its own generator, seeded from
// (opts.seed, b), and draws unit indices with an integer method written
// here (std:: distributions differ between standard libraries).  The
// intervals are therefore identical for a given seed whatever the number
// of threads, the platform or the compiler.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/detail/random.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

namespace calibra::agreement {

/// What the bootstrap engine needs from a coefficient.
struct resampling_plan {
  std::size_t n_units = 0;
  /// The estimate when unit u carries frequency weight unit_weights[u] (the
  /// number of times it was drawn; 0 leaves it out).  Called concurrently
  /// from several threads, so it must not modify shared state.  NaN marks a
  /// resample on which the coefficient is undefined.
  std::function<double(const std::vector<double>& unit_weights)> estimate;
  /// Optional: the n_units leave-one-out estimates, for the BCa acceleration.
  /// When empty the engine calls estimate() with one weight set to zero per
  /// unit, which costs n_units full passes.
  std::function<std::vector<double>()> jackknife;
};

/// More resamples than this are refused: the engine keeps every estimate.
inline constexpr std::size_t max_bootstrap_resamples = 100'000'000;

namespace detail {

using calibra::detail::splitmix64;
using xoshiro256 = calibra::detail::xoshiro256ss;

/// Uniform integers in [0, bound) without modulo bias.  For bounds below
/// 2^32 this is Lemire's (2019) multiply-and-reject method on 32-bit halves
/// of the generator output (two draws per 64-bit word); larger bounds use
/// plain rejection sampling on 64 bits.
class bounded_draw {
 public:
  explicit bounded_draw(std::uint64_t seed) noexcept : generator_(seed) {}

  std::uint64_t operator()(std::uint64_t bound) noexcept;

 private:
  std::uint32_t next32() noexcept;

  std::uint32_t small(std::uint32_t bound) noexcept;

  xoshiro256 generator_;
  std::uint32_t spare_ = 0;
  bool has_spare_ = false;
};

/// The generator seed of resample `index`: a function of (seed, index) only.
std::uint64_t resample_seed(std::uint64_t seed, std::uint64_t index) noexcept;

/// Fills `weights` (size n) with the draw counts of resample `index`:
/// n units drawn with replacement.
void draw_resample(std::uint64_t seed, std::uint64_t index, std::vector<double>& weights);

/// Sample quantile of sorted values by linear interpolation between order
/// statistics (Hyndman & Fan type 7, R's default).
double sorted_quantile(const std::vector<double>& sorted, double probability);

unsigned worker_count(unsigned requested, std::size_t jobs);

/// The BCa acceleration from leave-one-out estimates (Efron 1987):
/// a = sum(d^3) / (6 * (sum(d^2))^1.5) with d = mean - estimate_i.
/// Undefined leave-one-out values are skipped; no spread gives 0.
double bca_acceleration(const std::vector<double>& leave_one_out);

}  // namespace detail

/// Draws opts.bootstrap resamples of the units and replaces the interval of
/// `r` by a bootstrap interval at opts.confidence:
///   - percentile: the (1-c)/2 and (1+c)/2 quantiles of the resample estimates;
///   - bca: the same quantiles shifted by the bias correction z0 and the
///     jackknife acceleration (Efron 1987).  z0 = Phi^-1(share of resample
///     estimates below the point estimate, ties counted half), so that a
///     discrete statistic with many resamples equal to the estimate is not
///     pushed to one side.  When every resample lies on one side of the
///     estimate z0 is infinite; the percentile interval is reported instead
///     and extra["bootstrap_bca_fallback"] is 1.
/// Quantiles interpolate linearly between order statistics (R type 7).
/// Also sets r.se and extra["bootstrap_se"] to the standard deviation of
/// the defined resample estimates (r.se is cleared with fewer than two; the
/// analytic SE, if any, moves to extra["se_analytic"]),
/// extra["bootstrap_resamples"] (requested) and
/// extra["bootstrap_undefined"] (resamples whose estimate was NaN or
/// infinite, dropped).
/// With no point estimate (r.value empty) or opts.bootstrap == 0, `r` is
/// left unchanged.  If no resample is defined the interval is cleared.
void apply_bootstrap(result& r, const resampling_plan& plan, const options& opts);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/bootstrap-inl.hpp>
#endif
