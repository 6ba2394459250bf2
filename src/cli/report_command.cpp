// `calibra report`: being built (issue work in progress); registered early so
// the command files can be developed in parallel.
#include "commands.hpp"

#include <calibra/error.hpp>

namespace calibra::cli {

void add_report_command(CLI::App& app, exit_status& /*status*/) {
  auto* cmd = app.add_subcommand("report", "(in development)");
  cmd->group("");  // hidden from --help until it works
  cmd->allow_extras();
  cmd->callback([] { throw invalid_argument("cli", "calibra report is not available in this build yet"); });
}

}  // namespace calibra::cli
