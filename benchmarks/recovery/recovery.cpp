// The recovery benchmark: how often are calibra's judgments about people
// right, on ratings whose truth is planted (planted.hpp)?
//
//   calibra_recovery [--design 1|2] [--seeds N] [--ratees N] [--strict]
//
// For each design and seed it generates a data set, runs
// calibra::calibration::calibrate() on it with default options, and
// compares the report with the truth; then it prints one table per design,
// pooled over the seeds, with the goals of the issue and a pass/fail mark
// per row that has a goal.  --strict makes the exit status 1 when a goal
// fails (the default is 0: the table is the product).
//
// The harness reads calibra's results in one place, read_judgments(), and
// only through public fields of calibration_report, so that a change of the
// severity model or of a field name is followed there and nowhere else.
#include "planted.hpp"

#include <calibra/calibration/calibrate.hpp>
#include <calibra/framework/builtin.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace cal = calibra::calibration;
namespace rec = calibra::bench::recovery;

const double nan = std::numeric_limits<double>::quiet_NaN();

// ---- what the harness reads from calibra -------------------------------------------
//
// Every field of calibra's results that the benchmark looks at is named in
// this section and nowhere else.

enum class ready_call { none, ready, not_ready, too_uncertain };

/// calibra's judgments, indexed like the planted ratees and raters.
struct judgments {
  std::vector<Eigen::VectorXd> fair_score;  // per ratee, NaN without a score
  std::vector<ready_call> readiness;        // on the step the truth judges
  std::vector<std::optional<std::size_t>> inferred_level;
  std::vector<double> inferred_probability;  // the probability stated for it
  std::vector<std::optional<std::size_t>> archetype;  // only when calibra claims one
  std::vector<double> severity;                       // per rater, > 0 harsh; NaN without an estimate
  std::vector<bool> lenient, harsh, drift;
  bool drift_available = false;
  double self_inflation = nan;  // team: self minus others, in levels
};

judgments read_judgments(const cal::calibration_report& report, const rec::planted_data& data) {
  const cal::ratings_table& table = data.table;
  const std::size_t n_comp = table.n_competencies();
  judgments j;
  j.fair_score.assign(data.ratees.size(), Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n_comp), nan));
  j.readiness.assign(data.ratees.size(), ready_call::none);
  j.inferred_level.assign(data.ratees.size(), std::nullopt);
  j.inferred_probability.assign(data.ratees.size(), nan);
  j.archetype.assign(data.ratees.size(), std::nullopt);
  j.severity.assign(data.raters.size(), nan);
  j.lenient.assign(data.raters.size(), false);
  j.harsh.assign(data.raters.size(), false);
  j.drift.assign(data.raters.size(), false);

  // Table ids to planted indices.
  std::vector<std::optional<std::size_t>> ratee_of(table.ratees().size()), rater_of(table.raters().size());
  for (std::size_t i = 0; i < data.ratees.size(); ++i)
    if (const auto id = table.ratees().find(data.ratees[i].name)) ratee_of[*id] = i;
  for (std::size_t r = 0; r < data.raters.size(); ++r)
    if (const auto id = table.raters().find(data.raters[r].name)) rater_of[*id] = r;

  // Fair scores of the analysed period.
  const cal::competency_scores& scores = report.scores;
  for (std::size_t row = 0; row < scores.rows(); ++row)
    if (const auto i = ratee_of[scores.ratees[row]])
      j.fair_score[*i] = scores.value.row(static_cast<Eigen::Index>(row)).transpose();

  // Severities and lenient / harsh flags.
  for (const cal::rater_severity& s : report.severity.raters)
    if (const auto r = rater_of[s.rater]) {
      j.severity[*r] = s.severity;
      j.lenient[*r] = std::find(s.flags.begin(), s.flags.end(), cal::rater_flag::lenient) != s.flags.end();
      j.harsh[*r] = std::find(s.flags.begin(), s.flags.end(), cal::rater_flag::harsh) != s.flags.end();
    }

  // Drift flags.
  j.drift_available = report.drift.available;
  for (const cal::rater_drift& d : report.drift.raters)
    if (const auto r = rater_of[d.rater]) j.drift[*r] = d.flagged;

  // Readiness on the step to the ratee's next career level on their walk.
  for (const cal::ratee_readiness& x : report.readiness.ratees)
    if (const auto i = ratee_of[x.ratee]) {
      const auto& next = data.ratees[*i].next_level;
      for (const cal::step_readiness& s : x.steps)
        if (next && s.step.to == *next)
          j.readiness[*i] = s.verdict == cal::readiness_verdict::ready       ? ready_call::ready
                            : s.verdict == cal::readiness_verdict::not_ready ? ready_call::not_ready
                                                                             : ready_call::too_uncertain;
    }

  // Level inference.
  for (const cal::ratee_level& x : report.levels.ratees)
    if (const auto i = ratee_of[x.ratee]) {
      j.inferred_level[*i] = x.inferred_level;
      j.inferred_probability[*i] = x.inferred_probability;
    }

  // Archetypes, when claimed.
  for (const cal::ratee_pattern& x : report.patterns.ratees)
    if (const auto i = ratee_of[x.ratee])
      if (x.clear_match && x.best_archetype) j.archetype[*i] = x.best_archetype;

  // Team self-inflation.
  if (report.self_assessment.available) j.self_inflation = report.self_assessment.overall.mean_self_gap;
  return j;
}

// ---- the oracle ------------------------------------------------------------------------

/// Per ratee and competency, the mean over the ratee's external ratings
/// (every period: proficiency does not change) of level + true severity.
std::vector<Eigen::VectorXd> oracle_scores(const rec::planted_data& data) {
  const cal::ratings_table& table = data.table;
  const auto n_comp = static_cast<Eigen::Index>(table.n_competencies());
  std::vector<Eigen::VectorXd> sum(data.ratees.size(), Eigen::VectorXd::Zero(n_comp));
  std::vector<Eigen::VectorXd> count(data.ratees.size(), Eigen::VectorXd::Zero(n_comp));
  std::map<std::string, std::size_t> ratee_index, rater_index;
  for (std::size_t i = 0; i < data.ratees.size(); ++i) ratee_index[data.ratees[i].name] = i;
  for (std::size_t r = 0; r < data.raters.size(); ++r) rater_index[data.raters[r].name] = r;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (table.role(row) == cal::rater_role::self) continue;
    const std::size_t i = ratee_index.at(table.ratees()[table.ratee(row)]);
    const std::size_t r = rater_index.at(table.raters()[table.rater(row)]);
    const auto c = static_cast<Eigen::Index>(table.competency(row));
    sum[i](c) += table.level(row) + data.raters[r].severity;
    count[i](c) += 1;
  }
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = sum[i].cwiseQuotient(count[i]);
  return sum;
}

// ---- statistics ---------------------------------------------------------------------------

std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t k = i;
    while (k + 1 < order.size() && x[order[k + 1]] == x[order[i]]) ++k;
    for (std::size_t m = i; m <= k; ++m) r[order[m]] = 0.5 * static_cast<double>(i + k) + 1;
    i = k + 1;
  }
  return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n, mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) * (ra[i] - ma);
    sbb += (rb[i] - mb) * (rb[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : nan;
}

/// A count out of a total.
struct tally {
  std::size_t hits = 0, total = 0;
  void add(bool hit) { hits += hit ? 1 : 0, total += 1; }
  double rate() const { return total ? static_cast<double>(hits) / static_cast<double>(total) : nan; }
};

/// Everything measured on one design, pooled over the seeds.
struct measures {
  double error_sum = 0, error_sq = 0, oracle_sum = 0, oracle_sq = 0;
  std::size_t cells = 0;
  std::vector<double> severity_rho;  // per seed
  tally planted_hit, ordinary_false, one_ratee_false;
  std::vector<std::size_t> drift_false;  // per seed (drift analyses that ran)
  tally ready_called, not_ready_called_ready, too_uncertain;
  tally level_right;
  std::size_t level_two_low = 0;
  // Every ratee, clear or not: is the inferred level the true one, and what
  // probability did calibra state for it (calibrated: the two agree)?
  tally level_right_all;
  double stated_probability_sum = 0, clear_stated_sum = 0;
  tally archetype_recovered, flat_claimed;
  std::vector<double> self_error;  // per seed
  std::size_t ratees = 0, raters = 0, ratings = 0;
};

void measure(const rec::planted_data& data, const judgments& j, measures& m) {
  const auto oracle = oracle_scores(data);
  m.ratees += data.ratees.size();
  m.raters += data.raters.size();
  m.ratings += data.table.size();

  for (std::size_t i = 0; i < data.ratees.size(); ++i) {
    const rec::planted_ratee& e = data.ratees[i];
    for (Eigen::Index c = 0; c < e.proficiency.size(); ++c) {
      const double est = j.fair_score[i](c), truth = e.proficiency(c), o = oracle[i](c);
      if (!std::isfinite(est) || !std::isfinite(o)) continue;
      m.error_sum += est - truth, m.error_sq += (est - truth) * (est - truth);
      m.oracle_sum += o - truth, m.oracle_sq += (o - truth) * (o - truth);
      m.cells += 1;
    }

    if (e.readiness == rec::readiness_truth::clearly_ready) m.ready_called.add(j.readiness[i] == ready_call::ready);
    if (e.readiness == rec::readiness_truth::clearly_not_ready)
      m.not_ready_called_ready.add(j.readiness[i] == ready_call::ready);
    if (e.readiness != rec::readiness_truth::no_next_step)
      m.too_uncertain.add(j.readiness[i] == ready_call::too_uncertain);

    if (j.inferred_level[i]) {
      m.level_right_all.add(rec::position_on(e.walk, j.inferred_level[i]) == rec::position_on(e.walk, e.true_level));
      m.stated_probability_sum += j.inferred_probability[i];
    }
    if (e.clear_level) {
      const int truth = rec::position_on(e.walk, e.true_level);
      const int inferred = rec::position_on(e.walk, j.inferred_level[i]);
      m.level_right.add(inferred == truth);
      if (j.inferred_level[i]) m.clear_stated_sum += j.inferred_probability[i];
      if (inferred <= truth - 2) ++m.level_two_low;
    }

    if (e.kind == rec::profile_kind::archetype) m.archetype_recovered.add(j.archetype[i] == e.archetype);
    if (e.kind == rec::profile_kind::flat) m.flat_claimed.add(j.archetype[i].has_value());
  }

  std::vector<double> est, truth;
  std::size_t drift_flags = 0;
  for (std::size_t r = 0; r < data.raters.size(); ++r) {
    const rec::planted_rater& p = data.raters[r];
    const bool flagged = j.lenient[r] || j.harsh[r];
    if (std::isfinite(j.severity[r])) est.push_back(j.severity[r]), truth.push_back(p.severity);
    if (p.effect == rec::rater_effect::lenient) m.planted_hit.add(j.lenient[r]);
    if (p.effect == rec::rater_effect::harsh) m.planted_hit.add(j.harsh[r]);
    const bool small = p.effect == rec::rater_effect::none && std::abs(p.severity) <= rec::small_severity;
    if (small && p.ratees_rated == 1) m.one_ratee_false.add(flagged);
    if (small && p.ratees_rated > 1) m.ordinary_false.add(flagged);
    if (j.drift[r]) ++drift_flags;
  }
  if (est.size() >= 2) m.severity_rho.push_back(spearman(est, truth));
  if (j.drift_available) m.drift_false.push_back(drift_flags);

  double planted_inflation = 0;
  for (const auto& e : data.ratees) planted_inflation += e.self_inflation;
  planted_inflation /= static_cast<double>(data.ratees.size());
  if (std::isfinite(j.self_inflation)) m.self_error.push_back(j.self_inflation - planted_inflation);
}

// ---- printing ------------------------------------------------------------------------------

std::string fmt(const char* format, double x) {
  if (!std::isfinite(x)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, x);
  return buffer;
}

std::string percent(const tally& t) {
  if (!t.total) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f%% (%zu/%zu)", 100.0 * t.rate(), t.hits, t.total);
  return buffer;
}

double mean_of(const std::vector<double>& x) {
  return x.empty() ? nan : std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

struct row {
  std::string measure, calibra, reference, goal;
  std::optional<bool> pass;  // empty: no goal, or not measurable in this design
};

void print(const std::vector<row>& rows) {
  std::printf("%-46s %-22s %-22s %-26s %s\n", "measure", "calibra", "reference", "goal", "result");
  for (const row& r : rows)
    std::printf("%-46s %-22s %-22s %-26s %s\n", r.measure.c_str(), r.calibra.c_str(), r.reference.c_str(),
                r.goal.c_str(), r.pass ? (*r.pass ? "pass" : "FAIL") : "-");
}

/// Pass or fail of a rate goal; nothing to judge without cases.
std::optional<bool> at_least(const tally& t, double goal) {
  return t.total ? std::optional<bool>(t.rate() >= goal) : std::nullopt;
}

std::optional<bool> at_most(const tally& t, double goal) {
  return t.total ? std::optional<bool>(t.rate() <= goal) : std::nullopt;
}

std::vector<row> table_of(const measures& m) {
  std::vector<row> rows;
  const double n = static_cast<double>(m.cells);
  const double bias = m.error_sum / n, rmse = std::sqrt(m.error_sq / n);
  const double oracle_bias = m.oracle_sum / n, oracle_rmse = std::sqrt(m.oracle_sq / n);
  rows.push_back({"fair-score bias (levels)", fmt("%+.3f", bias), "oracle " + fmt("%+.3f", oracle_bias),
                  "|bias| <= 0.10", std::abs(bias) <= 0.10});
  rows.push_back({"fair-score RMSE (levels)", fmt("%.3f", rmse), "oracle " + fmt("%.3f", oracle_rmse), "", {}});
  rows.push_back({"RMSE / oracle RMSE", fmt("%.2f", rmse / oracle_rmse), "", "<= 1.30", rmse / oracle_rmse <= 1.30});
  const auto min_rho = m.severity_rho.empty() ? nan : *std::min_element(m.severity_rho.begin(), m.severity_rho.end());
  rows.push_back({"severity rank correlation (Spearman)",
                  fmt("%.3f", mean_of(m.severity_rho)),
                  "min over seeds " + fmt("%.3f", min_rho),
                  "",
                  {}});
  rows.push_back({"planted lenient/harsh raters flagged", percent(m.planted_hit), "", "", {}});
  rows.push_back({"false flags, ordinary raters |sev| <= 0.25", percent(m.ordinary_false), "", "", {}});
  rows.push_back({"false flags, one-ratee raters |sev| <= 0.25", percent(m.one_ratee_false), "", "none",
                  at_most(m.one_ratee_false, 0.0)});
  if (m.drift_false.empty()) {
    rows.push_back({"false drift flags (none planted)", "n/a (one period)", "", "<= 1 per seed", {}});
  } else {
    const std::size_t total = std::accumulate(m.drift_false.begin(), m.drift_false.end(), std::size_t{0});
    const std::size_t worst = *std::max_element(m.drift_false.begin(), m.drift_false.end());
    rows.push_back({"false drift flags (none planted)",
                    std::to_string(total) + " in " + std::to_string(m.drift_false.size()) + " seeds",
                    "max per seed " + std::to_string(worst), "<= 1 per seed", worst <= 1});
  }
  rows.push_back({"clearly ready called ready", percent(m.ready_called), "", ">= 70%", at_least(m.ready_called, 0.70)});
  rows.push_back({"clearly not ready called ready", percent(m.not_ready_called_ready), "", "<= 5%",
                  at_most(m.not_ready_called_ready, 0.05)});
  rows.push_back({"too-uncertain (ratees with a next step)", percent(m.too_uncertain), "", "", {}});
  rows.push_back({"clear levels inferred right", percent(m.level_right),
                  "stated " + fmt("%.1f%%", 100 * m.clear_stated_sum /
                                                static_cast<double>(std::max<std::size_t>(1, m.level_right.total))),
                  ">= 75%", at_least(m.level_right, 0.75)});
  rows.push_back({"all levels inferred right", percent(m.level_right_all),
                  "stated " + fmt("%.1f%%", 100 * m.stated_probability_sum /
                                                static_cast<double>(std::max<std::size_t>(1, m.level_right_all.total))),
                  "", {}});
  rows.push_back(
      {"clear levels inferred 2+ levels low", std::to_string(m.level_two_low), "", "none", m.level_two_low == 0});
  rows.push_back({"planted archetypes recovered", percent(m.archetype_recovered), "", ">= 70%",
                  at_least(m.archetype_recovered, 0.70)});
  tally none = m.flat_claimed;
  none.hits = none.total - none.hits;
  rows.push_back({"flat profiles with no archetype", percent(none), "", ">= 60%", at_least(none, 0.60)});
  const double worst_self =
      m.self_error.empty() ? nan : *std::max_element(m.self_error.begin(), m.self_error.end(), [](double a, double b) {
        return std::abs(a) < std::abs(b);
      });
  rows.push_back({"self-inflation error (estimate - planted)",
                  fmt("%+.3f", mean_of(m.self_error)),
                  "worst seed " + fmt("%+.3f", worst_self),
                  "",
                  {}});
  return rows;
}

const char* describe(rec::design d) {
  return d == rec::design::one_period ? "one period; manager + one other manager (or a one-ratee guest) + self"
                                      : "two periods; manager + skip-level + one-ratee peer + self, in both";
}

int usage(const char* program) {
  std::fprintf(stderr, "usage: %s [--design 1|2] [--seeds N] [--ratees N] [--strict]\n", program);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<rec::design> designs{rec::design::one_period, rec::design::two_periods};
  std::size_t seeds = 5, ratees = 100;
  bool strict = false;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    auto value = [&]() -> long {
      if (a + 1 >= argc) return -1;
      char* end = nullptr;
      const long v = std::strtol(argv[++a], &end, 10);
      return *end ? -1 : v;
    };
    if (arg == "--design") {
      const long d = value();
      if (d != 1 && d != 2) return usage(argv[0]);
      designs = {static_cast<rec::design>(d)};
    } else if (arg == "--seeds") {
      const long s = value();
      if (s < 1) return usage(argv[0]);
      seeds = static_cast<std::size_t>(s);
    } else if (arg == "--ratees") {
      const long n = value();
      if (n < 20) return usage(argv[0]);
      ratees = static_cast<std::size_t>(n);
    } else if (arg == "--strict") {
      strict = true;
    } else {
      return usage(argv[0]);
    }
  }

  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  bool all_pass = true;
  for (const rec::design d : designs) {
    measures m;
    for (std::size_t s = 1; s <= seeds; ++s) {
      rec::planted_config config;
      config.layout = d;
      config.seed = s;
      config.ratees = ratees;
      const rec::planted_data data = rec::generate(fw, config);
      const cal::calibration_report report = cal::calibrate(data.table);
      measure(data, read_judgments(report, data), m);
    }
    std::printf("design %d: %s\n", static_cast<int>(d), describe(d));
    std::printf("%zu seeds x %zu ratees; %zu ratings, %zu external raters in all\n\n", seeds, ratees, m.ratings,
                m.raters);
    const std::vector<row> rows = table_of(m);
    print(rows);
    for (const row& r : rows)
      if (r.pass && !*r.pass) all_pass = false;
    std::printf("\n");
  }
  return strict && !all_pass ? 1 : 0;
}
