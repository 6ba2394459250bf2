// A starter kit for a team's own framework (`calibra init DIR`,
// `calibra.init(dir)` in Python): the framework as JSON and as the editable
// workbook, a ratings template for it as XLSX (drop-down lists) and CSV, and
// a README naming the next commands.
//
// Without `competencies` and `levels` the framework is the built-in one;
// with either, a skeleton: N competencies (or the names given) spread over
// the four quadrants, a 4- or 5-level scale, one IC career level fewer than
// scale levels, and placeholder anchors that say at what scope and how
// independently the work is done.  Everything written passes
// `framework check` without errors, and the templates, filled in, are
// readable by `calibrate`.  Existing files are never overwritten without
// `force`; everything is prepared before the first file is written.
#pragma once

#include <string>
#include <vector>

namespace calibra::reports {

struct starter_kit_options {
  /// A skeleton with this many competencies ("6", 1 to 100) or with these
  /// names, separated by commas ("User Research,Delivery").  Empty: the
  /// built-in framework, unless `levels` is given (12 competencies then).
  std::string competencies;
  /// The skeleton's scale levels: 4 or 5; 0 leaves it to `competencies`
  /// (5 levels in a skeleton).
  int levels = 0;
  /// The skeleton framework's name (only with a skeleton).
  std::string name;
  /// Replace files that already exist.
  bool force = false;
};

/// The files write_starter_kit() writes, in order, relative to its directory.
const std::vector<std::string>& starter_kit_files();

/// Writes the starter kit into `dir` (created if missing) and returns the
/// paths written.  Throws invalid_argument("init") for a bad option, an
/// existing file without `force`, or a directory that cannot be written.
std::vector<std::string> write_starter_kit(const std::string& dir, const starter_kit_options& options = {});

}  // namespace calibra::reports
