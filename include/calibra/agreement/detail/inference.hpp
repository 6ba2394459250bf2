// Shared pieces of the agreement engine: option checks, intervals, and the
// compact per-unit category counts every multi-rater coefficient starts from.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace calibra::agreement::detail {

void check_confidence(double confidence);

/// Sampling fraction n/N of Gwet's finite-population correction (0 when the
/// population is infinite, options::population_units == 0).
double sampling_fraction(double n_units, double population_units);

/// The kappa-type value (pa - pe) / (1 - pe) into r.value, with pa and pe
/// as r.observed and r.chance.  Returns false, with the reason, when chance
/// agreement is 1: there is no disagreement left to correct for.
bool set_chance_corrected(result& r, double pa, double pe, std::size_t categories);

/// Fills se, a bounded interval and a two-sided p-value from a design-based
/// variance (Gwet's linearisation, as irrCAC computes it).  The interval is
/// set_bounded_interval's at the t(n-1) quantile; the p-value is the t(n-1)
/// test of value / se, on the coefficient's own scale.
void set_t_interval(result& r, double variance, double n_units, const options& opts);

/// How an interval is kept inside the range of its coefficient.
enum class interval_kind {
  proportion,  // percent, unanimous, within: [0, 1], Wilson score interval
  coefficient  // chance-corrected coefficients and alpha: at most 1, Fisher z
};

interval_kind interval_kind_of(statistic stat);

/// Sets r.ci_low / r.ci_high from r.value, the standard error `se` and the
/// two-sided quantile `quantile` (normal or t), inside the coefficient's range:
///   - proportions: Wilson's (1927) score interval with the effective sample
///     size n_eff = p (1 - p) / se^2 (Kish 1965; Korn & Graubard 1998 use the
///     same n_eff in Clopper-Pearson), and n_eff = n_units when p is 0 or 1;
///   - coefficients in (-1, 1): Fisher's z, tanh(atanh(v) +- quantile se /
///     (1 - v^2)), as Lin (1989) does for the concordance correlation (which
///     equals the quadratic-weighted kappa);
///   - a coefficient at or beyond +-1: the symmetric interval with its upper
///     bound capped at 1 (and its lower at -1 when the value is not below -1).
/// r.ci_method is set to `method_suffix` prefixed by "wilson " or "fisher-z ".
void set_bounded_interval(result& r, double se, double quantile, double n_units, const std::string& method_suffix);

double normal_quantile(double p);
double normal_two_sided_p(double z);

/// Each unit's ratings as (category, count) pairs: a compact CSR table built
/// in one pass over the coded matrix.  Units without ratings are skipped by
/// code_ratings already, so every unit here has at least one rating.
struct unit_counts {
  std::vector<std::size_t> offsets{0};  // unit u owns entries [offsets[u], offsets[u+1])
  std::vector<std::int32_t> category;
  std::vector<double> count;
  std::size_t q = 0;

  std::size_t n_units() const { return offsets.size() - 1; }
};

/// Calls visit(category, count, m) for each coded unit with its ratings as
/// `m` (category index, count) pairs, categories ascending, straight from
/// the coded matrix: no per-call table is allocated.
template <typename Visit>
void for_each_unit(const coded_ratings& coded, Visit&& visit) {
  const auto n = static_cast<Eigen::Index>(coded.n_units());
  const auto raters = coded.index.cols();
  std::vector<double> scratch(coded.categories.size(), 0.0);
  std::vector<std::int32_t> category(static_cast<std::size_t>(raters));
  std::vector<double> count(static_cast<std::size_t>(raters));
  const std::int32_t* cells = coded.index.data();
  for (Eigen::Index u = 0; u < n; ++u) {
    std::size_t m = 0;
    for (Eigen::Index j = 0; j < raters; ++j) {
      const std::int32_t k = cells[j * n + u];
      if (k == missing_index) continue;
      if (scratch[static_cast<std::size_t>(k)]++ == 0) {
        std::size_t at = m++;
        while (at > 0 && category[at - 1] > k) {
          category[at] = category[at - 1];
          --at;
        }
        category[at] = k;
      }
    }
    for (std::size_t e = 0; e < m; ++e) {
      count[e] = scratch[static_cast<std::size_t>(category[e])];
      scratch[static_cast<std::size_t>(category[e])] = 0;
    }
    visit(static_cast<std::size_t>(u), category.data(), count.data(), m);
  }
}

unit_counts count_units(const coded_ratings& coded);

/// Number of raters with at least one rating among the coded units.
std::size_t active_raters(const coded_ratings& coded);

/// Options as reported back in result::used: the caller's options with the
/// category set actually used filled in.
options used_options(const options& opts, const category_set& categories);

}  // namespace calibra::agreement::detail

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/detail/inference-inl.hpp>
#endif
