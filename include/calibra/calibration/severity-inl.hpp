// Implementation of <calibra/calibration/severity.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/severity.hpp>
#include <calibra/calibration/levels.hpp>

#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/meets.hpp>
#include <calibra/calibration/mixed_model.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/detail/concurrency.hpp>
#include <calibra/error.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/SVD>
#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>


namespace calibra::calibration {

// ---------------------------------------------------------------------------
// Implementation

CALIBRA_INLINE std::string_view to_string(rater_flag flag) {
  return calibra::detail::name_of(detail::rater_flag_names, flag);
}

CALIBRA_INLINE std::optional<rater_flag> parse_rater_flag(std::string_view text) {
  return calibra::detail::value_of<rater_flag>(detail::rater_flag_names, text);
}

CALIBRA_INLINE void severity_options::validate() const {
  const auto fail = [](const std::string& message) {
    throw invalid_argument("calibration", "severity_options." + message);
  };
  const auto show = [](double value) { return std::to_string(value); };
  if (!(confidence > 0 && confidence < 1))
    fail("confidence = " + show(confidence) + ": expected a value strictly between 0 and 1, e.g. 0.95");
  if (!(flag_threshold >= 0) || !std::isfinite(flag_threshold))
    fail("flag_threshold = " + show(flag_threshold) + ": expected a finite number of levels >= 0");
  if (!(max_factorisation_work > 0))
    fail("max_factorisation_work = " + show(max_factorisation_work) + ": expected a positive number of multiply-adds");
  if (min_ratings_for_flags < 1) fail("min_ratings_for_flags = 0: expected at least 1");
  if (min_ratees_for_flags < 2)
    fail("min_ratees_for_flags = " + std::to_string(min_ratees_for_flags) +
         ": expected at least 2 (a spread over ratees needs two of them)");
  if (!(central_share >= 0 && central_share <= 1))
    fail("central_share = " + show(central_share) + ": expected a share in [0, 1]");
  for (const auto& [value, name] : {std::pair{central_sd_ratio, "central_sd_ratio"},
                                    std::pair{nondiscriminating_ratio, "nondiscriminating_ratio"},
                                    std::pair{halo_sd_ratio, "halo_sd_ratio"}})
    if (!(value >= 0) || !std::isfinite(value))
      fail(std::string(name) + " = " + show(value) + ": expected a finite ratio >= 0");
  if (range_max_levels < 1) fail("range_max_levels = 0: expected at least 1 level");
  if (!(halo_pc1_share >= 0 && halo_pc1_share <= 1))
    fail("halo_pc1_share = " + show(halo_pc1_share) + ": expected a share in [0, 1]");
  if (!(tolerance > 0 && tolerance < 1))
    fail("tolerance = " + show(tolerance) + ": expected a relative tolerance strictly between 0 and 1");
  if (max_iterations < 1) fail("max_iterations = 0: expected at least 1");
  if (!(false_discovery_rate > 0 && false_discovery_rate < 1))
    fail("false_discovery_rate = " + show(false_discovery_rate) + ": expected a rate strictly between 0 and 1, e.g. 0.05");
  if (min_ratings_to_judge < 1) fail("min_ratings_to_judge = 0: expected at least 1");
  if (min_ratees_to_judge < 1) fail("min_ratees_to_judge = 0: expected at least 1");
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE auto severity_design::entries(std::size_t i, std::size_t (&index)[3], double (&sign)[3]) const -> int {
  index[0] = rater[i];
  sign[0] = -1;
  index[1] = n_raters() + competency[i];
  sign[1] = 1;
  if (!period_effects) return 2;
  index[2] = n_raters() + n_competencies() + period[i];
  sign[2] = 1;
  return 3;
}

CALIBRA_INLINE auto severity_design::predict(const Eigen::VectorXd& x, std::size_t i) const -> double {
  double value = -x[rater[i]] + x[static_cast<Eigen::Index>(n_raters() + competency[i])];
  if (period_effects) value += x[static_cast<Eigen::Index>(n_raters() + n_competencies() + period[i])];
  return value;
}

CALIBRA_INLINE auto severity_design::add(Eigen::VectorXd& out, std::size_t i, double value) const -> void {
  out[rater[i]] -= value;
  out[static_cast<Eigen::Index>(n_raters() + competency[i])] += value;
  if (period_effects) out[static_cast<Eigen::Index>(n_raters() + n_competencies() + period[i])] += value;
}

CALIBRA_INLINE severity_design make_severity_design(const ratings_table& table, const ratings_filter& filter,
                                            bool period_effects) {
  severity_design d;
  d.period_effects = period_effects;
  std::vector<std::size_t> kept;
  for (std::size_t row = 0; row < table.size(); ++row)
    if (filter.keeps(table, row)) kept.push_back(row);

  const auto compact = [&](std::size_t n_ids, auto id_of, std::vector<std::uint32_t>& ids) {
    std::vector<std::uint32_t> index(n_ids, ratings_table::no_id);
    for (std::size_t row : kept) index[id_of(row)] = 0;
    for (std::uint32_t id = 0; id < n_ids; ++id)
      if (index[id] == 0) {
        index[id] = static_cast<std::uint32_t>(ids.size());
        ids.push_back(id);
      }
    return index;
  };
  const auto rater_index = compact(table.raters().size(), [&](std::size_t r) { return table.rater(r); }, d.rater_ids);
  const auto ratee_index = compact(table.ratees().size(), [&](std::size_t r) { return table.ratee(r); }, d.ratee_ids);
  const auto competency_index =
      compact(table.n_competencies(), [&](std::size_t r) { return table.competency(r); }, d.competency_ids);
  const auto period_index =
      compact(table.periods().size(), [&](std::size_t r) { return table.period(r); }, d.period_ids);

  // Counting sort by ratee, then a small sort inside each ratee.
  d.ratee_offsets.assign(d.n_ratees() + 1, 0);
  for (std::size_t row : kept) ++d.ratee_offsets[ratee_index[table.ratee(row)] + 1];
  std::partial_sum(d.ratee_offsets.begin(), d.ratee_offsets.end(), d.ratee_offsets.begin());
  std::vector<std::size_t> order(kept.size());
  {
    std::vector<std::size_t> next(d.ratee_offsets.begin(), d.ratee_offsets.end() - 1);
    for (std::size_t row : kept) order[next[ratee_index[table.ratee(row)]]++] = row;
  }
  for (std::size_t e = 0; e < d.n_ratees(); ++e)
    std::sort(order.begin() + static_cast<std::ptrdiff_t>(d.ratee_offsets[e]),
              order.begin() + static_cast<std::ptrdiff_t>(d.ratee_offsets[e + 1]),
              [&](std::size_t a, std::size_t b) {
                if (table.period(a) != table.period(b)) return table.period(a) < table.period(b);
                if (table.rater(a) != table.rater(b)) return table.rater(a) < table.rater(b);
                return table.competency(a) < table.competency(b);
              });
  d.rater.resize(order.size());
  d.competency.resize(order.size());
  d.period.resize(order.size());
  d.level.resize(order.size());
  d.career_level.resize(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    d.career_level[i] = table.career_level(order[i]).value_or(ratings_table::no_id);
    d.rater[i] = rater_index[table.rater(order[i])];
    d.competency[i] = competency_index[table.competency(order[i])];
    d.period[i] = period_index[table.period(order[i])];
    d.level[i] = table.level(order[i]);
  }
  return d;
}

CALIBRA_INLINE void apply_reduced_information(const severity_design& d, const Eigen::VectorXd& x,
                                              Eigen::VectorXd& out) {
  out.setZero(static_cast<Eigen::Index>(d.parameters()));
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    const std::size_t begin = d.ratee_offsets[e], end = d.ratee_offsets[e + 1];
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += d.predict(x, i);
    const double mean = sum / static_cast<double>(end - begin);
    for (std::size_t i = begin; i < end; ++i) d.add(out, i, d.predict(x, i) - mean);
  }
}

CALIBRA_INLINE null_space_groups make_null_space_groups(const severity_design& d, const rater_network& network) {
  null_space_groups g;
  const std::size_t n_components = network.components.size();
  g.size.assign(n_components + 2, 0);
  g.group_of.resize(d.parameters());
  for (std::size_t r = 0; r < d.n_raters(); ++r) g.group_of[r] = network.rater_component[d.rater_ids[r]];
  for (std::size_t c = 0; c < d.n_competencies(); ++c) g.group_of[d.n_raters() + c] = n_components;
  if (d.period_effects)
    for (std::size_t q = 0; q < d.n_periods(); ++q)
      g.group_of[d.n_raters() + d.n_competencies() + q] = n_components + 1;
  for (std::size_t group : g.group_of) ++g.size[group];
  return g;
}

CALIBRA_INLINE void centre_groups(Eigen::VectorXd& x, const null_space_groups& g) {
  std::vector<double> sum(g.size.size(), 0.0);
  for (std::size_t j = 0; j < g.group_of.size(); ++j) sum[g.group_of[j]] += x[static_cast<Eigen::Index>(j)];
  for (std::size_t j = 0; j < g.group_of.size(); ++j)
    x[static_cast<Eigen::Index>(j)] -= sum[g.group_of[j]] / static_cast<double>(g.size[g.group_of[j]]);
}

CALIBRA_INLINE std::pair<std::size_t, bool> solve_reduced_cg(const severity_design& d, const Eigen::VectorXd& diagonal,
                                                     const Eigen::VectorXd& b, Eigen::VectorXd& x, double tolerance,
                                                     std::size_t max_iterations) {
  const Eigen::Index n = b.size();
  x.setZero(n);
  const double b_norm = b.norm();
  if (b_norm == 0) return {0, true};
  Eigen::VectorXd inverse_diagonal(n);
  const double scale = diagonal.maxCoeff();
  for (Eigen::Index j = 0; j < n; ++j)
    inverse_diagonal[j] = diagonal[j] > 1e-12 * scale ? 1.0 / diagonal[j] : 0.0;
  Eigen::VectorXd r = b, z = inverse_diagonal.cwiseProduct(r), p = z, sp(n);
  double rz = r.dot(z);
  for (std::size_t it = 1; it <= max_iterations; ++it) {
    apply_reduced_information(d, p, sp);
    const double curvature = p.dot(sp);
    if (!(curvature > 0)) return {it, r.norm() <= tolerance * b_norm};
    const double alpha = rz / curvature;
    x += alpha * p;
    r -= alpha * sp;
    if (r.norm() <= tolerance * b_norm) return {it, true};
    z = inverse_diagonal.cwiseProduct(r);
    const double rz_next = r.dot(z);
    p = z + (rz_next / rz) * p;
    rz = rz_next;
  }
  return {max_iterations, false};
}

CALIBRA_INLINE std::optional<iterative_solution> solve_reduced_sparse(const severity_design& d,
                                                              const null_space_groups& groups,
                                                              const Eigen::VectorXd& b, Eigen::VectorXd& x,
                                                              double tolerance, std::size_t max_iterations,
                                                              std::size_t max_entries) {
  const std::size_t n_raters = d.n_raters(), n_params = d.parameters(), n_facets = n_params - n_raters;
  // Rater x rater entries, counted before anything is allocated.
  std::vector<std::uint32_t> last_ratee(n_raters, ratings_table::no_id);
  std::size_t entries = 0;
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    std::size_t k = 0;
    for (std::size_t i = d.ratee_offsets[e]; i < d.ratee_offsets[e + 1]; ++i)
      if (last_ratee[d.rater[i]] != e) {
        last_ratee[d.rater[i]] = static_cast<std::uint32_t>(e);
        ++k;
      }
    entries += k * k;
    if (entries > max_entries) return std::nullopt;
  }

  // Reduced numbering: pinned effects get no row.
  std::vector<Eigen::Index> reduced(n_params, -1);
  std::vector<bool> group_pinned(groups.size.size(), false);
  Eigen::Index n_reduced = 0;
  for (std::size_t j = 0; j < n_params; ++j) {
    if (!group_pinned[groups.group_of[j]]) {
      group_pinned[groups.group_of[j]] = true;
      continue;
    }
    reduced[j] = n_reduced++;
  }
  x.setZero(static_cast<Eigen::Index>(n_params));
  if (n_reduced == 0) return iterative_solution{0, true, "nothing to solve"};

  // Rater x facet and facet x facet blocks are dense and small; rater x
  // rater entries go into triplets.
  Eigen::MatrixXd rater_facet = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_raters),
                                                      static_cast<Eigen::Index>(n_facets));
  Eigen::MatrixXd facet_facet = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_facets),
                                                      static_cast<Eigen::Index>(n_facets));
  std::vector<double> rater_diagonal(n_raters, 0.0);
  std::vector<Eigen::Triplet<double>> triplets;
  triplets.reserve(entries + 2 * static_cast<std::size_t>(rater_facet.size()) +
                   static_cast<std::size_t>(facet_facet.size()));
  std::vector<double> count(n_params, 0.0);
  std::vector<std::size_t> touched_raters, touched_facets;
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    const std::size_t begin = d.ratee_offsets[e], end = d.ratee_offsets[e + 1];
    const double n_e = static_cast<double>(end - begin);
    touched_raters.clear();
    touched_facets.clear();
    for (std::size_t i = begin; i < end; ++i) {
      std::size_t index[3];
      double sign[3];
      const int k = d.entries(i, index, sign);
      // z z' of this row: the rater's diagonal, rater x facet (sign -1), facet x facet (+1).
      rater_diagonal[index[0]] += 1;
      for (int a = 1; a < k; ++a) {
        const auto fa = static_cast<Eigen::Index>(index[a] - n_raters);
        rater_facet(static_cast<Eigen::Index>(index[0]), fa) -= 1;
        for (int c = 1; c < k; ++c) facet_facet(fa, static_cast<Eigen::Index>(index[c] - n_raters)) += 1;
      }
      for (int a = 0; a < k; ++a) {
        if (count[index[a]] == 0) (a == 0 ? touched_raters : touched_facets).push_back(index[a]);
        count[index[a]] += 1;
      }
    }
    // Minus w w' / n_e, w = -counts on raters and +counts on facets.
    for (std::size_t r : touched_raters) {
      for (std::size_t q : touched_raters)
        if (reduced[r] >= 0 && reduced[q] >= 0)
          triplets.emplace_back(reduced[r], reduced[q], -count[r] * count[q] / n_e);
      for (std::size_t f : touched_facets)
        rater_facet(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(f - n_raters)) += count[r] * count[f] / n_e;
    }
    for (std::size_t f : touched_facets)
      for (std::size_t g : touched_facets)
        facet_facet(static_cast<Eigen::Index>(f - n_raters), static_cast<Eigen::Index>(g - n_raters)) -=
            count[f] * count[g] / n_e;
    for (std::size_t j : touched_raters) count[j] = 0;
    for (std::size_t j : touched_facets) count[j] = 0;
  }
  for (std::size_t r = 0; r < n_raters; ++r)
    if (reduced[r] >= 0) triplets.emplace_back(reduced[r], reduced[r], rater_diagonal[r]);
  for (std::size_t r = 0; r < n_raters; ++r)
    for (std::size_t f = 0; f < n_facets; ++f) {
      const double value = rater_facet(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(f));
      const Eigen::Index row = reduced[r], column = reduced[n_raters + f];
      if (value == 0 || row < 0 || column < 0) continue;
      triplets.emplace_back(row, column, value);
      triplets.emplace_back(column, row, value);
    }
  for (std::size_t f = 0; f < n_facets; ++f)
    for (std::size_t g = 0; g < n_facets; ++g) {
      const double value = facet_facet(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(g));
      const Eigen::Index row = reduced[n_raters + f], column = reduced[n_raters + g];
      if (value != 0 && row >= 0 && column >= 0) triplets.emplace_back(row, column, value);
    }
  Eigen::SparseMatrix<double> information(n_reduced, n_reduced);
  information.setFromTriplets(triplets.begin(), triplets.end());
  triplets = {};

  Eigen::VectorXd b_reduced(n_reduced);
  for (std::size_t j = 0; j < n_params; ++j)
    if (reduced[j] >= 0) b_reduced[reduced[j]] = b[static_cast<Eigen::Index>(j)];
  Eigen::ConjugateGradient<Eigen::SparseMatrix<double>, Eigen::Lower | Eigen::Upper,
                           Eigen::IncompleteCholesky<double>>
      cg;
  cg.setTolerance(tolerance);
  cg.setMaxIterations(static_cast<Eigen::Index>(std::min<std::size_t>(max_iterations, 1u << 30)));
  cg.compute(information);
  if (cg.info() != Eigen::Success) return std::nullopt;
  const Eigen::VectorXd solution = cg.solve(b_reduced);
  for (std::size_t j = 0; j < n_params; ++j)
    if (reduced[j] >= 0) x[static_cast<Eigen::Index>(j)] = solution[reduced[j]];
  return iterative_solution{static_cast<std::size_t>(cg.iterations()), cg.info() == Eigen::Success,
                            "conjugate gradients, incomplete Cholesky preconditioner (Eigen)"};
}

CALIBRA_INLINE double sample_sd(double n, double sum, double sum_sq) {
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double mean = sum / n;
  return std::sqrt(std::max(0.0, (sum_sq - n * mean * mean) / (n - 1)));
}

CALIBRA_INLINE double ratio_or_nan(double numerator, double denominator) {
  if (!std::isfinite(numerator) || !std::isfinite(denominator) || denominator <= 0)
    return std::numeric_limits<double>::quiet_NaN();
  return numerator / denominator;
}

CALIBRA_INLINE void rater_diagnostics(const severity_design& d, int n_levels, std::vector<rater_severity>& out) {
const std::size_t n_raters = d.n_raters(), n_comp = d.n_competencies();
const double nan = std::numeric_limits<double>::quiet_NaN();
struct totals {
  double n = 0, sum = 0, sum_sq = 0, middle = 0;
  std::bitset<256> levels;
  double pooled_n = 0, pooled_sum = 0, pooled_sum_sq = 0;
  std::bitset<256> pooled_levels;
  double ratees = 0, mean_sum = 0, mean_sum_sq = 0, pooled_mean_sum = 0, pooled_mean_sum_sq = 0;
  double halo_groups = 0, halo_sd_sum = 0;
};
std::vector<totals> t(n_raters);
// PCA accumulators over complete (ratee, period) rows: sums and cross products.
std::vector<double> complete_rows(n_raters, 0.0);
std::vector<Eigen::VectorXd> row_sum(n_raters, Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_comp)));
std::vector<Eigen::MatrixXd> cross(n_raters, Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_comp),
                                                                   static_cast<Eigen::Index>(n_comp)));

const int middle_low = (n_levels + 1) / 2, middle_high = n_levels / 2 + 1;  // odd: one level; even: two
std::vector<double> count_of(n_raters, 0.0), sum_of(n_raters, 0.0);
std::vector<std::uint32_t> touched;
Eigen::VectorXd profile(static_cast<Eigen::Index>(n_comp));
for (std::size_t e = 0; e < d.n_ratees(); ++e) {
  const std::size_t begin = d.ratee_offsets[e], end = d.ratee_offsets[e + 1];
  double n_e = 0, sum_e = 0, sum_sq_e = 0;
  std::bitset<256> levels_e;
  touched.clear();
  for (std::size_t i = begin; i < end; ++i) {
    const double y = d.level[i];
    const std::uint32_t r = d.rater[i];
    n_e += 1;
    sum_e += y;
    sum_sq_e += y * y;
    levels_e.set(static_cast<std::size_t>(y));
    totals& tr = t[r];
    tr.n += 1;
    tr.sum += y;
    tr.sum_sq += y * y;
    tr.levels.set(static_cast<std::size_t>(y));
    if (static_cast<int>(y) >= middle_low && static_cast<int>(y) <= middle_high) tr.middle += 1;
    if (count_of[r] == 0) touched.push_back(r);
    count_of[r] += 1;
    sum_of[r] += y;
  }
  const double mean_e = sum_e / n_e;
  for (std::uint32_t r : touched) {
    totals& tr = t[r];
    tr.pooled_n += n_e;
    tr.pooled_sum += sum_e;
    tr.pooled_sum_sq += sum_sq_e;
    tr.pooled_levels |= levels_e;
    tr.ratees += 1;
    const double mean_er = sum_of[r] / count_of[r];
    tr.mean_sum += mean_er;
    tr.mean_sum_sq += mean_er * mean_er;
    tr.pooled_mean_sum += mean_e;
    tr.pooled_mean_sum_sq += mean_e * mean_e;
    count_of[r] = 0;
    sum_of[r] = 0;
  }
  // One rater's ratings of this ratee in one period: contiguous runs.
  std::size_t a = begin;
  while (a < end) {
    std::size_t b = a;
    double s = 0, ss = 0;
    while (b < end && d.rater[b] == d.rater[a] && d.period[b] == d.period[a]) {
      s += d.level[b];
      ss += d.level[b] * d.level[b];
      ++b;
    }
    const std::uint32_t r = d.rater[a];
    const double m = static_cast<double>(b - a);
    if (m >= 2) {
      t[r].halo_groups += 1;
      t[r].halo_sd_sum += sample_sd(m, s, ss);
    }
    if (b - a == n_comp && n_comp >= 2) {  // one rating per competency, so the run is a complete profile
      for (std::size_t i = a; i < b; ++i) profile[d.competency[i]] = d.level[i];
      complete_rows[r] += 1;
      row_sum[r] += profile;
      cross[r].selfadjointView<Eigen::Lower>().rankUpdate(profile);
    }
    a = b;
  }
}

  out.resize(n_raters);
  for (std::size_t r = 0; r < n_raters; ++r) {
    const totals& tr = t[r];
    rater_severity& rs = out[r];
    rs.rater = d.rater_ids[r];
    rs.n_ratings = static_cast<std::size_t>(tr.n);
    rs.n_ratees = static_cast<std::size_t>(tr.ratees);
    rs.mean_level = tr.sum / tr.n;
    rs.sd_level = sample_sd(tr.n, tr.sum, tr.sum_sq);
    rs.pooled_sd_level = sample_sd(tr.pooled_n, tr.pooled_sum, tr.pooled_sum_sq);
    rs.sd_ratio = ratio_or_nan(rs.sd_level, rs.pooled_sd_level);
    rs.middle_share = tr.middle / tr.n;
    rs.levels_used = tr.levels.count();
    rs.pooled_levels_used = tr.pooled_levels.count();
    rs.ratee_mean_sd = sample_sd(tr.ratees, tr.mean_sum, tr.mean_sum_sq);
    rs.pooled_ratee_mean_sd = sample_sd(tr.ratees, tr.pooled_mean_sum, tr.pooled_mean_sum_sq);
    rs.discrimination_ratio = ratio_or_nan(rs.ratee_mean_sd, rs.pooled_ratee_mean_sd);
    rs.halo_within_sd = tr.halo_groups > 0 ? tr.halo_sd_sum / tr.halo_groups : nan;
    rs.halo_pc1_share = nan;
    const double rows = complete_rows[r];
    if (rows >= 3) {
      const Eigen::VectorXd mean = row_sum[r] / rows;
      Eigen::MatrixXd covariance = cross[r].selfadjointView<Eigen::Lower>();
      covariance = (covariance - rows * mean * mean.transpose()) / (rows - 1);
      // Eigenvalues of a covariance matrix are its singular values.
      // (JacobiSVD rather than SelfAdjointEigenSolver: GCC 12 reports false
      // -Wmaybe-uninitialized warnings inside the latter's tridiagonalisation,
      // and the square matrix needs no QR preconditioner, which warns the same way.)
      const Eigen::JacobiSVD<Eigen::MatrixXd, Eigen::NoQRPreconditioner> svd(covariance);
      const double total = covariance.trace();
      if (total > 1e-12) rs.halo_pc1_share = svd.singularValues()[0] / total;
    }
  }
  // Halo SD relative to the median rater.
  std::vector<double> within;
  for (const auto& rs : out)
    if (std::isfinite(rs.halo_within_sd)) within.push_back(rs.halo_within_sd);
  double median = nan;
  if (!within.empty()) {
    std::sort(within.begin(), within.end());
    const std::size_t mid = within.size() / 2;
    median = within.size() % 2 ? within[mid] : (within[mid - 1] + within[mid]) / 2;
  }
  for (auto& rs : out) rs.halo_sd_ratio = ratio_or_nan(rs.halo_within_sd, median);
}


/// The distribution-based flags (no model needed), shared by both models.
CALIBRA_INLINE void distribution_flags(rater_severity& rs, const severity_options& options) {
  const bool enough_ratings = rs.n_ratings >= options.min_ratings_for_flags;
  const bool enough_ratees = enough_ratings && rs.n_ratees >= options.min_ratees_for_flags;
  if (enough_ratings && rs.middle_share >= options.central_share && rs.sd_ratio <= options.central_sd_ratio)
    rs.flags.push_back(rater_flag::central_tendency);
  if (enough_ratings && rs.levels_used <= options.range_max_levels && rs.pooled_levels_used > rs.levels_used)
    rs.flags.push_back(rater_flag::range_restriction);
  if (enough_ratees && rs.discrimination_ratio <= options.nondiscriminating_ratio)
    rs.flags.push_back(rater_flag::non_discriminating);
  if (enough_ratees && rs.halo_sd_ratio <= options.halo_sd_ratio && rs.halo_pc1_share >= options.halo_pc1_share)
    rs.flags.push_back(rater_flag::halo);
}

/// Posterior probability that an effect with posterior N(mean, sd^2) lies
/// within `threshold` of 0 on the side of its mean: the chance that calling
/// it "beyond the threshold" is a false discovery.
CALIBRA_INLINE double null_probability(double mean, double sd, double threshold) {
  if (!(sd > 0)) return std::abs(mean) >= threshold ? 0.0 : 1.0;
  return normal_cdf((threshold - std::abs(mean)) / sd);
}

/// Bayesian false-discovery-rate selection (Newton, Noueiry, Sarkar &
/// Ahlquist 2004): the largest set of candidates, taken in increasing order
/// of null probability, whose mean null probability -- the posterior
/// expected share of false discoveries in the set -- is at most `rate`.
/// Returns a selected mark per candidate.
CALIBRA_INLINE std::vector<bool> select_discoveries(const std::vector<double>& null_probabilities, double rate) {
  std::vector<std::size_t> order(null_probabilities.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return null_probabilities[a] < null_probabilities[b]; });
  std::vector<bool> selected(null_probabilities.size(), false);
  double sum = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    sum += null_probabilities[order[k]];
    // The running mean only grows along the order, so the first excess ends the set.
    if (sum > rate * static_cast<double>(k + 1)) break;
    selected[order[k]] = true;
  }
  return selected;
}

CALIBRA_INLINE ratee_cells make_ratee_cells(const severity_design& d) {
  ratee_cells out;
  out.ratee_code.resize(d.rows());
  out.cell_code.resize(d.rows());
  std::vector<std::uint32_t> cell_of(d.n_competencies(), UINT32_MAX);
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    for (std::size_t i = d.ratee_offsets[e]; i < d.ratee_offsets[e + 1]; ++i) {
      out.ratee_code[i] = static_cast<std::uint32_t>(e);
      std::uint32_t& cell = cell_of[d.competency[i]];
      if (cell == UINT32_MAX) {
        cell = static_cast<std::uint32_t>(out.cell_ratee.size());
        out.cell_ratee.push_back(static_cast<std::uint32_t>(e));
        out.cell_competency.push_back(d.competency[i]);
      } else {
        out.replicated = true;
      }
      out.cell_code[i] = cell;
    }
    for (std::size_t i = d.ratee_offsets[e]; i < d.ratee_offsets[e + 1]; ++i) cell_of[d.competency[i]] = UINT32_MAX;
  }
  return out;
}

/// The crossed random-effects fit (severity_model::random_effects): fills
/// `fit` from the REML fit of
///   level = mu + competency + period + ratee + (ratee x competency) - severity + e.
CALIBRA_INLINE next_step_grouping next_step_groups(const framework& fw, const severity_design& d,
                                                   const ratee_cells& cells) {
  // Per career level, which competencies the on-track next step raises.
  const detail::track_walks walks(fw);
  const std::size_t n_levels = fw.ladder().size(), n_comp = fw.competencies().size();
  std::vector<bool> rises(n_levels * n_comp, false);
  for (std::size_t l = 0; l < n_levels; ++l)
    if (const auto next = walks.next_on_track(l))
      for (std::size_t c = 0; c < n_comp; ++c)
        rises[l * n_comp + c] = detail::expectation_at(fw, *next, c) > detail::expectation_at(fw, l, c);
  next_step_grouping out;
  out.codes.resize(d.rows());
  out.raised.resize(d.rows());
  std::vector<std::uint32_t> code_of(2 * d.n_ratees(), UINT32_MAX);
  for (std::size_t i = 0; i < d.rows(); ++i) {
    const bool gap = rises[d.career_level[i] * n_comp + d.competency_ids[d.competency[i]]];
    std::uint32_t& k = code_of[2 * cells.ratee_code[i] + (gap ? 1 : 0)];
    if (k == UINT32_MAX) k = static_cast<std::uint32_t>(out.groups++);
    out.codes[i] = k;
    out.raised[i] = gap;
  }
  return out;
}

CALIBRA_INLINE void fit_random_severity(const ratings_table& table, const severity_design& d,
                                        const severity_options& options, severity_fit& fit,
                                        std::future<rater_network>& network) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = d.rows(), n_raters = d.n_raters(), n_ratees = d.n_ratees();
  const std::size_t n_comp = d.n_competencies(), n_periods = d.n_periods();

  ratee_cells cells = make_ratee_cells(d);
  std::vector<std::uint32_t>& cell_ratee = cells.cell_ratee;
  std::vector<std::uint32_t>& cell_competency = cells.cell_competency;
  const bool replicated = cells.replicated;
  const bool with_cells = options.ratee_competency_effects && n_comp > 1 && replicated;
  const bool with_periods = d.period_effects && n_periods > 1;

  // The fixed profile: one mean per competency or, when every kept rating
  // records the ratee's career level and there are two or more levels, one
  // per (career level, competency).  People at one career level share an
  // expected profile, so a person's ratee x competency effect should shrink
  // towards their own level's profile rather than towards everyone's: with
  // one shared profile, a senior person's strategic competencies would be
  // pulled down towards the juniors' and vice versa.
  const std::size_t ladder_size = table.framework().ladder().size();
  const auto profile_design = [&](bool by_level) {
    std::vector<std::uint32_t> code(n);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cells_of_profile;  // (career level or 0, compact competency)
    std::vector<std::uint32_t> code_of((by_level ? ladder_size : 1) * n_comp, UINT32_MAX);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t level = by_level ? d.career_level[i] : 0;
      std::uint32_t& k = code_of[level * n_comp + d.competency[i]];
      if (k == UINT32_MAX) {
        k = static_cast<std::uint32_t>(cells_of_profile.size());
        cells_of_profile.emplace_back(level, d.competency[i]);
      }
      code[i] = k;
    }
    return std::pair{code, cells_of_profile};
  };
  bool by_level = options.career_level_profiles && ladder_size > 1 &&
                  std::all_of(d.career_level.begin(), d.career_level.end(),
                              [](std::uint32_t l) { return l != ratings_table::no_id; });
  if (by_level) {
    std::vector<bool> seen(ladder_size, false);
    for (std::uint32_t l : d.career_level) seen[l] = true;
    by_level = std::count(seen.begin(), seen.end(), true) >= 2;
  }

  // Rater x competency: one effect per (rater, competency) pair, when some
  // rater rates some competency for two or more ratees (otherwise it
  // cannot be told apart from the ratee x competency effect).
  std::vector<std::uint32_t> rc_code(n);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> rc_pairs;  // (compact rater, compact competency)
  {
    std::vector<std::uint32_t> code_of(n_raters * n_comp, UINT32_MAX);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t& k = code_of[std::size_t{d.rater[i]} * n_comp + d.competency[i]];
      if (k == UINT32_MAX) {
        k = static_cast<std::uint32_t>(rc_pairs.size());
        rc_pairs.emplace_back(d.rater[i], d.competency[i]);
      }
      rc_code[i] = k;
    }
  }
  std::vector<std::vector<std::uint32_t>> rc_ratees(rc_pairs.size());
  std::vector<std::size_t> rc_n(rc_pairs.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    ++rc_n[rc_code[i]];
    rc_ratees[rc_code[i]].push_back(cells.ratee_code[i]);
  }
  std::vector<std::size_t> rc_distinct(rc_pairs.size(), 0);
  bool rc_replicated = false;
  for (std::size_t k = 0; k < rc_pairs.size(); ++k) {
    std::sort(rc_ratees[k].begin(), rc_ratees[k].end());
    rc_distinct[k] = static_cast<std::size_t>(std::unique(rc_ratees[k].begin(), rc_ratees[k].end()) - rc_ratees[k].begin());
    rc_replicated = rc_replicated || rc_distinct[k] >= 2;
  }
  bool with_rater_competency = options.rater_competency_effects && n_comp > 1 && rc_replicated;

  mixed_model_fit m;
  next_step_grouping step;
  std::vector<std::uint32_t> profile_code;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> profile_cells;
  for (;;) {
    std::tie(profile_code, profile_cells) = profile_design(by_level);
    std::vector<mixed_factor> random{{"rater", d.rater, n_raters}, {"ratee", cells.ratee_code, n_ratees}};
    step = by_level && options.next_step_effects && n_comp > 1 ? next_step_groups(table.framework(), d, cells)
                                                                : next_step_grouping{};
    if (!step.codes.empty()) random.push_back({"ratee:next-step", step.codes, step.groups});
    if (with_cells) random.push_back({"ratee:competency", cells.cell_code, cell_ratee.size()});
    if (with_rater_competency) random.push_back({"rater:competency", rc_code, rc_pairs.size()});
    std::vector<mixed_factor> fixed;
    if (profile_cells.size() > 1) fixed.push_back({"profile", profile_code, profile_cells.size()});
    if (with_periods) fixed.push_back({"period", d.period, n_periods});
    try {
      std::optional<mixed_model> model;
      std::vector<double> start;
      // A large design is first sampled: about one ratee in eight with all
      // their ratings and every rater.  A pilot fit on the sample gives the
      // full fit its start (Newton steps from near the optimum instead of a
      // dozen quasi-Newton steps from theta = 1), and the sample gives a
      // first, cheap look at what the rater x competency effects cost.
      std::optional<mixed_design> sample;
      if (n >= options.pilot_min_ratings) sample = sample_levels(d.level, random, fixed, 1);
      // From a pilot's start the fit takes Newton steps, and its last
      // steps only polish theta far inside its standard error (about 1e-2
      // at these sizes): it stops once its quadratic model predicts a
      // further gain below 1e-10 of the criterion (2e-4 at 10^6 ratings,
      // theta then within about 1e-4 of the exact optimum) rather than the
      // model's default 1e-13, which costs two more evaluations there.
      mixed_model_options fitting;
      if (sample) fitting.deviance_tolerance = 1e-10;
      const auto pilot = [&](bool without_last) {
        if (!sample) return std::vector<double>{};
        mixed_design design = *sample;
        if (without_last) design.random.pop_back();
        return pilot_theta(std::move(design), 1);
      };
      if (with_rater_competency) {
        // Rater x competency effects join every competency a rater rates
        // to every other rater of the same people: with many raters
        // sharing many ratees the exact factor fills in and each step of
        // the fit grows from milliseconds to minutes.  The model with them
        // is set up under a budget of factorisation work; past it the fit
        // goes on without them and says so.  A sample over the budget
        // settles it: a design with fewer ratees never fills in more.
        // Measuring the cost means ordering the larger model, so the model
        // without them is set up meanwhile on a second thread (and dropped
        // if not needed).
        const std::vector<mixed_factor> without(random.begin(), random.end() - 1);
        auto fallback = calibra::detail::beside([&] { return mixed_model(d.level, without, fixed, fitting); });
        mixed_model_options budgeted = fitting;
        budgeted.max_factorisation_work = options.max_factorisation_work;
        std::optional<budget_error> over;
        const char* measured = "";
        if (sample) {
          try {
            const mixed_model probe(sample->y, sample->random, sample->fixed, budgeted);
          } catch (const budget_error& e) {
            over = e;
            measured = " (measured on about one ratee in eight)";
          } catch (const error&) {
            // A sample too small for the model says nothing about the
            // cost: the full design's check decides.
          }
        }
        if (!over) {
          try {
            model.emplace(d.level, random, fixed, budgeted);
            start = pilot(false);
          } catch (const budget_error& e) {
            over = e;
          }
        }
        if (over) {
          start = pilot(true);
          model.emplace(fallback.get());
          with_rater_competency = false;
          char budget[160];
          std::snprintf(budget, sizeof budget, "%s%.1e multiply-adds per step%s, above max_factorisation_work %.1e",
                        *measured ? "at least " : "", over->cost(), measured, over->budget());
          fit.rater_competency_note =
              std::string("rater x competency biases not estimated: with them the exact fit would take ") + budget +
              "; fit a smaller group of raters (one department, one team) to see them";
        }
      } else {
        auto piloting = calibra::detail::beside([&] { return pilot(false); });
        model.emplace(d.level, random, fixed, fitting);
        start = piloting.get();
      }
      m = start.empty() ? model->fit() : model->fit(start);
      break;
    } catch (const invalid_argument& e) {
      // Career levels confounded with periods make the level profiles
      // collinear with the period effects: fall back to one profile.
      if (by_level) {
        by_level = false;
        continue;
      }
      fit.reason = std::string("the random-effects severity model cannot be fitted to these ratings: ") + e.what();
      return;
    } catch (const error& e) {
      // The engine refuses designs it cannot identify (one rater, one rating
      // per ratee, ratings that fit exactly); say so rather than guess.
      fit.reason = std::string("the random-effects severity model cannot be fitted to these ratings: ") + e.what();
      return;
    }
  }
  fit.profile_by_career_level = by_level;

  // Fixed part: treatment-coded coefficients -> profile means, mu and
  // sum-to-zero period and competency effects.
  const std::size_t p = m.fixed.size(), n_profile = profile_cells.size();
  const auto coefficient = [&](std::size_t j) { return m.fixed[j].estimate; };
  const auto covariance = [&](std::size_t j, std::size_t k) { return m.fixed_covariance[j * p + k]; };
  // Coefficient index of period q (0: none, the baseline).  Profile cell k
  // is coefficient k: the profile factor comes first, cell 0 is the baseline.
  const auto period_index = [&](std::size_t q) -> std::size_t { return (with_periods && q > 0) ? (n_profile - 1) + q : 0; };
  const auto value_of = [&](std::size_t index) { return index ? coefficient(index) : 0.0; };
  const auto variance_of = [&](const std::vector<std::pair<std::size_t, double>>& weights) {
    double v = 0;
    for (const auto& [j, a] : weights)
      for (const auto& [k, b] : weights) v += a * b * covariance(j, k);
    return std::max(0.0, v);
  };
  // Sum-to-zero effects: a_c = beta_c - mean_k beta_k (beta_0 = 0), with
  // the SE of that contrast.
  const auto centred = [&](std::size_t count, auto index_of) {
    std::vector<std::pair<double, double>> out;  // estimate, se
    double mean = 0;
    for (std::size_t c = 0; c < count; ++c) mean += value_of(index_of(c));
    mean /= static_cast<double>(count);
    for (std::size_t c = 0; c < count; ++c) {
      std::vector<std::pair<std::size_t, double>> w;
      for (std::size_t k = 0; k < count; ++k) {
        const double weight = (k == c ? 1.0 : 0.0) - 1.0 / static_cast<double>(count);
        if (index_of(k)) w.emplace_back(index_of(k), weight);
      }
      out.emplace_back(value_of(index_of(c)) - mean, std::sqrt(variance_of(w)));
    }
    return std::pair{out, mean};
  };
  const auto [period_effect, period_mean] =
      with_periods ? centred(n_periods, period_index)
                   : std::pair{std::vector<std::pair<double, double>>(n_periods, {0.0, nan}), 0.0};

  // Profile means (at the average period) and their SEs, by (career level
  // or a single row, table competency).
  const auto cols = static_cast<Eigen::Index>(table.n_competencies());
  const auto profile_rows = static_cast<Eigen::Index>(by_level ? ladder_size : 1);
  fit.profile_mean = Eigen::MatrixXd::Constant(profile_rows, cols, nan);
  fit.profile_se = fit.profile_mean;
  std::vector<double> competency_sum(n_comp, 0.0), competency_count(n_comp, 0.0);
  double profile_sum = 0;
  for (std::size_t k = 0; k < n_profile; ++k) {
    const auto [level, c] = profile_cells[k];
    std::vector<std::pair<std::size_t, double>> w{{0, 1.0}};
    if (k) w.emplace_back(k, 1.0);
    const double mean = coefficient(0) + value_of(k) + period_mean;
    fit.profile_mean(level, d.competency_ids[c]) = mean;
    fit.profile_se(level, d.competency_ids[c]) = std::sqrt(variance_of(w));
    competency_sum[c] += mean;
    competency_count[c] += 1;
    profile_sum += mean;
  }
  fit.mu = profile_sum / static_cast<double>(n_profile);

  std::vector<std::size_t> competency_n(n_comp, 0), period_n(n_periods, 0);
  for (std::size_t i = 0; i < n; ++i) {
    ++competency_n[d.competency[i]];
    ++period_n[d.period[i]];
  }
  // Competency effects: with one profile they are its centred contrasts
  // (exact SEs); with career-level profiles, the mean over career levels of
  // each competency's profile, centred, without an SE.
  double competency_grand = 0;
  for (std::size_t c = 0; c < n_comp; ++c) competency_grand += competency_sum[c] / competency_count[c];
  competency_grand /= static_cast<double>(n_comp);
  std::vector<double> competency_se(n_comp, by_level ? nan : 0.0);
  if (!by_level && n_comp > 1) {
    const auto contrasts = centred(n_comp, [](std::size_t c) { return c; }).first;
    for (std::size_t c = 0; c < n_comp; ++c) competency_se[c] = contrasts[c].second;
  }
  for (std::size_t c = 0; c < n_comp; ++c)
    fit.competency_effects.push_back({d.competency_ids[c], competency_sum[c] / competency_count[c] - competency_grand,
                                      competency_se[c], competency_n[c]});
  for (std::size_t q = 0; q < n_periods; ++q)
    fit.period_effects.push_back({d.period_ids[q], period_effect[q].first,
                                  with_periods ? period_effect[q].second : (d.period_effects ? 0.0 : nan),
                                  period_n[q]});

  const mixed_random_factor& raters = m.random[0];
  const mixed_random_factor& ratees = m.random[1];
  fit.rater_variance = raters.variance;
  fit.ratee_variance = ratees.variance;
  const std::size_t cell_factor = step.codes.empty() ? 2 : 3;
  fit.ratee_competency_variance = with_cells ? m.random[cell_factor].variance : 0.0;
  fit.next_step_variance = step.codes.empty() ? 0.0 : m.random[2].variance;
  const std::size_t rc_factor = cell_factor + (with_cells ? 1 : 0);
  fit.rater_competency_variance = with_rater_competency ? m.random[rc_factor].variance : 0.0;
  fit.residual_sd = m.sigma;
  fit.dof = n - p;
  fit.solver = "sparse LDLT with AMD ordering, REML";
  fit.iterations = m.evaluations;
  fit.converged = m.converged;
  fit.se_method = "posterior: conditional SDs given the REML variance components (shrunken random effects)";

  fit.ratees = d.ratee_ids;
  fit.ratee_effects = ratees.mode;
  fit.ratee_effect_sd = ratees.conditional_sd;
  fit.ratee_competency_effects = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n_ratees), cols, nan);
  fit.ratee_competency_sd = fit.ratee_competency_effects;
  for (std::size_t cell = 0; cell < cell_ratee.size(); ++cell) {
    const auto row = static_cast<Eigen::Index>(cell_ratee[cell]);
    const auto col = static_cast<Eigen::Index>(d.competency_ids[cell_competency[cell]]);
    fit.ratee_competency_effects(row, col) = with_cells ? m.random[cell_factor].mode[cell] : 0.0;
    fit.ratee_competency_sd(row, col) = with_cells ? m.random[cell_factor].conditional_sd[cell] : 0.0;
  }
  // Residuals per rater, for the fit mean square; per next-step group, for
  // the person's own mean deviation on the group (see fair_scores).
  std::vector<double> rater_rss(n_raters, 0.0);
  std::vector<double> group_sum(2 * n_ratees, 0.0), group_n(2 * n_ratees, 0.0);
  for (std::size_t e = 0; e < n_ratees; ++e)
    for (std::size_t i = d.ratee_offsets[e]; i < d.ratee_offsets[e + 1]; ++i) {
      const double cell = with_cells ? fit.ratee_competency_effects(static_cast<Eigen::Index>(e),
                                                                    static_cast<Eigen::Index>(d.competency_ids[d.competency[i]]))
                                     : 0.0;
      const double next_step = step.codes.empty() ? 0.0 : m.random[2].mode[step.codes[i]];
      const double predicted = coefficient(0) + value_of(profile_code[i]) + value_of(period_index(d.period[i])) +
                               raters.mode[d.rater[i]] + ratees.mode[e] + cell + next_step +
                               (with_rater_competency ? m.random[rc_factor].mode[rc_code[i]] : 0.0);
      const double residual = d.level[i] - predicted;
      rater_rss[d.rater[i]] += residual * residual;
      if (!step.codes.empty()) {
        // The deviation leaves the ratee x competency effect out: fair scores
        // add each cell's own effect to the contrast, so including it here
        // would count the group's mean cell effect twice.
        const std::size_t g = 2 * e + (step.raised[i] ? 1 : 0);
        group_sum[g] += residual + next_step;
        group_n[g] += 1;
      }
    }
  fit.ratee_step_own = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_ratees), cols);
  fit.ratee_step_count = fit.ratee_step_own;
  fit.ratee_step_raised = fit.ratee_step_own;
  fit.ratee_step_total = fit.ratee_step_own;
  if (!step.codes.empty()) {
    // The person's own contrast: their mean deviation on the group minus
    // their mean deviation over all their ratings (the overall level stays
    // with the shrunken ratee effect).
    std::vector<double> ratee_sum(n_ratees, 0.0), ratee_n(n_ratees, 0.0);
    const auto group_of = [&](std::size_t i) { return 2 * std::size_t{cells.ratee_code[i]} + (step.raised[i] ? 1 : 0); };
    for (std::size_t i = 0; i < n; ++i) {
      ratee_sum[cells.ratee_code[i]] += group_sum[group_of(i)] / group_n[group_of(i)];
      ratee_n[cells.ratee_code[i]] += 1;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto row = static_cast<Eigen::Index>(cells.ratee_code[i]);
      const auto col = static_cast<Eigen::Index>(d.competency_ids[d.competency[i]]);
      const std::uint32_t e = cells.ratee_code[i];
      fit.ratee_step_own(row, col) =
          group_sum[group_of(i)] / group_n[group_of(i)] - ratee_sum[e] / ratee_n[e];
      fit.ratee_step_raised(row, col) = step.raised[i] ? 1.0 : 0.0;
      fit.ratee_step_count(row, col) = group_n[group_of(i)];
      fit.ratee_step_total(row, col) = ratee_n[cells.ratee_code[i]];
    }
    fit.ratee_own_offset.assign(n_ratees, 0.0);
    for (std::size_t e = 0; e < n_ratees; ++e)
      if (ratee_n[e] > 0) fit.ratee_own_offset[e] = ratee_sum[e] / ratee_n[e];
  }

  fit.network = network.get();
  const boost::math::normal_distribution<double> normal;
  const double z = boost::math::quantile(boost::math::complement(normal, (1 - options.confidence) / 2));
  const double sigma2 = m.residual_variance;
  detail::rater_diagnostics(d, static_cast<int>(table.framework().scale().size()), fit.raters);
  std::vector<double> candidates;
  std::vector<std::size_t> candidate_position;
  for (std::size_t r = 0; r < n_raters; ++r) {
    rater_severity& rs = fit.raters[r];
    fit.rater_position[rs.rater] = r;
    rs.component = fit.network.rater_component[rs.rater];
    rs.severity = -raters.mode[r];  // severity lowers the level
    rs.se = raters.conditional_sd[r];
    rs.ci_low = rs.severity - z * rs.se;
    rs.ci_high = rs.severity + z * rs.se;
    rs.fit_mean_square = sigma2 > 0 ? rater_rss[r] / static_cast<double>(rs.n_ratings) / sigma2 : nan;
    rs.judged = rs.n_ratings >= options.min_ratings_to_judge && rs.n_ratees >= options.min_ratees_to_judge;
    rs.null_probability = null_probability(rs.severity, rs.se, options.flag_threshold);
    if (rs.judged) {
      candidates.push_back(rs.null_probability);
      candidate_position.push_back(r);
    }
  }
  const std::vector<bool> selected = select_discoveries(candidates, options.false_discovery_rate);
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    rater_severity& rs = fit.raters[candidate_position[k]];
    if (selected[k]) {
      rs.flags.push_back(rs.severity < 0 ? rater_flag::lenient : rater_flag::harsh);
      ++fit.raters_flagged;
    }
  }
  fit.raters_judged = candidates.size();
  for (rater_severity& rs : fit.raters) distribution_flags(rs, options);

  // Rater x competency bias: judged like severities (practical threshold,
  // false-discovery control over every judged pair).
  if (with_rater_competency) {
    std::vector<double> bias_null;
    std::vector<std::size_t> bias_index;
    for (std::size_t k = 0; k < rc_pairs.size(); ++k) {
      rater_competency_bias b;
      b.rater = d.rater_ids[rc_pairs[k].first];
      b.competency = static_cast<std::uint32_t>(d.competency_ids[rc_pairs[k].second]);
      b.bias = -m.random[rc_factor].mode[k];  // like severity: positive is harsher
      b.sd = m.random[rc_factor].conditional_sd[k];
      b.n_ratings = rc_n[k];
      b.n_ratees = rc_distinct[k];
      b.judged = b.n_ratings >= options.min_ratings_to_judge && b.n_ratees >= options.min_ratees_to_judge;
      b.null_probability = null_probability(b.bias, b.sd, options.flag_threshold);
      if (b.judged) {
        bias_null.push_back(b.null_probability);
        bias_index.push_back(fit.competency_biases.size());
      }
      fit.competency_biases.push_back(b);
    }
    const std::vector<bool> chosen = select_discoveries(bias_null, options.false_discovery_rate);
    for (std::size_t k = 0; k < chosen.size(); ++k)
      if (chosen[k]) {
        fit.competency_biases[bias_index[k]].flagged = true;
        ++fit.biases_flagged;
      }
    fit.biases_judged = bias_null.size();
    std::sort(fit.competency_biases.begin(), fit.competency_biases.end(),
              [](const rater_competency_bias& a, const rater_competency_bias& b) {
                return a.rater != b.rater ? a.rater < b.rater : a.competency < b.competency;
              });
  }
  fit.available = true;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE severity_fit fit_severity(const ratings_table& table, const severity_options& options) {
options.validate();
ratings_filter filter = options.filter;
if (filter.roles.empty()) filter.roles = external_roles();
if (filter.competency && *filter.competency >= table.n_competencies())
  throw invalid_argument("calibration", "severity_options.filter.competency = " +
                                            std::to_string(*filter.competency) + ": the framework has " +
                                            std::to_string(table.n_competencies()) + " competencies");
if (filter.period && *filter.period >= table.periods().size())
  throw invalid_argument("calibration", "severity_options.filter.period = " + std::to_string(*filter.period) +
                                            ": the table has " + std::to_string(table.periods().size()) +
                                            " periods");
const double nan = std::numeric_limits<double>::quiet_NaN();

severity_fit fit;
fit.filter = filter;
fit.confidence = options.confidence;
fit.table_raters = table.raters().size();
fit.table_ratees = table.ratees().size();
fit.table_periods = table.periods().size();
fit.rater_position.assign(table.raters().size(), rater_network::no_component);
// The rater network is not needed until the model is fitted: on a machine
// with a second core it is traced there meanwhile.
auto network = calibra::detail::beside([&] { return analyse_network(table, filter); });

const detail::severity_design d = detail::make_severity_design(table, filter, options.period_effects);
fit.n_ratings = d.rows();
if (d.rows() == 0) {
  fit.network = network.get();
  fit.reason = "no ratings to model: the filter keeps no ratings by the roles " + [&] {
    std::string roles;
    for (rater_role role : filter.roles) roles += (roles.empty() ? "" : ", ") + std::string(to_string(role));
    return roles;
  }();
  return fit;
}
fit.model = options.model;
fit.flag_threshold = options.flag_threshold;
fit.false_discovery_rate = options.false_discovery_rate;
if (options.model == severity_model::random_effects) {
  detail::fit_random_severity(table, d, options, fit, network);
  if (network.valid()) fit.network = network.get();  // the fit stopped before it needed it
  return fit;
}
fit.network = network.get();
fit.rater_variance = fit.ratee_variance = fit.ratee_competency_variance = nan;
  const std::size_t n_raters = d.n_raters(), n_comp = d.n_competencies();
  const std::size_t n_params = d.parameters();
  const std::size_t rank = d.n_ratees() + (n_raters - fit.network.components.size()) + (n_comp - 1) +
                           (d.period_effects ? d.n_periods() - 1 : 0);
  if (d.rows() <= rank) {
    fit.reason = std::to_string(d.rows()) + " ratings leave no residual degrees of freedom for " +
                 std::to_string(rank) + " free parameters (ratee, severity, competency and period effects)";
    return fit;
  }
  fit.dof = d.rows() - rank;

  // One pass per ratee: the right-hand side, the diagonal of S, and S itself
  // when it is small enough to hold densely.
  const bool dense = options.solver == severity_solver::dense ||
                     (options.solver == severity_solver::automatic && n_params <= options.exact_se_max_parameters);
  const auto np = static_cast<Eigen::Index>(n_params);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(np), diagonal = Eigen::VectorXd::Zero(np);
  Eigen::MatrixXd information;
  if (dense) information = Eigen::MatrixXd::Zero(np, np);
  std::vector<double> count_in_ratee(n_params, 0.0), sign_of(n_params, 1.0);
  for (std::size_t r = 0; r < n_raters; ++r) sign_of[r] = -1;
  std::vector<std::size_t> touched;
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    const std::size_t begin = d.ratee_offsets[e], end = d.ratee_offsets[e + 1];
    const double n_e = static_cast<double>(end - begin);
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += d.level[i];
    const double mean = sum / n_e;
    touched.clear();
    for (std::size_t i = begin; i < end; ++i) {
      std::size_t index[3];
      double sign[3];
      const int k = d.entries(i, index, sign);
      for (int a = 0; a < k; ++a) {
        const auto ja = static_cast<Eigen::Index>(index[a]);
        rhs[ja] += sign[a] * (d.level[i] - mean);
        diagonal[ja] += 1;
        if (count_in_ratee[index[a]] == 0) touched.push_back(index[a]);
        count_in_ratee[index[a]] += 1;
        if (dense)
          for (int b = 0; b < k; ++b) information(ja, static_cast<Eigen::Index>(index[b])) += sign[a] * sign[b];
      }
    }
    for (std::size_t j : touched) {
      const double c = count_in_ratee[j];
      diagonal[static_cast<Eigen::Index>(j)] -= c * c / n_e;
      if (dense)
        for (std::size_t l : touched)
          information(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(l)) -=
              sign_of[j] * sign_of[l] * c * count_in_ratee[l] / n_e;
    }
    for (std::size_t j : touched) count_in_ratee[j] = 0;
  }

  const detail::null_space_groups groups = detail::make_null_space_groups(d, fit.network);
  detail::centre_groups(rhs, groups);  // exact zero sums, removing rounding in the null-space directions

  Eigen::VectorXd theta(np), variance_factor = Eigen::VectorXd::Constant(np, nan);
  bool solved = false;
  if (dense) {
    // S + sum of v v' over the unit null vectors is nonsingular and its
    // inverse is S^+ + sum of v v', so both the minimum-norm solution (which
    // satisfies the sum-to-zero rules) and the exact covariance come out of
    // one Cholesky factorisation.
    Eigen::MatrixXd augmented = information;
    for (Eigen::Index j = 0; j < np; ++j)
      for (Eigen::Index l = 0; l < np; ++l)
        if (groups.group_of[static_cast<std::size_t>(j)] == groups.group_of[static_cast<std::size_t>(l)])
          augmented(j, l) += 1.0 / static_cast<double>(groups.size[groups.group_of[static_cast<std::size_t>(j)]]);
    const Eigen::LLT<Eigen::MatrixXd> cholesky(augmented);
    if (cholesky.info() == Eigen::Success && cholesky.rcond() > 1e-12) {
      theta = cholesky.solve(rhs);
      const Eigen::MatrixXd inverse = cholesky.solve(Eigen::MatrixXd::Identity(np, np));
      for (Eigen::Index j = 0; j < np; ++j) {
        const double group_size = static_cast<double>(groups.size[groups.group_of[static_cast<std::size_t>(j)]]);
        variance_factor[j] = std::max(0.0, inverse(j, j) - 1.0 / group_size);
      }
      fit.solver = "Cholesky (dense)";
      fit.se_method = "exact: pseudo-inverse of the information matrix of the severity, competency and period "
                      "effects (ratee effects eliminated)";
      solved = true;
    }
  }
  if (!solved) {
    // Automatic: matrix-free Jacobi CG first, which on a well-mixed
    // network converges in a few dozen cheap iterations.  Where raters are
    // linked only through long chains it crawls; after 200 iterations the
    // incomplete Cholesky preconditioner (which costs a sparse matrix and a
    // factorisation) takes over.
    const bool automatic = options.solver == severity_solver::automatic || dense;
    std::optional<detail::iterative_solution> solution;
    std::size_t jacobi_iterations = 0;
    if (automatic || options.solver == severity_solver::jacobi_cg) {
      const std::size_t budget =
          automatic ? std::min<std::size_t>(options.max_iterations, 200) : options.max_iterations;
      const auto [iterations, converged] = detail::solve_reduced_cg(d, diagonal, rhs, theta, options.tolerance, budget);
      jacobi_iterations = iterations;
      if (converged || !automatic)
        solution = detail::iterative_solution{iterations, converged,
                                              "conjugate gradients, Jacobi preconditioner, matrix-free"};
    }
    if (!solution) {
      solution = detail::solve_reduced_sparse(d, groups, rhs, theta, options.tolerance, options.max_iterations,
                                              options.max_sparse_entries);
      if (solution) {
        solution->iterations += jacobi_iterations;
      } else {
        const auto [iterations, converged] =
            detail::solve_reduced_cg(d, diagonal, rhs, theta, options.tolerance, options.max_iterations);
        solution = detail::iterative_solution{jacobi_iterations + iterations, converged,
                                              "conjugate gradients, Jacobi preconditioner, matrix-free"};
      }
    }
    fit.iterations = solution->iterations;
    fit.converged = solution->converged;
    fit.solver = solution->solver;
    const double scale = diagonal.maxCoeff();
    // Per-element information, corrected for centring: in a complete
    // balanced design S = a (I - J/G) within a group of G parameters, so
    // S^+_jj = (1 - 1/G)^2 / S_jj exactly; elsewhere it is an approximation.
    for (Eigen::Index j = 0; j < np; ++j)
      if (diagonal[j] > 1e-12 * scale) {
        const double g = static_cast<double>(groups.size[groups.group_of[static_cast<std::size_t>(j)]]);
        variance_factor[j] = (1 - 1 / g) * (1 - 1 / g) / diagonal[j];
      }
    fit.se_method = std::string("approximate: per-element information (the diagonal of the information matrix with "
                                "ratee effects eliminated) times (1 - 1/G)^2 for a group of G effects summing to "
                                "zero; exact for a complete balanced design") +
                    (dense ? "; the exact inverse failed because the design aliases some effects beyond the "
                             "sum-to-zero rules"
                           : "");
  }
  detail::centre_groups(theta, groups);

  // Ratee effects, residuals.
  std::vector<double> ratee_level(d.n_ratees());
  std::vector<double> rater_rss(n_raters, 0.0);
  double rss = 0;
  for (std::size_t e = 0; e < d.n_ratees(); ++e) {
    const std::size_t begin = d.ratee_offsets[e], end = d.ratee_offsets[e + 1];
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += d.level[i] - d.predict(theta, i);
    ratee_level[e] = sum / static_cast<double>(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      const double residual = d.level[i] - ratee_level[e] - d.predict(theta, i);
      rss += residual * residual;
      rater_rss[d.rater[i]] += residual * residual;
    }
  }
  const double sigma2 = rss / static_cast<double>(fit.dof);
  fit.residual_sd = std::sqrt(sigma2);
  fit.mu = std::accumulate(ratee_level.begin(), ratee_level.end(), 0.0) / static_cast<double>(d.n_ratees());
  fit.ratees = d.ratee_ids;
  for (double a : ratee_level) fit.ratee_effects.push_back(a - fit.mu);

  const boost::math::students_t_distribution<double> t_dist(static_cast<double>(fit.dof));
  const double t_quantile = boost::math::quantile(boost::math::complement(t_dist, (1 - options.confidence) / 2));
  const auto se_of = [&](std::size_t j) { return std::sqrt(sigma2 * variance_factor[static_cast<Eigen::Index>(j)]); };

  // Facet effects.
  std::vector<std::size_t> competency_n(n_comp, 0), period_n(d.n_periods(), 0);
  for (std::size_t i = 0; i < d.rows(); ++i) {
    ++competency_n[d.competency[i]];
    ++period_n[d.period[i]];
  }
  for (std::size_t c = 0; c < n_comp; ++c)
    fit.competency_effects.push_back(
        {d.competency_ids[c], theta[static_cast<Eigen::Index>(n_raters + c)], se_of(n_raters + c), competency_n[c]});
  for (std::size_t q = 0; q < d.n_periods(); ++q) {
    const std::size_t j = n_raters + n_comp + q;
    if (d.period_effects)
      fit.period_effects.push_back({d.period_ids[q], theta[static_cast<Eigen::Index>(j)], se_of(j), period_n[q]});
    else
      fit.period_effects.push_back({d.period_ids[q], 0.0, nan, period_n[q]});
  }

  // Raters.
  detail::rater_diagnostics(d, static_cast<int>(table.framework().scale().size()), fit.raters);
  for (std::size_t r = 0; r < n_raters; ++r) {
    rater_severity& rs = fit.raters[r];
    fit.rater_position[rs.rater] = r;
    rs.component = fit.network.rater_component[rs.rater];
    rs.severity = theta[static_cast<Eigen::Index>(r)];
    const bool alone = fit.network.components[rs.component].raters.size() < 2;
    rs.se = alone ? nan : se_of(r);
    rs.ci_low = rs.severity - t_quantile * rs.se;
    rs.ci_high = rs.severity + t_quantile * rs.se;
    rs.fit_mean_square = sigma2 > 0 ? rater_rss[r] / static_cast<double>(rs.n_ratings) / sigma2 : nan;

    rs.null_probability = nan;
    rs.judged = rs.n_ratings >= options.min_ratings_to_judge && rs.n_ratees >= options.min_ratees_to_judge;
    if (rs.judged) ++fit.raters_judged;
    if (rs.judged && rs.severity <= -options.flag_threshold && rs.ci_high < 0) rs.flags.push_back(rater_flag::lenient);
    if (rs.judged && rs.severity >= options.flag_threshold && rs.ci_low > 0) rs.flags.push_back(rater_flag::harsh);
    if (!rs.flags.empty()) ++fit.raters_flagged;
    detail::distribution_flags(rs, options);
  }
  fit.available = true;
  return fit;
}

CALIBRA_INLINE const rater_severity* severity_fit::find_rater(std::uint32_t rater) const {
  if (rater >= rater_position.size() || rater_position[rater] == rater_network::no_component) return nullptr;
  return &raters[rater_position[rater]];
}

CALIBRA_INLINE competency_scores severity_fit::fair_scores(const ratings_table& table,
                                                   std::optional<std::uint32_t> period) const {
  if (table.raters().size() != table_raters || table.ratees().size() != table_ratees ||
      table.periods().size() != table_periods)
    throw invalid_argument("calibration", "fair_scores: the table has " + std::to_string(table.raters().size()) +
                                              " raters, " + std::to_string(table.ratees().size()) + " ratees and " +
                                              std::to_string(table.periods().size()) +
                                              " periods, but the fit was made on a table with " +
                                              std::to_string(table_raters) + ", " + std::to_string(table_ratees) +
                                              " and " + std::to_string(table_periods) +
                                              "; pass the table the severities were fitted on");
  if (period && *period >= table.periods().size())
    throw invalid_argument("calibration", "fair_scores: period = " + std::to_string(*period) + ", but the table has " +
                                              std::to_string(table.periods().size()) + " periods");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  competency_scores scores;
  scores.method = "severity-adjusted";
  if (table.periods().size() == 0) return scores;
  const std::uint32_t target =
      period.value_or(filter.period.value_or(static_cast<std::uint32_t>(table.periods().size() - 1)));
  scores.period = target;
  if (!available) {
    scores.value.resize(0, static_cast<Eigen::Index>(table.n_competencies()));
    scores.se.resize(0, static_cast<Eigen::Index>(table.n_competencies()));
    scores.n.resize(0, static_cast<Eigen::Index>(table.n_competencies()));
    return scores;
  }

  std::vector<double> period_effect(table.periods().size(), nan);
  for (const facet_effect& p : period_effects) period_effect[p.id] = p.estimate;
  const double target_effect = std::isfinite(period_effect[target]) ? period_effect[target] : 0.0;
  const auto period_se_of = [&](std::uint32_t period) {
    for (const facet_effect& p : period_effects)
      if (p.id == period) return p.se;
    return nan;
  };

  // Ratees with a kept rating in the target period.
  std::vector<bool> in_target(table.ratees().size(), false);
  for (std::size_t row = 0; row < table.size(); ++row)
    if (table.period(row) == target && filter.keeps(table, row)) in_target[table.ratee(row)] = true;
  std::vector<std::size_t> row_of(table.ratees().size(), std::size_t(-1));
  for (std::uint32_t e = 0; e < in_target.size(); ++e)
    if (in_target[e]) {
      row_of[e] = scores.ratees.size();
      scores.ratees.push_back(e);
    }
  const auto rows = static_cast<Eigen::Index>(scores.ratees.size());
  const auto cols = static_cast<Eigen::Index>(table.n_competencies());
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(rows, cols);
  scores.n = Eigen::MatrixXi::Zero(rows, cols);

  // Every kept rating of those ratees, from any period, moved to the
  // target period and stripped of its rater's severity.  The severity part
  // of the SE needs, per cell, the number of ratings of each rater: cells
  // are visited in order after sorting the contributing rows.
  struct contribution {
    std::size_t cell;
    std::size_t rater_position;
  };
  // The random-effects scores take their values from the fitted effects;
  // the severity-adjusted means are kept beside them (adjusted_mean), and
  // only the fixed-effects scores need the per-rater contributions.
  const bool from_ratings = model == severity_model::fixed_effects;
  std::vector<contribution> contributions;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (!filter.keeps(table, row)) continue;
    const std::size_t r = row_of[table.ratee(row)];
    if (r == std::size_t(-1)) continue;
    const std::size_t position = rater_position[table.rater(row)];
    const rater_severity& rater = raters[position];
    const double p_effect = std::isfinite(period_effect[table.period(row)]) ? period_effect[table.period(row)] : 0.0;
    const auto ri = static_cast<Eigen::Index>(r), ci = static_cast<Eigen::Index>(table.competency(row));
    sum(ri, ci) += table.level(row) + rater.severity - p_effect + target_effect;
    scores.n(ri, ci) += 1;
    if (from_ratings) contributions.push_back({r * static_cast<std::size_t>(cols) + table.competency(row), position});
  }
  std::sort(contributions.begin(), contributions.end(), [](const contribution& a, const contribution& b) {
    return a.cell != b.cell ? a.cell < b.cell : a.rater_position < b.rater_position;
  });
  Eigen::MatrixXd severity_variance = Eigen::MatrixXd::Zero(rows, cols);
  for (std::size_t k = 0; k < contributions.size();) {
    std::size_t m = k;
    while (m < contributions.size() && contributions[m].cell == contributions[k].cell &&
           contributions[m].rater_position == contributions[k].rater_position)
      ++m;
    const double se = raters[contributions[k].rater_position].se;
    const double count = static_cast<double>(m - k);
    const auto ri = static_cast<Eigen::Index>(contributions[k].cell / static_cast<std::size_t>(cols));
    const auto ci = static_cast<Eigen::Index>(contributions[k].cell % static_cast<std::size_t>(cols));
    if (std::isfinite(se)) severity_variance(ri, ci) += count * count * se * se;
    k = m;
  }

  scores.value = Eigen::MatrixXd::Constant(rows, cols, nan);
  scores.se = Eigen::MatrixXd::Constant(rows, cols, nan);
  if (model == severity_model::random_effects) {
    // The person's predicted level with no rater in the way:
    //   profile(their career level, competency) + period(target) + ratee + ratee x competency,
    // kept inside the scale.  Its SD adds the variances of the fixed part,
    // the ratee effect and the ratee x competency effect; it leaves out their
    // (negative) posterior covariance, so it errs on the wide side.
    std::vector<double> competency_effect(table.n_competencies(), 0.0);
    for (const facet_effect& c : competency_effects) competency_effect[c.id] = c.estimate;
    const double target_se = std::isfinite(period_se_of(target)) ? period_se_of(target) : 0.0;
    const double top = static_cast<double>(table.framework().scale().size());
    std::vector<std::size_t> position_of(table.ratees().size(), std::size_t(-1));
    for (std::size_t k = 0; k < ratees.size(); ++k) position_of[ratees[k]] = k;
    scores.shared_se.resize(rows);
    scores.next_step_se = Eigen::VectorXd::Zero(rows);
    scores.own_level_offset = Eigen::VectorXd::Zero(rows);
    scores.adjusted_mean = Eigen::MatrixXd::Constant(rows, cols, nan);
    scores.residual_sd = residual_sd;
    for (Eigen::Index i = 0; i < rows; ++i)
      for (Eigen::Index c = 0; c < cols; ++c)
        if (scores.n(i, c) > 0) scores.adjusted_mean(i, c) = sum(i, c) / scores.n(i, c);
    for (Eigen::Index i = 0; i < rows; ++i) {
      const std::uint32_t ratee = scores.ratees[static_cast<std::size_t>(i)];
      const std::size_t k = position_of[ratee];
      const auto ki = static_cast<Eigen::Index>(k);
      scores.shared_se[i] = ratee_effect_sd[k];
      if (!ratee_own_offset.empty()) scores.own_level_offset[i] = ratee_own_offset[k];
      // The ratee's own career level's profile, when the fit has one.
      std::optional<Eigen::Index> profile_row;
      if (!profile_by_career_level) {
        profile_row = 0;
      } else if (auto level = career_level_of(table, ratee, target); level || (level = latest_career_level_of(table, ratee))) {
        profile_row = static_cast<Eigen::Index>(*level);
      }
      for (Eigen::Index c = 0; c < cols; ++c) {
        if (scores.n(i, c) == 0) continue;
        double fixed = mu + competency_effect[static_cast<std::size_t>(c)], fixed_se = 0.0;
        if (profile_row && std::isfinite(profile_mean(*profile_row, c))) {
          fixed = profile_mean(*profile_row, c);
          fixed_se = profile_se(*profile_row, c);
        }
        // The next-step group: the person's own mean deviation over the
        // group's ratings, not shrunk (see severity_fit::ratee_step_own).
        double step_effect = 0, step_sd = 0;
        if (ratee_step_own.size() && ratee_step_count(ki, c) > 0) {
          step_effect = ratee_step_own(ki, c);
          step_sd = residual_sd * std::sqrt(std::max(0.0, 1 / ratee_step_count(ki, c) - 1 / ratee_step_total(ki, c)));
          if (ratee_step_raised(ki, c) > 0) scores.next_step_se[i] = residual_sd / std::sqrt(ratee_step_count(ki, c));
        }
        const double value = fixed + target_effect + ratee_effects[k] + step_effect + ratee_competency_effects(ki, c);
        scores.value(i, c) = std::clamp(value, 1.0, top);
        scores.se(i, c) = std::sqrt(fixed_se * fixed_se + target_se * target_se + ratee_effect_sd[k] * ratee_effect_sd[k] +
                                    step_sd * step_sd + ratee_competency_sd(ki, c) * ratee_competency_sd(ki, c));
      }
    }
    return scores;
  }
  const double sigma2 = residual_sd * residual_sd;
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index c = 0; c < cols; ++c) {
      const int n = scores.n(i, c);
      if (n == 0) continue;
      scores.value(i, c) = sum(i, c) / n;
      scores.se(i, c) = std::sqrt(sigma2 / n + severity_variance(i, c) / (double(n) * n));
    }
  return scores;
}

}  // namespace calibra::calibration
