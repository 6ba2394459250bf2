// In-process timing driver for the peer comparison (compare_peers.py).
//
//   calibra_time_agreement FILE.csv --stat fleiss [--weights quadratic]
//                          [--level interval] [--form ICC2] [--repeat 5]
//
// Reads a wide ratings CSV (a header of rater names, one row per unit,
// empty cell = missing), then times only the computation of the statistic
// (agree(), the call a C++ user makes, coding of the raw matrix
// included; no file parsing, no process start-up).  Prints one line of
// JSON: the value with 17 significant digits and the best and median
// seconds over the repeats.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace agreement = calibra::agreement;

Eigen::MatrixXd read_wide_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot open " << path << "\n";
    std::exit(2);
  }
  std::string line;
  std::getline(in, line);  // header
  const auto raters = static_cast<std::size_t>(std::count(line.begin(), line.end(), ',') + 1);
  std::vector<double> values;  // row-major
  std::size_t units = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::size_t column = 0, start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      const std::size_t end = comma == std::string::npos ? line.size() : comma;
      if (end == start) {
        values.push_back(std::numeric_limits<double>::quiet_NaN());
      } else {
        values.push_back(std::strtod(line.c_str() + start, nullptr));
      }
      ++column;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (column != raters) {
      std::cerr << path << ": row " << units + 2 << " has " << column << " cells, expected " << raters << "\n";
      std::exit(2);
    }
    ++units;
  }
  Eigen::MatrixXd ratings(static_cast<Eigen::Index>(units), static_cast<Eigen::Index>(raters));
  for (std::size_t u = 0; u < units; ++u)
    for (std::size_t j = 0; j < raters; ++j)
      ratings(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j)) = values[u * raters + j];
  return ratings;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: calibra_time_agreement FILE.csv --stat NAME [--weights W] [--level L] [--form F] "
                 "[--repeat N]\n";
    return 2;
  }
  try {
    const std::string path = argv[1];
    agreement::statistic stat = agreement::statistic::fleiss;
    agreement::options opts;
    int repeat = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
      const std::string flag = argv[i], value = argv[i + 1];
      if (flag == "--stat") stat = agreement::parse_statistic(value);
      else if (flag == "--weights") opts.weights = agreement::parse_weight_scheme(value);
      else if (flag == "--level") opts.level = agreement::parse_measurement_level(value);
      else if (flag == "--form") opts.form = agreement::parse_icc_form(value);
      else if (flag == "--repeat") repeat = std::max(1, std::atoi(value.c_str()));
      else {
        std::cerr << "unknown option " << flag << "\n";
        return 2;
      }
    }
    const Eigen::MatrixXd ratings = read_wide_csv(path);
    std::vector<double> seconds;
    double value = std::numeric_limits<double>::quiet_NaN();
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const agreement::result result = agreement::agree(ratings, stat, opts);
      const auto stop = std::chrono::steady_clock::now();
      seconds.push_back(std::chrono::duration<double>(stop - start).count());
      value = result.value.value_or(std::numeric_limits<double>::quiet_NaN());
    }
    std::sort(seconds.begin(), seconds.end());
    std::printf("{\"stat\": \"%s\", \"units\": %ld, \"raters\": %ld, \"value\": %.17g, \"best_seconds\": %.9g, "
                "\"median_seconds\": %.9g, \"repeat\": %d}\n",
                std::string(agreement::to_string(stat)).c_str(), static_cast<long>(ratings.rows()),
                static_cast<long>(ratings.cols()), value, seconds.front(), seconds[seconds.size() / 2], repeat);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
