// The crossed random-effects model against its peer and against planted
// truth.  Every expected number comes from lme4 (tests/data/oracle/insteval,
// written by oracle_insteval.R) or from the parameters a simulation planted;
// none comes from calibra's own output.
#include <calibra/calibration/mixed_model.hpp>
#include <calibra/error.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

namespace cal = calibra::calibration;
using json = nlohmann::json;

const std::string oracle_dir = std::string(CALIBRA_TEST_DATA_DIR) + "/oracle/insteval/";

struct insteval_data {
  std::vector<std::uint32_t> s, d, semester;
  std::vector<double> y;
};

const insteval_data& insteval() {
  static const insteval_data data = [] {
    insteval_data out;
    std::ifstream in(oracle_dir + "insteval.csv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "s,d,semester,y");
    while (std::getline(in, line)) {
      unsigned s = 0, d = 0, semester = 0;
      double y = 0;
      REQUIRE(std::sscanf(line.c_str(), "%u,%u,%u,%lf", &s, &d, &semester, &y) == 4);
      out.s.push_back(s);
      out.d.push_back(d);
      out.semester.push_back(semester);
      out.y.push_back(y);
    }
    return out;
  }();
  return data;
}

const json& oracle() {
  static const json j = [] {
    std::ifstream in(oracle_dir + "insteval_lme4.json");
    REQUIRE(in);
    return json::parse(in);
  }();
  return j;
}

/// Codes of the interaction of two factors, numbered by first appearance
/// (lme4 drops the unobserved combinations of s:semester too).
std::vector<std::uint32_t> interaction(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  std::unordered_map<std::uint64_t, std::uint32_t> code;
  std::vector<std::uint32_t> out;
  out.reserve(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t key = (static_cast<std::uint64_t>(a[i]) << 32) | b[i];
    const auto found = code.emplace(key, static_cast<std::uint32_t>(code.size())).first;
    out.push_back(found->second);
  }
  return out;
}

double max_abs_diff(const std::vector<double>& ours, const json& theirs) {
  REQUIRE(ours.size() == theirs.size());
  double worst = 0;
  for (std::size_t i = 0; i < ours.size(); ++i) worst = std::max(worst, std::abs(ours[i] - theirs[i].get<double>()));
  return worst;
}

/// Set CALIBRA_MIXED_REPORT=1 to print the agreement figures.
void report(const char* what, double value) {
  if (std::getenv("CALIBRA_MIXED_REPORT")) std::printf("  %-48s %.3g\n", what, value);
}

std::vector<cal::mixed_factor> two_factors() {
  const auto& data = insteval();
  return {{"s", data.s, 0}, {"d", data.d, 0}};
}

std::vector<cal::mixed_factor> three_factors() {
  const auto& data = insteval();
  return {{"s", data.s, 0}, {"d", data.d, 0}, {"s:semester", interaction(data.s, data.semester), 0}};
}

const cal::mixed_random_factor& factor(const cal::mixed_model_fit& fit, const std::string& name) {
  for (const auto& f : fit.random)
    if (f.name == name) return f;
  FAIL("no factor " << name);
  return fit.random.front();
}

}  // namespace

TEST_CASE("mixed model: lme4's REML fit of InstEval, y ~ 1 + (1|s) + (1|d)", "[mixed_model][oracle]") {
  const auto& data = insteval();
  const json& ref = oracle()["two_factor"];
  REQUIRE(data.y.size() == oracle()["n"].get<std::size_t>());

  cal::mixed_model model(data.y, two_factors());
  const auto fit = model.fit();
  CHECK(fit.converged);
  REQUIRE(fit.random.size() == 2);
  const auto& s = factor(fit, "s");
  const auto& d = factor(fit, "d");
  REQUIRE(s.mode.size() == oracle()["n_s"].get<std::size_t>());
  REQUIRE(d.mode.size() == oracle()["n_d"].get<std::size_t>());

  const double d_intercept = std::abs(fit.fixed.at(0).estimate - ref["intercept"].get<double>());
  const double d_intercept_se = std::abs(fit.fixed.at(0).se - ref["intercept_se"].get<double>());
  const double d_sd_s = std::abs(s.sd - ref["sd"]["s"].get<double>());
  const double d_sd_d = std::abs(d.sd - ref["sd"]["d"].get<double>());
  const double d_sigma = std::abs(fit.sigma - ref["sigma"].get<double>());
  const double d_crit = std::abs(fit.criterion_value - ref["REMLcrit"].get<double>());
  const double d_mode_s = max_abs_diff(s.mode, ref["s"]["mode"]);
  const double d_mode_d = max_abs_diff(d.mode, ref["d"]["mode"]);
  const double d_csd_s = max_abs_diff(s.conditional_sd, ref["s"]["cond_sd"]);
  const double d_csd_d = max_abs_diff(d.conditional_sd, ref["d"]["cond_sd"]);
  report("two factors: evaluations", static_cast<double>(fit.evaluations));
  report("two factors: |intercept - lme4|", d_intercept);
  report("two factors: |intercept SE - lme4|", d_intercept_se);
  report("two factors: |sd(s) - lme4|", d_sd_s);
  report("two factors: |sd(d) - lme4|", d_sd_d);
  report("two factors: |sigma - lme4|", d_sigma);
  report("two factors: |REMLcrit - lme4|", d_crit);
  report("two factors: max |mode(s) - lme4|", d_mode_s);
  report("two factors: max |mode(d) - lme4|", d_mode_d);
  report("two factors: max |cond SD(s) - lme4|", d_csd_s);
  report("two factors: max |cond SD(d) - lme4|", d_csd_d);
  CHECK(d_intercept < 1e-4);
  CHECK(d_intercept_se < 1e-4);
  CHECK(d_sd_s < 1e-4);
  CHECK(d_sd_d < 1e-4);
  CHECK(d_sigma < 1e-4);
  CHECK(d_crit < 1e-4);
  CHECK(d_mode_s < 1e-4);
  CHECK(d_mode_d < 1e-4);
  CHECK(d_csd_s < 1e-4);
  CHECK(d_csd_d < 1e-4);
  CHECK(fit.log_likelihood == Approx(ref["logLik"].get<double>()).epsilon(1e-9));

  SECTION("the profiled criterion at lme4's theta is lme4's REMLcrit") {
    const std::vector<double> theta = ref["theta"].get<std::vector<double>>();
    const double at_theirs = model.deviance(theta);
    report("two factors: |deviance(lme4 theta) - REMLcrit|", std::abs(at_theirs - ref["REMLcrit"].get<double>()));
    CHECK(std::abs(at_theirs - ref["REMLcrit"].get<double>()) < 1e-6);
  }
}

TEST_CASE("mixed model: lme4's ML fit of InstEval", "[mixed_model][oracle]") {
  const auto& data = insteval();
  const json& ref = oracle()["two_factor_ml"];
  cal::mixed_model_options options;
  options.criterion = cal::mixed_criterion::ml;
  options.conditional_sd = false;
  const auto fit = cal::fit_mixed_model(data.y, two_factors(), {}, options);
  report("ML: |deviance - lme4|", std::abs(fit.criterion_value - ref["deviance"].get<double>()));
  report("ML: |sd(s) - lme4|", std::abs(factor(fit, "s").sd - ref["sd"]["s"].get<double>()));
  report("ML: |sd(d) - lme4|", std::abs(factor(fit, "d").sd - ref["sd"]["d"].get<double>()));
  report("ML: |sigma - lme4|", std::abs(fit.sigma - ref["sigma"].get<double>()));
  CHECK(std::abs(fit.criterion_value - ref["deviance"].get<double>()) < 1e-4);
  CHECK(std::abs(factor(fit, "s").sd - ref["sd"]["s"].get<double>()) < 1e-4);
  CHECK(std::abs(factor(fit, "d").sd - ref["sd"]["d"].get<double>()) < 1e-4);
  CHECK(std::abs(fit.sigma - ref["sigma"].get<double>()) < 1e-4);
  CHECK(std::abs(fit.fixed.at(0).estimate - ref["intercept"].get<double>()) < 1e-4);
  CHECK(fit.random.front().conditional_sd.empty());
}

TEST_CASE("mixed model: lme4's three-factor fit of InstEval and the likelihood-ratio test", "[mixed_model][oracle]") {
  const auto& data = insteval();
  const json& ref = oracle()["three_factor"];
  REQUIRE(interaction(data.s, data.semester).size() == data.y.size());

  const auto fit = cal::fit_mixed_model(data.y, three_factors());
  CHECK(fit.converged);
  REQUIRE(factor(fit, "s:semester").mode.size() == oracle()["n_s_semester"].get<std::size_t>());
  const double d_s = std::abs(factor(fit, "s").sd - ref["sd"]["s"].get<double>());
  const double d_d = std::abs(factor(fit, "d").sd - ref["sd"]["d"].get<double>());
  const double d_ss = std::abs(factor(fit, "s:semester").sd - ref["sd"]["s:semester"].get<double>());
  const double d_sigma = std::abs(fit.sigma - ref["sigma"].get<double>());
  const double d_crit = std::abs(fit.criterion_value - ref["REMLcrit"].get<double>());
  report("three factors: evaluations", static_cast<double>(fit.evaluations));
  report("three factors: |sd(s) - lme4|", d_s);
  report("three factors: |sd(d) - lme4|", d_d);
  report("three factors: |sd(s:semester) - lme4|", d_ss);
  report("three factors: |sigma - lme4|", d_sigma);
  report("three factors: |REMLcrit - lme4|", d_crit);
  CHECK(d_s < 1e-4);
  CHECK(d_d < 1e-4);
  CHECK(d_ss < 1e-4);
  CHECK(d_sigma < 1e-4);
  CHECK(d_crit < 1e-4);
  CHECK(std::abs(fit.fixed.at(0).estimate - ref["intercept"].get<double>()) < 1e-4);

  SECTION("from a start near the optimum, the same lme4 numbers in fewer evaluations") {
    // The start is lme4's own theta (in lme4's order: s:semester, s, d)
    // moved by 20%, and s:semester's put on the boundary, as a pilot fit on
    // part of the data might land.
    const std::vector<double> theirs = ref["theta"].get<std::vector<double>>();
    REQUIRE(theirs.size() == 3);
    const std::vector<double> start{theirs[1] * 1.2, theirs[2] * 0.8, 0.0};
    cal::mixed_model model(data.y, three_factors());
    const auto warm = model.fit(start);
    report("three factors from a start: evaluations", static_cast<double>(warm.evaluations));
    CHECK(warm.converged);
    CHECK(warm.evaluations < fit.evaluations);
    CHECK(std::abs(factor(warm, "s").sd - ref["sd"]["s"].get<double>()) < 1e-4);
    CHECK(std::abs(factor(warm, "d").sd - ref["sd"]["d"].get<double>()) < 1e-4);
    CHECK(std::abs(factor(warm, "s:semester").sd - ref["sd"]["s:semester"].get<double>()) < 1e-4);
    CHECK(std::abs(warm.sigma - ref["sigma"].get<double>()) < 1e-4);
    CHECK(std::abs(warm.criterion_value - ref["REMLcrit"].get<double>()) < 1e-4);
    CHECK(std::abs(warm.fixed.at(0).estimate - ref["intercept"].get<double>()) < 1e-4);
  }

  // anova(): both models refitted by ML, chi-square on 1 degree of freedom.
  const json& lrt = oracle()["lrt_three_vs_two"];
  cal::mixed_model_options ml;
  ml.criterion = cal::mixed_criterion::ml;
  ml.conditional_sd = false;
  const double dev2 = cal::fit_mixed_model(data.y, two_factors(), {}, ml).criterion_value;
  const double dev3 = cal::fit_mixed_model(data.y, three_factors(), {}, ml).criterion_value;
  const double chisq = dev2 - dev3;
  const double p = std::erfc(std::sqrt(chisq / 2));  // upper tail of chi-square(1)
  report("LRT: |ML deviance two - lme4|", std::abs(dev2 - lrt["ml_deviance_two"].get<double>()));
  report("LRT: |ML deviance three - lme4|", std::abs(dev3 - lrt["ml_deviance_three"].get<double>()));
  report("LRT: |chisq - lme4|", std::abs(chisq - lrt["chisq"].get<double>()));
  report("LRT: |p - lme4| / p", std::abs(p - lrt["p"].get<double>()) / lrt["p"].get<double>());
  CHECK(lrt["df"].get<int>() == 1);
  CHECK(std::abs(dev2 - lrt["ml_deviance_two"].get<double>()) < 1e-4);
  CHECK(std::abs(dev3 - lrt["ml_deviance_three"].get<double>()) < 1e-4);
  CHECK(std::abs(chisq - lrt["chisq"].get<double>()) < 2e-4);
  CHECK(p == Approx(lrt["p"].get<double>()).epsilon(1e-3));
}

namespace {

/// A crossed design with known variances: `raters` raters, `ratees` ratees,
/// each ratee rated by `per_ratee` distinct raters on each of 3
/// competencies with fixed effects 0, +0.3, -0.2 (treatment contrasts).
struct planted {
  std::vector<double> y;
  std::vector<cal::mixed_factor> random, fixed;
};

planted simulate(std::uint64_t seed, double sd_rater, double sd_ratee, double sigma, std::size_t raters = 60,
                 std::size_t ratees = 300, std::size_t per_ratee = 4) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(raters - 1));
  std::vector<double> rater_effect(raters), ratee_effect(ratees);
  for (auto& e : rater_effect) e = sd_rater * z(rng);
  for (auto& e : ratee_effect) e = sd_ratee * z(rng);
  const double competency_effect[3] = {0.0, 0.3, -0.2};
  planted out;
  out.random = {{"rater", {}, raters}, {"ratee", {}, ratees}};
  out.fixed = {{"competency", {}, 3}};
  for (std::uint32_t e = 0; e < ratees; ++e) {
    std::vector<std::uint32_t> chosen;
    while (chosen.size() < per_ratee) {
      const auto r = pick(rng);
      if (std::find(chosen.begin(), chosen.end(), r) == chosen.end()) chosen.push_back(r);
    }
    for (const auto r : chosen)
      for (std::uint32_t c = 0; c < 3; ++c) {
        out.y.push_back(3.0 + competency_effect[c] + rater_effect[r] + ratee_effect[e] + sigma * z(rng));
        out.random[0].codes.push_back(r);
        out.random[1].codes.push_back(e);
        out.fixed[0].codes.push_back(c);
      }
  }
  return out;
}

}  // namespace

TEST_CASE("mixed model: planted variances are recovered within sampling error", "[mixed_model][planted]") {
  // Truth: rater SD 0.5 (60 raters), ratee SD 1.0 (300 ratees), residual
  // SD 0.7, 3600 ratings.  The relative sampling SD of an SD estimate is
  // about 1/sqrt(2 * levels): ~9% for raters, ~4% for ratees, ~1.3% for the
  // residual; the bounds below are about 3.5 of those per seed and 3 for the
  // mean over six seeds.
  const double truth_rater = 0.5, truth_ratee = 1.0, truth_sigma = 0.7;
  double sum_rater = 0, sum_ratee = 0, sum_sigma = 0, sum_c1 = 0, sum_c2 = 0;
  const int seeds = 6;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto data = simulate(static_cast<std::uint64_t>(seed), truth_rater, truth_ratee, truth_sigma);
    const auto fit = cal::fit_mixed_model(data.y, data.random, data.fixed);
    CAPTURE(seed);
    CHECK(fit.converged);
    const auto& rater = factor(fit, "rater");
    const auto& ratee = factor(fit, "ratee");
    CHECK(rater.sd == Approx(truth_rater).epsilon(0.32));
    CHECK(ratee.sd == Approx(truth_ratee).epsilon(0.15));
    CHECK(fit.sigma == Approx(truth_sigma).epsilon(0.05));
    REQUIRE(fit.fixed.size() == 3);
    CHECK(fit.fixed[1].name == "competency=1");
    // A competency contrast is a within-ratee difference of 1200 ratings per
    // level: its SE is about 0.7 * sqrt(2 / 1200) = 0.029.
    CHECK(std::abs(fit.fixed[1].estimate - 0.3) < 4 * fit.fixed[1].se);
    CHECK(std::abs(fit.fixed[2].estimate + 0.2) < 4 * fit.fixed[2].se);
    CHECK(fit.fixed[1].se == Approx(0.7 * std::sqrt(2.0 / 1200)).epsilon(0.1));
    // Shrinkage: a conditional SD is below the prior SD and above the SD
    // the level's own ratings alone would give (sigma / sqrt(n_i)) scaled by
    // the shrinkage, and it is positive.
    for (std::size_t l = 0; l < ratee.mode.size(); ++l) {
      CHECK(ratee.conditional_sd[l] > 0);
      CHECK(ratee.conditional_sd[l] < ratee.sd);
    }
    sum_rater += rater.sd;
    sum_ratee += ratee.sd;
    sum_sigma += fit.sigma;
    sum_c1 += fit.fixed[1].estimate;
    sum_c2 += fit.fixed[2].estimate;
  }
  CHECK(sum_rater / seeds == Approx(truth_rater).epsilon(0.11));
  CHECK(sum_ratee / seeds == Approx(truth_ratee).epsilon(0.05));
  CHECK(sum_sigma / seeds == Approx(truth_sigma).epsilon(0.02));
  CHECK(std::abs(sum_c1 / seeds - 0.3) < 0.04);
  CHECK(std::abs(sum_c2 / seeds + 0.2) < 0.04);
}

TEST_CASE("mixed model: the fit does not depend on the number of threads", "[mixed_model][planted]") {
  // The optimiser evaluates independent points on several threads, each
  // with its own copy of the factor; every evaluation is the same
  // arithmetic, so one thread and two give bit-identical fits.
  const auto data = simulate(3, 0.5, 1.0, 0.7);
  cal::mixed_model_options one, two;
  one.threads = 1;
  two.threads = 2;
  const auto a = cal::fit_mixed_model(data.y, data.random, data.fixed, one);
  const auto b = cal::fit_mixed_model(data.y, data.random, data.fixed, two);
  CHECK(a.evaluations == b.evaluations);
  CHECK(a.criterion_value == b.criterion_value);
  CHECK(a.sigma == b.sigma);
  CHECK(a.fixed_covariance == b.fixed_covariance);
  for (std::size_t f = 0; f < a.random.size(); ++f) {
    CHECK(a.random[f].sd == b.random[f].sd);
    CHECK(a.random[f].mode == b.random[f].mode);
    CHECK(a.random[f].conditional_sd == b.random[f].conditional_sd);
  }
}

TEST_CASE("mixed model: the factorisation and the selected inversion do not depend on the number of threads",
          "[mixed_model][planted]") {
  // Large enough for the elimination tree to be cut among threads (200
  // raters sharing 3,000 ratees, with ratee x competency cells): every row
  // of the factor and every column of the inverse is the same arithmetic
  // whichever thread does it, so the criterion, the conditional SDs and
  // the gradient are bit-identical, at every theta of a sequence (each
  // factorisation reuses the scratch of the one before).
  auto data = simulate(7, 0.5, 1.0, 0.7, 200, 3000, 4);
  cal::mixed_factor cells{"ratee:competency", {}, 0};
  for (std::size_t i = 0; i < data.y.size(); ++i)
    cells.codes.push_back(data.random[1].codes[i] * 3 + data.fixed[0].codes[i]);
  data.random.push_back(cells);
  const std::vector<double> theta{0.7, 1.4, 0.3};
  cal::mixed_model_options one, two;
  one.threads = 1;
  two.threads = 2;
  cal::mixed_model a(data.y, data.random, data.fixed, one), b(data.y, data.random, data.fixed, two);
  const auto fit_a = a.fit_at(theta), fit_b = b.fit_at(theta);
  for (std::size_t f = 0; f < 3; ++f) {
    REQUIRE(fit_a.random[f].conditional_sd.size() == fit_b.random[f].conditional_sd.size());
    CHECK(fit_a.random[f].conditional_sd == fit_b.random[f].conditional_sd);
  }
  CHECK(a.deviance_gradient(theta) == b.deviance_gradient(theta));
  for (const std::vector<double>& at : {std::vector<double>{0.2, 2.0, 0.05}, {1.5, 0.4, 1.0}, {0.7, 1.4, 0.3}}) {
    CHECK(a.deviance(at) == b.deviance(at));
    CHECK(a.deviance_gradient(at) == b.deviance_gradient(at));
  }
}

TEST_CASE("mixed model: the closed-form gradient equals central differences of the criterion", "[mixed_model][planted]") {
  // The optimiser trusts deviance_gradient(); here it is held to the
  // criterion itself, differenced at step 1e-5 (truncation error ~1e-10 of
  // the curvature, rounding ~1e-16 * 1e4 / 1e-5 ~ 1e-7), under REML and ML,
  // with three grouping factors (ratee x competency nested in ratee) and at
  // points on both sides of the optimum.
  auto data = simulate(5, 0.5, 1.0, 0.7);
  cal::mixed_factor cells{"ratee:competency", {}, 0};
  for (std::size_t i = 0; i < data.y.size(); ++i)
    cells.codes.push_back(data.random[1].codes[i] * 3 + data.fixed[0].codes[i]);
  data.random.push_back(cells);
  for (const auto criterion : {cal::mixed_criterion::reml, cal::mixed_criterion::ml}) {
    cal::mixed_model_options options;
    options.criterion = criterion;
    cal::mixed_model model(data.y, data.random, data.fixed, options);
    for (const std::vector<double>& theta :
         {std::vector<double>{1.0, 1.0, 1.0}, {0.3, 2.5, 0.05}, {0.7, 1.4, 0.4}}) {
      const std::vector<double> g = model.deviance_gradient(theta);
      REQUIRE(g.size() == 3);
      for (std::size_t k = 0; k < 3; ++k) {
        const double h = 1e-5;
        std::vector<double> up = theta, down = theta;
        up[k] += h;
        down[k] -= h;
        const double difference = (model.deviance(up) - model.deviance(down)) / (2 * h);
        CAPTURE(criterion == cal::mixed_criterion::reml, theta[0], theta[1], theta[2], k);
        CHECK(g[k] == Approx(difference).epsilon(1e-5).margin(1e-4));
      }
    }
    // The criterion is even in each component, so its derivative is 0 where
    // a component is 0: there it rises quadratically (doubling the step
    // quadruples the rise), not linearly.
    CHECK(model.deviance_gradient({0.0, 1.2, 0.3})[0] == 0.0);
    const double at_zero = model.deviance({0.0, 1.2, 0.3});
    const double rise = model.deviance({1e-3, 1.2, 0.3}) - at_zero;
    CHECK((model.deviance({2e-3, 1.2, 0.3}) - at_zero) / rise == Approx(4.0).epsilon(1e-3));
  }
}

TEST_CASE("mixed model: a factor with zero true variance is estimated at or near 0, never below", "[mixed_model][planted]") {
  // No rater effect at all.  With 60 raters the REML estimate of a zero
  // variance lands exactly on the boundary in about half of the samples and
  // is small otherwise (sampling SD of the estimated rater SD ~ 0.05 here).
  int on_boundary = 0;
  for (int seed = 11; seed <= 18; ++seed) {
    const auto data = simulate(static_cast<std::uint64_t>(seed), 0.0, 1.0, 0.7);
    const auto fit = cal::fit_mixed_model(data.y, data.random, data.fixed);
    CAPTURE(seed);
    CHECK(fit.converged);
    const auto& rater = factor(fit, "rater");
    CHECK(rater.variance >= 0.0);
    CHECK(rater.theta >= 0.0);
    CHECK(rater.sd < 0.12);
    CHECK(factor(fit, "ratee").sd == Approx(1.0).epsilon(0.15));
    if (rater.variance == 0.0) {
      ++on_boundary;
      for (std::size_t l = 0; l < rater.mode.size(); ++l) {
        CHECK(rater.mode[l] == 0.0);
        CHECK(rater.conditional_sd[l] == 0.0);
      }
    }
  }
  CHECK(on_boundary >= 1);
}

TEST_CASE("mixed model: a pilot fit on one ratee in eight starts the full fit near its optimum", "[mixed_model][planted]") {
  // Truth: rater SD 0.5, ratee SD 1.0, residual SD 0.7 (theta = 0.71 and
  // 1.43), 2400 ratees.  The pilot keeps about 300 of them with all their
  // ratings and every rater, so its theta is within sampling error of the
  // truth; the full fit from it reaches the full fit's optimum.
  const auto data = simulate(21, 0.5, 1.0, 0.7, 60, 2400, 4);
  const cal::mixed_design sample = cal::sample_levels(data.y, data.random, data.fixed, 1);
  // About one ratee in eight, each with all 12 of its ratings, every rater.
  CHECK(sample.random[1].levels == Approx(300).margin(60));
  CHECK(sample.y.size() == 12 * sample.random[1].levels);
  CHECK(sample.random[0].levels == 60);
  CHECK(sample.fixed[0].levels == 3);
  const std::vector<double> pilot = cal::pilot_theta(sample);
  REQUIRE(pilot.size() == 2);
  CHECK(pilot[0] == Approx(0.5 / 0.7).epsilon(0.35));
  CHECK(pilot[1] == Approx(1.0 / 0.7).epsilon(0.2));

  cal::mixed_model model(data.y, data.random, data.fixed);
  const auto cold = model.fit();
  const auto warm = model.fit(pilot);
  CHECK(cold.converged);
  CHECK(warm.converged);
  CHECK(warm.evaluations <= cold.evaluations);
  CHECK(std::abs(warm.criterion_value - cold.criterion_value) < 1e-6);
  for (std::size_t f = 0; f < 2; ++f) {
    CHECK(std::abs(warm.random[f].sd - cold.random[f].sd) < 1e-5);
    for (std::size_t l = 0; l < warm.random[f].mode.size(); ++l)
      CHECK(std::abs(warm.random[f].mode[l] - cold.random[f].mode[l]) < 1e-5);
  }
  CHECK(factor(warm, "rater").sd == Approx(0.5).epsilon(0.32));
  CHECK(factor(warm, "ratee").sd == Approx(1.0).epsilon(0.1));

  SECTION("a pilot fitted from a pilot of its own sample reaches the same theta") {
    // nested_from below the sample's size: the sample is fitted from the
    // pilot of one ratee in eight of it (about 40 ratees), with the
    // measured curvature, to the tolerances of a cold fit.
    const std::vector<double> nested = cal::pilot_theta(sample, 1, 1000);
    REQUIRE(nested.size() == 2);
    for (std::size_t f = 0; f < 2; ++f) CHECK(nested[f] == Approx(pilot[f]).margin(1e-5));
    // From another start the last digits differ: the nested pilot did run.
    CHECK(nested != pilot);
    // A factor index past the design's factors means no nested pilot.
    CHECK(cal::pilot_theta(sample, 7, 1000) == pilot);
  }

  SECTION("a pilot that cannot be fitted gives no start, and bad codes are refused") {
    // Every level kept (share 1) with one observation per ratee: the ratee
    // factor has as many levels as observations, which the model refuses.
    std::vector<cal::mixed_factor> one_each{{"rater", {0, 1, 0, 1}, 2}, {"ratee", {0, 1, 2, 3}, 4}};
    CHECK(cal::pilot_theta(cal::sample_levels({1.0, 2.0, 3.0, 4.0}, one_each, {}, 1, 1)).empty());
    CHECK_THROWS_AS(cal::sample_levels(data.y, data.random, data.fixed, 2), calibra::invalid_argument);
    CHECK_THROWS_AS(cal::sample_levels(data.y, data.random, data.fixed, 1, 0), calibra::invalid_argument);
    std::vector<cal::mixed_factor> short_codes{{"rater", {0, 1}, 2}, {"ratee", {0, 1}, 2}};
    CHECK_THROWS_AS(cal::sample_levels(data.y, short_codes, {}, 1), calibra::invalid_argument);
  }
}

TEST_CASE("mixed model: a model over the caller's factorisation budget is refused before its analysis",
          "[mixed_model][errors]") {
  const auto data = simulate(5, 0.5, 1.0, 0.7);
  const double work = cal::mixed_model(data.y, data.random, data.fixed).factorisation_work();
  REQUIRE(work > 0);
  cal::mixed_model_options tight;
  tight.max_factorisation_work = work / 2;
  try {
    cal::mixed_model refused(data.y, data.random, data.fixed, tight);
    FAIL("a model over its budget was set up");
  } catch (const calibra::budget_error& e) {
    CHECK(e.cost() == work);
    CHECK(e.budget() == work / 2);
    CHECK(e.id() == "budget_error.calibration");
    CHECK_THAT(e.what(), Catch::Contains("above max_factorisation_work"));
  }
  cal::mixed_model_options enough;
  enough.max_factorisation_work = work;
  CHECK(cal::mixed_model(data.y, data.random, data.fixed, enough).fit().converged);
  cal::mixed_model_options nonsense;
  nonsense.max_factorisation_work = 0;
  CHECK_THROWS_AS(cal::mixed_model(data.y, data.random, data.fixed, nonsense), calibra::invalid_argument);
}

TEST_CASE("mixed model: balanced one-way design matches the ANOVA estimators", "[mixed_model][planted]") {
  // For a balanced one-way random-effects design the REML estimates are the
  // ANOVA (method-of-moments) estimators whenever MSB > MSW:
  //   sigma^2 = MSW,  sigma_a^2 = (MSB - MSW) / per_group,
  // and the BLUP of group g is the shrunken deviation
  //   (mean_g - mean) * sigma_a^2 / (sigma_a^2 + sigma^2 / per_group),
  // with conditional variance sigma_a^2 sigma^2 / (per_group sigma_a^2 + sigma^2).
  const std::size_t groups = 20, per_group = 5;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z(0.0, 1.0);
  std::vector<double> y;
  std::vector<std::uint32_t> g;
  for (std::uint32_t k = 0; k < groups; ++k) {
    const double effect = 0.8 * z(rng);
    for (std::size_t i = 0; i < per_group; ++i) {
      y.push_back(10 + effect + z(rng));
      g.push_back(k);
    }
  }
  std::vector<double> group_mean(groups, 0.0);
  double mean = 0;
  for (std::size_t i = 0; i < y.size(); ++i) group_mean[g[i]] += y[i] / per_group, mean += y[i] / static_cast<double>(y.size());
  double ssb = 0, ssw = 0;
  for (std::size_t k = 0; k < groups; ++k) ssb += per_group * (group_mean[k] - mean) * (group_mean[k] - mean);
  for (std::size_t i = 0; i < y.size(); ++i) ssw += (y[i] - group_mean[g[i]]) * (y[i] - group_mean[g[i]]);
  const double msb = ssb / (groups - 1), msw = ssw / static_cast<double>(groups * (per_group - 1));
  REQUIRE(msb > msw);
  const double sigma2 = msw, sigma2_a = (msb - msw) / per_group;

  const auto fit = cal::fit_mixed_model(y, {{"group", g, 0}});
  CHECK(fit.converged);
  CHECK(fit.residual_variance == Approx(sigma2).epsilon(1e-7));
  CHECK(fit.random[0].variance == Approx(sigma2_a).epsilon(1e-6));
  CHECK(fit.fixed[0].estimate == Approx(mean).epsilon(1e-12));
  // Var(mean) = (sigma^2 + per_group sigma_a^2) / (groups per_group) = MSB / N.
  CHECK(fit.fixed[0].se == Approx(std::sqrt(msb / static_cast<double>(y.size()))).epsilon(1e-6));
  const double shrink = sigma2_a / (sigma2_a + sigma2 / per_group);
  const double cond_sd = std::sqrt(sigma2_a * sigma2 / (per_group * sigma2_a + sigma2));
  for (std::size_t k = 0; k < groups; ++k) {
    CHECK(fit.random[0].mode[k] == Approx((group_mean[k] - mean) * shrink).margin(1e-7));
    CHECK(fit.random[0].conditional_sd[k] == Approx(cond_sd).epsilon(1e-6));
    CHECK(fit.random[0].n_obs[k] == per_group);
  }
}

TEST_CASE("mixed model: bad inputs are refused with a clear message", "[mixed_model][errors]") {
  using Catch::Matchers::Contains;
  const std::vector<double> y = {1, 2, 3, 4, 5, 6};
  const cal::mixed_factor rater{"rater", {0, 0, 1, 1, 2, 2}, 0};
  const cal::mixed_factor ratee{"ratee", {0, 1, 0, 1, 0, 1}, 0};
  const auto refused = [](auto&& make, const std::string& words) {
    try {
      make();
    } catch (const calibra::invalid_argument& e) {
      CHECK_THAT(std::string(e.what()), Contains("[calibra.invalid_argument.calibration]") && Contains(words));
      return;
    }
    FAIL("not refused: " << words);
  };

  refused([&] { cal::mixed_model(y, {{"rater", {0, 0, 1}, 0}}); }, "has 3 codes but there are 6 observations");
  refused([&] { cal::mixed_model(y, {{"rater", {0, 0, 1, 1, 2, 3}, 3}}); }, "has code 3 but only 3 levels");
  refused([&] { cal::mixed_model({1.0}, {{"rater", {0}, 0}}); }, "at least 2 observations");
  refused([&] { cal::mixed_model({}, {rater}); }, "at least 2 observations");
  refused([&] { cal::mixed_model(y, {}); }, "at least one grouping factor");
  refused([&] { cal::mixed_model({1, 2, std::nan(""), 4, 5, 6}, {rater}); }, "response 2 is not finite");
  refused([&] { cal::mixed_model(y, {{"rater", {0, 0, 0, 0, 0, 0}, 0}}); }, "'rater' has 1 observed level(s)");
  refused([&] { cal::mixed_model(y, {{"rater", {0, 1, 2, 3, 4, 5}, 0}}); }, "as many levels (6) as observations");
  refused([&] { cal::mixed_model(y, {rater}, {{"competency", {0, 0, 0, 2, 2, 2}, 0}}); },
          "'competency' has no observation at level 1");
  refused([&] { cal::mixed_model(y, {rater}, {{"a", {0, 0, 0, 1, 1, 1}, 0}, {"b", {1, 1, 1, 0, 0, 0}, 0}}); },
          "collinear");
  refused([&] { cal::mixed_model(y, {rater}, {{"c", {0, 1, 2, 3, 4, 5}, 0}}); }, "no residual degrees of freedom");
  cal::mixed_model_options bad;
  bad.deviance_tolerance = -1;
  refused([&] { cal::mixed_model(y, {rater}, {}, bad); }, "deviance_tolerance");
  bad = {};
  bad.theta_tolerance = std::nan("");
  refused([&] { cal::mixed_model(y, {rater}, {}, bad); }, "theta_tolerance");
  bad = {};
  bad.max_evaluations = 0;
  refused([&] { cal::mixed_model(y, {rater}, {}, bad); }, "max_evaluations");

  // Well-formed but degenerate: constant ratings leave no residual variance.
  CHECK_THROWS_AS(cal::fit_mixed_model({2, 2, 2, 2, 2, 2}, {rater}), calibra::degenerate_error);
  CHECK_THROWS_WITH(cal::fit_mixed_model({2, 2, 2, 2, 2, 2}, {rater}), Contains("no residual variance"));

  cal::mixed_model model(y, {rater, ratee});
  refused([&] { model.deviance({1.0}); }, "theta has 1 entries for 2 grouping factors");
  refused([&] { model.deviance({1.0, -0.5}); }, "theta must be finite and >= 0");
  refused([&] { model.fit_at({std::nan(""), 1.0}); }, "theta must be finite and >= 0");
}
