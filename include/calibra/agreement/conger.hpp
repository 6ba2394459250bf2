// Conger's (1980) kappa: chance agreement from each rater's own category
// distribution, in Gwet's generalised form for missing ratings and weights
// (irrCAC conger.kappa.raw), with Gwet's design-based variance.
//
// Unlike the Fleiss/Gwet family, the variance needs each unit's ratings
// rater by rater against the final per-rater distributions, which no
// summary of fixed size captures without a tensor over rater pairs and
// category pairs; Conger is therefore computed from the ratings themselves
// (two passes over the matrix coded to a byte per rating, or the coded
// matrix on the general path) and is not offered as a mergeable summary.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/categories.hpp>
#include <calibra/agreement/detail/inference.hpp>
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

result conger_from_coded(const coded_ratings& coded, const options& opts,
                                const std::vector<double>& unit_weights = {});

/// Conger's kappa from the matrix coded to a byte per rating
/// (detail/patterns.hpp: code_small) and two passes over it in blocks of
/// units (each rater's classification counts and each unit's pair
/// agreement, then each unit's chance term); nothing when the fast path
/// does not apply (listwise deletion, unusual codes).
std::optional<result> conger_from_patterns(const ratings_ref& ratings, const options& opts);

/// Conger's kappa from its pieces that are linear over units: the raters x q
/// classification counts, the number of pairable units and the sum of the
/// units' pair agreements.  Follows conger_from_coded; NaN when undefined.
double conger_value(const Eigen::MatrixXd& classified, double n2, double sum_pa, const Eigen::MatrixXd& W);

/// Leave-one-out Conger's kappa of every coded unit, for the BCa
/// acceleration: the linear pieces are taken once and each unit's share is
/// removed and put back, so the cost is O(units x raters x q^2) instead of
/// one full pass per unit.
std::vector<double> conger_jackknife(const coded_ratings& coded, const options& opts);

}  // namespace detail

/// Conger's kappa for two or more raters with missing ratings allowed.
result conger_kappa(const ratings_ref& ratings, const options& opts = {});

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/conger-inl.hpp>
#endif
