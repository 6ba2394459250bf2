// The mergeable sufficient statistics of the agreement engine, in one
// include.  Each summary is linear over units: add_unit with a frequency
// weight, += to merge summaries built on any split of the units, -= to take
// units out (the jackknife), finish(options) for the result.
//
//   multi_rater_summary   percent, unanimous, within, Fleiss, Gwet AC1/AC2,
//                         Brennan-Prediger, Scott        (multi_rater.hpp)
//   contingency_summary   Cohen's kappa                  (cohen.hpp)
//   krippendorff_summary  Krippendorff's alpha           (krippendorff.hpp)
//   icc_summary           intraclass correlation         (icc.hpp)
//
// Conger's and Light's kappas have no compact summary (see conger.hpp and
// docs/agreement.md) and are computed from the rating matrix.
#pragma once

#include <calibra/agreement/cohen.hpp>
#include <calibra/agreement/krippendorff.hpp>
#include <calibra/agreement/multi_rater.hpp>
