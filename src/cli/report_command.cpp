// `calibra report [--framework FILE] [--ratings FILE] --out DIR [--format LIST]`
//
// Builds the report document (framework sections, plus calibration sections
// when there are ratings) and writes it in every requested format.  With no
// input at all it reports on the built-in framework and the bundled example
// ratings; with --framework alone, on that framework only.  Every problem
// with the input (unknown format, unreadable or invalid file, output
// directory that cannot be created) is a calibra::error, so main() prints it
// and exits with code 2; nothing is written then.
#include "commands.hpp"
#include "progress.hpp"

#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>
#include <calibra/reports/framework_report.hpp>
#include <calibra/reports/write.hpp>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace calibra::cli {
namespace {

struct report_input {
  std::string framework_file;  // empty: the built-in framework
  std::string ratings_file;    // empty: see ratings_source
  std::string out_dir;
  std::string format_list = "xlsx,html,md,json,csv";
  std::string title;
};

void run_report(const report_input& in) {
  // Options first: a typo in --format must not cost a framework load.
  const reports::formats which = reports::parse_formats(in.format_list);

  const bool builtin = in.framework_file.empty();
  const auto fw = std::make_shared<const framework>(builtin ? builtin_framework() : load_framework(in.framework_file));

  // Ratings: the given file; none when only a framework file was given;
  // the bundled example when nothing was given.
  std::optional<calibration::ratings_table> ratings;
  if (!in.ratings_file.empty())
    ratings = read_ratings(in.ratings_file, fw);
  else if (builtin)
    ratings = calibration::simulate_ratings(fw, calibration::example_simulation_config()).table;

  reports::framework_report_options options;
  options.title = in.title;
  reports::report document = reports::framework_report(*fw, options);
  if (ratings) {
    // The calibration sections join here once the aggregator
    // (calibration/calibrate.hpp) is available.
  }

  progress_bar bar("writing report");
  reports::write_options write;
  write.progress = [&bar](std::size_t done, std::size_t total, std::string_view what) { bar.update(done, total, what); };
  const auto files = reports::write_report(document, in.out_dir, which, write);
  bar.finish();
  for (const std::string& f : files) std::cout << f << '\n';
  std::cout.flush();
}

}  // namespace

void add_report_command(CLI::App& app, exit_status& /*status*/) {
  auto in = std::make_shared<report_input>();
  auto* cmd = app.add_subcommand(
      "report", "Write the framework (and calibration) report as XLSX, HTML, Markdown, JSON and CSV");
  cmd->footer(
      "With no --framework and no --ratings: the built-in framework and the bundled example ratings.\n"
      "With --framework only: that framework alone.\n"
      "Files: DIR/report.xlsx, report.html, report.md, report.json, report-<table>.csv; all or none are written.");
  cmd->add_option("--framework", in->framework_file, "Framework JSON file (default: the built-in framework)");
  cmd->add_option("--ratings", in->ratings_file, "Ratings file, .csv or .json (docs/ratings-format.md)");
  cmd->add_option("--out", in->out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--format", in->format_list, "Comma-separated formats: xlsx,html,md,json,csv")
      ->capture_default_str();
  cmd->add_option("--title", in->title, "Report title (default: from the framework's name)");
  cmd->callback([in] { run_report(*in); });
}

}  // namespace calibra::cli
