// Runs the built calibra CLI in a child process and captures stdout, stderr
// and the exit code, for the CLI tests.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace calibra::testing {

struct cli_run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Quotes one argument for /bin/sh.
inline std::string shell_quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

/// `args` is the argument string after the program name, already quoted
/// where needed (use shell_quote for paths).
inline cli_run run_cli(const std::string& args) {
  namespace fs = std::filesystem;
  static int counter = 0;
  const fs::path base = fs::temp_directory_path() /
                        ("calibra-cli-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  const std::string out_file = base.string() + ".out", err_file = base.string() + ".err";
  const std::string command = shell_quote(CALIBRA_CLI_PATH) + " " + args + " >" + shell_quote(out_file) + " 2>" +
                              shell_quote(err_file) + " </dev/null";
  const int status = std::system(command.c_str());
  cli_run run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  run.out = slurp(out_file);
  run.err = slurp(err_file);
  std::error_code ignored;
  fs::remove(out_file, ignored);
  fs::remove(err_file, ignored);
  return run;
}

}  // namespace calibra::testing
