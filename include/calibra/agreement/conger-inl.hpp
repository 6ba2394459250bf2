// Implementation of <calibra/agreement/conger.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/conger.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>


namespace calibra::agreement::detail {

CALIBRA_INLINE result conger_from_coded(const coded_ratings& coded, const options& opts,
                                const std::vector<double>& unit_weights) {
  check_confidence(opts.confidence);
  check_table_categories(coded.categories.size(), weighted_title(statistic::conger, opts));
  const Eigen::MatrixXd W = weights_for(opts, coded.categories.codes());
  const auto q = static_cast<Eigen::Index>(coded.categories.size());
  const Eigen::Index units = coded.index.rows();
  auto weight_of = [&](Eigen::Index u) {
    return unit_weights.empty() ? 1.0 : unit_weights[static_cast<std::size_t>(u)];
  };

  result res;
  res.stat = statistic::conger;
  res.used = used_options(opts, coded.categories);

  // Per-rater classification counts; raters without ratings have no
  // distribution and are left out (irrCAC would divide by zero).
  Eigen::MatrixXd classified = Eigen::MatrixXd::Zero(coded.index.cols(), q);
  double n = 0, n2 = 0, sum_pa = 0;
  std::vector<double> pa_unit(static_cast<std::size_t>(units), 0.0);
  std::vector<double> counts(static_cast<std::size_t>(q), 0.0);
  for (Eigen::Index u = 0; u < units; ++u) {
    const double w = weight_of(u);
    if (w == 0) continue;
    double r = 0;
    for (Eigen::Index g = 0; g < coded.index.cols(); ++g) {
      const std::int32_t k = coded.index(u, g);
      if (k == missing_index) continue;
      classified(g, k) += w;
      counts[static_cast<std::size_t>(k)] += 1;
      r += 1;
    }
    if (r == 0) continue;
    n += w;
    if (r >= 2) {
      double agreeing = 0;
      for (Eigen::Index g = 0; g < coded.index.cols(); ++g) {
        const std::int32_t k = coded.index(u, g);
        if (k == missing_index) continue;
        double weighted = 0;
        for (Eigen::Index l = 0; l < q; ++l) weighted += W(k, l) * counts[static_cast<std::size_t>(l)];
        agreeing += weighted - 1;
      }
      pa_unit[static_cast<std::size_t>(u)] = agreeing / (r * (r - 1));
      n2 += w;
      sum_pa += w * pa_unit[static_cast<std::size_t>(u)];
    }
    for (Eigen::Index g = 0; g < coded.index.cols(); ++g) {
      const std::int32_t k = coded.index(u, g);
      if (k != missing_index) counts[static_cast<std::size_t>(k)] = 0;
    }
  }
  // With no category at all (every cell missing) `classified` has no
  // columns and no storage: a row block of it would offset a null pointer
  // (found by fuzz_wide_csv under clang's UBSan).
  std::vector<Eigen::Index> active;
  if (q > 0)
    for (Eigen::Index g = 0; g < classified.rows(); ++g)
      if (classified.row(g).sum() > 0) active.push_back(g);
  const auto raters = static_cast<Eigen::Index>(active.size());
  res.n_units = static_cast<std::size_t>(std::llround(n));
  res.n_raters = active.size();
  res.extra["pairable_units"] = n2;
  if (n2 <= 0 || raters < 2) {
    res.reason = "no pairable units: no unit has two or more ratings";
    return res;
  }
  const double rr = static_cast<double>(raters);
  Eigen::MatrixXd share(raters, q);  // p_gk
  Eigen::VectorXd rated(raters);     // n_g
  for (Eigen::Index a = 0; a < raters; ++a) {
    rated[a] = classified.row(active[static_cast<std::size_t>(a)]).sum();
    share.row(a) = classified.row(active[static_cast<std::size_t>(a)]) / rated[a];
  }
  const Eigen::VectorXd mean_share = share.colwise().sum().transpose() / rr;
  const Eigen::MatrixXd spread =
      (share.transpose() * share - rr * mean_share * mean_share.transpose()) / (rr - 1);
  const double pa = sum_pa / n2;
  const double pe = (W.array() * (mean_share * mean_share.transpose() - spread / rr).array()).sum();
  if (!set_chance_corrected(res, pa, pe, static_cast<std::size_t>(q))) return res;
  const double kappa = *res.value;
  if (n < 2) return res;

  // Gwet's linearisation of pe: for rater g rating unit i in category y,
  // lambda_ig = [rated] A(g, y) - ([rated] - n_g/n) B_g.
  Eigen::MatrixXd Q(raters, q);
  for (Eigen::Index a = 0; a < raters; ++a)
    for (Eigen::Index k = 0; k < q; ++k) Q(a, k) = (n / rated[a]) * (rr * mean_share[k] - share(a, k));
  const Eigen::MatrixXd A = Q * W;
  const Eigen::MatrixXd weighted_share = share * W.transpose();
  const Eigen::VectorXd B = (weighted_share.array() * Q.array()).rowwise().sum();
  const double f = sampling_fraction(n, opts.population_units);
  double sum_sq = 0;
  for (Eigen::Index u = 0; u < units; ++u) {
    const double w = weight_of(u);
    if (w == 0) continue;
    double lambda = 0, r = 0;
    for (Eigen::Index a = 0; a < raters; ++a) {
      const std::int32_t k = coded.index(u, active[static_cast<std::size_t>(a)]);
      const double is_rated = k == missing_index ? 0.0 : 1.0;
      if (k != missing_index) lambda += A(a, k);
      lambda -= (is_rated - rated[a] / n) * B[a];
      r += is_rated;
    }
    if (r == 0) continue;
    const double pe_unit = lambda / (rr * (rr - 1));
    const double pairable = r >= 2 ? 1.0 : 0.0;
    const double x = (n / n2) * (pa_unit[static_cast<std::size_t>(u)] - pe * pairable) / (1 - pe) -
                     2 * (1 - kappa) * (pe_unit - pe) / (1 - pe);
    sum_sq += w * (x - kappa) * (x - kappa);
  }
  set_t_interval(res, (1 - f) / (n * (n - 1)) * sum_sq, n, opts);
  return res;
}

CALIBRA_INLINE double conger_value(const Eigen::MatrixXd& classified, double n2, double sum_pa,
                                   const Eigen::MatrixXd& W) {
  const Eigen::Index q = classified.cols();
  Eigen::Index raters = 0;
  for (Eigen::Index g = 0; g < classified.rows(); ++g)
    if (classified.row(g).sum() > 0) ++raters;
  if (n2 <= 0 || raters < 2) return std::numeric_limits<double>::quiet_NaN();
  Eigen::MatrixXd share(raters, q);
  for (Eigen::Index g = 0, a = 0; g < classified.rows(); ++g) {
    const double rated = classified.row(g).sum();
    if (rated > 0) share.row(a++) = classified.row(g) / rated;
  }
  const double rr = static_cast<double>(raters);
  const Eigen::VectorXd mean_share = share.colwise().sum().transpose() / rr;
  const Eigen::MatrixXd spread = (share.transpose() * share - rr * mean_share * mean_share.transpose()) / (rr - 1);
  const double pa = sum_pa / n2;
  const double pe = (W.array() * (mean_share * mean_share.transpose() - spread / rr).array()).sum();
  if (1 - pe <= 1e-12) return std::numeric_limits<double>::quiet_NaN();
  return (pa - pe) / (1 - pe);
}

CALIBRA_INLINE std::vector<double> conger_jackknife(const coded_ratings& coded, const options& opts) {
check_table_categories(coded.categories.size(), weighted_title(statistic::conger, opts));
const Eigen::MatrixXd W = weights_for(opts, coded.categories.codes());
const auto q = static_cast<Eigen::Index>(coded.categories.size());
const Eigen::Index units = coded.index.rows(), raters = coded.index.cols();
Eigen::MatrixXd classified = Eigen::MatrixXd::Zero(raters, q);
std::vector<double> pa_unit(static_cast<std::size_t>(units), 0.0);
std::vector<unsigned char> pairable(static_cast<std::size_t>(units), 0);
std::vector<double> counts(static_cast<std::size_t>(q), 0.0);
double n2 = 0, sum_pa = 0;
for (Eigen::Index u = 0; u < units; ++u) {
  double r = 0;
  for (Eigen::Index g = 0; g < raters; ++g) {
    const std::int32_t k = coded.index(u, g);
    if (k == missing_index) continue;
    classified(g, k) += 1;
    counts[static_cast<std::size_t>(k)] += 1;
    r += 1;
  }
  if (r >= 2) {
    double agreeing = 0;
    for (Eigen::Index g = 0; g < raters; ++g) {
      const std::int32_t k = coded.index(u, g);
      if (k == missing_index) continue;
      double weighted = 0;
      for (Eigen::Index l = 0; l < q; ++l) weighted += W(k, l) * counts[static_cast<std::size_t>(l)];
      agreeing += weighted - 1;
    }
    pa_unit[static_cast<std::size_t>(u)] = agreeing / (r * (r - 1));
    pairable[static_cast<std::size_t>(u)] = 1;
    n2 += 1;
    sum_pa += pa_unit[static_cast<std::size_t>(u)];
  }
  for (Eigen::Index g = 0; g < raters; ++g) {
    const std::int32_t k = coded.index(u, g);
    if (k != missing_index) counts[static_cast<std::size_t>(k)] = 0;
  }
}
  std::vector<double> leave_one_out(static_cast<std::size_t>(units));
  for (Eigen::Index u = 0; u < units; ++u) {
    for (Eigen::Index g = 0; g < raters; ++g)
      if (coded.index(u, g) != missing_index) classified(g, coded.index(u, g)) -= 1;
    const auto at = static_cast<std::size_t>(u);
    leave_one_out[at] = conger_value(classified, n2 - pairable[at], sum_pa - pa_unit[at], W);
    for (Eigen::Index g = 0; g < raters; ++g)
      if (coded.index(u, g) != missing_index) classified(g, coded.index(u, g)) += 1;
  }
  return leave_one_out;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result conger_kappa(const ratings_ref& ratings, const options& opts) {
  return detail::conger_from_coded(code_ratings(ratings, opts), opts);
}

}  // namespace calibra::agreement
