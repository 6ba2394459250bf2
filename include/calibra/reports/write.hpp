// Writing a report document in one or more formats (compiled in
// calibra::reports, see docs/reports.md):
//
//   xlsx  one workbook, one sheet per table (named after its section), each
//         sheet headed by the framework's version and last-updated date;
//         frozen panes, autofilters, column widths, level colours as fills,
//         separator rows between row groups
//   html  one self-contained page: inline CSS and SVG charts, no scripts,
//         no external requests (a Content-Security-Policy forbids them too)
//   md    GitHub-flavoured Markdown for wikis
//   json  the whole document, for pipelines
//   csv   one file per table
//
// Files are written whole or not at all, and a run is all-or-nothing:
// every requested file is first rendered to a temporary file in the output
// directory; only when all of them exist are they renamed into place.  On
// any failure the temporaries are removed and no file in the directory has
// changed.
#pragma once

#include <calibra/config.hpp>
#include <calibra/reports/document.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <functional>

namespace calibra::reports {

enum class format : std::uint8_t { xlsx, html, markdown, json, csv };

/// The name --format uses: "xlsx", "html", "md", "json", "csv".
std::string_view to_string(format f);

/// A set of formats.
class formats {
 public:
  formats() = default;
  formats(std::initializer_list<format> list);
  static formats all() { return {format::xlsx, format::html, format::markdown, format::json, format::csv}; }

  formats& add(format f);
  bool contains(format f) const { return (bits_ & bit(f)) != 0; }
  bool empty() const { return bits_ == 0; }
  /// The formats in a fixed order: xlsx, html, md, json, csv.
  std::vector<format> list() const;

  friend bool operator==(formats a, formats b) { return a.bits_ == b.bits_; }
  friend bool operator!=(formats a, formats b) { return a.bits_ != b.bits_; }

 private:
  static std::uint8_t bit(format f) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(f)); }
  std::uint8_t bits_ = 0;
};

/// Parses a comma-separated list such as "xlsx,html,md".  Names are
/// case-insensitive; "markdown" is accepted for "md"; spaces around names
/// and repeats are ignored.  An empty list or an unknown name throws
/// invalid_argument("reports") naming it and the accepted names.
formats parse_formats(std::string_view text);

struct write_options {
  /// File names start with this: report.xlsx, report.html, report.md,
  /// report.json and report-<table id>.csv.
  std::string basename = "report";
  /// Called as work proceeds (done of total steps, what is being written),
  /// e.g. to draw a progress bar.  Never called concurrently.
  std::function<void(std::size_t done, std::size_t total, std::string_view what)> progress;
};

/// Writes `r` in every requested format into `out_dir` (created with its
/// parents if missing) and returns the paths written, in format order.
/// Throws invalid_argument("reports") for an unusable document, an empty
/// format set, a bad basename or an output directory that cannot be created
/// or written, naming the path; nothing is left behind.
std::vector<std::string> write_report(const report& r, const std::string& out_dir, formats which = formats::all(),
                                      const write_options& options = {});

// ---- the renderers, one per format (also usable on their own) ------------------

/// The self-contained HTML page.
std::string to_html(const report& r);

/// The Markdown document.
std::string to_markdown(const report& r);

/// The JSON document (two-space indent, trailing newline).  Shape in docs/reports.md.
std::string to_json(const report& r);

/// One CSV text per table, paired with its file name suffix (the table id).
std::vector<std::pair<std::string, std::string>> to_csv(const report& r);

/// Writes the XLSX workbook to `path` atomically (temporary file in the
/// same directory, then rename).
void write_xlsx(const report& r, const std::string& path);

}  // namespace calibra::reports

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/reports/write-inl.hpp>
#endif
