// Crossed (or nested) random-intercept linear mixed model fitted by REML or
// ML, the formulation of lme4 (Bates, Maechler, Bolker & Walker 2015,
// J. Stat. Softw. 67(1)):
//
//   y = X beta + Z b + e,   b_k ~ N(0, sigma_k^2 I),   e ~ N(0, sigma^2 I)
//
// with one block of b per grouping factor (rater, ratee, ratee x competency,
// rater x period, ...) and X an intercept plus treatment-coded categorical
// fixed factors.  docs/severity.md ("The crossed random-effects model")
// explains the estimation, the shrinkage and the conditional SDs.
//
// This header only declares; the implementation (sparse Cholesky, the
// optimiser) lives in mixed_model-inl.hpp so that callers do not pay for
// Eigen's sparse module.
#pragma once

#include <calibra/config.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace calibra::calibration {

/// Which criterion the variance components maximise.
enum class mixed_criterion {
  reml,  // restricted likelihood (lme4's default, REML = TRUE)
  ml,    // likelihood (REML = FALSE; what likelihood-ratio tests compare)
};

/// A categorical factor: one code in 0..levels-1 per observation.
struct mixed_factor {
  std::string name;
  std::vector<std::uint32_t> codes;
  /// Number of levels; 0 means "largest code + 1".
  std::size_t levels = 0;
};

struct mixed_model_options {
  mixed_criterion criterion = mixed_criterion::reml;
  /// The optimiser has converged when its last step changed theta (=
  /// sigma_k / sigma) by at most theta_tolerance, or when the decrease its
  /// local quadratic model still predicts is at most deviance_tolerance
  /// times the deviance (and its fallback simplex uses the same two
  /// bounds for its spread).
  double deviance_tolerance = 1e-13;
  double theta_tolerance = 1e-7;
  /// Budget of deviance evaluations (each is one sparse factorisation).
  std::size_t max_evaluations = 5000;
  /// Compute the conditional SDs (one selected inversion of the sparse
  /// factor, about the cost of one more factorisation).
  bool conditional_sd = true;
  /// Threads for the factorisations and the selected inversions (the
  /// gradient's and the conditional SDs'): disjoint subtrees of the
  /// elimination tree at once; and for the deviance evaluations the
  /// fallback stages can make at once
  /// (the points of a finite-difference gradient and Hessian, a simplex's
  /// shrink; each such thread holds its own copy of the sparse factor);
  /// 0 means std::thread::hardware_concurrency(), at most 4.  The result
  /// does not depend on it.
  unsigned threads = 0;
  /// Largest factorisation_work() the caller will pay for in each
  /// evaluation.  Past it the constructor stops after ordering the levels,
  /// before the symbolic analysis, and throws calibra::budget_error with the
  /// work it measured.  Infinite by default.
  double max_factorisation_work = std::numeric_limits<double>::infinity();

  /// Throws calibra::invalid_argument when an option is out of range.
  void validate() const;
};

/// One fixed-effect coefficient: "(Intercept)" or "<factor>=<level>"
/// (treatment contrast against level 0 of that factor).
struct mixed_fixed_effect {
  std::string name;
  double estimate = 0;
  double se = 0;
};

/// The fit of one grouping factor.
struct mixed_random_factor {
  std::string name;
  double variance = 0;  // sigma_k^2, exactly 0 on the boundary
  double sd = 0;        // sigma_k
  double theta = 0;     // sigma_k / sigma, the optimised parameter
  /// Per level (index = code): observations, conditional mode (BLUP) and
  /// conditional SD given the estimated variance components (lme4's
  /// ranef(condVar = TRUE)); empty conditional_sd when not requested.
  std::vector<std::size_t> n_obs;
  std::vector<double> mode;
  std::vector<double> conditional_sd;
};

struct mixed_model_fit {
  mixed_criterion criterion = mixed_criterion::reml;
  std::vector<mixed_fixed_effect> fixed;
  /// Covariance of the fixed-effect estimates, row-major, in the order of
  /// `fixed` (so a contrast of several coefficients gets its exact SE).
  std::vector<double> fixed_covariance;
  std::vector<mixed_random_factor> random;
  double residual_variance = 0;  // sigma^2
  double sigma = 0;
  /// REML criterion (lme4's REMLcrit) or ML deviance (lme4's deviance),
  /// i.e. -2 times the (restricted) log-likelihood.
  double criterion_value = 0;
  double log_likelihood = 0;  // -criterion_value / 2, as lme4's logLik
  std::size_t n_obs = 0;
  std::size_t evaluations = 0;  // deviance evaluations by the optimiser
  bool converged = false;       // tolerances met within the budget
  std::size_t factor_nonzeros = 0;  // entries of the sparse Cholesky factor
};

/// A model set up for fitting: validates the data, reduces them to the
/// sufficient cross-products, and analyses the sparsity pattern once, so
/// that deviance() and fit() only refactorise numerically.
class mixed_model {
 public:
  /// Throws calibra::invalid_argument on mismatched lengths, codes out of
  /// range, non-finite responses, fewer than 2 observations, no grouping
  /// factor, a grouping factor with fewer than 2 observed levels or with as
  /// many levels as observations, unobserved or collinear fixed levels;
  /// calibra::budget_error when factorisation_work() would exceed
  /// options.max_factorisation_work.
  mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
              std::vector<mixed_factor> fixed = {}, mixed_model_options options = {});
  ~mixed_model();
  mixed_model(mixed_model&&) noexcept;
  mixed_model& operator=(mixed_model&&) noexcept;
  mixed_model(const mixed_model&) = delete;
  mixed_model& operator=(const mixed_model&) = delete;

  std::size_t n_obs() const;
  /// Number of variance parameters (one per grouping factor).
  std::size_t n_theta() const;
  /// Multiply-adds one sparse factorisation takes (from the symbolic
  /// analysis, before any is done): every deviance evaluation pays it once.
  double factorisation_work() const;

  /// Profiled criterion at theta (sigma_k / sigma per grouping factor,
  /// each >= 0): REMLcrit or ML deviance as lme4 defines them.
  double deviance(const std::vector<double>& theta);

  /// Gradient of deviance() at theta, in closed form (one factorisation
  /// and one selected inversion; see docs/severity.md).
  std::vector<double> deviance_gradient(const std::vector<double>& theta);

  /// Optimises theta (quasi-Newton on the closed-form gradient from theta =
  /// 1, with derivative-free stages as the fallback; see docs/severity.md)
  /// and returns the fit.
  mixed_model_fit fit();
  /// The same from the caller's start (theta >= 0 per grouping factor), a
  /// point near the optimum such as a pilot fit on part of the data: the
  /// optimiser first measures the curvature there (one more evaluation per
  /// grouping factor) and then takes Newton steps.  Converges to the same
  /// optimum as fit(), within the tolerances.  A component below 0.01 starts
  /// at 0.01 (on the boundary the criterion is flat along it).
  mixed_model_fit fit(const std::vector<double>& start);

  /// The fit at a given theta, without optimising (evaluations = 0).
  mixed_model_fit fit_at(const std::vector<double>& theta);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Shorthand for mixed_model(y, random, fixed, options).fit().
mixed_model_fit fit_mixed_model(std::vector<double> y, std::vector<mixed_factor> random,
                                std::vector<mixed_factor> fixed = {},
                                mixed_model_options options = {});

/// Observations and factors of a model, as the constructor takes them.
struct mixed_design {
  std::vector<double> y;
  std::vector<mixed_factor> random, fixed;
};

/// A smaller design of the same structure: every observation of about one
/// level in `share` of grouping factor `by_factor` (say the ratees: the
/// sample still has every rater and, on a large design, thousands of
/// ratees), the levels chosen by a hash of their codes, and every factor's
/// levels renumbered without gaps.  For a pilot fit (pilot_theta), or a
/// first look at what a model costs.  Throws calibra::invalid_argument on
/// mismatched lengths, codes out of range or a factor index out of range.
mixed_design sample_levels(const std::vector<double>& y, std::vector<mixed_factor> random,
                           std::vector<mixed_factor> fixed, std::size_t by_factor, std::size_t share = 8);

/// A start for fit(start): theta of the model fitted by REML (without
/// conditional SDs) to a sample of the design (sample_levels), whose
/// variance components land near the full design's at a fraction of the
/// cost.  A sample of nested_from observations or more is itself fitted
/// from the pilot of a sample of it (one level in eight of grouping factor
/// by_factor).  Empty when that fit is refused (too few levels kept, say)
/// or does not converge.
std::vector<double> pilot_theta(mixed_design design, std::size_t by_factor = 0, std::size_t nested_from = 100000);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/mixed_model-inl.hpp>
#endif
