// Coefficients built on each unit's distribution of ratings over the
// categories: percent agreement (pairwise, unanimous, within tolerance),
// Fleiss' kappa, Gwet's AC1/AC2, Brennan-Prediger and Scott's pi.
//
// All of them follow Gwet's generalisation to missing ratings and weights
// (Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 2-5) as
// coded in irrCAC's *.raw functions:
//   * observed agreement pa averages, over units with two or more ratings,
//     the weighted share of agreeing ordered rating pairs in the unit;
//   * classification probabilities pi_k average r_ik / r_i over every unit
//     with at least one rating, so a unit with a single rating still counts
//     towards chance agreement (this is irrCAC's choice, kept on purpose);
//   * the variance is Gwet's design-based linearisation with a t(n-1)
//     interval and optional finite-population correction.
//
// multi_rater_summary holds sums that are linear over units, so summaries
// built on any split of the units merge (+=) into the single-pass result and
// a unit can be removed (-=) for the jackknife.
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

/// Sufficient statistics of the percent / Fleiss / Gwet / Brennan-Prediger
/// family for one category set and one weight matrix.
///
/// For unit i with r_i ratings, p_i = (r_ik / r_i)_k, pa_i its weighted pair
/// agreement and e_i = [r_i >= 2], it accumulates (each times the unit's
/// frequency weight): n = sum 1, n2 = sum e_i, sum pa_i, sum pa_i^2,
/// sum p_i, sum e_i p_i, sum pa_i p_i, sum p_i p_i^T, the number of
/// unanimous units and each category's pair disagreement.  Gwet's variance
/// is a quadratic form in these sums, so it stays exact after merging.
class multi_rater_summary {
 public:
  multi_rater_summary() = default;
  multi_rater_summary(category_set categories, Eigen::MatrixXd weights);

  /// Adds one unit given as `m` (category index, count) pairs with distinct
  /// categories.  `weight` is a frequency weight (2 = the unit twice).
  void add_unit(const std::int32_t* category, const double* count, std::size_t m, double weight = 1);

  /// Adds one unit given as a dense vector of q category counts.
  void add_unit(const Eigen::Ref<const Eigen::VectorXd>& counts, double weight = 1);

  multi_rater_summary& operator+=(const multi_rater_summary& other) { return combine(other, 1); }
  multi_rater_summary& operator-=(const multi_rater_summary& other) { return combine(other, -1); }

  /// Computes `stat` (percent, unanimous, within, fleiss, gwet,
  /// brennan_prediger or scott) from the sums.  For `within`, build the
  /// summary with tolerance_weights.
  result finish(statistic stat, const options& opts) const;

  const category_set& categories() const { return categories_; }
  const Eigen::MatrixXd& weights() const { return weights_; }
  double n_units() const { return n_; }
  double n_pairable_units() const { return n2_; }
  /// Raters with at least one rating, as told by whoever fed the summary.
  std::size_t n_raters = 0;

 private:
  void check_counts(const Eigen::Ref<const Eigen::VectorXd>& counts) const;

  multi_rater_summary& combine(const multi_rater_summary& other, double sign);

  category_set categories_;
  Eigen::MatrixXd weights_;
  double n_ = 0, n2_ = 0, sum_pa_ = 0, sum_pa2_ = 0, unanimous_ = 0;
  Eigen::VectorXd sum_p_, sum_pairable_p_, sum_pa_p_, sum_disagreement_;
  Eigen::MatrixXd sum_pp_;
};

namespace detail {

/// The first steps of finishing a multi-rater statistic, shared by the
/// summary and the table-free path: the "no units" reasons, then the
/// unanimous share with its design-based interval (the variance of a mean
/// of 0/1 unit scores).  Returns true when `r` is final.
bool finish_without_chance(result& r, statistic stat, double n, double n2, double unanimous,
                                  const options& opts);

/// Fleiss (1971) kappa of each category against the rest, from the pair
/// disagreement on that category (`disagreement[k]` summed over pairable
/// units, `pi[k]` the category's share); undefined when a category is never
/// (or always) used.
template <typename Shares, typename Disagreement>
void set_category_kappas(result& r, const Shares& pi, const Disagreement& disagreement, double n2,
                         const category_set& categories) {
  for (std::size_t k = 0; k < categories.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    const double spread = pi[i] * (1 - pi[i]);
    if (spread > 0) r.per_category[categories.code(k)] = 1 - disagreement[i] / (n2 * spread);
  }
}

}

namespace detail {

/// Feeds a summary from the CSR unit table, each unit with its weight (all
/// 1 when `unit_weights` is empty).
void feed(multi_rater_summary& summary, const unit_counts& table, const std::vector<double>& unit_weights = {});

/// Feeds a summary from a pattern table, each pattern weighted by
/// pattern_units[p] (by its number of units when `pattern_units` is empty).
void feed(multi_rater_summary& summary, const unit_patterns& patterns,
          const std::vector<double>& pattern_units = {});

/// The weights a multi-rater statistic uses under `opts`.
Eigen::MatrixXd family_weights(statistic stat, const options& opts, const category_set& categories);

/// Recodes a coded matrix into "category c" (index 1) versus "any other"
/// (index 0), for Fleiss' kappa of one category against the rest.
coded_ratings one_versus_rest(const coded_ratings& coded, double code);

/// Above this many categories, identity-weighted statistics of the family
/// are computed by multi_rater_without_tables; at or below it, through
/// multi_rater_summary (the mergeable path the published tests pin).
inline constexpr std::size_t multi_rater_table_categories = 64;

/// Whether `stat` under `opts` uses identity weights, so that
/// multi_rater_without_tables applies.
bool identity_family(statistic stat, const options& opts);

/// percent, unanimous, Fleiss, Scott, Gwet's AC1 and Brennan-Prediger with
/// identity weights, in O(ratings + q) memory: the numbers of
/// multi_rater_summary::finish without its q x q weight and sum-of-p p^T
/// tables.  With identity weights a unit's agreeing pairs are
/// sum_k c_k (c_k - 1), and the chance-agreement gradient g is pi (Fleiss,
/// Scott) or (1 - pi) / (q - 1) (AC1), so Gwet's linearised unit scores
/// x_i = A pa_i e_i - A pe e_i - B g.p_i + B pe take a second pass over the
/// units instead of the quadratic form in sum p_i p_i^T.
result multi_rater_without_tables(const coded_ratings& coded, statistic stat, const options& opts);

/// Single-pass computation of a multi-rater statistic on coded ratings.
result multi_rater_from_coded(const coded_ratings& coded, statistic stat, const options& opts);

/// A multi-rater statistic of a raw matrix: from the pattern table when the
/// codes are small integers (the usual case), else from the coded matrix.
result multi_rater_statistic(const ratings_ref& ratings, statistic stat, const options& opts);

}  // namespace detail

// ---------------------------------------------------------------------------
// Public coefficients.  Each reads the matrix in two passes (see
// detail/patterns.hpp) or codes it once and makes one pass.

/// Percent agreement: Gwet's pa, the mean over units of the share of
/// agreeing rating pairs (weighted when options.weights is not identity).
result percent_agreement(const ratings_ref& ratings, const options& opts = {});

/// Share of units (with two or more ratings) on which all raters agree.
result unanimous_agreement(const ratings_ref& ratings, const options& opts = {});

/// Pair agreement where two ratings agree when their category indices
/// differ by at most options.tolerance ("within one level" for 1).
result within_agreement(const ratings_ref& ratings, const options& opts = {});

/// Fleiss' kappa in Gwet's generalised form (missing ratings, weights).
/// Also fills per_category with Fleiss (1971) category-versus-rest kappas.
/// With options.category set, the value is that category against the rest.
result fleiss_kappa(const ratings_ref& ratings, const options& opts = {});

/// Gwet's AC1 (identity weights) or AC2 (any other weights).
result gwet_ac(const ratings_ref& ratings, const options& opts = {});

/// Brennan-Prediger coefficient: chance agreement from a uniform use of the
/// q categories.
result brennan_prediger(const ratings_ref& ratings, const options& opts = {});

/// Scott's pi for exactly two raters on the units both rated: Fleiss'
/// generalised kappa restricted to two raters, with Gwet's variance.
result scott_pi(const ratings_ref& ratings, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/multi_rater-inl.hpp>
#endif
