// Implementation of <calibra/agreement/pairwise.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/pairwise.hpp>

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <utility>


namespace calibra::agreement {

CALIBRA_INLINE pairwise_result pairwise(const ratings_ref& ratings, statistic stat, const options& opts) {
detail::check_confidence(opts.confidence);
const Eigen::Index raters = ratings.cols();
pairwise_result out;
out.stat = stat;
out.used = opts;
out.used.missing = missing_policy::listwise;
out.used.bootstrap = 0;
out.value = Eigen::MatrixXd::Constant(raters, raters, std::numeric_limits<double>::quiet_NaN());
out.n_units = Eigen::MatrixXi::Zero(raters, raters);
Eigen::MatrixXd pair(ratings.rows(), 2);
for (Eigen::Index a = 0; a < raters; ++a) {
  out.n_units(a, a) = static_cast<int>((ratings.col(a).array() == ratings.col(a).array()).count());
  for (Eigen::Index b = a + 1; b < raters; ++b) {
    pair.col(0) = ratings.col(a);
    pair.col(1) = ratings.col(b);
    const int shared = static_cast<int>(
        ((pair.col(0).array() == pair.col(0).array()) && (pair.col(1).array() == pair.col(1).array())).count());
    out.n_units(a, b) = out.n_units(b, a) = shared;
    const result r = agree(pair, stat, out.used);
    if (r.value) {
      out.value(a, b) = *r.value;
      out.value(b, a) = *r.value;
    } else {
      out.reasons[{static_cast<std::size_t>(a), static_cast<std::size_t>(b)}] =
          r.reason ? *r.reason : "no value";
    }
  }
}
  return out;
}

}  // namespace calibra::agreement
