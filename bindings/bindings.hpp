// Internal to the extension module: each area registers its functions and
// classes on the module object.  One register_<area>.cpp per area.
#pragma once

#include <calibra/agreement/options.hpp>

#include <pybind11/pybind11.h>

namespace calibra::python {

void register_errors(pybind11::module_& m);
void register_framework(pybind11::module_& m);
void register_agreement(pybind11::module_& m);
void register_summaries(pybind11::module_& m);
void register_calibration(pybind11::module_& m);
void register_reports(pybind11::module_& m);

// ---- shared by the agreement bindings (register_agreement.cpp) -------------

/// Agreement options from Python keyword arguments.  The names and the
/// kinds of value come from calibra::agreement::visit_options, the one list
/// the CLI and the JSON echo use too; an unknown name is an error that lists
/// the valid ones.  `allowed_extra` names keywords the caller handles itself
/// (they are skipped here).
calibra::agreement::options options_from_kwargs(const pybind11::kwargs& kwargs,
                                                std::initializer_list<const char*> allowed_extra = {});

/// Every option in effect, in the CLI's spelling (the layout of the JSON echo).
pybind11::dict options_dict(const calibra::agreement::options& o);

/// A result as a dict, in the layout of `calibra agree --json`.
pybind11::dict result_dict(const calibra::agreement::result& r);

}  // namespace calibra::python
