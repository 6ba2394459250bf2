// Implementation of <calibra/agreement/krippendorff.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/krippendorff.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>


namespace calibra::agreement::detail {

CALIBRA_INLINE std::string krippendorff_title(measurement_level level) {
  return "Krippendorff's alpha (" + std::string(to_string(level)) + " level)";
}

CALIBRA_INLINE bool set_alpha(result& r, double total, double observed_sum, double expected_sum, double pa_prime,
                      double pe) {
  r.observed = (1 - 1 / total) * pa_prime + 1 / total;
  r.chance = pe;
  r.extra["observed_disagreement"] = observed_sum / total;
  if (total > 1) r.extra["expected_disagreement"] = expected_sum / (total * (total - 1));
  if (!(expected_sum > 1e-12 * total * total)) {
    r.reason = "no variation: every pairable value is in one category, so expected disagreement is 0";
    return false;
  }
  r.value = 1 - (total - 1) * observed_sum / expected_sum;
  return true;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE Eigen::MatrixXd krippendorff_weights(measurement_level level, const std::vector<double>& codes,
                                            const Eigen::VectorXd& marginals) {
  switch (level) {
    case measurement_level::nominal:
      return make_weights(weight_scheme::identity, codes);
    case measurement_level::interval:
      return make_weights(weight_scheme::quadratic, codes);
    case measurement_level::ratio:
      return make_weights(weight_scheme::ratio, codes);
    case measurement_level::ordinal: {
      const auto q = static_cast<Eigen::Index>(codes.size());
      if (marginals.size() != q)
        throw invalid_argument("agreement", "ordinal Krippendorff weights need the frequencies of all " +
                                                std::to_string(q) + " categories");
      // d_ck = (n_c/2 + n_{c+1} + ... + n_{k-1} + n_k/2)^2
      Eigen::MatrixXd d = Eigen::MatrixXd::Zero(q, q);
      for (Eigen::Index c = 0; c < q; ++c) {
        double between = 0;
        for (Eigen::Index k = c + 1; k < q; ++k) {
          const double span = marginals[c] / 2 + between + marginals[k] / 2;
          d(c, k) = d(k, c) = span * span;
          between += marginals[k];
        }
      }
      // No categories at all (every rating missing): Eigen's maxCoeff of an
      // empty matrix is undefined, so answer before asking it.
      const double largest = q == 0 ? 0.0 : d.maxCoeff();
      if (largest <= 0) return Eigen::MatrixXd::Identity(q, q);
      return (1 - d.array() / largest).matrix();
    }
  }
  return make_weights(weight_scheme::identity, codes);
}

CALIBRA_INLINE krippendorff_summary::krippendorff_summary(category_set categories, measurement_level level,
                                                          std::optional<Eigen::MatrixXd> variance_weights)
    : categories_(std::move(categories)), level_(level) {
  detail::check_table_categories(categories_.size(), detail::krippendorff_title(level) + " (krippendorff_summary)");
  const auto q = static_cast<Eigen::Index>(categories_.size());
  if (variance_weights) {
    if (variance_weights->rows() != q || variance_weights->cols() != q)
      throw invalid_argument("agreement", "krippendorff_summary: variance weights must be q x q");
    weights_ = std::move(*variance_weights);
  } else if (level != measurement_level::ordinal) {
    weights_ = krippendorff_weights(level, categories_.codes());
  }
  coincidence_ = Eigen::MatrixXd::Zero(q, q);
  sum_c_ = sum_sc_ = sum_rc_ = Eigen::VectorXd::Zero(q);
  sum_cc_ = Eigen::MatrixXd::Zero(q, q);
}

  CALIBRA_INLINE auto krippendorff_summary::add_unit(const std::int32_t* category, const double* count, std::size_t m,
                                                     double weight) -> void {
    double r = 0;
    for (std::size_t a = 0; a < m; ++a) r += count[a];
    if (r <= 0 || weight == 0) return;
    rated_units_ += weight;
    if (r < 2) return;
    pairable_units_ += weight;
    const double per_pair = weight / (r - 1);
    for (std::size_t a = 0; a < m; ++a) {
      for (std::size_t b = 0; b < m; ++b)
        coincidence_(category[a], category[b]) += per_pair * count[a] * (count[b] - (a == b ? 1.0 : 0.0));
    }
    if (!has_variance_weights()) return;
    double s = 0;
    for (std::size_t a = 0; a < m; ++a) {
      double weighted = 0;
      for (std::size_t b = 0; b < m; ++b) weighted += weights_(category[a], category[b]) * count[b];
      s += count[a] * (weighted - 1);
    }
    s /= r - 1;
    sum_s_ += weight * s;
    sum_ss_ += weight * s * s;
    sum_r_ += weight * r;
    sum_rr_ += weight * r * r;
    sum_sr_ += weight * s * r;
    for (std::size_t a = 0; a < m; ++a) {
      sum_c_[category[a]] += weight * count[a];
      sum_sc_[category[a]] += weight * s * count[a];
      sum_rc_[category[a]] += weight * r * count[a];
      for (std::size_t b = 0; b < m; ++b) sum_cc_(category[a], category[b]) += weight * count[a] * count[b];
    }
  }

  CALIBRA_INLINE auto krippendorff_summary::combine(const krippendorff_summary& other, double sign)
      -> krippendorff_summary& {
    if (other.categories_ != categories_ || other.level_ != level_ || other.weights_ != weights_)
      throw invalid_argument("agreement",
                             "cannot merge Krippendorff summaries built on different categories, "
                             "levels or variance weights");
    rated_units_ += sign * other.rated_units_;
    pairable_units_ += sign * other.pairable_units_;
    coincidence_ += sign * other.coincidence_;
    sum_s_ += sign * other.sum_s_;
    sum_ss_ += sign * other.sum_ss_;
    sum_r_ += sign * other.sum_r_;
    sum_rr_ += sign * other.sum_rr_;
    sum_sr_ += sign * other.sum_sr_;
    sum_c_ += sign * other.sum_c_;
    sum_sc_ += sign * other.sum_sc_;
    sum_rc_ += sign * other.sum_rc_;
    sum_cc_ += sign * other.sum_cc_;
    if (sign > 0) n_raters = std::max(n_raters, other.n_raters);
    return *this;
  }

CALIBRA_INLINE result krippendorff_summary::finish(const options& opts) const {
detail::check_confidence(opts.confidence);
result r;
r.stat = statistic::krippendorff;
r.used = detail::used_options(opts, categories_);
r.used.level = level_;
r.n_units = static_cast<std::size_t>(std::llround(pairable_units_));
r.n_raters = n_raters;
r.extra["units_with_values"] = rated_units_;
const double f = detail::sampling_fraction(rated_units_, opts.population_units);
if (pairable_units_ <= 0) {
  r.reason = "no pairable units: no unit has two or more values";
  return r;
}
  const double total = coincidence_.sum();  // n.. = pairable values
  const Eigen::VectorXd marginals = coincidence_.rowwise().sum();
  const Eigen::MatrixXd w = krippendorff_weights(level_, categories_.codes(), marginals);
  const Eigen::ArrayXXd distance = 1 - w.array();
  const double observed_sum = (coincidence_.array() * distance).sum();
  const double expected_sum = (marginals * marginals.transpose()).cwiseProduct(distance.matrix()).sum();

  // Gwet's agreement form: pa' from the weighted coincidences, pe = pi' W pi.
  const double pa_prime = (coincidence_.array() * w.array()).sum() / total;
  const Eigen::VectorXd pi = marginals / total;
  if (!detail::set_alpha(r, total, observed_sum, expected_sum, pa_prime, pi.dot(w * pi))) return r;
  const double pa = *r.observed, pe = *r.chance;

  // The variance sums hold for one weight matrix; for ordinal data it must
  // be the one of the pooled frequencies, which finish() has just rebuilt.
  if (!has_variance_weights() || !weights_.isApprox(w, 1e-12) || pairable_units_ < 2) return r;
  const double n = pairable_units_;
  const double mean_r = sum_r_ / n;
  const double D = 1 - pe;
  const double alpha_prime = (pa_prime - pe) / D;
  const double B = 2 * (1 - alpha_prime) / D;
  const Eigen::VectorXd v = 0.5 * (w + w.transpose()) * pi;
  // d_i = a s_i + b r_i + g.c_i + h, expanded over the stored sums.
  const double a = 1 / (mean_r * D);
  const double b = -pa / (mean_r * D) + B * pe / mean_r;
  const Eigen::VectorXd g = -B * v / mean_r;
  const double h = (pa - pe) / D - alpha_prime;
  const double sum_sq = a * a * sum_ss_ + b * b * sum_rr_ + g.dot(sum_cc_ * g) + h * h * n +
                        2 * (a * b * sum_sr_ + a * g.dot(sum_sc_) + a * h * sum_s_ + b * g.dot(sum_rc_) +
                             b * h * sum_r_ + h * g.dot(sum_c_));
  detail::set_t_interval(r, (1 - f) / (n * (n - 1)) * sum_sq, n, opts);
  return r;
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE Eigen::VectorXd pairable_marginals(const unit_counts& table, const std::vector<double>& unit_weights) {
Eigen::VectorXd marginals = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(table.q));
for (std::size_t u = 0; u < table.n_units(); ++u) {
  const double w = unit_weights.empty() ? 1.0 : unit_weights[u];
  double r = 0;
  for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e) r += table.count[e];
  if (r < 2 || w == 0) continue;
  for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e)
    marginals[table.category[e]] += w * table.count[e];
}
  return marginals;
}

CALIBRA_INLINE krippendorff_summary krippendorff_from_table(const unit_counts& table, const category_set& categories,
                                                    measurement_level level,
                                                    const std::vector<double>& unit_weights) {
  std::optional<Eigen::MatrixXd> weights;
  if (level == measurement_level::ordinal)
    weights = krippendorff_weights(level, categories.codes(), pairable_marginals(table, unit_weights));
  krippendorff_summary summary(categories, level, std::move(weights));
  for (std::size_t u = 0; u < table.n_units(); ++u) {
    const double w = unit_weights.empty() ? 1.0 : unit_weights[u];
    if (w == 0) continue;
    const std::size_t begin = table.offsets[u];
    summary.add_unit(table.category.data() + begin, table.count.data() + begin, table.offsets[u + 1] - begin, w);
  }
  return summary;
}

CALIBRA_INLINE Eigen::VectorXd pairable_marginals(const unit_patterns& patterns,
                                                  const std::vector<double>& pattern_units) {
  Eigen::VectorXd marginals = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(patterns.categories.size()));
  patterns.for_each(pattern_units, [&](const std::int32_t* category, const double* count, std::size_t m, double w) {
    double r = 0;
    for (std::size_t a = 0; a < m; ++a) r += count[a];
    if (r < 2) return;
    for (std::size_t a = 0; a < m; ++a) marginals[category[a]] += w * count[a];
  });
  return marginals;
}

CALIBRA_INLINE krippendorff_summary krippendorff_from_patterns(const unit_patterns& patterns, measurement_level level,
                                                               const std::vector<double>& pattern_units) {
  std::optional<Eigen::MatrixXd> weights;
  if (level == measurement_level::ordinal)
    weights = krippendorff_weights(level, patterns.categories.codes(), pairable_marginals(patterns, pattern_units));
  krippendorff_summary summary(patterns.categories, level, std::move(weights));
  patterns.for_each(pattern_units, [&](const std::int32_t* category, const double* count, std::size_t m, double w) {
    summary.add_unit(category, count, m, w);
  });
  return summary;
}

CALIBRA_INLINE result krippendorff_without_tables(const coded_ratings& coded, const options& opts) {
check_confidence(opts.confidence);
const measurement_level level = opts.level;
if (level == measurement_level::ratio)
  throw invalid_argument("agreement", "krippendorff_without_tables: the ratio level needs the table path");
const std::size_t q = coded.categories.size();
const std::vector<double>& codes = coded.categories.codes();

result r;
r.stat = statistic::krippendorff;
r.used = used_options(opts, coded.categories);
r.used.level = level;
r.n_raters = active_raters(coded);

// Pass 1: units, pairable values per category.
double rated_units = 0, pairable_units = 0, sum_r = 0;
std::vector<double> marginals(q, 0.0);
for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
  double units_r = 0;
  for (std::size_t a = 0; a < m; ++a) units_r += count[a];
  if (units_r <= 0) return;
  rated_units += 1;
  if (units_r < 2) return;
  pairable_units += 1;
  sum_r += units_r;
  for (std::size_t a = 0; a < m; ++a) marginals[static_cast<std::size_t>(category[a])] += count[a];
});
r.n_units = static_cast<std::size_t>(std::llround(pairable_units));
r.extra["units_with_values"] = rated_units;
const double f = sampling_fraction(rated_units, opts.population_units);
if (pairable_units <= 0) {
  r.reason = "no pairable units: no unit has two or more values";
  return r;
}

  // The position of each category on the metric's line, and its squared span.
  std::vector<double> y(q, 0.0);
  if (level == measurement_level::interval) {
    y = codes;
  } else if (level == measurement_level::ordinal) {
    double below = 0;
    for (std::size_t c = 0; c < q; ++c) {
      y[c] = below + marginals[c] / 2;
      below += marginals[c];
    }
  }
  const double span = q < 2 ? 0.0 : y.back() - y.front();
  // No spread (one category, or no pairable values on an ordinal line): the
  // table path falls back to identity weights, and so does this one.
  const bool nominal = level == measurement_level::nominal || !(span > 0);
  const double largest = span * span;

  double total = 0, weighted_y = 0;
  for (std::size_t c = 0; c < q; ++c) {
    total += marginals[c];
    weighted_y += marginals[c] * y[c];
  }
  const double mean_y = weighted_y / total;
  double expected_sum = 0, spread_y = 0;  // spread_y: sum_c n_c (y_c - mean)^2 / D
  if (nominal) {
    double squares = 0;
    for (double n_c : marginals) squares += n_c * n_c;
    expected_sum = total * total - squares;
  } else {
    for (std::size_t c = 0; c < q; ++c) spread_y += marginals[c] * (y[c] - mean_y) * (y[c] - mean_y);
    spread_y /= largest;
    expected_sum = 2 * total * spread_y;
  }

  // A unit's sum over ordered pairs of its values of the distance.
  auto pair_disagreement = [&](const std::int32_t* category, const double* count, std::size_t m, double units_r) {
    if (nominal) {
      double squares = 0;
      for (std::size_t a = 0; a < m; ++a) squares += count[a] * count[a];
      return units_r * units_r - squares;
    }
    double unit_mean = 0;
    for (std::size_t a = 0; a < m; ++a) unit_mean += count[a] * y[static_cast<std::size_t>(category[a])];
    unit_mean /= units_r;
    double spread = 0;
    for (std::size_t a = 0; a < m; ++a) {
      const double deviation = y[static_cast<std::size_t>(category[a])] - unit_mean;
      spread += count[a] * deviation * deviation;
    }
    return 2 * units_r * spread / largest;
  };
  auto unit_total = [](const double* count, std::size_t m) {
    double units_r = 0;
    for (std::size_t a = 0; a < m; ++a) units_r += count[a];
    return units_r;
  };

  // Pass 2: observed disagreement.
  double observed_sum = 0;
  for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
    const double units_r = unit_total(count, m);
    if (units_r < 2) return;
    observed_sum += pair_disagreement(category, count, m, units_r) / (units_r - 1);
  });

  const double pa_prime = (total - observed_sum) / total;
  if (!set_alpha(r, total, observed_sum, expected_sum, pa_prime, 1 - expected_sum / (total * total))) return r;
  const double pa = *r.observed, pe = *r.chance;
  if (pairable_units < 2) return r;

  // Pass 3: Gwet's linearised unit scores d_u = a s_u + b r_u + g.c_u + h,
  // as in krippendorff_summary::finish, summed directly.
  const double n = pairable_units;
  const double mean_r = sum_r / n;
  const double D = 1 - pe;
  const double alpha_prime = (pa_prime - pe) / D;
  const double B = 2 * (1 - alpha_prime) / D;
  const double a_coef = 1 / (mean_r * D);
  const double b_coef = -pa / (mean_r * D) + B * pe / mean_r;
  const double h_coef = (pa - pe) / D - alpha_prime;
  // (W pi)_c for each category.
  std::vector<double> v(q);
  if (nominal) {
    for (std::size_t c = 0; c < q; ++c) v[c] = marginals[c] / total;
  } else {
    const double variance_y = spread_y / total;  // already divided by D
    for (std::size_t c = 0; c < q; ++c)
      v[c] = 1 - (y[c] - mean_y) * (y[c] - mean_y) / largest - variance_y;
  }
  double sum_sq = 0;
  for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
    const double units_r = unit_total(count, m);
    if (units_r < 2) return;
    const double s = units_r - pair_disagreement(category, count, m, units_r) / (units_r - 1);
    double gc = 0;
    for (std::size_t a = 0; a < m; ++a) gc += count[a] * v[static_cast<std::size_t>(category[a])];
    gc *= -B / mean_r;
    const double d = a_coef * s + b_coef * units_r + gc + h_coef;
    sum_sq += d * d;
  });
  set_t_interval(r, (1 - f) / (n * (n - 1)) * sum_sq, n, opts);
  return r;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result krippendorff_alpha(const ratings_ref& ratings, const options& opts) {
if (opts.weights != weight_scheme::identity)
  throw invalid_argument("agreement", "Krippendorff's alpha takes its distance from options.level (nominal, "
                                      "ordinal, interval, ratio); options.weights must stay 'identity'");
if (std::optional<detail::unit_patterns> patterns = detail::tabulate_patterns(ratings, opts, false)) {
  krippendorff_summary summary = detail::krippendorff_from_patterns(*patterns, opts.level);
  summary.n_raters = patterns->active_raters;
  return summary.finish(opts);
}
  const coded_ratings coded = code_ratings(ratings, opts);
  if (opts.level != measurement_level::ratio && coded.categories.size() > detail::krippendorff_table_categories)
    return detail::krippendorff_without_tables(coded, opts);
  detail::check_table_categories(coded.categories.size(), detail::krippendorff_title(opts.level));
  std::optional<Eigen::MatrixXd> weights;
  if (opts.level == measurement_level::ordinal) {
    // The ordinal distances need the pooled frequencies first.
    Eigen::VectorXd marginals = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(coded.categories.size()));
    detail::for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
      double r = 0;
      for (std::size_t a = 0; a < m; ++a) r += count[a];
      if (r >= 2)
        for (std::size_t a = 0; a < m; ++a) marginals[category[a]] += count[a];
    });
    weights = krippendorff_weights(opts.level, coded.categories.codes(), marginals);
  }
  krippendorff_summary summary(coded.categories, opts.level, std::move(weights));
  detail::for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
    summary.add_unit(category, count, m);
  });
  summary.n_raters = detail::active_raters(coded);
  return summary.finish(opts);
}

}  // namespace calibra::agreement
