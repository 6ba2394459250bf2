// calibra._core: the compiled half of the Python package.  It stays close
// to the C++ API and returns plain Python values (lists, dicts, numpy
// arrays); the pure-Python layer in python/calibra turns those into pandas
// objects, so pandas never enters C++.
#include "bindings.hpp"

#include <calibra/error.hpp>
#include <calibra/version.hpp>

#include <exception>

namespace py = pybind11;

namespace calibra::python {
namespace {

// Exception classes live for the whole process: they are created once at
// import and deliberately never released, so no Python object is touched
// after the interpreter has shut down.
struct exception_types {
  PyObject* error = nullptr;
  PyObject* parse = nullptr;
  PyObject* validation = nullptr;
  PyObject* invalid_argument = nullptr;
  PyObject* degenerate = nullptr;
};

exception_types& types() {
  static exception_types instance;
  return instance;
}

PyObject* new_exception_type(py::module_& m, const char* name, PyObject* bases, const char* doc) {
  const std::string qualified = "calibra." + std::string(name);
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (!type) throw py::error_already_set();
  m.add_object(name, py::reinterpret_borrow<py::object>(type));
  return type;
}

/// Raises `type(message)` with the stable error id attached as `.id`, so
/// Python callers can match on it exactly as C++ callers match on id().
void raise(PyObject* type, const calibra::error& e) {
  py::object instance = py::reinterpret_borrow<py::object>(type)(e.what());
  instance.attr("id") = e.id();
  PyErr_SetObject(type, instance.ptr());
}

}  // namespace

void register_errors(py::module_& m) {
  exception_types& t = types();
  t.error = new_exception_type(m, "Error", PyExc_Exception,
                               "Base class of every calibra error; .id holds the stable error id.");
  py::tuple single_base = py::make_tuple(py::handle(t.error));
  t.parse = new_exception_type(m, "ParseError", single_base.ptr(),
                               "Input bytes cannot be read as their format (JSON, CSV).");
  t.validation = new_exception_type(m, "ValidationError", single_base.ptr(),
                                    "Input parses but breaks a rule of the model.");
  py::tuple value_error_bases = py::make_tuple(py::handle(t.error), py::handle(PyExc_ValueError));
  t.invalid_argument = new_exception_type(m, "InvalidArgument", value_error_bases.ptr(),
                                          "An option or argument passed by the caller is not acceptable.");
  t.degenerate = new_exception_type(m, "DegenerateError", single_base.ptr(),
                                    "A statistic has no defined value for this data; the message names the case.");

  py::register_exception_translator([](std::exception_ptr thrown) {
    if (!thrown) return;
    const exception_types& types_now = types();
    try {
      std::rethrow_exception(thrown);
    } catch (const calibra::parse_error& e) {
      raise(types_now.parse, e);
    } catch (const calibra::input_errors& e) {
      // Several problems of one input: a ValidationError whose .problems
      // lists each one with its id, message and place.
      py::list problems;
      for (const calibra::input_problem& p : e.problems()) {
        py::dict d;
        d["id"] = p.id;
        d["message"] = p.message;
        d["file"] = p.file;
        d["row"] = p.row;
        d["column"] = p.column;
        d["pointer"] = p.pointer;
        problems.append(d);
      }
      py::object instance = py::reinterpret_borrow<py::object>(types_now.validation)(e.what());
      instance.attr("id") = e.id();
      instance.attr("problems") = problems;
      PyErr_SetObject(types_now.validation, instance.ptr());
    } catch (const calibra::validation_error& e) {
      raise(types_now.validation, e);
    } catch (const calibra::invalid_argument& e) {
      raise(types_now.invalid_argument, e);
    } catch (const calibra::degenerate_error& e) {
      raise(types_now.degenerate, e);
    } catch (const calibra::error& e) {
      raise(types_now.error, e);
    }
  });
}

}  // namespace calibra::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "Compiled core of calibra: competency frameworks, inter-rater agreement and rating calibration.";
  m.attr("__version__") = calibra::version_string;
  calibra::python::register_errors(m);
  calibra::python::register_framework(m);
  calibra::python::register_agreement(m);
  calibra::python::register_summaries(m);
  calibra::python::register_calibration(m);
  calibra::python::register_reports(m);
  calibra::python::register_dask(m);
}
