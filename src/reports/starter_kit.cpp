// The starter kit of `calibra init` (calibra/reports/starter_kit.hpp).
#include <calibra/error.hpp>
#include <calibra/framework/builtin.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/framework_json.hpp>
#include <calibra/reports/framework_workbook.hpp>
#include <calibra/reports/starter_kit.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <set>

namespace calibra::reports {
namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

std::string today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

/// "User Research" -> "user-research"; other characters become dashes.
std::string kebab(const std::string& name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "competency" : out;
}

std::vector<std::string> competency_names(const std::string& spec) {
  std::vector<std::string> names;
  const bool count = !spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos;
  if (count) {
    if (spec.size() > 3 || std::stoi(spec) < 1 || std::stoi(spec) > 100)
      throw invalid_argument("init", "competencies '" + spec + "': expected a number from 1 to 100, or names separated by commas");
    for (int i = 1; i <= std::stoi(spec); ++i) names.push_back("Competency " + std::to_string(i));
    return names;
  }
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string name = spec.substr(start, end - start);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name.empty()) throw invalid_argument("init", "competencies '" + spec + "': an empty name between commas");
    names.push_back(name);
    start = end + 1;
  }
  if (names.size() > 100) throw invalid_argument("init", "competencies: at most 100 names");
  return names;
}

/// The skeleton framework as a framework document.
ordered_json skeleton(const starter_kit_options& in) {
  struct level_spec {
    const char* id;
    const char* label;
    const char* description;
    const char* scope;
    const char* autonomy;
    const char* reach;  // used in the anchors
    const char* how;
  };
  const std::vector<level_spec> five{
      {"learning", "Learning", "Does the work on single tasks while a more senior colleague guides and reviews it.",
       "task", "guided", "on single tasks", "with a more senior colleague reviewing each step"},
      {"practising", "Practising", "Does the work for a whole feature without day-to-day supervision.", "feature",
       "independent", "for a whole feature", "without day-to-day supervision"},
      {"proficient", "Proficient", "Does the work across a product area and is the reference others ask.",
       "product-area", "independent", "across a product area", "and answers the questions of colleagues"},
      {"advanced", "Advanced", "Does the work across several product areas and leads the people doing it.",
       "multiple-areas", "leads-others", "across several product areas", "and leads the people who do it"},
      {"leading", "Leading", "Sets how the organisation does the work and changes its practice.", "organisation",
       "sets-direction", "for the whole organisation", "and sets the practice others follow"}};
  std::vector<level_spec> levels = five;
  if (in.levels == 4) levels.erase(levels.begin() + 3);

  const std::vector<std::string> names = competency_names(in.competencies.empty() ? "12" : in.competencies);
  const char* quadrants[] = {"tactical-internal", "tactical-external", "strategic-internal", "strategic-external"};
  const char* career_names[] = {"Associate", "Mid-level", "Senior", "Principal"};
  const char* career_ids[] = {"associate", "mid-level", "senior", "principal"};
  const std::size_t n_levels = levels.size();
  const std::size_t n_careers = n_levels - 1;

  ordered_json doc;
  doc["format"] = "calibra-framework/1";
  doc["metadata"] = {{"id", "my-framework"},
                     {"name", in.name.empty() ? std::string("My competency framework") : in.name},
                     {"version", "0.1.0"},
                     {"last_updated", today()},
                     {"description",
                      "A starter framework written by calibra init. Replace each definition and anchor with what your "
                      "raters can observe, then run calibra framework check."}};
  ordered_json scale = ordered_json::array();
  for (const auto& l : levels)
    scale.push_back({{"id", l.id}, {"label", l.label}, {"description", l.description}, {"scope", l.scope},
                     {"autonomy", l.autonomy}});
  doc["scale"] = scale;

  ordered_json comps = ordered_json::array();
  std::set<std::string> ids;
  std::vector<std::string> comp_ids;
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string id = kebab(names[i]);
    for (int n = 2; !ids.insert(id).second; ++n) id = kebab(names[i]) + "-" + std::to_string(n);
    comp_ids.push_back(id);
    ordered_json anchors = ordered_json::object();
    for (const auto& l : levels)
      anchors[l.id] = std::string("Does the work of ") + names[i] + " " + l.reach + ", " + l.how +
                      ". Replace this sentence with a behaviour a rater can see at this level.";
    comps.push_back({{"id", id},
                     {"name", names[i]},
                     {"definition", "Replace this sentence with what " + names[i] + " covers in your team."},
                     {"quadrant", quadrants[i % 4]},
                     {"anchors", anchors}});
  }
  doc["competencies"] = comps;

  ordered_json careers = ordered_json::array(), steps = ordered_json::array();
  for (std::size_t k = 0; k < n_careers; ++k) {
    careers.push_back({{"id", career_ids[k]}, {"name", career_names[k]}, {"track", "ic"}, {"rank", k + 1}});
    if (k > 0) steps.push_back({{"from", career_ids[k - 1]}, {"to", career_ids[k]}});
  }
  doc["career_levels"] = careers;
  doc["steps"] = steps;
  // Career level k expects level k + 1 on tactical competencies and k on
  // strategic ones (at least 1): each step raises every competency below
  // the top, and the ladder moves from tactical towards strategic work.
  ordered_json expectations = ordered_json::object();
  for (std::size_t k = 0; k < n_careers; ++k) {
    ordered_json row = ordered_json::object();
    for (std::size_t i = 0; i < comp_ids.size(); ++i) {
      const bool strategic = i % 4 >= 2;
      const std::size_t level = std::min(n_levels, std::max<std::size_t>(1, strategic ? k + 1 : k + 2) );
      row[comp_ids[i]] = levels[std::min(level, n_levels) - 1].id;
    }
    expectations[career_ids[k]] = row;
  }
  doc["expectations"] = expectations;
  return doc;
}

std::string readme(const framework& fw, bool builtin) {
  std::string text = "# Starter kit: " + fw.metadata().name + "\n\n";
  text += "Written by `calibra init`";
  text += builtin ? " from calibra's built-in product-manager framework.\n\n"
                  : ": a skeleton framework whose definitions and anchors are placeholders to replace.\n\n";
  text +=
      "| file | what |\n"
      "|---|---|\n"
      "| `framework.json` | the framework, in calibra's framework format |\n"
      "| `framework.xlsx` | the same framework as a workbook to edit in a spreadsheet program |\n"
      "| `ratings-template.xlsx` | a ratings sheet with drop-down lists of roles, competencies and levels |\n"
      "| `ratings-template.csv` | the same columns as CSV |\n\n"
      "Next commands:\n\n"
      "```sh\n"
      "calibra framework check framework.json          # the framework rules: errors, warnings, hints\n"
      "calibra framework import framework.xlsx --out framework.json   # after editing the workbook\n"
      "calibra calibrate ratings.csv --framework framework.json     # once the template is filled in\n"
      "calibra report --framework framework.json --ratings ratings.csv --out report\n"
      "```\n\n"
      "Fill in one rating per row: ratee, rater, role (manager, self, peer, skip-level, panel, external), "
      "competency id, level id (or label, or 1 to " +
      std::to_string(fw.scale().size()) +
      "), period (e.g. 2026Q3) and, optionally, the ratee's career level id and the evidence the rater saw. "
      "Save the filled sheet as `ratings.csv`, or give the filled workbook itself: `calibra calibrate "
      "ratings-template.xlsx --framework framework.json` reads its Ratings sheet.\n";
  return text;
}

}  // namespace

const std::vector<std::string>& starter_kit_files() {
  static const std::vector<std::string> files{"framework.json", "framework.xlsx", "ratings-template.xlsx",
                                              "ratings-template.csv", "README.md"};
  return files;
}

std::vector<std::string> write_starter_kit(const std::string& dir_name, const starter_kit_options& in) {
  if (in.levels != 0 && in.levels != 4 && in.levels != 5)
    throw invalid_argument("init", "levels " + std::to_string(in.levels) + ": expected 4 or 5");
  const bool builtin = in.competencies.empty() && in.levels == 0;
  const framework fw = builtin ? builtin_framework()
                               : parse_framework(skeleton(in).dump(2), "<calibra init skeleton>");
  if (!in.name.empty() && builtin)
    throw invalid_argument("init", "a name applies to a skeleton (with competencies or levels given); the built-in "
                                   "framework keeps its own name");

  const fs::path dir(dir_name);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw invalid_argument("init", dir_name + ": exists and is not a directory");
  const std::vector<std::string>& files = starter_kit_files();
  if (!in.force) {
    std::string existing;
    for (const auto& f : files)
      if (fs::exists(dir / f, ec)) existing += (existing.empty() ? "" : ", ") + (dir / f).string();
    if (!existing.empty())
      throw invalid_argument("init", "refusing to overwrite " + existing +
                                         "; to replace them, give --force (force=True in Python)");
  }

  std::string csv;
  for (const auto& c : ratings_template_columns()) csv += (csv.empty() ? "" : ",") + c;
  csv += "\n";
  const std::string json_text = to_json(fw);
  const std::string readme_text = readme(fw, builtin);

  fs::create_directories(dir, ec);
  if (ec) throw invalid_argument("init", "cannot create the directory " + dir_name + ": " + ec.message());
  write_file_atomically((dir / "framework.json").string(), json_text);
  write_framework_workbook(fw, (dir / "framework.xlsx").string());
  write_ratings_template(fw, (dir / "ratings-template.xlsx").string());
  write_file_atomically((dir / "ratings-template.csv").string(), csv);
  write_file_atomically((dir / "README.md").string(), readme_text);
  std::vector<std::string> written;
  for (const auto& f : files) written.push_back((dir / f).string());
  return written;
}

}  // namespace calibra::reports
