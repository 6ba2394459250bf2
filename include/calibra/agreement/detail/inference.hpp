// Shared pieces of the agreement engine: option checks, intervals, and the
// compact per-unit category counts every multi-rater coefficient starts from.
#pragma once

#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace calibra::agreement::detail {

inline void check_confidence(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw invalid_argument("agreement", "confidence is " + std::to_string(confidence) +
                                            "; expected a level strictly between 0 and 1, e.g. 0.95");
}

/// Sampling fraction n/N of Gwet's finite-population correction (0 when the
/// population is infinite, options::population_units == 0).
inline double sampling_fraction(double n_units, double population_units) {
  if (population_units == 0) return 0;
  if (!(population_units >= n_units) || !std::isfinite(population_units))
    throw invalid_argument("agreement", "population_units is " + std::to_string(population_units) +
                                            "; expected 0 (infinite population) or at least the " +
                                            std::to_string(n_units) + " units rated");
  return n_units / population_units;
}

/// The kappa-type value (pa - pe) / (1 - pe) into r.value, with pa and pe
/// as r.observed and r.chance.  Returns false, with the reason, when chance
/// agreement is 1: there is no disagreement left to correct for.
inline bool set_chance_corrected(result& r, double pa, double pe, std::size_t categories) {
  r.observed = pa;
  r.chance = pe;
  if (1 - pe <= 1e-12) {
    r.reason = categories < 2 ? "chance agreement is 1: only one category (declare the scale in options.categories)"
                              : "chance agreement is 1: every rating is in one category";
    return false;
  }
  r.value = (pa - pe) / (1 - pe);
  return true;
}

/// Fills se, the t(n-1) interval and a two-sided p-value from a
/// design-based variance, as irrCAC does: the upper bound is capped at 1,
/// the largest value any agreement coefficient can take.
inline void set_t_interval(result& r, double variance, double n_units, const options& opts) {
  if (!r.value || !(n_units >= 2)) return;
  const double se = std::sqrt(std::max(variance, 0.0));
  const double df = n_units - 1;
  const boost::math::students_t t(df);
  const double half = se * boost::math::quantile(t, 1 - (1 - opts.confidence) / 2);
  r.se = se;
  r.ci_low = *r.value - half;
  r.ci_high = std::min(1.0, *r.value + half);
  r.ci_method = "t(n-1)";
  r.extra["df"] = df;
  if (se > 0) r.extra["p"] = 2 * boost::math::cdf(boost::math::complement(t, std::abs(*r.value / se)));
}

inline double normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }
inline double normal_two_sided_p(double z) {
  return 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::abs(z)));
}

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

inline unit_counts count_units(const coded_ratings& coded) {
  unit_counts table;
  table.q = coded.categories.size();
  const auto n = static_cast<Eigen::Index>(coded.n_units());
  const auto raters = coded.index.cols();
  const auto per_unit = static_cast<std::size_t>(std::min<Eigen::Index>(raters, static_cast<Eigen::Index>(table.q)));
  table.offsets.resize(static_cast<std::size_t>(n) + 1);
  table.category.resize(static_cast<std::size_t>(n) * per_unit);
  table.count.resize(static_cast<std::size_t>(n) * per_unit);
  std::vector<double> scratch(table.q, 0.0);
  std::size_t used = 0;
  const std::int32_t* column_start = coded.index.data();
  for (Eigen::Index u = 0; u < n; ++u) {
    const std::size_t begin = used;
    for (Eigen::Index j = 0; j < raters; ++j) {
      const std::int32_t k = column_start[j * n + u];
      if (k == missing_index) continue;
      if (scratch[static_cast<std::size_t>(k)]++ == 0) {
        // Insertion keeps each unit's categories sorted, so the table does
        // not depend on the order of the raters.
        std::size_t at = used++;
        while (at > begin && table.category[at - 1] > k) {
          table.category[at] = table.category[at - 1];
          --at;
        }
        table.category[at] = k;
      }
    }
    for (std::size_t e = begin; e < used; ++e) {
      const auto k = static_cast<std::size_t>(table.category[e]);
      table.count[e] = scratch[k];
      scratch[k] = 0;
    }
    table.offsets[static_cast<std::size_t>(u) + 1] = used;
  }
  table.category.resize(used);
  table.count.resize(used);
  return table;
}

/// Number of raters with at least one rating among the coded units.
inline std::size_t active_raters(const coded_ratings& coded) {
  std::size_t active = 0;
  for (Eigen::Index j = 0; j < coded.index.cols(); ++j)
    if ((coded.index.col(j).array() != missing_index).any()) ++active;
  return active;
}

/// Options as reported back in result::used: the caller's options with the
/// category set actually used filled in.
inline options used_options(const options& opts, const category_set& categories) {
  options used = opts;
  used.categories = categories.codes();
  return used;
}

}  // namespace calibra::agreement::detail
