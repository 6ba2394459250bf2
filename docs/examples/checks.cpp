// checks.cpp
// Load a framework file, run the checks, and extend the vague-term lexicon.
#include <calibra/framework/checks.hpp>
#include <calibra/io/framework_json.hpp>

#include <iostream>

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "examples/frameworks/anchor.vague.json";
  try {
    const calibra::framework fw = calibra::load_framework(path);

    calibra::check_options options;                 // the documented defaults
    options.vague_terms.push_back("communicator");  // house vocabulary
    options.scope_terms.push_back("tribe");
    options.as_of = "2026-12-06";                   // the day framework.stale dates by (default: today)

    const std::vector<calibra::finding> findings = calibra::check(fw, options);
    for (const calibra::finding& f : findings)
      std::cout << calibra::to_string(f.severity) << " [" << f.rule << "] " << f.where << "\n  " << f.message
                << "\n  hint: " << f.hint << '\n';
    std::cout << calibra::count(findings, calibra::severity::error) << " errors, "
              << calibra::count(findings, calibra::severity::warning) << " warnings\n";
    return calibra::count(findings, calibra::severity::error) > 0 ? 1 : 0;
  } catch (const calibra::error& e) {  // parse_error or validation_error
    std::cerr << e.what() << '\n';
    return 2;
  }
}
