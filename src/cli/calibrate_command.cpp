// `calibra calibrate`: being built (issue work in progress); registered early so
// the command files can be developed in parallel.
#include "commands.hpp"

#include <calibra/error.hpp>

namespace calibra::cli {

void add_calibrate_command(CLI::App& app, exit_status& /*status*/) {
  auto* cmd = app.add_subcommand("calibrate", "(in development)");
  cmd->group("");  // hidden from --help until it works
  cmd->allow_extras();
  cmd->callback([] { throw invalid_argument("cli", "calibra calibrate is not available in this build yet"); });
}

}  // namespace calibra::cli
