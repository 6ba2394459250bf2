// Implementation of <calibra/agreement/conger.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/conger.hpp>

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
#include <vector>


namespace calibra::agreement::detail {

/// What Gwet's linearisation of Conger's kappa needs per unit: for rater a
/// (the a-th active rater) rating category k, A(a, k) - B[a] enters the
/// unit's chance term, and rated[a] / n B[a] enters every unit's.
struct conger_unit_terms {
  Eigen::MatrixXd A;
  Eigen::VectorXd B, rated;
  std::vector<Eigen::Index> active;
  Eigen::Index raters = 0;
  double n = 0, n2 = 0, pe = 0, kappa = 0;

  /// x_u - kappa for a unit with pair agreement pa_unit and chance sum lambda.
  double deviation(double pa_unit, bool pairable, double lambda) const {
    const double rr = static_cast<double>(raters);
    const double pe_unit = lambda / (rr * (rr - 1));
    const double x = (n / n2) * (pa_unit - pe * (pairable ? 1.0 : 0.0)) / (1 - pe) -
                     2 * (1 - kappa) * (pe_unit - pe) / (1 - pe);
    return x - kappa;
  }
};

template <typename UnitSquares>
result conger_finish(result& res, const Eigen::MatrixXd& classified, double n, double n2, double sum_pa,
                     const Eigen::MatrixXd& W, const options& opts, UnitSquares&& unit_squares);

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
  return conger_finish(res, classified, n, n2, sum_pa, W, opts, [&](const conger_unit_terms& t) {
    double sum_sq = 0;
    for (Eigen::Index u = 0; u < units; ++u) {
      const double w = weight_of(u);
      if (w == 0) continue;
      double lambda = 0, r = 0;
      for (Eigen::Index a = 0; a < t.raters; ++a) {
        const std::int32_t k = coded.index(u, t.active[static_cast<std::size_t>(a)]);
        const double is_rated = k == missing_index ? 0.0 : 1.0;
        if (k != missing_index) lambda += t.A(a, k);
        lambda -= (is_rated - t.rated[a] / n) * t.B[a];
        r += is_rated;
      }
      if (r == 0) continue;
      const double d = t.deviation(pa_unit[static_cast<std::size_t>(u)], r >= 2, lambda);
      sum_sq += w * d * d;
    }
    return sum_sq;
  });
}

template <typename UnitSquares>
result conger_finish(result& res, const Eigen::MatrixXd& classified, double n, double n2, double sum_pa,
                     const Eigen::MatrixXd& W, const options& opts, UnitSquares&& unit_squares) {
  const auto q = classified.cols();
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
  conger_unit_terms terms;
  terms.A = Q * W;
  const Eigen::MatrixXd weighted_share = share * W.transpose();
  terms.B = (weighted_share.array() * Q.array()).rowwise().sum();
  terms.rated = rated;
  terms.active = active;
  terms.raters = raters;
  terms.n = n;
  terms.n2 = n2;
  terms.pe = pe;
  terms.kappa = kappa;
  const double f = sampling_fraction(n, opts.population_units);
  set_t_interval(res, (1 - f) / (n * (n - 1)) * unit_squares(terms), n, opts);
  return res;
}

CALIBRA_INLINE std::optional<result> conger_from_patterns(const ratings_ref& ratings, const options& opts) {
  // Listwise deletion decides a unit's fate from all its ratings, which the
  // column passes below do not know in time; it takes the general path.
  if (opts.missing == missing_policy::listwise) return std::nullopt;
  const std::optional<small_codes> codes = code_small(ratings, opts);
  if (!codes) return std::nullopt;
  check_confidence(opts.confidence);
  const category_set& categories = codes->categories;
  check_table_categories(categories.size(), weighted_title(statistic::conger, opts));
  const auto q = static_cast<Eigen::Index>(categories.size());
  const Eigen::MatrixXd W = weights_for(opts, categories.codes());
  result res;
  res.stat = statistic::conger;
  res.used = used_options(opts, categories);

  // Everything below works on slots (codes in order of first appearance);
  // a missing rating is slot `slots`, read through clamp() without a branch.
  const std::size_t slots = codes->slot_code.size(), stride = slots + 1;
  const auto clamp = [slots](std::uint8_t code) { return code < slots ? std::size_t{code} : slots; };
  std::vector<double> slot_weight(slots * slots);
  bool identity = true;
  for (std::size_t x = 0; x < slots; ++x)
    for (std::size_t y = 0; y < slots; ++y) {
      slot_weight[x * slots + y] = W(codes->slot_category[x], codes->slot_category[y]);
      identity = identity && slot_weight[x * slots + y] == (x == y ? 1.0 : 0.0);
    }
  // 1 / (r (r - 1)) for a unit with r ratings, so that the per-unit loops
  // do not divide.
  std::vector<double> per_pair(static_cast<std::size_t>(ratings.cols()) + 1, 0.0);
  for (std::size_t r = 2; r < per_pair.size(); ++r)
    per_pair[r] = 1.0 / (static_cast<double>(r) * static_cast<double>(r - 1));
  // A unit's agreeing rater pairs from its slot counts `c`, as
  // conger_from_coded counts them; r gets its ratings.
  std::vector<std::size_t> met(slots);
  auto agreeing_pairs = [&](const std::uint32_t* c, double& r) {
    r = 0;
    double agreeing = 0;
    if (identity) {
      for (std::size_t x = 0; x < slots; ++x) {
        const double cx = c[x];
        r += cx;
        agreeing += cx * (cx - 1);
      }
      return agreeing;
    }
    std::size_t m = 0;
    for (std::size_t x = 0; x < slots; ++x)
      if (c[x] != 0) met[m++] = x;
    for (std::size_t a = 0; a < m; ++a) {
      const double ca = c[met[a]];
      r += ca;
      double weighted = 0;
      for (std::size_t b = 0; b < m; ++b) weighted += slot_weight[met[a] * slots + met[b]] * c[met[b]];
      agreeing += ca * (weighted - 1);
    }
    return agreeing;
  };

  const Eigen::Index n_units = ratings.rows(), n_columns = ratings.cols();

  // Few raters (many units per rating): a unit is one of at most 65,536
  // tuples of slots, one per rater, and every unit term depends on the
  // unit only through its tuple; count the units per tuple in one pass and
  // finish per tuple.
  std::size_t tuples = 1;
  for (Eigen::Index j = 0; j < n_columns && tuples <= 65536; ++j) tuples *= stride;
  if (tuples <= 65536) {
    std::vector<std::uint32_t> units_of(tuples, 0);
    constexpr Eigen::Index tuple_block = 2048;
    std::array<std::uint32_t, tuple_block> key{};
    for (Eigen::Index begin = 0; begin < n_units; begin += tuple_block) {
      const Eigen::Index size = std::min(tuple_block, n_units - begin);
      std::fill(key.begin(), key.begin() + size, 0u);
      std::uint32_t place = 1;
      for (Eigen::Index j = 0; j < n_columns; ++j) {
        const std::uint8_t* column = codes->column(j) + begin;
        for (Eigen::Index i = 0; i < size; ++i)
          key[static_cast<std::size_t>(i)] += static_cast<std::uint32_t>(clamp(column[i])) * place;
        place *= static_cast<std::uint32_t>(stride);
      }
      for (Eigen::Index i = 0; i < size; ++i) ++units_of[key[static_cast<std::size_t>(i)]];
    }
    // The tuples met, unpacked: slot of each rater, and the unit terms that
    // do not depend on the final distributions.
    std::vector<std::size_t> met;
    std::vector<std::size_t> slot_of;  // met.size() x n_columns
    std::vector<double> tuple_pa;
    std::vector<unsigned char> tuple_pairable;
    std::vector<std::uint32_t> counts(stride);
    Eigen::MatrixXd classified = Eigen::MatrixXd::Zero(n_columns, q);
    double n = 0, n2 = 0, sum_pa = 0;
    for (std::size_t tuple = 0; tuple < tuples; ++tuple) {
      const std::uint32_t units = units_of[tuple];
      if (units == 0) continue;
      std::fill(counts.begin(), counts.end(), 0u);
      std::size_t rest = tuple;
      const std::size_t at = slot_of.size();
      for (Eigen::Index j = 0; j < n_columns; ++j) {
        const std::size_t x = rest % stride;
        rest /= stride;
        slot_of.push_back(x);
        ++counts[x];
        if (x < slots) classified(j, codes->slot_category[x]) += units;
      }
      double r = 0;
      const double agreeing = agreeing_pairs(counts.data(), r);
      if (r == 0) {  // nobody rated these units: not kept
        slot_of.resize(at);
        continue;
      }
      met.push_back(tuple);
      const double w = units;
      n += w;
      tuple_pa.push_back(agreeing * per_pair[static_cast<std::size_t>(r)]);
      tuple_pairable.push_back(r >= 2);
      if (r >= 2) {
        n2 += w;
        sum_pa += w * tuple_pa.back();
      }
    }
    return conger_finish(res, classified, n, n2, sum_pa, W, opts, [&](const conger_unit_terms& t) {
      double constant = 0;
      for (Eigen::Index a = 0; a < t.raters; ++a) constant += t.rated[a] / n * t.B[a];
      // Per column and slot, the unit's chance term (0 for a missing
      // rating and for raters without ratings).
      std::vector<double> term(static_cast<std::size_t>(n_columns) * stride, 0.0);
      for (Eigen::Index a = 0; a < t.raters; ++a) {
        const auto j = static_cast<std::size_t>(t.active[static_cast<std::size_t>(a)]);
        for (std::size_t x = 0; x < slots; ++x)
          term[j * stride + x] = t.A(a, codes->slot_category[x]) - t.B[a];
      }
      double sum_sq = 0;
      for (std::size_t m = 0; m < met.size(); ++m) {
        double lambda = constant;
        for (Eigen::Index j = 0; j < n_columns; ++j)
          lambda += term[static_cast<std::size_t>(j) * stride +
                         slot_of[m * static_cast<std::size_t>(n_columns) + static_cast<std::size_t>(j)]];
        const double d = t.deviation(tuple_pa[m], tuple_pairable[m] != 0, lambda);
        sum_sq += static_cast<double>(units_of[met[m]]) * d * d;
      }
      return sum_sq;
    });
  }

  // Units go in blocks whose per-unit slot counts stay in cache.
  const auto block = static_cast<Eigen::Index>(std::max<std::size_t>(64, 12288 / stride));
  std::vector<std::uint32_t> unit_counts(static_cast<std::size_t>(block) * stride);

  // First pass: each rater's classification counts (four interleaved
  // histograms, so that equal codes in a row do not wait on each other)
  // and each unit's pair agreement, kept for the second pass with the
  // unit's kind (0: nobody rated it, 1: one rating, 2: pairable).
  std::vector<std::uint64_t> histogram(static_cast<std::size_t>(n_columns) * 4 * stride, 0);
  std::vector<double> unit_pa(static_cast<std::size_t>(n_units));
  std::vector<std::uint8_t> unit_kind(static_cast<std::size_t>(n_units));
  double n = 0, n2 = 0, sum_pa = 0;
  for (Eigen::Index begin = 0; begin < n_units; begin += block) {
    const Eigen::Index size = std::min(block, n_units - begin);
    std::fill(unit_counts.begin(),
              unit_counts.begin() + static_cast<std::ptrdiff_t>(size) * static_cast<std::ptrdiff_t>(stride), 0u);
    for (Eigen::Index j = 0; j < n_columns; ++j) {
      const std::uint8_t* column = codes->column(j) + begin;
      std::uint64_t* h = histogram.data() + static_cast<std::size_t>(j) * 4 * stride;
      for (Eigen::Index i = 0; i < size; ++i) {
        const std::size_t x = clamp(column[i]);
        ++unit_counts[static_cast<std::size_t>(i) * stride + x];
        ++h[static_cast<std::size_t>(i & 3) * stride + x];
      }
    }
    double block_pa[2] = {0, 0};
    for (Eigen::Index i = 0; i < size; ++i) {
      double r = 0;
      const double agreeing = agreeing_pairs(unit_counts.data() + static_cast<std::size_t>(i) * stride, r);
      n += r > 0 ? 1 : 0;  // a unit nobody rated is not kept
      n2 += r >= 2 ? 1 : 0;
      const double pa = agreeing * per_pair[static_cast<std::size_t>(r)];
      block_pa[i & 1] += pa;
      unit_pa[static_cast<std::size_t>(begin + i)] = pa;
      unit_kind[static_cast<std::size_t>(begin + i)] = static_cast<std::uint8_t>(r >= 2 ? 2 : r > 0 ? 1 : 0);
    }
    sum_pa += block_pa[0] + block_pa[1];
  }
  Eigen::MatrixXd classified = Eigen::MatrixXd::Zero(n_columns, q);
  for (Eigen::Index j = 0; j < n_columns; ++j)
    for (std::size_t x = 0; x < slots; ++x) {
      const std::uint64_t* h = histogram.data() + static_cast<std::size_t>(j) * 4 * stride;
      classified(j, codes->slot_category[x]) =
          static_cast<double>(h[x] + h[stride + x] + h[2 * stride + x] + h[3 * stride + x]);
    }

  return conger_finish(res, classified, n, n2, sum_pa, W, opts, [&](const conger_unit_terms& t) {
    // lambda_u = sum over the unit's ratings of A(a, k) - B[a], plus the
    // same constant for every unit; summed column by column over blocks.
    double constant = 0;
    for (Eigen::Index a = 0; a < t.raters; ++a) constant += t.rated[a] / n * t.B[a];
    std::vector<double> term(static_cast<std::size_t>(t.raters) * stride, 0.0);
    for (Eigen::Index a = 0; a < t.raters; ++a)
      for (std::size_t x = 0; x < slots; ++x)
        term[static_cast<std::size_t>(a) * stride + x] = t.A(a, codes->slot_category[x]) - t.B[a];
    std::vector<double> lambda(static_cast<std::size_t>(block));
    // t.deviation() with its divisions taken once:
    // x_u - kappa = scale (pa_u - pe [pairable]) - spread (lambda_u / (R (R - 1)) - pe) - kappa.
    const double rr = static_cast<double>(t.raters);
    const double scale = (t.n / t.n2) / (1 - t.pe), spread = 2 * (1 - t.kappa) / (1 - t.pe);
    const double per_rater_pair = 1 / (rr * (rr - 1));
    double sum_sq = 0;
    for (Eigen::Index begin = 0; begin < n_units; begin += block) {
      const Eigen::Index size = std::min(block, n_units - begin);
      std::fill(lambda.begin(), lambda.begin() + size, 0.0);
      for (Eigen::Index a = 0; a < t.raters; ++a) {
        const std::uint8_t* column = codes->column(t.active[static_cast<std::size_t>(a)]) + begin;
        const double* rater_term = term.data() + static_cast<std::size_t>(a) * stride;
        for (Eigen::Index i = 0; i < size; ++i) lambda[static_cast<std::size_t>(i)] += rater_term[clamp(column[i])];
      }
      const double* pa = unit_pa.data() + begin;
      const std::uint8_t* kind = unit_kind.data() + begin;
      double block_sq[2] = {0, 0};
      for (Eigen::Index i = 0; i < size; ++i) {
        const double d = scale * (pa[i] - (kind[i] == 2 ? t.pe : 0.0)) -
                         spread * ((constant + lambda[static_cast<std::size_t>(i)]) * per_rater_pair - t.pe) - t.kappa;
        block_sq[i & 1] += kind[i] != 0 ? d * d : 0.0;  // a unit nobody rated is not kept
      }
      sum_sq += block_sq[0] + block_sq[1];
    }
    return sum_sq;
  });
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
  if (std::optional<result> fast = detail::conger_from_patterns(ratings, opts)) return std::move(*fast);
  return detail::conger_from_coded(code_ratings(ratings, opts), opts);
}

}  // namespace calibra::agreement
