#include <calibra/framework/builtin.hpp>
#include <calibra/io/files.hpp>
#include <calibra/io/framework_json.hpp>

#include "framework_json_parts.hpp"
#include "message_text.hpp"
#include "read_file.hpp"
#include "strict_json.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>

namespace calibra {
namespace detail {
std::string_view builtin_framework_json();  // generated from data/frameworks/product-manager.json
}
namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

constexpr std::string_view format_tag = "calibra-framework/1";

/// Walks the parsed document while tracking the JSON pointer, so every
/// complaint says exactly where it is.
class reader {
 public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw validation_error("framework", source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
  }

  /// Ids must be unique before anything refers to them, so that a duplicate
  /// is reported as such rather than as a confusing dangling reference.
  template <typename Items>
  void unique_ids(const Items& items, const std::string& list) const {
    for (std::size_t i = 0; i < items.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (items[i].id == items[j].id)
          fail(list + "/" + std::to_string(i) + "/id",
               "duplicate id '" + items[i].id + "' (first used at " + list + "/" + std::to_string(j) + ")");
  }

  static std::string type_name(const json& j) { return j.type_name(); }

  const json& object(const json& j, const std::string& ptr, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional = {}) const {
    if (!j.is_object()) fail(ptr, "expected an object, found " + type_name(j));
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      bool known = false;
      for (auto k : required) known = known || k == key;
      for (auto k : optional) known = known || k == key;
      if (!known) {
        std::string allowed;
        for (auto k : required) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        for (auto k : optional) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        fail(ptr + "/" + detail::json_pointer_escape(key), "unknown field '" + key + "'; allowed here: " + allowed);
      }
    }
    for (auto k : required)
      if (!j.contains(k)) fail(ptr, "missing required field '" + std::string(k) + "'");
    return j;
  }

  std::string string(const json& j, std::string_view key, const std::string& ptr) const {
    const json& v = j.at(std::string(key));
    if (!v.is_string()) fail(ptr + "/" + std::string(key), "expected a string, found " + type_name(v));
    return v.get<std::string>();
  }

  std::string optional_string(const json& j, std::string_view key, const std::string& ptr) const {
    return j.contains(key) ? string(j, key, ptr) : std::string();
  }

  std::vector<std::string> strings(const json& j, std::string_view key, const std::string& ptr) const {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    const json& v = j.at(std::string(key));
    const std::string at = ptr + "/" + std::string(key);
    if (!v.is_array()) fail(at, "expected an array of strings, found " + type_name(v));
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) fail(at + "/" + std::to_string(i), "expected a string, found " + type_name(v[i]));
      out.push_back(v[i].get<std::string>());
    }
    return out;
  }

  const json& array(const json& j, std::string_view key, const std::string& ptr) const {
    const json& v = j.at(std::string(key));
    if (!v.is_array()) fail(ptr + "/" + std::string(key), "expected an array, found " + type_name(v));
    return v;
  }

  double number(const json& j, std::string_view key, const std::string& ptr) const {
    const json& v = j.at(std::string(key));
    if (!v.is_number()) fail(ptr + "/" + std::string(key), "expected a number, found " + type_name(v));
    return v.get<double>();
  }

  int integer(const json& j, std::string_view key, const std::string& ptr) const {
    const json& v = j.at(std::string(key));
    if (!v.is_number_integer()) fail(ptr + "/" + std::string(key), "expected an integer, found " + type_name(v));
    const auto value = v.get<std::int64_t>();
    if (value < -1000000 || value > 1000000) fail(ptr + "/" + std::string(key), "integer out of range");
    return static_cast<int>(value);
  }

  bool boolean(const json& j, std::string_view key, const std::string& ptr) const {
    if (!j.contains(key)) return false;
    const json& v = j.at(std::string(key));
    if (!v.is_boolean()) fail(ptr + "/" + std::string(key), "expected true or false, found " + type_name(v));
    return v.get<bool>();
  }

 private:
  std::string source_;
};

/// Runs a model constructor; its validation errors carry a JSON pointer but
/// no file name, so add the file name in front.
template <typename Make>
auto with_source(const std::string& source, Make make) -> decltype(make()) {
  try {
    return make();
  } catch (const validation_error& e) {
    const std::string what = e.what();
    const std::string prefix = "[calibra." + e.id() + "] ";
    throw validation_error("framework", source + ": " + what.substr(what.rfind(prefix, 0) == 0 ? prefix.size() : 0));
  }
}

framework from_document(const json& doc, const std::string& source) {
  const reader r(source);
  r.object(doc, "", {"format", "metadata", "scale", "competencies", "career_levels", "expectations"},
           {"areas", "steps", "archetypes"});
  if (r.string(doc, "format", "") != format_tag)
    r.fail("/format", "expected \"" + std::string(format_tag) + "\", found \"" + doc["format"].get<std::string>() + "\"");

  framework_metadata meta;
  {
    const json& m = r.object(doc["metadata"], "/metadata", {"id", "name", "version", "last_updated"},
                             {"owners", "description"});
    meta.id = r.string(m, "id", "/metadata");
    meta.name = r.string(m, "name", "/metadata");
    meta.version = r.string(m, "version", "/metadata");
    meta.last_updated = r.string(m, "last_updated", "/metadata");
    const auto& d = meta.last_updated;
    bool iso = d.size() == 10;
    for (std::size_t i = 0; iso && i < d.size(); ++i)
      iso = (i == 4 || i == 7) ? d[i] == '-' : (d[i] >= '0' && d[i] <= '9');
    if (!iso) r.fail("/metadata/last_updated", "expected a date as YYYY-MM-DD, found \"" + d + "\"");
    meta.owners = r.strings(m, "owners", "/metadata");
    meta.description = r.optional_string(m, "description", "/metadata");
  }

  std::vector<proficiency_level> levels;
  {
    const json& s = doc["scale"];
    if (!s.is_array()) r.fail("/scale", "expected an array of levels, found " + reader::type_name(s));
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string at = "/scale/" + std::to_string(i);
      const json& l = r.object(s[i], at, {"id", "label", "scope", "autonomy"}, {"description"});
      proficiency_level level;
      level.id = r.string(l, "id", at);
      level.label = r.string(l, "label", at);
      level.description = r.optional_string(l, "description", at);
      const auto sc = parse_scope(r.string(l, "scope", at));
      if (!sc) r.fail(at + "/scope", "expected one of task, feature, product-area, multiple-areas, organisation, company");
      level.scope = *sc;
      const auto au = parse_autonomy(r.string(l, "autonomy", at));
      if (!au) r.fail(at + "/autonomy", "expected one of guided, independent, leads-others, sets-direction");
      level.autonomy = *au;
      levels.push_back(std::move(level));
    }
  }
  r.unique_ids(levels, "/scale");
  const proficiency_scale scale(levels);

  std::vector<area> areas;
  if (doc.contains("areas")) {
    const json& a = r.array(doc, "areas", "");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "/areas/" + std::to_string(i);
      r.object(a[i], at, {"id", "name"}, {"description"});
      areas.push_back({r.string(a[i], "id", at), r.string(a[i], "name", at), r.optional_string(a[i], "description", at)});
    }
  }

  std::vector<competency> comps;
  {
    const json& cs = r.array(doc, "competencies", "");
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const std::string at = "/competencies/" + std::to_string(i);
      const json& c = r.object(cs[i], at, {"id", "name", "definition", "quadrant", "anchors"},
                               {"position", "area", "people_leadership", "interview_format", "actions"});
      competency comp;
      comp.id = r.string(c, "id", at);
      comp.name = r.string(c, "name", at);
      comp.definition = r.string(c, "definition", at);
      const auto q = parse_quadrant(r.string(c, "quadrant", at));
      if (!q)
        r.fail(at + "/quadrant",
               "expected one of tactical-internal, tactical-external, strategic-internal, strategic-external");
      comp.quadrant = *q;
      if (c.contains("position")) {
        const json& p = r.object(c["position"], at + "/position", {"focus", "orientation"});
        comp.position = grid_position{r.number(p, "focus", at + "/position"), r.number(p, "orientation", at + "/position")};
      }
      if (c.contains("area")) comp.area = r.string(c, "area", at);
      comp.people_leadership = r.boolean(c, "people_leadership", at);
      const json& anchors = c["anchors"];
      if (!anchors.is_object()) r.fail(at + "/anchors", "expected an object keyed by level id, found " + reader::type_name(anchors));
      comp.anchors.assign(scale.size(), std::string());
      for (auto it = anchors.begin(); it != anchors.end(); ++it) {
        const auto ordinal = scale.ordinal_of(it.key());
        bool is_id = false;
        for (const auto& l : scale.levels()) is_id = is_id || l.id == it.key();
        if (!ordinal || !is_id) r.fail(at + "/anchors/" + detail::json_pointer_escape(it.key()), "unknown level id '" + it.key() + "'");
        if (!it.value().is_string())
          r.fail(at + "/anchors/" + detail::json_pointer_escape(it.key()), "expected a string, found " + reader::type_name(it.value()));
        comp.anchors[static_cast<std::size_t>(*ordinal - 1)] = it.value().get<std::string>();
      }
      comp.interview_format = r.optional_string(c, "interview_format", at);
      comp.actions = r.strings(c, "actions", at);
      comps.push_back(std::move(comp));
    }
    r.unique_ids(comps, "/competencies");
  }

  std::vector<career_level> career_levels;
  {
    const json& ls = r.array(doc, "career_levels", "");
    for (std::size_t i = 0; i < ls.size(); ++i) {
      const std::string at = "/career_levels/" + std::to_string(i);
      const json& l = r.object(ls[i], at, {"id", "name", "track", "rank"});
      career_level level;
      level.id = r.string(l, "id", at);
      level.name = r.string(l, "name", at);
      const auto t = parse_track(r.string(l, "track", at));
      if (!t) r.fail(at + "/track", "expected \"ic\" or \"manager\"");
      level.track = *t;
      level.rank = r.integer(l, "rank", at);
      career_levels.push_back(std::move(level));
    }
  }
  std::vector<std::pair<std::string, std::string>> steps;
  if (doc.contains("steps")) {
    const json& ss = r.array(doc, "steps", "");
    for (std::size_t i = 0; i < ss.size(); ++i) {
      const std::string at = "/steps/" + std::to_string(i);
      r.object(ss[i], at, {"from", "to"});
      steps.emplace_back(r.string(ss[i], "from", at), r.string(ss[i], "to", at));
    }
  }
  career_ladder ladder = with_source(source, [&] { return career_ladder(career_levels, steps); });

  expectation_matrix expectations =
      expectation_matrix::Zero(static_cast<Eigen::Index>(career_levels.size()), static_cast<Eigen::Index>(comps.size()));
  {
    const json& e = doc["expectations"];
    if (!e.is_object()) r.fail("/expectations", "expected an object keyed by career level id, found " + reader::type_name(e));
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string at = "/expectations/" + detail::json_pointer_escape(it.key());
      const auto row = ladder.index_of(it.key());
      if (!row) r.fail(at, "unknown career level '" + it.key() + "'");
      if (!it.value().is_object()) r.fail(at, "expected an object keyed by competency id, found " + reader::type_name(it.value()));
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
        const std::string cell = at + "/" + detail::json_pointer_escape(jt.key());
        std::optional<std::size_t> col;
        for (std::size_t c = 0; c < comps.size(); ++c)
          if (comps[c].id == jt.key()) col = c;
        if (!col) r.fail(cell, "unknown competency '" + jt.key() + "'");
        if (!jt.value().is_string()) r.fail(cell, "expected a level id, found " + reader::type_name(jt.value()));
        const std::string level_id = jt.value().get<std::string>();
        std::optional<int> ordinal;
        for (std::size_t l = 0; l < scale.size(); ++l)
          if (scale.levels()[l].id == level_id) ordinal = static_cast<int>(l + 1);
        if (!ordinal) r.fail(cell, "unknown level '" + level_id + "'");
        expectations(static_cast<Eigen::Index>(*row), static_cast<Eigen::Index>(*col)) = *ordinal;
      }
    }
    for (std::size_t l = 0; l < career_levels.size(); ++l)
      for (std::size_t c = 0; c < comps.size(); ++c)
        if (expectations(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c)) == 0)
          r.fail("/expectations/" + career_levels[l].id,
                 "missing the expectation for competency '" + comps[c].id + "'");
  }

  std::vector<archetype> archetypes;
  if (doc.contains("archetypes")) {
    const json& as = r.array(doc, "archetypes", "");
    for (std::size_t i = 0; i < as.size(); ++i) {
      const std::string at = "/archetypes/" + std::to_string(i);
      r.object(as[i], at, {"id", "name"}, {"description", "strong", "growth"});
      archetypes.push_back({r.string(as[i], "id", at), r.string(as[i], "name", at),
                            r.optional_string(as[i], "description", at), r.strings(as[i], "strong", at),
                            r.strings(as[i], "growth", at)});
    }
  }

  return with_source(source, [&] {
    return framework(std::move(meta), scale, std::move(areas), std::move(comps), std::move(ladder),
                     std::move(expectations), std::move(archetypes));
  });
}

}  // namespace

framework parse_framework(std::string_view json_text, const std::string& source_name) {
  const detail::strict_json_format format{"framework", source_name, max_framework_file_bytes, "framework files",
                                          "a JSON object"};
  const detail::strict_json_document doc = detail::read_strict_json(json_text, format);
  if (doc.repeated_member)
    throw validation_error("framework", source_name + ": the key '" + detail::echo(doc.repeated_member->key) +
                                            "' appears twice in one object; each field may be given once");
  return from_document(doc.value, source_name);
}

framework load_framework(const std::string& path) {
  return parse_framework(detail::read_file(path, max_framework_file_bytes, "framework"), path);
}

namespace detail {

ordered_json scale_json(const framework& fw) {
  ordered_json scale = ordered_json::array();
  for (const auto& l : fw.scale().levels()) {
    ordered_json level;
    level["id"] = l.id;
    level["label"] = l.label;
    if (!l.description.empty()) level["description"] = l.description;
    level["scope"] = to_string(l.scope);
    level["autonomy"] = to_string(l.autonomy);
    scale.push_back(level);
  }
  return scale;
}

ordered_json archetypes_json(const framework& fw) {
  ordered_json archetypes = ordered_json::array();
  for (const auto& a : fw.archetypes()) {
    ordered_json arch;
    arch["id"] = a.id;
    arch["name"] = a.name;
    if (!a.description.empty()) arch["description"] = a.description;
    if (!a.strong.empty()) arch["strong"] = a.strong;
    if (!a.growth.empty()) arch["growth"] = a.growth;
    archetypes.push_back(arch);
  }
  return archetypes;
}

}  // namespace detail

ordered_json detail::framework_document(const framework& fw) {
  ordered_json doc;
  doc["format"] = format_tag;
  const auto& m = fw.metadata();
  ordered_json meta;
  meta["id"] = m.id;
  meta["name"] = m.name;
  meta["version"] = m.version;
  meta["last_updated"] = m.last_updated;
  if (!m.owners.empty()) meta["owners"] = m.owners;
  if (!m.description.empty()) meta["description"] = m.description;
  doc["metadata"] = meta;

  doc["scale"] = detail::scale_json(fw);

  if (!fw.areas().empty()) {
    ordered_json areas = ordered_json::array();
    for (const auto& a : fw.areas()) {
      ordered_json area;
      area["id"] = a.id;
      area["name"] = a.name;
      if (!a.description.empty()) area["description"] = a.description;
      areas.push_back(area);
    }
    doc["areas"] = areas;
  }

  ordered_json comps = ordered_json::array();
  for (const auto& c : fw.competencies()) {
    ordered_json comp;
    comp["id"] = c.id;
    comp["name"] = c.name;
    comp["definition"] = c.definition;
    comp["quadrant"] = to_string(c.quadrant);
    if (c.position) {
      ordered_json position;
      position["focus"] = c.position->focus;
      position["orientation"] = c.position->orientation;
      comp["position"] = position;
    }
    if (c.area) comp["area"] = *c.area;
    if (c.people_leadership) comp["people_leadership"] = true;
    ordered_json anchors = ordered_json::object();
    for (std::size_t l = 0; l < fw.scale().size(); ++l)
      if (!c.anchors[l].empty()) anchors[fw.scale().levels()[l].id] = c.anchors[l];
    comp["anchors"] = anchors;
    if (!c.interview_format.empty()) comp["interview_format"] = c.interview_format;
    if (!c.actions.empty()) comp["actions"] = c.actions;
    comps.push_back(comp);
  }
  doc["competencies"] = comps;

  ordered_json levels = ordered_json::array();
  for (const auto& l : fw.ladder().career_levels()) {
    ordered_json level;
    level["id"] = l.id;
    level["name"] = l.name;
    level["track"] = to_string(l.track);
    level["rank"] = l.rank;
    levels.push_back(level);
  }
  doc["career_levels"] = levels;

  if (!fw.ladder().steps().empty()) {
    ordered_json steps = ordered_json::array();
    for (const auto& s : fw.ladder().steps()) {
      ordered_json step;
      step["from"] = fw.ladder().career_levels()[s.from].id;
      step["to"] = fw.ladder().career_levels()[s.to].id;
      steps.push_back(step);
    }
    doc["steps"] = steps;
  }

  ordered_json expectations = ordered_json::object();
  for (std::size_t l = 0; l < fw.ladder().size(); ++l) {
    ordered_json row = ordered_json::object();
    for (std::size_t c = 0; c < fw.competencies().size(); ++c) {
      const int ordinal = fw.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c));
      row[fw.competencies()[c].id] = fw.scale().at_ordinal(ordinal).id;
    }
    expectations[fw.ladder().career_levels()[l].id] = row;
  }
  doc["expectations"] = expectations;

  if (!fw.archetypes().empty()) doc["archetypes"] = detail::archetypes_json(fw);
  return doc;
}

std::string to_json(const framework& fw) {
  const ordered_json doc = detail::framework_document(fw);
  try {
    return doc.dump(2, ' ', false, ordered_json::error_handler_t::strict) + "\n";
  } catch (const ordered_json::type_error& e) {
    // Only reachable for frameworks built in code: file input is checked as UTF-8 when parsed.
    throw invalid_argument("framework", "'" + fw.metadata().id + "' holds text that is not valid UTF-8: " + e.what());
  }
}

void save_framework(const framework& fw, const std::string& path) {
  write_file_atomically(path, to_json(fw));
}

framework builtin_framework() {
  return parse_framework(builtin_framework_json(), "<built-in framework>");
}

std::string_view builtin_framework_json() { return detail::builtin_framework_json(); }

}  // namespace calibra
