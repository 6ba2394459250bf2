// Fuzz target: the wide agreement CSV reader (calibra/io/wide_csv.hpp).
//
// Any bytes: read_wide_csv_text returns a table or throws calibra::error.
// A table that is read has consistent shapes and finite ratings; written
// back as CSV (shortest round-trip numbers, quoted names) it reads back as
// the same table.  Small tables also go through every agreement statistic,
// as `calibra agree FILE --all` would: a value, or a calibra::error.
#include "fuzz_common.hpp"

#include <calibra/agreement/agree.hpp>
#include <calibra/io/wide_csv.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

namespace {

using calibra::wide_ratings;
using calibra::fuzz::require;

void append_cell(std::string& out, const std::string& cell) {
  // A name may begin with U+FEFF (a byte order mark inside the file is data,
  // docs/hardening.md); unquoted at the very start of the written file it
  // would read back as the file's BOM and vanish, so it is quoted.
  const bool starts_with_bom = cell.rfind("\xEF\xBB\xBF", 0) == 0;
  if (!starts_with_bom && cell.find_first_of(",\"\r\n") == std::string::npos) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
}

std::string write_wide_csv(const wide_ratings& table, bool with_units) {
  std::string out;
  if (with_units) out += "unit,";
  for (std::size_t r = 0; r < table.raters.size(); ++r) {
    if (r) out += ',';
    append_cell(out, table.raters[r]);
  }
  out += '\n';
  for (Eigen::Index u = 0; u < table.ratings.rows(); ++u) {
    if (with_units) {
      append_cell(out, table.units[static_cast<std::size_t>(u)]);
      out += ',';
    }
    for (Eigen::Index r = 0; r < table.ratings.cols(); ++r) {
      if (r) out += ',';
      const double x = table.ratings(u, r);
      if (std::isnan(x)) continue;
      char buffer[64];
      const auto written = std::to_chars(buffer, buffer + sizeof buffer, x);
      out.append(buffer, written.ptr);
    }
    out += '\n';
  }
  return out;
}

bool same_matrix(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double x = a.data()[i], y = b.data()[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y)))) return false;
  }
  return true;
}

void check_table(const wide_ratings& table, bool with_units) {
  require(table.ratings.cols() == static_cast<Eigen::Index>(table.raters.size()), "one column per rater");
  require(table.ratings.rows() == static_cast<Eigen::Index>(table.units.size()), "one row per unit");
  require(table.ratings.rows() > 0 && table.raters.size() >= 2, "at least one unit and two raters");
  for (Eigen::Index i = 0; i < table.ratings.size(); ++i)
    require(!std::isinf(table.ratings.data()[i]), "ratings are finite or missing");
  if (with_units) {
    std::unordered_set<std::string> seen(table.units.begin(), table.units.end());
    require(seen.size() == table.units.size(), "unit identifiers are unique");
  }

  const std::string csv = write_wide_csv(table, with_units);
  calibra::wide_csv_options options;
  if (with_units) options.unit_column = "unit";
  wide_ratings again;
  require(calibra::fuzz::expect_value_or_calibra_error(
              [&] { again = calibra::read_wide_csv_text(csv, "back.csv", options); }),
          "a table written back reads again");
  require(same_matrix(table.ratings, again.ratings), "the same ratings after a round trip");
  require(table.raters == again.raters, "the same raters after a round trip");
  require(table.units == again.units, "the same units after a round trip");
}

void run_statistics(const Eigen::MatrixXd& ratings) {
  namespace ag = calibra::agreement;
  for (const auto& entry : ag::detail::statistic_names.entries) {
    ag::options opts;
    calibra::fuzz::expect_value_or_calibra_error([&] { (void)ag::agree(ratings, entry.first, opts); });
    if (entry.first == ag::statistic::krippendorff) {
      opts.level = ag::measurement_level::ordinal;
      calibra::fuzz::expect_value_or_calibra_error([&] { (void)ag::agree(ratings, entry.first, opts); });
    } else if (entry.first != ag::statistic::icc) {
      opts.weights = ag::weight_scheme::quadratic;
      calibra::fuzz::expect_value_or_calibra_error([&] { (void)ag::agree(ratings, entry.first, opts); });
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = calibra::fuzz::as_text(data, size);
  for (const bool with_units : {false, true}) {
    calibra::wide_csv_options options;
    if (with_units) options.unit_column = "unit";
    wide_ratings table;
    if (!calibra::fuzz::expect_value_or_calibra_error(
            [&] { table = calibra::read_wide_csv_text(text, "fuzz.csv", options); }))
      continue;
    check_table(table, with_units);
    if (table.ratings.size() <= 256) run_statistics(table.ratings);
  }
  return 0;
}
