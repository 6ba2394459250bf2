// Reports: the document `calibra report` writes (framework sections, plus
// the calibration sections when there are ratings), rendered in memory for
// notebooks or written to a directory in any of the CLI's formats.
#include "bindings.hpp"

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/reports/calibration_report.hpp>
#include <calibra/reports/framework_report.hpp>
#include <calibra/reports/starter_kit.hpp>
#include <calibra/reports/write.hpp>

#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {

void register_reports(py::module_& m) {
  namespace cal = calibra::calibration;

  m.def(
      "write_starter_kit",
      [](const std::string& dir, const std::string& competencies, int levels, const std::string& name, bool force) {
        reports::starter_kit_options options;
        options.competencies = competencies;
        options.levels = levels;
        options.name = name;
        options.force = force;
        return reports::write_starter_kit(dir, options);
      },
      py::arg("dir"), py::arg("competencies") = "", py::arg("levels") = 0, py::arg("name") = "",
      py::arg("force") = false, "The starter kit of calibra init DIR; returns the paths written.");

  py::class_<reports::report>(m, "ReportDocument", "A report document (calibra::reports::report), format-neutral.")
      .def_property_readonly("title", [](const reports::report& r) { return r.title; })
      .def("to_html", [](const reports::report& r) { return reports::to_html(r); })
      .def("to_markdown", [](const reports::report& r) { return reports::to_markdown(r); })
      .def("to_json", [](const reports::report& r) { return reports::to_json(r); })
      .def("to_csv", [](const reports::report& r) { return reports::to_csv(r); },
           "One (table id, CSV text) pair per table.")
      .def(
          "write",
          [](const reports::report& r, const std::string& out_dir, const std::string& formats,
             const std::string& basename) {
            reports::write_options options;
            if (!basename.empty()) options.basename = basename;
            const reports::formats which = reports::parse_formats(formats);
            py::gil_scoped_release released;
            return reports::write_report(r, out_dir, which, options);
          },
          py::arg("out_dir"), py::arg("formats") = "xlsx,html,md,json,csv", py::arg("basename") = "report",
          "Writes the report into out_dir in every format listed (all files or none); returns the paths.");

  m.def(
      "report_document",
      [](const std::optional<framework>& fw, const std::shared_ptr<cal::ratings_table>& ratings,
         const std::string& title, const std::optional<std::string>& period, std::optional<std::size_t> min_group,
         bool without_ratees) {
        reports::framework_report_options framework_options;
        framework_options.title = title;
        if (!ratings) {
          if (period || without_ratees || min_group)
            throw invalid_argument("reports", "period, min_group and without_ratees need ratings");
          return reports::framework_report(fw ? *fw : builtin_framework(), framework_options);
        }
        cal::calibration_context context(*ratings);
        if (period) context.with_period(*period);
        if (min_group) context.with_privacy({*min_group});
        reports::calibration_report_options options;
        options.include_ratees = !without_ratees;
        py::gil_scoped_release released;
        const cal::calibration_report result = cal::calibrate(context);
        return reports::framework_calibration_report(*ratings, result, framework_options, options);
      },
      py::arg("framework") = py::none(), py::arg("ratings") = nullptr, py::arg("title") = "",
      py::arg("period") = py::none(), py::arg("min_group") = py::none(), py::arg("without_ratees") = false,
      "The report document: the framework's sections, and the calibration sections when ratings are given.");
}

}  // namespace calibra::python
