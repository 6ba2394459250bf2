// Internal to the extension module: each area registers its functions and
// classes on the module object.  One register_<area>.cpp per area.
#pragma once

#include <calibra/agreement/options.hpp>

#include <pybind11/pybind11.h>

#include <string>

namespace calibra::python {

void register_errors(pybind11::module_& m);
void register_framework(pybind11::module_& m);
void register_agreement(pybind11::module_& m);
void register_summaries(pybind11::module_& m);
void register_calibration(pybind11::module_& m);
void register_reports(pybind11::module_& m);
void register_dask(pybind11::module_& m);

// ---- shared by the agreement bindings (register_agreement.cpp) -------------

/// Agreement options from Python keyword arguments.  The names and the
/// kinds of value come from calibra::agreement::visit_options, the one list
/// the CLI and the JSON echo use too; an unknown name is an error that lists
/// the valid ones.  `allowed_extra` names keywords the caller handles itself
/// (they are skipped here).
calibra::agreement::options options_from_kwargs(const pybind11::kwargs& kwargs,
                                                std::initializer_list<const char*> allowed_extra = {});

/// The library's JSON text (calibra/io/*_json.hpp) as Python values:
/// objects become dicts with the keys in the JSON's order, null None.
pybind11::object from_json(const std::string& text);

/// Every option in effect: the JSON of calibra::to_json(options) as a dict.
pybind11::dict options_dict(const calibra::agreement::options& o);

/// A result: the JSON of calibra::to_json(result) as a dict.
pybind11::dict result_dict(const calibra::agreement::result& r);

}  // namespace calibra::python
