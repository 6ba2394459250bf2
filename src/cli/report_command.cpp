// `calibra report [--framework FILE] [--ratings FILE] --out DIR [--format LIST]`
//
// Builds the report document (framework sections, plus the calibration
// sections of calibration/calibrate.hpp when there are ratings) and writes
// it in every requested format.  With no
// input at all it reports on the built-in framework and the bundled example
// ratings; with --framework alone, on that framework only.  Every problem
// with the input (unknown format, unreadable or invalid file, output
// directory that cannot be created) is a calibra::error, so main() prints it
// and exits with code 2; nothing is written then.
#include "commands.hpp"
#include "progress.hpp"

#include <calibra/calibration/calibrate.hpp>
#include <calibra/calibration/simulate.hpp>
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/ratings.hpp>
#include <calibra/reports/calibration_report.hpp>
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
  std::string ratings_file;    // empty: see run_report
  std::string sheet;           // XLSX ratings: the sheet to read
  std::string out_dir;
  std::string format_list = "xlsx,html,md,json,csv";
  std::string title;
  std::string period;
  std::size_t min_group = calibration::privacy_policy{}.min_group;
  std::string duplicates = "error";
  std::vector<std::string> roles;  // NAME=ROLE
  std::vector<std::string> attributes;  // wide form: columns kept as attributes
  std::string group_by;
  bool without_ratees = false;
};

void run_report(const report_input& in) {
  // Options first: a typo in --format must not cost a framework load.
  const reports::formats which = reports::parse_formats(in.format_list);
  ratings_options read_options;
  const auto policy = calibration::parse_duplicate_policy(in.duplicates);
  if (!policy) throw invalid_argument("cli", "--duplicates " + in.duplicates + ": expected error, last or mean");
  read_options.duplicates = *policy;
  for (const std::string& mapping : in.roles) read_options.roles.push_back(parse_role_mapping(mapping));
  read_options.attribute_columns = in.attributes;
  read_options.sheet = in.sheet;
  if (!in.group_by.empty()) read_options.attribute_columns.push_back(in.group_by);
  const calibration::privacy_policy privacy{in.min_group};
  privacy.validate();

  progress_bar bar("calibra report");
  const bool builtin = in.framework_file.empty();
  bar.update(0, 4, "reading the framework");
  const auto fw = std::make_shared<const framework>(builtin ? builtin_framework() : load_framework(in.framework_file));

  // Ratings: the given file; none when only a framework file was given;
  // the bundled example (regenerated from its seeded generator) when
  // nothing was given.
  std::optional<calibration::ratings_table> ratings;
  bar.update(1, 4, "reading ratings");
  if (!in.ratings_file.empty()) {
    ratings = read_ratings(in.ratings_file, fw, read_options);
    for (const std::string& warning : ratings->summary().warnings) std::cerr << "calibra: warning: " << warning << '\n';
  } else if (builtin) {
    ratings = calibration::simulate_ratings(fw, calibration::example_simulation_config()).table;
  }
  if (!ratings && (!in.period.empty() || in.without_ratees || !in.group_by.empty()))
    throw invalid_argument("cli", "--period, --without-ratees and --group-by need ratings (--ratings FILE)");

  reports::framework_report_options framework_options;
  framework_options.title = in.title;
  reports::report document;
  if (ratings) {
    bar.update(2, 4, "calibrating");
    calibration::calibration_context context(*ratings);
    context.with_privacy(privacy);
    if (!in.period.empty()) context.with_period(in.period);
    calibration::calibrate_options calibrate_options;
    calibrate_options.group_by = in.group_by;
    const auto result = calibration::calibrate(context, calibrate_options);
    reports::calibration_report_options options;
    options.include_ratees = !in.without_ratees;
    document = reports::framework_calibration_report(*ratings, result, framework_options, options);
  } else {
    document = reports::framework_report(*fw, framework_options);
  }

  reports::write_options write;
  write.progress = [&bar](std::size_t done, std::size_t total, std::string_view what) {
    bar.update(3 * total + done, 4 * total, what);  // the writing is the last quarter of the bar
  };
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
  cmd->add_option("--ratings", in->ratings_file, "Ratings file, .csv, .json or .xlsx (docs/ratings-format.md)");
  cmd->add_option("--sheet", in->sheet,
                  "In an .xlsx ratings file, the sheet to read (default: the sheet named Ratings, else the first)");
  cmd->add_option("--out", in->out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--format", in->format_list, "Comma-separated formats: xlsx,html,md,json,csv")
      ->capture_default_str();
  cmd->add_option("--title", in->title, "Report title (default: from the framework's name)");
  cmd->add_option("--period", in->period, "Period the ratee sections describe, e.g. 2026Q3 (default: the latest)");
  cmd->add_option("--min-group", in->min_group, "Suppress aggregates over fewer ratees than this")
      ->capture_default_str();
  cmd->add_option("--duplicates", in->duplicates, "Repeated ratings in the file: error, last or mean")
      ->capture_default_str();
  cmd->add_option("--role", in->roles,
                  "Read a role name of your own as one of calibra's, NAME=ROLE (e.g. student=external); repeatable");
  cmd->add_option("--group-by", in->group_by,
                  "Compare the groups of people an extra column of the ratings defines (e.g. team)");
  cmd->add_option("--attribute", in->attributes,
                  "In a wide ratings file, a column that is not a competency but an attribute to keep; repeatable");
  cmd->add_flag("--without-ratees", in->without_ratees,
                "Leave per-ratee results out (for a report read beyond the managers)");
  cmd->callback([in] { run_report(*in); });
}

}  // namespace calibra::cli
