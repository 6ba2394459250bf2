// Umbrella header: everything calibra offers.  Prefer the area headers in
// code that cares about compile time.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>
#include <calibra/fwd.hpp>
#include <calibra/version.hpp>

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/framework/competency.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/framework/ladder.hpp>
#include <calibra/framework/quadrant.hpp>
#include <calibra/framework/relative.hpp>
#include <calibra/framework/scale.hpp>

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/interpretation.hpp>
#include <calibra/agreement/long_to_wide.hpp>
#include <calibra/agreement/mergeable.hpp>
#include <calibra/agreement/pairwise.hpp>
#include <calibra/agreement/summaries.hpp>

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/connectivity.hpp>
#include <calibra/calibration/context.hpp>
#include <calibra/calibration/feedback.hpp>
#include <calibra/calibration/meets.hpp>
#include <calibra/calibration/mixed_model.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/calibration/wide_matrix.hpp>

#include <calibra/io/agreement_json.hpp>
#include <calibra/io/calibration_json.hpp>
#include <calibra/io/feedback.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>
#include <calibra/io/wide_csv.hpp>
