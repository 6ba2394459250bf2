// Implementation of <calibra/agreement/bootstrap.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/bootstrap.hpp>

#include <calibra/agreement/options.hpp>
#include <calibra/detail/random.hpp>
#include <calibra/detail/math_policy.hpp>
#include <calibra/error.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/policies/policy.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>


namespace calibra::agreement::detail {

/// Runs body(job, thread_buffer) for job in [0, jobs) on `threads` threads.
/// Jobs are interleaved over threads; each thread owns one weight buffer of
/// size n_units.  The first exception thrown by any job is rethrown here.
template <typename Body>
void parallel_jobs(std::size_t jobs, unsigned threads, std::size_t n_units, const Body& body) {
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto worker = [&](unsigned thread_index) {
    try {
      std::vector<double> weights(n_units);
      for (std::size_t job = thread_index; job < jobs; job += threads) body(job, weights);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  if (threads <= 1) {
    worker(0);
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads - 1);
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& thread : pool) thread.join();
  }
  if (failure) std::rethrow_exception(failure);
}


CALIBRA_INLINE auto bounded_draw::operator()(std::uint64_t bound) noexcept -> std::uint64_t {
  if (bound <= 1) return 0;
  if (bound <= 0xFFFFFFFFULL) return small(static_cast<std::uint32_t>(bound));
  const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
  for (;;) {
    const std::uint64_t x = generator_.next();
    if (x >= threshold) return x % bound;
  }
}

CALIBRA_INLINE auto bounded_draw::next32() noexcept -> std::uint32_t {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const std::uint64_t word = generator_.next();
  spare_ = static_cast<std::uint32_t>(word);
  has_spare_ = true;
  return static_cast<std::uint32_t>(word >> 32);
}

CALIBRA_INLINE auto bounded_draw::small(std::uint32_t bound) noexcept -> std::uint32_t {
  std::uint64_t product = std::uint64_t{next32()} * bound;
  auto low = static_cast<std::uint32_t>(product);
  if (low < bound) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(0 - bound) % bound;  // 2^32 mod bound
    while (low < threshold) {
      product = std::uint64_t{next32()} * bound;
      low = static_cast<std::uint32_t>(product);
    }
  }
  return static_cast<std::uint32_t>(product >> 32);
}

CALIBRA_INLINE std::uint64_t resample_seed(std::uint64_t seed, std::uint64_t index) noexcept {
  std::uint64_t mixer = seed;
  const std::uint64_t seed_word = splitmix64(mixer);
  mixer = seed_word ^ (index * 0xD1B54A32D192ED03ULL);
  return splitmix64(mixer);
}

CALIBRA_INLINE void draw_resample(std::uint64_t seed, std::uint64_t index, std::vector<double>& weights) {
  std::fill(weights.begin(), weights.end(), 0.0);
  bounded_draw draw(resample_seed(seed, index));
  const std::uint64_t n = weights.size();
  for (std::uint64_t i = 0; i < n; ++i) weights[static_cast<std::size_t>(draw(n))] += 1.0;
}

CALIBRA_INLINE double sorted_quantile(const std::vector<double>& sorted, double probability) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  probability = std::clamp(probability, 0.0, 1.0);
  const double position = probability * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

CALIBRA_INLINE unsigned worker_count(unsigned requested, std::size_t jobs) {
  unsigned threads = requested != 0 ? requested : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  if (jobs < threads) threads = static_cast<unsigned>(std::max<std::size_t>(jobs, 1));
  return threads;
}

CALIBRA_INLINE double bca_acceleration(const std::vector<double>& leave_one_out) {
  double mean = 0;
  std::size_t defined = 0;
  for (double value : leave_one_out)
    if (std::isfinite(value)) {
      ++defined;
      mean += (value - mean) / static_cast<double>(defined);
    }
  if (defined < 2) return 0.0;
  double squares = 0, cubes = 0;
  for (double value : leave_one_out)
    if (std::isfinite(value)) {
      const double d = mean - value;
      squares += d * d;
      cubes += d * d * d;
    }
  if (!(squares > 0)) return 0.0;
  return cubes / (6.0 * std::pow(squares, 1.5));
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE void apply_bootstrap(result& r, const resampling_plan& plan, const options& opts) {
if (opts.bootstrap == 0 || !r.value) return;
if (!(opts.confidence > 0 && opts.confidence < 1))
  throw invalid_argument("bootstrap", "confidence level " + std::to_string(opts.confidence) +
                                          " is outside (0, 1); expected e.g. 0.95");
if (!plan.estimate) throw invalid_argument("bootstrap", "the resampling plan has no estimate function");
if (plan.n_units == 0) throw invalid_argument("bootstrap", "cannot resample: there are no units");
if (opts.bootstrap > max_bootstrap_resamples)
  throw invalid_argument("bootstrap", std::to_string(opts.bootstrap) + " resamples requested; expected at most " +
                                          std::to_string(max_bootstrap_resamples));

const std::size_t resamples = opts.bootstrap;
const unsigned threads = detail::worker_count(opts.threads, resamples);
std::vector<double> estimates(resamples);
detail::parallel_jobs(resamples, threads, plan.n_units, [&](std::size_t b, std::vector<double>& weights) {
  detail::draw_resample(opts.seed, b, weights);
  estimates[b] = plan.estimate(weights);
});

std::vector<double> defined;
defined.reserve(resamples);
for (double value : estimates)
  if (std::isfinite(value)) defined.push_back(value);
const std::size_t undefined = resamples - defined.size();
r.extra["bootstrap_resamples"] = static_cast<double>(resamples);
r.extra["bootstrap_undefined"] = static_cast<double>(undefined);
r.extra.erase("bootstrap_se");
r.extra.erase("bootstrap_bca_fallback");
// The analytic SE stays in extra; r.se becomes the bootstrap SE, or none.
if (r.se && !r.extra.count("se_analytic")) r.extra["se_analytic"] = *r.se;
r.se.reset();
r.ci_low.reset();
r.ci_high.reset();

const bool want_bca = opts.bootstrap_method == bootstrap_interval::bca;
r.ci_method = want_bca ? "bootstrap-bca" : "bootstrap-percentile";
if (defined.empty()) return;

std::sort(defined.begin(), defined.end());
const double count = static_cast<double>(defined.size());
if (defined.size() >= 2) {
  double mean = 0, m2 = 0, seen = 0;
  for (double value : defined) {
    seen += 1;
    const double delta = value - mean;
    mean += delta / seen;
    m2 += delta * (value - mean);
  }
  r.extra["bootstrap_se"] = std::sqrt(m2 / (count - 1));
  r.se = r.extra["bootstrap_se"];
}

  const double tail = (1.0 - opts.confidence) / 2.0;
  double low_probability = tail;
  double high_probability = 1.0 - tail;

  if (want_bca) {
    const double estimate = *r.value;
    const auto below =
        static_cast<double>(std::lower_bound(defined.begin(), defined.end(), estimate) - defined.begin());
    const auto not_above =
        static_cast<double>(std::upper_bound(defined.begin(), defined.end(), estimate) - defined.begin());
    const double share = (below + 0.5 * (not_above - below)) / count;
    if (share <= 0.0 || share >= 1.0) {
      r.ci_method = "bootstrap-percentile";
      r.extra["bootstrap_bca_fallback"] = 1.0;
    } else {
      const boost::math::normal_distribution<double, detail::quiet_math_policy> standard_normal;
      const double z0 = boost::math::quantile(standard_normal, share);

      std::vector<double> leave_one_out;
      if (plan.jackknife) {
        leave_one_out = plan.jackknife();
      } else {
        leave_one_out.assign(plan.n_units, std::numeric_limits<double>::quiet_NaN());
        const unsigned jack_threads = detail::worker_count(opts.threads, plan.n_units);
        detail::parallel_jobs(plan.n_units, jack_threads, plan.n_units,
                              [&](std::size_t u, std::vector<double>& weights) {
                                std::fill(weights.begin(), weights.end(), 1.0);
                                weights[u] = 0.0;
                                leave_one_out[u] = plan.estimate(weights);
                              });
      }
      const double acceleration = detail::bca_acceleration(leave_one_out);
      r.extra["bootstrap_acceleration"] = acceleration;
      r.extra["bootstrap_bias_z0"] = z0;
      auto adjusted = [&](double probability) {
        const double z = boost::math::quantile(standard_normal, probability);
        const double shifted = z0 + z;
        const double denominator = 1.0 - acceleration * shifted;
        // As the denominator falls to zero the adjusted level runs off to
        // the end of the distribution on the side of `shifted`; past zero
        // the formula is meaningless, so clamp to that extreme.
        if (!(denominator > 0)) return shifted > 0 ? 1.0 : 0.0;
        return boost::math::cdf(standard_normal, z0 + shifted / denominator);
      };
      low_probability = adjusted(tail);
      high_probability = adjusted(1.0 - tail);
    }
  }

  r.ci_low = detail::sorted_quantile(defined, low_probability);
  r.ci_high = detail::sorted_quantile(defined, high_probability);
}

}  // namespace calibra::agreement
