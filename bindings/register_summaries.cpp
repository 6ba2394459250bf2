// Mergeable agreement summaries (calibra/agreement/mergeable.hpp), for data
// that arrives in pieces: a Dask or Spark partition, a file per team.
//
//   s = AgreementSummary("fleiss", n_raters, categories=[1, 2, 3, 4, 5])
//   s.add(part_1); s.add(part_2)      # or build one per part and merge with +=
//   s.finish()                        # the dict agree() returns
//
// Pickling (Dask ships partition results between processes) goes through
// the summary's compact record (mergeable_summary::record), as a tuple.
#include "bindings.hpp"

#include <calibra/agreement/mergeable.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace ag = calibra::agreement;
using ratings_ref = ag::ratings_ref;

/// Version of the pickled tuple's layout.
constexpr int state_layout = 1;

py::tuple state_of(const ag::mergeable_summary& s) {
  if (!s.has_record())
    throw py::type_error("an ICC summary cannot be pickled yet: the C++ icc_summary does not expose its sums; "
                         "merge ICC summaries in one process (e.g. a Dask cluster with processes=False)");
  const ag::summary_record record = s.record();
  py::list patterns;
  for (const auto& [key, units] : record.patterns) patterns.append(py::make_tuple(key, units));
  const py::object table = record.table.size() > 0 ? py::cast(record.table) : py::object(py::none());
  return py::make_tuple(state_layout, std::string(ag::to_string(s.stat())), s.n_raters(), options_dict(s.used()),
                        s.marginals(), record.active, record.units, record.units_dropped, patterns, table);
}

ag::mergeable_summary summary_from_state(const py::tuple& t) {
  if (t.size() != 10 || t[0].cast<int>() != state_layout)
    throw invalid_argument("agreement", "not the pickled state of an AgreementSummary of this calibra version");
  // The options come back as keywords; a custom weight matrix is the
  // `weights` keyword, as callers pass it.
  py::kwargs kwargs;
  for (const auto& [name, value] : t[3].cast<py::dict>())
    kwargs[name.cast<std::string>() == "custom_weights" ? py::str("weights") : name] = value;
  ag::summary_record record;
  record.active = t[5].cast<std::vector<char>>();
  record.units = t[6].cast<double>();
  record.units_dropped = t[7].cast<double>();
  for (py::handle entry : t[8].cast<py::list>()) {
    const auto pair = entry.cast<py::tuple>();
    record.patterns.emplace_back(pair[0].cast<std::vector<std::int32_t>>(), pair[1].cast<double>());
  }
  if (!t[9].is_none()) record.table = t[9].cast<Eigen::MatrixXd>();
  return ag::mergeable_summary::from_record(ag::parse_statistic(t[1].cast<std::string>()), t[2].cast<std::size_t>(),
                                            options_from_kwargs(kwargs), t[4].cast<std::optional<Eigen::VectorXd>>(),
                                            record);
}

}  // namespace

void register_summaries(py::module_& m) {
  py::class_<ag::mergeable_summary>(m, "AgreementSummary",
                                    "Mergeable sufficient statistics of one agreement statistic (see mergeable.hpp).")
      .def(py::init([](const std::string& stat, std::size_t n_raters, std::optional<Eigen::VectorXd> marginals,
                       const py::kwargs& kwargs) {
             return ag::mergeable_summary(ag::parse_statistic(stat), n_raters, options_from_kwargs(kwargs),
                                          std::move(marginals));
           }),
           py::arg("stat"), py::arg("n_raters"), py::kw_only(), py::arg("marginals") = py::none())
      .def(
          "add",
          [](ag::mergeable_summary& s, const ratings_ref& ratings) {
            py::gil_scoped_release released;
            s.add(ratings);
          },
          py::arg("ratings"), "Adds the units (rows) of a units x raters matrix.")
      .def(
          "__iadd__",
          [](ag::mergeable_summary& s, const ag::mergeable_summary& other) -> ag::mergeable_summary& { return s += other; },
          py::return_value_policy::reference_internal)
      .def("__add__",
           [](const ag::mergeable_summary& s, const ag::mergeable_summary& other) {
             ag::mergeable_summary sum = s;
             sum += other;
             return sum;
           })
      .def("finish", [](const ag::mergeable_summary& s) { return result_dict(s.finish()); },
           "The statistic of every unit added so far, as agree() returns it.")
      .def_property_readonly("statistic",
                             [](const ag::mergeable_summary& s) { return std::string(ag::to_string(s.stat())); })
      .def_property_readonly("n_raters", &ag::mergeable_summary::n_raters)
      .def_property_readonly("n_units", &ag::mergeable_summary::units, "Units added and kept (complete units for ICC).")
      .def_property_readonly("options", [](const ag::mergeable_summary& s) { return options_dict(s.used()); })
      .def("__repr__",
           [](const ag::mergeable_summary& s) {
             return "<calibra.AgreementSummary " + s.describe() + ": " +
                    std::to_string(static_cast<long long>(s.units())) + " units>";
           })
      .def(py::pickle(&state_of, &summary_from_state));

  m.def(
      "summary_scan",
      [](const ratings_ref& ratings, const std::string& stat, const py::kwargs& kwargs) {
        const ag::summary_shape shape =
            ag::scan_summary_shape(ratings, ag::parse_statistic(stat), options_from_kwargs(kwargs));
        py::dict out;
        out["codes"] = shape.codes;
        out["pairable"] = shape.pairable;
        out["units"] = shape.units;
        return out;
      },
      py::arg("ratings"), py::arg("stat"),
      "{'codes': category codes of the kept units, 'pairable': their frequencies in pairable units, 'units': kept "
      "units} of one piece of data, under the statistic's rules.");
}

}  // namespace calibra::python
