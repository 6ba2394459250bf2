// Shared by the two ratings fuzz targets: the built-in framework the ratings
// are read against, and the invariants of a table that was read.
#pragma once

#include "fuzz_common.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/io/ratings.hpp>

#include <memory>
#include <string>

namespace calibra::fuzz {

inline std::shared_ptr<const framework> ratings_framework() {
  static const auto fw = std::make_shared<const framework>(builtin_framework());
  return fw;
}

/// The lenient options: repeats folded into their mean, unknown columns ignored.
inline ratings_options lenient_options() {
  ratings_options options;
  options.duplicates = calibration::duplicate_policy::mean;
  options.ignore_unknown_columns = true;
  return options;
}

/// Row by row, by name: the same ratings in the same order.
inline bool same_ratings(const calibration::ratings_table& a, const calibration::ratings_table& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a.ratees()[a.ratee(i)] != b.ratees()[b.ratee(i)] || a.raters()[a.rater(i)] != b.raters()[b.rater(i)] ||
        a.periods()[a.period(i)] != b.periods()[b.period(i)] || a.competency(i) != b.competency(i) ||
        a.level(i) != b.level(i) || a.role(i) != b.role(i) || a.career_level(i) != b.career_level(i) ||
        a.track(i) != b.track(i) || a.outcome(i) != b.outcome(i))
      return false;
  }
  return true;
}

/// What must hold of any table a reader returns: the summary accounts for
/// every row, and the CSV writer's text reads back (strictly) as the same
/// table and is itself a fixed point.
inline void check_table(const calibration::ratings_table& table) {
  const auto& summary = table.summary();
  require(summary.rows_kept == table.size(), "summary.rows_kept is the table size");
  require(summary.rows_read == summary.rows_kept + summary.duplicate_rows_dropped,
          "rows_read == rows_kept + duplicate_rows_dropped");
  for (std::size_t i = 0; i < table.size(); ++i)
    require(table.level(i) >= 1 && static_cast<std::size_t>(table.level(i)) <= table.framework().scale().size(),
            "levels lie on the scale");

  std::string csv;
  require(expect_value_or_calibra_error([&] { csv = to_ratings_csv(table); }), "a table read can be written");
  require(valid_utf8(csv), "written CSV is UTF-8");
  calibration::ratings_table again;
  require(expect_value_or_calibra_error([&] { again = read_ratings_csv_text(csv, ratings_framework(), "back.csv"); }),
          "written CSV reads back with the default (strict) options");
  require(same_ratings(table, again), "written CSV reads back as the same table");
  require(to_ratings_csv(again) == csv, "written CSV is a fixed point");
}

/// Reads `text` with the strict defaults and with the lenient options.  A
/// strict success implies a lenient success with the same table.
template <typename Read>
void check_reader(const Read& read) {
  calibration::ratings_table strict, lenient;
  const bool strict_ok = expect_value_or_calibra_error([&] { strict = read(ratings_options{}); });
  const bool lenient_ok = expect_value_or_calibra_error([&] { lenient = read(lenient_options()); });
  if (strict_ok) {
    require(lenient_ok, "input read strictly also reads leniently");
    require(same_ratings(strict, lenient), "strict and lenient reads agree when both succeed");
    check_table(strict);
  }
  if (lenient_ok) check_table(lenient);
}

}  // namespace calibra::fuzz
