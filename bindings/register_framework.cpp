// Frameworks: the built-in framework, JSON load/save, checks, promotion gaps and the
// ladder queries.  The bound class is a thin handle on calibra::framework;
// tabular answers come back as lists of dicts and numpy arrays, which the
// Python layer (python/calibra/framework.py) turns into DataFrames.
#include "bindings.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/framework/checks.hpp>
#include <calibra/framework/framework.hpp>
#include <calibra/framework/relative.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/io/framework_xlsx.hpp>
#include <calibra/reports/framework_workbook.hpp>

#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace calibra::python {
namespace {

std::string text(std::string_view s) { return std::string(s); }

py::dict metadata_dict(const framework& fw) {
  const framework_metadata& m = fw.metadata();
  py::dict d;
  d["id"] = m.id;
  d["name"] = m.name;
  d["version"] = m.version;
  d["last_updated"] = m.last_updated;
  d["owners"] = m.owners;
  d["description"] = m.description;
  return d;
}

py::list scale_list(const framework& fw) {
  py::list out;
  const auto& levels = fw.scale().levels();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    py::dict d;
    d["ordinal"] = i + 1;
    d["id"] = levels[i].id;
    d["label"] = levels[i].label;
    d["description"] = levels[i].description;
    // None in a scale without scope and autonomy (a ratings-only framework).
    d["scope"] = levels[i].scope ? py::object(py::str(text(to_string(*levels[i].scope)))) : py::object(py::none());
    d["autonomy"] = levels[i].autonomy ? py::object(py::str(text(to_string(*levels[i].autonomy)))) : py::object(py::none());
    out.append(d);
  }
  return out;
}

py::list areas_list(const framework& fw) {
  py::list out;
  for (const area& a : fw.areas()) {
    py::dict d;
    d["id"] = a.id;
    d["name"] = a.name;
    d["description"] = a.description;
    out.append(d);
  }
  return out;
}

py::list competencies_list(const framework& fw) {
  py::list out;
  for (const competency& c : fw.competencies()) {
    py::dict d;
    d["id"] = c.id;
    d["name"] = c.name;
    d["quadrant"] = c.quadrant ? py::object(py::str(to_string(*c.quadrant))) : py::object(py::none());
    d["area"] = c.area ? py::object(py::str(*c.area)) : py::object(py::none());
    d["definition"] = c.definition;
    d["focus"] = c.position ? py::object(py::float_(c.position->focus)) : py::object(py::none());
    d["orientation"] = c.position ? py::object(py::float_(c.position->orientation)) : py::object(py::none());
    d["people_leadership"] = c.people_leadership;
    d["interview_format"] = c.interview_format;
    d["anchors"] = c.anchors;
    d["actions"] = c.actions;
    out.append(d);
  }
  return out;
}

py::list career_levels_list(const framework& fw) {
  py::list out;
  for (const career_level& l : fw.ladder().career_levels()) {
    py::dict d;
    d["id"] = l.id;
    d["name"] = l.name;
    d["track"] = text(to_string(l.track));
    d["rank"] = l.rank;
    out.append(d);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> steps_list(const framework& fw) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto& levels = fw.ladder().career_levels();
  for (const step& s : fw.ladder().steps()) out.emplace_back(levels[s.from].id, levels[s.to].id);
  return out;
}

py::list archetypes_list(const framework& fw) {
  py::list out;
  for (const archetype& a : fw.archetypes()) {
    py::dict d;
    d["id"] = a.id;
    d["name"] = a.name;
    d["description"] = a.description;
    d["strong"] = a.strong;
    d["growth"] = a.growth;
    out.append(d);
  }
  return out;
}

/// One dict per competency that rises along a step, in step order; the
/// step's ends are repeated on each row so the list is already tidy.
py::list promotion_gaps_list(const framework& fw) {
  py::list out;
  const auto& levels = fw.ladder().career_levels();
  const auto& comps = fw.competencies();
  for (const promotion_gap& g : fw.promotion_gaps())
    for (const competency_rise& rise : g.competencies) {
      py::dict d;
      d["from"] = levels[g.step.from].id;
      d["to"] = levels[g.step.to].id;
      d["competency"] = comps[rise.competency].id;
      d["from_level"] = rise.from_level;
      d["to_level"] = rise.to_level;
      out.append(d);
    }
  return out;
}

py::list plateaus_list(const framework& fw) {
  py::list out;
  for (const plateau& p : fw.plateaus()) {
    py::dict d;
    d["competency"] = fw.competencies()[p.competency].id;
    d["career_level"] = fw.ladder().career_levels()[p.career_level].id;
    d["level"] = p.level;
    out.append(d);
  }
  return out;
}

py::list findings_list(const std::vector<finding>& findings) {
  py::list out;
  for (const finding& f : findings) {
    py::dict d;
    d["rule"] = f.rule;
    d["severity"] = text(to_string(f.severity));
    d["where"] = f.where;
    d["message"] = f.message;
    d["hint"] = f.hint;
    out.append(d);
  }
  return out;
}

py::list check_rules_list() {
  py::list out;
  for (const rule_info& r : check_rules()) {
    py::dict d;
    d["rule"] = text(r.id);
    d["severity"] = text(to_string(r.severity));
    d["summary"] = text(r.summary);
    out.append(d);
  }
  return out;
}

relative_rating parse_relative_or_throw(const std::string& rating) {
  const auto r = parse_relative_rating(rating);
  if (!r)
    throw invalid_argument("relative", "unknown relative rating '" + rating +
                                           "'; expected one of: needs-focus, on-track, outperforming "
                                           "(or the labels Needs Focus, On Track, Outperforming)");
  return *r;
}

}  // namespace

void register_framework(py::module_& m) {
  py::class_<check_options>(m, "CheckOptions", "Tunables of Framework.check(); the defaults are the documented rules.")
      .def(py::init<>())
      .def_readwrite("vague_terms", &check_options::vague_terms)
      .def_readwrite("scope_terms", &check_options::scope_terms)
      .def_readwrite("min_levels", &check_options::min_levels)
      .def_readwrite("max_levels", &check_options::max_levels)
      .def_readwrite("min_competencies", &check_options::min_competencies)
      .def_readwrite("max_competencies", &check_options::max_competencies)
      .def_readwrite("min_anchor_sentences", &check_options::min_anchor_sentences)
      .def_readwrite("max_anchor_sentences", &check_options::max_anchor_sentences)
      .def_readwrite("min_promotion_gaps", &check_options::min_promotion_gaps)
      .def_readwrite("max_promotion_gaps", &check_options::max_promotion_gaps)
      .def_readwrite("name_overlap", &check_options::name_overlap)
      .def_readwrite("definition_overlap", &check_options::definition_overlap)
      .def_readwrite("synonyms", &check_options::synonyms)
      .def_readwrite("anchor_similarity", &check_options::anchor_similarity)
      .def_readwrite("quality_terms", &check_options::quality_terms)
      .def_readwrite("as_of", &check_options::as_of)
      .def_readwrite("review_months", &check_options::review_months)
      .def_readwrite("top_level_share", &check_options::top_level_share);

  py::class_<framework>(m, "Framework", "A validated competency framework (calibra::framework).")
      .def("metadata", &metadata_dict)
      .def("scale", &scale_list)
      .def("areas", &areas_list)
      .def("competencies", &competencies_list)
      .def("career_levels", &career_levels_list)
      .def("steps", &steps_list)
      .def("archetypes", &archetypes_list)
      // The trait words the file's "checks" member adds to anchor.vague.
      .def("trait_words", [](const framework& fw) { return fw.checks().trait_words; })
      // Rows are career levels, columns competencies, both in file order.
      .def("expectations", [](const framework& fw) -> expectation_matrix { return fw.expectations(); })
      .def("expectation", &framework::expectation, py::arg("career_level"), py::arg("competency"))
      .def("quadrant_profile", &framework::quadrant_profile)
      .def("promotion_gaps", &promotion_gaps_list)
      .def("plateaus", &plateaus_list)
      .def("path", &framework::path, py::arg("from_level"), py::arg("to_level"))
      .def(
          "check", [](const framework& fw, const check_options& opts) { return findings_list(check(fw, opts)); },
          py::arg("options") = check_options{})
      .def("to_json", [](const framework& fw) { return to_json(fw); })
      .def("to_markdown", [](const framework& fw) { return to_markdown(fw); })
      .def(
          "save", [](const framework& fw, const std::string& path) { save_framework(fw, path); }, py::arg("path"))
      .def(
          "to_xlsx", [](const framework& fw, const std::string& path) { reports::write_framework_workbook(fw, path); },
          py::arg("path"), "Writes the framework workbook (calibra framework export --to xlsx), atomically.")
      .def(
          "to_relative",
          [](const framework& fw, const std::string& career_level, const std::string& competency, int level) {
            return text(to_string(to_relative(fw, career_level, competency, level)));
          },
          py::arg("career_level"), py::arg("competency"), py::arg("level"))
      .def(
          "to_absolute",
          [](const framework& fw, const std::string& career_level, const std::string& competency,
             const std::string& rating) {
            return to_absolute(fw, career_level, competency, parse_relative_or_throw(rating));
          },
          py::arg("career_level"), py::arg("competency"), py::arg("rating"));

  m.def("builtin_framework", &builtin_framework, "A fresh copy of the built-in product-manager framework.");
  m.def("builtin_framework_json", [] { return std::string(builtin_framework_json()); },
        "The canonical JSON text of the built-in framework.");
  m.def("load_framework", &load_framework, py::arg("path"));
  m.def("load_framework_xlsx", &load_framework_xlsx, py::arg("path"), "Reads a framework workbook (.xlsx).");
  m.def("parse_framework", &parse_framework, py::arg("text"), py::arg("source_name") = "<memory>");
  m.def("check_rules", &check_rules_list);
  m.def("quadrants", [] {
    std::vector<std::string> names;
    for (quadrant q : all_quadrants()) names.push_back(to_string(q));
    return names;
  });
}

}  // namespace calibra::python
