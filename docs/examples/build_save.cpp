// build_save.cpp
// Build a framework in code, save it as canonical JSON, load it back,
// and see what a validation error looks like.
#include <calibra/io/framework_json.hpp>

#include <iostream>

int main() {
  using namespace calibra;

  proficiency_scale scale({{"basic", "Basic", "", scope::task, autonomy::guided},
                           {"independent", "Independent", "", scope::feature, autonomy::independent},
                           {"leading", "Leading", "", scope::product_area, autonomy::leads_others}});

  competency delivery;
  delivery.id = "delivery";
  delivery.name = "Delivery";
  delivery.definition = "Taking agreed work from plan to release.";
  delivery.quadrant = {focus::tactical, orientation::internal};
  delivery.anchors = {"Tracks one release with a checklist. Reports slips the same day.",
                      "Ships a whole feature without supervision. Publishes the release notes.",
                      "Sets the release process for a product area. Reviews other PMs' plans."};

  competency vision = delivery;
  vision.id = "vision";
  vision.name = "Product Vision";
  vision.definition = "Choosing where the product goes over the next year.";
  vision.quadrant = {focus::strategic, orientation::external};

  career_ladder ladder({{"pm", "Product Manager", track::ic, 1}, {"senior-pm", "Senior PM", track::ic, 2}},
                       {{"pm", "senior-pm"}});

  expectation_matrix expectations(2, 2);  // career levels x competencies, 1-based ordinals
  expectations << 2, 1,
                  2, 3;

  const framework fw({"tiny", "Tiny ladder", "0.1.0", "2026-11-22", {}, ""}, scale, {}, {delivery, vision}, ladder,
                     expectations);

  save_framework(fw, "/tmp/tiny-framework.json");  // atomic: temporary file, then rename
  const framework again = load_framework("/tmp/tiny-framework.json");
  std::cout << "round trip identical: " << std::boolalpha << (to_json(again) == to_json(fw)) << '\n';
  const std::string text = to_json(fw);
  std::cout << text.substr(0, text.find("\"scale\"")) << "...\n";

  // Validation happens in the constructor, with a JSON pointer into the format.
  expectations(1, 1) = 4;  // the scale has only three levels
  try {
    framework broken({"tiny", "Tiny ladder", "0.1.0", "2026-11-22", {}, ""}, scale, {}, {delivery, vision}, ladder,
                     expectations);
  } catch (const validation_error& e) {
    std::cout << e.id() << '\n' << e.what() << '\n';
  }

  // Lookups by unknown id throw invalid_argument.
  try {
    fw.expectation("staff-pm", "delivery");
  } catch (const invalid_argument& e) {
    std::cout << e.what() << '\n';
  }
}
