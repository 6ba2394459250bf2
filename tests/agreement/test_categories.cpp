// Coding a rating matrix into category indices.
#include <calibra/agreement/categories.hpp>

#include "test_reference_data.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace calibra::agreement;
using calibra_test::NA;

TEST_CASE("observed categories are the sorted distinct codes of the kept units", "[categories]") {
  Eigen::MatrixXd m(3, 2);
  m << 3, 1, NA, 7, 1, 1;
  const coded_ratings coded = code_ratings(m, {});
  CHECK(coded.categories.codes() == std::vector<double>{1, 3, 7});
  CHECK(coded.n_units() == 3);
  CHECK(coded.index(0, 0) == 1);
  CHECK(coded.index(1, 0) == missing_index);
  CHECK(coded.index(1, 1) == 2);

  options listwise;
  listwise.missing = missing_policy::listwise;
  const coded_ratings complete = code_ratings(m, listwise);
  CHECK(complete.n_units() == 2);
  CHECK(complete.unit_rows == std::vector<std::size_t>{0, 2});
  // 7 only appears in the dropped unit.
  CHECK(complete.categories.codes() == std::vector<double>{1, 3});
}

TEST_CASE("units nobody rated are dropped under the available policy", "[categories]") {
  Eigen::MatrixXd m(3, 2);
  m << 1, 2, NA, NA, 2, 2;
  CHECK(code_ratings(m, {}).n_units() == 2);
}

TEST_CASE("declared categories keep unused codes and reject unknown ones", "[categories]") {
  Eigen::MatrixXd m(2, 2);
  m << 1, 2, 2, 2;
  options opts;
  opts.categories = {1, 2, 3, 4};
  const coded_ratings coded = code_ratings(m, opts);
  CHECK(coded.categories.size() == 4);

  m(1, 0) = 5;
  try {
    code_ratings(m, opts);
    FAIL("expected a validation_error");
  } catch (const calibra::validation_error& e) {
    const std::string what = e.what();
    CHECK(what.find("unit 1") != std::string::npos);
    CHECK(what.find("rater 0") != std::string::npos);
    CHECK(what.find("5") != std::string::npos);
  }
  opts.categories = {2, 1};
  CHECK_THROWS_AS(code_ratings(m, opts), calibra::invalid_argument);
}

TEST_CASE("infinite ratings are rejected with their position", "[categories]") {
  Eigen::MatrixXd m(2, 2);
  m << 1, 2, 2, std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(code_ratings(m, {}), calibra::validation_error);
}

TEST_CASE("non-integer and wide-range codes use the sorted lookup", "[categories]") {
  Eigen::MatrixXd m(2, 2);
  m << 0.5, 1e6, -2.25, 0.5;
  const coded_ratings coded = code_ratings(m, {});
  CHECK(coded.categories.codes() == std::vector<double>{-2.25, 0.5, 1e6});
  CHECK(coded.index(0, 1) == 2);
  CHECK(coded.index(1, 0) == 0);
  CHECK(coded.categories.index_of(0.75) == missing_index);
}
