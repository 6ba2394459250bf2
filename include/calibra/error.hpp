// One error hierarchy for the whole library.
//
// Every message starts with a stable bracketed id, then says where the
// problem is (file, row, column, JSON pointer, rater, competency...), then
// what was expected.  Callers may match on the id; the prose may improve.
//
//   calibra::error                 base, never thrown directly
//   ├── calibra::parse_error       input bytes cannot be read as the format (CSV, JSON)
//   ├── calibra::validation_error  input parses but breaks a rule of the model
//   ├── calibra::invalid_argument  an option or argument from the caller is wrong
//   └── calibra::degenerate_error  a statistic is undefined for this data (names the case)
//
// "No value for this data" is a result, not an error.  The one rule
// (docs/degenerate-cases.md, "No value: one rule"):
//   * An analysis, or a part of one, that the data cannot support returns
//     its result with `available = false` and a `reason` naming the case.
//     Analyses never throw for such data.
//   * A single statistic that the data leaves undefined inside a result is
//     absent: NaN in the calibration tables (null in JSON), an empty
//     std::optional in an agreement coefficient's `result`, whose `reason`
//     then names the case.
//   * degenerate_error is thrown only by low-level numerical engines
//     (today fit_mixed_model), which fit one model for a caller and have no
//     result to carry "no value".  A library analysis that calls an engine
//     catches it and reports available = false.  What escapes is caught at
//     the two edges: the CLI's main (exit code 1) and the Python module
//     (calibra.DegenerateError).
//
// The CLI maps parse/validation/invalid_argument to exit code 2 and
// degenerate_error to exit code 1.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace calibra {

class error : public std::runtime_error {
 public:
  /// Stable identifier such as "parse_error.csv" or "validation_error.framework".
  const std::string& id() const noexcept { return id_; }

 protected:
  error(std::string id, const std::string& what_arg)
      : std::runtime_error("[calibra." + id + "] " + what_arg), id_(std::move(id)) {}

 private:
  std::string id_;
};

/// The input is not well-formed for its format: bad JSON, ragged CSV, bad UTF-8.
class parse_error : public error {
 public:
  parse_error(const std::string& subsystem, const std::string& what_arg)
      : error("parse_error." + subsystem, what_arg) {}
};

/// The input is well-formed but breaks a rule: unknown field, duplicate id,
/// unknown competency, level outside the scale.
class validation_error : public error {
 public:
  validation_error(const std::string& subsystem, const std::string& what_arg)
      : error("validation_error." + subsystem, what_arg) {}
};

/// A caller passed an option or argument the function cannot accept.
class invalid_argument : public error {
 public:
  invalid_argument(const std::string& subsystem, const std::string& what_arg)
      : error("invalid_argument." + subsystem, what_arg) {}
};

/// A statistic has no defined value for this data.  The message names the
/// degenerate case (see docs/degenerate-cases.md).
class degenerate_error : public error {
 public:
  degenerate_error(const std::string& subsystem, const std::string& what_arg)
      : error("degenerate_error." + subsystem, what_arg) {}
};

}  // namespace calibra
