// The streaming JSON writer must print exactly what nlohmann's dump prints
// for the same document: the peer here is nlohmann itself.
#include "../../src/io/json_writer.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>
#include <stdexcept>
#include <string>

using calibra::io::detail::json_writer;
using json = nlohmann::ordered_json;

namespace {

// Streams `doc` through the writer: objects and arrays opened and closed
// one level at a time, scalars and (at depth 2 and below) whole values
// handed over as values, the way the report's writers mix the two.
void stream(json_writer& w, const json& doc, int depth = 0) {
  if (doc.is_object() && depth < 2) {
    w.begin_object();
    for (const auto& [key, value] : doc.items()) {
      w.key(key);
      stream(w, value, depth + 1);
    }
    w.end_object();
  } else if (doc.is_array() && depth < 2) {
    w.begin_array();
    for (const auto& value : doc) stream(w, value, depth + 1);
    w.end_array();
  } else {
    w.value(doc);
  }
}

std::string written(const json& doc, bool pretty) {
  std::ostringstream out;
  json_writer w(out, pretty);
  stream(w, doc);
  return out.str();
}

}  // namespace

TEST_CASE("json writer: the same bytes as nlohmann's dump, pretty and compact", "[json_writer]") {
  const json doc = json::parse(R"({
    "summary": {"source": "a \"quoted\"\nname", "rows": 3, "ratio": 0.1, "none": null, "list": [1, 2.5, "x"]},
    "empty_object": {},
    "empty_array": [],
    "table": [{"ratee": "amy", "score": 3.25, "nested": {"a": [], "b": {}}, "items": [[1, 2], []]},
              {"ratee": "ben", "score": null, "nested": {"a": [1], "b": {"c": true}}, "items": []}],
    "deep": {"level1": {"level2": {"level3": [1, {"k": "v"}]}}},
    "unicode": "caf\u00e9 \u2265 0.8"
  })");
  CHECK(written(doc, true) == doc.dump(2));
  CHECK(written(doc, false) == doc.dump());
  CHECK(written(json::object(), true) == "{}");
  CHECK(written(json::array(), true) == "[]");
  CHECK(written(json(1.5), true) == "1.5");
}

TEST_CASE("json writer: array_member writes each row as it is pushed", "[json_writer]") {
  std::ostringstream out;
  json_writer w(out);
  w.begin_object();
  w.member("n", 2);
  w.array_member("rows", [&](auto& rows) {
    rows.push_back({{"a", 1}});
    // The first row is already on the stream before the second is made.
    CHECK(out.str().find("\"a\": 1") != std::string::npos);
    rows.push_back({{"a", 2}});
  });
  w.array_member("none", [](auto&) {});
  w.end_object();
  const json expected = {{"n", 2}, {"rows", {{{"a", 1}}, {{"a", 2}}}}, {"none", json::array()}};
  CHECK(out.str() == expected.dump(2));
}

TEST_CASE("json writer: a misuse is a logic error, not a malformed document", "[json_writer]") {
  std::ostringstream out;
  json_writer w(out);
  w.begin_object();
  CHECK_THROWS_AS(w.value(1), std::logic_error);  // an object member needs a key
  CHECK_THROWS_AS(w.end_array(), std::logic_error);
  w.key("k");
  CHECK_THROWS_AS(w.key("again"), std::logic_error);
}
