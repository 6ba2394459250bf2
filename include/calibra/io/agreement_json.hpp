// The agreement results as JSON: the one serialisation that `calibra agree
// --json`, the Python package and C++ callers share.  docs/cli.md ("JSON
// output" of `calibra agree`) lists every key, in the order written here.
//
// Numbers that are absent, NaN or infinite are written as null.
#pragma once

#include <calibra/agreement/options.hpp>
#include <calibra/agreement/pairwise.hpp>

#include <string>

namespace calibra {

/// Every option in effect, in the CLI's spelling and in visit_options order:
/// categories, missing, weights, level, form, category, tolerance, ci,
/// population, se, bootstrap, seed, bootstrap_method, threads, and
/// custom_weights (a list of rows) only when weights is "custom".
/// Compact JSON text (no indentation, no trailing newline).
std::string to_json(const agreement::options& options);

/// One coefficient.  Keys, in order: statistic, options, value, se, ci_low,
/// ci_high, ci_method (null when empty), observed, chance, disagreement,
/// n_units, n_raters, interpretation, interpretation_scale (null when the
/// value has no label), reason, extra (an object of numbers) and, only when
/// the statistic has them (Fleiss), per_category: {code as text: value}.
/// Compact JSON text.
std::string to_json(const agreement::result& result);

/// A rater x rater matrix.  Keys, in order: statistic, options, value (rows
/// of numbers, null on the diagonal and for undefined pairs), n_units (rows
/// of counts), reasons ([{rater_a, rater_b, reason}] by column index, a <
/// b).  Compact JSON text.
std::string to_json(const agreement::pairwise_result& result);

}  // namespace calibra
