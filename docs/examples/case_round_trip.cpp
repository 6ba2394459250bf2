#include <calibra/framework/builtin.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/framework_json.hpp>

#include <iostream>

int main() {
  const calibra::framework fw = calibra::builtin_framework();
  const std::string package = calibra::to_case_json(fw);  // or save_case(fw, path)
  const calibra::case_import_result back = calibra::parse_case(package, "in-memory package");
  std::cout << (calibra::to_json(back.framework) == calibra::to_json(fw) ? "identical\n" : "different\n");
  for (const auto& note : back.notes) std::cout << "note: " << note << "\n";  // none for calibra's own packages
}
