// The framework workbook: its tables (framework_workbook.hpp) and the
// reader that turns a workbook back into the framework JSON document, reads
// it with the strict JSON reader, and reports problems by sheet and cell.
#include <calibra/io/framework_json.hpp>
#include <calibra/io/framework_xlsx.hpp>

#include "framework_workbook.hpp"
#include "message_text.hpp"
#include "xlsx_reader.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace calibra {
namespace detail::workbook {

std::vector<table> framework_tables(const framework& fw) {
  std::vector<table> out;
  const auto& m = fw.metadata();
  const auto& scale = fw.scale().levels();
  const auto& comps = fw.competencies();
  const auto& ladder = fw.ladder().career_levels();

  table meta{sheets::framework, {"Field", "Value"}, {}, false, colouring::none, 16};
  meta.rows.push_back({value::of(fields::format), value::of("calibra-framework/1")});
  meta.rows.push_back({value::of(fields::id), value::of(m.id)});
  meta.rows.push_back({value::of(fields::name), value::of(m.name)});
  meta.rows.push_back({value::of(fields::version), value::of(m.version)});
  meta.rows.push_back({value::of(fields::last_updated), value::of(m.last_updated)});
  meta.rows.push_back({value::of(fields::description), value::of(m.description)});
  for (const auto& owner : m.owners) meta.rows.push_back({value::of(fields::owner), value::of(owner)});
  for (const auto& word : fw.checks().trait_words) meta.rows.push_back({value::of(fields::trait_word), value::of(word)});
  out.push_back(std::move(meta));

  table levels{sheets::scale, {"Id", "Label", "Description", "Scope", "Autonomy"}, {}, false, colouring::scale_rows, 0};
  for (const auto& l : scale)
    levels.rows.push_back({value::of(l.id), value::of(l.label), value::of(l.description),
                           l.scope ? value::of(std::string(to_string(*l.scope))) : value{},
                           l.autonomy ? value::of(std::string(to_string(*l.autonomy))) : value{}});
  out.push_back(std::move(levels));

  table areas{sheets::areas, {"Id", "Name", "Description"}, {}, false, colouring::none, 0};
  for (const auto& a : fw.areas()) areas.rows.push_back({value::of(a.id), value::of(a.name), value::of(a.description)});
  out.push_back(std::move(areas));

  table competencies{sheets::competencies,
                     {"Id", "Name", "Definition", "Quadrant", "Focus", "Orientation", "Area", "People leadership",
                      "Interview format"},
                     {}, false, colouring::none, 0};
  table actions{sheets::actions, {"Competency", "Action"}, {}, false, colouring::none, 0};
  table anchors{sheets::anchors, {"Competency"}, {}, false, colouring::level_columns, 0};
  for (const auto& l : scale) anchors.header.push_back(l.id);
  for (const auto& c : comps) {
    competencies.rows.push_back(
        {value::of(c.id), value::of(c.name), value::of(c.definition), c.quadrant ? value::of(to_string(*c.quadrant)) : value{},
         c.position ? value::of_number(c.position->focus) : value{},
         c.position ? value::of_number(c.position->orientation) : value{}, value::of(c.area.value_or("")),
         value::of_boolean(c.people_leadership), value::of(c.interview_format)});
    for (const auto& a : c.actions) actions.rows.push_back({value::of(c.id), value::of(a)});
    std::vector<value> row{value::of(c.id)};
    for (const auto& a : c.anchors) row.push_back(value::of(a));
    anchors.rows.push_back(std::move(row));
  }
  out.push_back(std::move(competencies));
  out.push_back(std::move(actions));
  out.push_back(std::move(anchors));

  table careers{sheets::career_levels, {"Id", "Name", "Track", "Rank"}, {}, false, colouring::none, 0};
  for (const auto& l : ladder)
    careers.rows.push_back({value::of(l.id), value::of(l.name), value::of(std::string(to_string(l.track))),
                            value::of_number(l.rank)});
  out.push_back(std::move(careers));

  table steps{sheets::steps, {"From", "To"}, {}, false, colouring::none, 0};
  for (const auto& s : fw.ladder().steps()) steps.rows.push_back({value::of(ladder[s.from].id), value::of(ladder[s.to].id)});
  out.push_back(std::move(steps));

  table targets{sheets::targets, {"Competency"}, {}, false, colouring::level_values, 0};
  for (const auto& l : ladder) targets.header.push_back(l.id);
  for (std::size_t c = 0; c < comps.size(); ++c) {
    std::vector<value> row{value::of(comps[c].id)};
    for (std::size_t l = 0; l < ladder.size(); ++l)
      row.push_back(value::of(scale[static_cast<std::size_t>(fw.expectations()(static_cast<Eigen::Index>(l),
                                                                                 static_cast<Eigen::Index>(c))) - 1].id));
    targets.rows.push_back(std::move(row));
  }
  out.push_back(std::move(targets));

  table archetypes{sheets::archetypes, {"Id", "Name", "Description"}, {}, false, colouring::none, 0};
  table profile{sheets::archetype_competencies, {"Archetype", "Kind", "Competency"}, {}, false, colouring::none, 0};
  for (const auto& a : fw.archetypes()) {
    archetypes.rows.push_back({value::of(a.id), value::of(a.name), value::of(a.description)});
    for (const auto& s : a.strong) profile.rows.push_back({value::of(a.id), value::of("strong"), value::of(s)});
    for (const auto& g : a.growth) profile.rows.push_back({value::of(a.id), value::of("growth"), value::of(g)});
  }
  out.push_back(std::move(archetypes));
  out.push_back(std::move(profile));

  table gaps{sheets::promotion_gaps, {"From", "To", "Competency", "From level", "To level"}, {}, true,
             colouring::gap_levels, 0};
  for (const auto& g : fw.promotion_gaps())
    for (const auto& rise : g.competencies)
      gaps.rows.push_back({value::of(ladder[g.step.from].id), value::of(ladder[g.step.to].id),
                           value::of(comps[rise.competency].id),
                           value::of(scale[static_cast<std::size_t>(rise.from_level - 1)].id),
                           value::of(scale[static_cast<std::size_t>(rise.to_level - 1)].id)});
  out.push_back(std::move(gaps));
  return out;
}

}  // namespace detail::workbook

namespace {

using ordered_json = nlohmann::ordered_json;
namespace wb = detail::workbook;
namespace xl = detail::xlsx;

/// The limits a framework workbook is read under: the framework file's own
/// size limit for the file; the reader's defaults otherwise.
xl::limits framework_limits() {
  xl::limits caps;
  caps.max_file_bytes = max_framework_file_bytes;
  caps.max_total_bytes = std::size_t{64} << 20;
  caps.max_entry_bytes = std::size_t{64} << 20;
  caps.max_text_bytes = std::size_t{32} << 20;
  caps.max_cells = 500'000;
  return caps;
}

struct stop_reading {};

std::string escape_pointer(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}


class workbook_reader {
 public:
  workbook_reader(const xl::workbook& book, std::string source)
      : book_(book), source_(source), problems_("framework", std::move(source)) {}

  framework read() {
    try {
      build();
    } catch (const stop_reading&) {
      problems_.raise();
    }
    // A sheet that could not be read at all leaves the document without a
    // part other sheets refer to: the JSON reader would only echo that.
    if (unreadable_) problems_.raise();
    const std::string text = doc_.dump(2, ' ', false, ordered_json::error_handler_t::replace);
    reading_json_ = true;
    std::optional<framework> fw;
    try {
      fw = parse_framework(text, source_);
    } catch (const input_errors& several) {
      for (const input_problem& p : several.problems()) translate(p.message, p.pointer);
    } catch (const validation_error& e) {
      translate(e.what(), {});
    }
    // The workbook's own problems, with the JSON reader's, or alone when it found none.
    problems_.raise();
    if (fw) return std::move(*fw);
    throw validation_error("framework", source_ + ": the workbook does not read as a framework");
  }

 private:
  // ---- problems ---------------------------------------------------------------------
  void note(const std::string& where, const std::string& message, const std::string& pointer = {}) {
    if (!reading_json_) troubled_.insert(sheet_of(where));
    try {
      throw validation_error("framework", source_ + ": " + where + ": " + message);
    } catch (const calibra::error& e) {
      problems_.add(e, 0, {}, pointer);
    }
    if (problems_.full()) throw stop_reading{};
  }

  /// A problem of the JSON reader: its pointer becomes the sheet and cell.
  void translate(const std::string& message, std::string pointer) {
    const std::string prefix = "[calibra.validation_error.framework] " + source_ + ": ";
    std::string rest = message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
    if (pointer.empty() && !rest.empty() && rest.front() == '/') {
      const auto colon = rest.find(": ");
      if (colon != std::string::npos) pointer = rest.substr(0, colon);
    }
    if (!pointer.empty() && rest.rfind(pointer + ": ", 0) == 0) rest = rest.substr(pointer.size() + 2);
    // Pointers quoted inside the message ("first used at /competencies/3").
    for (std::size_t at = rest.find(" /"); at != std::string::npos; at = rest.find(" /", at + 1)) {
      std::size_t end = rest.find_first_of(" ),;", at + 1);
      if (end == std::string::npos) end = rest.size();
      const auto found = places_.find(rest.substr(at + 1, end - at - 1));
      if (found != places_.end()) rest.replace(at + 1, end - at - 1, found->second);
    }
    // A sheet with a problem of its own gets no consequences of it reported
    // (a missing Targets sheet is one problem, not one per career level).
    const std::string where = place_of(pointer);
    if (troubled_.count(sheet_of(where))) return;
    try {
      note(where, rest, pointer);
    } catch (const stop_reading&) {
    }
  }

  /// The sheet a location names: "Targets" for "Targets!D7", "sheet 'Targets'"
  /// and "Targets row 3"; "'Career levels'" for "'Career levels'!B2".
  static std::string sheet_of(const std::string& where) {
    std::string w = where.rfind("sheet '", 0) == 0 ? where.substr(7, where.size() - 8) : where;
    if (!w.empty() && w.front() == '\'') {
      const auto close = w.find("'!");
      const auto row = w.find("' row");
      const auto end = std::min(close, row);
      return end == std::string::npos ? w : w.substr(1, end - 1);
    }
    const auto bang = w.find('!');
    if (bang != std::string::npos) return w.substr(0, bang);
    const auto row = w.find(" row ");
    return row != std::string::npos ? w.substr(0, row) : w;
  }

  std::string place_of(std::string pointer) const {
    while (true) {
      const auto found = places_.find(pointer.empty() ? "/" : pointer);
      if (found != places_.end()) return found->second;
      if (pointer.empty() || pointer == "/") return wb::sheets::framework;
      pointer = pointer.substr(0, pointer.rfind('/'));
    }
  }

  void place(const std::string& pointer, const xl::sheet& s, std::uint32_t row, std::uint32_t column) {
    places_[pointer] = s.where(row, column);
  }
  void place_row(const std::string& pointer, const xl::sheet& s, std::uint32_t row) {
    places_[pointer] = xl::sheet_label(s.name) + " row " + std::to_string(row + 1);
  }

  // ---- cells ------------------------------------------------------------------------
  /// The text of a cell: numbers as the file wrote them, booleans as
  /// TRUE/FALSE; nothing for an empty cell; a problem for an error value.
  std::optional<std::string> text_of(const xl::sheet& s, std::uint32_t row, std::uint32_t column) {
    const xl::cell* c = s.at(row, column);
    if (!c) return std::nullopt;
    if (c->kind == xl::cell_kind::error) {
      note(s.where(row, column), "holds the error value " + detail::echo(c->text) + "; expected text");
      return std::nullopt;
    }
    return c->text;
  }

  struct column_set {
    std::map<std::string, std::uint32_t> index;  // header -> column
  };

  /// Reads the header row against the expected headers.  An unknown or a
  /// repeated header is a problem, and the column is left out; a missing
  /// required one makes the sheet unreadable.
  std::optional<column_set> header(const xl::sheet& s, const std::vector<std::string>& expected,
                                   const std::vector<std::string>& required) {
    column_set cols;
    for (std::uint32_t c = 0; c < s.columns; ++c) {
      const auto text = text_of(s, 0, c);
      if (!text) continue;
      if (std::find(expected.begin(), expected.end(), *text) == expected.end()) {
        std::string allowed;
        for (const auto& e : expected) allowed += (allowed.empty() ? "" : ", ") + e;
        note(s.where(0, c), "unknown column '" + detail::echo(*text) + "'; the columns of this sheet are " + allowed);
      } else if (!cols.index.emplace(*text, c).second) {
        note(s.where(0, c), "column '" + *text + "' comes twice (first in " + s.where(0, cols.index[*text]) + ")");
      }
    }
    bool ok = true;
    for (const auto& r : required)
      if (!cols.index.count(r)) {
        note(xl::sheet_label(s.name) + " row 1", "missing the column '" + r + "'");
        ok = false;
      }
    if (!ok) {
      unreadable_ = true;
      return std::nullopt;
    }
    return cols;
  }

  /// Rows 2.. that hold anything in the known columns.
  /// (Walks the cells, not the grid: a sheet may span a million rows.)
  std::vector<std::uint32_t> data_rows(const xl::sheet& s, const std::vector<std::uint32_t>& columns) {
    std::vector<std::uint32_t> rows;
    for (const xl::cell& c : s.cells)
      if (c.row >= 1 && (rows.empty() || rows.back() != c.row) &&
          std::find(columns.begin(), columns.end(), c.column) != columns.end())
        rows.push_back(c.row);
    return rows;
  }

  /// Rows 2.. with any cell, and their cells.
  static std::map<std::uint32_t, std::vector<const xl::cell*>> body_rows(const xl::sheet& s) {
    std::map<std::uint32_t, std::vector<const xl::cell*>> rows;
    for (const xl::cell& c : s.cells)
      if (c.row >= 1) rows[c.row].push_back(&c);
    return rows;
  }

  /// Places for every (row, key column) pair of a matrix sheet, blank cells
  /// included, when there are not too many; else for the cells with a value.
  static constexpr std::size_t max_matrix_places = 200'000;

  std::vector<std::uint32_t> all_columns(const column_set& cols) {
    std::vector<std::uint32_t> out;
    for (const auto& [name, c] : cols.index) out.push_back(c);
    return out;
  }

  /// Sets obj[key] from a text column: required fields get "" when blank,
  /// optional ones are left out.
  void text_field(ordered_json& obj, const std::string& pointer, const char* key, const xl::sheet& s,
                  const column_set& cols, const char* column, std::uint32_t row, bool required) {
    const auto found = cols.index.find(column);
    if (found == cols.index.end()) return;
    place(pointer + "/" + key, s, row, found->second);
    const auto text = text_of(s, row, found->second);
    if (text) obj[key] = *text;
    else if (required) obj[key] = "";
  }

  /// A number cell as a JSON number; text that reads as a number too.  Any
  /// other text is passed on as a string, so the JSON reader reports it
  /// ("expected a number") with the rest; nothing for an empty cell.
  std::optional<ordered_json> number_value(const xl::sheet& s, std::uint32_t row, std::uint32_t column, bool integer) {
    const xl::cell* c = s.at(row, column);
    if (!c) return std::nullopt;
    std::optional<double> v;
    if (c->kind == xl::cell_kind::number) v = c->number;
    if (c->kind == xl::cell_kind::text) {
      char* end = nullptr;
      const double parsed = std::strtod(c->text.c_str(), &end);
      if (!c->text.empty() && end == c->text.c_str() + c->text.size() && std::isfinite(parsed) &&
          c->text.find_first_not_of("0123456789+-.eE") == std::string::npos)
        v = parsed;
    }
    if (!v) {
      if (c->kind == xl::cell_kind::boolean) return ordered_json(c->number != 0);
      const auto text = text_of(s, row, column);
      return text ? std::optional<ordered_json>(ordered_json(*text)) : std::nullopt;
    }
    if (integer && *v == std::floor(*v) && std::fabs(*v) < 1e15) return ordered_json(static_cast<std::int64_t>(*v));
    return ordered_json(*v);
  }

  const xl::sheet* sheet(const char* name, bool required) {
    const xl::sheet* s = book_.find(name);
    if (!s && required) {
      note(std::string("sheet '") + name + "'", "missing; the workbook needs it");
      unreadable_ = true;
    }
    return s;
  }

  // ---- the document -----------------------------------------------------------------
  void build() {
    static const std::set<std::string> known{
        wb::sheets::framework,     wb::sheets::scale, wb::sheets::areas,   wb::sheets::competencies,
        wb::sheets::actions,       wb::sheets::anchors, wb::sheets::career_levels, wb::sheets::steps,
        wb::sheets::targets,       wb::sheets::archetypes, wb::sheets::archetype_competencies,
        wb::sheets::promotion_gaps};
    for (const auto& s : book_.sheets)
      if (!known.count(s.name))
        note("sheet '" + detail::echo(s.name) + "'",
             "unknown sheet; a framework workbook has the sheets Framework, Scale, Areas, Competencies, Actions, "
             "Anchors, Career levels, Steps, Targets, Archetypes, Archetype competencies and Promotion gaps");
    places_["/"] = wb::sheets::framework;
    places_["/format"] = wb::sheets::framework;
    places_["/metadata"] = wb::sheets::framework;
    doc_["format"] = nullptr;
    doc_["metadata"] = ordered_json::object();
    read_metadata();
    read_scale();
    read_areas();
    read_competencies();
    read_career_levels();
    read_steps();
    read_targets();
    read_archetypes();
  }

  void read_metadata() {
    const xl::sheet* s = sheet(wb::sheets::framework, true);
    if (!s) return;
    const auto cols = header(*s, {"Field", "Value"}, {"Field", "Value"});
    if (!cols) return;
    const std::uint32_t fc = cols->index.at("Field"), vc = cols->index.at("Value");
    ordered_json& meta = doc_["metadata"];
    std::map<std::string, std::uint32_t> seen;
    ordered_json owners = ordered_json::array(), words = ordered_json::array();
    for (std::uint32_t r : data_rows(*s, {fc, vc})) {
      const auto field = text_of(*s, r, fc);
      if (!field) {
        note(s->where(r, fc), "a value without a field name");
        continue;
      }
      const xl::cell* v = s->at(r, vc);
      const auto value = text_of(*s, r, vc);
      const std::string& f = *field;
      if (f == wb::fields::owner || f == wb::fields::trait_word) {
        if (!value) continue;
        ordered_json& list = f == wb::fields::owner ? owners : words;
        place((f == wb::fields::owner ? "/metadata/owners/" : "/checks/trait_words/") + std::to_string(list.size()), *s,
              r, vc);
        list.push_back(*value);
        continue;
      }
      static const std::map<std::string, const char*> keys{
          {wb::fields::format, "format"},   {wb::fields::id, "id"},
          {wb::fields::name, "name"},       {wb::fields::version, "version"},
          {wb::fields::last_updated, "last_updated"}, {wb::fields::description, "description"}};
      const auto key = keys.find(f);
      if (key == keys.end()) {
        note(s->where(r, fc), "unknown field '" + detail::echo(f) +
                                  "'; the fields are Format, Id, Name, Version, Last updated, Description, Owner and "
                                  "Trait word");
        continue;
      }
      if (!seen.emplace(f, r).second) {
        note(s->where(r, fc), "field '" + f + "' comes twice (first in " + s->where(seen[f], fc) + ")");
        continue;
      }
      const bool top = f == wb::fields::format;
      const std::string pointer = top ? "/format" : std::string("/metadata/") + key->second;
      place(pointer, *s, r, vc);
      std::optional<std::string> text = value;
      if (f == wb::fields::last_updated && v && v->kind == xl::cell_kind::number) text = xl::serial_date(v->number);
      if (f == wb::fields::description && !text) continue;
      (top ? doc_["format"] : meta[key->second]) = text.value_or("");
    }
    if (doc_["format"].is_null()) doc_.erase("format");
    if (!owners.empty()) meta["owners"] = owners;
    if (!words.empty()) trait_words_ = words;
  }

  void read_scale() {
    doc_["scale"] = ordered_json::array();
    places_["/scale"] = wb::sheets::scale;
    const xl::sheet* s = sheet(wb::sheets::scale, true);
    if (!s) return;
    const auto cols = header(*s, {"Id", "Label", "Description", "Scope", "Autonomy"}, {"Id", "Label"});
    if (!cols) return;
    for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
      const std::string p = "/scale/" + std::to_string(doc_["scale"].size());
      place_row(p, *s, r);
      ordered_json level = ordered_json::object();
      text_field(level, p, "id", *s, *cols, "Id", r, true);
      text_field(level, p, "label", *s, *cols, "Label", r, true);
      text_field(level, p, "description", *s, *cols, "Description", r, false);
      // Blank in a scale without scope and autonomy (a ratings-only framework).
      text_field(level, p, "scope", *s, *cols, "Scope", r, false);
      text_field(level, p, "autonomy", *s, *cols, "Autonomy", r, false);
      doc_["scale"].push_back(level);
    }
  }

  void read_areas() {
    const xl::sheet* s = sheet(wb::sheets::areas, false);
    if (!s) return;
    const auto cols = header(*s, {"Id", "Name", "Description"}, {"Id", "Name"});
    if (!cols) return;
    ordered_json areas = ordered_json::array();
    places_["/areas"] = wb::sheets::areas;
    for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
      const std::string p = "/areas/" + std::to_string(areas.size());
      place_row(p, *s, r);
      ordered_json a = ordered_json::object();
      text_field(a, p, "id", *s, *cols, "Id", r, true);
      text_field(a, p, "name", *s, *cols, "Name", r, true);
      text_field(a, p, "description", *s, *cols, "Description", r, false);
      areas.push_back(a);
    }
    if (!areas.empty()) doc_["areas"] = areas;
  }

  void read_competencies() {
    doc_["competencies"] = ordered_json::array();
    places_["/competencies"] = wb::sheets::competencies;
    const xl::sheet* s = sheet(wb::sheets::competencies, true);
    if (s) {
      const auto cols = header(*s,
                               {"Id", "Name", "Definition", "Quadrant", "Focus", "Orientation", "Area",
                                "People leadership", "Interview format"},
                               {"Id", "Name", "Definition"});
      if (cols) {
        for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
          const std::string p = "/competencies/" + std::to_string(doc_["competencies"].size());
          place_row(p, *s, r);
          ordered_json c = ordered_json::object();
          text_field(c, p, "id", *s, *cols, "Id", r, true);
          text_field(c, p, "name", *s, *cols, "Name", r, true);
          text_field(c, p, "definition", *s, *cols, "Definition", r, true);
          text_field(c, p, "quadrant", *s, *cols, "Quadrant", r, false);  // blank: no quadrants
          const auto focus_col = cols->index.find("Focus"), orientation_col = cols->index.find("Orientation");
          ordered_json position = ordered_json::object();
          if (focus_col != cols->index.end()) {
            place(p + "/position", *s, r, focus_col->second);
            place(p + "/position/focus", *s, r, focus_col->second);
            if (const auto v = number_value(*s, r, focus_col->second, false)) position["focus"] = *v;
          }
          if (orientation_col != cols->index.end()) {
            place(p + "/position/orientation", *s, r, orientation_col->second);
            if (const auto v = number_value(*s, r, orientation_col->second, false)) position["orientation"] = *v;
          }
          if (!position.empty()) c["position"] = position;
          text_field(c, p, "area", *s, *cols, "Area", r, false);
          const auto lead = cols->index.find("People leadership");
          if (lead != cols->index.end()) {
            place(p + "/people_leadership", *s, r, lead->second);
            if (const xl::cell* v = s->at(r, lead->second)) {
              std::string t = v->text;
              for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
              if (t == "true" || t == "yes" || t == "1") c["people_leadership"] = true;
              else if (!(t == "false" || t == "no" || t == "0"))
                c["people_leadership"] = v->text;  // the JSON reader says "expected a boolean"
            }
          }
          c["anchors"] = ordered_json::object();
          text_field(c, p, "interview_format", *s, *cols, "Interview format", r, false);
          const std::string id = c["id"].get<std::string>();
          if (!id.empty() && !competency_rows_.count(id)) competency_rows_[id] = doc_["competencies"].size();
          doc_["competencies"].push_back(c);
        }
      }
    }
    read_anchors();
    read_actions();
  }

  /// The competency of column A of a row in Anchors, Targets or Actions.
  std::optional<std::size_t> competency_of(const xl::sheet& s, std::uint32_t row, std::uint32_t column) {
    const auto id = text_of(s, row, column);
    if (!id) {
      note(s.where(row, column), "no competency id; expected one of the ids on the Competencies sheet");
      return std::nullopt;
    }
    const auto found = competency_rows_.find(*id);
    if (found == competency_rows_.end()) {
      note(s.where(row, column), "unknown competency '" + detail::echo(*id) + "'; expected an id from the Competencies sheet");
      return std::nullopt;
    }
    return found->second;
  }

  /// Header of a matrix sheet: column A is "Competency", the others keys.
  std::vector<std::pair<std::uint32_t, std::string>> matrix_header(const xl::sheet& s, const char* what) {
    std::vector<std::pair<std::uint32_t, std::string>> keys;
    const auto first = text_of(s, 0, 0);
    if (!first || *first != "Competency") {
      note(s.where(0, 0), std::string("expected the header 'Competency'; row 1 holds 'Competency' and then ") + what);
      unreadable_ = true;
      return keys;
    }
    std::set<std::string> seen;
    std::set<std::uint32_t> used;
    for (const xl::cell& cell : s.cells)
      if (cell.row >= 1) used.insert(cell.column);
    for (std::uint32_t c = 1; c < s.columns; ++c) {
      const auto key = text_of(s, 0, c);
      if (!key) {
        if (used.count(c)) note(s.where(0, c), std::string("a column without a header; expected ") + what);
        continue;
      }
      if (!seen.insert(*key).second) {
        note(s.where(0, c), "column '" + detail::echo(*key) + "' comes twice");
        continue;
      }
      keys.emplace_back(c, *key);
    }
    return keys;
  }

  void read_anchors() {
    const xl::sheet* s = sheet(wb::sheets::anchors, true);
    if (!s || s->rows == 0) return;
    const auto keys = matrix_header(*s, "one scale level id per column");
    std::map<std::size_t, std::uint32_t> done;
    const auto rows = body_rows(*s);
    const bool every_place = rows.size() * keys.size() <= max_matrix_places;
    std::map<std::uint32_t, std::string> level_of(keys.begin(), keys.end());
    for (const auto& [r, cells] : rows) {
      const auto comp = competency_of(*s, r, 0);
      if (!comp) continue;
      if (!done.emplace(*comp, r).second) {
        note(s->where(r, 0), "the anchors of this competency come twice (first in row " + std::to_string(done[*comp] + 1) + ")");
        continue;
      }
      const std::string p = "/competencies/" + std::to_string(*comp) + "/anchors";
      place(p, *s, r, 0);
      if (every_place)
        for (const auto& [c, level] : keys) place(p + "/" + escape_pointer(level), *s, r, c);
      ordered_json& anchors = doc_["competencies"][*comp]["anchors"];
      for (const xl::cell* cell : cells) {
        const auto level = level_of.find(cell->column);
        if (level == level_of.end()) continue;
        place(p + "/" + escape_pointer(level->second), *s, r, cell->column);
        if (const auto text = text_of(*s, r, cell->column)) anchors[level->second] = *text;
      }
    }
  }

  void read_actions() {
    const xl::sheet* s = sheet(wb::sheets::actions, false);
    if (!s) return;
    const auto cols = header(*s, {"Competency", "Action"}, {"Competency", "Action"});
    if (!cols) return;
    const std::uint32_t cc = cols->index.at("Competency"), ac = cols->index.at("Action");
    for (std::uint32_t r : data_rows(*s, {cc, ac})) {
      const auto comp = competency_of(*s, r, cc);
      const auto text = text_of(*s, r, ac);
      if (!comp) continue;
      if (!text) {
        note(s->where(r, ac), "an empty action");
        continue;
      }
      ordered_json& c = doc_["competencies"][*comp];
      if (!c.contains("actions")) c["actions"] = ordered_json::array();
      place("/competencies/" + std::to_string(*comp) + "/actions/" + std::to_string(c["actions"].size()), *s, r, ac);
      c["actions"].push_back(*text);
    }
  }

  void read_career_levels() {
    doc_["career_levels"] = ordered_json::array();
    places_["/career_levels"] = wb::sheets::career_levels;
    const xl::sheet* s = sheet(wb::sheets::career_levels, true);
    if (!s) return;
    const auto cols = header(*s, {"Id", "Name", "Track", "Rank"}, {"Id", "Name", "Track", "Rank"});
    if (!cols) return;
    for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
      const std::string p = "/career_levels/" + std::to_string(doc_["career_levels"].size());
      place_row(p, *s, r);
      ordered_json l = ordered_json::object();
      text_field(l, p, "id", *s, *cols, "Id", r, true);
      text_field(l, p, "name", *s, *cols, "Name", r, true);
      text_field(l, p, "track", *s, *cols, "Track", r, true);
      const std::uint32_t rc = cols->index.at("Rank");
      place(p + "/rank", *s, r, rc);
      if (const auto v = number_value(*s, r, rc, true)) l["rank"] = *v;
      doc_["career_levels"].push_back(l);
    }
  }

  void read_steps() {
    const xl::sheet* s = sheet(wb::sheets::steps, false);
    if (!s) return;
    const auto cols = header(*s, {"From", "To"}, {"From", "To"});
    if (!cols) return;
    ordered_json steps = ordered_json::array();
    places_["/steps"] = wb::sheets::steps;
    for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
      const std::string p = "/steps/" + std::to_string(steps.size());
      place_row(p, *s, r);
      ordered_json st = ordered_json::object();
      text_field(st, p, "from", *s, *cols, "From", r, true);
      text_field(st, p, "to", *s, *cols, "To", r, true);
      steps.push_back(st);
    }
    if (!steps.empty()) doc_["steps"] = steps;
  }

  void read_targets() {
    doc_["expectations"] = ordered_json::object();
    places_["/expectations"] = wb::sheets::targets;
    const xl::sheet* s = sheet(wb::sheets::targets, true);
    if (!s || s->rows == 0) return;
    const auto keys = matrix_header(*s, "one career level id per column");
    ordered_json& ex = doc_["expectations"];
    for (const auto& [c, level] : keys) {
      ex[level] = ordered_json::object();
      place("/expectations/" + escape_pointer(level), *s, 0, c);
    }
    std::map<std::size_t, std::uint32_t> done;
    const auto rows = body_rows(*s);
    const bool every_place = rows.size() * keys.size() <= max_matrix_places;
    std::map<std::uint32_t, std::string> career_of(keys.begin(), keys.end());
    for (const auto& [r, cells] : rows) {
      const auto comp = competency_of(*s, r, 0);
      if (!comp) continue;
      if (!done.emplace(*comp, r).second) {
        note(s->where(r, 0), "the targets of this competency come twice (first in row " + std::to_string(done[*comp] + 1) + ")");
        continue;
      }
      const std::string id = doc_["competencies"][*comp]["id"].get<std::string>();
      if (every_place)
        for (const auto& [c, level] : keys) place("/expectations/" + escape_pointer(level) + "/" + escape_pointer(id), *s, r, c);
      for (const xl::cell* cell : cells) {
        const auto level = career_of.find(cell->column);
        if (level == career_of.end()) continue;
        place("/expectations/" + escape_pointer(level->second) + "/" + escape_pointer(id), *s, r, cell->column);
        if (const auto text = text_of(*s, r, cell->column)) ex[level->second][id] = *text;
      }
    }
    // A competency without a row has its expectations missing; the JSON
    // reader names the career level, whose header cell is its place.
  }

  void read_archetypes() {
    const xl::sheet* s = sheet(wb::sheets::archetypes, false);
    ordered_json archetypes = ordered_json::array();
    std::map<std::string, std::size_t> index;
    if (s) {
      const auto cols = header(*s, {"Id", "Name", "Description"}, {"Id", "Name"});
      if (cols) {
        places_["/archetypes"] = wb::sheets::archetypes;
        for (std::uint32_t r : data_rows(*s, all_columns(*cols))) {
          const std::string p = "/archetypes/" + std::to_string(archetypes.size());
          place_row(p, *s, r);
          ordered_json a = ordered_json::object();
          text_field(a, p, "id", *s, *cols, "Id", r, true);
          text_field(a, p, "name", *s, *cols, "Name", r, true);
          text_field(a, p, "description", *s, *cols, "Description", r, false);
          index.emplace(a["id"].get<std::string>(), archetypes.size());
          archetypes.push_back(a);
        }
      }
    }
    if (const xl::sheet* p = sheet(wb::sheets::archetype_competencies, false)) {
      const auto cols = header(*p, {"Archetype", "Kind", "Competency"}, {"Archetype", "Kind", "Competency"});
      if (cols) {
        const std::uint32_t ac = cols->index.at("Archetype"), kc = cols->index.at("Kind"), cc = cols->index.at("Competency");
        for (std::uint32_t r : data_rows(*p, {ac, kc, cc})) {
          const auto id = text_of(*p, r, ac);
          const auto kind = text_of(*p, r, kc);
          const auto comp = text_of(*p, r, cc);
          const auto found = id ? index.find(*id) : index.end();
          if (found == index.end()) {
            note(p->where(r, ac), "unknown archetype '" + detail::echo(id.value_or("")) + "'; expected an id from the Archetypes sheet");
            continue;
          }
          if (!kind || (*kind != "strong" && *kind != "growth")) {
            note(p->where(r, kc), "'" + detail::echo(kind.value_or("")) + "' is neither strong nor growth");
            continue;
          }
          if (!comp) {
            note(p->where(r, cc), "no competency id");
            continue;
          }
          ordered_json& a = archetypes[found->second];
          if (!a.contains(*kind)) a[*kind] = ordered_json::array();
          place("/archetypes/" + std::to_string(found->second) + "/" + *kind + "/" + std::to_string(a[*kind].size()), *p, r, cc);
          a[*kind].push_back(*comp);
        }
      }
    }
    if (!archetypes.empty()) doc_["archetypes"] = archetypes;
    if (!trait_words_.empty()) doc_["checks"] = ordered_json{{"trait_words", trait_words_}};
  }

  const xl::workbook& book_;
  std::string source_;
  detail::problem_list problems_;
  ordered_json doc_ = ordered_json::object();
  ordered_json trait_words_ = ordered_json::array();
  std::map<std::string, std::string> places_;  // JSON pointer -> "Sheet!B5"
  std::set<std::string> troubled_;             // sheets with a problem found before the JSON reader ran
  bool reading_json_ = false;                  // the problems now come from the JSON reader
  bool unreadable_ = false;                    // a required sheet or column is missing
  std::map<std::string, std::size_t> competency_rows_;
};

}  // namespace

framework detail::workbook::framework_from_workbook(const xl::workbook& book, const std::string& source) {
  return workbook_reader(book, source).read();
}

framework parse_framework_xlsx(std::string_view bytes, const std::string& source_name) {
  const xl::workbook book = xl::read_workbook(bytes, source_name, framework_limits());
  return workbook_reader(book, source_name).read();
}

framework load_framework_xlsx(const std::string& path) {
  const xl::workbook book = xl::load_workbook(path, framework_limits());
  return workbook_reader(book, path).read();
}

}  // namespace calibra
