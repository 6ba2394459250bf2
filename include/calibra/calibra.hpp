// Umbrella header: everything calibra offers.  Prefer the area headers in
// code that cares about compile time.
#pragma once

#include <calibra/error.hpp>
#include <calibra/version.hpp>

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/framework/competency.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/framework/ladder.hpp>
#include <calibra/framework/quadrant.hpp>
#include <calibra/framework/relative.hpp>
#include <calibra/framework/scale.hpp>

#include <calibra/io/files.hpp>
#include <calibra/io/framework_json.hpp>

#include <calibra/agreement/options.hpp>
