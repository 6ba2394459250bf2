// The dispatcher: one call for every agreement statistic, with an optional
// bootstrap interval over units.
//
//   result r = calibra::agreement::agree(ratings, statistic::gwet, opts);
//
// make_resampling_plan exposes, for each statistic, the weighted estimate
// and the fast leave-one-out estimates the bootstrap engine
// (bootstrap.hpp) resamples: every coefficient is computable with
// per-unit frequency weights, and the summary-based ones remove one unit
// from the pooled summary instead of recomputing.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/bootstrap.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/conger.hpp>
#include <calibra/agreement/detail/inference.hpp>
#include <calibra/agreement/detail/patterns.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/krippendorff.hpp>
#include <calibra/agreement/multi_rater.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/weights.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace calibra::agreement {

namespace detail {

double value_or_nan(const result& r);

/// The coded matrix a statistic works on: two-rater statistics use the
/// units both raters rated; Fleiss with options.category the dichotomy.
coded_ratings coded_for(const ratings_ref& ratings, statistic stat, const options& opts);

options effective_options(statistic stat, const options& opts);

/// How a statistic is named when its bootstrap would need q x q tables:
/// every resample rebuilds the summaries, so the bootstrap keeps the table
/// limit even where the point estimate has a table-free path.
std::string bootstrap_title(statistic stat, const options& effective);

/// The resampling plan of the statistics that depend on a unit only through
/// its pattern of category counts (multi-rater family, Krippendorff), when
/// the pattern table applies: a resample sums the drawn counts per pattern
/// (one pass over the units) and finishes a summary of at most a few
/// hundred patterns; the jackknife makes one estimate per pattern.
std::optional<resampling_plan> pattern_plan(const ratings_ref& ratings, statistic stat,
                                                   const options& effective);

}  // namespace detail

/// The resampling plan of `stat` on `ratings` under `opts` (see
/// bootstrap.hpp).  plan.n_units counts the units the statistic uses.
resampling_plan make_resampling_plan(const ratings_ref& ratings, statistic stat, const options& opts = {});

/// Computes `stat` on a units x raters matrix (NaN = missing).  With
/// opts.bootstrap > 0 and a defined value, the analytic interval is
/// replaced by a bootstrap interval over units (see apply_bootstrap).
result agree(const ratings_ref& ratings, statistic stat, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/agree-inl.hpp>
#endif
