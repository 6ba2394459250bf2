// Implementation of <calibra/agreement/agree.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/agreement/agree.hpp>

#include <calibra/agreement/bootstrap.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/conger.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/krippendorff.hpp>
#include <calibra/agreement/mergeable.hpp>
#include <calibra/agreement/multi_rater.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace calibra::agreement::detail {

CALIBRA_INLINE double value_or_nan(const result& r) {
  return r.value ? *r.value : std::numeric_limits<double>::quiet_NaN();
}

CALIBRA_INLINE coded_ratings coded_for(const ratings_ref& ratings, statistic stat, const options& opts) {
  const bool two_rater = stat == statistic::cohen || stat == statistic::scott;
  if (two_rater) require_two_raters(ratings, stat == statistic::cohen ? "Cohen's kappa" : "Scott's pi");
  coded_ratings coded = code_ratings(ratings, two_rater ? pairs_only(opts) : opts);
  if (stat == statistic::fleiss && opts.category) coded = one_versus_rest(coded, *opts.category);
  return coded;
}

CALIBRA_INLINE options effective_options(statistic stat, const options& opts) {
  options effective = opts;
  if (stat == statistic::cohen || stat == statistic::scott) effective.missing = missing_policy::listwise;
  if (stat == statistic::fleiss && opts.category) effective.weights = weight_scheme::identity;
  return effective;
}

CALIBRA_INLINE std::string bootstrap_title(statistic stat, const options& effective) {
  const std::string name =
      stat == statistic::krippendorff ? krippendorff_title(effective.level) : weighted_title(stat, effective);
  return name + " with a bootstrap";
}

CALIBRA_INLINE std::optional<resampling_plan> pattern_plan(const ratings_ref& ratings, statistic stat,
                                                   const options& effective) {
  // Fleiss of one category against the rest recodes the ratings first.
  const bool family = has_multi_rater_summary(stat) && !(stat == statistic::fleiss && effective.category);
  if (!family && stat != statistic::krippendorff) return std::nullopt;
  if (stat == statistic::scott) require_two_raters(ratings, "Scott's pi");
  if (stat == statistic::krippendorff && effective.weights != weight_scheme::identity)
    throw invalid_argument("agreement", "Krippendorff's alpha takes its distance from options.level; "
                                        "options.weights must stay 'identity'");
  std::optional<unit_patterns> tabulated = tabulate_patterns(ratings, effective, true);
  if (!tabulated) return std::nullopt;
  check_table_categories(tabulated->categories.size(), bootstrap_title(stat, effective));
  auto patterns = std::make_shared<const unit_patterns>(std::move(*tabulated));
  resampling_plan plan;
  plan.n_units = patterns->n_units;
  if (family) {
    const Eigen::MatrixXd weights = family_weights(stat, effective, patterns->categories);
    auto summarise = [=](const std::vector<double>& pattern_units) {
      multi_rater_summary summary(patterns->categories, weights);
      feed(summary, *patterns, pattern_units);
      return summary;
    };
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      std::vector<double> pattern_units;
      pattern_weights(*patterns, unit_weights, pattern_units);
      return value_or_nan(summarise(pattern_units).finish(stat, effective));
    };
    plan.jackknife = [=]() {
      const multi_rater_summary all = summarise(patterns->units);
      std::vector<std::int32_t> category(patterns->max_entries());
      std::vector<double> count(patterns->max_entries());
      return jackknife_by_pattern(*patterns, [&](std::size_t p) {
        multi_rater_summary unit(patterns->categories, weights);
        unit.add_unit(category.data(), count.data(), patterns->pattern(p, category.data(), count.data()));
        multi_rater_summary without = all;
        without -= unit;
        return value_or_nan(without.finish(stat, effective));
      });
    };
    return plan;
  }
  const measurement_level level = effective.level;
  plan.estimate = [=](const std::vector<double>& unit_weights) {
    std::vector<double> pattern_units;
    pattern_weights(*patterns, unit_weights, pattern_units);
    return value_or_nan(krippendorff_from_patterns(*patterns, level, pattern_units).finish(effective));
  };
  plan.jackknife = [=]() {
    const krippendorff_summary all = krippendorff_from_patterns(*patterns, level);
    std::optional<Eigen::MatrixXd> weights;
    if (level == measurement_level::ordinal)
      weights = krippendorff_weights(level, patterns->categories.codes(), pairable_marginals(*patterns));
    std::vector<std::int32_t> category(patterns->max_entries());
    std::vector<double> count(patterns->max_entries());
    return jackknife_by_pattern(*patterns, [&](std::size_t p) {
      krippendorff_summary unit(patterns->categories, level, weights);
      unit.add_unit(category.data(), count.data(), patterns->pattern(p, category.data(), count.data()));
      krippendorff_summary without = all;
      without -= unit;
      return value_or_nan(without.finish(effective));
    });
  };
  return plan;
}

}  // namespace calibra::agreement::detail

namespace calibra::agreement {

CALIBRA_INLINE resampling_plan make_resampling_plan(const ratings_ref& ratings, statistic stat, const options& opts) {
if (stat == statistic::icc) return icc_resampling_plan(ratings, opts);
const options effective = detail::effective_options(stat, opts);
if (std::optional<resampling_plan> plan = detail::pattern_plan(ratings, stat, effective)) return std::move(*plan);
auto coded = std::make_shared<const coded_ratings>(detail::coded_for(ratings, stat, opts));
detail::check_table_categories(coded->categories.size(), detail::bootstrap_title(stat, effective));
resampling_plan plan;
plan.n_units = coded->n_units();

switch (stat) {
  case statistic::percent:
  case statistic::unanimous:
  case statistic::within:
  case statistic::fleiss:
  case statistic::gwet:
  case statistic::brennan_prediger:
  case statistic::scott: {
    auto table = std::make_shared<const detail::unit_counts>(detail::count_units(*coded));
    const Eigen::MatrixXd weights = detail::family_weights(stat, effective, coded->categories);
    const category_set categories = coded->categories;
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      multi_rater_summary summary(categories, weights);
      detail::feed(summary, *table, unit_weights);
      return detail::value_or_nan(summary.finish(stat, effective));
    };
    plan.jackknife = [=]() {
      multi_rater_summary all(categories, weights);
      detail::feed(all, *table);
      std::vector<double> leave_one_out(table->n_units());
      for (std::size_t u = 0; u < table->n_units(); ++u) {
        multi_rater_summary unit(categories, weights);
        const std::size_t b = table->offsets[u];
        unit.add_unit(table->category.data() + b, table->count.data() + b, table->offsets[u + 1] - b);
        multi_rater_summary without = all;
        without -= unit;
        leave_one_out[u] = detail::value_or_nan(without.finish(stat, effective));
      }
      return leave_one_out;
    };
    break;
  }
  case statistic::cohen: {
    const Eigen::MatrixXd weights = weights_for(effective, coded->categories.codes());
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      return detail::value_or_nan(detail::pair_table(*coded, 0, 1, weights, unit_weights).finish(effective));
    };
    plan.jackknife = [=]() {
      const contingency_summary all = detail::pair_table(*coded, 0, 1, weights);
      std::vector<double> leave_one_out(coded->n_units());
      for (Eigen::Index u = 0; u < coded->index.rows(); ++u) {
        contingency_summary without = all;
        without.add_pair(coded->index(u, 0), coded->index(u, 1), -1);
        leave_one_out[static_cast<std::size_t>(u)] = detail::value_or_nan(without.finish(effective));
      }
      return leave_one_out;
    };
    break;
  }
  case statistic::krippendorff: {
    if (effective.weights != weight_scheme::identity)
      throw invalid_argument("agreement", "Krippendorff's alpha takes its distance from options.level; "
                                          "options.weights must stay 'identity'");
    auto table = std::make_shared<const detail::unit_counts>(detail::count_units(*coded));
    const category_set categories = coded->categories;
    const measurement_level level = effective.level;
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      return detail::value_or_nan(
          detail::krippendorff_from_table(*table, categories, level, unit_weights).finish(effective));
    };
    plan.jackknife = [=]() {
      const krippendorff_summary all = detail::krippendorff_from_table(*table, categories, level);
      std::optional<Eigen::MatrixXd> weights;
      if (level == measurement_level::ordinal)
        weights = krippendorff_weights(level, categories.codes(), detail::pairable_marginals(*table));
      std::vector<double> leave_one_out(table->n_units());
      for (std::size_t u = 0; u < table->n_units(); ++u) {
        krippendorff_summary unit(categories, level, weights);
        const std::size_t b = table->offsets[u];
        unit.add_unit(table->category.data() + b, table->count.data() + b, table->offsets[u + 1] - b);
        krippendorff_summary without = all;
        without -= unit;
        leave_one_out[u] = detail::value_or_nan(without.finish(effective));
      }
      return leave_one_out;
    };
    break;
  }
  case statistic::conger:
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      return detail::value_or_nan(detail::conger_from_coded(*coded, effective, unit_weights));
    };
    plan.jackknife = [=]() { return detail::conger_jackknife(*coded, effective); };
    break;
  case statistic::light:
    plan.estimate = [=](const std::vector<double>& unit_weights) {
      return detail::value_or_nan(detail::light_from_coded(*coded, effective, unit_weights));
    };
    plan.jackknife = [=]() { return detail::light_jackknife(*coded, effective); };
    break;
  case statistic::icc:
    break;
}
  return plan;
}

CALIBRA_INLINE result agree(const ratings_ref& ratings, statistic stat, const options& opts) {
detail::check_confidence(opts.confidence);
result r;
switch (stat) {
  case statistic::percent: r = percent_agreement(ratings, opts); break;
  case statistic::unanimous: r = unanimous_agreement(ratings, opts); break;
  case statistic::within: r = within_agreement(ratings, opts); break;
  case statistic::cohen: r = cohen_kappa(ratings, opts); break;
  case statistic::scott: r = scott_pi(ratings, opts); break;
  case statistic::fleiss: r = fleiss_kappa(ratings, opts); break;
  case statistic::conger: r = conger_kappa(ratings, opts); break;
  case statistic::light: r = light_kappa(ratings, opts); break;
  case statistic::krippendorff: r = krippendorff_alpha(ratings, opts); break;
  case statistic::gwet: r = gwet_ac(ratings, opts); break;
  case statistic::brennan_prediger: r = brennan_prediger(ratings, opts); break;
  case statistic::icc: return icc(ratings, opts);  // applies its own bootstrap
}
  r.stat = stat;
  if (opts.bootstrap > 0 && r.value) apply_bootstrap(r, make_resampling_plan(ratings, stat, opts), opts);
  return r;
}

}  // namespace calibra::agreement
