// Test support: the message of the calibra::error an action throws.
#pragma once

#include <calibra/error.hpp>

#include <catch2/catch.hpp>

#include <exception>
#include <functional>
#include <string>

namespace calibra_test {

/// Runs `action`, which must throw a calibra::error with id `id`, and
/// returns its message; anything else fails the test case.
inline std::string error_of(const std::function<void()>& action, const std::string& id) {
  try {
    action();
  } catch (const calibra::error& e) {
    CHECK(e.id() == id);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected a calibra::error, got: " << e.what());
  }
  FAIL("expected a calibra::error, nothing was thrown");
  return {};
}

}  // namespace calibra_test
