// 1EdTech CASE packages: export of a framework as a CFPackage and import
// back.  docs/case.md lists where every calibra field lives in the package;
// keep it in step with this file.
#include <calibra/io/case.hpp>
#include <calibra/io/files.hpp>

#include "json_syntax.hpp"
#include "read_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace calibra {
namespace detail {
namespace {

// ---- SHA-1 (FIPS 180-4), only what UUID version 5 needs --------------------

class sha1 {
 public:
  void update(const unsigned char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      block_[block_used_++] = data[i];
      if (block_used_ == 64) {
        compress();
        block_used_ = 0;
      }
    }
    length_bits_ += std::uint64_t{size} * 8;
  }

  std::array<unsigned char, 20> finish() {
    const std::uint64_t length = length_bits_;
    const unsigned char one = 0x80;
    update(&one, 1);
    const unsigned char zero = 0;
    while (block_used_ != 56) update(&zero, 1);
    unsigned char tail[8];
    for (int i = 0; i < 8; ++i) tail[i] = static_cast<unsigned char>(length >> (56 - 8 * i));
    update(tail, 8);
    std::array<unsigned char, 20> digest{};
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t b = 0; b < 4; ++b) digest[4 * i + b] = static_cast<unsigned char>(state_[i] >> (24 - 8 * b));
    return digest;
  }

 private:
  static std::uint32_t rotl(std::uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

  void compress() {
    std::uint32_t w[80];
    for (std::size_t i = 0; i < 16; ++i)
      w[i] = (std::uint32_t{block_[4 * i]} << 24) | (std::uint32_t{block_[4 * i + 1]} << 16) |
             (std::uint32_t{block_[4 * i + 2]} << 8) | std::uint32_t{block_[4 * i + 3]};
    for (std::size_t i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
    for (std::size_t i = 0; i < 80; ++i) {
      std::uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
  }

  std::uint32_t state_[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  unsigned char block_[64] = {};
  std::size_t block_used_ = 0;
  std::uint64_t length_bits_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : hex_value(text[i]) < 0) return false;
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  if (!is_uuid(namespace_uuid))
    throw invalid_argument("case", "'" + std::string(namespace_uuid) + "' is not a UUID in 8-4-4-4-12 form");
  unsigned char ns[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    const int high = hex_value(namespace_uuid[i]);
    const int low = hex_value(namespace_uuid[++i]);
    ns[n++] = static_cast<unsigned char>(high * 16 + low);
  }
  sha1 hash;
  hash.update(ns, sizeof ns);
  hash.update(reinterpret_cast<const unsigned char*>(name.data()), name.size());
  auto digest = hash.finish();
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char* const digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace detail

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// Item types calibra writes in CFItemType, and reads back.
constexpr const char* type_area = "Area";
constexpr const char* type_quadrant = "Quadrant";
constexpr const char* type_competency = "Competency";
constexpr const char* type_career_level = "CareerLevel";

std::string quadrant_title(quadrant q) {
  return std::string(q.is_strategic() ? "Strategic" : "Tactical") + ", " +
         (q.orientation == orientation::external ? "external" : "internal");
}

bool is_iso_date(std::string_view d) {
  if (d.size() != 10) return false;
  for (std::size_t i = 0; i < d.size(); ++i)
    if ((i == 4 || i == 7) ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  return true;
}

std::string json_pointer_escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// ============================================================================
// Export
// ============================================================================

class exporter {
 public:
  exporter(const framework& fw, const case_export_options& options) : fw_(fw), options_(options) {
    const auto& date = fw.metadata().last_updated;
    if (!is_iso_date(date))
      throw invalid_argument("case", "framework '" + fw.metadata().id + "': last_updated \"" + date +
                                         "\" is not a date as YYYY-MM-DD, which CASE's lastChangeDateTime needs");
    changed_ = date + "T00:00:00+00:00";
  }

  std::string run() {
    assign_identifiers();
    ordered_json package;
    package["CFDocument"] = document();
    package["CFItems"] = items();
    package["CFAssociations"] = associations();
    package["CFDefinitions"] = definitions();
    package["CFRubrics"] = ordered_json::array({rubric()});
    try {
      return package.dump(2, ' ', false, ordered_json::error_handler_t::strict) + "\n";
    } catch (const ordered_json::type_error& e) {
      throw invalid_argument("case", "framework '" + fw_.metadata().id + "' holds text that is not valid UTF-8: " + e.what());
    }
  }

 private:
  struct node {
    std::string identifier;
    std::string title;
  };

  /// uuid5 of the framework id and the element's key parts.  A newline
  /// separates the parts: ids are single-line names, so distinct elements
  /// get distinct names.
  std::string identify(std::initializer_list<std::string_view> parts) {
    std::string name = fw_.metadata().id;
    for (auto p : parts) {
      name += '\n';
      name += p;
    }
    std::string id = detail::uuid_v5(case_uuid_namespace, name);
    if (!issued_.insert(id).second)
      throw invalid_argument("case", "framework '" + fw_.metadata().id +
                                         "': two elements map to the same CASE identifier (an id contains a line break?)");
    return id;
  }

  std::string uri(const std::string& identifier) const {
    return options_.base_uri.empty() ? "urn:uuid:" + identifier : options_.base_uri + identifier;
  }

  ordered_json link(const node& n) const {
    ordered_json l;
    l["title"] = n.title;
    l["identifier"] = n.identifier;
    l["uri"] = uri(n.identifier);
    return l;
  }

  void assign_identifiers() {
    const auto& m = fw_.metadata();
    document_ = {identify({"document"}), m.name};
    for (const char* type : {type_area, type_quadrant, type_competency, type_career_level})
      item_types_[type] = {identify({"item-type", type}), type};
    for (const auto& a : fw_.areas()) areas_.push_back({identify({"area", a.id}), a.name});
    for (quadrant q : all_quadrants()) quadrants_.push_back({identify({"quadrant", to_string(q)}), quadrant_title(q)});
    for (const auto& c : fw_.competencies()) {
      competencies_.push_back({identify({"competency", c.id}), c.name});
      criteria_.push_back({identify({"criterion", c.id}), c.name});
      std::vector<node> levels;
      for (const auto& l : fw_.scale().levels())
        levels.push_back({identify({"criterion-level", c.id, l.id}), c.name + ": " + l.label});
      criterion_levels_.push_back(std::move(levels));
    }
    for (const auto& l : fw_.ladder().levels()) career_levels_.push_back({identify({"career-level", l.id}), l.name});
    rubric_ = {identify({"rubric"}), m.name + ": behavioural anchors"};
  }

  ordered_json calibra_extension(ordered_json members) const {
    ordered_json ext;
    ext["calibra"] = std::move(members);
    return ext;
  }

  ordered_json document() const {
    const auto& m = fw_.metadata();
    ordered_json d;
    d["identifier"] = document_.identifier;
    d["uri"] = uri(document_.identifier);
    std::string creator;
    for (const auto& owner : m.owners) creator += (creator.empty() ? "" : "; ") + owner;
    d["creator"] = creator.empty() ? "calibra" : creator;
    d["title"] = m.name;
    d["lastChangeDateTime"] = changed_;
    if (!m.version.empty()) d["version"] = m.version;
    if (!m.description.empty()) d["description"] = m.description;
    if (options_.calibra_extensions) {
      ordered_json ext;
      ext["format"] = case_extension_format;
      ext["id"] = m.id;
      ext["owners"] = m.owners;
      ordered_json scale = ordered_json::array();
      for (const auto& l : fw_.scale().levels()) {
        ordered_json level;
        level["id"] = l.id;
        level["label"] = l.label;
        if (!l.description.empty()) level["description"] = l.description;
        level["scope"] = to_string(l.scope);
        level["autonomy"] = to_string(l.autonomy);
        scale.push_back(level);
      }
      ext["scale"] = scale;
      if (!fw_.archetypes().empty()) {
        ordered_json archetypes = ordered_json::array();
        for (const auto& a : fw_.archetypes()) {
          ordered_json arch;
          arch["id"] = a.id;
          arch["name"] = a.name;
          if (!a.description.empty()) arch["description"] = a.description;
          if (!a.strong.empty()) arch["strong"] = a.strong;
          if (!a.growth.empty()) arch["growth"] = a.growth;
          archetypes.push_back(arch);
        }
        ext["archetypes"] = archetypes;
      }
      d["extensions"] = calibra_extension(ext);
    }
    return d;
  }

  ordered_json item(const node& n, const char* type, const std::string& code) const {
    ordered_json i;
    i["identifier"] = n.identifier;
    i["uri"] = uri(n.identifier);
    i["CFItemType"] = type;
    i["CFItemTypeURI"] = link(item_types_.at(type));
    i["humanCodingScheme"] = code;
    return i;
  }

  ordered_json items() const {
    ordered_json list = ordered_json::array();
    for (std::size_t a = 0; a < fw_.areas().size(); ++a) {
      const auto& area = fw_.areas()[a];
      ordered_json i = item(areas_[a], type_area, area.id);
      i["fullStatement"] = area.name;
      if (!area.description.empty()) i["notes"] = area.description;
      i["lastChangeDateTime"] = changed_;
      list.push_back(i);
    }
    for (std::size_t q = 0; q < 4; ++q) {
      ordered_json i = item(quadrants_[q], type_quadrant, to_string(all_quadrants()[q]));
      i["fullStatement"] = quadrants_[q].title;
      i["lastChangeDateTime"] = changed_;
      list.push_back(i);
    }
    for (std::size_t c = 0; c < fw_.competencies().size(); ++c) {
      const auto& comp = fw_.competencies()[c];
      ordered_json i = item(competencies_[c], type_competency, comp.id);
      i["abbreviatedStatement"] = comp.name;
      i["fullStatement"] = comp.definition;
      i["lastChangeDateTime"] = changed_;
      ordered_json ext = ordered_json::object();
      if (comp.position) {
        ordered_json position;
        position["focus"] = comp.position->focus;
        position["orientation"] = comp.position->orientation;
        ext["position"] = position;
      }
      if (comp.people_leadership) ext["people_leadership"] = true;
      if (!comp.interview_format.empty()) ext["interview_format"] = comp.interview_format;
      if (!comp.actions.empty()) ext["actions"] = comp.actions;
      if (options_.calibra_extensions && !ext.empty()) i["extensions"] = calibra_extension(ext);
      list.push_back(i);
    }
    for (std::size_t l = 0; l < fw_.ladder().size(); ++l) {
      const auto& level = fw_.ladder().levels()[l];
      ordered_json i = item(career_levels_[l], type_career_level, level.id);
      i["fullStatement"] = level.name;
      i["lastChangeDateTime"] = changed_;
      if (options_.calibra_extensions) {
        ordered_json ext;
        ext["track"] = to_string(level.track);
        ext["rank"] = level.rank;
        i["extensions"] = calibra_extension(ext);
      }
      list.push_back(i);
    }
    return list;
  }

  ordered_json association(const char* type, const node& origin, const node& destination,
                           std::optional<int> sequence = std::nullopt) {
    ordered_json a;
    a["identifier"] = identify({"association", type, origin.identifier, destination.identifier});
    a["uri"] = uri(a["identifier"].get<std::string>());
    a["associationType"] = type;
    if (sequence) a["sequenceNumber"] = *sequence;
    a["originNodeURI"] = link(origin);
    a["destinationNodeURI"] = link(destination);
    a["lastChangeDateTime"] = changed_;
    return a;
  }

  ordered_json associations() {
    ordered_json list = ordered_json::array();
    // Children are numbered per parent, in calibra's order.
    std::map<std::string, int> children;
    auto child_of = [&](const node& child, const node& parent) {
      list.push_back(association("isChildOf", child, parent, ++children[parent.identifier]));
    };
    for (const auto& a : areas_) child_of(a, document_);
    for (const auto& q : quadrants_) child_of(q, document_);
    for (std::size_t c = 0; c < fw_.competencies().size(); ++c) {
      const auto& comp = fw_.competencies()[c];
      child_of(competencies_[c], comp.area ? areas_[*fw_.area_index(*comp.area)] : document_);
      child_of(competencies_[c], quadrants_[static_cast<std::size_t>(comp.quadrant.index())]);
    }
    for (const auto& s : fw_.ladder().steps())
      list.push_back(association("precedes", career_levels_[s.from], career_levels_[s.to]));
    for (std::size_t l = 0; l < fw_.ladder().size(); ++l)
      for (std::size_t c = 0; c < fw_.competencies().size(); ++c) {
        const int ordinal = fw_.expectations()(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(c));
        list.push_back(association("hasSkillLevel", career_levels_[l],
                                   criterion_levels_[c][static_cast<std::size_t>(ordinal - 1)]));
      }
    return list;
  }

  ordered_json definitions() const {
    static const std::map<std::string, const char*> descriptions{
        {type_area, "A named group of competencies, such as Product Execution."},
        {type_quadrant, "One cell of the four-quadrant model: tactical or strategic focus, internal or external orientation."},
        {type_competency, "What a product manager must be able to do; the rubric criterion of the same competency holds its behavioural anchors."},
        {type_career_level, "A rung of the career ladder; its hasSkillLevel associations give the minimum level expected per competency."},
    };
    ordered_json types = ordered_json::array();
    int code = 0;
    for (const char* type : {type_area, type_quadrant, type_competency, type_career_level}) {
      ++code;
      if (std::strcmp(type, type_area) == 0 && fw_.areas().empty()) continue;
      const node& n = item_types_.at(type);
      ordered_json t;
      t["identifier"] = n.identifier;
      t["uri"] = uri(n.identifier);
      t["title"] = type;
      t["description"] = descriptions.at(type);
      t["hierarchyCode"] = std::to_string(code);
      t["lastChangeDateTime"] = changed_;
      types.push_back(t);
    }
    ordered_json d;
    d["CFItemTypes"] = types;
    return d;
  }

  ordered_json rubric() const {
    ordered_json r;
    r["identifier"] = rubric_.identifier;
    r["uri"] = uri(rubric_.identifier);
    r["title"] = rubric_.title;
    r["description"] = "One criterion per competency; each criterion level holds the behavioural anchor of one "
                       "proficiency level, scored by its ordinal on the scale.";
    r["lastChangeDateTime"] = changed_;
    ordered_json criteria = ordered_json::array();
    for (std::size_t c = 0; c < fw_.competencies().size(); ++c) {
      const auto& comp = fw_.competencies()[c];
      ordered_json k;
      k["identifier"] = criteria_[c].identifier;
      k["uri"] = uri(criteria_[c].identifier);
      k["category"] = comp.name;
      if (!comp.definition.empty()) k["description"] = comp.definition;
      k["CFItemURI"] = link(competencies_[c]);
      k["position"] = c + 1;
      k["rubricId"] = rubric_.identifier;
      k["lastChangeDateTime"] = changed_;
      ordered_json levels = ordered_json::array();
      for (std::size_t l = 0; l < fw_.scale().size(); ++l) {
        const node& n = criterion_levels_[c][l];
        ordered_json level;
        level["identifier"] = n.identifier;
        level["uri"] = uri(n.identifier);
        level["quality"] = fw_.scale().levels()[l].label;
        level["score"] = l + 1;
        if (!comp.anchors[l].empty()) level["description"] = comp.anchors[l];
        level["position"] = l + 1;
        level["rubricCriterionId"] = criteria_[c].identifier;
        level["lastChangeDateTime"] = changed_;
        levels.push_back(level);
      }
      k["CFRubricCriterionLevels"] = levels;
      criteria.push_back(k);
    }
    r["CFRubricCriteria"] = criteria;
    return r;
  }

  const framework& fw_;
  const case_export_options& options_;
  std::string changed_;
  std::set<std::string> issued_;
  node document_, rubric_;
  std::map<std::string, node> item_types_;
  std::vector<node> areas_, quadrants_, competencies_, criteria_, career_levels_;
  std::vector<std::vector<node>> criterion_levels_;
};

// ============================================================================
// Import: JSON text
// ============================================================================

/// Deep nesting would only be an attack on the parser; a CASE package with
/// calibra's extensions is eight levels deep.
constexpr int max_nesting = 64;

void check_nesting(std::string_view text, const std::string& source) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_nesting) {
        const auto [line, column] = detail::line_column(text, i);
        throw parse_error("case", source + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                      ": JSON nested deeper than " + std::to_string(max_nesting) +
                                      " levels; a CASE package needs far fewer");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

json parse_json(std::string_view text, const std::string& source) {
  if (text.size() > max_case_file_bytes)
    throw parse_error("case", source + ": larger than the " + std::to_string(max_case_file_bytes >> 20) +
                                  " MiB limit for CASE packages");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw parse_error("case", source + ": the file is empty; expected a CASE package (a JSON object)");
  detail::reject_utf16(text, "case", source);
  check_nesting(text, source);

  // nlohmann keeps the last of duplicate keys; a strict reader refuses them
  // and says where.  The callback follows the path to the current value.
  struct frame {
    bool is_object = false;
    std::set<std::string> keys;
    std::string key;
    std::size_t count = 0;  // arrays: elements completed so far
  };
  std::vector<frame> frames;
  std::optional<std::string> duplicate;
  auto path = [&] {
    std::string p;
    for (const frame& f : frames) p += "/" + (f.is_object ? json_pointer_escape(f.key) : std::to_string(f.count));
    return p;
  };
  auto element_done = [&] {
    if (!frames.empty() && !frames.back().is_object) ++frames.back().count;
  };
  const json::parser_callback_t track = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames.push_back({true, {}, {}, 0});
        break;
      case json::parse_event_t::array_start:
        frames.push_back({false, {}, {}, 0});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames.empty()) frames.pop_back();
        element_done();
        break;
      case json::parse_event_t::key:
        if (!frames.empty()) {
          frame& f = frames.back();
          f.key = parsed.get<std::string>();
          if (!f.keys.insert(f.key).second && !duplicate) duplicate = path();
        }
        break;
      case json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  };
  json doc = detail::parse_json_document<json>(text, track, "case", source);
  if (duplicate)
    throw validation_error("case", source + ": " + detail::printable(*duplicate, detail::max_json_reason_bytes) +
                                       ": this member appears twice in one object; each member may be given once");
  return doc;
}

// ============================================================================
// Import: strict member checks
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
constexpr std::array<member, 5> document_extension_members{{
    {"format", kind::string, true},
    {"id", kind::string, true},
    {"owners", kind::list, false},
    {"scale", kind::list, true},
    {"archetypes", kind::list, false},
}};
constexpr std::array<member, 5> scale_level_members{{
    {"id", kind::string, true},
    {"label", kind::string, true},
    {"description", kind::string, false},
    {"scope", kind::string, true},
    {"autonomy", kind::string, true},
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
// Import: the package as read, before it becomes a framework
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
      const auto scope = parse_scope(s[i].at("scope").get<std::string>());
      if (!scope) r_.fail(lat + "/scope", "expected one of task, feature, product-area, multiple-areas, organisation, company");
      level.scope = *scope;
      const auto autonomy = parse_autonomy(s[i].at("autonomy").get<std::string>());
      if (!autonomy) r_.fail(lat + "/autonomy", "expected one of guided, independent, leads-others, sets-direction");
      level.autonomy = *autonomy;
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
        ++without_quadrant;
      }

      c.anchors.assign(levels_.size(), std::string());
      if (criterion)
        for (std::size_t l = 0; l < criterion->levels.size(); ++l) c.anchors[l] = criterion->levels[l].description;

      if (calibra_ && item.calibra) read_competency_extension(*item.calibra, item.pointer + "/extensions/calibra", c);
      competency_pointers_.push_back(item.pointer);
      competencies_.push_back(std::move(c));
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
                                      to_string(c.quadrant) + " Quadrant item");
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
    if (career_levels_.empty()) {
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
                                          std::move(archetypes_)),
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

std::string to_case_json(const framework& fw, const case_export_options& options) {
  return exporter(fw, options).run();
}

void save_case(const framework& fw, const std::string& path, const case_export_options& options) {
  write_file_atomically(path, to_case_json(fw, options));
}

case_import_result parse_case(std::string_view json_text, const std::string& source_name) {
  const json doc = parse_json(json_text, source_name);
  return importer(doc, source_name).run();
}

case_import_result load_case(const std::string& path) {
  return parse_case(detail::read_file(path, max_case_file_bytes, "case"), path);
}

}  // namespace calibra
