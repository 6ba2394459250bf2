// Reading ratings from a "wide" CSV file: a header row of rater names, then
// one row per unit, one column per rater, an empty cell for a missing
// rating.  An optional column holds unit identifiers.
//
//   unit,alice,bob,carol
//   u1,3,4,
//   u2,2,2,3
//
// The reader follows RFC 4180 (quoted cells, doubled quotes inside them,
// line breaks inside quotes), accepts LF and CRLF line ends and skips a
// UTF-8 byte order mark.  Cells are trimmed of spaces and tabs; a cell
// that is empty after trimming is a missing rating.  Lines that are
// completely empty are skipped.
//
// Every problem is a calibra::parse_error ("parse_error.csv") whose message
// names the file, the 1-based line and the column (index and rater name)
// and says what was expected.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace calibra {

struct wide_csv_options {
  /// Header name of the column that holds unit identifiers; empty when the
  /// file has none (units are then numbered "1", "2", ... in file order).
  std::string unit_column;
};

struct wide_ratings {
  /// units x raters; NaN marks a missing rating.
  Eigen::MatrixXd ratings;
  /// Rater names in column order (the unit column excluded).
  std::vector<std::string> raters;
  /// One identifier per row of `ratings`.
  std::vector<std::string> units;
};

/// Files larger than this are refused before they are read.
inline constexpr std::size_t max_wide_csv_bytes = std::size_t{256} << 20;
/// More columns than this are refused (the header is checked first).
inline constexpr std::size_t max_wide_csv_columns = 100000;

/// Reads a wide CSV file.  Throws parse_error for unreadable input.
wide_ratings read_wide_csv(const std::string& path, const wide_csv_options& options = {});

/// Parses wide CSV text held in memory; `source_name` stands for the file
/// name in messages.
wide_ratings read_wide_csv_text(std::string_view text, const std::string& source_name = "<memory>",
                                const wide_csv_options& options = {});

}  // namespace calibra
