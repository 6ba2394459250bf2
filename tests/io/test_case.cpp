// CASE exchange: identifiers, round trips, the structure of the export, the
// import of a package from another tool, and malformed packages.
//
// Expected values come from outside calibra's CASE code: UUIDs from Python's
// uuid module (uuid5 is RFC 4122's algorithm), counts and fields from the
// framework JSON files, the required members from the CASE 1.0 binding, and
// the foreign package's contents from the hand-written file itself.
#include "../framework/small_framework.hpp"

#include <calibra/framework/builtin.hpp>
#include <calibra/io/case.hpp>
#include <calibra/io/framework_json.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace calibra;
using nlohmann::json;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string case_example(const std::string& name) { return std::string(CALIBRA_EXAMPLES_DIR) + "/case/" + name; }

/// The message of the calibra::error `f` throws, or "" when it throws none.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const calibra::error& e) {
    return e.what();
  }
  return "";
}

std::string import_error(const json& package) {
  return error_of([&] { parse_case(package.dump(), "pkg.json"); });
}

json builtin_package() { return json::parse(to_case_json(builtin_framework())); }

/// Every object carrying an identifier, with its JSON pointer.
void collect_nodes(const json& j, const std::string& ptr, std::vector<std::pair<std::string, const json*>>& out) {
  if (j.is_object()) {
    if (j.contains("identifier") && j.contains("lastChangeDateTime")) out.emplace_back(ptr, &j);
    for (auto it = j.begin(); it != j.end(); ++it) collect_nodes(it.value(), ptr + "/" + it.key(), out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) collect_nodes(j[i], ptr + "/" + std::to_string(i), out);
  }
}

bool is_v5_uuid(const std::string& s) {
  return detail::is_uuid(s) && s[14] == '5' && std::string("89ab").find(s[19]) != std::string::npos &&
         s == [&] {
           std::string lower = s;
           for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
           return lower;
         }();
}

}  // namespace

TEST_CASE("uuid_v5 matches Python's uuid.uuid5", "[io][case]") {
  // Python documentation example: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org').
  CHECK(detail::uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  // uuid.uuid5(uuid.NAMESPACE_URL, 'urn:calibra:case'), the documented namespace.
  CHECK(detail::uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", "urn:calibra:case") == case_uuid_namespace);
  // uuid.uuid5(UUID('f4b3c202-...'), 'product-manager\ndocument'): the built-in document.
  CHECK(builtin_package()["CFDocument"]["identifier"] == "ac2ba168-8801-5685-9260-808eb2e7fc08");
  // A name longer than one SHA-1 block (Python: uuid5(NAMESPACE_DNS, 'x' * 100)).
  CHECK(detail::uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", std::string(100, 'x')) ==
        "897f5b43-a3c8-582d-9c8d-9cfe358a534d");

  CHECK(detail::is_uuid("886313E1-3B8A-5372-9B90-0C9AEE199E5D"));
  CHECK_FALSE(detail::is_uuid("886313e1-3b8a-5372-9b90-0c9aee199e5"));
  CHECK_FALSE(detail::is_uuid("886313e1x3b8a-5372-9b90-0c9aee199e5d"));
  CHECK_FALSE(detail::is_uuid("g86313e1-3b8a-5372-9b90-0c9aee199e5d"));
  CHECK_THROWS_AS(detail::uuid_v5("not-a-uuid", "x"), calibra::invalid_argument);
}

TEST_CASE("CASE round trip of the built-in framework loses nothing", "[io][case]") {
  const framework original = builtin_framework();
  const std::string package = to_case_json(original);
  const case_import_result back = parse_case(package, "builtin.case.json");
  CHECK(back.calibra_extensions);
  CHECK(back.notes.empty());
  CHECK(to_json(back.framework) == to_json(original));
  CHECK(to_json(back.framework) == std::string(builtin_framework_json()));
  // export -> import -> export reproduces the bytes.
  CHECK(to_case_json(back.framework) == package);
  // Deterministic: a second export is identical.
  CHECK(to_case_json(builtin_framework()) == package);
}

TEST_CASE("CASE round trip of the test and example frameworks", "[io][case]") {
  const framework small = testing::small_framework();
  CHECK(to_json(parse_case(to_case_json(small)).framework) == to_json(small));

  int checked = 0;
  for (const auto& entry : fs::directory_iterator(std::string(CALIBRA_EXAMPLES_DIR) + "/frameworks")) {
    if (entry.path().extension() != ".json") continue;
    const framework fw = load_framework(entry.path().string());
    INFO(entry.path().filename().string());
    const std::string package = to_case_json(fw);
    const framework back = parse_case(package, entry.path().string()).framework;
    CHECK(to_json(back) == to_json(fw));
    CHECK(to_case_json(back) == package);
    ++checked;
  }
  CHECK(checked >= 15);
}

TEST_CASE("the checked-in CASE export of the built-in framework is current", "[io][case]") {
  // Regenerate with: calibra framework export --to case --out examples/case/product-manager.case.json
  CHECK(slurp(case_example("product-manager.case.json")) == to_case_json(builtin_framework()));
  const auto loaded = load_case(case_example("product-manager.case.json"));
  CHECK(to_json(loaded.framework) == std::string(builtin_framework_json()));
}

TEST_CASE("the CASE export has the structure the CASE 1.0 binding requires", "[io][case]") {
  const json pkg = builtin_package();
  const json fw = json::parse(std::string(builtin_framework_json()));

  // Package members (CASE 1.0 CFPackage): CFDocument is required.
  for (auto it = pkg.begin(); it != pkg.end(); ++it)
    CHECK(std::set<std::string>{"CFDocument", "CFItems", "CFAssociations", "CFDefinitions", "CFRubrics"}.count(it.key()) == 1);

  const json& doc = pkg["CFDocument"];
  for (const char* key : {"identifier", "uri", "creator", "title", "lastChangeDateTime"}) CHECK(doc.contains(key));
  CHECK(doc["title"] == fw["metadata"]["name"]);
  CHECK(doc["version"] == fw["metadata"]["version"]);
  CHECK(doc["description"] == fw["metadata"]["description"]);
  CHECK(doc["creator"] == "calibra maintainers");
  CHECK(doc["lastChangeDateTime"] == "2026-11-22T00:00:00+00:00");
  CHECK(doc["extensions"]["calibra"]["format"] == "calibra-case/1");
  CHECK(doc["extensions"]["calibra"]["id"] == "product-manager");

  // Every node: a version-5 UUID, unique, with uri = urn:uuid:<identifier>.
  std::vector<std::pair<std::string, const json*>> nodes;
  collect_nodes(pkg, "", nodes);
  std::map<std::string, std::string> where;
  for (const auto& [ptr, node] : nodes) {
    INFO(ptr);
    const std::string id = (*node)["identifier"];
    CHECK(is_v5_uuid(id));
    CHECK(where.emplace(id, ptr).second);
    CHECK((*node)["uri"] == "urn:uuid:" + id);
    CHECK((*node)["lastChangeDateTime"] == "2026-11-22T00:00:00+00:00");
  }

  // Items: 4 areas, the 4 quadrants, 12 competencies, 5 career levels (from the framework file).
  const json& items = pkg["CFItems"];
  REQUIRE(items.size() == fw["areas"].size() + 4 + fw["competencies"].size() + fw["career_levels"].size());
  std::map<std::string, std::vector<const json*>> by_type;
  for (const auto& item : items) {
    for (const char* key : {"identifier", "fullStatement", "uri", "lastChangeDateTime"}) CHECK(item.contains(key));
    by_type[item["CFItemType"]].push_back(&item);
    CHECK(where.count(item["CFItemTypeURI"]["identifier"]));
  }
  REQUIRE(by_type["Competency"].size() == 12);
  for (std::size_t c = 0; c < 12; ++c) {
    const json& item = *by_type["Competency"][c];
    const json& comp = fw["competencies"][c];
    CHECK(item["humanCodingScheme"] == comp["id"]);
    CHECK(item["fullStatement"] == comp["definition"]);
    CHECK(item["abbreviatedStatement"] == comp["name"]);
    CHECK(item["extensions"]["calibra"]["interview_format"] == comp["interview_format"]);
  }
  CHECK(by_type["Area"].size() == 4);
  CHECK(by_type["Quadrant"].size() == 4);
  REQUIRE(by_type["CareerLevel"].size() == 5);
  CHECK((*by_type["CareerLevel"][4])["humanCodingScheme"] == "group-pm");
  CHECK((*by_type["CareerLevel"][4])["extensions"]["calibra"] == json({{"track", "manager"}, {"rank", 4}}));

  // Associations: every end exists; 4 + 4 + 2 x 12 isChildOf, 4 precedes (the
  // steps), 5 x 12 hasSkillLevel (the expectation matrix).
  std::map<std::string, int> count;
  for (const auto& a : pkg["CFAssociations"]) {
    for (const char* key : {"identifier", "associationType", "uri", "originNodeURI", "destinationNodeURI", "lastChangeDateTime"})
      CHECK(a.contains(key));
    ++count[a["associationType"]];
    for (const char* end : {"originNodeURI", "destinationNodeURI"}) {
      INFO(a["identifier"] << " " << end);
      CHECK(where.count(a[end]["identifier"]) == 1);
      CHECK(a[end]["uri"] == "urn:uuid:" + a[end]["identifier"].get<std::string>());
      CHECK(a[end].contains("title"));
    }
  }
  CHECK(count == std::map<std::string, int>{{"isChildOf", 32}, {"precedes", 4}, {"hasSkillLevel", 60}});

  // The expectation "pm expects Proficient in functional-specification" is a
  // hasSkillLevel from the pm item to that competency's Proficient level.
  std::string pm_item, proficient_level;
  for (const auto& item : items)
    if (item["humanCodingScheme"] == "pm") pm_item = item["identifier"];
  const json& rubric = pkg["CFRubrics"][0];
  for (const auto& level : rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"])
    if (level["quality"] == "Proficient") proficient_level = level["identifier"];
  int found = 0;
  for (const auto& a : pkg["CFAssociations"])
    if (a["associationType"] == "hasSkillLevel" && a["originNodeURI"]["identifier"] == pm_item &&
        a["destinationNodeURI"]["identifier"] == proficient_level)
      ++found;
  CHECK(found == 1);

  // One rubric: a criterion per competency, a level per scale level whose
  // description is the anchor, score the ordinal and quality the label.
  REQUIRE(pkg["CFRubrics"].size() == 1);
  for (const char* key : {"identifier", "uri", "lastChangeDateTime"}) CHECK(rubric.contains(key));
  REQUIRE(rubric["CFRubricCriteria"].size() == 12);
  for (std::size_t c = 0; c < 12; ++c) {
    const json& criterion = rubric["CFRubricCriteria"][c];
    const json& comp = fw["competencies"][c];
    CHECK(criterion["rubricId"] == rubric["identifier"]);
    CHECK(criterion["CFItemURI"]["identifier"] == (*by_type["Competency"][c])["identifier"]);
    REQUIRE(criterion["CFRubricCriterionLevels"].size() == 5);
    for (std::size_t l = 0; l < 5; ++l) {
      const json& level = criterion["CFRubricCriterionLevels"][l];
      const json& scale_level = fw["scale"][l];
      CHECK(level["score"] == l + 1);
      CHECK(level["position"] == l + 1);
      CHECK(level["quality"] == scale_level["label"]);
      CHECK(level["description"] == comp["anchors"][scale_level["id"].get<std::string>()]);
      CHECK(level["rubricCriterionId"] == criterion["identifier"]);
    }
  }
}

TEST_CASE("CASE export options: base URI and plain CASE 1.0 without extensions", "[io][case]") {
  case_export_options options;
  options.base_uri = "https://case.example.org/uri/";
  const json pkg = json::parse(to_case_json(builtin_framework(), options));
  const std::string id = pkg["CFDocument"]["identifier"];
  CHECK(pkg["CFDocument"]["uri"] == "https://case.example.org/uri/" + id);
  CHECK(pkg["CFAssociations"][0]["destinationNodeURI"]["uri"] == "https://case.example.org/uri/" + id);
  CHECK(to_json(parse_case(pkg.dump()).framework) == std::string(builtin_framework_json()));

  options = {};
  options.calibra_extensions = false;
  const std::string plain_text = to_case_json(builtin_framework(), options);
  CHECK(plain_text.find("\"extensions\"") == std::string::npos);
  const case_import_result plain = parse_case(plain_text);
  CHECK_FALSE(plain.calibra_extensions);
  CHECK_FALSE(plain.notes.empty());

  // The native CASE parts come back: competencies, anchors, areas,
  // quadrants, career levels, steps and expectations.
  const framework b = builtin_framework();
  const framework& p = plain.framework;
  REQUIRE(p.competencies().size() == b.competencies().size());
  for (std::size_t c = 0; c < b.competencies().size(); ++c) {
    CHECK(p.competencies()[c].id == b.competencies()[c].id);
    CHECK(p.competencies()[c].name == b.competencies()[c].name);
    CHECK(p.competencies()[c].definition == b.competencies()[c].definition);
    CHECK(p.competencies()[c].anchors == b.competencies()[c].anchors);
    CHECK(p.competencies()[c].quadrant == b.competencies()[c].quadrant);
    CHECK(p.competencies()[c].area == b.competencies()[c].area);
    CHECK(p.competencies()[c].interview_format.empty());  // an extension member
  }
  REQUIRE(p.areas().size() == 4);
  CHECK(p.areas()[3].description == b.areas()[3].description);
  CHECK((p.expectations() == b.expectations()));
  REQUIRE(p.ladder().size() == 5);
  REQUIRE(p.ladder().steps().size() == 4);
  // Ranks follow the precedes chains: apm 1, pm 2, senior-pm 3, principal-pm 4, group-pm 4.
  for (std::size_t l = 0; l < 5; ++l) CHECK(p.ladder().career_levels()[l].rank == b.ladder().career_levels()[l].rank);
  CHECK(p.ladder().career_levels()[4].track == track::ic);  // the manager track is an extension member
  // Level ids come from the labels; the built-in ids are the lowercase labels.
  for (std::size_t l = 0; l < 5; ++l) {
    CHECK(p.scale().levels()[l].id == b.scale().levels()[l].id);
    CHECK(p.scale().levels()[l].label == b.scale().levels()[l].label);
  }
  CHECK(p.metadata().id == "product-manager-career-ladder");
  CHECK(p.metadata().owners == std::vector<std::string>{"calibra maintainers"});
  CHECK(p.archetypes().empty());
}

TEST_CASE("a plain CASE package from another tool imports where it can", "[io][case]") {
  const case_import_result r = load_case(case_example("foreign-minimal.case.json"));
  CHECK_FALSE(r.calibra_extensions);
  const framework& fw = r.framework;
  CHECK(fw.metadata().name == "Data Literacy for Product Teams");
  CHECK(fw.metadata().id == "data-literacy-for-product-teams");
  CHECK(fw.metadata().version == "2.1");
  CHECK(fw.metadata().last_updated == "2025-03-14");
  CHECK(fw.metadata().owners == std::vector<std::string>{"Example Skills Registry"});

  // Scale from the rubric levels, ordered by score even when listed top first.
  REQUIRE(fw.scale().size() == 4);
  const std::vector<std::string> labels{"Beginning", "Developing", "Proficient", "Exemplary"};
  for (std::size_t l = 0; l < 4; ++l) CHECK(fw.scale().levels()[l].label == labels[l]);
  CHECK(fw.scale().levels()[0].id == "beginning");
  CHECK(fw.scale().levels()[0].scope == scope::task);
  CHECK(fw.scale().levels()[0].autonomy == autonomy::guided);
  CHECK(fw.scale().levels()[3].scope == scope::multiple_areas);
  CHECK(fw.scale().levels()[3].autonomy == autonomy::leads_others);

  // Competencies: the items the criteria score, in CFItems order.
  REQUIRE(fw.competencies().size() == 3);
  const competency& reading = fw.competencies()[1];
  CHECK(reading.id == "DL.A.2");
  CHECK(reading.name == "Critical Reading");
  CHECK(reading.definition ==
        "Reads charts and summary statistics critically, spotting truncated axes, small samples and missing baselines.");
  CHECK(reading.area == std::optional<std::string>("DL.A"));
  CHECK(reading.anchors[0] == "Takes the headline number of a chart at face value.");
  CHECK(reading.anchors[3] == "Teaches colleagues a checklist for reading charts and applies it in design reviews.");
  CHECK(reading.quadrant == quadrant{focus::tactical, orientation::internal});
  CHECK(fw.competencies()[2].anchors[1].empty());  // the level without a description
  CHECK(fw.competencies()[2].area == std::optional<std::string>("DL.B"));

  // Areas: the Domain items the skills are children of.
  REQUIRE(fw.areas().size() == 2);
  CHECK(fw.areas()[1].id == "DL.B");
  CHECK(fw.areas()[1].name == "Communicating Findings");
  CHECK(fw.areas()[1].description == "Covers written and spoken reporting.");

  // No career levels in the package: one placeholder expecting level 1.
  REQUIRE(fw.ladder().size() == 1);
  CHECK(fw.ladder().career_levels()[0].id == "imported");
  CHECK(fw.expectations().minCoeff() == 1);
  CHECK(fw.expectations().maxCoeff() == 1);

  // The notes say what was assumed.
  std::string all;
  for (const auto& n : r.notes) all += n + "\n";
  CHECK_THAT(all, Contains("plain CASE package") && Contains("tactical-internal") && Contains("'imported'") &&
                      Contains("scope and autonomy"));

  // The imported framework exports and imports again without further loss.
  const std::string again = to_case_json(fw);
  CHECK(to_json(parse_case(again).framework) == to_json(fw));
}

TEST_CASE("malformed CASE packages fail with the JSON pointer of the problem", "[io][case]") {
  const json good = builtin_package();

  SECTION("missing CFDocument") {
    json p = good;
    p.erase("CFDocument");
    CHECK_THAT(import_error(p), Contains("[calibra.validation_error.case]") && Contains("pkg.json: /: ") &&
                                    Contains("missing required member 'CFDocument'"));
  }
  SECTION("missing required member of an item") {
    json p = good;
    p["CFItems"][2].erase("uri");
    CHECK_THAT(import_error(p), Contains("pkg.json: /CFItems/2: missing required member 'uri'"));
  }
  SECTION("dangling association") {
    json p = good;
    p["CFAssociations"][3]["destinationNodeURI"]["identifier"] = "00000000-0000-4000-8000-000000000000";
    CHECK_THAT(import_error(p), Contains("/CFAssociations/3/destinationNodeURI/identifier") && Contains("dangling association"));
    p = good;
    p["CFAssociations"][7]["originNodeURI"]["identifier"] = "00000000-0000-4000-8000-000000000000";
    CHECK_THAT(import_error(p), Contains("/CFAssociations/7/originNodeURI/identifier") && Contains("dangling"));
  }
  SECTION("dangling criterion item") {
    json p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][4]["CFItemURI"]["identifier"] = "00000000-0000-4000-8000-000000000000";
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/4/CFItemURI/identifier"));
  }
  SECTION("duplicate identifiers") {
    json p = good;
    p["CFItems"][5]["identifier"] = p["CFItems"][1]["identifier"];
    CHECK_THAT(import_error(p), Contains("/CFItems/5/identifier: duplicate identifier") && Contains("first used at /CFItems/1"));
    p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][1]["identifier"] = p["CFDocument"]["identifier"];
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/0/CFRubricCriterionLevels/1/identifier") &&
                                    Contains("first used at /CFDocument"));
  }
  SECTION("wrong types") {
    json p = good;
    p["CFItems"][2]["fullStatement"] = 42;
    CHECK_THAT(import_error(p), Contains("/CFItems/2/fullStatement: expected a string, found number"));
    p = good;
    p["CFItems"] = json::object();
    CHECK_THAT(import_error(p), Contains("/CFItems: expected an array, found object"));
    p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][1]["CFRubricCriterionLevels"][2]["score"] = "3";
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/1/CFRubricCriterionLevels/2/score: expected a number"));
    p = good;
    p["CFAssociations"][0]["sequenceNumber"] = 1.5;
    CHECK_THAT(import_error(p), Contains("/CFAssociations/0/sequenceNumber: expected an integer"));
    p = good;
    p["CFItems"][20]["extensions"]["calibra"]["rank"] = "two";
    CHECK_THAT(import_error(p), Contains("/CFItems/20/extensions/calibra/rank: expected an integer"));
    p = good;
    p["CFDocument"] = json::array();
    CHECK_THAT(import_error(p), Contains("/CFDocument: expected an object, found array"));
    CHECK_THAT(error_of([] { parse_case("[1, 2]", "pkg.json"); }), Contains("pkg.json: /: expected a CFPackage"));
  }
  SECTION("identifiers and dates") {
    json p = good;
    p["CFItems"][0]["identifier"] = "area-1";
    CHECK_THAT(import_error(p), Contains("/CFItems/0/identifier: expected a UUID"));
    p = good;
    p["CFDocument"]["lastChangeDateTime"] = "yesterday";
    CHECK_THAT(import_error(p), Contains("/CFDocument/lastChangeDateTime: expected an ISO 8601 date-time"));
  }
  SECTION("unknown members and association types") {
    json p = good;
    p["CFItems"][9]["colour"] = "red";
    CHECK_THAT(import_error(p), Contains("/CFItems/9/colour: unknown member 'colour'"));
    p = good;
    p["CFAssociations"][2]["associationType"] = "isSiblingOf";
    CHECK_THAT(import_error(p), Contains("/CFAssociations/2/associationType: unknown association type 'isSiblingOf'"));
    p = good;
    p["CFAssociations"][2]["associationType"] = "ext:isMentorOf";  // CASE 1.1 extension types are fine
    CHECK(import_error(p).empty());
  }
  SECTION("rubric problems") {
    json p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][3].erase("CFItemURI");
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/3: the criterion names no CFItemURI"));
    p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][2]["CFRubricCriterionLevels"][1]["quality"] = "Growing";
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/2/CFRubricCriterionLevels/1/quality") &&
                                    Contains("\"Developing\""));
    p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][2]["CFRubricCriterionLevels"][1]["score"] = 1;
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/2/CFRubricCriterionLevels/1/score: two levels"));
    p = good;
    p["CFRubrics"][0]["CFRubricCriteria"][2]["CFRubricCriterionLevels"].erase(4);
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/2/CFRubricCriterionLevels: expected one level per scale level (5), found 4"));
  }
  SECTION("calibra extension problems") {
    json p = good;
    p["CFDocument"]["extensions"]["calibra"]["format"] = "calibra-case/9";
    CHECK_THAT(import_error(p), Contains("/CFDocument/extensions/calibra/format: expected \"calibra-case/1\""));
    p = good;
    p["CFDocument"]["extensions"]["calibra"]["scale"][1]["scope"] = "galaxy";
    CHECK_THAT(import_error(p), Contains("/CFDocument/extensions/calibra/scale/1/scope: expected one of task"));
    p = good;
    p["CFItems"][8]["extensions"]["calibra"]["position"]["focus"] = 0.7;  // a tactical competency
    CHECK_THAT(import_error(p), Contains("/CFItems/8/extensions/calibra/position: the position lies in strategic-internal"));
  }
  SECTION("ladder and expectation problems map back to the association") {
    json p = good;
    // Step 0 (apm -> pm) reversed goes down in rank.
    std::swap(p["CFAssociations"][32]["originNodeURI"], p["CFAssociations"][32]["destinationNodeURI"]);
    CHECK_THAT(import_error(p), Contains("/CFAssociations/32: step pm -> apm goes down in rank") &&
                                    Contains("calibra field /steps/0"));
    p = good;
    p["CFAssociations"].erase(40);  // one hasSkillLevel of apm
    CHECK_THAT(import_error(p), Contains("/CFItems/20: no hasSkillLevel association gives career level 'apm'"));
    p = good;
    p["CFAssociations"].push_back(p["CFAssociations"][40]);
    p["CFAssociations"].back()["identifier"] = "00000000-0000-4000-8000-000000000000";
    CHECK_THAT(import_error(p), Contains("/CFAssociations/96: a second expected level") && Contains("/CFAssociations/40"));

    // A cycle of promotions in a plain package (ranks derived from the steps).
    case_export_options plain;
    plain.calibra_extensions = false;
    p = json::parse(to_case_json(builtin_framework(), plain));
    json back = p["CFAssociations"][32];  // apm precedes pm
    back["identifier"] = "00000000-0000-4000-8000-000000000001";
    back["originNodeURI"] = p["CFAssociations"][34]["destinationNodeURI"];  // principal-pm
    p["CFAssociations"].push_back(back);
    CHECK_THAT(import_error(p), Contains("pkg.json: /CFAssociations/33: the precedes associations between career levels form a cycle through "
                                         "pm, senior-pm, principal-pm"));
  }
  SECTION("model rules inside calibra's extension map back to the extension") {
    json p = good;
    p["CFDocument"]["extensions"]["calibra"]["archetypes"][0]["strong"][1] = "juggling";
    CHECK_THAT(import_error(p), Contains("/CFDocument/extensions/calibra/archetypes/0/strong/1: unknown competency 'juggling'"));
    p = good;
    p["CFDocument"]["extensions"]["calibra"]["scale"][2]["id"] = "developing";
    CHECK_THAT(import_error(p), Contains("/CFDocument/extensions/calibra/scale/2/id: duplicate level id 'developing'"));
    p = good;
    p["CFDocument"]["extensions"]["calibra"]["scale"][2]["id"] = "";
    CHECK_THAT(import_error(p), Contains("/CFDocument/extensions/calibra/scale/2/id: id must not be empty"));
  }
  SECTION("scales calibra cannot hold") {
    json p = json::parse(slurp(case_example("foreign-minimal.case.json")));
    for (auto& criterion : p["CFRubrics"][0]["CFRubricCriteria"]) {
      auto& levels = criterion["CFRubricCriterionLevels"];
      json kept = json::array();
      for (const auto& l : levels)
        if (l["score"] <= 2) kept.push_back(l);
      levels = kept;
    }
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/0/CFRubricCriterionLevels: calibra needs a scale of 3 to 7 levels"));
    p = json::parse(slurp(case_example("foreign-minimal.case.json")));
    p["CFRubrics"][0]["CFRubricCriteria"][1]["CFRubricCriterionLevels"][1]["quality"] = "Solid";
    CHECK_THAT(import_error(p), Contains("/CFRubrics/0/CFRubricCriteria/1/CFRubricCriterionLevels/1/quality: expected \"Proficient\""));
    p = json::parse(slurp(case_example("foreign-minimal.case.json")));
    p.erase("CFRubrics");
    CHECK_THAT(import_error(p), Contains("no competencies"));
  }
}

TEST_CASE("CASE text that is not a package: JSON errors, size and nesting caps", "[io][case]") {
  CHECK_THAT(error_of([] { parse_case("{\n  \"CFDocument\": {,\n}", "bad.json"); }),
             Contains("[calibra.parse_error.case]") && Contains("bad.json:2:18: invalid JSON"));
  CHECK_THAT(error_of([] { parse_case(" \n ", "empty.json"); }), Contains("empty.json: the file is empty"));
  CHECK_THAT(error_of([] { parse_case(R"({"CFDocument": {"title": "a", "title": "b"}})", "dup.json"); }),
             Contains("dup.json: /CFDocument/title: this member appears twice"));
  CHECK_THAT(error_of([] { parse_case(R"({"CFItems": [{}, {"a": 1, "b": {"c": 1, "c": 2}}]})", "dup.json"); }),
             Contains("dup.json: /CFItems/1/b/c: this member appears twice"));
  CHECK_THAT(error_of([] { parse_case(std::string(100, '[') + std::string(100, ']'), "deep.json"); }),
             Contains("deep.json:1:65: JSON nested deeper than 64 levels"));
  CHECK_THAT(error_of([] { parse_case(std::string(max_case_file_bytes + 1, ' '), "big.json"); }),
             Contains("big.json: larger than the 64 MiB limit"));
  CHECK_THAT(error_of([] { load_case("/no/such/package.json"); }), Contains("/no/such/package.json: cannot open file"));
}

TEST_CASE("save_case writes the package atomically", "[io][case]") {
  const fs::path dir = fs::temp_directory_path() / ("calibra-test-case-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "pkg.json").string();
  save_case(testing::small_framework(), path);
  CHECK(slurp(path) == to_case_json(testing::small_framework()));
  CHECK(std::distance(fs::directory_iterator(dir), {}) == 1);
  CHECK_THROWS_AS(save_case(testing::small_framework(), dir.string()), calibra::invalid_argument);
  fs::remove_all(dir);
}
