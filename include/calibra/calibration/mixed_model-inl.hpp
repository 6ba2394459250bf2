// Implementation of mixed_model.hpp.  Compiled once into the library, or
// included by the public header when CALIBRA_HEADER_ONLY is defined.
//
// Method (lme4's, written from its published description):
//   * The data enter only through cross-products: Z'Z (sparse, q x q, q =
//     levels of all grouping factors), Z'X and Z'y (q x p), X'X, X'y, y'y.
//     Nothing of size n x n, and nothing of size n after set-up.
//   * For relative SDs theta (one per grouping factor, Lambda = diag(theta)
//     repeated over the factor's levels) the penalised least-squares problem
//     min |y - X beta - Z Lambda u|^2 + |u|^2 is solved through the sparse
//     factorisation P (Lambda Z'Z Lambda + I) P' = L D L'.  The pattern (and
//     the AMD fill-reducing permutation P) is computed once; each theta only
//     refactorises numerically.
//   * The profiled REML criterion is
//       log|A| + log|R_X'R_X| + (n - p) (1 + log(2 pi r^2 / (n - p)))
//     and the ML deviance log|A| + n (1 + log(2 pi r^2 / n)), with r^2 the
//     penalised residual sum of squares; a bounded Nelder-Mead minimises it
//     over theta >= 0.
//   * Conditional SDs need diag(A^-1); it comes from the Takahashi
//     recurrences on the pattern of L (a selected inverse: only the entries
//     of A^-1 where L is structurally non-zero are formed).
#pragma once

#include <calibra/calibration/mixed_model.hpp>
#include <calibra/error.hpp>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/OrderingMethods>
#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace calibra::calibration {

namespace mixed_detail {

[[noreturn]] CALIBRA_INLINE void refuse(const std::string& message) {
  throw invalid_argument("calibration", "mixed model: " + message);
}

/// Checks one factor against n observations and fills in its level count.
CALIBRA_INLINE void check_factor(mixed_factor& factor, std::size_t n, const std::string& kind) {
  if (factor.codes.size() != n)
    refuse(kind + " factor '" + factor.name + "' has " + std::to_string(factor.codes.size()) +
           " codes but there are " + std::to_string(n) + " observations");
  std::size_t largest = 0;
  for (const auto code : factor.codes) largest = std::max<std::size_t>(largest, code);
  if (factor.levels == 0) factor.levels = n == 0 ? 0 : largest + 1;
  if (n > 0 && largest >= factor.levels)
    refuse(kind + " factor '" + factor.name + "' has code " + std::to_string(largest) +
           " but only " + std::to_string(factor.levels) + " levels (codes must be 0..levels-1)");
  if (factor.levels >= static_cast<std::size_t>(INT_MAX / 2))
    refuse(kind + " factor '" + factor.name + "' has too many levels");
}

/// diag(A^-1) for A = P' L D L' P, from the unit lower factor L (diagonal
/// not stored, rows ascending within each column) and D, indexed in the
/// permuted order.  Takahashi's recurrences: with Z = A^-1 (permuted),
///   Z_ij = -sum_{k in S_j} L_kj Z_ik            (i in S_j, the pattern of column j)
///   Z_jj = 1/D_j - sum_{k in S_j} L_kj Z_kj
/// for j from last to first.  Every Z_ik needed lies in the pattern of L
/// (S_j is a clique of the filled graph), so Z is stored on that pattern and
/// the cost is about that of the factorisation.
CALIBRA_INLINE Eigen::VectorXd selected_inverse_diagonal(const Eigen::SparseMatrix<double>& L,
                                                         const Eigen::VectorXd& D) {
  const Eigen::Index q = L.cols();
  const int* outer = L.outerIndexPtr();
  const int* inner = L.innerIndexPtr();
  const double* lx = L.valuePtr();
  std::vector<double> z(static_cast<std::size_t>(L.nonZeros()), 0.0);
  Eigen::VectorXd zdiag(q);
  std::vector<int> position(static_cast<std::size_t>(q), -1);
  std::vector<double> acc;
  for (Eigen::Index j = q - 1; j >= 0; --j) {
    const int begin = outer[j], end = outer[j + 1];
    const int count = end - begin;
    acc.assign(static_cast<std::size_t>(count), 0.0);
    for (int a = 0; a < count; ++a) position[static_cast<std::size_t>(inner[begin + a])] = a;
    for (int a = 0; a < count; ++a) {
      const int k = inner[begin + a];
      const double lkj = lx[begin + a];
      acc[static_cast<std::size_t>(a)] -= lkj * zdiag[k];
      // Column k of Z holds Z_rk for rows r > k; those in S_j contribute to
      // both Z_rj (through L_kj) and, by symmetry, Z_kj (through L_rj).
      for (int pk = outer[k]; pk < outer[k + 1]; ++pk) {
        const int b = position[static_cast<std::size_t>(inner[pk])];
        if (b < 0) continue;
        const double zrk = z[static_cast<std::size_t>(pk)];
        acc[static_cast<std::size_t>(b)] -= lkj * zrk;
        acc[static_cast<std::size_t>(a)] -= lx[begin + b] * zrk;
      }
    }
    double diag = 1.0 / D[j];
    for (int a = 0; a < count; ++a) {
      z[static_cast<std::size_t>(begin + a)] = acc[static_cast<std::size_t>(a)];
      diag -= lx[begin + a] * acc[static_cast<std::size_t>(a)];
      position[static_cast<std::size_t>(inner[begin + a])] = -1;
    }
    zdiag[j] = diag;
  }
  return zdiag;
}


/// Outcome of one optimiser stage.
struct stage_result {
  std::vector<double> x;
  double value = 0;
  bool met = false;        // nelder_mead: its tolerances were met
  bool converged = false;  // newton_polish: its tolerances were met
};

/// Nelder-Mead (standard coefficients) from `start` with initial steps of
/// `step` times the coordinate (at least 0.1 * step).  Stops when the deviances of the simplex differ by at most ftol
/// and every vertex lies within xtol of the best, or the budget is spent.
template <class F>
stage_result nelder_mead(F& f, const std::vector<double>& start, double step, double ftol, double xtol,
                         std::size_t budget) {
  const std::size_t d = start.size();
  std::size_t used = 0;
  const auto eval = [&](std::vector<double>& x) { ++used; return f(x); };
  std::vector<std::vector<double>> x(d + 1, start);
  std::vector<double> fx(d + 1);
  fx[0] = eval(x[0]);
  for (std::size_t k = 0; k < d && used < budget; ++k) {
    x[k + 1][k] += step * std::max(start[k], 0.1);
    fx[k + 1] = eval(x[k + 1]);
  }
  stage_result out;
  std::vector<std::size_t> order(d + 1);
  while (used < budget) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) { return fx[i] < fx[j]; });
    const std::size_t lo = order.front(), hi = order.back(), second = order[d - 1];
    double size = 0;
    for (std::size_t i = 0; i <= d; ++i)
      for (std::size_t k = 0; k < d; ++k) size = std::max(size, std::abs(x[i][k] - x[lo][k]));
    if (fx[hi] - fx[lo] <= ftol && size <= xtol) {
      out.met = true;
      break;
    }
    std::vector<double> centroid(d, 0.0);
    for (std::size_t i = 0; i <= d; ++i)
      if (i != hi)
        for (std::size_t k = 0; k < d; ++k) centroid[k] += x[i][k] / static_cast<double>(d);
    const auto along = [&](double t) {
      std::vector<double> v(d);
      for (std::size_t k = 0; k < d; ++k) v[k] = centroid[k] + t * (x[hi][k] - centroid[k]);
      return v;
    };
    std::vector<double> xr = along(-1.0);
    const double fr = eval(xr);
    if (fr < fx[lo]) {
      std::vector<double> xe = along(-2.0);
      const double fe = eval(xe);
      if (fe < fr) x[hi] = xe, fx[hi] = fe;
      else x[hi] = xr, fx[hi] = fr;
    } else if (fr < fx[second]) {
      x[hi] = xr, fx[hi] = fr;
    } else {
      const bool outside = fr < fx[hi];
      std::vector<double> xc = along(outside ? -0.5 : 0.5);
      const double fc = eval(xc);
      if (fc < (outside ? fr : fx[hi])) {
        x[hi] = xc, fx[hi] = fc;
      } else {  // shrink towards the best vertex
        for (std::size_t i = 0; i <= d; ++i) {
          if (i == lo) continue;
          for (std::size_t k = 0; k < d; ++k) x[i][k] = x[lo][k] + 0.5 * (x[i][k] - x[lo][k]);
          fx[i] = eval(x[i]);
        }
      }
    }
  }
  const auto at = static_cast<std::size_t>(std::min_element(fx.begin(), fx.end()) - fx.begin());
  out.x = x[at];
  out.value = fx[at];
  return out;
}

/// Newton iterations with finite-difference gradient and Hessian (central
/// differences), from x with deviance fx.  Unconstrained: the caller's
/// deviance is even in every component (see mixed_model::fit).  Converged
/// when a step moves x by at most xtol, or the decrease the quadratic model
/// predicts is at most ftol, or no decrease is found along a step shorter
/// than 1e-5 (the rounding noise of a deviance of 10^6 is about 1e-9, which
/// makes the differenced gradient uncertain in its second or third digit
/// once it is that small).  Gives up (converged = false) where the Hessian
/// is not positive definite, i.e. outside the region where Newton steps
/// are safe.
template <class F>
stage_result newton_polish(F& f, std::vector<double> x, double fx, double ftol, double xtol, std::size_t budget) {
  const std::size_t d = x.size();
  const auto D = static_cast<Eigen::Index>(d);
  // The deviance is O(n) while its curvature in theta is O(levels): a step
  // of 1e-4 keeps the rounding error of the differences (about 1e-16 * f /
  // h^2 for the Hessian) far below the curvature itself, and the truncation
  // error (h^2 times third derivatives) below the tolerances that matter.
  const double h = 1e-4;
  std::size_t used = 0;
  const auto eval = [&](std::vector<double> v) { ++used; return f(v); };
  stage_result out;
  const std::size_t per_iteration = 2 * d + d * (d - 1) / 2 + 1;
  for (int iteration = 0; iteration < 50 && used + per_iteration <= budget; ++iteration) {
    Eigen::VectorXd g(D);
    Eigen::MatrixXd hess(D, D);
    std::vector<double> f_plus(d);
    for (std::size_t k = 0; k < d; ++k) {
      const auto kk = static_cast<Eigen::Index>(k);
      std::vector<double> a = x, b = x;
      a[k] += h, b[k] -= h;
      const double fa = eval(a), fb = eval(b);
      f_plus[k] = fa;
      g[kk] = (fa - fb) / (2 * h);
      hess(kk, kk) = (fa - 2 * fx + fb) / (h * h);
    }
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = i + 1; j < d; ++j) {
        std::vector<double> v = x;
        v[i] += h, v[j] += h;
        // f(x + h e_i + h e_j) - f(x + h e_i) - f(x + h e_j) + f(x) = h^2 H_ij + O(h^3)
        const double value = (eval(v) - f_plus[i] - f_plus[j] + fx) / (h * h);
        hess(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = value;
        hess(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = value;
      }
    Eigen::LLT<Eigen::MatrixXd> llt(hess);
    if (llt.info() != Eigen::Success) break;  // not locally convex: leave it to Nelder-Mead
    const Eigen::VectorXd step = -llt.solve(g);
    const double predicted = -0.5 * g.dot(step);
    if (predicted <= ftol) {
      out.converged = true;
      break;
    }
    bool improved = false;
    for (double t = 1.0; t > 1e-3 && used < budget; t /= 2) {
      std::vector<double> trial = x;
      for (std::size_t k = 0; k < d; ++k) trial[k] += t * step[static_cast<Eigen::Index>(k)];
      const double ft = eval(trial);
      if (ft <= fx) {
        const double moved = t * step.cwiseAbs().maxCoeff();
        const double gain = fx - ft;
        x = trial;
        fx = ft;
        improved = true;
        if (moved <= xtol || gain <= ftol) out.converged = true;
        break;
      }
    }
    if (!improved) {
      out.converged = step.cwiseAbs().maxCoeff() <= 1e-5;
      break;
    }
    if (out.converged) break;
  }
  out.x = x;
  out.value = fx;
  return out;
}

}  // namespace mixed_detail

CALIBRA_INLINE void mixed_model_options::validate() const {
  if (!(deviance_tolerance > 0) || !std::isfinite(deviance_tolerance))
    mixed_detail::refuse("deviance_tolerance must be positive and finite");
  if (!(theta_tolerance > 0) || !std::isfinite(theta_tolerance))
    mixed_detail::refuse("theta_tolerance must be positive and finite");
  if (max_evaluations < 1) mixed_detail::refuse("max_evaluations must be at least 1");
}

struct mixed_model::impl {
  using sparse = Eigen::SparseMatrix<double, Eigen::ColMajor, int>;

  mixed_model_options options;
  std::size_t n = 0;  // observations
  std::size_t p = 0;  // fixed-effect columns (intercept included)
  std::size_t q = 0;  // random-effect levels over all grouping factors
  std::size_t m = 0;  // grouping factors

  std::vector<std::string> random_names, fixed_names;
  std::vector<std::size_t> offset;      // first global level of each grouping factor (m + 1)
  std::vector<int> level_factor;        // grouping factor of each global level
  std::vector<std::size_t> level_count;  // observations per global level

  double y_mean = 0, yty = 0;  // y is centred: the intercept absorbs the mean
  Eigen::VectorXd xty, zty;
  Eigen::MatrixXd xtx, ztx;
  // A = Lambda Z'Z Lambda + I, stored already permuted (P A P', P from AMD)
  // as an upper triangle: that is the layout Eigen's simplicial
  // factorisation reads in place, so a refactorisation copies nothing.
  // Per stored entry: the count of the level pair in Z'Z and which pair of
  // grouping factors it joins (row factor * m + column factor).
  sparse a;
  std::vector<double> a_count;
  std::vector<std::uint32_t> a_factors;
  // Eigen keeps the column counts of L from the symbolic analysis to itself;
  // this exposes them, so that the cost of a factorisation is known before
  // the first one.
  struct counted_ldlt : Eigen::SimplicialLDLT<sparse, Eigen::Upper, Eigen::NaturalOrdering<int>> {
    const Eigen::VectorXi& column_counts() const { return this->m_nonZerosPerCol; }
  };
  counted_ldlt chol;
  std::vector<int> perm;  // original global level -> position in the factor

  // State of the last evaluation.
  std::vector<double> theta;
  Eigen::VectorXd w, dinv;  // L^-1 P Lambda Z'y and 1/D
  Eigen::MatrixXd wx;       // L^-1 P Lambda Z'X
  Eigen::MatrixXd scaled;   // RZX = D^-1/2 wx
  Eigen::MatrixXd rx;       // R_X'R_X = X'X - RZX'RZX
  Eigen::VectorXd beta;
  double pwrss = 0, dev = 0;

  void check_theta(const std::vector<double>& th) const {
    if (th.size() != m)
      mixed_detail::refuse("theta has " + std::to_string(th.size()) + " entries for " +
                           std::to_string(m) + " grouping factors");
    for (const double t : th)
      if (!(t >= 0) || !std::isfinite(t)) mixed_detail::refuse("theta must be finite and >= 0");
  }

  double evaluate(const std::vector<double>& th);
  mixed_model_fit result(std::size_t evaluations, bool converged);
};

CALIBRA_INLINE double mixed_model::impl::evaluate(const std::vector<double>& th) {
  theta = th;
  // A = Lambda Z'Z Lambda + I, values only (the pattern never changes).
  std::vector<double> scale(m * m);
  for (std::size_t f = 0; f < m; ++f)
    for (std::size_t g = 0; g < m; ++g) scale[f * m + g] = th[f] * th[g];
  const int* outer = a.outerIndexPtr();
  const int* inner = a.innerIndexPtr();
  double* values = a.valuePtr();
  for (int c = 0; c < static_cast<int>(q); ++c)
    for (int k = outer[c]; k < outer[c + 1]; ++k)
      values[k] = scale[a_factors[static_cast<std::size_t>(k)]] * a_count[static_cast<std::size_t>(k)] +
                  (inner[k] == c ? 1.0 : 0.0);
  chol.factorize(a);
  if (chol.info() != Eigen::Success)
    throw degenerate_error("calibration", "mixed model: sparse factorisation failed");
  const Eigen::VectorXd& d = chol.vectorD();
  dinv = d.cwiseInverse();
  const double log_det_l = d.array().log().sum();

  w.resize(static_cast<Eigen::Index>(q));
  wx.resize(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(p));
  for (std::size_t i = 0; i < q; ++i) {
    const double t = th[static_cast<std::size_t>(level_factor[i])];
    w[perm[i]] = t * zty[static_cast<Eigen::Index>(i)];
    wx.row(perm[i]) = t * ztx.row(static_cast<Eigen::Index>(i));
  }
  chol.matrixL().solveInPlace(w);
  chol.matrixL().solveInPlace(wx);

  // Schur complement of the fixed effects: X'X - RZX'RZX with RZX = D^-1/2 wx.
  scaled.noalias() = dinv.cwiseSqrt().asDiagonal() * wx;
  rx = xtx;
  rx.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose(), -1.0);
  rx = Eigen::MatrixXd(rx.selfadjointView<Eigen::Lower>());
  const Eigen::VectorXd r = xty - wx.transpose() * dinv.cwiseProduct(w);
  Eigen::LLT<Eigen::MatrixXd> llt(rx);
  if (llt.info() != Eigen::Success)
    throw degenerate_error("calibration", "mixed model: the fixed effects are not estimable at this theta");
  beta = llt.solve(r);
  const double log_det_rx = 2.0 * llt.matrixLLT().diagonal().array().log().sum();

  pwrss = yty - w.dot(dinv.cwiseProduct(w)) - r.dot(beta);
  if (!(pwrss > 0))
    throw degenerate_error("calibration", "mixed model: the model fits the data exactly (no residual variance)");
  const double two_pi = 2.0 * 3.14159265358979323846;
  const auto nd = static_cast<double>(n), pd = static_cast<double>(p);
  if (options.criterion == mixed_criterion::reml)
    dev = log_det_l + log_det_rx + (nd - pd) * (1.0 + std::log(two_pi * pwrss / (nd - pd)));
  else
    dev = log_det_l + nd * (1.0 + std::log(two_pi * pwrss / nd));
  return dev;
}

CALIBRA_INLINE mixed_model_fit mixed_model::impl::result(std::size_t evaluations, bool converged) {
  mixed_model_fit fit;
  fit.criterion = options.criterion;
  fit.n_obs = n;
  fit.evaluations = evaluations;
  fit.converged = converged;
  fit.criterion_value = dev;
  fit.log_likelihood = -dev / 2;
  fit.factor_nonzeros = static_cast<std::size_t>(chol.matrixL().nestedExpression().nonZeros()) + q;
  const double sigma2 =
      pwrss / static_cast<double>(options.criterion == mixed_criterion::reml ? n - p : n);
  fit.residual_variance = sigma2;
  fit.sigma = std::sqrt(sigma2);

  // Fixed effects: beta = (R_X'R_X)^-1 r, Var(beta) = sigma^2 (R_X'R_X)^-1.
  const Eigen::MatrixXd cov = sigma2 * rx.llt().solve(Eigen::MatrixXd::Identity(rx.rows(), rx.cols()));
  for (std::size_t j = 0; j < p; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    fit.fixed.push_back({fixed_names[j], beta[jj] + (j == 0 ? y_mean : 0.0), std::sqrt(cov(jj, jj))});
  }
  fit.fixed_covariance.resize(p * p);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < p; ++k)
      fit.fixed_covariance[j * p + k] = cov(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(k));

  // Spherical modes: L' P u = D^-1 (w - wx beta), then b = Lambda u.
  Eigen::VectorXd u = dinv.cwiseProduct(w - wx * beta);
  chol.matrixU().solveInPlace(u);
  Eigen::VectorXd inverse_diagonal;
  if (options.conditional_sd)
    inverse_diagonal = mixed_detail::selected_inverse_diagonal(chol.matrixL().nestedExpression(), chol.vectorD());

  for (std::size_t f = 0; f < m; ++f) {
    mixed_random_factor rf;
    rf.name = random_names[f];
    rf.theta = theta[f];
    rf.variance = sigma2 * theta[f] * theta[f];
    rf.sd = std::sqrt(rf.variance);
    const std::size_t levels = offset[f + 1] - offset[f];
    rf.n_obs.assign(level_count.begin() + static_cast<std::ptrdiff_t>(offset[f]),
                    level_count.begin() + static_cast<std::ptrdiff_t>(offset[f + 1]));
    rf.mode.resize(levels);
    if (options.conditional_sd) rf.conditional_sd.resize(levels);
    for (std::size_t l = 0; l < levels; ++l) {
      const int at = perm[offset[f] + l];
      rf.mode[l] = theta[f] * u[at];
      if (options.conditional_sd)
        rf.conditional_sd[l] = theta[f] * std::sqrt(sigma2 * std::max(0.0, inverse_diagonal[at]));
    }
    fit.random.push_back(std::move(rf));
  }
  return fit;
}

CALIBRA_INLINE mixed_model::mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
                                        std::vector<mixed_factor> fixed, mixed_model_options options)
    : impl_(std::make_unique<impl>()) {
  using mixed_detail::refuse;
  options.validate();
  impl& s = *impl_;
  s.options = options;
  const std::size_t n = y.size();
  s.n = n;
  if (n < 2) refuse("needs at least 2 observations, got " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(y[i])) refuse("response " + std::to_string(i) + " is not finite");
  if (random.empty()) refuse("needs at least one grouping factor (random intercept)");

  for (std::size_t f = 0; f < random.size(); ++f) {
    if (random[f].name.empty()) random[f].name = "random" + std::to_string(f);
    mixed_detail::check_factor(random[f], n, "grouping");
  }
  for (std::size_t f = 0; f < fixed.size(); ++f) {
    if (fixed[f].name.empty()) fixed[f].name = "fixed" + std::to_string(f);
    mixed_detail::check_factor(fixed[f], n, "fixed");
  }

  // Grouping factors: global level numbering, counts, checks as lme4 makes them.
  s.m = random.size();
  s.offset.assign(1, 0);
  for (const auto& f : random) s.offset.push_back(s.offset.back() + f.levels);
  s.q = s.offset.back();
  if (s.q >= static_cast<std::size_t>(INT_MAX / 2)) refuse("too many random-effect levels");
  s.level_factor.resize(s.q);
  s.level_count.assign(s.q, 0);
  for (std::size_t f = 0; f < s.m; ++f) {
    s.random_names.push_back(random[f].name);
    std::fill(s.level_factor.begin() + static_cast<std::ptrdiff_t>(s.offset[f]),
              s.level_factor.begin() + static_cast<std::ptrdiff_t>(s.offset[f + 1]), static_cast<int>(f));
    for (const auto code : random[f].codes) ++s.level_count[s.offset[f] + code];
    std::size_t observed = 0;
    for (std::size_t l = s.offset[f]; l < s.offset[f + 1]; ++l) observed += s.level_count[l] > 0;
    if (observed < 2)
      refuse("grouping factor '" + random[f].name + "' has " + std::to_string(observed) +
             " observed level(s); a variance needs at least 2");
    if (observed >= n)
      refuse("grouping factor '" + random[f].name + "' has as many levels (" + std::to_string(observed) +
             ") as observations; its variance cannot be told apart from the residual");
  }

  // Fixed columns: intercept, then treatment contrasts (level 0 is the reference).
  s.fixed_names.push_back("(Intercept)");
  std::vector<std::size_t> fixed_offset;
  for (const auto& f : fixed) {
    fixed_offset.push_back(s.fixed_names.size());
    std::vector<std::size_t> count(f.levels, 0);
    for (const auto code : f.codes) ++count[code];
    for (std::size_t l = 0; l < f.levels; ++l) {
      if (count[l] == 0)
        refuse("fixed factor '" + f.name + "' has no observation at level " + std::to_string(l) +
               "; its effect is not estimable");
      if (l > 0) s.fixed_names.push_back(f.name + "=" + std::to_string(l));
    }
  }
  s.p = s.fixed_names.size();
  if (s.p >= n)
    refuse("has " + std::to_string(s.p) + " fixed-effect columns for " + std::to_string(n) +
           " observations; no residual degrees of freedom");

  // Cross-products, with y centred (the intercept absorbs the mean, which
  // keeps y'y from dwarfing the residual sum of squares).
  s.y_mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  const auto P = static_cast<Eigen::Index>(s.p), Q = static_cast<Eigen::Index>(s.q);
  s.xtx = Eigen::MatrixXd::Zero(P, P);
  s.xty = Eigen::VectorXd::Zero(P);
  s.ztx = Eigen::MatrixXd::Zero(Q, P);
  s.zty = Eigen::VectorXd::Zero(Q);
  std::vector<Eigen::Index> columns;
  std::vector<std::uint64_t> pairs;
  pairs.reserve(n * s.m * (s.m - 1) / 2);
  std::vector<int> global(s.m);
  for (std::size_t i = 0; i < n; ++i) {
    const double yi = y[i] - s.y_mean;
    s.yty += yi * yi;
    columns.assign(1, 0);
    for (std::size_t f = 0; f < fixed.size(); ++f)
      if (fixed[f].codes[i] > 0) columns.push_back(static_cast<Eigen::Index>(fixed_offset[f] + fixed[f].codes[i] - 1));
    for (const auto c : columns) {
      s.xty[c] += yi;
      for (const auto c2 : columns) s.xtx(c, c2) += 1;
    }
    for (std::size_t f = 0; f < s.m; ++f) {
      global[f] = static_cast<int>(s.offset[f] + random[f].codes[i]);
      s.zty[global[f]] += yi;
      for (const auto c : columns) s.ztx(global[f], c) += 1;
    }
    // Off-diagonal Z'Z entries, lower triangle (row > column because the
    // factors' level ranges are consecutive), keyed column-major for sorting.
    for (std::size_t f = 0; f < s.m; ++f)
      for (std::size_t g = f + 1; g < s.m; ++g)
        pairs.push_back((static_cast<std::uint64_t>(global[f]) << 32) | static_cast<std::uint32_t>(global[g]));
  }
  {
    // Collinear fixed columns make R_X singular at every theta: refuse them
    // now, judged on the correlation scale so that the unit does not matter.
    const Eigen::VectorXd scale = s.xtx.diagonal().cwiseSqrt().cwiseInverse();
    const Eigen::MatrixXd corr = scale.asDiagonal() * s.xtx * scale.asDiagonal();
    Eigen::LDLT<Eigen::MatrixXd> check(corr);
    if (check.info() != Eigen::Success || check.vectorD().minCoeff() < 1e-10)
      refuse("the fixed-effect columns are collinear (a level of one fixed factor is determined by others)");
  }
  for (auto& f : fixed) std::vector<std::uint32_t>().swap(f.codes);  // no longer needed
  std::sort(pairs.begin(), pairs.end());

  // Z'Z as a compressed lower triangle: per column the diagonal, then the
  // distinct partner levels in ascending order.
  std::vector<int> outer(s.q + 1, 0);
  std::vector<int> inner;
  std::vector<double> values;
  inner.reserve(s.q + pairs.size());
  values.reserve(s.q + pairs.size());
  std::size_t next = 0;
  for (std::size_t c = 0; c < s.q; ++c) {
    inner.push_back(static_cast<int>(c));
    values.push_back(static_cast<double>(s.level_count[c]));
    while (next < pairs.size() && (pairs[next] >> 32) == c) {
      const std::uint64_t key = pairs[next];
      std::size_t run = 0;
      while (next < pairs.size() && pairs[next] == key) ++next, ++run;
      inner.push_back(static_cast<int>(key & 0xffffffffu));
      values.push_back(static_cast<double>(run));
    }
    if (inner.size() >= static_cast<std::size_t>(INT_MAX)) refuse("too many level pairs for the sparse solver");
    outer[c + 1] = static_cast<int>(inner.size());
  }
  std::vector<std::uint64_t>().swap(pairs);
  const Eigen::Map<const impl::sparse> ztz(Q, Q, static_cast<Eigen::Index>(inner.size()), outer.data(),
                                           inner.data(), values.data());

  // Fill-reducing order: approximate minimum degree on the pattern of Z'Z.
  // It eliminates the levels with few partners (a ratee seen by 5 raters)
  // first and leaves the densely linked ones (raters shared across many
  // ratees) to the end, which is where a factor with few levels belongs.
  Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> pinv;
  Eigen::AMDOrdering<int>()(ztz.selfadjointView<Eigen::Lower>(), pinv);
  const Eigen::PermutationMatrix<Eigen::Dynamic, Eigen::Dynamic, int> order = pinv.inverse();
  s.perm.assign(order.indices().data(), order.indices().data() + order.indices().size());

  // Permute once, carrying the index of each entry of Z'Z as its value so
  // that every entry of P A P' knows its count and its factors.
  std::vector<std::uint32_t> column_of(inner.size());
  for (std::size_t c = 0; c < s.q; ++c)
    for (int k = outer[c]; k < outer[c + 1]; ++k) column_of[static_cast<std::size_t>(k)] = static_cast<std::uint32_t>(c);
  std::vector<double> source(inner.size());
  std::iota(source.begin(), source.end(), 0.0);
  const Eigen::Map<const impl::sparse> ztz_index(Q, Q, static_cast<Eigen::Index>(inner.size()), outer.data(),
                                                 inner.data(), source.data());
  s.a.resize(Q, Q);
  s.a.selfadjointView<Eigen::Upper>() = ztz_index.selfadjointView<Eigen::Lower>().twistedBy(order);
  s.a.makeCompressed();
  const auto stored = static_cast<std::size_t>(s.a.nonZeros());
  s.a_count.resize(stored);
  s.a_factors.resize(stored);
  for (std::size_t k = 0; k < stored; ++k) {
    const auto from = static_cast<std::size_t>(s.a.valuePtr()[k]);
    const auto fr = static_cast<std::size_t>(s.level_factor[static_cast<std::size_t>(inner[from])]);
    const auto fc = static_cast<std::size_t>(s.level_factor[column_of[from]]);
    s.a_count[k] = values[from];
    s.a_factors[k] = static_cast<std::uint32_t>(fr * s.m + fc);
  }
  s.chol.analyzePattern(s.a);
}

CALIBRA_INLINE mixed_model::~mixed_model() = default;
CALIBRA_INLINE mixed_model::mixed_model(mixed_model&&) noexcept = default;
CALIBRA_INLINE mixed_model& mixed_model::operator=(mixed_model&&) noexcept = default;

CALIBRA_INLINE std::size_t mixed_model::n_obs() const { return impl_->n; }
CALIBRA_INLINE std::size_t mixed_model::n_theta() const { return impl_->m; }

CALIBRA_INLINE double mixed_model::factorisation_work() const {
  // A column with c entries below the diagonal costs about c^2 multiply-adds
  // in the up-looking factorisation.
  double work = 0;
  for (const int c : impl_->chol.column_counts()) work += static_cast<double>(c) * static_cast<double>(c) + c + 1;
  return work;
}

CALIBRA_INLINE double mixed_model::deviance(const std::vector<double>& theta) {
  impl_->check_theta(theta);
  return impl_->evaluate(theta);
}

CALIBRA_INLINE mixed_model_fit mixed_model::fit_at(const std::vector<double>& theta) {
  impl_->check_theta(theta);
  impl_->evaluate(theta);
  return impl_->result(0, true);
}

CALIBRA_INLINE mixed_model_fit mixed_model::fit() {
  impl& s = *impl_;
  const mixed_model_options& o = s.options;
  std::size_t evaluations = 0;
  const auto f = [&](std::vector<double>& x) {
    ++evaluations;
    return s.evaluate(x);
  };
  const auto budget_left = [&] { return evaluations < o.max_evaluations ? o.max_evaluations - evaluations : 0; };

  // The problem is min over theta >= 0.  For random intercepts the profiled
  // deviance depends on each theta_k only through theta_k^2 (flipping the
  // sign of a factor's block of Lambda is a similarity transform of
  // Lambda'Z'Z Lambda + I), so it is an even function of every component
  // and the bounded problem is the unbounded one folded at 0: the optimisers
  // below run unconstrained and |theta| is reported.  This avoids the usual
  // failure of a projected simplex, which collapses onto the bound and
  // stalls there, and a variance whose optimum is 0 becomes an ordinary
  // interior minimum at theta_k = 0.
  //
  // Two stages.  A coarse Nelder-Mead from theta = 1 (lme4's start) finds
  // the basin without derivatives; Newton steps on finite-difference
  // derivatives then converge quadratically, which costs far fewer
  // factorisations than driving a simplex to the same precision.
  std::vector<double> best(s.m, 1.0);
  auto coarse = mixed_detail::nelder_mead(f, best, 0.25, 1e-2, 1e-2, budget_left());
  best = coarse.x;
  double value = coarse.value;
  bool converged = false;
  // The deviance is O(n); its tolerance is relative to it.
  const auto ftol = [&] { return o.deviance_tolerance * std::max(1.0, std::abs(value)); };
  double simplex_tol = 1e-3;
  for (int round = 0; round < 6 && budget_left() > 0; ++round) {
    auto polished = mixed_detail::newton_polish(f, best, value, ftol(), o.theta_tolerance, budget_left());
    if (polished.value <= value) best = polished.x, value = polished.value;
    if (polished.converged) {
      converged = true;
      break;
    }
    // Newton could not finish from here (not yet in the convex region
    // around the optimum): tighten the simplex around the best point, then
    // try again.  The last round leaves it to the simplex alone.
    const bool last = round == 5;
    auto simplex = mixed_detail::nelder_mead(f, best, 0.05, last ? ftol() : simplex_tol,
                                             last ? o.theta_tolerance : simplex_tol, budget_left());
    if (simplex.value <= value) best = simplex.x, value = simplex.value;
    if (last) converged = simplex.met;
    simplex_tol /= 10;
  }
  for (auto& t : best) t = std::abs(t);
  // A variance whose optimum is 0 converges to |theta_k| of about 1e-9, not
  // to 0 itself; 0 is then at least as good (the deviance is even and
  // minimal there), so report the boundary exactly.
  for (std::size_t k = 0; k < s.m; ++k) {
    if (best[k] == 0 || best[k] > 1e-3 || budget_left() == 0) continue;
    std::vector<double> zeroed = best;
    zeroed[k] = 0;
    const double at_zero = f(zeroed);
    if (at_zero <= value) best = zeroed, value = at_zero;
  }
  s.evaluate(best);
  return s.result(evaluations, converged);
}

CALIBRA_INLINE mixed_model_fit fit_mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
                                               std::vector<mixed_factor> fixed, mixed_model_options options) {
  mixed_model model(std::move(y), std::move(random), std::move(fixed), std::move(options));
  return model.fit();
}

}  // namespace calibra::calibration
