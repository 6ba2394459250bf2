// calibra: the command-line front end.  Subcommands live in *_commands.cpp.
#include "commands.hpp"

#include <calibra/error.hpp>
#include <calibra/io/files.hpp>
#include <calibra/version.hpp>

#include <iostream>

namespace calibra::cli {

std::string dump_json(const nlohmann::json& document) { return document.dump(2) + "\n"; }
std::string dump_json(const nlohmann::ordered_json& document) { return document.dump(2) + "\n"; }

void write_output(const std::string& path, const std::string& text) {
  write_output(path, [&text](std::ostream& out) { out << text; });
}

void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty()) {
    write(std::cout);
    std::cout.flush();
  } else {
    write_file_atomically(path, write);
  }
}

}  // namespace calibra::cli

int main(int argc, char** argv) {
  CLI::App app{"calibra: competency frameworks and rating calibration"};
  app.set_version_flag("--version", std::string(calibra::version_string));
  app.require_subcommand(1);
  calibra::cli::exit_status status;
  calibra::cli::add_framework_commands(app, status);
  calibra::cli::add_agree_command(app, status);
  calibra::cli::add_calibrate_command(app, status);
  calibra::cli::add_report_command(app, status);
  calibra::cli::add_init_command(app, status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints help/version with exit code 0 and usage errors with a
    // non-zero one; usage errors are "input cannot be used": exit 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const calibra::input_errors& e) {
    std::cerr << "calibra: " << e.full_message() << '\n';  // every problem, not only those what() has room for
    return 2;
  } catch (const calibra::degenerate_error& e) {
    std::cerr << "calibra: " << e.what() << '\n';
    return 1;
  } catch (const calibra::error& e) {
    std::cerr << "calibra: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "calibra: [calibra.internal] " << e.what() << '\n';
    return 3;
  }
  return status.code;
}
