// Numerical and size stress of the calibration tables: a ratings table
// built from many ratings, the observed ratee x competency scores, and the
// units x raters matrix, against references written here (long double,
// two passes) that share no code with the library.
//
// The data are the "everyone meets expectations" pile-up: 99.9% of ratings
// at the middle level, so the spread of a cell is tiny next to its mean and
// a one-pass variance would cancel.  CI builds 1.2 x 10^5 ratings; the
// [.stress] case builds 10^7 and is run by hand (docs/hardening.md).
#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/calibration/wide_matrix.hpp>
#include <calibra/framework/builtin.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

namespace cal = calibra::calibration;
using real = long double;

struct generated {
  std::vector<std::string> ratees, raters, periods;
  // One entry per rating, in the order given to the builder.
  std::vector<std::uint32_t> ratee, rater, period, competency;
  std::vector<int> level;
  std::vector<cal::rater_role> role;
};

/// ratees x raters x 12 competencies x 4 periods ratings, every combination
/// once (so no duplicates), levels on the 5-level scale with 99.9% at 3.
generated pile_up(std::uint64_t seed, std::size_t n_ratees, std::size_t n_raters) {
  generated g;
  for (std::size_t i = 0; i < n_ratees; ++i) g.ratees.push_back("pm" + std::to_string(i));
  for (std::size_t j = 0; j < n_raters; ++j) g.raters.push_back("rater" + std::to_string(j));
  g.periods = {"2026Q1", "2026Q2", "2026Q3", "2026Q4"};
  const std::size_t total = n_ratees * n_raters * 12 * 4;
  for (auto* column : {&g.ratee, &g.rater, &g.period, &g.competency}) column->reserve(total);
  g.level.reserve(total);
  g.role.reserve(total);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u01(0, 1);
  std::uniform_int_distribution<int> any_level(1, 5);
  // External roles only: a self rating needs the ratee as its rater.
  const cal::rater_role roles[] = {cal::rater_role::manager, cal::rater_role::peer, cal::rater_role::panel,
                                   cal::rater_role::skip_level};
  for (std::uint32_t i = 0; i < n_ratees; ++i)
    for (std::uint32_t j = 0; j < n_raters; ++j)
      for (std::uint32_t p = 0; p < 4; ++p)
        for (std::uint32_t c = 0; c < 12; ++c) {
          g.ratee.push_back(i);
          g.rater.push_back(j);
          g.period.push_back(p);
          g.competency.push_back(c);
          g.level.push_back(u01(rng) < 0.999 ? 3 : any_level(rng));
          g.role.push_back(roles[j % 4]);
        }
  return g;
}

cal::ratings_table build(const generated& g, const std::shared_ptr<const calibra::framework>& fw) {
  cal::ratings_builder builder(fw, "<stress>");
  builder.reserve(g.level.size());
  for (std::size_t k = 0; k < g.level.size(); ++k) {
    cal::rating r;
    r.ratee = g.ratees[g.ratee[k]];
    r.rater = g.raters[g.rater[k]];
    r.role = g.role[k];
    r.competency = g.competency[k];
    r.level = g.level[k];
    r.period = g.periods[g.period[k]];
    builder.add(r);
  }
  return builder.finish();
}

bool close(double value, real reference, real tolerance = 1e-9) {
  return std::abs(static_cast<real>(value) - reference) <= tolerance * std::max<real>(1, std::abs(reference));
}

void check(const generated& g, const cal::ratings_table& table) {
  REQUIRE(table.size() == g.level.size());
  REQUIRE(table.summary().rows_read == g.level.size());
  REQUIRE(table.ratees().size() == g.ratees.size());

  // Observed scores: mean and standard error of the external ratings per
  // (ratee, competency), pooled over periods.  Reference: two passes in
  // long double over the generated data.
  const std::size_t cells = g.ratees.size() * 12;
  std::vector<real> sum(cells, 0), squares(cells, 0);
  std::vector<long> count(cells, 0);
  for (std::size_t k = 0; k < g.level.size(); ++k) {
    if (g.role[k] == cal::rater_role::self) continue;
    const std::size_t cell = g.ratee[k] * 12 + g.competency[k];
    sum[cell] += g.level[k];
    ++count[cell];
  }
  for (std::size_t k = 0; k < g.level.size(); ++k) {
    if (g.role[k] == cal::rater_role::self) continue;
    const std::size_t cell = g.ratee[k] * 12 + g.competency[k];
    const real d = g.level[k] - sum[cell] / count[cell];
    squares[cell] += d * d;
  }
  const cal::competency_scores scores = cal::observed_scores(table);
  REQUIRE(scores.rows() == g.ratees.size());
  std::size_t checked = 0, mismatched = 0;
  for (std::size_t row = 0; row < scores.rows(); ++row) {
    // Table ratee ids follow first appearance, which is generation order.
    const std::size_t ratee = scores.ratees[row];
    REQUIRE(table.ratees()[static_cast<std::uint32_t>(ratee)] == g.ratees[ratee]);
    for (std::size_t c = 0; c < 12; ++c) {
      const std::size_t cell = ratee * 12 + c;
      const auto i = static_cast<Eigen::Index>(row), j = static_cast<Eigen::Index>(c);
      const real mean = sum[cell] / count[cell];
      const real se = std::sqrt(squares[cell] / (count[cell] - 1) / count[cell]);
      ++checked;
      if (scores.n(i, j) != count[cell] || !close(scores.value(i, j), mean) || !close(scores.se(i, j), se)) {
        ++mismatched;
        UNSCOPED_INFO("ratee " << ratee << ", competency " << c << ": n " << scores.n(i, j) << " vs " << count[cell]
                               << ", mean " << scores.value(i, j) << " vs " << static_cast<double>(mean) << ", se "
                               << scores.se(i, j) << " vs " << static_cast<double>(se));
        if (mismatched > 5) break;
      }
    }
  }
  CHECK(checked == cells);
  CHECK(mismatched == 0);

  // One competency in one period as a units x raters matrix: every kept
  // rating lands in exactly one cell, with its level.
  cal::ratings_filter filter;
  filter.competency = 5;
  filter.period = table.periods().find("2026Q3");
  REQUIRE(filter.period);
  const cal::unit_rater_matrix m = cal::wide_matrix(table, filter);
  std::size_t expected = 0;
  real expected_sum = 0;
  for (std::size_t k = 0; k < g.level.size(); ++k)
    if (g.competency[k] == 5 && g.periods[g.period[k]] == "2026Q3") {
      ++expected;
      expected_sum += g.level[k];
    }
  CHECK(static_cast<std::size_t>((!m.ratings.array().isNaN()).count()) == expected);
  CHECK(close(m.ratings.array().isNaN().select(0, m.ratings).sum(), expected_sum));
}

}  // namespace

TEST_CASE("stress: a table of 1.2 x 10^5 piled-up ratings matches two-pass references", "[stress]") {
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  const generated g = pile_up(21, 50, 50);
  check(g, build(g, fw));
}

TEST_CASE("stress: a table of 10^7 piled-up ratings", "[.stress]") {
  const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  // 52 ratees x 4006 raters x 4 periods x 12 competencies = 9,998,976 ratings.
  const generated g = pile_up(22, 52, 4006);
  const auto start = std::chrono::steady_clock::now();
  const cal::ratings_table table = build(g, fw);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("built a table of " << table.size() << " ratings in " << seconds << " s");
  check(g, table);
}
