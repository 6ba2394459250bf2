// Krippendorff's alpha for nominal, ordinal, interval and ratio data with
// missing values.
//
// The value comes from the coincidence matrix (Krippendorff 2011,
// "Computing Krippendorff's Alpha-Reliability"): every pairable unit (two
// or more values) adds its ordered value pairs, each weighted 1/(m_u - 1);
// alpha = 1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck.  Units with a single
// value are not pairable and drop out.  Cost: O(ratings + q^2).
//
// The standard error is Gwet's (2014) design-based linearisation, as in
// irrCAC's krippen.alpha.raw, with agreement weights w = 1 - d / max d and a
// t(n-1) interval over the pairable units.  For the ordinal metric the
// distances depend on the pooled value frequencies, so the variance sums
// are taken with the weights of a reference set of frequencies (see
// krippendorff_summary).
//
// With many categories (continuous ratings) the q x q tables do not fit;
// krippendorff_without_tables computes the nominal, ordinal and interval
// levels from per-unit and per-category sums instead.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace calibra::agreement {

namespace detail {
/// "Krippendorff's alpha (interval level)" for messages.
std::string krippendorff_title(measurement_level level);

/// The tail shared by the coincidence-matrix path and the table-free path:
/// Gwet's agreement form (pa = (1 - 1/n..) pa' + 1/n..), the disagreement
/// sums in `extra`, and alpha = 1 - (n.. - 1) Do / De.  Returns false, with
/// the reason set, when nothing varies (De = 0).
bool set_alpha(result& r, double total, double observed_sum, double expected_sum, double pa_prime,
                      double pe);
}  // namespace detail

/// Agreement weights (1 - normalised distance) of Krippendorff's metric for
/// a measurement level.  `marginals` (the pairable value frequencies n_c)
/// are only read for the ordinal metric.
Eigen::MatrixXd krippendorff_weights(measurement_level level, const std::vector<double>& codes,
                                            const Eigen::VectorXd& marginals = {});

/// Sufficient statistics of Krippendorff's alpha: the coincidence matrix
/// (exact for every level after any merge) plus the sums that Gwet's
/// variance needs, taken with a fixed weight matrix.
///
/// For a pairable unit with counts c (r = sum c) and weighted pair
/// agreement s = sum_k c_k ((W c)_k - 1) / (r - 1), the variance sums are
/// n', sum s, s^2, r, r^2, s r, and sum c, s c, r c, c c^T.
class krippendorff_summary {
 public:
  krippendorff_summary() = default;

  /// `variance_weights`: the agreement weights the variance sums use.  For
  /// nominal, interval and ratio data they are fixed by the codes and may be
  /// left empty.  For ordinal data pass krippendorff_weights(ordinal, codes,
  /// pooled marginals) of the data being summarised (all partial summaries
  /// must use the same matrix); without them finish() reports no SE.
  krippendorff_summary(category_set categories, measurement_level level,
                       std::optional<Eigen::MatrixXd> variance_weights = {});

  /// Adds one unit as `m` (category index, count) pairs with distinct
  /// categories, with a frequency weight.
  void add_unit(const std::int32_t* category, const double* count, std::size_t m, double weight = 1);

  krippendorff_summary& operator+=(const krippendorff_summary& other) { return combine(other, 1); }
  krippendorff_summary& operator-=(const krippendorff_summary& other) { return combine(other, -1); }

  const Eigen::MatrixXd& coincidence() const { return coincidence_; }
  const category_set& categories() const { return categories_; }
  measurement_level level() const { return level_; }
  /// Raters with at least one value, as told by whoever fed the summary.
  std::size_t n_raters = 0;

  result finish(const options& opts) const;

 private:
  bool has_variance_weights() const { return weights_.size() > 0; }

  krippendorff_summary& combine(const krippendorff_summary& other, double sign);

  category_set categories_;
  measurement_level level_ = measurement_level::nominal;
  Eigen::MatrixXd weights_;  // empty: no variance sums (ordinal without reference)
  double rated_units_ = 0, pairable_units_ = 0;
  Eigen::MatrixXd coincidence_;
  double sum_s_ = 0, sum_ss_ = 0, sum_r_ = 0, sum_rr_ = 0, sum_sr_ = 0;
  Eigen::VectorXd sum_c_, sum_sc_, sum_rc_;
  Eigen::MatrixXd sum_cc_;
};

namespace detail {

/// The value frequencies of the pairable units of a unit table.
Eigen::VectorXd pairable_marginals(const unit_counts& table, const std::vector<double>& unit_weights = {});

/// Summary of a unit table with variance weights that match the data.
krippendorff_summary krippendorff_from_table(const unit_counts& table, const category_set& categories,
                                                    measurement_level level,
                                                    const std::vector<double>& unit_weights = {});

/// The same from a pattern table, each pattern weighted by pattern_units[p]
/// (by its number of units when `pattern_units` is empty).
Eigen::VectorXd pairable_marginals(const unit_patterns& patterns, const std::vector<double>& pattern_units = {});
krippendorff_summary krippendorff_from_patterns(const unit_patterns& patterns, measurement_level level,
                                                const std::vector<double>& pattern_units = {});

/// Above this many categories krippendorff_alpha computes the nominal,
/// ordinal and interval levels without tables (krippendorff_without_tables);
/// at or below it, through krippendorff_summary, whose numbers the published
/// examples pin.  The two agree to rounding.
inline constexpr std::size_t krippendorff_table_categories = 64;

/// Krippendorff's alpha and its standard error at the nominal, ordinal or
/// interval level in O(ratings + q) time and memory, with no q x q table:
/// the same numbers krippendorff_summary::finish gives, reorganised.
///
/// Interval distances are (y_c - y_k)^2 / D with y the codes and D the
/// squared code range.  Ordinal distances are the same with y_c the
/// cumulative midpoint n_0 + ... + n_{c-1} + n_c / 2 of the pairable value
/// frequencies: Krippendorff's (n_c/2 + n_{c+1} + ... + n_k/2)^2 is
/// (y_k - y_c)^2.  Nominal distance is [c != k].  With that,
///   a unit's pair disagreement  sum_ab c_a c_b d_ab = 2 r sum_a c_a (y_a - mean_u y)^2 / D
///                               (nominal: r^2 - sum_a c_a^2),
///   the expected disagreement   sum_ck n_c n_k d_ck = 2 N sum_c n_c (y_c - mean y)^2 / D
///                               (nominal: N^2 - sum_c n_c^2),
///   and (W pi)_c                = 1 - ((y_c - mu)^2 + sigma^2) / D  (nominal: pi_c),
/// where mu and sigma^2 are the mean and variance of y under pi.  Gwet's
/// linearised unit scores then need a second pass over the units instead of
/// the summary's q x q sums.  Every spread is taken around a mean (two
/// passes), so continuous ratings far from 0 keep their digits.
result krippendorff_without_tables(const coded_ratings& coded, const options& opts);

}  // namespace detail

/// Krippendorff's alpha at options.level, every available value used
/// (options.missing = listwise first drops units lacking any value).
/// Memory is O(ratings + q) at the nominal, ordinal and interval levels
/// with more than detail::krippendorff_table_categories categories; the
/// ratio level builds q x q tables and refuses more than
/// max_table_categories categories (calibra::invalid_argument).
result krippendorff_alpha(const ratings_ref& ratings, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/krippendorff-inl.hpp>
#endif
