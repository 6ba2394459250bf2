// Agreement: every coefficient through the one dispatcher agree(), the
// rater x rater matrix, the wide CSV reader, and the pivot of long ratings
// (calibra::agreement::long_to_wide).  Results cross into Python as the
// library's JSON (calibra/io/agreement_json.hpp), parsed into dicts.
//
// Ratings arrive as Eigen::Ref<const Eigen::MatrixXd>: pybind11 hands a
// float64, Fortran-ordered (column-major) numpy array to C++ without a
// copy, and converts anything else (C order, integers, a non-contiguous
// slice) into one temporary column-major copy.
//
// Options arrive as Python keyword arguments and are read by walking
// calibra::agreement::visit_options, the list the CLI echoes too, so the
// names, the kinds of value and the "expected one of" messages are the
// CLI's; agree() and pairwise() share that one path.
#include "bindings.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/interpretation.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/pairwise.hpp>
#include <calibra/agreement/long_to_wide.hpp>
#include <calibra/io/agreement_json.hpp>
#include <calibra/io/wide_csv.hpp>

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {

namespace ag = calibra::agreement;

namespace {

using ratings_ref = ag::ratings_ref;

std::string text(std::string_view s) { return std::string(s); }

std::string python_repr(py::handle value) { return py::repr(value).cast<std::string>(); }

// ---- Python values -> option values ------------------------------------------

[[noreturn]] void bad_option(const char* name, const std::string& expected, py::handle value) {
  throw invalid_argument("agreement", std::string(name) + " must be " + expected + "; got " + python_repr(value));
}

bool is_bool(py::handle value) {
  // numpy.bool_ is not a Python bool but is no more a count than True is.
  return PyBool_Check(value.ptr()) ||
         (py::hasattr(value, "dtype") && py::str(value.attr("dtype")).cast<std::string>() == "bool");
}

double number_option(const char* name, py::handle value) {
  if (is_bool(value) || PyUnicode_Check(value.ptr()) || !PyNumber_Check(value.ptr()))
    bad_option(name, "a number", value);
  const double x = PyFloat_AsDouble(value.ptr());
  if (x == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    bad_option(name, "a number", value);
  }
  return x;
}

template <typename Integer>
Integer whole_option(const char* name, py::handle value) {
  // PyIndex_Check accepts int and numpy integers, and refuses 1.5 and "2".
  if (is_bool(value) || !PyIndex_Check(value.ptr())) bad_option(name, "a whole number", value);
  const py::int_ as_int = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
  const long long x = PyLong_AsLongLong(as_int.ptr());
  if (x == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    bad_option(name, "a whole number that fits in 64 bits", value);
  }
  if (x < 0) throw invalid_argument("agreement", std::string(name) + " must be 0 or more; got " + std::to_string(x));
  if (static_cast<unsigned long long>(x) > static_cast<unsigned long long>(std::numeric_limits<Integer>::max()))
    bad_option(name, "at most " + std::to_string(std::numeric_limits<Integer>::max()), value);
  return static_cast<Integer>(x);
}

std::vector<double> codes_option(const char* name, py::handle value) {
  if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr()) || !py::isinstance<py::iterable>(value))
    bad_option(name, "a flat list of category codes", value);
  std::vector<double> codes;
  for (py::handle item : py::reinterpret_borrow<py::iterable>(value)) {
    if (is_bool(item) || PyUnicode_Check(item.ptr()) || !PyNumber_Check(item.ptr()))
      bad_option(name, "a flat list of category codes", value);
    codes.push_back(number_option(name, item));
  }
  return codes;
}

/// Sets an option held in `o` from a Python value.  visit_options hands out
/// the members of its argument by reference (enumerations excepted: they go
/// by their spelling and are set through `enum_setters`).  `o` is not const
/// here, so writing through that reference is well defined; the address
/// check turns a future change to pass copies into a loud error instead of
/// an option that silently keeps its default.
template <typename T>
T& member_of(ag::options& o, const T& visited) {
  const std::less<const void*> before;
  const void* first = &o;
  const void* past = &o + 1;
  if (before(&visited, first) || !before(&visited, past))
    throw std::logic_error("calibra bindings: visit_options passed a copy of an option; the bindings need the member");
  return const_cast<T&>(visited);
}

using enum_setter = void (*)(ag::options&, std::string_view);

/// The enumerated options, set from their spelling by the parse_* helpers
/// of options.hpp (which produce the CLI's "expected one of" messages).
const std::array<std::pair<std::string_view, enum_setter>, 6> enum_setters{{
    {"missing", [](ag::options& o, std::string_view s) { o.missing = ag::parse_missing_policy(s); }},
    {"weights", [](ag::options& o, std::string_view s) { o.weights = ag::parse_weight_scheme(s); }},
    {"level", [](ag::options& o, std::string_view s) { o.level = ag::parse_measurement_level(s); }},
    {"form", [](ag::options& o, std::string_view s) { o.form = ag::parse_icc_form(s); }},
    {"se", [](ag::options& o, std::string_view s) { o.cohen_se = ag::parse_kappa_se(s); }},
    {"bootstrap_method", [](ag::options& o, std::string_view s) { o.bootstrap_method = ag::parse_bootstrap_interval(s); }},
}};

enum_setter find_enum_setter(std::string_view name) {
  for (const auto& [option, setter] : enum_setters)
    if (option == name) return setter;
  throw std::logic_error("calibra bindings: no setter for the enumerated option '" + std::string(name) + "'");
}

/// The option names, in visit_options order.
std::vector<std::string> option_names() {
  std::vector<std::string> names;
  ag::visit_options(ag::options{}, [&](const char* name, const auto&) { names.emplace_back(name); });
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

using index_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using level_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// Long ratings as integer codes -> the dict the Python layer expects.
py::dict pivot_long(const std::vector<index_array>& unit_codes, const std::vector<std::size_t>& cardinalities,
                    const index_array& rater_codes, std::size_t n_raters, const level_array& levels) {
  const auto rows = static_cast<std::size_t>(levels.size());
  auto check_shape = [&](const py::array& a, const char* what) {
    if (a.ndim() != 1 || static_cast<std::size_t>(a.size()) != rows)
      throw invalid_argument("python", std::string("pivot_long: ") + what + " has " + std::to_string(a.size()) +
                                           " entries for " + std::to_string(rows) + " ratings");
  };
  if (unit_codes.size() != cardinalities.size())
    throw invalid_argument("python", "pivot_long: one cardinality per unit key column");
  std::vector<ag::key_codes> keys;
  for (std::size_t k = 0; k < unit_codes.size(); ++k) {
    check_shape(unit_codes[k], "a unit key column");
    keys.push_back({unit_codes[k].data(), cardinalities[k]});
  }
  check_shape(rater_codes, "the rater column");
  ag::long_to_wide_result wide;
  {
    py::gil_scoped_release released;
    wide = ag::long_to_wide(keys, {rater_codes.data(), n_raters}, levels.data(), rows);
  }
  py::dict out;
  out["ratings"] = std::move(wide.ratings);
  out["unit_rows"] = py::array_t<std::int64_t>(static_cast<py::ssize_t>(wide.unit_rows.size()), wide.unit_rows.data());
  out["duplicate"] = wide.duplicate ? py::object(py::make_tuple(wide.duplicate->first, wide.duplicate->second))
                                    : py::object(py::none());
  return out;
}

}  // namespace

// ---- shared with register_summaries.cpp -------------------------------------------

ag::options options_from_kwargs(const py::kwargs& kwargs, std::initializer_list<const char*> allowed_extra) {
  ag::options o;
  std::set<std::string> unused;
  for (const auto& item : kwargs) unused.insert(py::str(item.first).cast<std::string>());
  for (const char* extra : allowed_extra) unused.erase(extra);

  std::optional<Eigen::MatrixXd> custom_weights;
  ag::visit_options(o, [&](const char* name, const auto& current) {
    unused.erase(name);
    if (!kwargs.contains(name)) return;
    const py::handle value = kwargs[name];
    if (value.is_none()) return;  // None keeps the default, as leaving the flag off does
    using value_type = std::decay_t<decltype(current)>;
    if constexpr (std::is_same_v<value_type, std::string_view>) {
      if (std::string_view(name) == "weights" && !PyUnicode_Check(value.ptr())) {
        // A q x q matrix: the custom scheme, which the CLI cannot spell.
        try {
          custom_weights = value.cast<Eigen::MatrixXd>();
        } catch (const py::cast_error&) {
          bad_option(name, "a scheme name such as 'quadratic' or a q x q matrix of numbers", value);
        }
        return;
      }
      if (!PyUnicode_Check(value.ptr())) bad_option(name, "a name such as '" + text(current) + "'", value);
      const std::string spelling = value.cast<std::string>();
      find_enum_setter(name)(o, spelling);
    } else if constexpr (std::is_same_v<value_type, std::vector<double>>) {
      member_of(o, current) = codes_option(name, value);
    } else if constexpr (std::is_same_v<value_type, std::optional<double>>) {
      member_of(o, current) = number_option(name, value);
    } else if constexpr (std::is_floating_point_v<value_type>) {
      member_of(o, current) = number_option(name, value);
    } else {
      static_assert(std::is_integral_v<value_type>, "visit_options passed an option of a kind the bindings do not know");
      member_of(o, current) = whole_option<value_type>(name, value);
    }
  });
  if (!unused.empty())
    throw invalid_argument("agreement", "unknown option '" + *unused.begin() + "'; expected one of: " +
                                            joined(option_names()));

  if (custom_weights) {
    o.weights = ag::weight_scheme::custom;
    o.custom_weights = std::move(*custom_weights);
  } else if (o.weights == ag::weight_scheme::custom) {
    throw invalid_argument("agreement", "weights='custom' needs the weight matrix itself: pass a q x q array as weights");
  }
  if (!(std::isfinite(o.population_units) && o.population_units >= 0))
    throw invalid_argument("agreement", "population must be a finite number of units, 0 for an infinite population");
  return o;
}

py::object from_json(const std::string& text) { return py::module_::import("json").attr("loads")(text); }

py::dict options_dict(const ag::options& o) { return py::dict(from_json(to_json(o))); }

py::dict result_dict(const ag::result& r) { return py::dict(from_json(to_json(r))); }

void register_agreement(py::module_& m) {
  m.def(
      "agree",
      [](const ratings_ref& ratings, const std::string& stat, const py::kwargs& kwargs) {
        const ag::statistic statistic = ag::parse_statistic(stat);
        const ag::options opts = options_from_kwargs(kwargs);
        ag::result r;
        {
          // The numpy buffer stays alive through `ratings`; other Python
          // threads may run meanwhile.
          py::gil_scoped_release released;
          r = ag::agree(ratings, statistic, opts);
        }
        return result_dict(r);
      },
      py::arg("ratings"), py::arg("stat"),
      "One agreement statistic of a units x raters matrix (NaN = missing); options as keywords; returns a dict.");

  m.def(
      "pairwise",
      [](const ratings_ref& ratings, const std::string& stat, const py::kwargs& kwargs) {
        const ag::statistic statistic = ag::parse_statistic(stat);
        const ag::options opts = options_from_kwargs(kwargs);
        ag::pairwise_result p;
        {
          py::gil_scoped_release released;
          p = ag::pairwise(ratings, statistic, opts);
        }
        return from_json(to_json(p));
      },
      py::arg("ratings"), py::arg("stat"), "A rater x rater matrix of a two-rater statistic; returns a dict.");

  m.def(
      "icc_from_sums",
      [](double n_units, std::size_t n_raters, double ss_units, double ss_raters, double ss_error,
         double units_dropped, const py::kwargs& kwargs) {
        // What mergeable_summary::finish() does with an ICC summary, from
        // ANOVA sums merged elsewhere (calibra.dask merges them per rater
        // name, across processes).
        const ag::options opts = options_from_kwargs(kwargs);
        ag::icc_anova anova;
        anova.n_units = n_units;
        anova.n_raters = n_raters;
        anova.ss_units = ss_units;
        anova.ss_raters = ss_raters;
        anova.ss_error = ss_error;
        ag::result r = ag::icc_from_anova(anova, opts.form, opts.confidence);
        r.n_units = static_cast<std::size_t>(n_units);
        r.extra["units_dropped"] = units_dropped;
        r.used = opts;
        r.used.missing = ag::missing_policy::listwise;
        r.stat = ag::statistic::icc;
        return result_dict(r);
      },
      py::arg("n_units"), py::arg("n_raters"), py::arg("ss_units"), py::arg("ss_raters"), py::arg("ss_error"),
      py::arg("units_dropped"),
      "The ICC (form= and ci= as keywords) of complete units from the two-way ANOVA sums of squares, as a "
      "mergeable summary finishes it; returns a dict.");

  m.def(
      "parse_options", [](const py::kwargs& kwargs) { return options_dict(options_from_kwargs(kwargs)); },
      "The options in effect for these keywords (defaults filled in), as agree() would use them.");

  m.def(
      "read_wide_csv",
      [](const std::string& path, const std::string& unit_column) {
        const wide_ratings w = read_wide_csv(path, wide_csv_options{unit_column});
        py::dict d;
        d["ratings"] = w.ratings;
        d["raters"] = w.raters;
        d["units"] = w.units;
        return d;
      },
      py::arg("path"), py::arg("unit_column") = "",
      "Reads a wide CSV of ratings: {'ratings': units x raters array, 'raters': [...], 'units': [...]}.");

  m.def("pivot_long", &pivot_long, py::arg("unit_codes"), py::arg("cardinalities"), py::arg("rater_codes"),
        py::arg("n_raters"), py::arg("levels"),
        "Long ratings (integer codes per row) -> {'ratings': units x raters column-major matrix, 'unit_rows': first "
        "row of each unit, 'duplicate': (first, second) rows of a repeated (unit, rater) pair or None}.");

  // The spellings, for the Python layer's signatures, docs and tests.
  auto names = [](const auto& table) {
    std::vector<std::string> out;
    for (const auto& entry : table.entries) out.emplace_back(entry.second);
    return out;
  };
  py::dict spellings;
  spellings["stat"] = names(ag::detail::statistic_names);
  spellings["missing"] = names(ag::detail::missing_names);
  spellings["weights"] = names(ag::detail::weight_names);
  spellings["level"] = names(ag::detail::level_names);
  spellings["form"] = names(ag::detail::icc_form_names);
  spellings["se"] = names(ag::detail::kappa_se_names);
  spellings["bootstrap_method"] = names(ag::detail::bootstrap_interval_names);
  spellings["options"] = option_names();
  m.attr("CHOICES") = spellings;

  // Every enumerated option needs a setter: fail at import, not at the
  // first call, if options.hpp gains one the bindings do not know.
  ag::visit_options(ag::options{}, [](const char* name, const auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string_view>) find_enum_setter(name);
  });

  // Benchmark hook (benchmarks/python/bench_bindings.py): the best wall
  // and thread-CPU times of `repeat` direct C++ calls of agree() on the
  // same matrix, with no Python in between, to measure what the binding
  // adds.  CPU time of this thread is the steadier measure on a shared
  // machine: time spent waiting for a core does not count.
  m.def(
      "_time_agree",
      [](const ratings_ref& ratings, const std::string& stat, int repeat, const py::kwargs& kwargs) {
        const ag::statistic statistic = ag::parse_statistic(stat);
        const ag::options opts = options_from_kwargs(kwargs);
        double best_wall = std::numeric_limits<double>::infinity();
        double best_cpu = std::numeric_limits<double>::infinity();
        {
          py::gil_scoped_release released;
          auto thread_seconds = [] {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
          };
          for (int i = 0; i < std::max(1, repeat); ++i) {
            const double cpu_start = thread_seconds();
            const auto start = std::chrono::steady_clock::now();
            const ag::result r = ag::agree(ratings, statistic, opts);
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            const double cpu = thread_seconds() - cpu_start;
            if (!r.value && !r.reason) throw std::logic_error("agree() gave neither a value nor a reason");
            best_wall = std::min(best_wall, took.count());
            best_cpu = std::min(best_cpu, cpu);
          }
        }
        py::dict out;
        out["wall"] = best_wall;
        out["cpu"] = best_cpu;
        return out;
      },
      py::arg("ratings"), py::arg("stat"), py::arg("repeat") = 5);

  // Test hook: the address of the first rating as C++ sees it.  Equal to
  // the numpy array's own data pointer exactly when no copy was made.
  m.def(
      "_ratings_address",
      [](const ratings_ref& ratings) { return reinterpret_cast<std::uintptr_t>(ratings.data()); },
      py::arg("ratings"));
}

}  // namespace calibra::python
