// Internal to the extension module: each area registers its functions and
// classes on the module object.  One register_<area>.cpp per area.
#pragma once

#include <pybind11/pybind11.h>

namespace calibra::python {

void register_errors(pybind11::module_& m);
void register_framework(pybind11::module_& m);
void register_agreement(pybind11::module_& m);

}  // namespace calibra::python
