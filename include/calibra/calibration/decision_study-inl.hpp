// Implementation of <calibra/calibration/decision_study.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/calibration/decision_study.hpp>

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>


namespace calibra::calibration {

CALIBRA_INLINE std::string_view to_string(g_design design) {
switch (design) {
  case g_design::automatic: return "automatic";
  case g_design::crossed: return "crossed";
  case g_design::nested: return "nested";
}
  return "?";
}

CALIBRA_INLINE auto decision_study_options::validate() const -> void {
  const auto fail = [](const std::string& message) { throw invalid_argument("calibration", message); };
  if (!(target > 0 && target < 1))
    fail("decision_study: target must be a reliability strictly between 0 and 1, got " + std::to_string(target));
  if (max_raters < 1 || max_raters > 1000)
    fail("decision_study: max_raters must be in 1..1000, got " + std::to_string(max_raters));
  if (std::find(filter.roles.begin(), filter.roles.end(), rater_role::self) != filter.roles.end())
    fail("decision_study: filter.roles must not include 'self'; a self rating is not an independent rater");
}

CALIBRA_INLINE double spearman_brown(double single, double k) {
  if (!(k > 0)) throw invalid_argument("calibration", "spearman_brown: k must be positive");
  return k * single / (1 + (k - 1) * single);
}

CALIBRA_INLINE std::optional<std::size_t> spearman_brown_raters_needed(double single, double target) {
  if (!(target > 0 && target < 1))
    throw invalid_argument("calibration", "spearman_brown_raters_needed: target must be in (0, 1)");
  if (!(single > 0)) return std::nullopt;
  if (single >= 1) return 1;
  const double k = target * (1 - single) / (single * (1 - target));
  if (k > 1e9) return std::nullopt;
  // A hair of slack so that exact ratios (k = 4.0) do not round up to 5.
  return static_cast<std::size_t>(std::max(1.0, std::ceil(k - 1e-9)));
}

}  // namespace calibra::calibration

namespace calibra::calibration::detail {

CALIBRA_INLINE decision_study_result g_study(std::vector<g_observation> obs, const decision_study_options& options,
                                             const privacy_policy& privacy,
                                     std::size_t n_ratees) {
  decision_study_result result;
  result.target = options.target;
  result.n_ratings = obs.size();
  result.n_ratees = n_ratees;
  if (obs.empty()) {
    result.reason = "no ratings to estimate variance components from";
    return result;
  }

  // Per cell: a, b, N, T0, Tp, Tr, Tm, sum n_i.^2, sum n_.j^2.
  struct cell_sums {
    double a = 0, b = 0, n = 0, t0 = 0, tp = 0, tr = 0, total = 0, sq_unit = 0, sq_rater = 0;
    bool shared_rater = false;  // some rater rates two units of the cell
  };
  std::vector<cell_sums> cells;
  double unit_count = 0, inverse_sizes = 0, sizes = 0;
  // Units: sort by (cell, unit).
  std::sort(obs.begin(), obs.end(), [](const g_observation& x, const g_observation& y) {
    if (x.cell != y.cell) return x.cell < y.cell;
    if (x.unit != y.unit) return x.unit < y.unit;
    return x.rater < y.rater;
  });
  std::vector<std::size_t> cell_of(obs.size());
  {
    std::size_t i = 0;
    while (i < obs.size()) {
      cell_sums c;
      const std::uint64_t cell = obs[i].cell;
      while (i < obs.size() && obs[i].cell == cell) {
        const std::uint32_t unit = obs[i].unit;
        double sum = 0, count = 0;
        while (i < obs.size() && obs[i].cell == cell && obs[i].unit == unit) {
          if (i > 0 && obs[i - 1].cell == cell && obs[i - 1].unit == unit && obs[i - 1].rater == obs[i].rater)
            throw invalid_argument("calibration", "decision_study: two ratings of the same ratee by the same rater "
                                                  "in one cell");
          sum += obs[i].score;
          c.t0 += obs[i].score * obs[i].score;
          cell_of[i] = cells.size();
          count += 1;
          ++i;
        }
        c.a += 1;
        c.n += count;
        c.total += sum;
        c.tp += sum * sum / count;
        c.sq_unit += count * count;
        unit_count += 1;
        inverse_sizes += 1 / count;
        sizes += count;
      }
      cells.push_back(c);
    }
  }
  // Raters: sort a copy of (cell index, rater, score) by (cell, rater).
  {
    struct by_rater {
      std::size_t cell;
      std::uint32_t rater;
      double score;
    };
    std::vector<by_rater> r(obs.size());
    for (std::size_t i = 0; i < obs.size(); ++i) r[i] = {cell_of[i], obs[i].rater, obs[i].score};
    std::sort(r.begin(), r.end(), [](const by_rater& x, const by_rater& y) {
      return x.cell != y.cell ? x.cell < y.cell : x.rater < y.rater;
    });
    std::size_t i = 0;
    while (i < r.size()) {
      const std::size_t cell = r[i].cell;
      const std::uint32_t rater = r[i].rater;
      double sum = 0, count = 0;
      while (i < r.size() && r[i].cell == cell && r[i].rater == rater) {
        sum += r[i].score;
        count += 1;
        ++i;
      }
      cell_sums& c = cells[cell];
      c.b += 1;
      c.tr += sum * sum / count;
      c.sq_rater += count * count;
      if (count >= 2) c.shared_rater = true;
    }
    std::vector<std::uint32_t> raters;
    raters.reserve(r.size());
    for (const by_rater& x : r) raters.push_back(x.rater);
    std::sort(raters.begin(), raters.end());
    result.n_raters = static_cast<std::size_t>(std::unique(raters.begin(), raters.end()) - raters.begin());
  }
  result.n_cells = cells.size();
  result.n_units = static_cast<std::size_t>(unit_count);
  result.mean_raters_per_unit = sizes / unit_count;
  result.harmonic_raters_per_unit = unit_count / inverse_sizes;

  bool any_shared = false, balanced = true;
  for (const cell_sums& c : cells) {
    any_shared = any_shared || c.shared_rater;
    balanced = balanced && c.n == c.a * c.b;
  }
  g_design design = options.design;
  if (design == g_design::automatic) design = any_shared ? g_design::crossed : g_design::nested;
  if (design == g_design::crossed && !any_shared) {
    result.notes.push_back("crossed design requested, but no rater rates two ratees of a cell, so rater and "
                           "residual variance cannot be separated; estimated as nested");
    design = g_design::nested;
  }

  // Pooled sums of squares and the coefficients of their expectations.
  Eigen::Matrix3d coef = Eigen::Matrix3d::Zero();  // rows: SSP, SSR, SSE; columns: s2p, s2r, s2e
  Eigen::Vector3d ss = Eigen::Vector3d::Zero();
  double df_between = 0, df_within = 0, n_minus_kp = 0, ss_between = 0, ss_within = 0;
  for (const cell_sums& c : cells) {
    const double tm = c.total * c.total / c.n;
    const double kp = c.sq_unit / c.n, kr = c.sq_rater / c.n;
    ss(0) += c.tp - tm;
    ss(1) += c.tr - tm;
    ss(2) += c.t0 - c.tp - c.tr + tm;
    coef.row(0) += Eigen::RowVector3d(c.n - kp, c.a - kr, c.a - 1);
    coef.row(1) += Eigen::RowVector3d(c.b - kp, c.n - kr, c.b - 1);
    coef.row(2) += Eigen::RowVector3d(kp - c.b, kr - c.a, c.n - c.a - c.b + 1);
    ss_between += c.tp - tm;
    ss_within += c.t0 - c.tp;
    df_between += c.a - 1;
    df_within += c.n - c.a;
    n_minus_kp += c.n - kp;
  }

  variance_components& vc = result.components;
  if (design == g_design::crossed) {
    const Eigen::FullPivLU<Eigen::Matrix3d> lu(coef);
    if (lu.rank() < 3 || !(coef(2, 2) > 0)) {
      result.notes.push_back("the crossed design's equations are singular for these data (too few shared raters "
                             "or residual degrees of freedom); estimated as nested");
      design = g_design::nested;
    } else {
      const Eigen::Vector3d s = lu.solve(ss);
      vc.ratee_raw = s(0);
      vc.rater_raw = s(1);
      vc.residual_raw = s(2);
      result.balanced = balanced;
      result.estimator = balanced ? "two-way random-effects ANOVA (balanced: every rater rates every ratee of a cell)"
                                  : "Henderson's Method 1 for the two-way crossed random model (unbalanced)";
    }
  }
  if (design == g_design::nested) {
    if (!(df_within > 0) || !(n_minus_kp > 0)) {
      result.reason = df_within > 0 ? "every cell has a single ratee, so ratee variance cannot be estimated"
                                    : "no ratee has two ratings in a cell, so there is no within-ratee variance to "
                                      "estimate";
      result.design = design;
      return result;
    }
    vc.residual_raw = ss_within / df_within;
    vc.ratee_raw = (ss_between - df_between * vc.residual_raw) / n_minus_kp;
    vc.rater_raw = 0;
    result.balanced = false;
    result.estimator = "one-way random-effects ANOVA (raters nested in ratees; unequal group sizes via "
                       "n0 = (N - sum n_i^2 / N) / (a - 1), pooled over cells)";
  }
  result.design = design;
  const auto clamp = [&](double raw, const char* name) {
    if (raw >= 0) return raw;
    result.notes.push_back(std::string("negative ") + name + " variance estimate " + std::to_string(raw) +
                           " set to 0");
    return 0.0;
  };
  vc.ratee = clamp(vc.ratee_raw, "ratee");
  vc.rater = clamp(vc.rater_raw, "rater");
  vc.residual = clamp(vc.residual_raw, "residual");

  // With no positive residual (rater x ratee and error) variance, the data
  // say nothing about how far one rater's view of a person is from
  // another's: a projection would print a perfect G for any number of
  // raters.  Report the components and say so instead.
  if (!(vc.residual_raw > 0)) {
    result.projection_reason =
        "the residual variance (rater x ratee disagreement and error) came out " +
        std::string(vc.residual_raw < 0 ? "negative" : "zero") +
        "; these ratings cannot tell how much raters disagree about a person, so there is no reliability projection";
    result.g_current = result.phi_current = std::numeric_limits<double>::quiet_NaN();
  } else {
    const double relative1 = vc.residual, absolute1 = vc.rater + vc.residual;
    const auto coefficient = [&](double error1, double k) {
      const double total = vc.ratee + error1 / k;
      return total > 0 ? vc.ratee / total : std::numeric_limits<double>::quiet_NaN();
    };
    for (std::size_t k = 1; k <= options.max_raters; ++k)
      result.projection.push_back({k, coefficient(relative1, static_cast<double>(k)),
                                   coefficient(absolute1, static_cast<double>(k))});
    result.g_current = coefficient(relative1, result.harmonic_raters_per_unit);
    result.phi_current = coefficient(absolute1, result.harmonic_raters_per_unit);
    if (vc.ratee > 0) {
      result.raters_needed_g = spearman_brown_raters_needed(result.projection[0].g, options.target);
      result.raters_needed_phi = spearman_brown_raters_needed(result.projection[0].phi, options.target);
    } else {
      result.notes.push_back("no variance between ratees: no number of raters reaches the target");
    }
  }
  result.available = true;
  if (!privacy.allows(result.n_ratees)) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.suppressed = true;
    result.note = privacy.marker(result.n_ratees);
    result.components = {nan, nan, nan, nan, nan, nan};
    for (reliability_projection& p : result.projection) p.g = p.phi = nan;
    result.g_current = result.phi_current = nan;
    result.raters_needed_g.reset();
    result.raters_needed_phi.reset();
    result.notes.clear();
  }
  return result;
}

}  // namespace calibra::calibration::detail

namespace calibra::calibration {

CALIBRA_INLINE decision_study_result decision_study(const calibration_context& context,
                                                    const decision_study_options& options) {
options.validate();
const ratings_table& table = context.table();
ratings_filter filter = options.filter;
if (filter.roles.empty()) filter.roles = external_roles();
if (filter.period && *filter.period >= table.periods().size())
  throw invalid_argument("calibration", "decision_study: period id " + std::to_string(*filter.period) +
                                            " is not a period of the table");
if (filter.competency && *filter.competency >= table.n_competencies())
  throw invalid_argument("calibration", "decision_study: competency index " +
                                            std::to_string(*filter.competency) + " is not in the framework");
std::vector<detail::g_observation> obs;
std::vector<bool> seen(table.ratees().size(), false);
std::size_t n_ratees = 0;
const std::uint64_t n_periods = table.periods().size();
for (std::size_t row = 0; row < table.size(); ++row) {
  if (!filter.keeps(table, row)) continue;
  obs.push_back({std::uint64_t{table.competency(row)} * n_periods + table.period(row), table.ratee(row),
                 table.rater(row), static_cast<double>(table.level(row))});
  if (!seen[table.ratee(row)]) {
    seen[table.ratee(row)] = true;
    ++n_ratees;
  }
}
  decision_study_result result = detail::g_study(std::move(obs), options, context.privacy(), n_ratees);
  if (result.n_ratings == 0) result.reason = "no external ratings (only self ratings, or none the filter keeps)";
  return result;
}

CALIBRA_INLINE decision_study_result decision_study(const Eigen::Ref<const Eigen::MatrixXd>& units_by_raters,
                                                    const decision_study_options& options,
                                                    const privacy_policy& privacy) {
  options.validate();
  std::vector<detail::g_observation> obs;
  std::size_t n_units = 0;
  for (Eigen::Index i = 0; i < units_by_raters.rows(); ++i) {
    bool any = false;
    for (Eigen::Index j = 0; j < units_by_raters.cols(); ++j) {
      const double x = units_by_raters(i, j);
      if (std::isnan(x)) continue;
      if (!std::isfinite(x))
        throw invalid_argument("calibration", "decision_study: unit " + std::to_string(i) + ", rater " +
                                                  std::to_string(j) + ": infinite score");
      obs.push_back({0, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), x});
      any = true;
    }
    n_units += any;
  }
  return detail::g_study(std::move(obs), options, privacy, n_units);
}

}  // namespace calibra::calibration
