// The error hierarchy in <calibra/error.hpp>: stable ids, the bracketed
// message prefix, and which handlers catch which error.
#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

// Which of the four handlers catches `thrown`; the order mirrors how the CLI
// tells the kinds apart.
template <typename Error>
std::string kind_caught(const Error& thrown) {
  try {
    throw thrown;
  } catch (const calibra::parse_error&) {
    return "parse_error";
  } catch (const calibra::validation_error&) {
    return "validation_error";
  } catch (const calibra::invalid_argument&) {
    return "invalid_argument";
  } catch (const calibra::degenerate_error&) {
    return "degenerate_error";
  } catch (...) {
    return "something else";
  }
}

}  // namespace

TEST_CASE("every error kind derives from calibra::error and std::runtime_error", "[error]") {
  STATIC_REQUIRE(std::is_base_of_v<calibra::error, calibra::parse_error>);
  STATIC_REQUIRE(std::is_base_of_v<calibra::error, calibra::validation_error>);
  STATIC_REQUIRE(std::is_base_of_v<calibra::error, calibra::invalid_argument>);
  STATIC_REQUIRE(std::is_base_of_v<calibra::error, calibra::degenerate_error>);
  STATIC_REQUIRE(std::is_base_of_v<std::runtime_error, calibra::error>);
  // calibra::invalid_argument is a user-facing problem, not a programming
  // error: it must not be mistaken for std::invalid_argument / logic_error.
  STATIC_REQUIRE_FALSE(std::is_base_of_v<std::logic_error, calibra::invalid_argument>);
  // The base is abstract in spirit: only the four kinds can be constructed.
  STATIC_REQUIRE_FALSE(std::is_constructible_v<calibra::error, std::string, std::string>);
  STATIC_REQUIRE_FALSE(std::is_default_constructible_v<calibra::parse_error>);
}

TEST_CASE("the id is '<kind>.<subsystem>'", "[error]") {
  CHECK(calibra::parse_error("csv", "x").id() == "parse_error.csv");
  CHECK(calibra::validation_error("framework", "x").id() == "validation_error.framework");
  CHECK(calibra::invalid_argument("agreement", "x").id() == "invalid_argument.agreement");
  CHECK(calibra::degenerate_error("kappa", "x").id() == "degenerate_error.kappa");
}

TEST_CASE("what() starts with the bracketed id, then the message verbatim", "[error]") {
  const calibra::parse_error csv("csv", "ratings.csv, row 3, column 2: expected a number, got 'abc'");
  CHECK(std::string(csv.what()) ==
        "[calibra.parse_error.csv] ratings.csv, row 3, column 2: expected a number, got 'abc'");

  const calibra::validation_error framework("framework", "/competencies/4/id: duplicate id 'vision'");
  CHECK(std::string(framework.what()) ==
        "[calibra.validation_error.framework] /competencies/4/id: duplicate id 'vision'");

  const calibra::invalid_argument option("agreement", "confidence must be in (0, 1), got 1.5");
  CHECK(std::string(option.what()) == "[calibra.invalid_argument.agreement] confidence must be in (0, 1), got 1.5");

  const calibra::degenerate_error kappa("kappa", "all ratings fall in one category");
  CHECK(std::string(kappa.what()) == "[calibra.degenerate_error.kappa] all ratings fall in one category");
}

TEST_CASE("an empty message still carries the id prefix", "[error]") {
  const calibra::validation_error empty("io", "");
  CHECK(std::string(empty.what()) == "[calibra.validation_error.io] ");
  CHECK(empty.id() == "validation_error.io");
}

TEST_CASE("each kind is caught by its own handler and no other", "[error]") {
  CHECK(kind_caught(calibra::parse_error("json", "m")) == "parse_error");
  CHECK(kind_caught(calibra::validation_error("json", "m")) == "validation_error");
  CHECK(kind_caught(calibra::invalid_argument("json", "m")) == "invalid_argument");
  CHECK(kind_caught(calibra::degenerate_error("json", "m")) == "degenerate_error");
}

TEST_CASE("errors are catchable as calibra::error, std::runtime_error and std::exception", "[error]") {
  SECTION("calibra::error keeps the id") {
    try {
      throw calibra::degenerate_error("icc", "fewer than two units");
    } catch (const calibra::error& e) {
      CHECK(e.id() == "degenerate_error.icc");
      CHECK(std::string(e.what()) == "[calibra.degenerate_error.icc] fewer than two units");
    }
  }
  SECTION("std::runtime_error") {
    CHECK_THROWS_AS(throw calibra::parse_error("csv", "m"), std::runtime_error);
    CHECK_THROWS_AS(throw calibra::invalid_argument("cli", "m"), std::runtime_error);
  }
  SECTION("std::exception, with the full message") {
    CHECK_THROWS_WITH(throw calibra::validation_error("scale", "level 7 is outside 1..5"),
                      "[calibra.validation_error.scale] level 7 is outside 1..5");
  }
}

TEST_CASE("copies keep the id and the message", "[error]") {
  const calibra::parse_error original("csv", "row 1: ragged line");
  const calibra::parse_error copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.id() == "parse_error.csv");
  CHECK(std::string(copy.what()) == "[calibra.parse_error.csv] row 1: ragged line");

  // Rethrowing through std::exception_ptr is how errors cross thread pools.
  std::exception_ptr stored;
  try {
    throw calibra::degenerate_error("bootstrap", "every resample was degenerate");
  } catch (...) {
    stored = std::current_exception();
  }
  try {
    std::rethrow_exception(stored);
  } catch (const calibra::degenerate_error& e) {
    CHECK(e.id() == "degenerate_error.bootstrap");
  }
}
