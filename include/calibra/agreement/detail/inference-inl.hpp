// Implementation of <calibra/agreement/detail/inference.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/detail/inference.hpp>

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

CALIBRA_INLINE void check_confidence(double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw invalid_argument("agreement", "confidence is " + std::to_string(confidence) +
                                            "; expected a level strictly between 0 and 1, e.g. 0.95");
}

CALIBRA_INLINE double sampling_fraction(double n_units, double population_units) {
  if (population_units == 0) return 0;
  if (!(population_units >= n_units) || !std::isfinite(population_units))
    throw invalid_argument("agreement", "population_units is " + std::to_string(population_units) +
                                            "; expected 0 (infinite population) or at least the " +
                                            std::to_string(n_units) + " units rated");
  return n_units / population_units;
}

CALIBRA_INLINE bool set_chance_corrected(result& r, double pa, double pe, std::size_t categories) {
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

CALIBRA_INLINE void set_t_interval(result& r, double variance, double n_units, const options& opts) {
  if (!r.value || !(n_units >= 2)) return;
  const double se = std::sqrt(std::max(variance, 0.0));
  const double df = n_units - 1;
  const boost::math::students_t t(df);
  r.se = se;
  set_bounded_interval(r, se, boost::math::quantile(t, 1 - (1 - opts.confidence) / 2), n_units, "t(n-1)");
  r.extra["df"] = df;
  if (se > 0) r.extra["p"] = 2 * boost::math::cdf(boost::math::complement(t, std::abs(*r.value / se)));
}

CALIBRA_INLINE interval_kind interval_kind_of(statistic stat) {
  switch (stat) {
    case statistic::percent:
    case statistic::unanimous:
    case statistic::within: return interval_kind::proportion;
    default: return interval_kind::coefficient;
  }
}

CALIBRA_INLINE void set_bounded_interval(result& r, double se, double quantile, double n_units,
                                         const std::string& method_suffix) {
  if (!r.value) return;
  const double v = *r.value;
  double low = v, high = v;
  if (interval_kind_of(r.stat) == interval_kind::proportion) {
    r.ci_method = "wilson " + method_suffix;
    const double p = std::clamp(v, 0.0, 1.0);
    const bool at_edge = p <= 0 || p >= 1;
    // Every unit alike inside (0, 1): no spread, a zero-width interval.
    const double n_eff = at_edge ? n_units : (se > 0 ? p * (1 - p) / (se * se) : 0.0);
    if (n_eff > 0) {
      const double z2 = quantile * quantile;
      const double denominator = 1 + z2 / n_eff;
      const double centre = (p + z2 / (2 * n_eff)) / denominator;
      const double half = quantile / denominator * std::sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff * n_eff));
      low = std::clamp(centre - half, 0.0, p);
      high = std::clamp(centre + half, p, 1.0);
    }
  } else {
    r.ci_method = "fisher-z " + method_suffix;
    if (se > 0 && std::abs(v) < 1) {
      const double z = std::atanh(v);
      const double half = quantile * se / (1 - v * v);
      low = std::min(v, std::tanh(z - half));
      high = std::max(v, std::tanh(z + half));
    } else if (se > 0) {
      low = v - quantile * se;
      if (v >= -1) low = std::max(-1.0, low);
      high = std::min(1.0, v + quantile * se);
    }
  }
  r.ci_low = low;
  r.ci_high = high;
}

CALIBRA_INLINE double normal_quantile(double p) { return boost::math::quantile(boost::math::normal(), p); }

CALIBRA_INLINE double normal_two_sided_p(double z) {
  return 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::abs(z)));
}

CALIBRA_INLINE unit_counts count_units(const coded_ratings& coded) {
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

CALIBRA_INLINE std::size_t active_raters(const coded_ratings& coded) {
  std::size_t active = 0;
  for (Eigen::Index j = 0; j < coded.index.cols(); ++j)
    if ((coded.index.col(j).array() != missing_index).any()) ++active;
  return active;
}

CALIBRA_INLINE options used_options(const options& opts, const category_set& categories) {
  options used = opts;
  used.categories = categories.codes();
  return used;
}

}  // namespace calibra::agreement::detail
