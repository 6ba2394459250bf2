// `calibra agree FILE.csv --stat STAT [options]` and `calibra agree FILE.csv --all`.
//
// Reads a wide CSV file (one column per rater, one row per unit), computes
// one agreement statistic or all of them, and prints either an aligned text
// block or JSON.  Option names and values are the spellings of
// calibra/agreement/options.hpp, so the CLI, C++ and Python agree on them.
#include "commands.hpp"
#include "text_table.hpp"
// The io layer's JSON values (private to the library's sources; the CLI
// is built with them and links calibra::io).
#include "../io/agreement_json.hpp"
#include "../io/json_values.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/interpretation.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>
#include <calibra/io/wide_csv.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace calibra::cli {
namespace {

using nlohmann::ordered_json;
namespace ag = calibra::agreement;

struct agree_input {
  std::string file;
  std::string stat;
  bool all = false;
  bool json_output = false;
  std::string weights, level, form, categories, missing, se, bootstrap_method, unit_column;
  std::optional<double> category;
  std::optional<int> tolerance;
  double confidence = ag::options{}.confidence;
  std::size_t bootstrap = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  double population = 0;
};

/// "1,2,3" -> {1, 2, 3}; spaces around numbers are allowed.
std::vector<double> parse_category_list(const std::string& text) {
  std::vector<double> codes;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? std::string() : item.substr(first, last - first + 1);
    double value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() || !std::isfinite(value))
      throw invalid_argument("cli", "--categories: '" + item + "' (item " + std::to_string(codes.size() + 1) +
                                        ") is not a number; expected a comma-separated list such as 1,2,3,4,5");
    codes.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return codes;
}

/// A number as a person would write it: 1.2, not 1.200000.
std::string plain_number(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

ag::options options_from(const agree_input& in) {
  ag::options opts;
  if (!in.weights.empty()) opts.weights = ag::parse_weight_scheme(in.weights);
  if (opts.weights == ag::weight_scheme::custom)
    throw invalid_argument("cli", "--weights custom needs a weight matrix, which the command line cannot take; "
                                  "use a named scheme (identity, linear, quadratic, ...) or the C++/Python API");
  if (!in.level.empty()) opts.level = ag::parse_measurement_level(in.level);
  if (!in.form.empty()) opts.form = ag::parse_icc_form(in.form);
  if (!in.categories.empty()) opts.categories = parse_category_list(in.categories);
  if (!in.missing.empty()) opts.missing = ag::parse_missing_policy(in.missing);
  if (!in.se.empty()) opts.cohen_se = ag::parse_kappa_se(in.se);
  if (!in.bootstrap_method.empty()) opts.bootstrap_method = ag::parse_bootstrap_interval(in.bootstrap_method);
  opts.category = in.category;
  if (in.tolerance) {
    if (*in.tolerance < 0)
      throw invalid_argument("cli", "--tolerance " + std::to_string(*in.tolerance) +
                                        ": expected a number of categories, 0 or more");
    opts.tolerance = *in.tolerance;
  }
  if (!(in.confidence > 0 && in.confidence < 1))
    throw invalid_argument("cli", "--ci " + plain_number(in.confidence) +
                                      ": expected a confidence level strictly between 0 and 1, e.g. 0.95");
  opts.confidence = in.confidence;
  if (!(in.population >= 0) || !std::isfinite(in.population))
    throw invalid_argument("cli", "--population: expected the number of units in the population (0: infinite)");
  opts.population_units = in.population;
  opts.bootstrap = in.bootstrap;
  opts.seed = in.seed;
  opts.threads = in.threads;
  return opts;
}

/// The library's JSON of one result (io/agreement_json.hpp), with what only
/// the command knows added: the input file after `statistic`, and the
/// `--unit-column` among the options.
ordered_json result_json(const ag::result& r, const agree_input& in) {
  const ordered_json result = io::detail::to_json_value(r);
  ordered_json doc = ordered_json::object();
  for (const auto& [key, value] : result.items()) {
    doc[key] = value;
    if (key == "statistic") doc["file"] = in.file;
  }
  doc["options"]["unit_column"] = io::detail::text_or_null(in.unit_column);
  return doc;
}

std::string format_number(std::optional<double> x, int decimals = 4) {
  if (!x || !std::isfinite(*x)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *x);
  return buffer;
}

std::string format_p(double p) {
  if (!std::isfinite(p)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.2e" : "%.4f", p);
  return buffer;
}

std::string statistic_title(const ag::result& r) {
  std::string title(ag::to_string(r.stat));
  if (r.stat == ag::statistic::icc) title += " (" + std::string(ag::to_string(r.used.form)) + ")";
  if (r.stat == ag::statistic::krippendorff) title += " (" + std::string(ag::to_string(r.used.level)) + ")";
  if (r.stat == ag::statistic::gwet || r.stat == ag::statistic::cohen || r.stat == ag::statistic::percent ||
      r.stat == ag::statistic::fleiss || r.stat == ag::statistic::brennan_prediger ||
      r.stat == ag::statistic::conger || r.stat == ag::statistic::scott || r.stat == ag::statistic::light)
    if (r.used.weights != ag::weight_scheme::identity) title += " (" + std::string(ag::to_string(r.used.weights)) + ")";
  return title;
}

std::string interval_text(const ag::result& r) {
  if (!r.ci_low || !r.ci_high) return "-";
  return "[" + format_number(r.ci_low) + ", " + format_number(r.ci_high) + "]";
}

std::string confidence_label(double confidence) {
  std::ostringstream s;
  s << confidence * 100 << "% CI";
  return s.str();
}

/// The aligned block for one statistic.
std::string result_text(const ag::result& r, const std::string& file) {
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back("statistic", statistic_title(r));
  if (r.value) {
    std::string value = format_number(r.value);
    if (const auto reading = ag::interpret(r))
      value += "  (" + std::string(reading->label) + ", " + std::string(ag::to_string(reading->scale)) + ")";
    lines.emplace_back("value", value);
  } else {
    lines.emplace_back("value", "undefined: " + r.reason.value_or("no value"));
  }
  lines.emplace_back("se", format_number(r.se));
  std::string interval = interval_text(r);
  if (interval != "-" && !r.ci_method.empty()) {
    interval += "  (" + r.ci_method;
    if (const auto it = r.extra.find("bootstrap_resamples"); it != r.extra.end())
      interval += ", " + std::to_string(static_cast<long long>(it->second)) + " resamples";
    interval += ")";
  }
  lines.emplace_back(confidence_label(r.used.confidence), interval);
  if (r.stat == ag::statistic::icc && r.extra.count("F"))
    lines.emplace_back("F test", "F(" + format_number(r.extra.at("df1"), 0) + ", " + format_number(r.extra.at("df2"), 0) +
                                     ") = " + format_number(r.extra.at("F"), 3) + ", p = " + format_p(r.extra.at("p")));
  const std::string observed_name = r.disagreement ? "observed disagreement" : "observed";
  const std::string chance_name = r.disagreement ? "expected disagreement" : "chance";
  if (r.observed || r.chance) {
    lines.emplace_back(observed_name, format_number(r.observed));
    lines.emplace_back(chance_name, format_number(r.chance));
  }
  lines.emplace_back("units", std::to_string(r.n_units));
  lines.emplace_back("raters", std::to_string(r.n_raters));
  lines.emplace_back("file", file);

  std::size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.first.size());
  std::string out;
  for (const auto& [name, value] : lines) out += name + std::string(width - name.size() + 2, ' ') + value + "\n";
  return out;
}

/// One row per statistic for `--all`.
std::string all_text(const std::vector<ag::result>& results, const std::string& file) {
  const double confidence = results.empty() ? 0.95 : results.front().used.confidence;
  // Labels: Landis & Koch for the chance-corrected coefficients, Koo & Li for ICC, Krippendorff for alpha.
  text_table table({"statistic", "value", "label", "se", confidence_label(confidence), "units", "raters", "note"});
  for (const auto& r : results) {
    const auto reading = ag::interpret(r);
    table.add({statistic_title(r), r.value ? format_number(r.value) : "-", reading ? std::string(reading->label) : "-",
               format_number(r.se), interval_text(r), std::to_string(r.n_units), std::to_string(r.n_raters),
               r.reason.value_or("")});
  }
  return file + "\n" + table.render();
}

void run_agree(const agree_input& in) {
  if (in.all == !in.stat.empty())
    throw invalid_argument("cli", "agree: give either --stat STAT or --all (one of: " + [] {
      std::string names;
      for (const auto& entry : ag::detail::statistic_names.entries) {
        if (!names.empty()) names += ", ";
        names += entry.second;
      }
      return names;
    }() + ")");
  // Option values are checked before the file is read, so a typo is
  // reported as such even when the file is large.
  // (A plain enum rather than std::optional: GCC 12 warns falsely that an
  // optional enum "may be used uninitialized" at some inlining choices.)
  const ag::statistic stat = in.all ? ag::statistic::percent : ag::parse_statistic(in.stat);
  const ag::options opts = options_from(in);

  wide_csv_options csv_options;
  csv_options.unit_column = in.unit_column;
  const wide_ratings data = read_wide_csv(in.file, csv_options);

  if (!in.all) {
    const ag::result r = ag::agree(data.ratings, stat, opts);
    write_output("", in.json_output ? dump_json(result_json(r, in)) : result_text(r, in.file));
    return;
  }

  // --all: a statistic that cannot apply to this table (Cohen's kappa with
  // three raters, say) becomes a row with no value and the reason, so one
  // misfit does not hide the others.
  std::vector<ag::result> results;
  for (const auto& entry : ag::detail::statistic_names.entries) {
    try {
      results.push_back(ag::agree(data.ratings, entry.first, opts));
    } catch (const calibra::invalid_argument& e) {
      ag::result r;
      r.stat = entry.first;
      r.used = opts;
      r.reason = e.what();
      results.push_back(r);
    }
  }
  if (in.json_output) {
    ordered_json list = ordered_json::array();
    for (const auto& r : results) list.push_back(result_json(r, in));
    write_output("", dump_json(list));
  } else {
    write_output("", all_text(results, in.file));
  }
}

}  // namespace

void add_agree_command(CLI::App& app, exit_status& status) {
  (void)status;  // every outcome of `agree` maps to an exception or exit 0
  auto in = std::make_shared<agree_input>();
  auto* cmd = app.add_subcommand(
      "agree",
      "Inter-rater agreement of a wide CSV file (header of rater names, one row per unit, empty cell = missing)");
  cmd->add_option("FILE", in->file, "Wide CSV file of ratings")->required();
  auto* stat_option = cmd->add_option(
      "--stat", in->stat,
      "Statistic: percent, unanimous, within, cohen, scott, fleiss, conger, light, krippendorff, gwet, "
      "brennan-prediger, icc");
  auto* all_flag = cmd->add_flag("--all", in->all, "Every statistic (ICC in the form of --form, default ICC1)");
  stat_option->excludes(all_flag);
  cmd->add_option("--weights", in->weights,
                  "Weights: identity (default), linear, quadratic, ordinal, radical, ratio, circular, bipolar");
  cmd->add_option("--level", in->level, "Krippendorff measurement level: nominal (default), ordinal, interval, ratio");
  cmd->add_option("--form", in->form,
                  "ICC form: ICC1 (default), ICC2, ICC3, ICC1k, ICC2k, ICC3k, or a McGraw-Wong name such as "
                  "twoway-agreement-single");
  cmd->add_option("--categories", in->categories,
                  "Declared category codes, comma-separated (default: the codes in the data)");
  cmd->add_option("--missing", in->missing, "Missing ratings: available (default) or listwise");
  cmd->add_option("--category", in->category, "Fleiss: one category against the rest");
  cmd->add_option("--tolerance", in->tolerance, "within: agreement within K categories (default 1)");
  cmd->add_option("--ci", in->confidence, "Confidence level of the interval (default 0.95)");
  cmd->add_option("--bootstrap", in->bootstrap, "Bootstrap resamples over units (default 0: analytic interval)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", in->seed, "Bootstrap seed (default 0); same seed, same interval")->check(CLI::NonNegativeNumber);
  cmd->add_option("--bootstrap-method", in->bootstrap_method, "Bootstrap interval: bca (default) or percentile");
  cmd->add_option("--threads", in->threads, "Bootstrap threads (default 0: all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--se", in->se, "Cohen's kappa standard error: nonnull (default) or null");
  cmd->add_option("--population", in->population,
                  "Units in the population, for Gwet's finite-population correction (default 0: infinite)");
  cmd->add_option("--unit-column", in->unit_column, "Header name of the column holding unit identifiers");
  cmd->add_flag("--json", in->json_output, "Print JSON (an array with --all)");
  cmd->callback([in] { run_agree(*in); });
}

}  // namespace calibra::cli
