// The seeded ratings generator: determinism, the design it promises, the
// planted effects seen through simple statistics, and the bundled example
// data set (data/examples/ratings.csv), which must equal the generator's
// output byte for byte.
//
// Regenerate the example after a deliberate change to the generator with
//   CALIBRA_UPDATE_EXAMPLES=1 calibra_tests_calibration "[example]"
// and review the diff and data/examples/README.md.
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/ratings.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using namespace calibra::calibration;

namespace {

const std::string example_path = std::string(CALIBRA_SOURCE_DIR) + "/data/examples/ratings.csv";

std::shared_ptr<const calibra::framework> builtin() {
  static const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return fw;
}

/// A larger population than the example, for tighter statistics.
simulation_config large_config() {
  simulation_config config;
  config.seed = 7;
  config.ratees_per_career_level = {30, 30, 30, 30, 30};
  config.squad_ratees = 20;
  return config;
}

using cell = std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>;  // ratee, competency, period

/// For every (ratee, competency, period): the rows rating it.
std::map<cell, std::vector<std::size_t>> cells_of(const ratings_table& t) {
  std::map<cell, std::vector<std::size_t>> cells;
  for (std::size_t i = 0; i < t.size(); ++i) cells[{t.ratee(i), t.competency(i), t.period(i)}].push_back(i);
  return cells;
}

/// Mean over the cells `rater` rated (optionally in one period) of its level
/// minus the mean level the `others` gave the same cell; cells without
/// another rating are skipped.
double mean_gap(const ratings_table& t, const std::map<cell, std::vector<std::size_t>>& cells, std::uint32_t rater,
                const std::set<std::uint32_t>& others, std::optional<std::uint32_t> period = std::nullopt) {
  double sum = 0;
  std::size_t n = 0;
  for (const auto& [key, rows] : cells) {
    if (period && std::get<2>(key) != *period) continue;
    std::optional<int> own;
    double other_sum = 0;
    std::size_t other_n = 0;
    for (std::size_t row : rows) {
      if (t.rater(row) == rater) own = t.level(row);
      if (others.count(t.rater(row))) {
        other_sum += t.level(row);
        ++other_n;
      }
    }
    if (!own || other_n == 0) continue;
    sum += *own - other_sum / static_cast<double>(other_n);
    ++n;
  }
  REQUIRE(n > 0);
  return sum / static_cast<double>(n);
}

/// Mean over the (ratee, period) pairs a rater rated of the standard
/// deviation of its levels across competencies.
double spread_across_competencies(const ratings_table& t, std::uint32_t rater) {
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<double>> levels;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.rater(i) == rater) levels[{t.ratee(i), t.period(i)}].push_back(t.level(i));
  double total = 0;
  for (const auto& [key, values] : levels) {
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    total += std::sqrt(squares / static_cast<double>(values.size() - 1));
  }
  return total / static_cast<double>(levels.size());
}

/// Connected components of the rater-ratee graph, people matched by name.
std::size_t components(const ratings_table& t) {
  std::vector<std::size_t> parent(t.ratees().size() + t.raters().size());
  std::iota(parent.begin(), parent.end(), 0);
  const auto find = [&](std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const std::size_t offset = t.ratees().size();
  for (std::size_t i = 0; i < t.size(); ++i) {
    const std::size_t rater_node = t.rater_as_ratee(t.rater(i)).value_or(offset + t.rater(i));
    parent[find(t.ratee(i))] = find(rater_node);
  }
  std::set<std::size_t> roots;
  for (std::size_t i = 0; i < t.size(); ++i) roots.insert(find(t.ratee(i)));
  return roots.size();
}


}  // namespace

TEST_CASE("generator: the same seed gives the same bytes, another seed other ratings", "[simulate]") {
  const auto first = simulate_ratings(builtin(), example_simulation_config());
  const auto second = simulate_ratings(builtin(), example_simulation_config());
  CHECK(calibra::to_ratings_csv(first.table) == calibra::to_ratings_csv(second.table));
  CHECK(first.truth.proficiency == second.truth.proficiency);
  simulation_config other = example_simulation_config();
  other.seed += 1;
  CHECK(calibra::to_ratings_csv(simulate_ratings(builtin(), other).table) != calibra::to_ratings_csv(first.table));
}

TEST_CASE("generator: xoshiro256** and splitmix64 match the reference outputs", "[simulate]") {
  // splitmix64 from state 0: the first outputs of Vigna's reference splitmix64.c.
  std::uint64_t state = 0;
  CHECK(detail::splitmix64(state) == 0xE220A8397B1DCDAFULL);
  CHECK(detail::splitmix64(state) == 0x6E789E6AA1B965F4ULL);
  // xoshiro256** from the state {1, 2, 3, 4}: the first outputs of Blackman
  // and Vigna's reference xoshiro256starstar.c.
  auto reference = detail::xoshiro256ss::from_state(1, 2, 3, 4);
  CHECK(reference.next() == 11520u);
  CHECK(reference.next() == 0u);
  CHECK(reference.next() == 1509978240u);
  CHECK(reference.next() == 1215971899390074240u);
  // Irwin-Hall deviates: mean 0 and standard deviation as asked, over many draws.
  detail::xoshiro256ss rng(1);
  double sum = 0, squares = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = static_cast<double>(detail::normal(rng, 1000000)) / 1e6;
    sum += x;
    squares += x * x;
  }
  CHECK(std::abs(sum / n) < 0.01);
  CHECK(std::sqrt(squares / n) == Approx(1.0).epsilon(0.01));
}

TEST_CASE("generator: the example design -- people, roles, periods, rows", "[simulate]") {
  const auto sim = simulate_ratings(builtin(), example_simulation_config());
  const ratings_table& t = sim.table;
  const std::size_t n_competencies = builtin()->competencies().size();
  CHECK(t.ratees().size() == 40);
  CHECK(t.raters().size() == 46);  // 6 managers + 40 self raters
  CHECK(t.periods().names() == std::vector<std::string>{"2026Q1", "2026Q2", "2026Q3", "2026Q4"});
  CHECK(t.size() == 40 * n_competencies * 4 * 3);
  const auto& s = t.summary();
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::self)] == 40 * n_competencies * 4);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::manager)] == 40 * n_competencies * 4);
  CHECK(s.rows_per_role[static_cast<std::size_t>(rater_role::panel)] == 40 * n_competencies * 4);
  CHECK(s.rows_with_career_level == t.size());
  // Every career level is present.
  std::set<std::uint32_t> career_levels;
  for (const auto& rp : t.ratee_periods()) career_levels.insert(*rp.career_level);
  CHECK(career_levels.size() == builtin()->ladder().size());
  // Outcomes in the last period only, for ratees with a next career level,
  // and both outcomes occur.
  std::size_t promoted = 0, not_promoted = 0;
  for (const auto& rp : t.ratee_periods()) {
    if (rp.period != 3) {
      CHECK_FALSE(rp.outcome);
      continue;
    }
    const bool has_next = !builtin()->ladder().next(*rp.career_level).empty();
    CHECK(rp.outcome.has_value() == has_next);
    if (rp.outcome) ++(*rp.outcome == promotion_outcome::promoted ? promoted : not_promoted);
  }
  CHECK(promoted + not_promoted == 30);  // principal and group PMs have no next level
  CHECK(promoted >= 5);
  CHECK(not_promoted >= 5);
  CHECK(sim.truth.lenient_manager == std::string("mgr1"));
  CHECK(sim.truth.drifting_manager == std::string("mgr2"));
  CHECK(sim.truth.halo_manager == std::string("mgr3"));
}

TEST_CASE("generator: impossible configurations name the setting", "[simulate][errors]") {
  const auto message = [](simulation_config config) {
    try {
      simulate_ratings(builtin(), config);
    } catch (const calibra::invalid_argument& e) {
      CHECK(e.id() == "invalid_argument.simulate");
      return std::string(e.what());
    }
    FAIL("expected invalid_argument");
    return std::string();
  };
  simulation_config c = example_simulation_config();
  c.periods = {"2026Q1", "2026Q1"};
  CHECK_THAT(message(c), Catch::Contains("periods: '2026Q1' is listed twice"));
  c = example_simulation_config();
  c.periods = {"2026Q5"};
  CHECK_THAT(message(c), Catch::Contains("periods[0]: '2026Q5' is not a quarter"));
  c = example_simulation_config();
  c.ratees_per_career_level = {1, 2};
  CHECK_THAT(message(c), Catch::Contains("ratees_per_career_level: expected one count per career level (5)"));
  c = example_simulation_config();
  c.halo_manager = 6;
  CHECK_THAT(message(c), Catch::Contains("halo_manager = 6 is not a manager index"));
  c = example_simulation_config();
  c.squad_managers = 6;
  CHECK_THAT(message(c), Catch::Contains("squad_managers"));
  c = example_simulation_config();
  c.noise_sd = std::nan("");
  CHECK_THAT(message(c), Catch::Contains("noise_sd"));
  c = example_simulation_config();
  c.leniency = 50;
  CHECK_THAT(message(c), Catch::Contains("leniency = 50"));
}

TEST_CASE("generator: planted effects show in simple statistics", "[simulate][effects]") {
  const bool example = GENERATE(false, true);
  {
    const simulation_config config = example ? example_simulation_config() : large_config();
    INFO((example ? "example" : "large") << " configuration");
    const auto sim = simulate_ratings(builtin(), config);
    const ratings_table& t = sim.table;
    const auto cells = cells_of(t);
    const auto& truth = sim.truth;
    const std::uint32_t lenient = *t.raters().find(*truth.lenient_manager);
    const std::uint32_t drifting = *t.raters().find(*truth.drifting_manager);
    const std::uint32_t halo = *t.raters().find(*truth.halo_manager);
    const std::uint32_t ordinary = *t.raters().find("mgr4");
    // Tolerances: the example has 8 ratees per main manager, the large
    // configuration 32; rounding to whole levels and clamping at the top of
    // the scale pull gaps towards zero.
    const double tolerance = example ? 0.3 : 0.2;

    SECTION("lenient manager: about +leniency against the other managers on shared ratees") {
      const double gap = mean_gap(t, cells, lenient, {halo, ordinary});
      // The gap the biases predict, the ordinary managers' own N(0, 0.1) biases included.
      const double planted = truth.manager_bias(0, 0) - (truth.manager_bias(2, 0) + truth.manager_bias(3, 0)) / 2;
      INFO("gap " << gap << ", planted " << planted);
      CHECK(std::abs(gap - config.leniency) < tolerance + 0.15);
      CHECK(std::abs(gap - planted) < tolerance);
    }
    SECTION("drifting manager: the gap moves by drift_per_period each period") {
      std::vector<double> gaps;
      for (std::uint32_t p = 0; p < t.periods().size(); ++p)
        gaps.push_back(mean_gap(t, cells, drifting, {halo, ordinary}, p));
      // Least-squares slope over periods 0..3.
      const double slope = (-3 * gaps[0] - gaps[1] + gaps[2] + 3 * gaps[3]) / 10;
      INFO("gaps " << gaps[0] << " " << gaps[1] << " " << gaps[2] << " " << gaps[3] << ", slope " << slope);
      CHECK(std::abs(slope - config.drift_per_period) < tolerance / 2);
      CHECK(gaps[3] - gaps[0] < -0.5);
    }
    SECTION("halo manager: levels barely vary across competencies") {
      const double halo_spread = spread_across_competencies(t, halo);
      const double ordinary_spread = spread_across_competencies(t, ordinary);
      INFO("halo " << halo_spread << ", ordinary " << ordinary_spread);
      CHECK(halo_spread < 0.5 * ordinary_spread);
      CHECK(ordinary_spread > 0.4);
    }
    SECTION("self ratings: about +self_inflation against the ordinary manager") {
      std::set<std::uint32_t> selves;
      for (std::uint32_t r = 0; r < t.raters().size(); ++r)
        if (t.rater_as_ratee(r)) selves.insert(r);
      double sum = 0;
      std::size_t n = 0;
      for (const auto& [key, rows] : cells) {
        std::optional<int> self, manager;
        for (std::size_t row : rows) {
          if (t.role(row) == rater_role::self) self = t.level(row);
          if (t.rater(row) == ordinary) manager = t.level(row);
        }
        if (self && manager) {
          sum += *self - *manager;
          ++n;
        }
      }
      const double gap = sum / static_cast<double>(n);
      const double planted = config.self_inflation - truth.manager_bias(3, 0);
      INFO("self gap " << gap << ", planted " << planted);
      CHECK(std::abs(gap - planted) < tolerance);
    }
    SECTION("squad: its raters and ratees form their own component") {
      CHECK(components(t) == 2);
      std::set<std::string> squad_people;
      for (std::size_t r = 0; r < truth.ratees.size(); ++r)
        if (truth.ratee_in_squad[r]) squad_people.insert(truth.ratees[r]);
      for (std::size_t m = 0; m < truth.managers.size(); ++m)
        if (truth.manager_in_squad[m]) squad_people.insert(truth.managers[m]);
      CHECK(squad_people.size() == config.squad_ratees + config.squad_managers);
      for (std::size_t i = 0; i < t.size(); ++i) {
        const bool rater_in = squad_people.count(t.raters()[t.rater(i)]) > 0;
        const bool ratee_in = squad_people.count(t.ratees()[t.ratee(i)]) > 0;
        if (rater_in != ratee_in) FAIL("row " << i << " crosses the squad boundary");
      }
      // Without the squad, everyone is connected.
      simulation_config together = config;
      together.squad_ratees = 0;
      CHECK(components(simulate_ratings(builtin(), together).table) == 1);
    }
    SECTION("outcomes: promoted ratees are rated higher relative to their expectations") {
      const auto& fw = *builtin();
      double promoted_sum = 0, other_sum = 0;
      std::size_t promoted_n = 0, other_n = 0;
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.rater(i) != ordinary && t.rater(i) != halo) continue;
        const auto r = static_cast<std::size_t>(std::find(truth.ratees.begin(), truth.ratees.end(),
                                                          t.ratees()[t.ratee(i)]) -
                                                truth.ratees.begin());
        if (!truth.outcome[r]) continue;
        const double above = t.level(i) - fw.expectations()(static_cast<Eigen::Index>(*t.career_level(i)),
                                                            static_cast<Eigen::Index>(t.competency(i)));
        if (*truth.outcome[r] == promotion_outcome::promoted) {
          promoted_sum += above;
          ++promoted_n;
        } else {
          other_sum += above;
          ++other_n;
        }
      }
      REQUIRE(promoted_n > 0);
      REQUIRE(other_n > 0);
      const double difference =
          promoted_sum / static_cast<double>(promoted_n) - other_sum / static_cast<double>(other_n);
      INFO("promoted minus not promoted: " << difference);
      CHECK(difference > 0.3);
    }
  }
}

TEST_CASE("example data: data/examples/ratings.csv is exactly the generator's output", "[simulate][example]") {
  const auto sim = simulate_ratings(builtin(), example_simulation_config());
  const std::string generated = calibra::to_ratings_csv(sim.table);
  if (const char* update = std::getenv("CALIBRA_UPDATE_EXAMPLES"); update && std::string(update) == "1") {
    calibra::write_file_atomically(example_path, generated);
    WARN("rewrote " << example_path);
  }
  std::ifstream in(example_path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream checked_in;
  checked_in << in.rdbuf();
  // Compare sizes first so a mismatch does not print half a megabyte.
  REQUIRE(checked_in.str().size() == generated.size());
  CHECK(checked_in.str() == generated);

  // And it reads back through the public reader into the generator's table.
  const ratings_table read = calibra::read_ratings_csv(example_path, builtin());
  CHECK(read.size() == sim.table.size());
  CHECK(read.summary().ratees == 40);
  CHECK(calibra::to_ratings_csv(read) == generated);
}
