// Mergeable agreement summaries (calibra/agreement/summaries.hpp), for data
// that arrives in pieces: a Dask or Spark partition, a file per team.
//
//   s = AgreementSummary("fleiss", n_raters, categories=[1, 2, 3, 4, 5])
//   s.add(part_1); s.add(part_2)      # or build one per part and merge with +=
//   s.finish()                        # the dict agree() returns
//
// Every summary is linear over units, so the summaries of any split of the
// units merge into the summary of the whole.  Two things must be agreed on
// before the first unit is added, because they fix the summary's shape:
// the category codes (declared: `categories=`) and, for ordinal
// Krippendorff, the pooled pairable frequencies that define its distances
// (`marginals=`).  summary_scan() computes both for a piece, with the
// engine's own rules for which units count; the pieces' scans merge by
// union and sum.
//
// Pickling (Dask ships partition results between processes): the C++
// summaries keep their sums private, so a summary also records what it was
// fed in compact form -- each distinct unit pattern of category counts with
// its number of units, or the two raters' contingency table -- and is
// rebuilt from that record.  The ICC summary has no such compact form yet
// and cannot be pickled.
#include "bindings.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/summaries.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

namespace ag = calibra::agreement;
using ratings_ref = ag::ratings_ref;

bool multi_rater_family(ag::statistic stat) {
  switch (stat) {
    case ag::statistic::percent:
    case ag::statistic::unanimous:
    case ag::statistic::within:
    case ag::statistic::fleiss:
    case ag::statistic::gwet:
    case ag::statistic::brennan_prediger:
    case ag::statistic::scott:
      return true;
    default:
      return false;
  }
}

/// The options a statistic actually applies (two-rater statistics use the
/// units both raters rated; Fleiss of one category ignores weights).
ag::options effective_options(ag::statistic stat, const ag::options& opts) {
  return ag::detail::effective_options(stat, opts);
}

void require_two_raters(ag::statistic stat, std::size_t n_raters) {
  if ((stat == ag::statistic::cohen || stat == ag::statistic::scott) && n_raters != 2)
    throw invalid_argument("agreement", std::string(stat == ag::statistic::cohen ? "Cohen's kappa" : "Scott's pi") +
                                            " needs exactly 2 raters (columns); got " + std::to_string(n_raters));
}

/// Pattern of one unit as a map key: category index, count, category index, count...
using pattern_key = std::vector<std::int32_t>;

class agreement_summary {
 public:
  agreement_summary(ag::statistic stat, std::size_t n_raters, ag::options opts,
                    std::optional<Eigen::VectorXd> marginals)
      : stat_(stat), opts_(std::move(opts)), n_raters_(n_raters), active_(n_raters, 0), marginals_(std::move(marginals)) {
    if (stat_ == ag::statistic::conger || stat_ == ag::statistic::light)
      throw invalid_argument("agreement", std::string(ag::to_string(stat_)) +
                                              " has no mergeable summary: it needs every rater's distribution at "
                                              "once (see docs/agreement.md); compute it with agree() on the whole "
                                              "matrix");
    if (opts_.bootstrap > 0)
      throw invalid_argument("agreement", "a summary gives the analytic interval only: the bootstrap resamples "
                                          "whole units and needs them all at once; leave bootstrap at 0");
    require_two_raters(stat_, n_raters_);
    effective_ = effective_options(stat_, opts_);
    ag::detail::check_confidence(opts_.confidence);

    if (stat_ == ag::statistic::icc) {
      summary_ = ag::icc_summary(n_raters_);
      return;
    }
    if (opts_.categories.empty())
      throw invalid_argument("agreement", "a summary needs the category codes before the first unit: pass "
                                          "categories=[...] (summary_scan() finds the codes of a piece; "
                                          "calibra.dask finds them in a first pass)");
    categories_ = ag::category_set::declared(opts_.categories);

    if (multi_rater_family(stat_)) {
      ag::category_set summary_categories = categories_;
      if (stat_ == ag::statistic::fleiss && opts_.category) {
        // One category against the rest, as fleiss_kappa codes it.
        if (categories_.index_of(*opts_.category) == ag::missing_index)
          throw invalid_argument("agreement", "options.category " + ag::detail::format_code(*opts_.category) +
                                                  " is not one of the declared categories");
        summary_categories = ag::category_set::from_sorted({*opts_.category - 1, *opts_.category});
      }
      summary_ = ag::multi_rater_summary(summary_categories,
                                         ag::detail::family_weights(stat_, effective_, summary_categories));
    } else if (stat_ == ag::statistic::cohen) {
      summary_ = ag::contingency_summary(categories_, ag::weights_for(effective_, categories_.codes()));
    } else if (stat_ == ag::statistic::krippendorff) {
      if (effective_.weights != ag::weight_scheme::identity)
        throw invalid_argument("agreement", "Krippendorff's alpha takes its distance from options.level; "
                                            "options.weights must stay 'identity'");
      std::optional<Eigen::MatrixXd> variance_weights;
      if (effective_.level == ag::measurement_level::ordinal && marginals_) {
        if (marginals_->size() != static_cast<Eigen::Index>(categories_.size()))
          throw invalid_argument("agreement", "marginals: " + std::to_string(marginals_->size()) +
                                                  " frequencies for " + std::to_string(categories_.size()) +
                                                  " categories; expected one per declared category");
        variance_weights = ag::krippendorff_weights(effective_.level, categories_.codes(), *marginals_);
      }
      summary_ = ag::krippendorff_summary(categories_, effective_.level, std::move(variance_weights));
    }
  }

  ag::statistic statistic() const { return stat_; }
  const ag::options& options() const { return opts_; }
  std::size_t n_raters() const { return n_raters_; }
  const std::optional<Eigen::VectorXd>& marginals() const { return marginals_; }
  double units() const { return units_; }

  /// Adds the units (rows) of a units x raters matrix.
  void add(const ratings_ref& ratings) {
    if (static_cast<std::size_t>(ratings.cols()) != n_raters_)
      throw invalid_argument("agreement", "the summary has " + std::to_string(n_raters_) + " raters (columns) but "
                                              "the ratings have " + std::to_string(ratings.cols()));
    if (auto* icc = std::get_if<ag::icc_summary>(&summary_)) {
      for (Eigen::Index u = 0; u < ratings.rows(); ++u) {
        if (!ag::detail::unit_is_complete(ratings, u)) {
          ++units_dropped_;
          continue;
        }
        if (n_raters_ > 0) icc->add_unit(ratings.row(u));
        units_ += 1;
      }
      if (units_ > 0) std::fill(active_.begin(), active_.end(), 1);
      return;
    }
    ag::coded_ratings coded = ag::code_ratings(ratings, effective_);
    for (Eigen::Index j = 0; j < coded.index.cols(); ++j)
      if ((coded.index.col(j).array() != ag::missing_index).any()) active_[static_cast<std::size_t>(j)] = 1;
    if (auto* table = std::get_if<ag::contingency_summary>(&summary_)) {
      for (Eigen::Index u = 0; u < coded.index.rows(); ++u) {
        table->add_pair(coded.index(u, 0), coded.index(u, 1));
        units_ += 1;
      }
      return;
    }
    if (stat_ == ag::statistic::fleiss && opts_.category) coded = ag::detail::one_versus_rest(coded, *opts_.category);
    pattern_key key;
    ag::detail::for_each_unit(coded, [&](std::size_t, const std::int32_t* category, const double* count, std::size_t n) {
      add_pattern(category, count, n, 1.0);
      key.clear();
      for (std::size_t a = 0; a < n; ++a) {
        key.push_back(category[a]);
        key.push_back(static_cast<std::int32_t>(count[a]));
      }
      patterns_[key] += 1.0;
      units_ += 1;
    });
  }

  agreement_summary& operator+=(const agreement_summary& other) {
    if (other.stat_ != stat_ || other.n_raters_ != n_raters_ || other.categories_ != categories_)
      throw invalid_argument("agreement", "cannot merge summaries of different statistics, raters or categories: " +
                                              describe() + " and " + other.describe());
    std::visit(
        [&](auto& mine) {
          using summary_type = std::decay_t<decltype(mine)>;
          if constexpr (!std::is_same_v<summary_type, std::monostate>) mine += std::get<summary_type>(other.summary_);
        },
        summary_);
    for (std::size_t j = 0; j < active_.size(); ++j) active_[j] = active_[j] || other.active_[j];
    for (const auto& [key, units] : other.patterns_) patterns_[key] += units;
    units_ += other.units_;
    units_dropped_ += other.units_dropped_;
    return *this;
  }

  ag::result finish() const {
    const auto active = static_cast<std::size_t>(std::count(active_.begin(), active_.end(), 1));
    ag::result r;
    if (const auto* icc = std::get_if<ag::icc_summary>(&summary_)) {
      // What agreement::icc() does after its pass over the rows.
      ag::icc_anova anova = icc->finish();
      anova.n_raters = n_raters_;
      anova.n_units = units_;
      r = ag::icc_from_anova(anova, opts_.form, opts_.confidence);
      r.n_units = static_cast<std::size_t>(units_);
      r.extra["units_dropped"] = units_dropped_;
      r.used = opts_;
      r.used.missing = ag::missing_policy::listwise;
    } else if (const auto* table = std::get_if<ag::contingency_summary>(&summary_)) {
      r = table->finish(effective_);
    } else if (const auto* kripp = std::get_if<ag::krippendorff_summary>(&summary_)) {
      ag::krippendorff_summary copy = *kripp;
      copy.n_raters = active;
      r = copy.finish(effective_);
    } else if (const auto* multi = std::get_if<ag::multi_rater_summary>(&summary_)) {
      ag::multi_rater_summary copy = *multi;
      copy.n_raters = active;
      r = copy.finish(stat_, effective_);
      if (stat_ == ag::statistic::scott) r.per_category.clear();
      if (stat_ == ag::statistic::fleiss && opts_.category) {
        r.per_category.clear();
        r.used = ag::detail::used_options(opts_, categories_);
      }
    }
    r.stat = stat_;
    return r;
  }

  // ---- pickling ----------------------------------------------------------------

  py::tuple state() const {
    if (std::holds_alternative<ag::icc_summary>(summary_))
      throw py::type_error("an ICC summary cannot be pickled yet: the C++ icc_summary does not expose its sums; "
                           "merge ICC summaries in one process (e.g. a Dask cluster with processes=False)");
    py::list patterns;
    for (const auto& [key, units] : patterns_) patterns.append(py::make_tuple(key, units));
    py::object table = py::none();
    if (const auto* contingency = std::get_if<ag::contingency_summary>(&summary_)) table = py::cast(contingency->table());
    return py::make_tuple(1, std::string(ag::to_string(stat_)), n_raters_, options_dict(opts_), marginals_, active_,
                          units_, units_dropped_, patterns, table);
  }

  static agreement_summary from_state(const py::tuple& t) {
    if (t.size() != 10 || t[0].cast<int>() != 1)
      throw invalid_argument("agreement", "not the pickled state of an AgreementSummary of this calibra version");
    py::dict stored = t[3].cast<py::dict>();
    py::kwargs kwargs;
    for (const auto& [name, value] : stored)
      if (name.cast<std::string>() != "custom_weights") kwargs[name] = value;
    if (stored.contains("custom_weights")) kwargs["weights"] = stored["custom_weights"];
    agreement_summary s(ag::parse_statistic(t[1].cast<std::string>()), t[2].cast<std::size_t>(),
                        options_from_kwargs(kwargs), t[4].cast<std::optional<Eigen::VectorXd>>());
    s.active_ = t[5].cast<std::vector<char>>();
    s.units_ = t[6].cast<double>();
    s.units_dropped_ = t[7].cast<double>();
    std::vector<double> count;
    for (py::handle entry : t[8].cast<py::list>()) {
      const auto pair = entry.cast<py::tuple>();
      const auto key = pair[0].cast<pattern_key>();
      const double units = pair[1].cast<double>();
      std::vector<std::int32_t> category;
      count.clear();
      for (std::size_t a = 0; a + 1 < key.size(); a += 2) {
        category.push_back(key[a]);
        count.push_back(key[a + 1]);
      }
      s.add_pattern(category.data(), count.data(), category.size(), units);
      s.patterns_[key] += units;
    }
    if (auto* table = std::get_if<ag::contingency_summary>(&s.summary_)) {
      const auto cells = t[9].cast<Eigen::MatrixXd>();
      if (cells.rows() != table->table().rows() || cells.cols() != table->table().cols())
        throw invalid_argument("agreement", "pickled contingency table does not match the categories");
      for (Eigen::Index x = 0; x < cells.rows(); ++x)
        for (Eigen::Index y = 0; y < cells.cols(); ++y)
          if (cells(x, y) != 0) table->add_pair(static_cast<std::int32_t>(x), static_cast<std::int32_t>(y), cells(x, y));
    }
    return s;
  }

  std::string describe() const {
    std::string out = std::string(ag::to_string(stat_)) + " over " + std::to_string(n_raters_) + " raters";
    if (!categories_.empty()) {
      out += ", categories [";
      for (std::size_t k = 0; k < categories_.size(); ++k)
        out += (k ? ", " : "") + ag::detail::format_code(categories_.code(k));
      out += "]";
    }
    return out;
  }

 private:
  void add_pattern(const std::int32_t* category, const double* count, std::size_t n, double units) {
    std::visit(
        [&](auto& summary) {
          using summary_type = std::decay_t<decltype(summary)>;
          if constexpr (std::is_same_v<summary_type, ag::multi_rater_summary> ||
                        std::is_same_v<summary_type, ag::krippendorff_summary>)
            summary.add_unit(category, count, n, units);
        },
        summary_);
  }

  ag::statistic stat_;
  ag::options opts_;
  ag::options effective_;
  ag::category_set categories_;
  std::size_t n_raters_;
  std::vector<char> active_;  // per column: rated in a kept unit
  std::optional<Eigen::VectorXd> marginals_;
  std::variant<std::monostate, ag::multi_rater_summary, ag::contingency_summary, ag::krippendorff_summary,
               ag::icc_summary>
      summary_;
  std::map<pattern_key, double> patterns_;  // the record pickling rebuilds from
  double units_ = 0;
  double units_dropped_ = 0;
};

/// What a piece of data contributes to the shape of a summary: the category
/// codes of the units the statistic keeps, how often each code occurs in
/// pairable units (Krippendorff's ordinal distances), and the units kept.
py::dict summary_scan(const ratings_ref& ratings, const std::string& stat_name, const py::kwargs& kwargs) {
  const ag::statistic stat = ag::parse_statistic(stat_name);
  ag::options opts = options_from_kwargs(kwargs);
  require_two_raters(stat, static_cast<std::size_t>(ratings.cols()));
  const ag::options effective = effective_options(stat, opts);
  py::dict out;
  if (stat == ag::statistic::icc) {
    std::size_t complete = 0;
    for (Eigen::Index u = 0; u < ratings.rows(); ++u) complete += ag::detail::unit_is_complete(ratings, u);
    out["codes"] = std::vector<double>{};
    out["pairable"] = std::vector<double>{};
    out["units"] = complete;
    return out;
  }
  const ag::coded_ratings coded = ag::code_ratings(ratings, effective);
  // From the CSR table rather than for_each_unit: GCC 12 misreads the
  // inlined scratch vectors of for_each_unit here (-Wfree-nonheap-object).
  const ag::detail::unit_counts table = ag::detail::count_units(coded);
  std::vector<double> pairable(coded.categories.size(), 0.0);
  for (std::size_t u = 0; u < table.n_units(); ++u) {
    double r = 0;
    for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e) r += table.count[e];
    if (r < 2) continue;
    for (std::size_t e = table.offsets[u]; e < table.offsets[u + 1]; ++e)
      pairable[static_cast<std::size_t>(table.category[e])] += table.count[e];
  }
  out["codes"] = coded.categories.codes();
  out["pairable"] = pairable;
  out["units"] = coded.n_units();
  return out;
}

}  // namespace

void register_summaries(py::module_& m) {
  py::class_<agreement_summary>(m, "AgreementSummary",
                                "Mergeable sufficient statistics of one agreement statistic (see summaries.hpp).")
      .def(py::init([](const std::string& stat, std::size_t n_raters, std::optional<Eigen::VectorXd> marginals,
                       const py::kwargs& kwargs) {
             return agreement_summary(ag::parse_statistic(stat), n_raters, options_from_kwargs(kwargs),
                                      std::move(marginals));
           }),
           py::arg("stat"), py::arg("n_raters"), py::kw_only(), py::arg("marginals") = py::none())
      .def(
          "add",
          [](agreement_summary& s, const ratings_ref& ratings) {
            py::gil_scoped_release released;
            s.add(ratings);
          },
          py::arg("ratings"), "Adds the units (rows) of a units x raters matrix.")
      .def(
          "__iadd__", [](agreement_summary& s, const agreement_summary& other) -> agreement_summary& { return s += other; },
          py::return_value_policy::reference_internal)
      .def("__add__",
           [](const agreement_summary& s, const agreement_summary& other) {
             agreement_summary sum = s;
             sum += other;
             return sum;
           })
      .def("finish", [](const agreement_summary& s) { return result_dict(s.finish()); },
           "The statistic of every unit added so far, as agree() returns it.")
      .def_property_readonly("statistic", [](const agreement_summary& s) { return std::string(ag::to_string(s.statistic())); })
      .def_property_readonly("n_raters", &agreement_summary::n_raters)
      .def_property_readonly("n_units", &agreement_summary::units, "Units added and kept (complete units for ICC).")
      .def_property_readonly("options", [](const agreement_summary& s) { return options_dict(s.options()); })
      .def("__repr__",
           [](const agreement_summary& s) {
             return "<calibra.AgreementSummary " + s.describe() + ": " +
                    std::to_string(static_cast<long long>(s.units())) + " units>";
           })
      .def(py::pickle([](const agreement_summary& s) { return s.state(); },
                      [](const py::tuple& t) { return agreement_summary::from_state(t); }));

  m.def("summary_scan", &summary_scan, py::arg("ratings"), py::arg("stat"),
        "{'codes': category codes of the kept units, 'pairable': their frequencies in pairable units, 'units': kept "
        "units} of one piece of data, under the statistic's rules.");
}

}  // namespace calibra::python
