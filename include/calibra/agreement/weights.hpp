// Agreement weights: the one place every weighted coefficient gets its
// q x q matrix from.
//
// The predefined schemes follow Gwet (2014), Handbook of Inter-Rater
// Reliability, ch. 3, as implemented by irrCAC's weights.gen.r: linear,
// quadratic, radical, ratio, circular and bipolar weights are functions of
// the category VALUES (not their ranks), so a scale 1,2,3,5 puts 3 and 5 two
// units apart; ordinal weights use ranks only.  Weight 1 means full
// agreement, 0 none.
#pragma once

#include <calibra/config.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace calibra::agreement {

/// The most categories for which a coefficient builds q x q tables (weights,
/// pair probabilities, a contingency or coincidence matrix).  At 2048 one
/// table of doubles takes 32 MiB and the hungriest statistic keeps about
/// eight; past it the tables grow quadratically (2 x 10^5 distinct
/// continuous values would ask for 320 GB each), so calibra refuses with an
/// invalid_argument instead.  Krippendorff's alpha at the nominal, ordinal
/// and interval levels and the identity-weighted percent, unanimous,
/// Fleiss, Gwet and Brennan-Prediger coefficients need no such table and
/// have no limit.
inline constexpr std::size_t max_table_categories = 2048;

namespace detail {

/// Throws calibra::invalid_argument when `q` categories are more than
/// max_table_categories; `statistic_text` names what needs the tables
/// ("Cohen's kappa", "Fleiss' kappa with quadratic weights", ...).
void check_table_categories(std::size_t q, const std::string& statistic_text);

/// The name of a statistic in a message: "Cohen's kappa", "Fleiss' kappa".
std::string statistic_title(statistic stat);

/// statistic_title, with " (quadratic weights)" when the weights are not identity.
std::string weighted_title(statistic stat, const options& opts);

}  // namespace detail

/// Builds the weight matrix of a predefined scheme for sorted, distinct
/// category codes.  `weight_scheme::custom` is not a scheme: pass the matrix
/// through validate_weights instead.
Eigen::MatrixXd make_weights(weight_scheme scheme, const std::vector<double>& categories);

/// Checks a caller-supplied weight matrix for q categories: q x q, finite,
/// symmetric, entries in [0, 1] and 1 on the diagonal.
void validate_weights(const Eigen::MatrixXd& weights, std::size_t q);

/// The weight matrix the options ask for, for these categories: the
/// validated custom matrix or the generated scheme.
Eigen::MatrixXd weights_for(const options& opts, const std::vector<double>& categories);

/// Weights that count a pair of ratings as agreeing when their category
/// indices differ by at most `tolerance` (the `within` statistic).
Eigen::MatrixXd tolerance_weights(std::size_t q, int tolerance);

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/weights-inl.hpp>
#endif
