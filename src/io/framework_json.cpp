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

/// Thrown after a problem is recorded: the value at hand cannot be read, so
/// the reader leaves it and goes on with the next one.
struct skip_value {};
/// Thrown when the list of problems is full: the reader stops.
struct stop_reading {};

/// Walks the parsed document while tracking the JSON pointer, so every
/// complaint says exactly where it is.  A problem is recorded and reading
/// goes on with the next value, so one run reports every problem (up to
/// input_errors::max_problems).
class reader {
 public:
  explicit reader(std::string source) : source_(source), problems_("framework", std::move(source)) {}

  /// Records a problem and goes on.
  void note(const std::string& pointer, const std::string& message) {
    try {
      throw validation_error("framework", source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
    } catch (const calibra::error& e) {
      problems_.add(e, 0, {}, pointer.empty() ? "/" : pointer);
    }
    if (problems_.full()) throw stop_reading{};
  }

  /// Records a problem and leaves the value at hand.
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) {
    note(pointer, message);
    throw skip_value{};
  }

  /// Runs `read`; false when it left its value because of a problem.
  template <typename Read>
  bool attempt(Read&& read) {
    try {
      read();
      return true;
    } catch (const skip_value&) {
      return false;
    }
  }

  /// Runs a model constructor; its validation errors carry a JSON pointer
  /// but no file name, so the file name goes in front.
  template <typename Make>
  bool model(Make&& make) {
    try {
      make();
      return true;
    } catch (const input_errors& several) {
      for (const input_problem& p : several.problems()) record_model_problem(p.message, p.pointer);
    } catch (const validation_error& e) {
      record_model_problem(e.what(), {});
    }
    return false;
  }

  bool clean() const { return problems_.empty(); }
  std::size_t problem_count() const { return problems_.size(); }
  void raise() { problems_.raise(); }

  /// Ids must be unique before anything refers to them, so that a duplicate
  /// is reported as such rather than as a confusing dangling reference.
  template <typename Items>
  void unique_ids(const Items& items, const std::string& list) {
    for (std::size_t i = 0; i < items.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (!items[i].id.empty() && items[i].id == items[j].id) {
          note(list + "/" + std::to_string(i) + "/id",
               "duplicate id '" + items[i].id + "' (first used at " + list + "/" + std::to_string(j) + ")");
          break;
        }
  }

  static std::string type_name(const json& j) { return j.type_name(); }

  /// Checks that `j` is an object with the required fields and no others;
  /// each unknown or missing field is a problem of its own.  A missing
  /// field is then left out by the readers of fields below, silently.
  const json& object(const json& j, const std::string& ptr, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional = {}) {
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
        note(ptr + "/" + detail::json_pointer_escape(key), "unknown field '" + key + "'; allowed here: " + allowed);
      }
    }
    for (auto k : required)
      if (!j.contains(k)) note(ptr, "missing required field '" + std::string(k) + "'");
    return j;
  }

  const json& value(const json& j, std::string_view key) {
    const auto it = j.find(std::string(key));
    if (it == j.end()) throw skip_value{};  // object() has reported it
    return *it;
  }

  std::string string(const json& j, std::string_view key, const std::string& ptr) {
    const json& v = value(j, key);
    if (!v.is_string()) fail(ptr + "/" + std::string(key), "expected a string, found " + type_name(v));
    return v.get<std::string>();
  }

  std::string optional_string(const json& j, std::string_view key, const std::string& ptr) {
    return j.contains(key) ? string(j, key, ptr) : std::string();
  }

  std::vector<std::string> strings(const json& j, std::string_view key, const std::string& ptr) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    const json& v = value(j, key);
    const std::string at = ptr + "/" + std::string(key);
    if (!v.is_array()) fail(at, "expected an array of strings, found " + type_name(v));
    bool ok = true;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) {
        note(at + "/" + std::to_string(i), "expected a string, found " + type_name(v[i]));
        ok = false;
        continue;
      }
      out.push_back(v[i].get<std::string>());
    }
    if (!ok) throw skip_value{};
    return out;
  }

  const json& array(const json& j, std::string_view key, const std::string& ptr) {
    const json& v = value(j, key);
    if (!v.is_array()) fail(ptr + "/" + std::string(key), "expected an array, found " + type_name(v));
    return v;
  }

  double number(const json& j, std::string_view key, const std::string& ptr) {
    const json& v = value(j, key);
    if (!v.is_number()) fail(ptr + "/" + std::string(key), "expected a number, found " + type_name(v));
    return v.get<double>();
  }

  int integer(const json& j, std::string_view key, const std::string& ptr) {
    const json& v = value(j, key);
    if (!v.is_number_integer()) fail(ptr + "/" + std::string(key), "expected an integer, found " + type_name(v));
    const auto value = v.get<std::int64_t>();
    if (value < -1000000 || value > 1000000) fail(ptr + "/" + std::string(key), "integer out of range");
    return static_cast<int>(value);
  }

  bool boolean(const json& j, std::string_view key, const std::string& ptr) {
    if (!j.contains(key)) return false;
    const json& v = value(j, key);
    if (!v.is_boolean()) fail(ptr + "/" + std::string(key), "expected true or false, found " + type_name(v));
    return v.get<bool>();
  }

 private:
  void record_model_problem(const std::string& what, const std::string& pointer) {
    // The model's message is "[calibra.<id>] <pointer>: <message>".
    const auto close = what.find("] ");
    const std::string rest = close == std::string::npos ? what : what.substr(close + 2);
    const auto colon = rest.find(": ");
    const std::string at = !pointer.empty() ? pointer : colon == std::string::npos ? std::string() : rest.substr(0, colon);
    note(at, colon == std::string::npos ? rest : rest.substr(colon + 2));
  }

  std::string source_;
  detail::problem_list problems_;
};

framework read_document(const json& doc, reader& r);

framework from_document(const json& doc, const std::string& source) {
  reader r(source);
  try {
    return read_document(doc, r);
  } catch (const stop_reading&) {
  } catch (const skip_value&) {
  }
  r.raise();
  throw validation_error("framework", source + ": cannot be read");  // not reached: raise() threw
}

framework read_document(const json& doc, reader& r) {
  // career_levels and expectations come together, or neither does (a
  // ratings-only framework); the half states are refused below.
  r.object(doc, "", {"format", "metadata", "scale", "competencies"},
           {"areas", "career_levels", "steps", "expectations", "archetypes", "checks"});
  r.attempt([&] {
    const std::string format = r.string(doc, "format", "");
    if (format != format_tag)
      r.fail("/format", "expected \"" + std::string(format_tag) + "\", found \"" + format + "\"");
  });

  framework_metadata meta;
  r.attempt([&] {
    const json& m = r.object(r.value(doc, "metadata"), "/metadata", {"id", "name", "version", "last_updated"},
                             {"owners", "description"});
    r.attempt([&] { meta.id = r.string(m, "id", "/metadata"); });
    r.attempt([&] { meta.name = r.string(m, "name", "/metadata"); });
    r.attempt([&] { meta.version = r.string(m, "version", "/metadata"); });
    r.attempt([&] {
      meta.last_updated = r.string(m, "last_updated", "/metadata");
      const auto& d = meta.last_updated;
      bool iso = d.size() == 10;
      for (std::size_t i = 0; iso && i < d.size(); ++i)
        iso = (i == 4 || i == 7) ? d[i] == '-' : (d[i] >= '0' && d[i] <= '9');
      if (!iso) r.fail("/metadata/last_updated", "expected a date as YYYY-MM-DD, found \"" + d + "\"");
      if (!is_calendar_date(d))
        r.fail("/metadata/last_updated", "\"" + d + "\" is not a calendar date (month 01-12, a day the month has)");
    });
    r.attempt([&] { meta.owners = r.strings(m, "owners", "/metadata"); });
    r.attempt([&] { meta.description = r.optional_string(m, "description", "/metadata"); });
  });

  check_settings checks;
  r.attempt([&] {
    if (!doc.contains("checks")) return;
    const json& c = r.object(r.value(doc, "checks"), "/checks", {}, {"trait_words"});
    checks.trait_words = r.strings(c, "trait_words", "/checks");
    for (std::size_t i = 0; i < checks.trait_words.size(); ++i)
      if (checks.trait_words[i].find_first_not_of(" \t") == std::string::npos)
        r.note("/checks/trait_words/" + std::to_string(i), "expected a word or phrase, found an empty string");
  });

  // What the later parts need from the earlier ones: a reference is only
  // checked when the list it points into was read whole, so that one broken
  // entry does not turn into a cascade of "unknown" problems.
  bool scale_whole = false, competencies_whole = false, career_levels_whole = false;

  std::vector<proficiency_level> levels;
  r.attempt([&] {
    const json& s = r.value(doc, "scale");
    if (!s.is_array()) r.fail("/scale", "expected an array of levels, found " + reader::type_name(s));
    const std::size_t before = r.problem_count();
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string at = "/scale/" + std::to_string(i);
      r.attempt([&] {
        const json& l = r.object(s[i], at, {"id", "label"}, {"description", "scope", "autonomy"});
        proficiency_level level;
        r.attempt([&] { level.id = r.string(l, "id", at); });
        r.attempt([&] { level.label = r.string(l, "label", at); });
        r.attempt([&] { level.description = r.optional_string(l, "description", at); });
        r.attempt([&] {
          if (!l.contains("scope")) return;
          const auto sc = parse_scope(r.string(l, "scope", at));
          if (!sc)
            r.fail(at + "/scope", "expected one of task, feature, product-area, multiple-areas, organisation, company");
          level.scope = *sc;
        });
        r.attempt([&] {
          if (!l.contains("autonomy")) return;
          const auto au = parse_autonomy(r.string(l, "autonomy", at));
          if (!au) r.fail(at + "/autonomy", "expected one of guided, independent, leads-others, sets-direction");
          level.autonomy = *au;
        });
        levels.push_back(std::move(level));
      });
    }
    r.unique_ids(levels, "/scale");
    scale_whole = r.problem_count() == before && levels.size() == s.size();
  });
  const proficiency_scale scale(levels);

  std::vector<area> areas;
  r.attempt([&] {
    if (!doc.contains("areas")) return;
    const json& a = r.array(doc, "areas", "");
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string at = "/areas/" + std::to_string(i);
      r.attempt([&] {
        r.object(a[i], at, {"id", "name"}, {"description"});
        area item;
        r.attempt([&] { item.id = r.string(a[i], "id", at); });
        r.attempt([&] { item.name = r.string(a[i], "name", at); });
        r.attempt([&] { item.description = r.optional_string(a[i], "description", at); });
        areas.push_back(std::move(item));
      });
    }
  });

  std::vector<competency> comps;
  r.attempt([&] {
    const json& cs = r.array(doc, "competencies", "");
    bool ids_read = true;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const std::string at = "/competencies/" + std::to_string(i);
      const bool read = r.attempt([&] {
        const json& c = r.object(cs[i], at, {"id", "name", "definition", "anchors"},
                                 {"quadrant", "position", "area", "people_leadership", "interview_format", "actions"});
        competency comp;
        if (!r.attempt([&] { comp.id = r.string(c, "id", at); })) ids_read = false;
        r.attempt([&] { comp.name = r.string(c, "name", at); });
        r.attempt([&] { comp.definition = r.string(c, "definition", at); });
        r.attempt([&] {
          if (!c.contains("quadrant")) return;
          const auto q = parse_quadrant(r.string(c, "quadrant", at));
          if (!q)
            r.fail(at + "/quadrant",
                   "expected one of tactical-internal, tactical-external, strategic-internal, strategic-external");
          comp.quadrant = *q;
        });
        r.attempt([&] {
          if (!c.contains("position")) return;
          const json& p = r.object(r.value(c, "position"), at + "/position", {"focus", "orientation"});
          const double focus = r.number(p, "focus", at + "/position");
          const double orientation = r.number(p, "orientation", at + "/position");
          comp.position = grid_position{focus, orientation};
        });
        r.attempt([&] {
          if (c.contains("area")) comp.area = r.string(c, "area", at);
        });
        r.attempt([&] { comp.people_leadership = r.boolean(c, "people_leadership", at); });
        comp.anchors.assign(scale.size(), std::string());
        r.attempt([&] {
          const json& anchors = r.value(c, "anchors");
          if (!anchors.is_object())
            r.fail(at + "/anchors", "expected an object keyed by level id, found " + reader::type_name(anchors));
          for (auto it = anchors.begin(); it != anchors.end(); ++it) {
            const std::string cell = at + "/anchors/" + detail::json_pointer_escape(it.key());
            r.attempt([&] {
              std::optional<std::size_t> ordinal;
              for (std::size_t l = 0; l < scale.size(); ++l)
                if (scale.levels()[l].id == it.key()) ordinal = l;
              if (!ordinal && scale_whole) r.fail(cell, "unknown level id '" + it.key() + "'");
              if (!it.value().is_string())
                r.fail(cell, "expected a string, found " + reader::type_name(it.value()));
              if (ordinal) comp.anchors[*ordinal] = it.value().get<std::string>();
            });
          }
        });
        r.attempt([&] { comp.interview_format = r.optional_string(c, "interview_format", at); });
        r.attempt([&] { comp.actions = r.strings(c, "actions", at); });
        comps.push_back(std::move(comp));
      });
      ids_read = ids_read && read;
    }
    const std::size_t before = r.problem_count();
    r.unique_ids(comps, "/competencies");
    competencies_whole = ids_read && r.problem_count() == before;
  });

  std::vector<career_level> career_levels;
  r.attempt([&] {
    if (!doc.contains("career_levels")) {
      career_levels_whole = true;
      return;
    }
    const json& ls = r.array(doc, "career_levels", "");
    bool whole = true;
    for (std::size_t i = 0; i < ls.size(); ++i) {
      const std::string at = "/career_levels/" + std::to_string(i);
      const bool read = r.attempt([&] {
        const json& l = r.object(ls[i], at, {"id", "name", "track", "rank"});
        career_level level;
        bool ok = r.attempt([&] { level.id = r.string(l, "id", at); });
        ok = r.attempt([&] { level.name = r.string(l, "name", at); }) && ok;
        ok = r.attempt([&] {
          const auto t = parse_track(r.string(l, "track", at));
          if (!t) r.fail(at + "/track", "expected \"ic\" or \"manager\"");
          level.track = *t;
        }) && ok;
        ok = r.attempt([&] { level.rank = r.integer(l, "rank", at); }) && ok;
        if (!ok) whole = false;
        career_levels.push_back(std::move(level));
      });
      whole = whole && read;
    }
    career_levels_whole = whole;
  });
  std::vector<std::pair<std::string, std::string>> steps;
  bool steps_whole = true;
  r.attempt([&] {
    if (!doc.contains("steps")) return;
    steps_whole = false;
    const json& ss = r.array(doc, "steps", "");
    bool whole = true;
    for (std::size_t i = 0; i < ss.size(); ++i) {
      const std::string at = "/steps/" + std::to_string(i);
      whole = r.attempt([&] {
        r.object(ss[i], at, {"from", "to"});
        const std::string from = r.string(ss[i], "from", at);
        const std::string to = r.string(ss[i], "to", at);
        steps.emplace_back(from, to);
      }) && whole;
    }
    steps_whole = whole;
  });
  // A framework without career levels: no steps and no expectations either.
  if (career_levels_whole && career_levels.empty()) {
    if (!steps.empty())
      r.note("/steps", "the framework has no career levels, so it has no promotion steps; add career_levels or "
                       "leave out steps");
    const auto e = doc.find("expectations");
    if (e != doc.end() && !(e->is_object() && e->empty()))
      r.note("/expectations", "the framework has no career levels, so it has no expectations; add career_levels "
                              "or leave out expectations");
  } else if (!career_levels.empty() && !doc.contains("expectations")) {
    r.note("/expectations", "missing: a framework with career levels needs the expected level of every "
                            "competency at every career level (leave out career_levels, steps and expectations "
                            "for a framework without a ladder)");
  }
  career_ladder ladder;
  bool ladder_whole = false;
  if (career_levels_whole && steps_whole && !(career_levels.empty() && !steps.empty()))
    ladder_whole = r.model([&] { ladder = career_ladder(career_levels, steps); });

  expectation_matrix expectations =
      expectation_matrix::Zero(static_cast<Eigen::Index>(career_levels.size()), static_cast<Eigen::Index>(comps.size()));
  r.attempt([&] {
    if (career_levels_whole && career_levels.empty()) return;  // reported above, if given
    if (!doc.contains("expectations")) return;                  // reported above
    const json& e = r.value(doc, "expectations");
    if (!e.is_object()) r.fail("/expectations", "expected an object keyed by career level id, found " + reader::type_name(e));
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string at = "/expectations/" + detail::json_pointer_escape(it.key());
      r.attempt([&] {
        std::optional<std::size_t> row;
        for (std::size_t l = 0; l < career_levels.size(); ++l)
          if (career_levels[l].id == it.key()) row = l;
        if (!row && career_levels_whole) r.fail(at, "unknown career level '" + it.key() + "'");
        if (!it.value().is_object())
          r.fail(at, "expected an object keyed by competency id, found " + reader::type_name(it.value()));
        for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) {
          const std::string cell = at + "/" + detail::json_pointer_escape(jt.key());
          r.attempt([&] {
            std::optional<std::size_t> col;
            for (std::size_t c = 0; c < comps.size(); ++c)
              if (comps[c].id == jt.key()) col = c;
            if (!col && competencies_whole) r.fail(cell, "unknown competency '" + jt.key() + "'");
            if (!jt.value().is_string()) r.fail(cell, "expected a level id, found " + reader::type_name(jt.value()));
            const std::string level_id = jt.value().get<std::string>();
            std::optional<int> ordinal;
            for (std::size_t l = 0; l < scale.size(); ++l)
              if (scale.levels()[l].id == level_id) ordinal = static_cast<int>(l + 1);
            if (!ordinal && scale_whole) r.fail(cell, "unknown level '" + level_id + "'");
            if (row && col && ordinal)
              expectations(static_cast<Eigen::Index>(*row), static_cast<Eigen::Index>(*col)) = *ordinal;
          });
        }
      });
    }
    if (career_levels_whole && competencies_whole && scale_whole)
      for (std::size_t l = 0; l < career_levels.size(); ++l) {
        // A cell the file gives but that could not be read is reported already.
        const auto given = [&](std::size_t c) {
          const auto row = e.find(career_levels[l].id);
          return row != e.end() && row->is_object() && row->contains(comps[c].id);
        };
        std::string missing;
        std::size_t count = 0;
        for (std::size_t c = 0; c < comps.size(); ++c)
          if (expectations(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c)) == 0 && !given(c) &&
              ++count <= 5)
            missing += (missing.empty() ? "'" : ", '") + comps[c].id + "'";
        if (count == 1)
          r.note("/expectations/" + career_levels[l].id, "missing the expectation for competency " + missing);
        else if (count > 1)
          r.note("/expectations/" + career_levels[l].id,
                 "missing the expectations for " + std::to_string(count) + " competencies: " + missing +
                     (count > 5 ? ", ..." : ""));
      }
  });

  std::vector<archetype> archetypes;
  r.attempt([&] {
    if (!doc.contains("archetypes")) return;
    const json& as = r.array(doc, "archetypes", "");
    for (std::size_t i = 0; i < as.size(); ++i) {
      const std::string at = "/archetypes/" + std::to_string(i);
      r.attempt([&] {
        r.object(as[i], at, {"id", "name"}, {"description", "strong", "growth"});
        archetype item;
        r.attempt([&] { item.id = r.string(as[i], "id", at); });
        r.attempt([&] { item.name = r.string(as[i], "name", at); });
        r.attempt([&] { item.description = r.optional_string(as[i], "description", at); });
        r.attempt([&] { item.strong = r.strings(as[i], "strong", at); });
        r.attempt([&] { item.growth = r.strings(as[i], "growth", at); });
        archetypes.push_back(std::move(item));
      });
    }
  });

  // The rules across the whole model run once every part was read.
  if (r.clean() && ladder_whole) {
    framework fw;
    if (r.model([&] {
          fw = framework(std::move(meta), scale, std::move(areas), std::move(comps), std::move(ladder),
                         std::move(expectations), std::move(archetypes), std::move(checks));
        }))
      return fw;
  }
  r.raise();
  throw validation_error("framework", "cannot be read");  // not reached: raise() threw
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
    if (l.scope) level["scope"] = to_string(*l.scope);
    if (l.autonomy) level["autonomy"] = to_string(*l.autonomy);
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
    if (c.quadrant) comp["quadrant"] = to_string(*c.quadrant);
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
  if (fw.has_career_levels()) doc["career_levels"] = levels;

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
  if (fw.has_career_levels()) doc["expectations"] = expectations;

  if (!fw.archetypes().empty()) doc["archetypes"] = detail::archetypes_json(fw);
  if (!fw.checks().empty()) {
    ordered_json checks;
    checks["trait_words"] = fw.checks().trait_words;
    doc["checks"] = checks;
  }
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
