// Shared fixture of the agreement benchmarks: seeded, reproducible rating
// matrices (units x raters, column-major, NaN = missing), built once per
// shape and kept for the life of the process, so that generating ten
// million ratings is not charged to every benchmark that reads them.
//
// The data follow a simple "true category plus noise" model: each unit has a
// true category drawn uniformly from 1..q; each rater reports it with
// probability `accuracy` and otherwise a uniformly drawn category (possibly
// the true one again).  That gives moderate agreement (kappa about 0.6 for
// accuracy 0.65), which is what real calibration data look like, and keeps
// every coefficient well defined at every size.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

namespace calibra::bench {

/// Shape and randomness of one generated rating matrix.
struct matrix_spec {
  std::size_t units = 0;
  std::size_t raters = 5;
  int q = 5;                  // categories, coded 1..q
  double missing_rate = 0;    // probability that a rating is missing
  double accuracy = 0.65;     // probability that a rater reports the true category
  std::uint64_t seed = 20240601;

  std::size_t ratings() const { return units * raters; }

  friend bool operator<(const matrix_spec& a, const matrix_spec& b) {
    return std::tie(a.units, a.raters, a.q, a.missing_rate, a.accuracy, a.seed) <
           std::tie(b.units, b.raters, b.q, b.missing_rate, b.accuracy, b.seed);
  }
};

/// splitmix64: tiny, fast and specified here, so a seed gives the same
/// matrix with every compiler and standard library.
class splitmix64 {
 public:
  explicit splitmix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) from the top 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, bound); the modulo bias is below 2^-50 for the
  /// small bounds used here, irrelevant for benchmark data.
  int below(int bound) { return static_cast<int>(next() % static_cast<std::uint64_t>(bound)); }

 private:
  std::uint64_t state_;
};

inline Eigen::MatrixXd generate(const matrix_spec& spec) {
  const auto n = static_cast<Eigen::Index>(spec.units);
  const auto k = static_cast<Eigen::Index>(spec.raters);
  Eigen::MatrixXd ratings(n, k);
  splitmix64 random(spec.seed);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Row by row so that a unit's ratings share its true category; the
  // matrix is column-major, but generation is paid once per shape.
  for (Eigen::Index u = 0; u < n; ++u) {
    const int truth = random.below(spec.q);
    for (Eigen::Index j = 0; j < k; ++j) {
      const bool correct = random.uniform() < spec.accuracy;
      const int category = correct ? truth : random.below(spec.q);
      const bool missing = spec.missing_rate > 0 && random.uniform() < spec.missing_rate;
      ratings(u, j) = missing ? nan : static_cast<double>(category + 1);
    }
  }
  return ratings;
}

/// The matrix for `spec`, generated on first use and cached.
inline const Eigen::MatrixXd& ratings_for(const matrix_spec& spec) {
  static std::mutex mutex;
  static std::map<matrix_spec, std::unique_ptr<Eigen::MatrixXd>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[spec];
  if (!slot) slot = std::make_unique<Eigen::MatrixXd>(generate(spec));
  return *slot;
}

/// A spec with about `ratings` ratings spread over `raters` columns.
inline matrix_spec spec_for_ratings(std::size_t ratings, std::size_t raters, int q = 5, double missing_rate = 0) {
  matrix_spec spec;
  spec.raters = raters;
  spec.units = ratings / raters;
  spec.q = q;
  spec.missing_rate = missing_rate;
  return spec;
}

}  // namespace calibra::bench
