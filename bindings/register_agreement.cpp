// Agreement: every coefficient through the one dispatcher agree(), the
// rater x rater matrix, and the wide CSV reader.
//
// Ratings arrive as Eigen::Ref<const Eigen::MatrixXd>: pybind11 hands a
// float64, Fortran-ordered (column-major) numpy array to C++ without a
// copy, and converts anything else (C order, integers, a non-contiguous
// slice) into one temporary column-major copy.  Options arrive as strings
// spelled exactly as on the CLI and are parsed by the name tables of
// options.hpp, so a bad value gets the same "expected one of" message.
#include "bindings.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/interpretation.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/agreement/pairwise.hpp>
#include <calibra/io/wide_csv.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace ag = calibra::agreement;

using ratings_ref = ag::ratings_ref;

std::string text(std::string_view s) { return std::string(s); }

/// Every option of agree(), optional so that "not given" keeps the C++
/// default.  Field names are the Python keyword names.
struct option_values {
  std::optional<std::vector<double>> categories;
  std::optional<std::string> missing;
  std::optional<std::string> weights;
  std::optional<Eigen::MatrixXd> custom_weights;
  std::optional<std::string> level;
  std::optional<std::string> form;
  std::optional<double> category;
  std::optional<int> tolerance;
  std::optional<double> ci;
  std::optional<std::int64_t> bootstrap;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> bootstrap_method;
  std::optional<std::string> se;
  std::optional<double> population;
  std::optional<unsigned> threads;
};

ag::options to_options(const option_values& v) {
  ag::options o;
  if (v.categories) o.categories = *v.categories;
  if (v.missing) o.missing = ag::parse_missing_policy(*v.missing);
  if (v.weights) o.weights = ag::parse_weight_scheme(*v.weights);
  if (v.custom_weights) {
    if (!v.weights) o.weights = ag::weight_scheme::custom;
    if (o.weights != ag::weight_scheme::custom)
      throw invalid_argument("agreement", "a weight matrix was given together with weights='" + *v.weights +
                                              "'; pass either a scheme name or a matrix");
    o.custom_weights = *v.custom_weights;
  } else if (o.weights == ag::weight_scheme::custom) {
    throw invalid_argument("agreement", "weights='custom' needs the weight matrix itself: pass a q x q array "
                                        "as weights");
  }
  if (v.level) o.level = ag::parse_measurement_level(*v.level);
  if (v.form) o.form = ag::parse_icc_form(*v.form);
  if (v.category) o.category = *v.category;
  if (v.tolerance) {
    if (*v.tolerance < 0)
      throw invalid_argument("agreement", "tolerance must be 0 or more categories; got " +
                                              std::to_string(*v.tolerance));
    o.tolerance = *v.tolerance;
  }
  if (v.ci) o.confidence = *v.ci;
  if (v.bootstrap) {
    if (*v.bootstrap < 0)
      throw invalid_argument("agreement", "bootstrap must be 0 (no bootstrap) or a number of resamples; got " +
                                              std::to_string(*v.bootstrap));
    o.bootstrap = static_cast<std::size_t>(*v.bootstrap);
  }
  if (v.seed) o.seed = *v.seed;
  if (v.bootstrap_method) o.bootstrap_method = ag::parse_bootstrap_interval(*v.bootstrap_method);
  if (v.se) o.cohen_se = ag::parse_kappa_se(*v.se);
  if (v.population) {
    if (!(std::isfinite(*v.population) && *v.population >= 0))
      throw invalid_argument("agreement", "population must be a finite number of units, 0 for an "
                                          "infinite population");
    o.population_units = *v.population;
  }
  if (v.threads) o.threads = *v.threads;
  return o;
}

py::object optional_float(const std::optional<double>& x) {
  return x ? py::object(py::float_(*x)) : py::object(py::none());
}

/// Every option in effect, in the CLI's spelling.
py::dict options_dict(const ag::options& o) {
  py::dict d;
  ag::visit_options(o, [&](const char* name, const auto& value) {
    using value_type = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<value_type, std::string_view>)
      d[name] = text(value);
    else if constexpr (std::is_same_v<value_type, std::optional<double>>)
      d[name] = optional_float(value);
    else
      d[name] = value;
  });
  if (o.weights == ag::weight_scheme::custom) d["custom_weights"] = o.custom_weights;
  return d;
}

py::dict result_dict(const ag::result& r) {
  py::dict d;
  d["statistic"] = text(ag::to_string(r.stat));
  d["value"] = optional_float(r.value);
  d["se"] = optional_float(r.se);
  d["ci_low"] = optional_float(r.ci_low);
  d["ci_high"] = optional_float(r.ci_high);
  d["ci_method"] = r.ci_method;
  d["observed"] = optional_float(r.observed);
  d["chance"] = optional_float(r.chance);
  d["disagreement"] = r.disagreement;
  d["n_units"] = r.n_units;
  d["n_raters"] = r.n_raters;
  d["reason"] = r.reason ? py::object(py::str(*r.reason)) : py::object(py::none());
  const auto reading = ag::interpret(r);
  d["interpretation"] = reading ? py::object(py::str(text(reading->label))) : py::object(py::none());
  d["interpretation_scale"] =
      reading ? py::object(py::str(text(ag::to_string(reading->scale)))) : py::object(py::none());
  d["extra"] = r.extra;
  d["per_category"] = r.per_category;
  d["options"] = options_dict(r.used);
  return d;
}

py::dict pairwise_dict(const ag::pairwise_result& p) {
  py::dict d;
  d["statistic"] = text(ag::to_string(p.stat));
  d["value"] = p.value;
  d["n_units"] = p.n_units;
  py::dict reasons;
  for (const auto& [pair, why] : p.reasons) reasons[py::make_tuple(pair.first, pair.second)] = why;
  d["reasons"] = reasons;
  d["options"] = options_dict(p.used);
  return d;
}

// The keyword arguments shared by agree() and pairwise(), in signature order.
#define CALIBRA_OPTION_ARGS                                                                                    \
  py::kw_only(), py::arg("categories") = py::none(), py::arg("missing") = py::none(),                         \
      py::arg("weights") = py::none(), py::arg("custom_weights") = py::none(), py::arg("level") = py::none(), \
      py::arg("form") = py::none(), py::arg("category") = py::none(), py::arg("tolerance") = py::none(),      \
      py::arg("ci") = py::none(), py::arg("bootstrap") = py::none(), py::arg("seed") = py::none(),            \
      py::arg("bootstrap_method") = py::none(), py::arg("se") = py::none(),                           \
      py::arg("population") = py::none(), py::arg("threads") = py::none()

}  // namespace

void register_agreement(py::module_& m) {
  m.def(
      "agree",
      [](const ratings_ref& ratings, const std::string& stat, std::optional<std::vector<double>> categories,
         std::optional<std::string> missing, std::optional<std::string> weights,
         std::optional<Eigen::MatrixXd> custom_weights, std::optional<std::string> level,
         std::optional<std::string> form, std::optional<double> category, std::optional<int> tolerance,
         std::optional<double> ci, std::optional<std::int64_t> bootstrap, std::optional<std::uint64_t> seed,
         std::optional<std::string> bootstrap_method, std::optional<std::string> se,
         std::optional<double> population, std::optional<unsigned> threads) {
        const ag::statistic statistic = ag::parse_statistic(stat);
        const ag::options opts = to_options({categories, missing, weights, custom_weights, level, form, category,
                                             tolerance, ci, bootstrap, seed, bootstrap_method, se,
                                             population, threads});
        ag::result r;
        {
          // The numpy buffer stays alive through `ratings`; other Python
          // threads may run meanwhile.
          py::gil_scoped_release released;
          r = ag::agree(ratings, statistic, opts);
        }
        return result_dict(r);
      },
      py::arg("ratings"), py::arg("stat"), CALIBRA_OPTION_ARGS,
      "One agreement statistic of a units x raters matrix (NaN = missing); returns a dict.");

  m.def(
      "pairwise",
      [](const ratings_ref& ratings, const std::string& stat, std::optional<std::vector<double>> categories,
         std::optional<std::string> missing, std::optional<std::string> weights,
         std::optional<Eigen::MatrixXd> custom_weights, std::optional<std::string> level,
         std::optional<std::string> form, std::optional<double> category, std::optional<int> tolerance,
         std::optional<double> ci, std::optional<std::int64_t> bootstrap, std::optional<std::uint64_t> seed,
         std::optional<std::string> bootstrap_method, std::optional<std::string> se,
         std::optional<double> population, std::optional<unsigned> threads) {
        const ag::statistic statistic = ag::parse_statistic(stat);
        const ag::options opts = to_options({categories, missing, weights, custom_weights, level, form, category,
                                             tolerance, ci, bootstrap, seed, bootstrap_method, se,
                                             population, threads});
        ag::pairwise_result p;
        {
          py::gil_scoped_release released;
          p = ag::pairwise(ratings, statistic, opts);
        }
        return pairwise_dict(p);
      },
      py::arg("ratings"), py::arg("stat"), CALIBRA_OPTION_ARGS,
      "A rater x rater matrix of a two-rater statistic; returns a dict.");

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
  m.attr("CHOICES") = spellings;

  // Test hook: the address of the first rating as C++ sees it.  Equal to
  // the numpy array's own data pointer exactly when no copy was made.
  m.def(
      "_ratings_address",
      [](const ratings_ref& ratings) { return reinterpret_cast<std::uintptr_t>(ratings.data()); },
      py::arg("ratings"));
}

}  // namespace calibra::python
