// Test support: pseudo-random units x raters matrices of ordinal codes with
// some agreement built in, for the agreement tests.
#pragma once

#include <Eigen/Core>

#include <limits>
#include <random>

namespace calibra_test {

/// `units` x `raters` codes in 1..q: each unit has a true code that a rater
/// gives with probability 0.6 (otherwise a uniform code), and each cell is
/// missing (NaN) with probability `missing`.  Draws from `rng`, so a test
/// can take several matrices from one stream.
inline Eigen::MatrixXd random_ratings(std::mt19937& rng, Eigen::Index units, Eigen::Index raters, int q,
                                      double missing) {
  std::uniform_int_distribution<int> level(1, q);
  std::uniform_real_distribution<double> unit(0, 1);
  Eigen::MatrixXd m(units, raters);
  for (Eigen::Index i = 0; i < units; ++i) {
    const int truth = level(rng);
    for (Eigen::Index j = 0; j < raters; ++j)
      m(i, j) = unit(rng) < missing ? std::numeric_limits<double>::quiet_NaN()
                                    : (unit(rng) < 0.6 ? truth : level(rng));
  }
  return m;
}

/// The same from a fresh generator seeded with `seed`.
inline Eigen::MatrixXd random_ratings(unsigned seed, Eigen::Index units, Eigen::Index raters, int q,
                                      double missing) {
  std::mt19937 rng(seed);
  return random_ratings(rng, units, raters, q, missing);
}

}  // namespace calibra_test
