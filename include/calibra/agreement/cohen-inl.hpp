// Implementation of <calibra/agreement/cohen.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/cohen.hpp>

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::agreement {

CALIBRA_INLINE contingency_summary::contingency_summary(category_set categories, Eigen::MatrixXd weights)
    : categories_(std::move(categories)), weights_(std::move(weights)) {
  detail::check_table_categories(categories_.size(), "Cohen's kappa (contingency_summary)");
  const auto q = static_cast<Eigen::Index>(categories_.size());
  if (weights_.rows() != q || weights_.cols() != q)
    throw invalid_argument("agreement", "contingency_summary: weights are " + std::to_string(weights_.rows()) +
                                            " x " + std::to_string(weights_.cols()) + " for " +
                                            std::to_string(q) + " categories");
  table_ = Eigen::MatrixXd::Zero(q, q);
}

CALIBRA_INLINE auto contingency_summary::combine(const contingency_summary& other, double sign)
    -> contingency_summary& {
  if (other.categories_ != categories_ || other.weights_ != weights_)
    throw invalid_argument("agreement", "cannot merge contingency tables built on different categories or weights");
  table_ += sign * other.table_;
  return *this;
}

CALIBRA_INLINE result contingency_summary::finish(const options& opts) const {
detail::check_confidence(opts.confidence);
result r;
r.stat = statistic::cohen;
r.used = detail::used_options(opts, categories_);
const double n = table_.sum();
r.n_units = static_cast<std::size_t>(std::llround(n));
r.n_raters = 2;
if (!(n > 0)) {
  r.reason = "no pairable units: no unit was rated by both raters";
  return r;
}
  const Eigen::MatrixXd p = table_ / n;
  const Eigen::VectorXd row = p.rowwise().sum();
  const Eigen::VectorXd col = p.colwise().sum().transpose();
  const Eigen::MatrixXd& w = weights_;
  const double po = (w.array() * p.array()).sum();
  const double pe = row.dot(w * col);
  r.observed = po;
  r.chance = pe;
  if (1 - pe <= 1e-12) {
    r.reason = "chance agreement is 1: both raters put every unit in the same single category";
    return r;
  }
  const double kappa = (po - pe) / (1 - pe);
  r.value = kappa;

  // Fleiss, Cohen & Everitt (1969): mean weights of each row and column.
  const Eigen::VectorXd row_mean_w = w * col;                // w_i. = sum_j p_.j w_ij
  const Eigen::VectorXd col_mean_w = w.transpose() * row;    // w_.j = sum_i p_i. w_ij
  const auto q = p.rows();
  double nonnull = 0, null = 0;
  for (Eigen::Index i = 0; i < q; ++i)
    for (Eigen::Index j = 0; j < q; ++j) {
      const double margin = row_mean_w[i] + col_mean_w[j];
      const double a = w(i, j) - margin * (1 - kappa);
      nonnull += p(i, j) * a * a;
      const double b = w(i, j) - margin;
      null += row[i] * col[j] * b * b;
    }
  const double scale = n * (1 - pe) * (1 - pe);
  const double lead = kappa - pe * (1 - kappa);
  const double se_nonnull = std::sqrt(std::max(0.0, (nonnull - lead * lead) / scale));
  const double se_null = std::sqrt(std::max(0.0, (null - pe * pe) / scale));

  r.se = opts.cohen_se == kappa_se::nonnull ? se_nonnull : se_null;
  // The interval uses the non-null SE whichever SE is reported, on Fisher's z.
  detail::set_bounded_interval(r, se_nonnull, detail::normal_quantile(1 - (1 - opts.confidence) / 2), n, "normal");
  r.extra["se_nonnull"] = se_nonnull;
  r.extra["se_null"] = se_null;
  if (se_null > 0) {
    r.extra["z"] = kappa / se_null;
    r.extra["p"] = detail::normal_two_sided_p(kappa / se_null);
  }
  return r;
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE void require_two_raters(const ratings_ref& ratings, const char* name) {
  if (ratings.cols() != 2)
    throw invalid_argument("agreement", std::string(name) + " needs exactly 2 raters (columns); got " +
                                            std::to_string(ratings.cols()));
}

CALIBRA_INLINE contingency_summary pair_table(const coded_ratings& coded, Eigen::Index a, Eigen::Index b,
                                      const Eigen::MatrixXd& weights, const std::vector<double>& unit_weights) {
  contingency_summary summary(coded.categories, weights);
  for (Eigen::Index u = 0; u < coded.index.rows(); ++u) {
    const std::int32_t x = coded.index(u, a), y = coded.index(u, b);
    if (x == missing_index || y == missing_index) continue;
    const double w = unit_weights.empty() ? 1.0 : unit_weights[static_cast<std::size_t>(u)];
    if (w != 0) summary.add_pair(x, y, w);
  }
  return summary;
}

CALIBRA_INLINE std::optional<contingency_summary> fast_pair_table(const ratings_ref& ratings, const options& pairs) {
const std::optional<pair_counts> counts = tabulate_pair(ratings);
if (!counts) return std::nullopt;
constexpr std::int64_t span = pair_counts::span;
auto code_at = [&](std::int64_t at) { return static_cast<double>(counts->origin + at); };
std::array<std::int32_t, span> index_at{};
index_at.fill(missing_index);
category_set categories;
if (!pairs.categories.empty()) {
  categories = category_set::declared(pairs.categories);
  for (std::int64_t at = 0; at < span; ++at) {
    if (!counts->seen[static_cast<std::size_t>(at)]) continue;
    index_at[static_cast<std::size_t>(at)] = categories.index_of(code_at(at));
    if (index_at[static_cast<std::size_t>(at)] == missing_index) return std::nullopt;  // reported by the general path
  }
} else {
  // Observed categories: the codes of the units both raters rated.
  std::vector<double> codes;
  for (std::int64_t at = 0; at < span; ++at) {
    bool used = false;
    for (std::int64_t other = 0; other < span && !used; ++other)
      used = counts->cell[static_cast<std::size_t>(at * span + other)] != 0 ||
             counts->cell[static_cast<std::size_t>(other * span + at)] != 0;
    if (!used) continue;
    index_at[static_cast<std::size_t>(at)] = static_cast<std::int32_t>(codes.size());
    codes.push_back(code_at(at));
  }
  categories = category_set::from_sorted(std::move(codes));
}
  const Eigen::MatrixXd weights = weights_for(pairs, categories.codes());
  contingency_summary summary(std::move(categories), weights);
  for (std::int64_t x = 0; x < span; ++x)
    for (std::int64_t y = 0; y < span; ++y) {
      const std::uint32_t units = counts->cell[static_cast<std::size_t>(x * span + y)];
      if (units != 0)
        summary.add_pair(index_at[static_cast<std::size_t>(x)], index_at[static_cast<std::size_t>(y)], units);
    }
  return summary;
}

CALIBRA_INLINE options pairs_only(const options& opts) {
  options pairs = opts;
  pairs.missing = missing_policy::listwise;
  return pairs;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result cohen_kappa(const ratings_ref& ratings, const options& opts) {
  detail::require_two_raters(ratings, "Cohen's kappa");
  const options pairs = detail::pairs_only(opts);
  if (std::optional<contingency_summary> table = detail::fast_pair_table(ratings, pairs)) return table->finish(pairs);
  const coded_ratings coded = code_ratings(ratings, pairs);
  detail::check_table_categories(coded.categories.size(), detail::weighted_title(statistic::cohen, pairs));
  return detail::pair_table(coded, 0, 1, weights_for(pairs, coded.categories.codes())).finish(pairs);
}

}  // namespace calibra::agreement

namespace calibra::agreement::detail {

CALIBRA_INLINE void finish_light(result& r, double sum, double pairs, double skipped) {
  r.extra["rater_pairs"] = pairs;
  r.extra["undefined_pairs"] = skipped;
  if (pairs == 0) {
    r.reason = skipped > 0 ? "no rater pair has a defined Cohen's kappa (chance agreement is 1 for every pair)"
                           : "no pairable raters: no two raters share two or more units";
    return;
  }
  r.value = sum / pairs;
}

CALIBRA_INLINE result light_from_coded(const coded_ratings& coded, const options& opts,
                               const std::vector<double>& unit_weights) {
  check_confidence(opts.confidence);
  check_table_categories(coded.categories.size(), weighted_title(statistic::light, opts));
  const Eigen::MatrixXd weights = weights_for(opts, coded.categories.codes());
  result r;
  r.stat = statistic::light;
  r.used = used_options(opts, coded.categories);
  r.n_units = coded.n_units();
  r.n_raters = active_raters(coded);
  double sum = 0, pairs = 0, skipped = 0;
  for (Eigen::Index a = 0; a < coded.index.cols(); ++a)
    for (Eigen::Index b = a + 1; b < coded.index.cols(); ++b) {
      const contingency_summary table = pair_table(coded, a, b, weights, unit_weights);
      if (table.table().sum() < 2) continue;
      const result pair = table.finish(opts);
      if (!pair.value) {
        ++skipped;
        continue;
      }
      sum += *pair.value;
      ++pairs;
    }
  finish_light(r, sum, pairs, skipped);
  return r;
}

CALIBRA_INLINE std::optional<result> light_from_bitsets(const ratings_ref& ratings, const options& opts) {
  const std::optional<small_codes> codes = code_small(ratings, opts);
  if (!codes) return std::nullopt;
  check_confidence(opts.confidence);
  const bool listwise = opts.missing == missing_policy::listwise;
  const rater_bitsets bits = make_rater_bitsets(*codes, listwise);
  const std::size_t slots = bits.slots;
  // Categories as code_ratings finds them: declared, or the codes of the
  // kept units (under listwise deletion a code met only in dropped units is
  // not one).
  category_set categories = codes->categories;
  std::vector<std::int32_t> slot_category = codes->slot_category;
  if (listwise && opts.categories.empty()) {
    std::vector<std::size_t> used;
    for (std::size_t s = 0; s < slots; ++s)
      if (bits.slot_used[s]) used.push_back(s);
    std::sort(used.begin(), used.end(),
              [&](std::size_t x, std::size_t y) { return codes->slot_code[x] < codes->slot_code[y]; });
    std::vector<double> kept_codes;
    std::fill(slot_category.begin(), slot_category.end(), missing_index);
    for (std::size_t s : used) {
      slot_category[s] = static_cast<std::int32_t>(kept_codes.size());
      kept_codes.push_back(codes->slot_code[s]);
    }
    categories = category_set::from_sorted(std::move(kept_codes));
  }
  check_table_categories(categories.size(), weighted_title(statistic::light, opts));
  const Eigen::MatrixXd weights = weights_for(opts, categories.codes());
  const auto q = static_cast<Eigen::Index>(categories.size());
  bool identity = true;
  for (Eigen::Index i = 0; i < q; ++i)
    for (Eigen::Index j = 0; j < q; ++j) identity = identity && weights(i, j) == (i == j ? 1.0 : 0.0);

  result r;
  r.stat = statistic::light;
  r.used = used_options(opts, categories);
  r.n_units = bits.n_units;
  r.n_raters = bits.active_raters;
  std::vector<std::uint64_t> cell(identity ? 0 : slots * slots), row(slots), col(slots);
  std::vector<double> table(static_cast<std::size_t>(q * q)), row_share(static_cast<std::size_t>(q)),
      col_share(static_cast<std::size_t>(q));
  double sum = 0, pairs = 0, skipped = 0;
  for (Eigen::Index a = 0; a < bits.raters; ++a)
    for (Eigen::Index b = a + 1; b < bits.raters; ++b) {
      std::uint64_t agreeing = 0;
      const std::uint64_t both =
          pair_from_bitsets(bits, a, b, !identity, cell.data(), &agreeing, row.data(), col.data());
      if (both < 2) continue;
      const auto n = static_cast<double>(both);
      double value = std::numeric_limits<double>::quiet_NaN();
      if (identity) {
        // Cohen's kappa from the diagonal and the margins.
        double pe = 0;
        for (std::size_t s = 0; s < slots; ++s)
          pe += (static_cast<double>(row[s]) / n) * (static_cast<double>(col[s]) / n);
        if (!(1 - pe <= 1e-12)) value = (static_cast<double>(agreeing) / n - pe) / (1 - pe);
      } else {
        std::fill(table.begin(), table.end(), 0.0);
        for (std::size_t x = 0; x < slots; ++x)
          for (std::size_t y = 0; y < slots; ++y)
            if (cell[x * slots + y] != 0)
              table[static_cast<std::size_t>(slot_category[x] * q + slot_category[y])] +=
                  static_cast<double>(cell[x * slots + y]);
        value = kappa_value(table.data(), n, weights, row_share.data(), col_share.data());
      }
      if (std::isnan(value)) {
        ++skipped;
        continue;
      }
      sum += value;
      ++pairs;
    }
  finish_light(r, sum, pairs, skipped);
  return r;
}

CALIBRA_INLINE double kappa_value(const double* table, double n, const Eigen::MatrixXd& w, double* row, double* col) {
  const Eigen::Index q = w.rows();
  if (!(n > 0)) return std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index i = 0; i < q; ++i) row[i] = col[i] = 0;
  double po = 0;
  for (Eigen::Index i = 0; i < q; ++i)
    for (Eigen::Index j = 0; j < q; ++j) {
      const double p = table[i * q + j] / n;
      row[i] += p;
      col[j] += p;
      po += w(i, j) * p;
    }
  double pe = 0;
  for (Eigen::Index i = 0; i < q; ++i)
    for (Eigen::Index j = 0; j < q; ++j) pe += row[i] * w(i, j) * col[j];
  if (1 - pe <= 1e-12) return std::numeric_limits<double>::quiet_NaN();
  return (po - pe) / (1 - pe);
}

CALIBRA_INLINE std::vector<double> light_jackknife(const coded_ratings& coded, const options& opts) {
check_table_categories(coded.categories.size(), weighted_title(statistic::light, opts));
const Eigen::MatrixXd w = weights_for(opts, coded.categories.codes());
const auto q = static_cast<Eigen::Index>(coded.categories.size());
const Eigen::Index units = coded.index.rows(), raters = coded.index.cols();
const auto cells = static_cast<std::size_t>(q * q);
std::vector<std::pair<Eigen::Index, Eigen::Index>> pairs;
for (Eigen::Index a = 0; a < raters; ++a)
  for (Eigen::Index b = a + 1; b < raters; ++b) pairs.emplace_back(a, b);
std::vector<double> tables(pairs.size() * cells, 0.0), totals(pairs.size(), 0.0), full(pairs.size());
for (std::size_t p = 0; p < pairs.size(); ++p)
  for (Eigen::Index u = 0; u < units; ++u) {
    const std::int32_t x = coded.index(u, pairs[p].first), y = coded.index(u, pairs[p].second);
    if (x == missing_index || y == missing_index) continue;
    tables[p * cells + static_cast<std::size_t>(x * q + y)] += 1;
    totals[p] += 1;
  }
std::vector<double> row(static_cast<std::size_t>(q)), col(static_cast<std::size_t>(q));
// A pair counts when it shares two units and its kappa is defined.
auto pair_value = [&](std::size_t p, double total) {
  return total < 2 ? std::numeric_limits<double>::quiet_NaN()
                   : kappa_value(tables.data() + p * cells, total, w, row.data(), col.data());
};
for (std::size_t p = 0; p < pairs.size(); ++p) full[p] = pair_value(p, totals[p]);
std::vector<double> leave_one_out(static_cast<std::size_t>(units));
for (Eigen::Index u = 0; u < units; ++u) {
  double sum = 0, defined = 0;
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const std::int32_t x = coded.index(u, pairs[p].first), y = coded.index(u, pairs[p].second);
    double value = full[p];
    if (x != missing_index && y != missing_index) {
      double& cell = tables[p * cells + static_cast<std::size_t>(x * q + y)];
      cell -= 1;
      value = pair_value(p, totals[p] - 1);
      cell += 1;
    }
    if (std::isnan(value)) continue;
    sum += value;
    defined += 1;
  }
  leave_one_out[static_cast<std::size_t>(u)] = defined > 0 ? sum / defined : std::numeric_limits<double>::quiet_NaN();
}
  return leave_one_out;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE result light_kappa(const ratings_ref& ratings, const options& opts) {
  if (std::optional<result> fast = detail::light_from_bitsets(ratings, opts)) return std::move(*fast);
  return detail::light_from_coded(code_ratings(ratings, opts), opts);
}

}  // namespace calibra::agreement
