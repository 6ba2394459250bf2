// Each area of the CLI registers its subcommands on the root app.  A
// subcommand's callback throws calibra::error on bad input; main() turns that
// into a message on stderr and exit code 2 (1 for degenerate_error, which
// only a low-level engine throws: error.hpp), so no command prints its own
// errors or calls exit().
#pragma once

#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>
#include <string>

namespace calibra::cli {

/// Exit status a command sets when it finished but wants a non-zero code
/// (e.g. `framework check` with error findings).
struct exit_status {
  int code = 0;
};

void add_framework_commands(CLI::App& app, exit_status& status);
void add_agree_command(CLI::App& app, exit_status& status);
void add_calibrate_command(CLI::App& app, exit_status& status);
void add_report_command(CLI::App& app, exit_status& status);
void add_init_command(CLI::App& app, exit_status& status);

/// Writes `text` to `path` atomically (temporary file + rename), or to stdout
/// when `path` is empty.  Nothing is left behind on failure.
void write_output(const std::string& path, const std::string& text);
/// The same for output that `write` streams (a document too large to build
/// in memory first): to the file atomically, or to stdout as it comes.
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Pretty JSON as every `--json` prints it: two-space indent, trailing newline.
std::string dump_json(const nlohmann::json& document);
std::string dump_json(const nlohmann::ordered_json& document);

}  // namespace calibra::cli
