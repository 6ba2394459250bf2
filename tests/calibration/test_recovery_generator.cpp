// The recovery benchmark's generator (benchmarks/recovery/planted.hpp)
// checked against its own planted truth: the designs have the shape they
// claim, one-ratee raters rate one person, the planted effects have the
// planted sizes, and the truth rules say what their definitions say.
// calibra's verdicts are not tested here; the benchmark measures those.
#include "planted.hpp"

#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace cal = calibra::calibration;
namespace rec = calibra::bench::recovery;

std::shared_ptr<const calibra::framework> fw() {
  static const auto f = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return f;
}

rec::planted_data make(rec::design d, std::uint64_t seed) {
  rec::planted_config config;
  config.layout = d;
  config.seed = seed;
  return rec::generate(fw(), config);
}

std::size_t level_index(const char* id) { return *fw()->ladder().index_of(id); }

Eigen::VectorXd expectations_of(const char* id, double plus) {
  return fw()->expectations().row(static_cast<Eigen::Index>(level_index(id))).cast<double>().transpose().array() + plus;
}

struct moments {
  double n = 0, sum = 0, sq = 0;
  void add(double x) { n += 1, sum += x, sq += x * x; }
  double mean() const { return sum / n; }
  double sd() const { return std::sqrt((sq - sum * sum / n) / (n - 1)); }
};

/// Distinct ratees per rater name, and roles per (ratee, period), read from the table.
struct shape {
  std::map<std::string, std::set<std::uint32_t>> ratees_of_rater;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::multiset<cal::rater_role>> roles;  // one entry per rater
};

shape shape_of(const cal::ratings_table& t) {
  shape s;
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> seen;  // ratee, period, rater
  for (std::size_t row = 0; row < t.size(); ++row) {
    s.ratees_of_rater[t.raters()[t.rater(row)]].insert(t.ratee(row));
    if (seen.insert({t.ratee(row), t.period(row), t.rater(row)}).second)
      s.roles[{t.ratee(row), t.period(row)}].insert(t.role(row));
  }
  return s;
}

}  // namespace

TEST_CASE("recovery generator: design 1 is one period of manager, one other rater and self", "[recovery]") {
  const rec::planted_data d = make(rec::design::one_period, 1);
  const std::size_t n_comp = fw()->competencies().size();
  REQUIRE(d.periods.size() == 1);
  REQUIRE(d.table.periods().size() == 1);
  REQUIRE(d.ratees.size() == 100);
  REQUIRE(d.table.ratees().size() == 100);
  CHECK(d.table.size() == 100 * n_comp * 3);
  const shape s = shape_of(d.table);
  for (const auto& [key, roles] : s.roles) {
    CHECK(roles.size() == 3);
    CHECK(roles.count(cal::rater_role::manager) == 1);
    CHECK(roles.count(cal::rater_role::panel) == 1);
    CHECK(roles.count(cal::rater_role::self) == 1);
  }
  std::size_t guests = 0;
  for (const rec::planted_rater& r : d.raters) {
    CHECK(s.ratees_of_rater.at(r.name).size() == r.ratees_rated);
    if (r.kind == rec::rater_kind::guest) {
      ++guests;
      CHECK(r.ratees_rated == 1);
    } else {
      CHECK(r.ratees_rated > 1);
    }
  }
  CHECK(guests == 5);
}

TEST_CASE("recovery generator: design 2 is two periods of manager, skip-level, peer and self", "[recovery]") {
  const rec::planted_data d = make(rec::design::two_periods, 1);
  const std::size_t n_comp = fw()->competencies().size();
  REQUIRE(d.table.periods().size() == 2);
  CHECK(d.table.size() == 100 * n_comp * 4 * 2);
  const shape s = shape_of(d.table);
  CHECK(s.roles.size() == 200);  // every ratee in both periods
  for (const auto& [key, roles] : s.roles) {
    CHECK(roles.size() == 4);
    for (const auto role :
         {cal::rater_role::manager, cal::rater_role::skip_level, cal::rater_role::peer, cal::rater_role::self})
      CHECK(roles.count(role) == 1);
  }
  std::size_t peers = 0;
  for (const rec::planted_rater& r : d.raters) {
    CHECK(s.ratees_of_rater.at(r.name).size() == r.ratees_rated);
    if (r.kind == rec::rater_kind::peer) {
      ++peers;
      CHECK(r.ratees_rated == 1);
    }
    if (r.kind == rec::rater_kind::skip_level) CHECK(r.ratees_rated >= 20);
  }
  CHECK(peers == 100);
}

TEST_CASE("recovery generator: planted effects have their planted sizes", "[recovery]") {
  moments ordinary, inflation, pairs, manager_residual, self_residual;
  std::size_t lenient = 0, harsh = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed)
    for (const auto layout : {rec::design::one_period, rec::design::two_periods}) {
      const rec::planted_data d = make(layout, seed);
      std::map<std::string, const rec::planted_rater*> rater;
      std::map<std::string, const rec::planted_ratee*> ratee;
      for (const auto& r : d.raters) {
        rater[r.name] = &r;
        if (r.effect == rec::rater_effect::lenient) {
          ++lenient;
          CHECK(r.severity == Approx(-0.8));
        }
        if (r.effect == rec::rater_effect::harsh) {
          ++harsh;
          CHECK(r.severity == Approx(0.8));
        }
        if (r.effect == rec::rater_effect::none) ordinary.add(r.severity);
      }
      for (const auto& e : d.ratees) ratee[e.name] = &e, inflation.add(e.self_inflation);
      std::map<std::pair<std::string, std::string>, double> pair;
      for (const auto& p : d.pairs) {
        pairs.add(p.effect);
        pair[{d.raters[p.rater].name, d.ratees[p.ratee].name}] = p.effect;
      }
      CHECK(pair.size() == d.pairs.size());
      // Ratings away from the ends of the scale, so that clamping does not bias the residuals.
      for (std::size_t row = 0; row < d.table.size(); ++row) {
        const rec::planted_ratee& e = *ratee.at(d.table.ratees()[d.table.ratee(row)]);
        const double p = e.proficiency(static_cast<Eigen::Index>(d.table.competency(row)));
        if (p < 2 || p > 4) continue;
        if (d.table.role(row) == cal::rater_role::self) {
          self_residual.add(d.table.level(row) - p);
        } else {
          const std::string& name = d.table.raters()[d.table.rater(row)];
          const double severity = rater.at(name)->severity;
          const double interaction = pair.at({name, e.name});
          if (std::abs(severity) < 0.5) manager_residual.add(d.table.level(row) + severity - interaction - p);
        }
      }
    }
  CHECK(lenient == 10);
  CHECK(harsh == 10);
  CHECK(ordinary.n > 500);
  CHECK(std::abs(ordinary.mean()) < 0.03);
  CHECK(ordinary.sd() == Approx(0.2).margin(0.02));
  CHECK(inflation.mean() == Approx(0.4).margin(0.02));
  CHECK(inflation.sd() == Approx(0.15).margin(0.02));
  CHECK(std::abs(pairs.mean()) < 0.02);
  CHECK(pairs.sd() == Approx(0.25).margin(0.02));
  // With severity and pair effect taken out, the residual is the noise plus
  // rounding, which adds variance 1/12 to the noise's 0.35^2 and no bias.
  CHECK(std::abs(manager_residual.mean()) < 0.03);
  CHECK(manager_residual.sd() == Approx(std::sqrt(0.35 * 0.35 + 1.0 / 12)).margin(0.03));
  CHECK(self_residual.mean() == Approx(0.4).margin(0.05));
}

TEST_CASE("recovery generator: profile kinds carry the truth they are built for", "[recovery]") {
  const auto archetype_vectors = [] {
    std::vector<Eigen::VectorXd> out;
    for (const auto& a : fw()->archetypes()) {
      Eigen::VectorXd v = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(fw()->competencies().size()));
      for (const auto& id : a.strong) v(static_cast<Eigen::Index>(*fw()->competency_index(id))) = 1;
      for (const auto& id : a.growth) v(static_cast<Eigen::Index>(*fw()->competency_index(id))) = -1;
      out.push_back(v);
    }
    return out;
  }();
  auto correlation = [](const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
    const Eigen::VectorXd x = a.array() - a.mean(), y = b.array() - b.mean();
    return x.dot(y) / std::sqrt(x.squaredNorm() * y.squaredNorm());
  };
  std::map<rec::profile_kind, std::size_t> kinds;
  std::size_t ready_clear = 0, flat_clear_level = 0, flat_not_ready = 0, flat_with_step = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const rec::planted_data d = make(rec::design::one_period, seed);
    for (const rec::planted_ratee& e : d.ratees) {
      ++kinds[e.kind];
      const Eigen::VectorXd gap =
          e.proficiency -
          fw()->expectations().row(static_cast<Eigen::Index>(e.career_level)).cast<double>().transpose();
      CHECK(e.walk.front() == level_index("apm"));
      CHECK(rec::position_on(e.walk, e.career_level) >= 0);
      switch (e.kind) {
        case rec::profile_kind::ready:
          REQUIRE(e.next_level);
          if (e.readiness == rec::readiness_truth::clearly_ready) ++ready_clear;
          break;
        case rec::profile_kind::archetype:
          REQUIRE(e.archetype);
          CHECK(correlation(gap, archetype_vectors[*e.archetype]) > 0.9);
          break;
        case rec::profile_kind::flat: {
          const double sd = std::sqrt((gap.array() - gap.mean()).square().sum() / static_cast<double>(gap.size() - 1));
          CHECK(sd < 0.15);
          CHECK(!e.archetype);
          if (e.clear_level) ++flat_clear_level;
          if (e.next_level) {
            ++flat_with_step;
            if (e.readiness == rec::readiness_truth::clearly_not_ready) ++flat_not_ready;
          }
          break;
        }
        case rec::profile_kind::mixed:
          break;
      }
    }
  }
  // Every kind occurs in useful numbers over five seeds of 100 ratees.
  CHECK(kinds[rec::profile_kind::ready] >= 60);
  CHECK(kinds[rec::profile_kind::archetype] >= 60);
  CHECK(kinds[rec::profile_kind::mixed] >= 25);
  CHECK(kinds[rec::profile_kind::flat] >= 150);
  CHECK(ready_clear >= kinds[rec::profile_kind::ready] * 9 / 10);
  CHECK(flat_clear_level >= kinds[rec::profile_kind::flat] * 7 / 10);
  CHECK(flat_not_ready >= flat_with_step * 7 / 10);
}

TEST_CASE("recovery generator: truth rules follow their definitions", "[recovery]") {
  const auto& f = *fw();
  const std::size_t pm = level_index("pm"), senior = level_index("senior-pm"), principal = level_index("principal-pm"),
                    group = level_index("group-pm"), apm = level_index("apm");
  CHECK(rec::walk_of(f, pm) == std::vector<std::size_t>{apm, pm, senior, principal});
  CHECK(rec::walk_of(f, group) == std::vector<std::size_t>{apm, pm, senior, group});
  CHECK(rec::gap_competencies(f, pm, senior).size() == 5);

  // At the next level's expectations plus the tolerance: ready by exactly the margin.
  const double at_margin = rec::readiness_margin - rec::meets_tolerance;
  CHECK(rec::readiness_of(f, expectations_of("senior-pm", at_margin), pm, senior) ==
        rec::readiness_truth::clearly_ready);
  CHECK(rec::readiness_of(f, expectations_of("senior-pm", at_margin - 0.01), pm, senior) ==
        rec::readiness_truth::unclear);
  // At the own level's expectations: every gap competency is a level short.
  CHECK(rec::readiness_of(f, expectations_of("pm", 0), pm, senior) == rec::readiness_truth::clearly_not_ready);
  CHECK(rec::readiness_of(f, expectations_of("principal-pm", 0), principal, std::nullopt) ==
        rec::readiness_truth::no_next_step);

  const auto walk = rec::walk_of(f, pm);
  {
    const auto [level, clear] = rec::level_of(f, expectations_of("pm", 0.25), walk);
    CHECK(level == pm);
    CHECK(clear);
  }
  {
    const auto [level, clear] = rec::level_of(f, expectations_of("pm", -0.1), walk);
    CHECK(level == pm);  // met within the tolerance, but not clearly
    CHECK(!clear);
  }
  {
    const auto [level, clear] = rec::level_of(f, expectations_of("apm", -0.5), walk);
    CHECK(!level);
    CHECK(!clear);
  }
  {
    const auto [level, clear] = rec::level_of(f, expectations_of("principal-pm", 0.3), walk);
    CHECK(level == principal);  // the top of the walk needs only to be met clearly
    CHECK(clear);
  }
}

TEST_CASE("recovery generator: a seed gives the same data, another seed other data", "[recovery]") {
  const rec::planted_data a = make(rec::design::two_periods, 3), b = make(rec::design::two_periods, 3),
                          c = make(rec::design::two_periods, 4);
  REQUIRE(a.table.size() == b.table.size());
  CHECK(a.table.level_column() == b.table.level_column());
  CHECK(a.ratees[7].proficiency == b.ratees[7].proficiency);
  CHECK(a.table.level_column() != c.table.level_column());
}
