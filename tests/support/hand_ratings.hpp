// Test support: ratings tables built by hand, for the tests of the
// calibration analyses and of their JSON.
//
// Two shapes recur across the tests:
//   * rows written out as text, the way a ratings file gives them, against
//     the built-in framework (table_from_text);
//   * one manager rating per person, carrying the person's career level and
//     promotion outcome, for the analyses that read scores built by hand and
//     take only people, levels and outcomes from the table (one_rating_each),
//     with the scores themselves set by hand (scores_of).
// find_ratee looks a person's entry up in an analysis result by name.
#pragma once

#include <calibra/calibration/ratings.hpp>
#include <calibra/calibration/scores.hpp>
#include <calibra/framework/builtin.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace calibra_test {

/// The built-in framework, built once and shared by every table of a test
/// program.
inline std::shared_ptr<const calibra::framework> builtin() {
  static const auto fw = std::make_shared<const calibra::framework>(calibra::builtin_framework());
  return fw;
}

/// One rating as text: ids, the role's name, the competency's id, the
/// level as an ordinal and the period.
struct text_row {
  const char* ratee;
  const char* rater;
  const char* role;
  const char* competency;
  int level;
  const char* period;
};

/// A table of `rows` read as text against the built-in framework; row i
/// gets source row i + 2, as if a header were row 1.
inline calibra::calibration::ratings_table table_from_text(const std::vector<text_row>& rows,
                                                           const std::string& source = "hand") {
  calibra::calibration::ratings_builder b(builtin(), source);
  for (const text_row& r : rows) {
    calibra::calibration::rating_text t;
    t.ratee = r.ratee;
    t.rater = r.rater;
    t.role = r.role;
    t.competency = r.competency;
    const std::string level = std::to_string(r.level);
    t.level = level;
    t.period = r.period;
    b.add_text(t, b.rows() + 2);
  }
  return b.finish();
}

/// A person for one_rating_each: a name, maybe a career level (an id on the
/// framework's ladder) and maybe a promotion outcome.
struct person {
  std::string name;
  std::optional<std::string> career_level = std::nullopt;
  std::optional<calibra::calibration::promotion_outcome> outcome = std::nullopt;
};

/// One rating per person: manager "boss", the first competency, level 2, in
/// `period`, with the person's career level and outcome.
inline calibra::calibration::ratings_table one_rating_each(const std::shared_ptr<const calibra::framework>& fw,
                                                           const std::vector<person>& people,
                                                           const std::string& period = "2026Q3") {
  calibra::calibration::ratings_builder builder(fw);
  for (const person& p : people) {
    calibra::calibration::rating r;
    r.ratee = p.name;
    r.rater = "boss";
    r.role = calibra::calibration::rater_role::manager;
    r.competency = 0;
    r.level = 2;
    r.period = period;
    if (p.career_level) r.career_level = fw->ladder().index_of(*p.career_level);
    r.outcome = p.outcome;
    builder.add(r);
  }
  return builder.finish();
}

/// One ratee's hand-set scores: a value per competency (NaN: no score) and,
/// optionally, a standard error per competency.
struct scored_row {
  std::vector<double> value, se;
  scored_row(std::initializer_list<double> values) : value(values) {}
  scored_row(std::vector<double> values, std::vector<double> ses) : value(std::move(values)), se(std::move(ses)) {}
};

/// Ratee x competency scores set by hand, for testing the ratee analyses
/// without a severity fit: rows by ratee name (ascending ratee id, as
/// competency_scores requires), NaN standard errors where none is given,
/// and `ratings_per_cell` as every cell's rating count.
inline calibra::calibration::competency_scores scores_of(const calibra::calibration::ratings_table& table,
                                                         const std::map<std::string, scored_row>& rows,
                                                         int ratings_per_cell = 1) {
  calibra::calibration::competency_scores s;
  std::map<std::uint32_t, const scored_row*> by_id;
  for (const auto& [name, row] : rows) by_id[*table.ratees().find(name)] = &row;
  const auto n = static_cast<Eigen::Index>(by_id.size());
  const auto cols = static_cast<Eigen::Index>(table.n_competencies());
  s.value.resize(n, cols);
  s.se = Eigen::MatrixXd::Constant(n, cols, std::numeric_limits<double>::quiet_NaN());
  s.n = Eigen::MatrixXi::Constant(n, cols, ratings_per_cell);
  Eigen::Index i = 0;
  for (const auto& [id, row] : by_id) {
    s.ratees.push_back(id);
    for (Eigen::Index c = 0; c < cols; ++c) {
      s.value(i, c) = row->value.at(static_cast<std::size_t>(c));
      if (!row->se.empty()) s.se(i, c) = row->se.at(static_cast<std::size_t>(c));
    }
    ++i;
  }
  s.method = "hand-built";
  return s;
}

/// The entry for `name` in `result.ratees` (any result whose ratees carry a
/// `ratee` id); throws when there is none.
template <class Result>
const auto& find_ratee(const Result& result, const calibra::calibration::ratings_table& table,
                       const std::string& name) {
  const auto id = table.ratees().find(name);
  if (id)
    for (const auto& x : result.ratees)
      if (x.ratee == *id) return x;
  throw std::logic_error("no result for " + name);
}

/// The level a table holds for (ratee, rater, competency id), or 0.
inline int level_of(const calibra::calibration::ratings_table& t, const std::string& ratee, const std::string& rater,
                    const std::string& competency) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.ratees()[t.ratee(i)] == ratee && t.raters()[t.rater(i)] == rater &&
        t.framework().competencies()[t.competency(i)].id == competency)
      return t.level(i);
  return 0;
}

}  // namespace calibra_test
