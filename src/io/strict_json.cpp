#include "strict_json.hpp"

#include <calibra/error.hpp>

#include "json_syntax.hpp"
#include "message_text.hpp"
#include "read_file.hpp"

#include <set>
#include <vector>

namespace calibra::detail {
namespace {

using json = nlohmann::json;

/// Refuses nesting deeper than `max_nesting`, before nlohmann builds (and
/// later tears down) a document that deep.
void check_nesting(std::string_view text, const strict_json_format& format) {
  // Signed: stray closers take the count below zero, as they always have,
  // and leave the parser to report them.
  std::ptrdiff_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > static_cast<std::ptrdiff_t>(format.max_nesting)) {
        const auto [line, column] = line_column(text, i);
        throw parse_error(format.subsystem, format.source + ":" + std::to_string(line) + ":" +
                                                std::to_string(column) + ": JSON nested deeper than " +
                                                std::to_string(format.max_nesting) + " levels; " +
                                                format.nesting_hint);
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
}

/// A SAX handler that accepts every value and remembers the first failure:
/// nlohmann's DOM parser throws an out_of_range (a number beyond a double)
/// without a position, so the text is read again to find where.
class json_failure_finder : public json::json_sax_t {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(json::number_integer_t) override { return true; }
  bool number_unsigned(json::number_unsigned_t) override { return true; }
  bool number_float(json::number_float_t, const json::string_t&) override { return true; }
  bool string(json::string_t&) override { return true; }
  bool binary(json::binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(json::string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t at, const std::string&, const nlohmann::detail::exception& e) override {
    failed = true;
    position = at;
    what = e.what();
    return false;
  }

  bool failed = false;
  std::size_t position = 0;
  std::string what;
};

/// Follows the parse to the current value, so that a repeated member can
/// be reported with its JSON pointer.
class repeated_member_finder {
 public:
  bool operator()(int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        frames_.push_back({true, {}, {}, 0});
        break;
      case json::parse_event_t::array_start:
        frames_.push_back({false, {}, {}, 0});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        element_done();
        break;
      case json::parse_event_t::key:
        if (!frames_.empty()) {
          frame& f = frames_.back();
          f.key = parsed.get<std::string>();
          if (!f.keys.insert(f.key).second && !found) found = repeated_json_member{f.key, pointer()};
        }
        break;
      case json::parse_event_t::value:
        element_done();
        break;
    }
    return true;
  }

  std::optional<repeated_json_member> found;

 private:
  struct frame {
    bool is_object = false;
    std::set<std::string> keys;
    std::string key;
    std::size_t count = 0;  // arrays: elements completed so far
  };

  std::string pointer() const {
    std::string p;
    for (const frame& f : frames_) p += "/" + (f.is_object ? json_pointer_escape(f.key) : std::to_string(f.count));
    return p;
  }

  void element_done() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
  }

  std::vector<frame> frames_;
};

}  // namespace

void check_json_text(std::string_view text, const strict_json_format& format) {
  reject_oversized_text(text, format.max_bytes, format.subsystem, format.source, format.kind_of_file);
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw parse_error(format.subsystem, format.source + ": the file is empty; expected " + format.expected);
  reject_utf16(text, format.subsystem, format.source);
  if (format.max_nesting > 0) check_nesting(text, format);
}

strict_json_document read_strict_json(std::string_view text, const strict_json_format& format) {
  check_json_text(text, format);
  reject_nul_byte(text, format.subsystem, format.source);
  repeated_member_finder finder;
  // nlohmann copies the callback; the copy reports through this pointer.
  const json::parser_callback_t track = [&finder](int depth, json::parse_event_t event, json& parsed) {
    return finder(depth, event, parsed);
  };
  strict_json_document document;
  try {
    document.value = json::parse(text.begin(), text.end(), track);
  } catch (const json::parse_error& e) {
    throw_invalid_json(text, format.subsystem, format.source, e.byte, e.what());
  } catch (const json::exception& e) {
    json_failure_finder failure;
    json::sax_parse(text.begin(), text.end(), &failure);
    if (!failure.failed) throw;  // not a syntax error: let the caller's handling see it
    throw_invalid_json(text, format.subsystem, format.source, failure.position, failure.what);
  }
  document.repeated_member = std::move(finder.found);
  return document;
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

}  // namespace calibra::detail
