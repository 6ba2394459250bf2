// `calibra init DIR [--competencies N|NAME,NAME,...] [--levels 4|5] [--name TEXT] [--force]`
//
// Writes a starter kit into DIR: the framework as JSON and as the editable
// workbook, a ratings template for it as XLSX (drop-down lists) and CSV, and
// a README naming the next commands.  Without --competencies and --levels
// the framework is the built-in one; with either, a skeleton: N competencies
// (or the names given) spread over the four quadrants, a 4- or 5-level
// scale, one IC career level fewer than scale levels, and placeholder
// anchors that say at what scope and how independently the work is done.
// Everything written passes `framework check` without errors and is
// readable by `calibrate`.  Existing files are never overwritten without
// --force; everything is prepared before the first file is written.
#include "commands.hpp"

#include <calibra/reports/starter_kit.hpp>

#include <iostream>
#include <memory>

namespace calibra::cli {
namespace {

struct init_input {
  std::string dir;
  reports::starter_kit_options options;
};

void run_init(const init_input& in) {
  for (const std::string& path : reports::write_starter_kit(in.dir, in.options)) std::cout << path << '\n';
  std::cout.flush();
}

}  // namespace

void add_init_command(CLI::App& app, exit_status& /*status*/) {
  auto in = std::make_shared<init_input>();
  auto* cmd = app.add_subcommand(
      "init", "Write a starter kit: framework JSON and workbook, ratings templates (XLSX, CSV), README");
  cmd->footer(
      "Without --competencies and --levels: the built-in product-manager framework.\n"
      "With either: a skeleton framework with placeholder definitions and anchors.\n"
      "Files: DIR/framework.json, framework.xlsx, ratings-template.xlsx, ratings-template.csv, README.md.");
  cmd->add_option("DIR", in->dir, "Directory to write into (created if missing)")->required();
  cmd->add_option("--competencies", in->options.competencies,
                  "A skeleton with N competencies, or with these names: \"User Research,Delivery,...\"");
  cmd->add_option("--levels", in->options.levels, "Scale levels of the skeleton: 4 or 5 (default 5)");
  cmd->add_option("--name", in->options.name, "The skeleton framework's name");
  cmd->add_flag("--force", in->options.force, "Replace files that already exist");
  cmd->callback([in] { run_init(*in); });
}

}  // namespace calibra::cli
