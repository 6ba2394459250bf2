// Property tests of the agreement engine on generated data.
//
// Each property runs on many rating matrices drawn from a seeded generator
// (Catch2 GENERATE over the seeds), so a failure names the seed that shows
// it and reruns identically.  The properties:
//
//   * every coefficient is invariant to permuting units and to permuting
//     raters;
//   * the nominal coefficients are invariant to relabelling the categories
//     (any one-to-one recoding, not just monotone ones);
//   * perfect agreement gives 1, and the all-one-category case gives what
//     docs/degenerate-cases.md says;
//   * values stay within their theoretical bounds;
//   * mergeable summaries built on any split of the units, merged, finish
//     to the same result as one pass;
//   * a bootstrap interval does not depend on the number of threads.
//
// (The severity shift property lives with the severity tests.)
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/icc.hpp>
#include <calibra/agreement/summaries.hpp>
#include <calibra/agreement/weights.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace ag = calibra::agreement;
using ag::measurement_level;
using ag::statistic;
using ag::weight_scheme;

constexpr double missing = std::numeric_limits<double>::quiet_NaN();

// ---- generated data ------------------------------------------------------------------

struct shape {
  int units = 0, raters = 0, categories = 0;
  double missing = 0;  // chance that a cell is missing
};

/// Draws the shape of a data set, then the data: codes 1..q, with a pull
/// towards a per-unit "true" category so that agreement is neither nil nor
/// perfect.
Eigen::MatrixXd random_ratings(std::mt19937_64& rng, const shape& s) {
  std::uniform_int_distribution<int> code(1, s.categories);
  std::uniform_real_distribution<double> u01(0, 1);
  Eigen::MatrixXd m(s.units, s.raters);
  for (int i = 0; i < s.units; ++i) {
    const int truth = code(rng);
    for (int j = 0; j < s.raters; ++j) {
      if (u01(rng) < s.missing) {
        m(i, j) = missing;
        continue;
      }
      m(i, j) = u01(rng) < 0.6 ? truth : code(rng);
    }
  }
  return m;
}

shape random_shape(std::mt19937_64& rng, int raters = 0) {
  shape s;
  s.units = std::uniform_int_distribution<int>(4, 40)(rng);
  s.raters = raters ? raters : std::uniform_int_distribution<int>(2, 6)(rng);
  s.categories = std::uniform_int_distribution<int>(2, 6)(rng);
  s.missing = std::uniform_int_distribution<int>(0, 2)(rng) * 0.1;
  return s;
}

// ---- the statistics under test -------------------------------------------------------

struct variant {
  statistic stat;
  ag::options opts;
  std::string name;
  bool nominal = false;   // depends on categories only through equality
  bool two_raters = false;
};

std::vector<variant> all_variants() {
  std::vector<variant> out;
  auto add = [&](statistic stat, const std::string& suffix, auto tweak, bool nominal) {
    variant v{stat, {}, std::string(ag::to_string(stat)) + suffix, nominal,
              stat == statistic::cohen || stat == statistic::scott};
    tweak(v.opts);
    out.push_back(v);
  };
  const auto none = [](ag::options&) {};
  const auto weights = [](weight_scheme w) { return [w](ag::options& o) { o.weights = w; }; };
  const auto level = [](measurement_level l) { return [l](ag::options& o) { o.level = l; }; };
  add(statistic::percent, "", none, true);
  add(statistic::percent, " (quadratic)", weights(weight_scheme::quadratic), false);
  add(statistic::unanimous, "", none, true);
  add(statistic::within, "", none, false);
  add(statistic::cohen, "", none, true);
  add(statistic::cohen, " (linear)", weights(weight_scheme::linear), false);
  add(statistic::cohen, " (quadratic)", weights(weight_scheme::quadratic), false);
  add(statistic::scott, "", none, true);
  add(statistic::fleiss, "", none, true);
  add(statistic::fleiss, " (listwise)", [](ag::options& o) { o.missing = ag::missing_policy::listwise; }, true);
  add(statistic::conger, "", none, true);
  add(statistic::light, "", none, true);
  add(statistic::krippendorff, " (nominal)", none, true);
  add(statistic::krippendorff, " (ordinal)", level(measurement_level::ordinal), false);
  add(statistic::krippendorff, " (interval)", level(measurement_level::interval), false);
  add(statistic::krippendorff, " (ratio)", level(measurement_level::ratio), false);
  add(statistic::gwet, " (AC1)", none, true);
  add(statistic::gwet, " (AC2 quadratic)", weights(weight_scheme::quadratic), false);
  add(statistic::gwet, " (AC2 ordinal)", weights(weight_scheme::ordinal), false);
  add(statistic::brennan_prediger, "", none, true);
  add(statistic::brennan_prediger, " (linear)", weights(weight_scheme::linear), false);
  for (auto form : {ag::icc_form::icc1, ag::icc_form::icc2, ag::icc_form::icc3, ag::icc_form::icc1k,
                    ag::icc_form::icc2k, ag::icc_form::icc3k})
    add(statistic::icc, " " + std::string(ag::to_string(form)), [form](ag::options& o) { o.form = form; }, false);
  return out;
}

/// A result, or the calibra::error it ended in, as something comparable.
struct outcome {
  ag::result r;
  std::string error;  // empty when agree() returned
};

outcome run(const Eigen::MatrixXd& m, const variant& v) {
  outcome o;
  try {
    o.r = ag::agree(m, v.stat, v.opts);
  } catch (const calibra::error& e) {
    o.error = e.id();
  }
  return o;
}

bool close(double a, double b, double relative = 1e-10) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::abs(a - b) <= relative * std::max({1.0, std::abs(a), std::abs(b)});
}

bool close(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || close(*a, *b);
}

/// Same value, standard error, interval, observed and chance parts, reason.
bool same_outcome(const outcome& a, const outcome& b) {
  if (a.error != b.error) return false;
  if (!a.error.empty()) return true;
  return close(a.r.value, b.r.value) && close(a.r.se, b.r.se) && close(a.r.ci_low, b.r.ci_low) &&
         close(a.r.ci_high, b.r.ci_high) && close(a.r.observed, b.r.observed) && close(a.r.chance, b.r.chance) &&
         a.r.reason.has_value() == b.r.reason.has_value() && a.r.n_units == b.r.n_units &&
         a.r.n_raters == b.r.n_raters;
}

std::string describe(const outcome& o) {
  std::ostringstream s;
  s.precision(17);
  if (!o.error.empty()) return "error " + o.error;
  s << "value " << (o.r.value ? std::to_string(*o.r.value) : "none") << ", se "
    << (o.r.se ? std::to_string(*o.r.se) : "none") << ", ci [" << o.r.ci_low.value_or(missing) << ", "
    << o.r.ci_high.value_or(missing) << "], observed " << o.r.observed.value_or(missing) << ", chance "
    << o.r.chance.value_or(missing) << ", units " << o.r.n_units << ", raters " << o.r.n_raters
    << (o.r.reason ? ", reason: " + *o.r.reason : std::string());
  return s.str();
}

std::string show(const Eigen::MatrixXd& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

Eigen::MatrixXd permute(const Eigen::MatrixXd& m, const std::vector<int>& rows, const std::vector<int>& cols) {
  Eigen::MatrixXd out(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) out(i, j) = m(rows[i], cols[j]);
  return out;
}

std::vector<int> shuffled(int n, std::mt19937_64& rng) {
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

}  // namespace

TEST_CASE("properties: every coefficient is invariant to permuting units and raters", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 61));
  std::mt19937_64 rng(seed);
  const bool two = seed % 3 == 0;  // a third of the data sets have two raters, for Cohen and Scott
  const Eigen::MatrixXd m = random_ratings(rng, random_shape(rng, two ? 2 : 0));
  const Eigen::MatrixXd p =
      permute(m, shuffled(static_cast<int>(m.rows()), rng), shuffled(static_cast<int>(m.cols()), rng));
  for (const variant& v : all_variants()) {
    if (v.two_raters && m.cols() != 2) continue;
    const outcome a = run(m, v), b = run(p, v);
    INFO("seed " << seed << ", " << v.name << "\noriginal: " << describe(a) << "\npermuted: " << describe(b)
                 << "\ndata:\n"
                 << show(m));
    CHECK(same_outcome(a, b));
  }
}

TEST_CASE("properties: nominal coefficients are invariant to relabelling the categories", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 61));
  std::mt19937_64 rng(seed);
  const bool two = seed % 3 == 0;
  const shape s = random_shape(rng, two ? 2 : 0);
  const Eigen::MatrixXd m = random_ratings(rng, s);
  // A one-to-one recoding that scrambles the order and leaves small integers.
  std::vector<double> pool{-7.5, 0, 3, 12, 1e6, 0.25, 42, -1, 5000.5, 9};
  std::shuffle(pool.begin(), pool.end(), rng);
  const Eigen::MatrixXd relabelled = m.unaryExpr([&](double x) { return std::isnan(x) ? x : pool[int(x) - 1]; });
  for (const variant& v : all_variants()) {
    if (!v.nominal || (v.two_raters && m.cols() != 2)) continue;
    const outcome a = run(m, v), b = run(relabelled, v);
    INFO("seed " << seed << ", " << v.name << "\noriginal: " << describe(a) << "\nrelabelled: " << describe(b)
                 << "\ndata:\n"
                 << show(m));
    CHECK(same_outcome(a, b));
  }
}

TEST_CASE("properties: perfect agreement gives 1", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 31));
  std::mt19937_64 rng(seed);
  const bool two = seed % 3 == 0;
  shape s = random_shape(rng, two ? 2 : 0);
  // Every unit is rated in one category by every rater who rates it, each
  // unit has at least two ratings, and at least two categories are in use.
  std::uniform_int_distribution<int> code(1, s.categories);
  std::uniform_real_distribution<double> u01(0, 1);
  const bool complete = seed % 2 == 0 || two;
  Eigen::MatrixXd m(s.units, s.raters);
  for (int i = 0; i < s.units; ++i) {
    const double c = i < 2 ? i + 1 : code(rng);
    for (int j = 0; j < s.raters; ++j) m(i, j) = (!complete && j >= 2 && u01(rng) < 0.3) ? missing : c;
  }
  for (const variant& v : all_variants()) {
    if (v.two_raters && m.cols() != 2) continue;
    if (v.stat == statistic::icc && !complete) continue;  // ICC reads complete units only
    const outcome o = run(m, v);
    INFO("seed " << seed << ", " << v.name << ": " << describe(o) << "\ndata:\n" << show(m));
    REQUIRE(o.error.empty());
    REQUIRE(o.r.value.has_value());
    CHECK(*o.r.value == Approx(1.0).margin(1e-12));
  }
}

TEST_CASE("properties: every rating in one category, as docs/degenerate-cases.md says", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 11));
  std::mt19937_64 rng(seed);
  shape s = random_shape(rng, seed % 2 ? 2 : 0);
  Eigen::MatrixXd m = Eigen::MatrixXd::Constant(s.units, s.raters, 3.0);
  // A missing rating changes nothing as long as its unit keeps a pair (a
  // unit left with one rating is case 4, which has its own rules).
  if (s.raters >= 3) m(0, 0) = missing;
  for (const variant& v : all_variants()) {
    if (v.two_raters && m.cols() != 2) continue;
    if (v.stat == statistic::icc) continue;  // case 6 of the ICC: zero variance, covered by the ICC tests
    for (const bool declared : {false, true}) {
      variant w = v;
      if (declared) w.opts.categories = {1, 2, 3, 4, 5};
      const outcome o = run(m, w);
      INFO("seed " << seed << ", " << v.name << (declared ? " (scale declared)" : "") << ": " << describe(o));
      REQUIRE(o.error.empty());
      const std::string reason = o.r.reason.value_or("");
      switch (v.stat) {
        case statistic::percent:
        case statistic::unanimous:
        case statistic::within:
          REQUIRE(o.r.value);
          CHECK(*o.r.value == 1.0);
          if (o.r.se) CHECK(*o.r.se == 0.0);
          break;
        case statistic::gwet:
        case statistic::brennan_prediger:
          if (declared) {
            REQUIRE(o.r.value);
            CHECK(*o.r.value == Approx(1.0).margin(1e-12));
            if (o.r.se) CHECK(*o.r.se == Approx(0.0).margin(1e-12));
          } else {
            CHECK_FALSE(o.r.value);
            CHECK(reason.find("only one category") != std::string::npos);
          }
          break;
        case statistic::fleiss:
        case statistic::scott:
        case statistic::conger:
        case statistic::cohen:
          CHECK_FALSE(o.r.value);
          CHECK((reason.find("chance agreement is 1") != std::string::npos ||
                 reason.find("only one category") != std::string::npos));
          break;
        case statistic::light:
          CHECK_FALSE(o.r.value);
          CHECK(reason.find("no rater pair has a defined Cohen's kappa") != std::string::npos);
          break;
        case statistic::krippendorff:
          CHECK_FALSE(o.r.value);
          CHECK(reason.find("no variation") != std::string::npos);
          break;
        case statistic::icc:
          break;
      }
    }
  }
}

namespace {

/// Checks every variant's outcome on `m` against the theoretical bounds;
/// `label` names the data set in a failure.
void check_bounds(const Eigen::MatrixXd& m, const std::string& label) {
  for (const variant& v : all_variants()) {
    if (v.two_raters && m.cols() != 2) continue;
    const outcome o = run(m, v);
    INFO(label << ", " << v.name << ": " << describe(o) << "\ndata:\n" << show(m));
    if (!o.error.empty() || !o.r.value) continue;
    const double x = *o.r.value;
    // ICC2k on systematic disagreement (seeds 40, 62, 70, 80) used to give a
    // value above 1 and an inverted interval (hardening finding F6); it now
    // has no value there, and every ICC form must meet the bounds below.
    CHECK(std::isfinite(x));
    constexpr double slack = 1e-12;
    CHECK(x <= 1 + slack);
    switch (v.stat) {
      case statistic::percent:
      case statistic::unanimous:
      case statistic::within:
        CHECK(x >= -slack);  // proportions
        break;
      case statistic::cohen:  // kappa >= -pe / (1 - pe) >= -1 for a 2 x 2 or larger table
      case statistic::scott:
      case statistic::gwet:  // pe <= 1/2 for AC1, and AC2's pe is at most 1
      case statistic::brennan_prediger:
      case statistic::light:
        if (v.opts.weights == weight_scheme::identity) CHECK(x >= -1 - slack);
        break;
      case statistic::fleiss:
        // With complete data, Fleiss' kappa is at least -1 / (raters - 1).
        if (!m.array().isNaN().any()) CHECK(x >= -1.0 / (static_cast<double>(m.cols()) - 1) - slack);
        break;
      case statistic::icc:
        // ICC1 and ICC3 are at least -1/(k - 1); ICC2 can go lower, exactly
        // when ICC2k's denominator is not positive, and ICC2k then has no value.
        if (v.opts.form == ag::icc_form::icc1 || v.opts.form == ag::icc_form::icc3)
          CHECK(x >= -1.0 / (static_cast<double>(m.cols()) - 1) - slack);
        break;
      default:
        break;
    }
    if (o.r.se) CHECK(*o.r.se >= 0);
    if (o.r.ci_low && o.r.ci_high) {
      CHECK(*o.r.ci_low <= *o.r.ci_high);
      CHECK(*o.r.ci_low <= x + slack);
      CHECK(x <= *o.r.ci_high + slack);
    }
    if (!o.r.disagreement) {
      if (o.r.observed) CHECK((*o.r.observed >= -slack && *o.r.observed <= 1 + slack));
      if (o.r.chance) CHECK((*o.r.chance >= -slack && *o.r.chance <= 1 + slack));
    } else {
      if (o.r.observed) CHECK(*o.r.observed >= -slack);
      if (o.r.chance) CHECK(*o.r.chance >= -slack);
    }
  }
}

}  // namespace

TEST_CASE("properties: values stay within their theoretical bounds", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 81));
  std::mt19937_64 rng(seed);
  const bool two = seed % 3 == 0;
  shape s = random_shape(rng, two ? 2 : 0);
  if (seed % 4 == 1) s.categories = 2;  // dichotomous data reach the extremes more often
  Eigen::MatrixXd m = random_ratings(rng, s);
  if (seed % 5 == 0) {
    // Systematic disagreement: raters take turns at the extremes.
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j)
        if (!std::isnan(m(i, j))) m(i, j) = (i + j) % 2 ? 1 : s.categories;
  }
  check_bounds(m, "seed " + std::to_string(seed));
}

TEST_CASE("properties: bounds hold on the 5 x 5 alternating table of finding F6", "[properties][icc]") {
  // ICC2k's denominator is exactly 0 here (MS_R = MS_C = 0.24, MS_E = 1.44, n = 5).
  Eigen::MatrixXd m(5, 5);
  m << 3, 1, 3, 1, 3,  //
      1, 3, 1, 3, 1,   //
      1, 3, 1, 3, 1,   //
      3, 1, 3, 1, 3,   //
      1, 3, 1, 3, 1;
  check_bounds(m, "5 x 5 alternating table");
}

// ---- merging summaries -------------------------------------------------------------

namespace {

/// One unit's ratings as (category index, count) pairs.
struct unit_counts {
  std::vector<std::int32_t> category;
  std::vector<double> count;
  double total() const { return std::accumulate(count.begin(), count.end(), 0.0); }
};

std::vector<unit_counts> count_units(const Eigen::MatrixXd& m, const ag::category_set& categories) {
  std::vector<unit_counts> units(static_cast<std::size_t>(m.rows()));
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    std::map<std::int32_t, double> counts;
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      if (!std::isnan(m(i, j))) counts[categories.index_of(m(i, j))] += 1;
    for (const auto& [k, c] : counts) {
      units[i].category.push_back(k);
      units[i].count.push_back(c);
    }
  }
  return units;
}

ag::category_set observed_categories(const Eigen::MatrixXd& m) {
  std::vector<double> codes;
  for (Eigen::Index i = 0; i < m.size(); ++i)
    if (!std::isnan(m.data()[i])) codes.push_back(m.data()[i]);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return ag::category_set::from_sorted(codes);
}

/// Assigns each unit to one of `parts` parts at random; parts may be empty.
std::vector<int> random_split(std::size_t units, int parts, std::mt19937_64& rng) {
  std::vector<int> part(units);
  std::uniform_int_distribution<int> pick(0, parts - 1);
  for (auto& p : part) p = pick(rng);
  return part;
}

/// Builds `parts` summaries on the split with `make` and `add`, merges them
/// in a random order, and returns the merged summary.
template <typename Summary, typename Make, typename Add>
Summary merged(std::size_t units, const std::vector<int>& part, int parts, std::mt19937_64& rng, const Make& make,
               const Add& add) {
  std::vector<Summary> pieces;
  for (int p = 0; p < parts; ++p) pieces.push_back(make());
  for (std::size_t u = 0; u < units; ++u) add(pieces[part[u]], u);
  std::shuffle(pieces.begin(), pieces.end(), rng);
  Summary total = pieces.front();
  for (std::size_t p = 1; p < pieces.size(); ++p) total += pieces[p];
  return total;
}

bool same_result(const ag::result& a, const ag::result& b) {
  outcome x, y;
  x.r = a;
  y.r = b;
  return same_outcome(x, y);
}

}  // namespace

TEST_CASE("properties: summaries merged from any split equal one pass", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 41));
  std::mt19937_64 rng(seed);
  const shape s = random_shape(rng);
  const Eigen::MatrixXd m = random_ratings(rng, s);
  const ag::category_set categories = observed_categories(m);
  const std::vector<unit_counts> units = count_units(m, categories);
  const int parts = std::uniform_int_distribution<int>(2, 5)(rng);
  const std::vector<int> part = random_split(units.size(), parts, rng);
  INFO("seed " << seed << ", " << parts << " parts\ndata:\n" << show(m));

  SECTION("multi_rater_summary") {
    for (const statistic stat : {statistic::percent, statistic::unanimous, statistic::fleiss, statistic::gwet,
                                 statistic::brennan_prediger}) {
      for (const weight_scheme w : {weight_scheme::identity, weight_scheme::quadratic}) {
        if (stat == statistic::unanimous && w != weight_scheme::identity) continue;
        ag::options opts;
        opts.weights = w;
        const Eigen::MatrixXd weights = stat == statistic::unanimous
                                            ? Eigen::MatrixXd::Identity(categories.size(), categories.size())
                                            : ag::weights_for(opts, categories.codes());
        const auto make = [&] { return ag::multi_rater_summary(categories, weights); };
        const auto add = [&](ag::multi_rater_summary& summary, std::size_t u) {
          summary.add_unit(units[u].category.data(), units[u].count.data(), units[u].category.size());
        };
        ag::multi_rater_summary one_pass = make();
        for (std::size_t u = 0; u < units.size(); ++u) add(one_pass, u);
        const auto total = merged<ag::multi_rater_summary>(units.size(), part, parts, rng, make, add);
        INFO(ag::to_string(stat) << " " << ag::to_string(w));
        CHECK(same_result(one_pass.finish(stat, opts), total.finish(stat, opts)));
      }
    }
  }

  SECTION("krippendorff_summary") {
    for (const measurement_level level : {measurement_level::nominal, measurement_level::ordinal,
                                          measurement_level::interval, measurement_level::ratio}) {
      // Ordinal variance weights come from the pooled pairable marginals of
      // all the data, shared by every part.
      Eigen::VectorXd marginals = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(categories.size()));
      for (const auto& unit : units)
        if (unit.total() >= 2)
          for (std::size_t a = 0; a < unit.category.size(); ++a) marginals[unit.category[a]] += unit.count[a];
      std::optional<Eigen::MatrixXd> weights;
      if (level == measurement_level::ordinal) weights = ag::krippendorff_weights(level, categories.codes(), marginals);
      const auto make = [&] { return ag::krippendorff_summary(categories, level, weights); };
      const auto add = [&](ag::krippendorff_summary& summary, std::size_t u) {
        summary.add_unit(units[u].category.data(), units[u].count.data(), units[u].category.size());
      };
      ag::krippendorff_summary one_pass = make();
      for (std::size_t u = 0; u < units.size(); ++u) add(one_pass, u);
      const auto total = merged<ag::krippendorff_summary>(units.size(), part, parts, rng, make, add);
      ag::options opts;
      opts.level = level;
      INFO(ag::to_string(level));
      CHECK(same_result(one_pass.finish(opts), total.finish(opts)));
    }
  }

  SECTION("contingency_summary (first two raters)") {
    for (const weight_scheme w : {weight_scheme::identity, weight_scheme::linear, weight_scheme::quadratic}) {
      ag::options opts;
      opts.weights = w;
      const Eigen::MatrixXd weights = ag::weights_for(opts, categories.codes());
      const auto make = [&] { return ag::contingency_summary(categories, weights); };
      const auto add = [&](ag::contingency_summary& summary, std::size_t u) {
        const auto i = static_cast<Eigen::Index>(u);
        if (!std::isnan(m(i, 0)) && !std::isnan(m(i, 1)))
          summary.add_pair(categories.index_of(m(i, 0)), categories.index_of(m(i, 1)));
      };
      ag::contingency_summary one_pass = make();
      for (std::size_t u = 0; u < units.size(); ++u) add(one_pass, u);
      const auto total = merged<ag::contingency_summary>(units.size(), part, parts, rng, make, add);
      INFO(ag::to_string(w));
      CHECK(same_result(one_pass.finish(opts), total.finish(opts)));
      CHECK(one_pass.table() == total.table());  // counts are exact
    }
  }

  SECTION("icc_summary (complete units, with a large common offset)") {
    const double offset = seed % 2 ? 0.0 : 1e6;
    const auto k = static_cast<std::size_t>(m.cols());
    const auto make = [&] { return ag::icc_summary(k); };
    const auto add = [&](ag::icc_summary& summary, std::size_t u) {
      const Eigen::VectorXd row = m.row(static_cast<Eigen::Index>(u)).transpose().array() + offset;
      if (!row.array().isNaN().any()) summary.add_unit(row);
    };
    ag::icc_summary one_pass = make();
    for (std::size_t u = 0; u < units.size(); ++u) add(one_pass, u);
    const auto total = merged<ag::icc_summary>(units.size(), part, parts, rng, make, add);
    REQUIRE(one_pass.total_weight() == total.total_weight());
    if (one_pass.total_weight() >= 2) {
      const ag::icc_anova a = one_pass.finish(), b = total.finish();
      CHECK(close(a.ss_units, b.ss_units, 1e-9));
      CHECK(close(a.ss_raters, b.ss_raters, 1e-9));
      CHECK(close(a.ss_error, b.ss_error, 1e-9));
    }
  }
}

TEST_CASE("properties: bootstrap intervals do not depend on the thread count", "[properties]") {
  const std::uint64_t seed = GENERATE(range(1, 7));
  std::mt19937_64 rng(seed);
  const Eigen::MatrixXd m = random_ratings(rng, random_shape(rng, seed % 2 ? 2 : 3));
  for (const variant& v : all_variants()) {
    if (v.two_raters && m.cols() != 2) continue;
    if (!(v.name == "fleiss" || v.name == "krippendorff (ordinal)" || v.name == "gwet (AC1)" || v.name == "cohen" ||
          v.name == "conger" || v.name == "light" || v.name == "icc ICC2" || v.name == "percent"))
      continue;
    for (const auto method : {ag::bootstrap_interval::bca, ag::bootstrap_interval::percentile}) {
      std::vector<outcome> runs;
      for (const unsigned threads : {1u, 2u, 3u, 8u}) {
        variant w = v;
        w.opts.bootstrap = 199;
        w.opts.seed = seed * 7919;
        w.opts.bootstrap_method = method;
        w.opts.threads = threads;
        runs.push_back(run(m, w));
      }
      for (std::size_t t = 1; t < runs.size(); ++t) {
        INFO("seed " << seed << ", " << v.name << ", " << ag::to_string(method) << "\n1 thread: "
                     << describe(runs[0]) << "\nmore threads: " << describe(runs[t]));
        CHECK(runs[t].error == runs[0].error);
        // Bit for bit: the engine promises the same interval for any thread count.
        CHECK(runs[t].r.ci_low == runs[0].r.ci_low);
        CHECK(runs[t].r.ci_high == runs[0].r.ci_high);
        CHECK(runs[t].r.ci_method == runs[0].r.ci_method);
      }
    }
  }
}

// ---- regressions found by fuzzing ------------------------------------------------------

TEST_CASE("properties: matrices with no ratings at all give a result or a calibra::error", "[properties]") {
  // fuzz_wide_csv found that Krippendorff's ordinal alpha crashed on a file
  // whose only row is empty (no category at all): the ordinal weights took
  // the maximum of an empty matrix; later, that Conger's kappa took a row
  // of its rater x category table when there is no category (a null
  // pointer offset that clang's UBSan reports and GCC's does not; the seed
  // fuzz/corpus/wide_csv/regression-conger-all-missing.csv replays it under
  // clang).  Every statistic, every variant, on all-missing matrices of a
  // few shapes.
  for (const auto& [units, raters] : {std::pair<int, int>{1, 2}, {3, 2}, {2, 5}}) {
    const Eigen::MatrixXd m = Eigen::MatrixXd::Constant(units, raters, missing);
    for (const variant& v : all_variants()) {
      if (v.two_raters && m.cols() != 2) continue;
      INFO(units << " x " << raters << ", " << v.name);
      const outcome o = run(m, v);
      if (o.error.empty()) CHECK_FALSE(o.r.value);  // nothing to compute from
      variant w = v;
      w.opts.bootstrap = 50;
      (void)run(m, w);
    }
  }
}
