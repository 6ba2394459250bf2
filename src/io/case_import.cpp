// 1EdTech CASE packages: import of a CFPackage as a framework, read
// strictly (every member checked against CASE) and mapped back onto
// calibra's model, from calibra's own extensions when the package has them.
#include <calibra/io/case.hpp>

#include "case_identifiers.hpp"
#include "case_package.hpp"
#include "json_syntax.hpp"
#include "message_text.hpp"
#include "read_file.hpp"
#include "strict_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace calibra {
namespace {

using json = nlohmann::json;
using detail::json_pointer_escape;
using detail::case_package::is_iso_date;
using detail::case_package::type_area;
using detail::case_package::type_career_level;
using detail::case_package::type_competency;
using detail::case_package::type_quadrant;

// ============================================================================
// JSON text
// ============================================================================

json parse_json(std::string_view text, const std::string& source) {
  // Deep nesting would only be an attack on the parser; a CASE package with
  // calibra's extensions is eight levels deep.
  constexpr std::size_t max_nesting = 64;
  const detail::strict_json_format format{"case", source, max_case_file_bytes, "CASE packages",
                                          "a CASE package (a JSON object)", max_nesting,
                                          "a CASE package needs far fewer"};
  detail::strict_json_document doc = detail::read_strict_json(text, format);
  if (doc.repeated_member)
    throw validation_error("case", source + ": " +
                                       detail::printable(doc.repeated_member->pointer, detail::max_json_reason_bytes) +
                                       ": this member appears twice in one object; each member may be given once");
  return std::move(doc.value);
}

// ============================================================================
// Strict member checks
// ============================================================================

enum class kind {
  string,       // a string
  text_list,    // a string or an array of strings (CASE 1.0 allows both), or null
  link,         // a LinkURI object, or null
  link_list,    // an array of LinkURI objects, or null
  integer,      // an integer
  number,       // a number
  extensions,   // an object (CASE 1.1 also has arrays on criterion levels)
  date,         // a date or date-time string, or null
  list,         // an array, read by the caller
  object,       // an object, read by the caller
  boolean,      // true or false
};

struct member {
  const char* name;
  kind type;
  bool required;
};

class reader {
 public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw validation_error("case", source_ + ": " + (pointer.empty() ? "/" : pointer) + ": " + message);
  }

  const std::string& source() const { return source_; }

  template <std::size_t N>
  void members(const json& j, const std::string& ptr, const std::array<member, N>& spec, const char* what) const {
    if (!j.is_object()) fail(ptr, "expected " + std::string(what) + " (a JSON object), found " + j.type_name());
    for (auto it = j.begin(); it != j.end(); ++it) {
      const member* m = nullptr;
      for (const member& s : spec)
        if (it.key() == s.name) m = &s;
      const std::string at = ptr + "/" + json_pointer_escape(it.key());
      if (!m) {
        std::string allowed;
        for (const member& s : spec) allowed += (allowed.empty() ? "" : ", ") + std::string(s.name);
        fail(at, "unknown member '" + it.key() + "' in " + what + "; allowed here: " + (allowed.empty() ? "none" : allowed));
      }
      check_type(it.value(), at, m->type);
    }
    for (const member& s : spec)
      if (s.required && !j.contains(s.name)) fail(ptr, "missing required member '" + std::string(s.name) + "' of " + what);
  }

  void check_type(const json& v, const std::string& at, kind type) const {
    auto expect = [&](bool ok, const char* expected) {
      if (!ok) fail(at, std::string("expected ") + expected + ", found " + v.type_name());
    };
    switch (type) {
      case kind::string: expect(v.is_string(), "a string"); break;
      case kind::text_list:
        if (v.is_array()) {
          for (std::size_t i = 0; i < v.size(); ++i)
            if (!v[i].is_string()) fail(at + "/" + std::to_string(i), std::string("expected a string, found ") + v[i].type_name());
        } else {
          expect(v.is_string() || v.is_null(), "a string or an array of strings");
        }
        break;
      case kind::link: expect(v.is_object() || v.is_null(), "a link object (title, identifier, uri)"); break;
      case kind::link_list: expect(v.is_array() || v.is_null(), "an array of link objects"); break;
      case kind::integer: expect(v.is_number_integer(), "an integer"); break;
      case kind::number: expect(v.is_number(), "a number"); break;
      case kind::extensions: expect(v.is_object() || v.is_array(), "an object"); break;
      case kind::date:
        expect(v.is_string() || v.is_null(), "a date string");
        break;
      case kind::list: expect(v.is_array(), "an array"); break;
      case kind::object: expect(v.is_object(), "an object"); break;
      case kind::boolean: expect(v.is_boolean(), "true or false"); break;
    }
  }

  static std::string text(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  }

  void identifier(const json& j, const std::string& ptr) const {
    const std::string id = text(j, "identifier");
    if (!detail::is_uuid(id))
      fail(ptr + "/identifier", "expected a UUID (8-4-4-4-12 hexadecimal digits), found \"" + id + "\"");
  }

  /// lastChangeDateTime: an ISO 8601 date, usually with a time.
  std::string date_time(const json& j, const std::string& ptr) const {
    const std::string value = text(j, "lastChangeDateTime");
    if (!is_iso_date(value.substr(0, 10)) || (value.size() > 10 && value[10] != 'T'))
      fail(ptr + "/lastChangeDateTime", "expected an ISO 8601 date-time such as 2026-01-31T00:00:00+00:00, found \"" +
                                            value + "\"");
    return value;
  }

 private:
  std::string source_;
};

constexpr std::array<member, 6> package_members{{
    {"CFDocument", kind::object, true},
    {"CFItems", kind::list, false},
    {"CFAssociations", kind::list, false},
    {"CFDefinitions", kind::object, false},
    {"CFRubrics", kind::list, false},
    {"extensions", kind::extensions, false},
}};

constexpr std::array<member, 21> document_members{{
    {"identifier", kind::string, true},       {"uri", kind::string, true},
    {"frameworkType", kind::string, false},   {"caseVersion", kind::string, false},
    {"creator", kind::string, true},          {"title", kind::string, true},
    {"lastChangeDateTime", kind::string, true}, {"officialSourceURL", kind::string, false},
    {"publisher", kind::string, false},       {"description", kind::string, false},
    {"subject", kind::text_list, false},      {"subjectURI", kind::link_list, false},
    {"language", kind::string, false},        {"version", kind::string, false},
    {"adoptionStatus", kind::string, false},  {"statusStartDate", kind::date, false},
    {"statusEndDate", kind::date, false},     {"licenseURI", kind::link, false},
    {"notes", kind::string, false},           {"extensions", kind::extensions, false},
    {"CFPackageURI", kind::link, false},
}};

constexpr std::array<member, 22> item_members{{
    {"identifier", kind::string, true},         {"fullStatement", kind::string, true},
    {"alternativeLabel", kind::string, false},  {"CFItemType", kind::string, false},
    {"uri", kind::string, true},                {"humanCodingScheme", kind::string, false},
    {"listEnumeration", kind::string, false},   {"abbreviatedStatement", kind::string, false},
    {"conceptKeywords", kind::text_list, false}, {"conceptKeywordsURI", kind::link, false},
    {"notes", kind::string, false},             {"subject", kind::text_list, false},
    {"subjectURI", kind::link_list, false},     {"language", kind::string, false},
    {"educationLevel", kind::text_list, false}, {"CFItemTypeURI", kind::link, false},
    {"licenseURI", kind::link, false},          {"statusStartDate", kind::date, false},
    {"statusEndDate", kind::date, false},       {"lastChangeDateTime", kind::string, true},
    {"extensions", kind::extensions, false},    {"CFDocumentURI", kind::link, false},
}};

constexpr std::array<member, 11> association_members{{
    {"identifier", kind::string, true},
    {"associationType", kind::string, true},
    {"sequenceNumber", kind::integer, false},
    {"uri", kind::string, true},
    {"originNodeURI", kind::object, true},
    {"destinationNodeURI", kind::object, true},
    {"CFAssociationGroupingURI", kind::link, false},
    {"lastChangeDateTime", kind::string, true},
    {"notes", kind::string, false},
    {"extensions", kind::extensions, false},
    {"CFDocumentURI", kind::link, false},
}};

constexpr std::array<member, 4> node_link_members{{
    {"title", kind::string, true},
    {"identifier", kind::string, true},
    {"uri", kind::string, true},
    {"targetType", kind::string, false},
}};

constexpr std::array<member, 3> link_members{{
    {"title", kind::string, true},
    {"identifier", kind::string, true},
    {"uri", kind::string, true},
}};

constexpr std::array<member, 6> definitions_members{{
    {"CFConcepts", kind::list, false},
    {"CFSubjects", kind::list, false},
    {"CFLicenses", kind::list, false},
    {"CFItemTypes", kind::list, false},
    {"CFAssociationGroupings", kind::list, false},
    {"extensions", kind::extensions, false},
}};

constexpr std::array<member, 7> rubric_members{{
    {"identifier", kind::string, true},
    {"uri", kind::string, true},
    {"title", kind::string, false},
    {"description", kind::string, false},
    {"lastChangeDateTime", kind::string, true},
    {"CFRubricCriteria", kind::list, false},
    {"extensions", kind::extensions, false},
}};

constexpr std::array<member, 11> criterion_members{{
    {"identifier", kind::string, true},
    {"uri", kind::string, true},
    {"category", kind::string, false},
    {"description", kind::string, false},
    {"CFItemURI", kind::object, false},
    {"weight", kind::number, false},
    {"position", kind::integer, false},
    {"rubricId", kind::string, false},
    {"lastChangeDateTime", kind::string, true},
    {"CFRubricCriterionLevels", kind::list, false},
    {"extensions", kind::extensions, false},
}};

constexpr std::array<member, 10> level_members{{
    {"identifier", kind::string, true},
    {"uri", kind::string, true},
    {"description", kind::string, false},
    {"quality", kind::string, false},
    {"score", kind::number, false},
    {"feedback", kind::string, false},
    {"position", kind::integer, false},
    {"rubricCriterionId", kind::string, false},
    {"lastChangeDateTime", kind::string, true},
    {"extensions", kind::extensions, false},
}};

// calibra's extension members.
constexpr std::array<member, 6> document_extension_members{{
    {"format", kind::string, true},
    {"id", kind::string, true},
    {"owners", kind::list, false},
    {"scale", kind::list, true},
    {"archetypes", kind::list, false},
    {"trait_words", kind::list, false},
}};
constexpr std::array<member, 5> scale_level_members{{
    {"id", kind::string, true},
    {"label", kind::string, true},
    {"description", kind::string, false},
    {"scope", kind::string, false},  // left out by a scale without scope and autonomy
    {"autonomy", kind::string, false},
}};
constexpr std::array<member, 5> archetype_members{{
    {"id", kind::string, true},
    {"name", kind::string, true},
    {"description", kind::string, false},
    {"strong", kind::list, false},
    {"growth", kind::list, false},
}};
constexpr std::array<member, 4> competency_extension_members{{
    {"position", kind::object, false},
    {"people_leadership", kind::boolean, false},
    {"interview_format", kind::string, false},
    {"actions", kind::list, false},
}};
constexpr std::array<member, 2> career_level_extension_members{{
    {"track", kind::string, true},
    {"rank", kind::integer, true},
}};
constexpr std::array<member, 2> position_members{{
    {"focus", kind::number, true},
    {"orientation", kind::number, true},
}};
constexpr std::array<member, 0> no_members{};

// ============================================================================
// The package as read, before it becomes a framework
// ============================================================================

struct item_in {
  std::string pointer;
  std::string identifier;  // lowercase
  std::string type, code, full, abbreviated, alternative, notes;
  const json* calibra = nullptr;  // extensions.calibra, when the package is calibra's
};

struct level_in {
  std::string pointer;
  std::string identifier;
  std::optional<std::string> quality;
  std::optional<double> score;
  std::optional<std::int64_t> position;
  std::string description;
};

struct criterion_in {
  std::string pointer;
  std::string category, description;
  std::optional<std::string> item;  // CFItemURI identifier, lowercase
  std::vector<level_in> levels;     // in scale order once sorted
};

struct association_in {
  std::string pointer;
  std::string type;
  std::string origin, destination;  // identifiers, lowercase
};

enum class node_kind { document, item, association, rubric, criterion, level };

struct node_ref {
  node_kind kind;
  std::size_t index = 0;  // items: into items; levels: criterion index
  std::size_t sub = 0;    // levels: index into the criterion's levels (array order until sorted)
  std::string pointer;
};

std::string lowercase(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

/// A lowercase-kebab id from a label: "Product Vision & Roadmapping" ->
/// "product-vision-roadmapping".
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if (alnum) out += c;
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

class importer {
 public:
  importer(const json& doc, const std::string& source) : doc_(doc), r_(source) {}

  case_import_result run() {
    read_package();
    calibra_ = document_extension_ != nullptr;
    if (calibra_) read_document_extension();
    if (!calibra_) note("The package carries no calibra extensions, so it was read as a plain CASE package.");
    sort_criterion_levels();
    find_competencies();
    build_scale();
    build_groupings();
    build_competencies();
    build_ladder();
    build_expectations();
    return finish();
  }

 private:
  // ---- reading the package -----------------------------------------------

  void note(std::string text) { notes_.push_back(std::move(text)); }

  void register_identifier(const std::string& identifier, node_ref ref) {
    const auto [it, inserted] = nodes_.emplace(identifier, ref);
    if (!inserted)
      r_.fail(ref.pointer + "/identifier",
              "duplicate identifier '" + identifier + "' (first used at " + it->second.pointer + ")");
  }

  std::string node_link(const json& owner, const char* key, const std::string& ptr) const {
    const std::string at = ptr + "/" + key;
    const json& link = owner.at(key);
    r_.members(link, at, node_link_members, "a node link");
    return lowercase(link.at("identifier").get<std::string>());
  }

  void read_package() {
    if (doc_.is_object() && doc_.contains("format") && doc_.at("format").is_string() &&
        doc_.at("format").get<std::string>().rfind("calibra-framework/", 0) == 0)
      r_.fail("/format", "this is a calibra framework file, not a CASE package; calibra reads it directly");
    r_.members(doc_, "", package_members, "a CFPackage");

    const json& d = doc_.at("CFDocument");
    r_.members(d, "/CFDocument", document_members, "the CFDocument");
    r_.identifier(d, "/CFDocument");
    document_id_ = lowercase(d.at("identifier").get<std::string>());
    register_identifier(document_id_, {node_kind::document, 0, 0, "/CFDocument"});
    last_change_ = r_.date_time(d, "/CFDocument");
    if (const auto ext = d.find("extensions"); ext != d.end() && ext->is_object())
      if (const auto cal = ext->find("calibra"); cal != ext->end()) document_extension_ = &*cal;

    if (doc_.contains("CFDefinitions")) r_.members(doc_.at("CFDefinitions"), "/CFDefinitions", definitions_members, "CFDefinitions");

    if (doc_.contains("CFItems")) {
      const json& list = doc_.at("CFItems");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = "/CFItems/" + std::to_string(i);
        const json& j = list[i];
        r_.members(j, at, item_members, "a CFItem");
        r_.identifier(j, at);
        r_.date_time(j, at);
        item_in item;
        item.pointer = at;
        item.identifier = lowercase(j.at("identifier").get<std::string>());
        item.type = reader::text(j, "CFItemType");
        item.code = reader::text(j, "humanCodingScheme");
        item.full = reader::text(j, "fullStatement");
        item.abbreviated = reader::text(j, "abbreviatedStatement");
        item.alternative = reader::text(j, "alternativeLabel");
        item.notes = reader::text(j, "notes");
        if (const auto ext = j.find("extensions"); ext != j.end() && ext->is_object())
          if (const auto cal = ext->find("calibra"); cal != ext->end()) item.calibra = &*cal;
        register_identifier(item.identifier, {node_kind::item, items_.size(), 0, at});
        items_.push_back(std::move(item));
      }
    }

    if (doc_.contains("CFRubrics")) {
      const json& rubrics = doc_.at("CFRubrics");
      for (std::size_t r = 0; r < rubrics.size(); ++r) {
        const std::string at = "/CFRubrics/" + std::to_string(r);
        r_.members(rubrics[r], at, rubric_members, "a CFRubric");
        r_.identifier(rubrics[r], at);
        r_.date_time(rubrics[r], at);
        register_identifier(lowercase(rubrics[r].at("identifier").get<std::string>()), {node_kind::rubric, r, 0, at});
        if (!rubrics[r].contains("CFRubricCriteria")) continue;
        const json& criteria = rubrics[r].at("CFRubricCriteria");
        for (std::size_t c = 0; c < criteria.size(); ++c) read_criterion(criteria[c], at + "/CFRubricCriteria/" + std::to_string(c));
      }
    }

    if (doc_.contains("CFAssociations")) {
      const json& list = doc_.at("CFAssociations");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = "/CFAssociations/" + std::to_string(i);
        const json& j = list[i];
        r_.members(j, at, association_members, "a CFAssociation");
        r_.identifier(j, at);
        r_.date_time(j, at);
        association_in a;
        a.pointer = at;
        a.type = j.at("associationType").get<std::string>();
        static const std::array<const char*, 10> types{"isChildOf",  "isPeerOf",   "isPartOf", "exactMatchOf",
                                                       "precedes",   "isRelatedTo", "replacedBy", "exemplar",
                                                       "hasSkillLevel", "isTranslationOf"};
        const bool known = std::find_if(types.begin(), types.end(), [&](const char* t) { return a.type == t; }) != types.end();
        if (!known && a.type.rfind("ext:", 0) != 0)
          r_.fail(at + "/associationType", "unknown association type '" + a.type +
                                               "'; CASE defines isChildOf, isPeerOf, isPartOf, exactMatchOf, precedes, "
                                               "isRelatedTo, replacedBy, exemplar, hasSkillLevel, isTranslationOf, "
                                               "and 'ext:' names for extensions");
        a.origin = node_link(j, "originNodeURI", at);
        a.destination = node_link(j, "destinationNodeURI", at);
        if (j.contains("CFAssociationGroupingURI") && j.at("CFAssociationGroupingURI").is_object())
          r_.members(j.at("CFAssociationGroupingURI"), at + "/CFAssociationGroupingURI", link_members, "a link");
        register_identifier(lowercase(j.at("identifier").get<std::string>()), {node_kind::association, i, 0, at});
        associations_.push_back(std::move(a));
      }
    }

    // Associations are checked once every node is known.  Their origin is
    // always inside the package; the destination may be another framework's
    // node, except for the association types calibra reads.
    for (const auto& a : associations_) {
      if (!nodes_.count(a.origin))
        r_.fail(a.pointer + "/originNodeURI/identifier",
                "dangling association: no node of this package has the identifier '" + a.origin + "'");
      const bool read_by_calibra = a.type == "isChildOf" || a.type == "precedes" || a.type == "hasSkillLevel";
      if (read_by_calibra && !nodes_.count(a.destination))
        r_.fail(a.pointer + "/destinationNodeURI/identifier",
                "dangling association: no node of this package has the identifier '" + a.destination + "'");
    }
    for (const auto& c : criteria_)
      if (c.item && (!nodes_.count(*c.item) || nodes_.at(*c.item).kind != node_kind::item))
        r_.fail(c.pointer + "/CFItemURI/identifier", "the criterion refers to '" + *c.item + "', which is not a CFItem of this package");
  }

  void read_criterion(const json& j, const std::string& at) {
    r_.members(j, at, criterion_members, "a CFRubricCriterion");
    r_.identifier(j, at);
    r_.date_time(j, at);
    criterion_in c;
    c.pointer = at;
    c.category = reader::text(j, "category");
    c.description = reader::text(j, "description");
    if (j.contains("CFItemURI")) {
      r_.members(j.at("CFItemURI"), at + "/CFItemURI", link_members, "a link");
      c.item = lowercase(j.at("CFItemURI").at("identifier").get<std::string>());
    }
    const std::size_t index = criteria_.size();
    register_identifier(lowercase(j.at("identifier").get<std::string>()), {node_kind::criterion, index, 0, at});
    if (j.contains("CFRubricCriterionLevels")) {
      const json& levels = j.at("CFRubricCriterionLevels");
      for (std::size_t l = 0; l < levels.size(); ++l) {
        const std::string lat = at + "/CFRubricCriterionLevels/" + std::to_string(l);
        const json& lj = levels[l];
        r_.members(lj, lat, level_members, "a CFRubricCriterionLevel");
        r_.identifier(lj, lat);
        r_.date_time(lj, lat);
        level_in level;
        level.pointer = lat;
        level.identifier = lowercase(lj.at("identifier").get<std::string>());
        if (lj.contains("quality")) level.quality = lj.at("quality").get<std::string>();
        if (lj.contains("score")) level.score = lj.at("score").get<double>();
        if (lj.contains("position")) level.position = lj.at("position").get<std::int64_t>();
        level.description = reader::text(lj, "description");
        register_identifier(level.identifier, {node_kind::level, index, c.levels.size(), lat});
        c.levels.push_back(std::move(level));
      }
    }
    criteria_.push_back(std::move(c));
  }

  void read_document_extension() {
    const std::string at = "/CFDocument/extensions/calibra";
    const json& e = *document_extension_;
    r_.members(e, at, document_extension_members, "calibra's document extension");
    const std::string format = e.at("format").get<std::string>();
    if (format != case_extension_format)
      r_.fail(at + "/format", "expected \"" + std::string(case_extension_format) + "\", found \"" + format +
                                  "\" (a package from a newer calibra?)");
    metadata_.id = e.at("id").get<std::string>();
    metadata_.owners = strings(e, "owners", at);
    scale_pointer_ = at + "/scale";
    const json& s = e.at("scale");
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string lat = scale_pointer_ + "/" + std::to_string(i);
      r_.members(s[i], lat, scale_level_members, "a scale level");
      proficiency_level level;
      level.id = s[i].at("id").get<std::string>();
      level.label = s[i].at("label").get<std::string>();
      level.description = reader::text(s[i], "description");
      if (s[i].contains("scope")) {
        const auto scope = parse_scope(s[i].at("scope").get<std::string>());
        if (!scope)
          r_.fail(lat + "/scope", "expected one of task, feature, product-area, multiple-areas, organisation, company");
        level.scope = *scope;
      }
      if (s[i].contains("autonomy")) {
        const auto autonomy = parse_autonomy(s[i].at("autonomy").get<std::string>());
        if (!autonomy) r_.fail(lat + "/autonomy", "expected one of guided, independent, leads-others, sets-direction");
        level.autonomy = *autonomy;
      }
      levels_.push_back(std::move(level));
    }
    archetypes_pointer_ = at + "/archetypes";
    if (e.contains("archetypes")) {
      const json& list = e.at("archetypes");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string aat = archetypes_pointer_ + "/" + std::to_string(i);
        r_.members(list[i], aat, archetype_members, "an archetype");
        archetypes_.push_back({list[i].at("id").get<std::string>(), list[i].at("name").get<std::string>(),
                               reader::text(list[i], "description"), strings(list[i], "strong", aat),
                               strings(list[i], "growth", aat)});
      }
    }
    checks_.trait_words = strings(e, "trait_words", at);
  }

  std::vector<std::string> strings(const json& j, const char* key, const std::string& ptr) const {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    const json& list = j.at(key);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string())
        r_.fail(ptr + "/" + key + "/" + std::to_string(i), std::string("expected a string, found ") + list[i].type_name());
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }

  // ---- rubric levels -------------------------------------------------------

  /// Puts each criterion's levels in scale order: by score when every level
  /// has one, else by position when every level has one, else as listed.
  void sort_criterion_levels() {
    for (std::size_t c = 0; c < criteria_.size(); ++c) {
      auto& levels = criteria_[c].levels;
      const bool by_score = std::all_of(levels.begin(), levels.end(), [](const level_in& l) { return l.score.has_value(); });
      const bool by_position =
          std::all_of(levels.begin(), levels.end(), [](const level_in& l) { return l.position.has_value(); });
      auto key = [&](const level_in& l) { return by_score ? *l.score : by_position ? static_cast<double>(*l.position) : 0.0; };
      if (by_score || by_position) {
        std::stable_sort(levels.begin(), levels.end(), [&](const level_in& a, const level_in& b) { return key(a) < key(b); });
        for (std::size_t l = 1; l < levels.size(); ++l)
          if (key(levels[l]) == key(levels[l - 1]))
            r_.fail(levels[l].pointer + (by_score ? "/score" : "/position"),
                    "two levels of one criterion share this " + std::string(by_score ? "score" : "position") +
                        " (also " + levels[l - 1].pointer + "), so their order on the scale is unknown");
      }
      for (std::size_t l = 0; l < levels.size(); ++l) {
        auto& ref = nodes_.at(levels[l].identifier);
        ref.sub = l;
      }
    }
  }

  // ---- competencies --------------------------------------------------------

  void find_competencies() {
    std::vector<std::optional<std::size_t>> criterion_of(items_.size());
    for (std::size_t c = 0; c < criteria_.size(); ++c) {
      const auto& k = criteria_[c];
      if (!k.item)
        r_.fail(k.pointer, "the criterion names no CFItemURI; calibra needs every criterion tied to the competency (CFItem) it scores");
      const std::size_t item = nodes_.at(*k.item).index;
      if (criterion_of[item])
        r_.fail(k.pointer + "/CFItemURI", "a second criterion for the CFItem at " + items_[item].pointer + " (the first is " +
                                              criteria_[*criterion_of[item]].pointer + "); calibra keeps one set of anchors per competency");
      criterion_of[item] = c;
    }
    competency_flag_.assign(items_.size(), false);
    for (std::size_t i = 0; i < items_.size(); ++i)
      if (criterion_of[i] || items_[i].type == type_competency) {
        competency_items_.push_back(i);
        competency_criterion_.push_back(criterion_of[i]);
        competency_flag_[i] = true;
      }
    for (std::size_t a = 0; a < associations_.size(); ++a)
      if (associations_[a].type == "isChildOf") parents_[associations_[a].origin].push_back(a);
    if (competency_items_.empty())
      r_.fail("/CFItems", "no competencies: calibra reads as competencies the CFItems a rubric criterion refers to (CFItemURI) "
                          "and the CFItems of type \"Competency\", and this package has neither");
  }

  void build_scale() {
    if (calibra_) {
      check_scale_size(scale_pointer_);
      for (std::size_t c = 0; c < criteria_.size(); ++c) {
        const auto& k = criteria_[c];
        if (k.levels.size() != levels_.size())
          r_.fail(k.pointer + "/CFRubricCriterionLevels", "expected one level per scale level (" + std::to_string(levels_.size()) +
                                                              "), found " + std::to_string(k.levels.size()));
        for (std::size_t l = 0; l < k.levels.size(); ++l) {
          const auto& level = k.levels[l];
          if (level.quality != levels_[l].label)
            r_.fail(level.pointer + "/quality", "expected the label of scale level " + std::to_string(l + 1) + ", \"" +
                                                    levels_[l].label + "\"");
          if (level.score && *level.score != static_cast<double>(l + 1))
            r_.fail(level.pointer + "/score", "expected the ordinal " + std::to_string(l + 1) + " of scale level \"" +
                                                  levels_[l].label + "\"");
        }
      }
      return;
    }
    // A plain package: the first criterion with levels defines the scale,
    // and every other criterion must use the same labels in the same order.
    const criterion_in* model = nullptr;
    for (const auto& k : criteria_)
      if (!k.levels.empty()) {
        model = &k;
        break;
      }
    if (!model)
      r_.fail(doc_.contains("CFRubrics") ? "/CFRubrics" : "",
              "no rubric criterion levels: calibra builds the proficiency scale from the levels of the rubric criteria, "
              "and this package has none");
    scale_pointer_ = model->pointer + "/CFRubricCriterionLevels";
    std::set<std::string> ids;
    for (std::size_t l = 0; l < model->levels.size(); ++l) {
      const auto& level = model->levels[l];
      if (!level.quality || level.quality->empty())
        r_.fail(level.pointer, "the level has no quality label; calibra names the scale levels after them");
      proficiency_level p;
      p.label = *level.quality;
      p.id = slug(p.label);
      if (p.id.empty()) p.id = "level-" + std::to_string(l + 1);
      if (!ids.insert(p.id).second)
        r_.fail(level.pointer + "/quality", "two levels give the same level id '" + p.id + "'; the labels must differ");
      levels_.push_back(std::move(p));
    }
    check_scale_size(scale_pointer_);
    // Scope and autonomy are unknown in a plain package: spread them along
    // the scale the way calibra's own scales run (task/guided at the bottom).
    const std::size_t n = levels_.size();
    for (std::size_t l = 0; l < n; ++l) {
      levels_[l].scope = detail::scope_names[std::min<std::size_t>(l, detail::scope_names.size() - 1)].first;
      if (l == 0) levels_[l].autonomy = autonomy::guided;
      else if (l + 1 == n) levels_[l].autonomy = n >= 5 ? autonomy::sets_direction : autonomy::leads_others;
      else if (l + 2 == n && n >= 5) levels_[l].autonomy = autonomy::leads_others;
      else levels_[l].autonomy = autonomy::independent;
    }
    note("The proficiency scale (" + std::to_string(n) + " levels) comes from the rubric levels at " + scale_pointer_ +
         "; level ids were made from their labels, and scope and autonomy were assigned by position on the scale; "
         "review them.");
    for (const auto& k : criteria_) {
      if (k.levels.size() != n)
        r_.fail(k.pointer + "/CFRubricCriterionLevels", "expected " + std::to_string(n) + " levels like " + model->pointer +
                                                            ", found " + std::to_string(k.levels.size()) +
                                                            "; calibra needs one scale shared by every competency");
      for (std::size_t l = 0; l < n; ++l)
        if (k.levels[l].quality != levels_[l].label)
          r_.fail(k.levels[l].pointer + "/quality", "expected \"" + levels_[l].label + "\" like level " + std::to_string(l + 1) +
                                                        " of " + model->pointer +
                                                        "; calibra needs one scale shared by every competency");
    }
  }

  void check_scale_size(const std::string& at) const {
    const auto n = levels_.size();
    if (n < proficiency_scale::min_levels || n > proficiency_scale::max_levels)
      r_.fail(at, "calibra needs a scale of 3 to 7 levels, this one has " + std::to_string(n));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (levels_[i].id == levels_[j].id)
          r_.fail(at + "/" + std::to_string(i) + "/id", "duplicate level id '" + levels_[i].id + "'");
  }

  // ---- areas and quadrants -------------------------------------------------

  bool is_competency(std::size_t item) const { return competency_flag_[item]; }

  std::string name_of(const item_in& item) const { return item.abbreviated.empty() ? item.full : item.abbreviated; }

  std::string id_of(const item_in& item, const char* fallback, std::size_t n) {
    if (!item.code.empty()) return item.code;
    std::string id = slug(name_of(item));
    if (id.empty()) id = std::string(fallback) + "-" + std::to_string(n + 1);
    derived_ids_ = true;
    return id;
  }

  void build_groupings() {
    // Quadrant items by their code.
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (items_[i].type != type_quadrant || is_competency(i)) continue;
      const auto q = parse_quadrant(items_[i].code);
      if (!q)
        r_.fail(items_[i].pointer + "/humanCodingScheme",
                "a Quadrant item needs one of tactical-internal, tactical-external, strategic-internal, strategic-external");
      quadrant_of_item_[i] = *q;
    }
    // Areas: the items of type Area, and in a plain package any other item a
    // competency is a child of.
    std::vector<bool> parent(items_.size(), false);
    for (const auto& a : associations_) {
      if (a.type != "isChildOf") continue;
      const auto& o = nodes_.at(a.origin);
      const auto& d = nodes_.at(a.destination);
      if (o.kind == node_kind::item && d.kind == node_kind::item && is_competency(o.index)) parent[d.index] = true;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const auto& item = items_[i];
      if (is_competency(i) || quadrant_of_item_.count(i) || item.type == type_career_level) continue;
      const bool area = item.type == type_area || (!calibra_ && parent[i]);
      if (!area) {
        ++unused_items_;
        continue;
      }
      if (calibra_ && item.calibra) r_.members(*item.calibra, item.pointer + "/extensions/calibra", no_members, "an Area's extension");
      calibra::area a{id_of(item, "area", areas_.size()), name_of(item), item.notes};
      if (!ids.insert(a.id).second)
        r_.fail(item.pointer + (item.code.empty() ? "" : "/humanCodingScheme"), "duplicate area id '" + a.id + "'");
      area_of_item_[i] = areas_.size();
      area_pointers_.push_back(item.pointer);
      areas_.push_back(std::move(a));
    }
  }

  void build_competencies() {
    std::set<std::string> ids;
    std::size_t without_quadrant = 0, several_parents = 0;
    for (std::size_t k = 0; k < competency_items_.size(); ++k) {
      const std::size_t i = competency_items_[k];
      const item_in& item = items_[i];
      const criterion_in* criterion = competency_criterion_[k] ? &criteria_[*competency_criterion_[k]] : nullptr;
      competency c;
      c.name = item.abbreviated;
      if (c.name.empty() && criterion) c.name = criterion->category;
      if (c.name.empty()) c.name = item.alternative;
      if (c.name.empty()) c.name = item.full;
      if (c.name.empty())
        r_.fail(item.pointer, "the competency has no name: abbreviatedStatement, the criterion's category, "
                              "alternativeLabel and fullStatement are all empty");
      c.definition = item.full;
      if (!item.code.empty()) {
        c.id = item.code;
      } else {
        c.id = slug(c.name);
        if (c.id.empty()) c.id = "competency-" + std::to_string(k + 1);
        derived_ids_ = true;
      }
      if (!ids.insert(c.id).second)
        r_.fail(item.pointer + (item.code.empty() ? "" : "/humanCodingScheme"), "duplicate competency id '" + c.id + "'");

      std::optional<quadrant> q;
      std::string quadrant_from;
      static const std::vector<std::size_t> no_parents;
      const auto parents = parents_.find(item.identifier);
      for (std::size_t p : parents == parents_.end() ? no_parents : parents->second) {
        const auto& a = associations_[p];
        const auto& d = nodes_.at(a.destination);
        if (d.kind != node_kind::item) continue;
        if (const auto qi = quadrant_of_item_.find(d.index); qi != quadrant_of_item_.end()) {
          if (q && *q != qi->second)
            r_.fail(a.pointer, "the competency is already a child of the " + to_string(*q) + " quadrant (" + quadrant_from +
                                   "); it can lie in one quadrant only");
          q = qi->second;
          quadrant_from = a.pointer;
        } else if (const auto ai = area_of_item_.find(d.index); ai != area_of_item_.end()) {
          if (!c.area) c.area = areas_[ai->second].id;
          else if (*c.area != areas_[ai->second].id) ++several_parents;
        }
      }
      if (q) {
        c.quadrant = *q;
      } else {
        c.quadrant = quadrant{};  // tactical-internal, as the note below says
        ++without_quadrant;
      }

      c.anchors.assign(levels_.size(), std::string());
      if (criterion)
        for (std::size_t l = 0; l < criterion->levels.size(); ++l) c.anchors[l] = criterion->levels[l].description;

      if (calibra_ && item.calibra) read_competency_extension(*item.calibra, item.pointer + "/extensions/calibra", c);
      competency_pointers_.push_back(item.pointer);
      competencies_.push_back(std::move(c));
    }
    if (calibra_ && without_quadrant > 0 && without_quadrant == competencies_.size()) {
      // A calibra package of a framework without quadrants: none to assume.
      for (competency& c : competencies_) c.quadrant.reset();
      without_quadrant = 0;
    }
    if (without_quadrant > 0)
      note(std::to_string(without_quadrant) + " of " + std::to_string(competencies_.size()) +
           " competencies are not the child of a Quadrant item, so they were put in the tactical-internal quadrant; "
           "set their quadrants.");
    if (several_parents > 0)
      note(std::to_string(several_parents) + " competencies are children of several groupings; each keeps the first as its area.");
    if (derived_ids_) note("Items without a humanCodingScheme got ids made from their names.");
    if (unused_items_ > 0)
      note(std::to_string(unused_items_) + " CFItems are neither competencies, areas, quadrants nor career levels and were left out.");
  }

  void read_competency_extension(const json& e, const std::string& at, competency& c) const {
    r_.members(e, at, competency_extension_members, "a Competency's extension");
    if (e.contains("position")) {
      const json& p = e.at("position");
      r_.members(p, at + "/position", position_members, "a grid position");
      c.position = grid_position{p.at("focus").get<double>(), p.at("orientation").get<double>()};
      const auto q = quadrant_of(*c.position);
      if (!q) r_.fail(at + "/position", "both coordinates must be non-zero and within [-1, 1]");
      if (*q != c.quadrant)
        r_.fail(at + "/position", "the position lies in " + to_string(*q) + " but the competency is a child of the " +
                                      to_string(c.quadrant.value_or(quadrant{})) + " Quadrant item");
    }
    if (e.contains("people_leadership")) c.people_leadership = e.at("people_leadership").get<bool>();
    c.interview_format = reader::text(e, "interview_format");
    c.actions = strings(e, "actions", at);
  }

  // ---- career ladder -------------------------------------------------------

  void build_ladder() {
    std::set<std::string> ids;
    std::vector<bool> ranked;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      const item_in& item = items_[i];
      if (item.type != type_career_level || is_competency(i)) continue;
      career_level level;
      level.id = id_of(item, "career-level", career_levels_.size());
      level.name = name_of(item);
      if (!ids.insert(level.id).second)
        r_.fail(item.pointer + (item.code.empty() ? "" : "/humanCodingScheme"), "duplicate career level id '" + level.id + "'");
      bool has_rank = false;
      if (calibra_ && item.calibra) {
        const std::string at = item.pointer + "/extensions/calibra";
        r_.members(*item.calibra, at, career_level_extension_members, "a CareerLevel's extension");
        const auto track = parse_track(item.calibra->at("track").get<std::string>());
        if (!track) r_.fail(at + "/track", "expected \"ic\" or \"manager\"");
        level.track = *track;
        const auto rank = item.calibra->at("rank").get<std::int64_t>();
        if (rank < 1 || rank > 1000) r_.fail(at + "/rank", "expected a rank from 1 to 1000");
        level.rank = static_cast<int>(rank);
        has_rank = true;
      }
      career_level_of_item_[i] = career_levels_.size();
      career_level_pointers_.push_back(item.pointer);
      career_levels_.push_back(std::move(level));
      ranked.push_back(has_rank);
    }
    // A calibra package without CareerLevel items is a framework without
    // career levels (ratings-only); a foreign one gets a placeholder ladder.
    if (career_levels_.empty() && !calibra_) {
      career_levels_.push_back({"imported", "Imported role", track::ic, 1});
      career_level_pointers_.push_back("/CFItems");
      ranked.push_back(true);
      synthetic_ladder_ = true;
      note("The package has no CareerLevel items; calibra added one career level, 'imported', that expects the lowest "
           "level of every competency, so the framework is complete. Add the real career levels and expectations.");
      return;
    }
    for (const auto& a : associations_) {
      if (a.type != "precedes") continue;
      const auto from = career_level_item(a.origin), to = career_level_item(a.destination);
      if (!from || !to) continue;  // a learning progression between other items
      step_pointers_.push_back(a.pointer);
      steps_.emplace_back(career_levels_[*from].id, career_levels_[*to].id);
      step_indices_.emplace_back(*from, *to);
    }
    // Topological order (Kahn).  A cycle is reported here, naming its career
    // levels, rather than as a confusing rank error further on.
    const std::size_t n = career_levels_.size();
    std::vector<int> rank(n, 1);
    std::vector<std::size_t> incoming(n, 0), outgoing(n, 0);
    std::vector<std::vector<std::size_t>> next(n), previous(n);
    for (const auto& [from, to] : step_indices_) {
      ++incoming[to];
      ++outgoing[from];
      next[from].push_back(to);
      previous[to].push_back(from);
    }
    std::vector<bool> done(n, false);
    std::vector<std::size_t> ready;
    for (std::size_t l = 0; l < n; ++l)
      if (incoming[l] == 0) ready.push_back(l);
    while (!ready.empty()) {
      const std::size_t l = ready.back();
      ready.pop_back();
      done[l] = true;
      for (std::size_t to : next[l]) {
        // Without calibra's rank, a career level ranks one above the longest
        // chain of promotions leading to it.
        rank[to] = std::max(rank[to], rank[l] + 1);
        if (--incoming[to] == 0) ready.push_back(to);
      }
    }
    if (std::find(done.begin(), done.end(), false) != done.end()) {
      // Peel off, from the other end, the levels that only follow a cycle.
      for (std::size_t l = 0; l < n; ++l)
        if (!done[l]) {
          outgoing[l] = 0;
          for (std::size_t to : next[l]) outgoing[l] += done[to] ? 0 : 1;
          if (outgoing[l] == 0) ready.push_back(l);
        }
      while (!ready.empty()) {
        const std::size_t l = ready.back();
        ready.pop_back();
        done[l] = true;
        for (std::size_t from : previous[l])
          if (!done[from] && --outgoing[from] == 0) ready.push_back(from);
      }
      std::string members;
      for (std::size_t l = 0; l < n; ++l)
        if (!done[l]) members += (members.empty() ? "" : ", ") + career_levels_[l].id;
      for (std::size_t k = 0; k < step_indices_.size(); ++k)
        if (!done[step_indices_[k].first] && !done[step_indices_[k].second])
          r_.fail(step_pointers_[k], "the precedes associations between career levels form a cycle through " + members);
    }
    if (!std::all_of(ranked.begin(), ranked.end(), [](bool b) { return b; })) {
      for (std::size_t l = 0; l < career_levels_.size(); ++l)
        if (!ranked[l]) career_levels_[l].rank = std::min(rank[l], 1000);
      note("Career levels without calibra's track and rank extension were put on the IC track and ranked by their "
           "place along the precedes associations.");
    }
  }

  std::optional<std::size_t> career_level_item(const std::string& identifier) const {
    const auto& n = nodes_.at(identifier);
    if (n.kind != node_kind::item) return std::nullopt;
    const auto it = career_level_of_item_.find(n.index);
    if (it == career_level_of_item_.end()) return std::nullopt;
    return it->second;
  }

  void build_expectations() {
    const auto rows = static_cast<Eigen::Index>(career_levels_.size());
    const auto cols = static_cast<Eigen::Index>(competencies_.size());
    if (synthetic_ladder_) {
      expectations_ = expectation_matrix::Ones(rows, cols);
      return;
    }
    std::map<std::size_t, std::size_t> competency_of_criterion;
    for (std::size_t k = 0; k < competency_criterion_.size(); ++k)
      if (competency_criterion_[k]) competency_of_criterion[*competency_criterion_[k]] = k;
    std::map<std::pair<std::size_t, std::size_t>, std::string> seen;
    std::map<std::pair<std::size_t, std::size_t>, int> ordinals;
    for (const auto& a : associations_) {
      if (a.type != "hasSkillLevel") continue;
      const auto level = career_level_item(a.origin);
      if (!level) continue;  // another use of hasSkillLevel
      const auto& d = nodes_.at(a.destination);
      if (d.kind != node_kind::level)
        r_.fail(a.pointer + "/destinationNodeURI", "a career level's hasSkillLevel must point at a rubric criterion level");
      const std::size_t comp = competency_of_criterion.at(d.index);
      const auto [it, inserted] = seen.emplace(std::make_pair(*level, comp), a.pointer);
      if (!inserted)
        r_.fail(a.pointer, "a second expected level of competency '" + competencies_[comp].id + "' for career level '" +
                               career_levels_[*level].id + "' (the first is " + it->second + ")");
      ordinals[{*level, comp}] = static_cast<int>(d.sub + 1);
    }
    // Check completeness before allocating the matrix: its size is bounded
    // by the associations actually present, not by what a package claims.
    for (std::size_t l = 0; l < career_levels_.size(); ++l)
      for (std::size_t c = 0; c < competencies_.size(); ++c)
        if (!ordinals.count({l, c}))
          r_.fail(career_level_pointers_[l], "no hasSkillLevel association gives career level '" + career_levels_[l].id +
                                                 "' an expected level for competency '" + competencies_[c].id + "'");
    expectations_ = expectation_matrix::Zero(rows, cols);
    for (const auto& [cell, ordinal] : ordinals)
      expectations_(static_cast<Eigen::Index>(cell.first), static_cast<Eigen::Index>(cell.second)) = ordinal;
    expectation_pointers_ = std::move(seen);
  }

  // ---- the framework -------------------------------------------------------

  /// Maps a pointer into the calibra framework format (from the model's own
  /// validation) to the package element it came from.
  std::string package_pointer(const std::string& calibra_pointer) const {
    std::vector<std::string> segments;
    std::size_t start = 1;
    while (start <= calibra_pointer.size()) {
      const auto end = calibra_pointer.find('/', start);
      segments.push_back(calibra_pointer.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    auto index = [&](const std::vector<std::string>& pointers) -> std::optional<std::string> {
      if (segments.size() < 2) return std::nullopt;
      std::size_t i = 0;
      for (char ch : segments[1]) {
        if (ch < '0' || ch > '9' || i > pointers.size()) return std::nullopt;
        i = i * 10 + static_cast<std::size_t>(ch - '0');
      }
      if (segments[1].empty() || i >= pointers.size()) return std::nullopt;
      return pointers[i];
    };
    if (segments.empty()) return "";
    const std::string& head = segments[0];
    std::optional<std::string> found;
    if (head == "competencies") found = index(competency_pointers_);
    else if (head == "career_levels") found = index(career_level_pointers_);
    else if (head == "steps") found = index(step_pointers_);
    else if (head == "areas") found = index(area_pointers_);
    else if (head == "scale")  // calibra's extension has the shape of the format's scale
      return calibra_ ? scale_pointer_ + calibra_pointer.substr(std::string("/scale").size()) : scale_pointer_;
    else if (head == "archetypes") return archetypes_pointer_ + calibra_pointer.substr(std::string("/archetypes").size());
    else if (head == "expectations" && segments.size() >= 3) {
      const auto l = std::find_if(career_levels_.begin(), career_levels_.end(),
                                  [&](const career_level& c) { return c.id == segments[1]; });
      const auto c = std::find_if(competencies_.begin(), competencies_.end(),
                                  [&](const competency& k) { return k.id == segments[2]; });
      if (l != career_levels_.end() && c != competencies_.end()) {
        const auto it = expectation_pointers_.find({static_cast<std::size_t>(l - career_levels_.begin()),
                                                    static_cast<std::size_t>(c - competencies_.begin())});
        if (it != expectation_pointers_.end()) return it->second;
      }
    }
    if (found) return *found;
    if (head == "steps" || head == "expectations") return "/CFAssociations";
    return "/CFItems";
  }

  case_import_result finish() {
    framework_metadata meta = metadata_;
    const json& d = doc_.at("CFDocument");
    meta.name = reader::text(d, "title");
    meta.version = reader::text(d, "version");
    meta.description = reader::text(d, "description");
    meta.last_updated = last_change_.substr(0, 10);
    if (!calibra_) {
      meta.id = slug(meta.name);
      if (meta.id.empty()) meta.id = "case-" + document_id_;
      const std::string creator = reader::text(d, "creator");
      if (!creator.empty()) meta.owners = {creator};
    }
    try {
      career_ladder ladder(career_levels_, steps_);
      case_import_result result{framework(std::move(meta), proficiency_scale(levels_), areas_,
                                          competencies_, std::move(ladder), expectations_,
                                          std::move(archetypes_), std::move(checks_)),
                                calibra_, std::move(notes_)};
      return result;
    } catch (const validation_error& e) {
      // "[calibra.validation_error.framework] /pointer: message"
      std::string what = e.what();
      const auto close = what.find("] ");
      if (close != std::string::npos) what = what.substr(close + 2);
      const auto colon = what.find(": ");
      const std::string calibra_pointer = colon == std::string::npos ? "" : what.substr(0, colon);
      const std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
      r_.fail(package_pointer(calibra_pointer), message + " (calibra field " + calibra_pointer + ")");
    }
  }

  const json& doc_;
  reader r_;
  bool calibra_ = false;
  const json* document_extension_ = nullptr;
  std::string document_id_, last_change_;
  std::map<std::string, node_ref> nodes_;
  std::vector<item_in> items_;
  std::vector<criterion_in> criteria_;
  std::vector<association_in> associations_;

  framework_metadata metadata_;
  std::vector<proficiency_level> levels_;
  std::string scale_pointer_, archetypes_pointer_ = "/CFDocument/extensions/calibra/archetypes";
  std::vector<archetype> archetypes_;
  check_settings checks_;

  std::vector<std::size_t> competency_items_;
  std::vector<bool> competency_flag_;                           // per item
  std::map<std::string, std::vector<std::size_t>> parents_;     // isChildOf associations by origin
  std::vector<std::optional<std::size_t>> competency_criterion_;
  std::map<std::size_t, quadrant> quadrant_of_item_;
  std::map<std::size_t, std::size_t> area_of_item_, career_level_of_item_;
  std::vector<calibra::area> areas_;
  std::vector<competency> competencies_;
  std::vector<career_level> career_levels_;
  std::vector<std::pair<std::string, std::string>> steps_;
  std::vector<std::pair<std::size_t, std::size_t>> step_indices_;
  expectation_matrix expectations_;
  bool synthetic_ladder_ = false, derived_ids_ = false;
  std::size_t unused_items_ = 0;

  std::vector<std::string> competency_pointers_, career_level_pointers_, step_pointers_, area_pointers_;
  std::map<std::pair<std::size_t, std::size_t>, std::string> expectation_pointers_;
  std::vector<std::string> notes_;
};


}  // namespace

case_import_result parse_case(std::string_view json_text, const std::string& source_name) {
  const json doc = parse_json(json_text, source_name);
  return importer(doc, source_name).run();
}

case_import_result load_case(const std::string& path) {
  return parse_case(detail::read_file(path, max_case_file_bytes, "case"), path);
}

}  // namespace calibra
