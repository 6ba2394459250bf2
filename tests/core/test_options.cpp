// The spelling tables of <calibra/agreement/options.hpp>.  These names are a
// public contract shared by the C++ API, the CLI and the Python module, so
// the expected spellings are written out here rather than read back from
// the tables.
#include <calibra/agreement/options.hpp>
#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agreement = calibra::agreement;

namespace {

template <typename Enum>
using spellings = std::vector<std::pair<Enum, std::string>>;

// For every entry: to_string gives the spelling, the parser gives the value
// back, and no two values share a spelling.
template <typename Enum, typename Parser>
void check_round_trip(const spellings<Enum>& expected, Parser parse) {
  std::set<std::string> seen;
  for (const auto& [value, spelling] : expected) {
    INFO("spelling '" << spelling << "'");
    CHECK(std::string(agreement::to_string(value)) == spelling);
    CHECK(parse(spelling) == value);
    CHECK(parse(std::string(agreement::to_string(value))) == value);
    CHECK(seen.insert(spelling).second);
  }
}

// The parser rejects `text` with calibra::invalid_argument whose message
// quotes the text and lists every accepted spelling.
template <typename Parser>
void check_rejects(Parser parse, const std::string& text, const std::string& what,
                   const std::vector<std::string>& choices) {
  INFO("input '" << text << "'");
  try {
    parse(text);
    FAIL("no exception for '" << text << "'");
  } catch (const calibra::invalid_argument& e) {
    const std::string message = e.what();
    CHECK(e.id() == "invalid_argument.agreement");
    CHECK_THAT(message, Catch::StartsWith("[calibra.invalid_argument.agreement] unknown " + what + " '" +
                                          text + "'"));
    std::string listed;
    for (const auto& choice : choices) listed += (listed.empty() ? "" : ", ") + choice;
    CHECK_THAT(message, Catch::EndsWith("expected one of: " + listed));
  }
}

template <typename Enum>
std::vector<std::string> names_of(const spellings<Enum>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.push_back(entry.second);
  return names;
}

const spellings<agreement::statistic> statistic_spellings{
    {agreement::statistic::percent, "percent"},
    {agreement::statistic::unanimous, "unanimous"},
    {agreement::statistic::within, "within"},
    {agreement::statistic::cohen, "cohen"},
    {agreement::statistic::scott, "scott"},
    {agreement::statistic::fleiss, "fleiss"},
    {agreement::statistic::conger, "conger"},
    {agreement::statistic::light, "light"},
    {agreement::statistic::krippendorff, "krippendorff"},
    {agreement::statistic::gwet, "gwet"},
    {agreement::statistic::brennan_prediger, "brennan-prediger"},
    {agreement::statistic::icc, "icc"},
};

const spellings<agreement::missing_policy> missing_spellings{
    {agreement::missing_policy::listwise, "listwise"},
    {agreement::missing_policy::available, "available"},
};

const spellings<agreement::measurement_level> level_spellings{
    {agreement::measurement_level::nominal, "nominal"},
    {agreement::measurement_level::ordinal, "ordinal"},
    {agreement::measurement_level::interval, "interval"},
    {agreement::measurement_level::ratio, "ratio"},
};

const spellings<agreement::weight_scheme> weight_spellings{
    {agreement::weight_scheme::identity, "identity"}, {agreement::weight_scheme::linear, "linear"},
    {agreement::weight_scheme::quadratic, "quadratic"}, {agreement::weight_scheme::ordinal, "ordinal"},
    {agreement::weight_scheme::radical, "radical"},   {agreement::weight_scheme::ratio, "ratio"},
    {agreement::weight_scheme::circular, "circular"}, {agreement::weight_scheme::bipolar, "bipolar"},
    {agreement::weight_scheme::custom, "custom"},
};

const spellings<agreement::icc_form> icc_spellings{
    {agreement::icc_form::icc1, "ICC1"},   {agreement::icc_form::icc2, "ICC2"},
    {agreement::icc_form::icc3, "ICC3"},   {agreement::icc_form::icc1k, "ICC1k"},
    {agreement::icc_form::icc2k, "ICC2k"}, {agreement::icc_form::icc3k, "ICC3k"},
};

const spellings<agreement::kappa_se> kappa_se_spellings{
    {agreement::kappa_se::nonnull, "nonnull"},
    {agreement::kappa_se::null_hypothesis, "null"},
};

const spellings<agreement::bootstrap_interval> bootstrap_spellings{
    {agreement::bootstrap_interval::percentile, "percentile"},
    {agreement::bootstrap_interval::bca, "bca"},
};

}  // namespace

TEST_CASE("statistic names round-trip", "[options]") {
  check_round_trip(statistic_spellings, [](std::string_view s) { return agreement::parse_statistic(s); });
}

TEST_CASE("missing-policy names round-trip", "[options]") {
  check_round_trip(missing_spellings, [](std::string_view s) { return agreement::parse_missing_policy(s); });
}

TEST_CASE("measurement-level names round-trip", "[options]") {
  check_round_trip(level_spellings, [](std::string_view s) { return agreement::parse_measurement_level(s); });
}

TEST_CASE("weight-scheme names round-trip", "[options]") {
  check_round_trip(weight_spellings, [](std::string_view s) { return agreement::parse_weight_scheme(s); });
}

TEST_CASE("Shrout-Fleiss ICC form names round-trip", "[options][icc]") {
  check_round_trip(icc_spellings, [](std::string_view s) { return agreement::parse_icc_form(s); });
}

TEST_CASE("kappa standard-error names round-trip", "[options]") {
  check_round_trip(kappa_se_spellings, [](std::string_view s) { return agreement::parse_kappa_se(s); });
}

TEST_CASE("bootstrap-interval names round-trip", "[options]") {
  check_round_trip(bootstrap_spellings,
                   [](std::string_view s) { return agreement::parse_bootstrap_interval(s); });
}

TEST_CASE("Shrout-Fleiss ICC names are case-insensitive", "[options][icc]") {
  CHECK(agreement::parse_icc_form("icc1") == agreement::icc_form::icc1);
  CHECK(agreement::parse_icc_form("Icc2") == agreement::icc_form::icc2);
  CHECK(agreement::parse_icc_form("ICC3K") == agreement::icc_form::icc3k);
  CHECK(agreement::parse_icc_form("icc2k") == agreement::icc_form::icc2k);
  CHECK(agreement::parse_icc_form("iCc1K") == agreement::icc_form::icc1k);
}

TEST_CASE("McGraw-Wong ICC names map onto the Shrout-Fleiss forms", "[options][icc]") {
  // McGraw & Wong (1996), Table 4, as also tabulated in the psych::ICC
  // documentation: one-way random = ICC(1), two-way absolute agreement =
  // ICC(2) (random raters), two-way consistency = ICC(3) (fixed raters);
  // "average" is the mean of k raters.
  const std::vector<std::pair<std::string, agreement::icc_form>> mcgraw_wong{
      {"oneway-single", agreement::icc_form::icc1},
      {"oneway-average", agreement::icc_form::icc1k},
      {"twoway-agreement-single", agreement::icc_form::icc2},
      {"twoway-agreement-average", agreement::icc_form::icc2k},
      {"twoway-consistency-single", agreement::icc_form::icc3},
      {"twoway-consistency-average", agreement::icc_form::icc3k},
  };
  for (const auto& [name, form] : mcgraw_wong) {
    INFO(name);
    CHECK(agreement::parse_icc_form(name) == form);
    // Upper case is accepted here too.
    std::string upper = name;
    for (auto& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    CHECK(agreement::parse_icc_form(upper) == form);
  }
}

TEST_CASE("unknown names throw invalid_argument listing the choices", "[options][errors]") {
  const auto statistic = [](std::string_view s) { return agreement::parse_statistic(s); };
  check_rejects(statistic, "kappa", "statistic", names_of(statistic_spellings));
  check_rejects(statistic, "", "statistic", names_of(statistic_spellings));
  // No prefix matching and no trimming: the CLI shows exactly what it accepts.
  check_rejects(statistic, "fle", "statistic", names_of(statistic_spellings));
  check_rejects(statistic, " fleiss", "statistic", names_of(statistic_spellings));
  check_rejects(statistic, "brennan_prediger", "statistic", names_of(statistic_spellings));

  check_rejects([](std::string_view s) { return agreement::parse_missing_policy(s); }, "pairwise",
                "missing policy", names_of(missing_spellings));
  check_rejects([](std::string_view s) { return agreement::parse_measurement_level(s); }, "nominal-ish",
                "measurement level", names_of(level_spellings));
  check_rejects([](std::string_view s) { return agreement::parse_weight_scheme(s); }, "cubic", "weights",
                names_of(weight_spellings));
  check_rejects([](std::string_view s) { return agreement::parse_kappa_se(s); }, "bootstrap",
                "kappa SE method", names_of(kappa_se_spellings));
  check_rejects([](std::string_view s) { return agreement::parse_bootstrap_interval(s); }, "bc",
                "bootstrap interval", names_of(bootstrap_spellings));
}

TEST_CASE("unknown ICC forms list the Shrout-Fleiss names", "[options][icc][errors]") {
  const auto icc = [](std::string_view s) { return agreement::parse_icc_form(s); };
  check_rejects(icc, "ICC4", "ICC form", names_of(icc_spellings));
  check_rejects(icc, "twoway-single", "ICC form", names_of(icc_spellings));
  check_rejects(icc, "", "ICC form", names_of(icc_spellings));
  // The rejected text is quoted as the caller wrote it, not lower-cased.
  check_rejects(icc, "OneWay", "ICC form", names_of(icc_spellings));
}

TEST_CASE("to_string of a value outside the table does not crash", "[options]") {
  // The underlying type of a scoped enum is int, so any int is a valid value.
  CHECK(agreement::to_string(static_cast<agreement::statistic>(99)) == "?");
  CHECK(agreement::to_string(static_cast<agreement::weight_scheme>(-1)) == "?");
}
