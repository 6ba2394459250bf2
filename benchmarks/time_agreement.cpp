// In-process timing driver for the peer comparison (compare_peers.py).
//
//   calibra_time_agreement FILE.csv --stat fleiss [--weights quadratic]
//                          [--level interval] [--form ICC2] [--repeat 5]
//
// Reads a wide ratings CSV with calibra's own reader (the one the CLI
// uses: a header of rater names, one row per unit, empty cell = missing),
// then times only the computation of the statistic
// (agree(), the call a C++ user makes, coding of the raw matrix
// included; no file parsing, no process start-up).  Prints one line of
// JSON: the value with 17 significant digits, the best and median wall
// seconds and the best CPU seconds over the repeats.
#include <calibra/agreement/agree.hpp>
#include <calibra/agreement/options.hpp>
#include <calibra/io/wide_csv.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

namespace {
namespace agreement = calibra::agreement;
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
    const Eigen::MatrixXd ratings = calibra::read_wide_csv(path).ratings;
    // Wall time is what a user waits; CPU time (this process, all threads)
    // is steadier on a shared machine.  Both keep the best of the repeats.
    std::vector<double> seconds, cpu_seconds;
    double value = std::numeric_limits<double>::quiet_NaN();
    for (int r = 0; r < repeat; ++r) {
      const std::clock_t cpu_start = std::clock();
      const auto start = std::chrono::steady_clock::now();
      const agreement::result result = agreement::agree(ratings, stat, opts);
      const auto stop = std::chrono::steady_clock::now();
      const std::clock_t cpu_stop = std::clock();
      seconds.push_back(std::chrono::duration<double>(stop - start).count());
      cpu_seconds.push_back(static_cast<double>(cpu_stop - cpu_start) / CLOCKS_PER_SEC);
      value = result.value.value_or(std::numeric_limits<double>::quiet_NaN());
    }
    std::sort(seconds.begin(), seconds.end());
    std::sort(cpu_seconds.begin(), cpu_seconds.end());
    std::printf("{\"stat\": \"%s\", \"units\": %ld, \"raters\": %ld, \"value\": %.17g, \"best_seconds\": %.9g, "
                "\"median_seconds\": %.9g, \"best_cpu_seconds\": %.9g, \"repeat\": %d}\n",
                std::string(agreement::to_string(stat)).c_str(), static_cast<long>(ratings.rows()),
                static_cast<long>(ratings.cols()), value, seconds.front(), seconds[seconds.size() / 2],
                cpu_seconds.front(), repeat);
  } catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << "\n";
    return 2;
  }
  return 0;
}
