// Implementation of <calibra/agreement/multi_rater.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/multi_rater.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>


namespace calibra::agreement {

CALIBRA_INLINE multi_rater_summary::multi_rater_summary(category_set categories, Eigen::MatrixXd weights)
    : categories_(std::move(categories)), weights_(std::move(weights)) {
  detail::check_table_categories(categories_.size(), "the percent / Fleiss / Gwet summary (multi_rater_summary)");
  const auto q = static_cast<Eigen::Index>(categories_.size());
  if (weights_.rows() != q || weights_.cols() != q)
    throw invalid_argument("agreement", "multi_rater_summary: weights are " + std::to_string(weights_.rows()) +
                                            " x " + std::to_string(weights_.cols()) + " for " +
                                            std::to_string(q) + " categories");
  sum_p_ = Eigen::VectorXd::Zero(q);
  sum_pairable_p_ = Eigen::VectorXd::Zero(q);
  sum_pa_p_ = Eigen::VectorXd::Zero(q);
  sum_disagreement_ = Eigen::VectorXd::Zero(q);
  sum_pp_ = Eigen::MatrixXd::Zero(q, q);
}

CALIBRA_INLINE auto multi_rater_summary::add_unit(const std::int32_t* category, const double* count, std::size_t m,
                                                  double weight) -> void {
  double r = 0;
  for (std::size_t a = 0; a < m; ++a) r += count[a];
  if (r <= 0 || weight == 0) return;
  n_ += weight;
  // Each share is divided once, not once per category pair: with many
  // raters nearly every unit has its own pattern, and m^2 divisions per
  // unit would dominate.
  constexpr std::size_t few = 16;
  std::array<double, few> shares;
  if (m <= few)
    for (std::size_t b = 0; b < m; ++b) shares[b] = count[b] / r;
  for (std::size_t a = 0; a < m; ++a) {
    const double pa_share = count[a] / r;
    sum_p_[category[a]] += weight * pa_share;
    const double weighted_share = weight * pa_share;
    if (m <= few) {
      for (std::size_t b = 0; b < m; ++b) sum_pp_(category[a], category[b]) += weighted_share * shares[b];
    } else {
      for (std::size_t b = 0; b < m; ++b) sum_pp_(category[a], category[b]) += weighted_share * (count[b] / r);
    }
  }
  if (r < 2) return;
  // Weighted ordered pairs of distinct ratings that agree: a rating pairs
  // with every other rating of the unit, itself excluded (weight 1).
  double agreeing = 0;
  for (std::size_t a = 0; a < m; ++a) {
    double weighted = 0;
    for (std::size_t b = 0; b < m; ++b) weighted += weights_(category[a], category[b]) * count[b];
    agreeing += count[a] * (weighted - 1);
  }
  const double pairs = r * (r - 1);
  const double pa_i = agreeing / pairs;
  n2_ += weight;
  sum_pa_ += weight * pa_i;
  sum_pa2_ += weight * pa_i * pa_i;
  if (m == 1) unanimous_ += weight;
  for (std::size_t a = 0; a < m; ++a) {
    const double share = m <= few ? shares[a] : count[a] / r;
    sum_pairable_p_[category[a]] += weight * share;
    sum_pa_p_[category[a]] += weight * pa_i * share;
    sum_disagreement_[category[a]] += weight * count[a] * (r - count[a]) / pairs;
  }
}

CALIBRA_INLINE auto multi_rater_summary::add_unit(const Eigen::Ref<const Eigen::VectorXd>& counts, double weight)
    -> void {
  check_counts(counts);
  std::vector<std::int32_t> category;
  std::vector<double> count;
  for (Eigen::Index k = 0; k < counts.size(); ++k)
    if (counts[k] != 0) {
      category.push_back(static_cast<std::int32_t>(k));
      count.push_back(counts[k]);
    }
  add_unit(category.data(), count.data(), category.size(), weight);
}

CALIBRA_INLINE auto multi_rater_summary::check_counts(const Eigen::Ref<const Eigen::VectorXd>& counts) const -> void {
  if (counts.size() != static_cast<Eigen::Index>(categories_.size()))
    throw invalid_argument("agreement", "add_unit: " + std::to_string(counts.size()) + " counts for " +
                                            std::to_string(categories_.size()) + " categories");
  for (Eigen::Index k = 0; k < counts.size(); ++k)
    if (!(counts[k] >= 0) || !std::isfinite(counts[k]))
      throw invalid_argument("agreement", "add_unit: count of category " + std::to_string(k) + " is " +
                                              std::to_string(counts[k]) + "; expected a finite count >= 0");
}

CALIBRA_INLINE auto multi_rater_summary::combine(const multi_rater_summary& other, double sign)
    -> multi_rater_summary& {
  if (other.categories_ != categories_ || other.weights_ != weights_)
    throw invalid_argument("agreement", "cannot merge summaries built on different categories or weights");
  n_ += sign * other.n_;
  n2_ += sign * other.n2_;
  sum_pa_ += sign * other.sum_pa_;
  sum_pa2_ += sign * other.sum_pa2_;
  unanimous_ += sign * other.unanimous_;
  sum_p_ += sign * other.sum_p_;
  sum_pairable_p_ += sign * other.sum_pairable_p_;
  sum_pa_p_ += sign * other.sum_pa_p_;
  sum_disagreement_ += sign * other.sum_disagreement_;
  sum_pp_ += sign * other.sum_pp_;
  if (sign > 0) n_raters = std::max(n_raters, other.n_raters);
  return *this;
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE bool finish_without_chance(result& r, statistic stat, double n, double n2, double unanimous,
                                  const options& opts) {
  if (n <= 0) {
    r.reason = "no units: every unit lacks ratings (or was dropped by listwise deletion)";
    return true;
  }
  if (n2 <= 0) {
    r.reason = "no pairable units: no unit has two or more ratings";
    return true;
  }
  if (stat != statistic::unanimous) return false;
  const double share = unanimous / n2;
  r.value = share;
  r.observed = share;
  r.n_units = static_cast<std::size_t>(std::llround(n2));
  const double sum_sq = unanimous * (1 - share) * (1 - share) + (n2 - unanimous) * share * share;
  set_t_interval(r, (1 - sampling_fraction(n2, opts.population_units)) / (n2 * (n2 - 1)) * sum_sq, n2, opts);
  return true;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

  // namespace detail

CALIBRA_INLINE result multi_rater_summary::finish(statistic stat, const options& opts) const {
detail::check_confidence(opts.confidence);
result r;
r.stat = stat;
r.used = detail::used_options(opts, categories_);
r.n_units = static_cast<std::size_t>(std::llround(n_));
r.n_raters = n_raters;
r.extra["pairable_units"] = n2_;
const double f = detail::sampling_fraction(n_, opts.population_units);
const auto q = static_cast<double>(categories_.size());

// unanimous: the share of pairable units whose ratings all fall in one category.
if (detail::finish_without_chance(r, stat, n_, n2_, unanimous_, opts)) return r;

const double pa = sum_pa_ / n2_;
const Eigen::VectorXd pi = sum_p_ / n_;
const double total_weight = weights_.sum();
double pe = 0;
// Chance-agreement gradient: pe_i - pe is linear in p_i through g.
Eigen::VectorXd g = Eigen::VectorXd::Zero(pi.size());
bool chance_varies = false;
switch (stat) {
  case statistic::percent:
  case statistic::within:
    break;
  case statistic::fleiss:
  case statistic::scott: {
    pe = pi.dot(weights_ * pi);
    g = 0.5 * (weights_ + weights_.transpose()) * pi;
    chance_varies = true;
    break;
  }
  case statistic::gwet: {
    if (q < 2) {
      r.observed = pa;
      r.reason = "only one category: AC1/AC2 need at least two (declare the scale in options.categories)";
      return r;
    }
    const double scale = total_weight / (q * (q - 1));
    pe = scale * (pi.array() * (1 - pi.array())).sum();
    g = scale * (1 - pi.array()).matrix();
    chance_varies = true;
    break;
  }
  case statistic::brennan_prediger:
    pe = total_weight / (q * q);
    break;
  default:
    throw invalid_argument("agreement", "multi_rater_summary cannot compute '" + std::string(to_string(stat)) + "'");
}
  if (stat == statistic::fleiss || stat == statistic::scott)
    detail::set_category_kappas(r, pi, sum_disagreement_, n2_, categories_);
  if (!detail::set_chance_corrected(r, pa, pe, static_cast<std::size_t>(q))) return r;
  const double value = *r.value;

  // Gwet's linearised unit scores x_i = A pa_i - A pe e_i - B g.p_i + B pe;
  // the variance is sum (x_i - value)^2 expanded over the stored sums.
  const double A = (n_ / n2_) / (1 - pe);
  const double B = chance_varies ? 2 * (1 - value) / (1 - pe) : 0.0;
  const double C0 = B * pe - value;
  const double sum_sq = A * A * sum_pa2_ + A * A * pe * pe * n2_ + B * B * g.dot(sum_pp_ * g) + C0 * C0 * n_ +
                        2 * (-A * A * pe * sum_pa_ - A * B * g.dot(sum_pa_p_) + A * C0 * sum_pa_ +
                             A * B * pe * g.dot(sum_pairable_p_) - A * pe * C0 * n2_ - B * C0 * g.dot(sum_p_));
  detail::set_t_interval(r, (1 - f) / (n_ * (n_ - 1)) * sum_sq, n_, opts);
  return r;
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE void feed(multi_rater_summary& summary, const unit_counts& table,
                         const std::vector<double>& unit_weights) {
  for (std::size_t u = 0; u < table.n_units(); ++u) {
    const double w = unit_weights.empty() ? 1.0 : unit_weights[u];
    if (w == 0) continue;
    const std::size_t begin = table.offsets[u];
    summary.add_unit(table.category.data() + begin, table.count.data() + begin, table.offsets[u + 1] - begin, w);
  }
}

CALIBRA_INLINE void feed(multi_rater_summary& summary, const unit_patterns& patterns,
                         const std::vector<double>& pattern_units) {
  patterns.for_each(pattern_units, [&](const std::int32_t* category, const double* count, std::size_t m, double w) {
    summary.add_unit(category, count, m, w);
  });
}

CALIBRA_INLINE Eigen::MatrixXd family_weights(statistic stat, const options& opts, const category_set& categories) {
  check_table_categories(categories.size(), weighted_title(stat, opts));
  if (stat == statistic::within) return tolerance_weights(categories.size(), opts.tolerance);
  if (stat == statistic::unanimous) return Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(categories.size()),
                                                                     static_cast<Eigen::Index>(categories.size()));
  return weights_for(opts, categories.codes());
}

CALIBRA_INLINE coded_ratings one_versus_rest(const coded_ratings& coded, double code) {
  const std::int32_t target = coded.categories.index_of(code);
  if (target == missing_index)
    throw invalid_argument("agreement", "options.category " + format_code(code) +
                                            " is not one of the categories in use");
  coded_ratings binary = coded;
  binary.index = coded.index.unaryExpr([target](std::int32_t k) {
    return k == missing_index ? missing_index : static_cast<std::int32_t>(k == target ? 1 : 0);
  });
  // Index 0 stands for "the rest"; its code is never shown to the caller.
  binary.categories = category_set::from_sorted({code - 1, code});
  return binary;
}

CALIBRA_INLINE bool identity_family(statistic stat, const options& opts) {
  if (stat == statistic::unanimous) return true;  // always identity, whatever opts.weights says
  const bool family = stat == statistic::percent || stat == statistic::fleiss || stat == statistic::scott ||
                      stat == statistic::gwet || stat == statistic::brennan_prediger;
  return family && opts.weights == weight_scheme::identity;
}

CALIBRA_INLINE result multi_rater_without_tables(const coded_ratings& coded, statistic stat, const options& opts) {
check_confidence(opts.confidence);
if (!identity_family(stat, opts))
  throw invalid_argument("agreement", "multi_rater_without_tables: " + weighted_title(stat, opts) +
                                          " needs the weight table");
const std::size_t q = coded.categories.size();
result r;
r.stat = stat;
r.used = used_options(opts, coded.categories);
r.n_raters = active_raters(coded);

auto unit_total = [](const double* count, std::size_t m) {
  double total = 0;
  for (std::size_t a = 0; a < m; ++a) total += count[a];
  return total;
};
auto unit_pa = [](const double* count, std::size_t m, double total) {
  double agreeing = 0;
  for (std::size_t a = 0; a < m; ++a) agreeing += count[a] * (count[a] - 1);
  return agreeing / (total * (total - 1));
};

// Pass 1: the linear sums.
double n = 0, n2 = 0, sum_pa = 0, unanimous = 0;
std::vector<double> sum_p(q, 0.0), disagreement(q, 0.0);
for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
  const double total = unit_total(count, m);
  if (total <= 0) return;
  n += 1;
  for (std::size_t a = 0; a < m; ++a) sum_p[static_cast<std::size_t>(category[a])] += count[a] / total;
  if (total < 2) return;
  n2 += 1;
  sum_pa += unit_pa(count, m, total);
  if (m == 1) unanimous += 1;
  const double pairs = total * (total - 1);
  for (std::size_t a = 0; a < m; ++a)
    disagreement[static_cast<std::size_t>(category[a])] += count[a] * (total - count[a]) / pairs;
});
r.n_units = static_cast<std::size_t>(std::llround(n));
r.extra["pairable_units"] = n2;
const double f = sampling_fraction(n, opts.population_units);
const auto qd = static_cast<double>(q);
if (finish_without_chance(r, stat, n, n2, unanimous, opts)) return r;

const double pa = sum_pa / n2;
std::vector<double> pi(q), g(q, 0.0);
for (std::size_t k = 0; k < q; ++k) pi[k] = sum_p[k] / n;
double pe = 0;
bool chance_varies = false;
switch (stat) {
  case statistic::percent: break;
  case statistic::fleiss:
  case statistic::scott:
    for (std::size_t k = 0; k < q; ++k) {
      pe += pi[k] * pi[k];
      g[k] = pi[k];
    }
    chance_varies = true;
    break;
  case statistic::gwet: {
    if (q < 2) {
      r.observed = pa;
      r.reason = "only one category: AC1/AC2 need at least two (declare the scale in options.categories)";
      return r;
    }
    const double scale = 1 / (qd - 1);  // identity weights: sum of W = q, over q (q - 1)
    for (std::size_t k = 0; k < q; ++k) {
      pe += scale * pi[k] * (1 - pi[k]);
      g[k] = scale * (1 - pi[k]);
    }
    chance_varies = true;
    break;
  }
  case statistic::brennan_prediger: pe = 1 / qd; break;
  default: break;  // identity_family has ruled the rest out
}
  if (stat == statistic::fleiss || stat == statistic::scott)
    set_category_kappas(r, pi, disagreement, n2, coded.categories);
  if (!set_chance_corrected(r, pa, pe, q)) return r;
  const double value = *r.value;

  // Pass 2: sum over units of (x_i - value)^2.
  const double A = (n / n2) / (1 - pe);
  const double B = chance_varies ? 2 * (1 - value) / (1 - pe) : 0.0;
  double sum_sq = 0;
  for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
    const double total = unit_total(count, m);
    if (total <= 0) return;
    double gp = 0;
    for (std::size_t a = 0; a < m; ++a) gp += g[static_cast<std::size_t>(category[a])] * count[a] / total;
    double x = -B * gp + B * pe;
    if (total >= 2) x += A * unit_pa(count, m, total) - A * pe;
    sum_sq += (x - value) * (x - value);
  });
  set_t_interval(r, (1 - f) / (n * (n - 1)) * sum_sq, n, opts);
  return r;
}

CALIBRA_INLINE result multi_rater_from_coded(const coded_ratings& coded, statistic stat, const options& opts) {
  if (coded.categories.size() > multi_rater_table_categories && identity_family(stat, opts))
    return multi_rater_without_tables(coded, stat, opts);
  multi_rater_summary summary(coded.categories, family_weights(stat, opts, coded.categories));
  summary.n_raters = active_raters(coded);
  for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t m) {
    summary.add_unit(category, count, m);
  });
  result r = summary.finish(stat, opts);
  r.used = used_options(opts, coded.categories);
  return r;
}

CALIBRA_INLINE result multi_rater_statistic(const ratings_ref& ratings, statistic stat, const options& opts) {
if (std::optional<unit_patterns> patterns = tabulate_patterns(ratings, opts, false)) {
  multi_rater_summary summary(patterns->categories, family_weights(stat, opts, patterns->categories));
  summary.n_raters = patterns->active_raters;
  feed(summary, *patterns);
  result r = summary.finish(stat, opts);
  r.used = used_options(opts, patterns->categories);
  return r;
}
  return multi_rater_from_coded(code_ratings(ratings, opts), stat, opts);
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result percent_agreement(const ratings_ref& ratings, const options& opts) {
  return detail::multi_rater_statistic(ratings, statistic::percent, opts);
}

CALIBRA_INLINE result unanimous_agreement(const ratings_ref& ratings, const options& opts) {
  return detail::multi_rater_statistic(ratings, statistic::unanimous, opts);
}

CALIBRA_INLINE result within_agreement(const ratings_ref& ratings, const options& opts) {
  return detail::multi_rater_statistic(ratings, statistic::within, opts);
}

CALIBRA_INLINE result fleiss_kappa(const ratings_ref& ratings, const options& opts) {
  if (!opts.category) return detail::multi_rater_statistic(ratings, statistic::fleiss, opts);
  const coded_ratings coded = code_ratings(ratings, opts);
  if (!opts.category) return detail::multi_rater_from_coded(coded, statistic::fleiss, opts);
  options binary_opts = opts;
  binary_opts.weights = weight_scheme::identity;
  result r = detail::multi_rater_from_coded(detail::one_versus_rest(coded, *opts.category), statistic::fleiss,
                                            binary_opts);
  r.per_category.clear();
  r.used = detail::used_options(opts, coded.categories);
  return r;
}

CALIBRA_INLINE result gwet_ac(const ratings_ref& ratings, const options& opts) {
  return detail::multi_rater_statistic(ratings, statistic::gwet, opts);
}

CALIBRA_INLINE result brennan_prediger(const ratings_ref& ratings, const options& opts) {
  return detail::multi_rater_statistic(ratings, statistic::brennan_prediger, opts);
}

CALIBRA_INLINE result scott_pi(const ratings_ref& ratings, const options& opts) {
  if (ratings.cols() != 2)
    throw invalid_argument("agreement", "Scott's pi needs exactly 2 raters (columns); got " +
                                            std::to_string(ratings.cols()));
  options pairs = opts;
  pairs.missing = missing_policy::listwise;
  result r = detail::multi_rater_statistic(ratings, statistic::scott, pairs);
  r.per_category.clear();
  return r;
}

}  // namespace calibra::agreement
