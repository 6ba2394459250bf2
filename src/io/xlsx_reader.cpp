// The XLSX reader (xlsx_reader.hpp): minizip over a memory buffer, expat
// over each XML part, every limit checked while the bytes are produced.
#include "xlsx_reader.hpp"

#include "message_text.hpp"
#include "read_file.hpp"

#include <calibra/error.hpp>

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>

namespace calibra::detail::xlsx {

// ---- references -------------------------------------------------------------------

std::string column_name(std::uint32_t column) {
  std::string name;
  std::uint64_t n = std::uint64_t{column} + 1;
  while (n > 0) {
    const auto digit = static_cast<char>('A' + (n - 1) % 26);
    name.insert(name.begin(), digit);
    n = (n - 1) / 26;
  }
  return name;
}

std::string cell_ref(std::uint32_t row, std::uint32_t column) {
  return column_name(column) + std::to_string(std::uint64_t{row} + 1);
}

std::optional<cell_position> parse_cell_ref(std::string_view ref) {
  std::size_t i = 0;
  std::uint64_t column = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    column = column * 26 + static_cast<std::uint64_t>(ref[i] - 'A' + 1);
    if (column > max_columns || ++i > 3) return std::nullopt;
  }
  if (i == 0 || i == ref.size() || ref[i] == '0') return std::nullopt;
  std::uint64_t row = 0;
  for (std::size_t j = i; j < ref.size(); ++j) {
    if (ref[j] < '0' || ref[j] > '9' || j - i >= 7) return std::nullopt;
    row = row * 10 + static_cast<std::uint64_t>(ref[j] - '0');
  }
  if (row == 0 || row > max_rows) return std::nullopt;
  return cell_position{static_cast<std::uint32_t>(row - 1), static_cast<std::uint32_t>(column - 1)};
}

bool looks_like_zip(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

const cell* sheet::at(std::uint32_t row, std::uint32_t column) const {
  const auto found = std::lower_bound(cells.begin(), cells.end(), std::make_pair(row, column),
                                      [](const cell& c, const std::pair<std::uint32_t, std::uint32_t>& key) {
                                        return std::make_pair(c.row, c.column) < key;
                                      });
  return found != cells.end() && found->row == row && found->column == column ? &*found : nullptr;
}

std::string sheet::where(std::uint32_t row, std::uint32_t column) const {
  return sheet_label(name) + "!" + cell_ref(row, column);
}

std::string sheet_label(std::string_view name) {
  const bool plain = !name.empty() && name.find_first_not_of(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.") == std::string_view::npos;
  if (plain) return detail::echo(name);
  std::string quoted;
  for (char ch : name) quoted += ch == '\'' ? std::string("''") : std::string(1, ch);
  return "'" + detail::echo(quoted) + "'";
}

const sheet* workbook::find(std::string_view name) const {
  for (const sheet& s : sheets)
    if (s.name == name) return &s;
  return nullptr;
}

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& message) {
  throw parse_error("xlsx", source + ": " + message);
}

// ---- ZIP from memory ----------------------------------------------------------------

struct memory_stream {
  std::string_view bytes;
  std::uint64_t position = 0;
};

voidpf ZCALLBACK mem_open(voidpf opaque, const void* /*name*/, int mode) {
  if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ) return nullptr;
  static_cast<memory_stream*>(opaque)->position = 0;
  return opaque;
}

uLong ZCALLBACK mem_read(voidpf /*opaque*/, voidpf stream, void* buffer, uLong size) {
  auto* s = static_cast<memory_stream*>(stream);
  if (s->position >= s->bytes.size()) return 0;
  const auto n = static_cast<uLong>(std::min<std::uint64_t>(size, s->bytes.size() - s->position));
  std::memcpy(buffer, s->bytes.data() + s->position, n);
  s->position += n;
  return n;
}

uLong ZCALLBACK mem_write(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK mem_tell(voidpf /*opaque*/, voidpf stream) { return static_cast<memory_stream*>(stream)->position; }

long ZCALLBACK mem_seek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
  auto* s = static_cast<memory_stream*>(stream);
  std::uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = s->position; break;
    case ZLIB_FILEFUNC_SEEK_END: base = s->bytes.size(); break;
    default: return -1;
  }
  if (offset > s->bytes.size() || base > s->bytes.size() - offset) return -1;
  s->position = base + offset;
  return 0;
}

int ZCALLBACK mem_close(voidpf, voidpf) { return 0; }
int ZCALLBACK mem_error(voidpf, voidpf) { return 0; }

/// The ZIP container: the entry list is read once, parts on demand.
class archive {
 public:
  archive(std::string_view bytes, const std::string& source, const limits& caps)
      : source_(source), caps_(caps), stream_{bytes, 0} {
    if (bytes.empty()) fail(source_, "the file is empty; expected an XLSX workbook");
    if (!looks_like_zip(bytes))
      fail(source_, "not an XLSX workbook (an XLSX file is a ZIP archive, and this one does not start like one)");
    zlib_filefunc64_def functions{};
    functions.zopen64_file = mem_open;
    functions.zread_file = mem_read;
    functions.zwrite_file = mem_write;
    functions.ztell64_file = mem_tell;
    functions.zseek64_file = mem_seek;
    functions.zclose_file = mem_close;
    functions.zerror_file = mem_error;
    functions.opaque = &stream_;
    handle_.reset(unzOpen2_64("memory", &functions));
    zip_ = handle_.get();
    if (!zip_) fail(source_, "not a readable ZIP archive (truncated or damaged; an XLSX workbook is a ZIP archive)");
    unz_global_info64 info{};
    if (unzGetGlobalInfo64(zip_, &info) != UNZ_OK) fail(source_, "cannot read the ZIP directory");
    if (info.number_entry > caps_.max_entries)
      fail(source_, "the archive has " + std::to_string(info.number_entry) + " entries; the limit is " +
                        std::to_string(caps_.max_entries));
    for (int status = unzGoToFirstFile(zip_); status == UNZ_OK; status = unzGoToNextFile(zip_)) {
      char name[1024];
      unz_file_info64 file{};
      if (unzGetCurrentFileInfo64(zip_, &file, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK)
        fail(source_, "cannot read the ZIP directory");
      if (++seen_ > caps_.max_entries)
        fail(source_, "the archive has more than " + std::to_string(caps_.max_entries) + " entries");
      unz64_file_pos position{};
      unzGetFilePos64(zip_, &position);
      entries_.emplace(std::string(name, std::min<std::size_t>(file.size_filename, sizeof name - 1)),
                       entry{position, file.compressed_size, file.uncompressed_size, file.flag,
                             file.compression_method});
    }
  }
  archive(const archive&) = delete;
  archive& operator=(const archive&) = delete;

  bool has(const std::string& name) const { return entries_.count(name) > 0; }

  /// The inflated bytes of one part, within every limit.
  std::string read(const std::string& name) {
    const auto found = entries_.find(name);
    if (found == entries_.end()) fail(source_, "the workbook has no part '" + name + "'");
    const entry& e = found->second;
    const std::string where = source_ + ": part '" + name + "'";
    if (e.flag & 1U) throw parse_error("xlsx", where + " is encrypted; save the workbook without a password");
    if (e.method != 0 && e.method != Z_DEFLATED)
      throw parse_error("xlsx", where + " uses ZIP compression method " + std::to_string(e.method) +
                                    "; only stored and deflated parts are read");
    if (e.uncompressed > caps_.max_entry_bytes)
      throw parse_error("xlsx", where + " inflates to " + std::to_string(e.uncompressed) + " bytes; the limit is " +
                                    std::to_string(caps_.max_entry_bytes) + " per part");
    auto position = e.position;
    if (unzGoToFilePos64(zip_, &position) != UNZ_OK || unzOpenCurrentFile(zip_) != UNZ_OK)
      throw parse_error("xlsx", where + " cannot be opened (damaged archive)");
    std::string out;
    out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(e.uncompressed, std::uint64_t{1} << 20)));
    char buffer[1 << 15];
    for (;;) {
      const int got = unzReadCurrentFile(zip_, buffer, sizeof buffer);
      if (got < 0) {
        unzCloseCurrentFile(zip_);
        throw parse_error("xlsx", where + " cannot be inflated (damaged or truncated archive)");
      }
      if (got == 0) break;
      const auto n = static_cast<std::size_t>(got);
      if (out.size() + n > e.uncompressed) {
        unzCloseCurrentFile(zip_);
        throw parse_error("xlsx", where + " inflates to more than the " + std::to_string(e.uncompressed) +
                                      " bytes its directory entry declares");
      }
      if (total_ + out.size() + n > caps_.max_total_bytes) {
        unzCloseCurrentFile(zip_);
        throw parse_error("xlsx", where + ": the parts read inflate to more than " +
                                      std::to_string(caps_.max_total_bytes) + " bytes in all, the limit");
      }
      out.append(buffer, n);
      if (out.size() > caps_.ratio_floor_bytes &&
          out.size() / std::max<std::uint64_t>(e.compressed, 1) > caps_.max_ratio) {
        unzCloseCurrentFile(zip_);
        throw parse_error("xlsx", where + " inflates more than " + std::to_string(caps_.max_ratio) +
                                      " times its compressed size (" + std::to_string(e.compressed) +
                                      " bytes): refused as a likely zip bomb");
      }
    }
    const int closed = unzCloseCurrentFile(zip_);
    if (closed == UNZ_CRCERROR && caps_.verify_crc) throw parse_error("xlsx", where + " fails its CRC check (damaged archive)");
    if (out.size() != e.uncompressed)
      throw parse_error("xlsx", where + " inflates to " + std::to_string(out.size()) + " bytes, not the " +
                                    std::to_string(e.uncompressed) + " its directory entry declares");
    total_ += out.size();
    return out;
  }

 private:
  struct entry {
    unz64_file_pos position;
    std::uint64_t compressed = 0;
    std::uint64_t uncompressed = 0;
    unsigned long flag = 0;
    unsigned long method = 0;
  };

  std::string source_;
  limits caps_;
  memory_stream stream_;
  /// Closed however the constructor or a read ends (a constructor that
  /// throws runs no destructor, so a raw handle would leak).
  struct closer {
    void operator()(void* z) const { unzClose(z); }
  };
  std::unique_ptr<void, closer> handle_;
  unzFile zip_ = nullptr;
  std::map<std::string, entry> entries_;
  std::size_t seen_ = 0;
  std::uint64_t total_ = 0;
};

// ---- XML --------------------------------------------------------------------------

/// Local name of a possibly prefixed XML name ("x:c" -> "c").
std::string_view local(const XML_Char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XML_Char* attribute(const XML_Char** attributes, std::string_view wanted) {
  for (std::size_t i = 0; attributes[i]; i += 2)
    if (local(attributes[i]) == wanted) return attributes[i + 1];
  return nullptr;
}

/// A SAX handler over one part.  Derived classes implement start/end/text.
class xml_part {
 public:
  /// `where` starts messages; `source` alone starts those that name a
  /// cell ("Targets!D7: ..."), which says the sheet already.
  xml_part(std::string where, const limits& caps, std::string source = {})
      : caps_(caps), where_(std::move(where)), source_(std::move(source)) {}
  virtual ~xml_part() = default;
  xml_part(const xml_part&) = delete;
  xml_part& operator=(const xml_part&) = delete;

  void parse(const std::string& text) {
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"), XML_ParserFree);
    if (!parser) throw parse_error("xlsx", where_ + ": cannot start the XML parser");
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, on_start, on_end);
    XML_SetCharacterDataHandler(parser_, on_text);
    XML_SetStartDoctypeDeclHandler(parser_, on_doctype);
    XML_SetEntityDeclHandler(parser_, on_entity);
    // Parse in slices: an int length, and a stop is noticed between slices.
    constexpr std::size_t slice = std::size_t{1} << 20;
    for (std::size_t at = 0;; at += slice) {
      const std::size_t n = std::min(slice, text.size() - std::min(at, text.size()));
      const bool last = at + n >= text.size();
      if (XML_Parse(parser_, text.data() + at, static_cast<int>(n), last) != XML_STATUS_OK) {
        if (!failure_.empty())
          throw parse_error("xlsx", (located_ && !source_.empty() ? source_ : where_) + ": " + failure_);
        throw parse_error("xlsx", where_ + ":" + std::to_string(XML_GetCurrentLineNumber(parser_)) + ":" +
                                      std::to_string(XML_GetCurrentColumnNumber(parser_) + 1) + ": invalid XML: " +
                                      XML_ErrorString(XML_GetErrorCode(parser_)));
      }
      if (last) break;
    }
    parser_ = nullptr;
  }

 protected:
  virtual void start(std::string_view name, const XML_Char** attributes) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}

  /// Stops parsing; parse() throws with this message.
  void stop(std::string message) {
    if (failure_.empty()) failure_ = std::move(message);
    XML_StopParser(parser_, XML_FALSE);
  }
  bool stopped() const { return !failure_.empty(); }
  /// Stops with a message that starts with its own "Sheet!A1" location.
  void stop_at_cell(std::string message) {
    if (failure_.empty()) located_ = true;
    stop(std::move(message));
  }

  const limits& caps_;

 private:
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** attributes) {
    auto* p = static_cast<xml_part*>(self);
    if (p->stopped()) return;
    if (++p->depth_ > p->caps_.max_depth) {
      p->stop("XML nested deeper than " + std::to_string(p->caps_.max_depth) + " elements");
      return;
    }
    p->start(local(name), attributes);
  }
  static void XMLCALL on_end(void* self, const XML_Char* name) {
    auto* p = static_cast<xml_part*>(self);
    if (p->stopped()) return;
    --p->depth_;
    p->end(local(name));
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* p = static_cast<xml_part*>(self);
    if (!p->stopped()) p->text(std::string_view(s, static_cast<std::size_t>(len)));
  }
  static void XMLCALL on_doctype(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<xml_part*>(self)->stop("a document type declaration (DTD) is not allowed in a workbook part");
  }
  static void XMLCALL on_entity(void* self, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                                const XML_Char*, const XML_Char*, const XML_Char*) {
    static_cast<xml_part*>(self)->stop("an entity declaration is not allowed in a workbook part");
  }

  std::string where_;
  std::string source_;
  bool located_ = false;
  XML_Parser parser_ = nullptr;
  std::size_t depth_ = 0;
  std::string failure_;
};

/// xl/workbook.xml: sheet names and relationship ids, in tab order.
class workbook_part : public xml_part {
 public:
  using xml_part::xml_part;
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id

 protected:
  void start(std::string_view name, const XML_Char** attributes) override {
    if (name != "sheet") return;
    const XML_Char* sheet_name = attribute(attributes, "name");
    const XML_Char* id = attribute(attributes, "id");
    if (!sheet_name || !id) return stop("a <sheet> element without a name or a relationship id");
    if (sheets.size() >= caps_.max_sheets)
      return stop("more than " + std::to_string(caps_.max_sheets) + " sheets, the limit");
    sheets.emplace_back(sheet_name, id);
  }
  void end(std::string_view) override {}
};

/// A relationships part: id -> target, and the target of a type.
class relationships_part : public xml_part {
 public:
  using xml_part::xml_part;
  std::map<std::string, std::string> targets;  // id -> target
  std::map<std::string, std::string> by_type;  // last segment of the type -> target

 protected:
  void start(std::string_view name, const XML_Char** attributes) override {
    if (name != "Relationship") return;
    const XML_Char* id = attribute(attributes, "Id");
    const XML_Char* target = attribute(attributes, "Target");
    const XML_Char* type = attribute(attributes, "Type");
    if (!id || !target) return;
    targets[id] = target;
    if (type) {
      std::string_view t(type);
      by_type[std::string(t.substr(t.rfind('/') + 1))] = target;
    }
  }
  void end(std::string_view) override {}
};

/// Text budget shared by the shared strings and the cells.
struct text_budget {
  std::size_t used = 0;
  std::size_t cap = 0;
  bool take(std::size_t n) {
    if (n > cap - used) return false;
    used += n;
    return true;
  }
};

/// xl/sharedStrings.xml: the text of each <si>, its runs joined; phonetic
/// runs (<rPh>) left out.
class shared_strings_part : public xml_part {
 public:
  shared_strings_part(std::string where, const limits& caps, text_budget& budget)
      : xml_part(std::move(where), caps), budget_(budget) {}
  std::vector<std::string> strings;

 protected:
  void start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      if (strings.size() >= caps_.max_shared_strings)
        return stop("more than " + std::to_string(caps_.max_shared_strings) + " shared strings, the limit");
      strings.emplace_back();
      in_si_ = true;
    } else if (name == "rPh") {
      ++in_phonetic_;
    } else if (name == "t" && in_si_ && in_phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") in_si_ = false;
    else if (name == "rPh") --in_phonetic_;
    else if (name == "t") in_t_ = false;
  }
  void text(std::string_view s) override {
    if (!in_t_) return;
    if (!budget_.take(s.size())) return stop("the strings hold more than " + std::to_string(budget_.cap) + " bytes of text, the limit");
    strings.back().append(s);
  }

 private:
  text_budget& budget_;
  bool in_si_ = false;
  bool in_t_ = false;
  int in_phonetic_ = 0;
};

/// One worksheet's cells.
class sheet_part : public xml_part {
 public:
  sheet_part(std::string where, std::string source, const limits& caps, sheet& out,
             const std::vector<std::string>& shared, text_budget& budget, std::size_t& cells_so_far)
      : xml_part(std::move(where), caps, std::move(source)), out_(out), shared_(shared), budget_(budget),
        cells_(cells_so_far) {}

 protected:
  void start(std::string_view name, const XML_Char** attributes) override {
    if (name == "sheetData") {
      in_data_ = true;
    } else if (in_data_ && name == "row") {
      const XML_Char* r = attribute(attributes, "r");
      if (r) {
        std::string_view digits(r);
        std::uint64_t n = 0;
        bool ok = !digits.empty() && digits.size() <= 7;
        for (char ch : digits) ok = ok && ch >= '0' && ch <= '9' && ((n = n * 10 + static_cast<std::uint64_t>(ch - '0')), true);
        if (!ok || n == 0 || n > max_rows) return stop("row number '" + printable(digits) + "' is not a row of the sheet (1 to 1048576)");
        row_ = static_cast<std::uint32_t>(n - 1);
      } else {
        row_ = have_row_ ? row_ + 1 : 0;
      }
      if (have_row_ && row_ < last_row_) return stop("row " + std::to_string(row_ + 1) + " comes after row " + std::to_string(last_row_ + 1));
      have_row_ = true;
      last_row_ = row_;
      next_column_ = 0;
    } else if (in_data_ && name == "c") {
      current_ = cell{};
      type_.clear();
      value_.clear();
      inline_.clear();
      has_value_ = false;
      const XML_Char* r = attribute(attributes, "r");
      if (r) {
        const auto at = parse_cell_ref(r);
        if (!at) return stop("cell reference '" + printable(r) + "' is not an A1 reference (A1 to XFD1048576)");
        if (at->row != row_) return stop("cell " + std::string(r) + " is inside row " + std::to_string(row_ + 1));
        current_.row = at->row;
        current_.column = at->column;
      } else {
        if (next_column_ >= max_columns) return stop("row " + std::to_string(row_ + 1) + " has more than 16384 cells");
        current_.row = row_;
        current_.column = next_column_;
      }
      if (current_.column < next_column_ && r)
        return stop_at_cell(out_.where(current_.row, current_.column) + " comes twice or out of order in its row");
      next_column_ = current_.column + 1;
      if (const XML_Char* t = attribute(attributes, "t")) type_ = t;
      in_cell_ = true;
    } else if (in_cell_ && name == "v") {
      in_v_ = true;
      has_value_ = true;
    } else if (in_cell_ && name == "is") {
      in_is_ = true;
      has_value_ = true;
    } else if (in_is_ && name == "rPh") {
      ++in_phonetic_;
    } else if (in_is_ && name == "t" && in_phonetic_ == 0) {
      in_t_ = true;
    }
  }

  void end(std::string_view name) override {
    if (name == "sheetData") in_data_ = false;
    else if (name == "v") in_v_ = false;
    else if (name == "is") in_is_ = false;
    else if (name == "rPh" && in_phonetic_ > 0) --in_phonetic_;
    else if (name == "t") in_t_ = false;
    else if (name == "c" && in_cell_) {
      in_cell_ = false;
      finish_cell();
    }
  }

  void text(std::string_view s) override {
    if (!in_v_ && !in_t_) return;
    std::string& into = in_v_ ? value_ : inline_;
    if (into.size() + s.size() > 32767 * 4 + 64)
      return stop_at_cell(out_.where(current_.row, current_.column) + " holds more than Excel's 32767 characters");
    into.append(s);
  }

 private:
  void finish_cell() {
    if (!has_value_) return;
    const std::string here = out_.where(current_.row, current_.column);
    if (type_ == "s") {
      std::uint64_t index = 0;
      bool ok = !value_.empty() && value_.size() <= 10;
      for (char ch : value_) ok = ok && ch >= '0' && ch <= '9' && ((index = index * 10 + static_cast<std::uint64_t>(ch - '0')), true);
      if (!ok) return stop_at_cell(here + ": shared string index '" + printable(value_) + "' is not a number");
      if (index >= shared_.size())
        return stop_at_cell(here + ": shared string " + std::to_string(index) + " does not exist (the workbook has " +
                    std::to_string(shared_.size()) + ")");
      current_.kind = cell_kind::text;
      current_.text = shared_[static_cast<std::size_t>(index)];
    } else if (type_ == "inlineStr") {
      current_.kind = cell_kind::text;
      current_.text = std::move(inline_);
    } else if (type_ == "str") {
      current_.kind = cell_kind::text;
      current_.text = std::move(value_);
    } else if (type_ == "b") {
      if (value_ != "0" && value_ != "1")
        return stop_at_cell(here + ": boolean value '" + printable(value_) + "' is neither 0 nor 1");
      current_.kind = cell_kind::boolean;
      current_.number = value_ == "1" ? 1 : 0;
      current_.text = value_ == "1" ? "TRUE" : "FALSE";
    } else if (type_ == "e") {
      current_.kind = cell_kind::error;
      current_.text = std::move(value_);
    } else if (type_.empty() || type_ == "n" || type_ == "d") {
      if (type_ == "d") {  // an ISO 8601 date kept as text (rare; strict Open XML)
        current_.kind = cell_kind::text;
        current_.text = std::move(value_);
      } else {
        std::string v = value_;
        while (!v.empty() && (v.back() == ' ')) v.pop_back();
        if (v.empty()) return;
        char* end = nullptr;
        errno = 0;
        const double number = std::strtod(v.c_str(), &end);
        const bool plain = v.find_first_not_of("0123456789+-.eE") == std::string::npos;
        if (!plain || end != v.c_str() + v.size() || !std::isfinite(number) || errno == ERANGE)
          return stop_at_cell(here + ": '" + printable(value_) + "' is not a number");
        current_.kind = cell_kind::number;
        current_.number = number;
        current_.text = v;
      }
    } else {
      return stop_at_cell(here + ": unknown cell type '" + printable(type_) + "'");
    }
    if (current_.kind == cell_kind::text && current_.text.empty()) return;
    if (++cells_ > caps_.max_cells) return stop("more than " + std::to_string(caps_.max_cells) + " cells with a value, the limit");
    if (!budget_.take(current_.text.size()))
      return stop("the cells hold more than " + std::to_string(budget_.cap) + " bytes of text, the limit");
    out_.rows = std::max(out_.rows, current_.row + 1);
    out_.columns = std::max(out_.columns, current_.column + 1);
    out_.cells.push_back(std::move(current_));
  }

  static std::string printable(std::string_view s) { return detail::echo(s); }

  sheet& out_;
  const std::vector<std::string>& shared_;
  text_budget& budget_;
  std::size_t& cells_;
  bool in_data_ = false, in_cell_ = false, in_v_ = false, in_is_ = false, in_t_ = false, has_value_ = false;
  bool have_row_ = false;
  int in_phonetic_ = 0;
  std::uint32_t row_ = 0, last_row_ = 0, next_column_ = 0;
  cell current_;
  std::string type_, value_, inline_;
};

/// Resolves a relationship target against xl/ ("worksheets/sheet1.xml",
/// "/xl/worksheets/sheet1.xml", "./worksheets/sheet1.xml").
std::string part_name(std::string_view base_dir, std::string_view target) {
  if (!target.empty() && target.front() == '/') return std::string(target.substr(1));
  std::vector<std::string> segments;
  std::string path = std::string(base_dir) + std::string(target);
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

}  // namespace

workbook read_workbook(std::string_view bytes, const std::string& source, const limits& caps) {
  detail::reject_oversized_text(bytes, caps.max_file_bytes, "xlsx", source, "XLSX workbooks");
  archive zip(bytes, source, caps);

  // The workbook part: where _rels/.rels says, else the usual place.
  std::string book_name = "xl/workbook.xml";
  if (zip.has("_rels/.rels")) {
    relationships_part root(source + ": part '_rels/.rels'", caps);
    root.parse(zip.read("_rels/.rels"));
    const auto found = root.by_type.find("officeDocument");
    if (found != root.by_type.end()) book_name = part_name("", found->second);
  }
  if (!zip.has(book_name))
    fail(source, "the archive has no workbook part ('" + book_name + "'): it is a ZIP file but not an XLSX workbook");
  const std::string book_dir = book_name.substr(0, book_name.rfind('/') + 1);
  const std::string rels_name = book_dir + "_rels/" + book_name.substr(book_dir.size()) + ".rels";

  workbook_part book(source + ": part '" + book_name + "'", caps);
  book.parse(zip.read(book_name));
  if (!zip.has(rels_name)) fail(source, "the workbook has no relationships part ('" + rels_name + "')");
  relationships_part rels(source + ": part '" + rels_name + "'", caps);
  rels.parse(zip.read(rels_name));

  text_budget budget{0, caps.max_text_bytes};
  std::vector<std::string> shared;
  {
    const auto found = rels.by_type.find("sharedStrings");
    const std::string name = found != rels.by_type.end() ? part_name(book_dir, found->second) : book_dir + "sharedStrings.xml";
    if (zip.has(name)) {
      shared_strings_part strings(source + ": part '" + name + "'", caps, budget);
      strings.parse(zip.read(name));
      shared = std::move(strings.strings);
    }
  }

  workbook result;
  std::size_t cells = 0;
  for (const auto& [name, id] : book.sheets) {
    for (const sheet& s : result.sheets)
      if (s.name == name) fail(source, "two sheets are named '" + detail::echo(name) + "'");
    const auto target = rels.targets.find(id);
    if (target == rels.targets.end())
      fail(source, "sheet '" + detail::echo(name) + "' names relationship '" + detail::echo(id) +
                       "', which the workbook does not have");
    const std::string part = part_name(book_dir, target->second);
    if (!zip.has(part)) fail(source, "sheet '" + detail::echo(name) + "' is missing its part '" + detail::echo(part) + "'");
    sheet s;
    s.name = name;
    sheet_part reader(source + ": sheet '" + detail::echo(name) + "'", source, caps, s, shared, budget, cells);
    reader.parse(zip.read(part));
    std::stable_sort(s.cells.begin(), s.cells.end(), [](const cell& a, const cell& b) {
      return std::make_pair(a.row, a.column) < std::make_pair(b.row, b.column);
    });
    result.sheets.push_back(std::move(s));
  }
  return result;
}

std::optional<std::string> serial_date(double serial) {
  if (!(serial >= 1 && serial < 2958466) || serial != std::floor(serial)) return std::nullopt;
  // Days since 1970-01-01 (serial 25569) through Howard Hinnant's
  // civil_from_days.
  const long z = static_cast<long>(serial) - 25569 + 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long y = yoe + era * 400;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const long d = doy - (153 * mp + 2) / 5 + 1;
  const long m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  const auto two = [](long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return std::to_string(y) + "-" + two(m) + "-" + two(d);
}

workbook load_workbook(const std::string& path, const limits& caps) {
  const std::string bytes = detail::read_file(path, caps.max_file_bytes, "xlsx");
  return read_workbook(bytes, path, caps);
}

}  // namespace calibra::detail::xlsx
