// Reads the published data sets of tests/data/reference (wide CSV: a header
// of rater names, one row per unit, empty cell = missing) for the agreement
// tests.
#pragma once

#include <Eigen/Core>

#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace calibra_test {

inline Eigen::MatrixXd read_reference(const std::string& name) {
  const std::string path = std::string(CALIBRA_TEST_DATA_DIR) + "/reference/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> row;
    std::string cell;
    std::stringstream fields(line);
    while (std::getline(fields, cell, ','))
      row.push_back(cell.empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(cell));
    if (!line.empty() && line.back() == ',') row.push_back(std::numeric_limits<double>::quiet_NaN());
    rows.push_back(row);
  }
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.front().size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return m;
}

inline constexpr double NA = std::numeric_limits<double>::quiet_NaN();

}  // namespace calibra_test
