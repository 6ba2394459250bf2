// Test support: the small unbalanced design the severity models are checked
// on against their peers (statsmodels OLS in tests/calibration/oracle_severity.py,
// lme4 in tests/calibration/oracle_severity_random.R): two components
// (raters A-D with ratees p1-p5, raters E-F with ratees q1-q3), two
// competencies, two periods, 46 peer ratings.
#pragma once

#include "hand_ratings.hpp"

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/severity.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

#include <cstddef>
#include <string>
#include <vector>

namespace calibra_test::severity_design {

struct row {
  const char* ratee;
  const char* rater;
  std::size_t competency;  // 0 functional-specification, 1 product-delivery
  int level;
  const char* period;
};

inline constexpr std::size_t fs = 0, pd = 1;

// The design of tests/calibration/oracle_severity.py: two components (raters A-D
// with ratees p1-p5, raters E-F with ratees q1-q3), two competencies, two
// periods, unbalanced.
inline const std::vector<row> oracle_rows{
    {"p1", "A", fs, 4, "2026Q1"}, {"p1", "A", pd, 4, "2026Q1"}, {"p1", "B", fs, 3, "2026Q1"},
    {"p1", "B", pd, 3, "2026Q1"}, {"p2", "A", fs, 3, "2026Q1"}, {"p2", "A", pd, 3, "2026Q1"},
    {"p2", "C", fs, 3, "2026Q1"}, {"p2", "C", pd, 1, "2026Q1"}, {"p3", "B", fs, 4, "2026Q1"},
    {"p3", "C", fs, 4, "2026Q1"}, {"p3", "D", fs, 4, "2026Q1"}, {"p3", "D", pd, 4, "2026Q1"},
    {"p4", "C", fs, 3, "2026Q1"}, {"p4", "C", pd, 2, "2026Q1"}, {"p4", "D", fs, 3, "2026Q1"},
    {"p4", "D", pd, 4, "2026Q1"}, {"p5", "A", fs, 5, "2026Q1"}, {"p5", "D", fs, 3, "2026Q1"},
    {"q1", "E", fs, 4, "2026Q1"}, {"q1", "E", pd, 3, "2026Q1"}, {"q1", "F", fs, 3, "2026Q1"},
    {"q1", "F", pd, 3, "2026Q1"}, {"q2", "E", fs, 2, "2026Q1"}, {"q2", "F", pd, 1, "2026Q1"},
    {"q3", "F", fs, 4, "2026Q1"}, {"q3", "F", pd, 3, "2026Q1"}, {"p1", "B", fs, 3, "2026Q2"},
    {"p1", "B", pd, 3, "2026Q2"}, {"p1", "C", fs, 3, "2026Q2"}, {"p1", "C", pd, 3, "2026Q2"},
    {"p2", "A", pd, 3, "2026Q2"}, {"p2", "D", pd, 2, "2026Q2"}, {"p3", "A", fs, 5, "2026Q2"},
    {"p4", "B", fs, 2, "2026Q2"}, {"p4", "B", pd, 2, "2026Q2"}, {"p5", "C", fs, 3, "2026Q2"},
    {"p5", "C", pd, 4, "2026Q2"}, {"p5", "D", fs, 4, "2026Q2"}, {"p5", "D", pd, 4, "2026Q2"},
    {"q1", "E", fs, 3, "2026Q2"}, {"q1", "E", pd, 3, "2026Q2"}, {"q2", "E", fs, 3, "2026Q2"},
    {"q2", "E", pd, 2, "2026Q2"}, {"q2", "F", fs, 2, "2026Q2"}, {"q2", "F", pd, 2, "2026Q2"},
    {"q3", "E", fs, 5, "2026Q2"},
};

/// Peer ratings from `rows`; `self_rows` are added as self ratings (the
/// ratee rates themself), which severity must ignore.
inline calibra::calibration::ratings_table make_table(const std::vector<row>& rows,
                                                      const std::vector<row>& self_rows = {}) {
  calibra::calibration::ratings_builder builder(calibra_test::builtin(), "test");
  const auto add = [&](const row& x, const char* rater, calibra::calibration::rater_role role) {
    calibra::calibration::rating r;
    r.ratee = x.ratee;
    r.rater = rater;
    r.role = role;
    r.competency = x.competency;
    r.level = x.level;
    r.period = x.period;
    builder.add(r);
  };
  for (const row& x : rows) add(x, x.rater, calibra::calibration::rater_role::peer);
  for (const row& x : self_rows) add(x, x.ratee, calibra::calibration::rater_role::self);
  return builder.finish();
}

/// The severity record of the rater called `name` (which must have one).
inline const calibra::calibration::rater_severity& rater_named(const calibra::calibration::severity_fit& fit,
                                                              const calibra::calibration::ratings_table& t,
                                                              const std::string& name) {
  const calibra::calibration::rater_severity* r = fit.find_rater(*t.raters().find(name));
  REQUIRE(r != nullptr);
  return *r;
}

inline bool has_flag(const calibra::calibration::rater_severity& r, calibra::calibration::rater_flag flag) {
  return std::find(r.flags.begin(), r.flags.end(), flag) != r.flags.end();
}

}  // namespace calibra_test::severity_design
