// The probability that a person meets a set of thresholds, from the
// posterior of their scores.  Readiness ("meets every promotion-gap
// competency of the next step") and level inference ("meets every
// expectation of this career level") are both this question.
//
// The posterior of one person's scores across competencies is taken as
//
//   score_c = value_c + shared_sd * z_0 + specific_sd_c * z_c,   z ~ N(0, 1) independent,
//
// with specific_sd_c = sqrt(sd_c^2 - shared_sd^2): a part shared by every
// competency (how good the person is overall, and how sure we are of it)
// and a part of each competency's own.  The shared part makes the
// competencies' errors positively correlated, so treating them as
// independent would understate the chance of meeting all of them.  Given
// z_0 the competencies are independent, so
//
//   P(every score_c >= threshold_c) = E over z_0 of prod_c Phi((value_c + shared_sd z_0 - threshold_c) / specific_sd_c),
//
// a one-dimensional integral done by 40-point Gauss-Hermite quadrature.
#pragma once

#include <calibra/config.hpp>

#include <vector>

namespace calibra::calibration {

namespace detail {
/// The standard normal CDF, Phi(x): the one the ratee analyses and the
/// severity flags share.
double normal_cdf(double x);
}  // namespace detail

/// P(score_c >= threshold_c for every c), under the model above.  `value`,
/// `sd` and `threshold` are per competency; a competency whose value is NaN
/// is left out, one whose sd is 0 or NaN counts as known exactly.
/// `shared_sd` is clamped to the smallest finite sd.  Returns 1 when no
/// competency is left.  Throws invalid_argument on mismatched lengths.
double probability_meets_all(const std::vector<double>& value, const std::vector<double>& sd, double shared_sd,
                             const std::vector<double>& threshold);

}  // namespace calibra::calibration

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/calibration/meets-inl.hpp>
#endif
