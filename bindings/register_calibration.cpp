// Calibration: long-form ratings in (files, or DataFrame columns), the
// calibration report out.
//
// The report crosses into Python as the JSON document `calibra calibrate
// --json` prints (calibra::to_json), which the Python layer parses and
// turns into DataFrames.  Going through the one JSON writer keeps the
// Python names exactly the CLI's, and a section the C++ library gains
// reaches Python without a change here.
#include "bindings.hpp"

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/calibration_json.hpp>
#include <calibra/io/ratings.hpp>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace cal = calibra::calibration;

using table_ptr = std::shared_ptr<const cal::ratings_table>;

cal::duplicate_policy duplicate_policy_from(const std::string& text) {
  const auto policy = cal::parse_duplicate_policy(text);
  if (!policy)
    throw invalid_argument("ratings", "duplicates='" + text + "'; expected one of: error, last, mean");
  return *policy;
}

std::shared_ptr<const framework> shared_framework(const std::optional<framework>& fw) {
  return std::make_shared<const framework>(fw ? *fw : builtin_framework());
}

/// One column of the long format as strings, one per row ("" = not given).
std::vector<std::string> text_column(const py::dict& columns, const char* name, std::size_t rows, bool required) {
  if (!columns.contains(name)) {
    if (required)
      throw validation_error("ratings", std::string("the ratings have no column '") + name +
                                            "'; the long format needs ratee, rater, role, competency, level, period");
    return std::vector<std::string>(rows);
  }
  std::vector<std::string> out;
  out.reserve(rows);
  for (py::handle value : columns[name].cast<py::list>()) out.push_back(value.is_none() ? std::string() : py::str(value).cast<std::string>());
  if (out.size() != rows)
    throw invalid_argument("ratings", std::string("column '") + name + "' has " + std::to_string(out.size()) +
                                          " values for " + std::to_string(rows) + " rows");
  return out;
}

table_ptr ratings_from_columns(const py::dict& columns, std::size_t rows, const std::optional<framework>& fw,
                               const std::string& duplicates, const std::vector<std::string>& unknown_columns,
                               bool ignore_unknown_columns, const std::string& source) {
  const cal::duplicate_policy policy = duplicate_policy_from(duplicates);
  std::string known;
  for (std::string_view name : cal::ratings_columns) known += (known.empty() ? "" : ", ") + std::string(name);
  if (!unknown_columns.empty() && !ignore_unknown_columns)
    throw validation_error("ratings", source + ": column '" + unknown_columns.front() + "': unknown column; expected "
                                          "one of " + known + " (or ignore_unknown_columns=True)");
  std::array<std::vector<std::string>, cal::ratings_columns.size()> text;
  for (std::size_t c = 0; c < cal::ratings_columns.size(); ++c)
    text[c] = text_column(columns, std::string(cal::ratings_columns[c]).c_str(), rows, c < cal::required_ratings_columns);
  cal::ratings_builder builder(shared_framework(fw), source);
  builder.reserve(rows);
  for (const auto& name : unknown_columns) builder.note_ignored_column(name);
  {
    py::gil_scoped_release released;
    for (std::size_t i = 0; i < rows; ++i) {
      cal::rating_text row;
      row.ratee = text[0][i];
      row.rater = text[1][i];
      row.role = text[2][i];
      row.competency = text[3][i];
      row.level = text[4][i];
      row.period = text[5][i];
      row.career_level = text[6][i];
      row.track = text[7][i];
      row.outcome = text[8][i];
      builder.add_text(row, i + 1);
    }
  }
  return std::make_shared<const cal::ratings_table>(builder.finish(policy));
}

/// The table's rows as columns: names for the interned ids, level ordinals.
py::dict table_columns(const cal::ratings_table& table) {
  const std::size_t n = table.size();
  const auto& fw = table.framework();
  auto names = [&](const cal::name_table& names, const std::vector<std::uint32_t>& ids) {
    py::list out(n);
    std::vector<py::str> cache;
    for (std::uint32_t id = 0; id < names.size(); ++id) cache.emplace_back(names[id]);
    for (std::size_t i = 0; i < n; ++i) out[i] = cache[ids[i]];
    return out;
  };
  py::dict d;
  d["ratee"] = names(table.ratees(), table.ratee_column());
  d["rater"] = names(table.raters(), table.rater_column());
  std::array<py::str, cal::rater_role_count> role_names;
  for (cal::rater_role role : cal::all_rater_roles)
    role_names[static_cast<std::size_t>(role)] = py::str(std::string(cal::to_string(role)));
  py::list roles(n), competencies(n), career_levels(n), tracks(n), outcomes(n);
  std::vector<py::str> competency_ids;
  for (const auto& c : fw.competencies()) competency_ids.emplace_back(c.id);
  std::vector<py::str> career_level_ids;
  for (const auto& l : fw.ladder().career_levels()) career_level_ids.emplace_back(l.id);
  py::array_t<std::int64_t> levels(static_cast<py::ssize_t>(n));
  auto level_out = levels.mutable_unchecked<1>();
  for (std::size_t i = 0; i < n; ++i) {
    roles[i] = role_names[static_cast<std::size_t>(table.role(i))];
    competencies[i] = competency_ids[table.competency(i)];
    level_out(static_cast<py::ssize_t>(i)) = table.level(i);
    const auto career_level = table.career_level(i);
    career_levels[i] = career_level ? py::object(career_level_ids[*career_level]) : py::object(py::none());
    const auto track = table.track(i);
    tracks[i] = track ? py::object(py::str(std::string(to_string(*track)))) : py::object(py::none());
    const auto outcome = table.outcome(i);
    outcomes[i] = outcome ? py::object(py::str(std::string(cal::to_string(*outcome)))) : py::object(py::none());
  }
  d["role"] = roles;
  d["competency"] = competencies;
  d["level"] = levels;
  d["period"] = names(table.periods(), table.period_column());
  d["career_level"] = career_levels;
  d["track"] = tracks;
  d["outcome"] = outcomes;
  return d;
}

py::dict summary_dict(const cal::ratings_table& table) {
  const cal::ratings_summary& s = table.summary();
  py::dict d;
  d["source"] = s.source;
  d["rows_read"] = s.rows_read;
  d["rows_kept"] = s.rows_kept;
  d["duplicate_policy"] = std::string(cal::to_string(s.duplicates));
  d["duplicate_groups"] = s.duplicate_groups;
  d["duplicate_rows_dropped"] = s.duplicate_rows_dropped;
  d["means_rounded"] = s.means_rounded;
  d["ignored_columns"] = s.ignored_columns;
  d["ratees"] = s.ratees;
  d["raters"] = s.raters;
  d["periods"] = table.periods().names();
  return d;
}

}  // namespace

void register_calibration(py::module_& m) {
  py::class_<cal::ratings_table, std::shared_ptr<cal::ratings_table>>(
      m, "Ratings", "Validated long-form ratings (calibra::calibration::ratings_table); immutable.")
      .def("__len__", &cal::ratings_table::size)
      .def("columns", &table_columns, "The rows as columns: ratee, rater, role, competency, level (ordinal), period, "
                                      "career_level, track, outcome.")
      .def("summary", &summary_dict, "What reading the ratings did: rows read and kept, duplicates, counts.")
      .def("framework", [](const cal::ratings_table& t) { return t.framework(); },
           "The framework the ratings were validated against (a copy).")
      .def("to_csv", [](const cal::ratings_table& t) { return to_ratings_csv(t); })
      .def("save", [](const cal::ratings_table& t, const std::string& path) { write_ratings_csv(t, path); },
           py::arg("path"));

  m.def(
      "read_ratings",
      [](const std::string& path, const std::optional<framework>& fw, const std::string& duplicates,
         bool ignore_unknown_columns, const std::vector<std::string>& attribute_columns, const std::string& sheet) {
        ratings_options options;
        options.duplicates = duplicate_policy_from(duplicates);
        options.ignore_unknown_columns = ignore_unknown_columns;
        options.attribute_columns = attribute_columns;
        options.sheet = sheet;
        return std::make_shared<cal::ratings_table>(read_ratings(path, shared_framework(fw), options));
      },
      py::arg("path"), py::arg("framework") = py::none(), py::arg("duplicates") = "error",
      py::arg("ignore_unknown_columns") = false, py::arg("attribute_columns") = std::vector<std::string>{},
      py::arg("sheet") = "", "Reads a ratings file (.csv, .json or .xlsx).");

  m.def(
      "read_ratings_csv_text",
      [](const std::string& text, const std::string& source, const std::optional<framework>& fw,
         const std::string& duplicates, bool ignore_unknown_columns, const std::vector<std::string>& attribute_columns) {
        ratings_options options;
        options.duplicates = duplicate_policy_from(duplicates);
        options.ignore_unknown_columns = ignore_unknown_columns;
        options.attribute_columns = attribute_columns;
        return std::make_shared<cal::ratings_table>(read_ratings_csv_text(text, shared_framework(fw), source, options));
      },
      py::arg("text"), py::arg("source"), py::arg("framework") = py::none(), py::arg("duplicates") = "error",
      py::arg("ignore_unknown_columns") = false, py::arg("attribute_columns") = std::vector<std::string>{},
      "Reads ratings CSV text (long or wide form); `source` names it in messages.");

  m.def(
      "ratings_from_columns",
      [](const py::dict& columns, std::size_t rows, const std::optional<framework>& fw, const std::string& duplicates,
         const std::vector<std::string>& unknown_columns, bool ignore_unknown_columns, const std::string& source) {
        return std::const_pointer_cast<cal::ratings_table>(
            ratings_from_columns(columns, rows, fw, duplicates, unknown_columns, ignore_unknown_columns, source));
      },
      py::arg("columns"), py::arg("rows"), py::arg("framework") = py::none(), py::arg("duplicates") = "error",
      py::arg("unknown_columns") = std::vector<std::string>{}, py::arg("ignore_unknown_columns") = false,
      py::arg("source") = "<DataFrame>",
      "Ratings from columns of text (None: not given), validated as the file readers do; rows count from 1.");

  m.def(
      "example_ratings",
      []() {
        auto fw = std::make_shared<const framework>(builtin_framework());
        return std::make_shared<cal::ratings_table>(
            cal::simulate_ratings(fw, cal::example_simulation_config()).table);
      },
      "The bundled example ratings (data/examples/ratings.csv), regenerated from their seeded generator.");

  m.def(
      "calibrate_json",
      [](const cal::ratings_table& table, const std::optional<std::string>& period, std::optional<std::size_t> min_group,
         const std::optional<std::string>& source, const std::string& group_by) {
        cal::calibration_context context(table);
        if (period) context.with_period(*period);
        if (min_group) context.with_privacy({*min_group});
        std::string json;
        {
          py::gil_scoped_release released;
          cal::calibrate_options options;
          options.group_by = group_by;
          cal::calibration_report report = cal::calibrate(context, options);
          if (source) report.input.source = *source;
          json = to_json(report, table);
        }
        return json;
      },
      py::arg("ratings"), py::arg("period") = py::none(), py::arg("min_group") = py::none(),
      py::arg("source") = py::none(), py::arg("group_by") = "", "Every calibration analysis, as the JSON text of `calibra calibrate --json`.");
}

}  // namespace calibra::python
