// Intraclass correlation: the six Shrout & Fleiss (1979) forms, with the
// F test and the F-based confidence intervals exactly as psych::ICC
// computes them (McGraw & Wong 1996 / Satterthwaite for ICC2 and ICC2k).
//
// The ANOVA behind every form is a two-way layout, units x raters, one
// rating per cell.  Its sums of squares are kept in icc_summary, a
// mergeable, linear summary over units: summaries built on any split of
// the units add up to the summary of the whole, and units may carry
// frequency weights (the bootstrap draws them).
//
// Missing ratings: the two-way ANOVA needs complete rows, so a unit with
// any missing rating is dropped (listwise, like psych::ICC on na.omit
// data).  options::missing is ignored for ICC: `available` has no meaning
// here, and the result echoes `listwise`, the rule actually applied, in
// result::used; extra["units_dropped"] counts the units left out.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/bootstrap.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace calibra::agreement {

/// Mean squares of the two-way ANOVA of a units x raters table.
struct icc_anova {
  double n_units = 0;         // sum of unit weights (the number of units when unweighted)
  std::size_t n_raters = 0;
  double ss_units = 0;        // between units
  double ss_raters = 0;       // between raters
  double ss_error = 0;        // residual (unit x rater interaction)

  double df_units() const { return n_units - 1; }
  double df_raters() const { return static_cast<double>(n_raters) - 1; }
  double df_error() const { return df_units() * df_raters(); }
  double df_within() const { return n_units * df_raters(); }
  double ms_units() const { return ss_units / df_units(); }    // MSB / MSR
  double ms_raters() const { return ss_raters / df_raters(); }  // MSJ / MSC
  double ms_error() const { return ss_error / df_error(); }     // MSE
  /// Within-unit mean square of the one-way model (raters not separated).
  double ms_within() const { return (ss_raters + ss_error) / df_within(); }  // MSW
};

/// Mergeable sums for the ICC ANOVA.
///
/// Each unit is split into its mean m_u and its deviations y_uj = x_uj - m_u.
/// Then, with W the total weight,
///   SS_units  = k * sum_u w_u (m_u - mean m)^2
///   SS_raters = W * sum_j (mean_u y_uj)^2
///   SS_error  = sum_j sum_u w_u (y_uj - mean_u y_uj)^2
/// so every sum of squares is a weighted central second moment, kept by
/// Welford updates and merged with Chan's formula.  No large sums are ever
/// subtracted from each other.  Unit means are kept relative to a shift (the
/// first rating seen): near a large common offset such as 1e9 a mean rounded
/// to double would lose the digits that carry the variance.
class icc_summary {
 public:
  explicit icc_summary(std::size_t n_raters = 0)
      : deviation_mean_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_raters))),
        deviation_m2_(Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n_raters))) {}

  std::size_t n_raters() const { return static_cast<std::size_t>(deviation_mean_.size()); }
  double total_weight() const { return weight_; }

  /// Adds one unit's complete row of ratings with frequency weight `weight`.
  /// A negative weight removes a unit previously added (the leave-one-out
  /// jackknife uses this); the rows must be finite and of size n_raters().
  template <typename Row>
  void add_unit(const Row& row, double weight = 1.0) {
    if (weight == 0) return;
    const Eigen::Index k = deviation_mean_.size();
    if (row.size() != k)
      throw invalid_argument("icc", "a unit has " + std::to_string(row.size()) + " ratings, expected " +
                                        std::to_string(k) + " (one per rater)");
    // The unit mean relative to the first rating: differences of nearby
    // numbers are exact, so a large common offset costs no precision.
    const double anchor = row[0];
    double offset_mean = 0;
    for (Eigen::Index j = 0; j < k; ++j) offset_mean += row[j] - anchor;
    offset_mean /= static_cast<double>(k);
    if (weight_ == 0) shift_ = anchor;
    const double unit_mean = (anchor - shift_) + offset_mean;  // relative to shift_

    const double new_weight = weight_ + weight;
    if (new_weight == 0) {  // removed the last unit: back to empty
      *this = icc_summary(static_cast<std::size_t>(k));
      return;
    }
    const double share = weight / new_weight;
    const double delta = unit_mean - unit_mean_mean_;
    unit_mean_mean_ += delta * share;
    unit_mean_m2_ += weight * delta * (unit_mean - unit_mean_mean_);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double deviation = (row[j] - anchor) - offset_mean;
      const double d = deviation - deviation_mean_[j];
      deviation_mean_[j] += d * share;
      deviation_m2_[j] += weight * d * (deviation - deviation_mean_[j]);
    }
    weight_ = new_weight;
  }

  /// Adds the units of `other` (Chan, Golub & LeVeque pairwise merge).
  icc_summary& operator+=(const icc_summary& other);

  /// The ANOVA sums of squares of the units added so far.
  icc_anova finish() const;

 private:
  double weight_ = 0;
  double shift_ = 0;           // origin of unit_mean_mean_
  double unit_mean_mean_ = 0;  // weighted mean of the unit means, minus shift_
  double unit_mean_m2_ = 0;
  Eigen::VectorXd deviation_mean_;
  Eigen::VectorXd deviation_m2_;
};

icc_summary operator+(icc_summary a, const icc_summary& b);

namespace detail {

/// Upper-tail F quantile, qf(1 - tail, df1, df2) in R's terms; NaN when
/// it does not exist.  The quantile uses Boost's default (throwing) policy:
/// with errors ignored, GCC sees a path in Boost's inverse incomplete beta
/// that leaves an output unset and warns (-Wmaybe-uninitialized).  The
/// arguments are checked first, so the catch is only a safety net.
double f_upper_quantile(double tail, double df1, double df2);

double f_upper_tail(double statistic, double df1, double df2);

/// A weight total for messages: "3" rather than "3.000000".
std::string count_text(double count);

std::optional<double> finite_or_empty(double x);

/// A mean square for messages, e.g. "0.24" or "1.5e+09".
std::string short_number(double x);

/// The denominator of ICC2 (Shrout & Fleiss), MS_R + (k - 1) MS_E + k (MS_C - MS_E) / n,
/// written as MS_R + (k MS_C + (kn - k - n) MS_E) / n: for n, k >= 2 every term
/// is non-negative, so in floating point too it is at least MS_R and ICC2
/// cannot come out above 1 by rounding.
double icc2_denominator(const icc_anova& a);

/// The denominator of ICC2k, MS_R + (MS_C - MS_E) / n.  Unlike the other five
/// forms' denominators it is a difference: under systematic disagreement
/// (MS_E >= n MS_R + MS_C) it is zero or negative, where ICC2 sits at or
/// below -1/(k - 1), the pole of the Spearman-Brown step-up.
double icc2k_denominator(const icc_anova& a);

/// Whether ICC2k's denominator is zero or negative, counting a value within
/// rounding of 0 (1e-12 of the size of its terms) as 0: the 5 x 5 table of
/// docs/icc.md has an exact 0 there that double arithmetic turns into a
/// residue of either sign, and psych::ICC then prints 6e15.
bool icc2k_denominator_not_positive(const icc_anova& a);

/// The point value of one form from the mean squares; NaN when undefined.
double icc_value(const icc_anova& a, icc_form form);

/// Why the ANOVA gives no ICC, or nullopt when it does.
std::optional<std::string> icc_degenerate_reason(const icc_anova& a, icc_form form);

/// The ANOVA sums of the complete units of a two-rater matrix read column
/// by column (two passes over blocks of units: the means, then the squares
/// about them), without reading the matrix row by row; nothing for other
/// numbers of raters, an empty matrix or an infinite rating (the
/// row-by-row path reports it).
struct icc_columns {
  icc_anova anova;
  std::size_t kept = 0;
};
std::optional<icc_columns> icc_from_columns(const Eigen::Ref<const Eigen::MatrixXd>& ratings);

}  // namespace detail

/// The ICC of one form, its F test and F-based interval from ANOVA sums.
/// `confidence` in (0, 1).  Sets value, ci_low/ci_high ("F"), n_raters and
/// extra: F, df1, df2, p, the mean squares, and for ICC2/ICC2k the
/// Satterthwaite degrees of freedom "df_satterthwaite".  When a residual
/// mean square is zero the F statistic is infinite: F and the interval are
/// left out and p is 0.  n_units is set to the (rounded) total weight.
result icc_from_anova(const icc_anova& a, icc_form form, double confidence);

namespace detail {

/// The complete units of a ratings matrix, copied row-major so that the
/// bootstrap reads each unit's ratings contiguously.
struct complete_units {
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows;
  std::size_t dropped = 0;
};

/// Whether unit `u` has every rating; throws on an infinite rating met
/// before the first missing one.
bool unit_is_complete(const Eigen::Ref<const Eigen::MatrixXd>& ratings, Eigen::Index u);

complete_units listwise_complete(const Eigen::Ref<const Eigen::MatrixXd>& ratings);

using icc_rows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// What the ICC bootstrap resamples: for each complete unit, its mean and
/// its deviations from that mean, both centred once on the full-sample
/// averages.  A resample then needs only weighted sums and sums of squares
/// of these small centred numbers (no division per unit), and the
/// shifted sums lose nothing to a large common offset.
struct icc_resampling_data {
  std::size_t n_raters = 0;
  /// units x (1 + raters): unit mean - mean of unit means, then
  /// y_uj - mean over units of y_uj, where y_uj = x_uj - unit mean.
  /// Column-major, so each resample's weighted sums are two
  /// matrix-vector products over contiguous columns.
  Eigen::MatrixXd centred;
  Eigen::MatrixXd centred_squared;
  /// Full-sample mean over units of y_uj, one per rater.
  Eigen::VectorXd deviation_mean;

  explicit icc_resampling_data(const icc_rows& rows);

  /// The ANOVA from weighted power sums of the centred values.
  /// `sums` and `squares` hold 1 + n_raters entries, in the column order of `centred`.
  icc_anova anova(double weight, const double* sums, const double* squares) const;
};

double icc_or_nan(const icc_anova& anova, icc_form form);

/// The plan over already complete rows (shared, so the plan may outlive the caller's matrix).
resampling_plan icc_plan_for_rows(std::shared_ptr<const icc_rows> rows, icc_form form);

}  // namespace detail

/// A bootstrap plan for the ICC of `ratings` (units with a missing rating
/// are dropped first; plan.n_units counts the complete units).  icc()
/// already applies it when opts.bootstrap > 0; this is for callers that
/// drive the bootstrap engine themselves.
resampling_plan icc_resampling_plan(const Eigen::Ref<const Eigen::MatrixXd>& ratings, const options& opts);

/// The ICC of form opts.form of a units x raters matrix (NaN = missing),
/// with the F test and psych::ICC's interval at opts.confidence.  When
/// opts.bootstrap > 0 the interval is replaced by a bootstrap interval over
/// units (see apply_bootstrap); the F test stays in `extra`.
/// A degenerate table (fewer than 2 complete units or 2 raters, every
/// rating equal) gives a result with no value and a `reason`.
result icc(const Eigen::Ref<const Eigen::MatrixXd>& ratings, const options& opts);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/icc-inl.hpp>
#endif
