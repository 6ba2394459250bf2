// Test support: XLSX workbooks assembled in memory with minizip, so that a
// test holds exactly the cells it needs (inline strings, numbers, shared
// strings, error values) without a spreadsheet program.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace calibra_test::xlsx {

using parts = std::vector<std::pair<std::string, std::string>>;

/// A ZIP archive of `files` (deflated at the best compression unless
/// `stored`), as bytes.
inline std::string zip_of(const parts& files, bool stored = false) {
  static int counter = 0;
  const auto path = std::filesystem::temp_directory_path() /
                    ("calibra-xlsx-parts-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".zip");
  zipFile z = zipOpen(path.string().c_str(), APPEND_STATUS_CREATE);
  REQUIRE(z != nullptr);
  for (const auto& [name, text] : files) {
    zip_fileinfo info{};
    REQUIRE(zipOpenNewFileInZip(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, stored ? 0 : Z_DEFLATED,
                                stored ? 0 : Z_BEST_COMPRESSION) == ZIP_OK);
    REQUIRE(zipWriteInFileInZip(z, text.data(), static_cast<unsigned>(text.size())) == ZIP_OK);
    REQUIRE(zipCloseFileInZip(z) == ZIP_OK);
  }
  REQUIRE(zipClose(z, nullptr) == ZIP_OK);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);
  return bytes.str();
}

/// An inline-string cell, a number cell, a shared-string cell (index into
/// the shared strings) and an error cell, at an A1 reference.
inline std::string text_cell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
inline std::string number_cell(const std::string& ref, const std::string& value) {
  return "<c r=\"" + ref + "\"><v>" + value + "</v></c>";
}
inline std::string shared_cell(const std::string& ref, int index) {
  return "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(index) + "</v></c>";
}
inline std::string error_cell(const std::string& ref, const std::string& value) {
  return "<c r=\"" + ref + "\" t=\"e\"><v>" + value + "</v></c>";
}
/// A row of cells; `r` is the 1-based row number.
inline std::string row(int r, const std::vector<std::string>& cells) {
  std::string out = "<row r=\"" + std::to_string(r) + "\">";
  for (const auto& c : cells) out += c;
  return out + "</row>";
}
/// Inline-string cells from column `first` (0 = A) on, for a row of text.
inline std::string text_row(int r, const std::vector<std::string>& texts, int first = 0) {
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < texts.size(); ++i)
    if (!texts[i].empty())
      cells.push_back(text_cell(std::string(1, static_cast<char>('A' + first + static_cast<int>(i))) + std::to_string(r),
                                texts[i]));
  return row(r, cells);
}

/// A workbook of named sheets (name, rows XML) plus optional shared strings.
inline std::string workbook(const std::vector<std::pair<std::string, std::string>>& sheets,
                            const std::vector<std::string>& shared = {}) {
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  std::string book = "<?xml version=\"1.0\"?><workbook xmlns=\"" + ns +
                     "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  parts out;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string id = std::to_string(i + 1);
    book += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + id + "\" r:id=\"rId" + id + "\"/>";
    rels += "<Relationship Id=\"rId" + id +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet" + id + ".xml\"/>";
    out.emplace_back("xl/worksheets/sheet" + id + ".xml", "<?xml version=\"1.0\"?><worksheet xmlns=\"" + ns +
                                                              "\"><sheetData>" + sheets[i].second +
                                                              "</sheetData></worksheet>");
  }
  if (!shared.empty()) {
    std::string sst = "<?xml version=\"1.0\"?><sst xmlns=\"" + ns + "\" count=\"" + std::to_string(shared.size()) +
                      "\" uniqueCount=\"" + std::to_string(shared.size()) + "\">";
    for (const auto& s : shared) sst += "<si><t>" + s + "</t></si>";
    rels += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "sharedStrings\" Target=\"sharedStrings.xml\"/>";
    out.emplace_back("xl/sharedStrings.xml", sst + "</sst>");
  }
  out.emplace_back("xl/workbook.xml", book + "</sheets></workbook>");
  out.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  out.emplace_back("[Content_Types].xml",
                   "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                   "content-types\"/>");
  return zip_of(out);
}

}  // namespace calibra_test::xlsx
