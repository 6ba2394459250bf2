// One error hierarchy for the whole library.
//
// Every message starts with a stable bracketed id, then says where the
// problem is (file, row, column, JSON pointer, rater, competency...), then
// what was expected.  Callers may match on the id; the prose may improve.
//
//   calibra::error                 base, never thrown directly
//   ├── calibra::parse_error       input bytes cannot be read as the format (CSV, JSON)
//   ├── calibra::validation_error  input parses but breaks a rule of the model
//   │   └── calibra::input_errors  several problems in one input, found in one run
//   ├── calibra::invalid_argument  an option or argument from the caller is wrong
//   ├── calibra::degenerate_error  a statistic is undefined for this data (names the case)
//   └── calibra::budget_error      a computation would exceed a budget the caller set
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

#include <algorithm>
#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

/// One problem found in an input file, with where it is.
struct input_problem {
  std::string id;       // stable id of the problem alone: "validation_error.ratings", "parse_error.ratings"
  std::string message;  // the message the problem alone would have: "[calibra.<id>] file: row 3, ..."
  std::string file;     // the file (or source name) read
  std::size_t row = 0;  // 1-based row (CSV line, position in a JSON array); 0 when not about one row
  std::string column;   // the column or key, when the problem is about one
  std::string pointer;  // JSON pointer into a framework file, when the problem is about one place
};

/// Several problems in one input.  The framework reader and the ratings
/// readers go on after a problem and report every one they find, up to
/// max_problems, in one exception; a single problem is thrown as itself
/// (a parse_error or validation_error), so this type means "more than one".
/// Its id is validation_error.<subsystem>; each problem keeps its own id.
class input_errors : public validation_error {
 public:
  /// The most problems one run reports; reading stops at this many.
  static constexpr std::size_t max_problems = 50;

  /// what() lists the problems up to about this many bytes, then counts the rest.
  static constexpr std::size_t max_message_bytes = 3500;

  input_errors(const std::string& subsystem, const std::string& source, std::vector<input_problem> problems,
               bool stopped)
      : validation_error(subsystem, text(source, problems, stopped, max_message_bytes)),
        problems_(std::move(problems)),
        stopped_(stopped),
        source_(source) {}

  /// Every problem found, in the order of the input.
  const std::vector<input_problem>& problems() const noexcept { return problems_; }
  /// Whether reading stopped at max_problems, so that more may follow.
  bool stopped() const noexcept { return stopped_; }
  /// The message with every problem listed, however long (what() stops
  /// listing after max_message_bytes).  The CLI prints this.
  std::string full_message() const {
    return "[calibra." + id() + "] " + text(source_, problems_, stopped_, static_cast<std::size_t>(-1));
  }

 private:
  static std::string text(const std::string& source, const std::vector<input_problem>& problems, bool stopped,
                          std::size_t budget) {
    std::string out = source + ": " + std::to_string(problems.size()) + " problems" +
                      (stopped ? " (reading stopped there; fix these and run again for the rest)" : "") +
                      "; nothing was read:";
    for (std::size_t i = 0; i < problems.size(); ++i) {
      if (out.size() + problems[i].message.size() + 3 > budget) {
        out += "\n  ... and " + std::to_string(problems.size() - i) + " more (input_errors::problems() lists them all)";
        break;
      }
      out += "\n  " + problems[i].message;
    }
    return out;
  }

  std::vector<input_problem> problems_;
  bool stopped_ = false;
  std::string source_;
};

namespace detail {

/// Collects the problems of one input for a reader that goes on after a
/// problem.  raise() throws nothing when there were none, the problem itself
/// when there was one, and input_errors when there were several.
class problem_list {
 public:
  problem_list(std::string subsystem, std::string source)
      : subsystem_(std::move(subsystem)), source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  bool empty() const { return problems_.empty(); }
  std::size_t size() const { return problems_.size(); }
  /// Whether the cap is reached: the reader should stop.
  bool full() const { return problems_.size() >= input_errors::max_problems; }

  /// Records the error being handled (call inside its catch block), with its
  /// location.  An input_errors is taken apart into its problems.
  void add(const error& e, std::size_t row = 0, std::string column = {}, std::string pointer = {}) {
    if (const auto* several = dynamic_cast<const input_errors*>(&e)) {
      for (const input_problem& p : several->problems()) add_problem(p, nullptr);
      stopped_ = stopped_ || several->stopped();
      return;
    }
    add_problem({e.id(), e.what(), source_, row, std::move(column), std::move(pointer)}, std::current_exception());
  }

  /// Throws what was collected (see the class comment).  Problems are put
  /// in input order: by row, then as found; those about no row keep their
  /// order after the others.
  void raise() {
    if (problems_.empty()) return;
    if (problems_.size() == 1 && first_) std::rethrow_exception(first_);
    const auto key = [](const input_problem& p) { return p.row == 0 ? static_cast<std::size_t>(-1) : p.row; };
    std::stable_sort(problems_.begin(), problems_.end(),
                     [&](const input_problem& a, const input_problem& b) { return key(a) < key(b); });
    // Read the cap before the problems are moved out: the order in which a
    // call's arguments are evaluated is unspecified (clang moves first).
    const bool stopped = stopped_ || full();
    throw input_errors(subsystem_, source_, std::move(problems_), stopped);
  }

 private:
  void add_problem(input_problem p, std::exception_ptr thrown) {
    if (full()) {
      stopped_ = true;
      return;
    }
    if (problems_.empty()) first_ = thrown;
    problems_.push_back(std::move(p));
  }

  std::string subsystem_, source_;
  std::vector<input_problem> problems_;
  std::exception_ptr first_;
  bool stopped_ = false;
};

}  // namespace detail

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

/// A computation would exceed a budget the caller set (multiply-adds, say):
/// thrown before the costly part starts, with the cost it measured, so that
/// the caller can fall back to a cheaper computation and say why.
class budget_error : public error {
 public:
  budget_error(const std::string& subsystem, const std::string& what_arg, double cost, double budget)
      : error("budget_error." + subsystem, what_arg), cost_(cost), budget_(budget) {}
  double cost() const noexcept { return cost_; }
  double budget() const noexcept { return budget_; }

 private:
  double cost_, budget_;
};

}  // namespace calibra
