// Header-only consumer: the core used with nothing to link.  Two raters,
// four units rated (1,1), (2,2), (1,2), (2,2): observed agreement 3/4,
// chance agreement 0.5 * 0.25 + 0.5 * 0.75 = 1/2, so Cohen's kappa is
// (3/4 - 1/2) / (1 - 1/2) = 0.5 (worked by hand).
// The umbrella header: every implementation must compile in this mode.
#include <calibra/calibra.hpp>

#ifndef CALIBRA_HEADER_ONLY
#  error "the header-only target must define CALIBRA_HEADER_ONLY"
#endif

#include <cmath>
#include <cstdlib>
#include <iostream>

int main() {
  Eigen::MatrixXd ratings(4, 2);
  ratings << 1, 1, 2, 2, 1, 2, 2, 2;
  const auto kappa = calibra::agreement::agree(ratings, calibra::agreement::statistic::cohen);
  if (!kappa.value || std::abs(*kappa.value - 0.5) > 1e-12) {
    std::cerr << "header-only consumer: Cohen's kappa should be 0.5\n";
    return EXIT_FAILURE;
  }
  std::cout << "header-only consumer: all checks passed\n";
  return EXIT_SUCCESS;
}
