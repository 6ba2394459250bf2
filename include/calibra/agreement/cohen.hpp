// Cohen's kappa for two raters, unweighted and weighted, and Light's kappa
// (the mean of Cohen's kappa over pairs of raters).
//
// Standard errors follow Fleiss, Cohen & Everitt (1969), the large-sample
// variance SAS PROC FREQ reports as "ASE" and statsmodels' cohens_kappa
// reproduces; the interval is normal (Wald) and always uses the non-null
// ASE, as SAS does.  The null-hypothesis variance gives the z test, which
// is in extra["z"] and extra["p"] whatever options.cohen_se selects.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::agreement {

/// The q x q contingency table of two raters (rows: first rater, columns:
/// second), the sufficient statistic of Cohen's kappa.
class contingency_summary {
 public:
  contingency_summary() = default;
  contingency_summary(category_set categories, Eigen::MatrixXd weights);

  /// Adds one unit rated `first` by the first rater and `second` by the
  /// second (category indices), with a frequency weight.
  void add_pair(std::int32_t first, std::int32_t second, double weight = 1) { table_(first, second) += weight; }

  contingency_summary& operator+=(const contingency_summary& other) { return combine(other, 1); }
  contingency_summary& operator-=(const contingency_summary& other) { return combine(other, -1); }

  const Eigen::MatrixXd& table() const { return table_; }
  const category_set& categories() const { return categories_; }
  const Eigen::MatrixXd& weights() const { return weights_; }

  /// Cohen's kappa with its Fleiss-Cohen-Everitt standard errors.
  result finish(const options& opts) const;

 private:
  contingency_summary& combine(const contingency_summary& other, double sign);

  category_set categories_;
  Eigen::MatrixXd weights_;
  Eigen::MatrixXd table_;
};

namespace detail {

void require_two_raters(const ratings_ref& ratings, const char* name);

/// Contingency table of raters `a` and `b` over the units both rated.
contingency_summary pair_table(const coded_ratings& coded, Eigen::Index a, Eigen::Index b,
                                      const Eigen::MatrixXd& weights, const std::vector<double>& unit_weights = {});

/// Contingency table of the two columns of `ratings` straight from the raw
/// codes (see tabulate_pair), or nothing when the fast path does not apply.
std::optional<contingency_summary> fast_pair_table(const ratings_ref& ratings, const options& pairs);

options pairs_only(const options& opts);

}  // namespace detail

/// Cohen's kappa of exactly two raters on the units both rated, weighted
/// when options.weights is not identity.
result cohen_kappa(const ratings_ref& ratings, const options& opts = {});

namespace detail {

/// Light's kappa on coded ratings: mean Cohen's kappa over rater pairs that
/// share at least two units and have a defined kappa.
result light_from_coded(const coded_ratings& coded, const options& opts,
                               const std::vector<double>& unit_weights = {});

}  // namespace detail

namespace detail {

/// Cohen's kappa of a q x q table (row-major, `n` units) under weights `w`,
/// value only, as contingency_summary::finish computes it; NaN when undefined.
double kappa_value(const double* table, double n, const Eigen::MatrixXd& w, double* row, double* col);

/// Light's kappa as the mean of the `pairs` defined pair kappas summing to
/// `sum` (`skipped` pairs were undefined), with the reason when there is
/// none; shared by both Light paths.
void finish_light(result& r, double sum, double pairs, double skipped);

/// Light's kappa from per-rater bitsets (detail/patterns.hpp: code_small,
/// make_rater_bitsets): each pair's agreement and margins by AND and
/// popcount over 64 units at a time.  Nothing when the codes are not small
/// integers (the general path then applies and reports bad codes).
std::optional<result> light_from_bitsets(const ratings_ref& ratings, const options& opts);

/// Leave-one-out Light's kappa of every coded unit, for the BCa
/// acceleration: the rater pairs' tables are built once, and each unit is
/// taken out of the tables of the pairs it belongs to and put back.
/// O(units x pairs x q^2) instead of one full pass per unit.
std::vector<double> light_jackknife(const coded_ratings& coded, const options& opts);

}  // namespace detail

/// Light's kappa: the mean of Cohen's kappa over every pair of raters that
/// rated at least two units in common (pairs whose kappa is undefined are
/// left out and counted in extra["undefined_pairs"]).  No analytic standard
/// error; use options.bootstrap through agree() for an interval.
result light_kappa(const ratings_ref& ratings, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/cohen-inl.hpp>
#endif
