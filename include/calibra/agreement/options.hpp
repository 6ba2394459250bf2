// Shared vocabulary of the agreement engine: which statistic, with which
// options, and the one result type every coefficient returns.
//
// Option names and values are spelled exactly as on the CLI
// (`calibra agree --weights quadratic`) and in Python
// (`calibra.agree(data, "gwet", weights="quadratic")`); the to_string /
// parse_* helpers here are the single place that spelling lives.
#pragma once

#include <calibra/config.hpp>
#include <calibra/error.hpp>

#include <Eigen/Core>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <map>

namespace calibra::agreement {

enum class statistic {
  percent,           // pairwise percent agreement (weighted with weights != identity)
  unanimous,         // share of units on which all raters agree
  within,            // share of rater pairs within `tolerance` categories
  cohen,             // Cohen's kappa, exactly two raters
  scott,             // Scott's pi, exactly two raters
  fleiss,            // Fleiss' kappa (Gwet's generalisation for missing data and weights)
  conger,            // Conger's kappa
  light,             // Light's kappa: mean pairwise Cohen
  krippendorff,      // Krippendorff's alpha
  gwet,              // Gwet's AC1 (identity weights) / AC2 (other weights)
  brennan_prediger,  // Brennan-Prediger coefficient
  icc,               // intraclass correlation, Shrout-Fleiss forms
};

enum class missing_policy {
  listwise,   // drop units lacking any rating
  available,  // use every rating (Gwet's generalisation)
};

enum class measurement_level { nominal, ordinal, interval, ratio };

enum class weight_scheme { identity, linear, quadratic, ordinal, radical, ratio, circular, bipolar, custom };

/// Shrout-Fleiss (1979) forms.  McGraw-Wong names map onto these (see parse_icc_form).
enum class icc_form { icc1, icc2, icc3, icc1k, icc2k, icc3k };

/// Standard error method for Cohen's kappa.
enum class kappa_se { nonnull, null_hypothesis };

enum class bootstrap_interval { percentile, bca };

struct options {
  /// Declared category codes.  Empty: the codes observed in the data.
  /// Declared-but-unused categories count (AC1, AC2, Brennan-Prediger depend on q).
  std::vector<double> categories;
  missing_policy missing = missing_policy::available;
  weight_scheme weights = weight_scheme::identity;
  /// Used when weights == custom: q x q, symmetric, 1 on the diagonal, entries in [0, 1].
  Eigen::MatrixXd custom_weights;
  measurement_level level = measurement_level::nominal;  // Krippendorff
  icc_form form = icc_form::icc1;                         // ICC
  std::optional<double> category;                          // Fleiss: one category vs the rest
  int tolerance = 1;                                       // `within`: k categories
  double confidence = 0.95;                                // CI level in (0, 1)
  /// Finite-population correction for Gwet's variance: the number of units
  /// in the population; 0 means infinite (no correction).
  double population_units = 0;
  kappa_se cohen_se = kappa_se::nonnull;
  std::size_t bootstrap = 0;  // number of resamples; 0: analytic interval only
  std::uint64_t seed = 0;
  bootstrap_interval bootstrap_method = bootstrap_interval::bca;
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency()
};

/// The one result type of every coefficient.
struct result {
  statistic stat = statistic::percent;
  /// The point estimate.  Empty only for a degenerate case with no defined
  /// value, in which case `reason` names the case.
  std::optional<double> value;
  std::optional<double> se;
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::string ci_method;  // "t(n-1)", "normal", "F", "bootstrap-bca", ...
  /// Observed and chance agreement, or disagreement for Krippendorff's alpha
  /// (see `disagreement`).
  std::optional<double> observed;
  std::optional<double> chance;
  bool disagreement = false;
  std::size_t n_units = 0;   // units that entered the computation
  std::size_t n_raters = 0;  // raters with at least one rating used
  std::optional<std::string> reason;
  /// Statistic-specific numbers, e.g. ICC "F", "df1", "df2", "p"; Cohen "z".
  std::map<std::string, double> extra;
  /// Per-category values where the statistic has them (Fleiss), keyed by code.
  std::map<double, double> per_category;
  options used;  // every option in effect, defaults included
};

// ---------------------------------------------------------------------------
// Spelling: one place for the names shared by the C++ API, CLI and Python.

namespace detail {
template <typename Enum, std::size_t N>
struct name_table {
  std::array<std::pair<Enum, std::string_view>, N> entries;
  std::string_view what;

  std::string_view name(Enum e) const {
    for (const auto& [value, text] : entries)
      if (value == e) return text;
    return "?";
  }
  Enum parse(std::string_view text) const {
    for (const auto& [value, spelling] : entries)
      if (spelling == text) return value;
    std::string choices;
    for (const auto& entry : entries) {
      if (!choices.empty()) choices += ", ";
      choices += entry.second;
    }
    throw invalid_argument("agreement", "unknown " + std::string(what) + " '" + std::string(text) +
                                            "'; expected one of: " + choices);
  }
};

inline constexpr name_table<statistic, 12> statistic_names{
    {{{statistic::percent, "percent"},
      {statistic::unanimous, "unanimous"},
      {statistic::within, "within"},
      {statistic::cohen, "cohen"},
      {statistic::scott, "scott"},
      {statistic::fleiss, "fleiss"},
      {statistic::conger, "conger"},
      {statistic::light, "light"},
      {statistic::krippendorff, "krippendorff"},
      {statistic::gwet, "gwet"},
      {statistic::brennan_prediger, "brennan-prediger"},
      {statistic::icc, "icc"}}},
    "statistic"};
inline constexpr name_table<missing_policy, 2> missing_names{
    {{{missing_policy::listwise, "listwise"}, {missing_policy::available, "available"}}}, "missing policy"};
inline constexpr name_table<measurement_level, 4> level_names{
    {{{measurement_level::nominal, "nominal"},
      {measurement_level::ordinal, "ordinal"},
      {measurement_level::interval, "interval"},
      {measurement_level::ratio, "ratio"}}},
    "measurement level"};
inline constexpr name_table<weight_scheme, 9> weight_names{
    {{{weight_scheme::identity, "identity"},
      {weight_scheme::linear, "linear"},
      {weight_scheme::quadratic, "quadratic"},
      {weight_scheme::ordinal, "ordinal"},
      {weight_scheme::radical, "radical"},
      {weight_scheme::ratio, "ratio"},
      {weight_scheme::circular, "circular"},
      {weight_scheme::bipolar, "bipolar"},
      {weight_scheme::custom, "custom"}}},
    "weights"};
inline constexpr name_table<icc_form, 6> icc_form_names{
    {{{icc_form::icc1, "ICC1"},
      {icc_form::icc2, "ICC2"},
      {icc_form::icc3, "ICC3"},
      {icc_form::icc1k, "ICC1k"},
      {icc_form::icc2k, "ICC2k"},
      {icc_form::icc3k, "ICC3k"}}},
    "ICC form"};
inline constexpr name_table<kappa_se, 2> kappa_se_names{
    {{{kappa_se::nonnull, "nonnull"}, {kappa_se::null_hypothesis, "null"}}}, "kappa SE method"};
inline constexpr name_table<bootstrap_interval, 2> bootstrap_interval_names{
    {{{bootstrap_interval::percentile, "percentile"}, {bootstrap_interval::bca, "bca"}}},
    "bootstrap interval"};
}  // namespace detail

std::string_view to_string(statistic s);
std::string_view to_string(missing_policy m);
std::string_view to_string(measurement_level l);
std::string_view to_string(weight_scheme w);
std::string_view to_string(icc_form f);
std::string_view to_string(kappa_se k);
std::string_view to_string(bootstrap_interval b);

statistic parse_statistic(std::string_view s);
missing_policy parse_missing_policy(std::string_view s);
measurement_level parse_measurement_level(std::string_view s);
weight_scheme parse_weight_scheme(std::string_view s);
kappa_se parse_kappa_se(std::string_view s);
bootstrap_interval parse_bootstrap_interval(std::string_view s);

/// Accepts the Shrout-Fleiss names (ICC1 ... ICC3k, case-insensitive) and the
/// McGraw-Wong names: "oneway-single", "oneway-average", "twoway-agreement-single",
/// "twoway-agreement-average", "twoway-consistency-single", "twoway-consistency-average".
icc_form parse_icc_form(std::string_view s);

/// Calls `visit(name, value)` for every option, in the spelling shared by
/// the CLI (`--name`), Python (`name=`) and the JSON/dict echo of the options
/// in effect.  Values are passed as: std::vector<double> (categories),
/// std::string_view (enumerations, by their spelling), std::optional<double>
/// (category), int, double, std::size_t, std::uint64_t or unsigned.  The
/// custom weight matrix is not visited; callers echo it where they can.
template <typename Visitor>
void visit_options(const options& o, Visitor&& visit) {
  visit("categories", o.categories);
  visit("missing", to_string(o.missing));
  visit("weights", to_string(o.weights));
  visit("level", to_string(o.level));
  visit("form", to_string(o.form));
  visit("category", o.category);
  visit("tolerance", o.tolerance);
  visit("ci", o.confidence);
  visit("population", o.population_units);
  visit("se", to_string(o.cohen_se));
  visit("bootstrap", o.bootstrap);
  visit("seed", o.seed);
  visit("bootstrap_method", to_string(o.bootstrap_method));
  visit("threads", o.threads);
}

}  // namespace calibra::agreement

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/agreement/options-inl.hpp>
#endif
