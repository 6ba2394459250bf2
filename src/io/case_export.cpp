// 1EdTech CASE packages: export of a framework as a CFPackage, with
// identifiers that stay the same from one export to the next.
#include <calibra/io/case.hpp>
#include <calibra/io/files.hpp>

#include "case_identifiers.hpp"
#include "case_package.hpp"
#include "framework_json_parts.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace calibra {
namespace {

using ordered_json = nlohmann::ordered_json;
using detail::case_package::is_iso_date;
using detail::case_package::type_area;
using detail::case_package::type_career_level;
using detail::case_package::type_competency;
using detail::case_package::type_quadrant;

std::string quadrant_title(quadrant q) {
  return std::string(q.is_strategic() ? "Strategic" : "Tactical") + ", " +
         (q.orientation == orientation::external ? "external" : "internal");
}

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
    for (const auto& l : fw_.ladder().career_levels())
      career_levels_.push_back({identify({"career-level", l.id}), l.name});
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
      // The scale and the archetypes have the framework format's shape.
      ext["scale"] = detail::scale_json(fw_);
      if (!fw_.archetypes().empty()) ext["archetypes"] = detail::archetypes_json(fw_);
      if (!fw_.checks().trait_words.empty()) ext["trait_words"] = fw_.checks().trait_words;
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
      const auto& level = fw_.ladder().career_levels()[l];
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
      if (comp.quadrant) child_of(competencies_[c], quadrants_[static_cast<std::size_t>(comp.quadrant->index())]);
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

}  // namespace

std::string to_case_json(const framework& fw, const case_export_options& options) {
  return exporter(fw, options).run();
}

void save_case(const framework& fw, const std::string& path, const case_export_options& options) {
  write_file_atomically(path, to_case_json(fw, options));
}

}  // namespace calibra
