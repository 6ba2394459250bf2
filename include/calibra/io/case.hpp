// Exchanging frameworks as 1EdTech CASE packages (docs/case.md).
//
// A CASE package (CFPackage) is the JSON document that competency tools such
// as curriculum and skills registries exchange: one CFDocument, CFItems for
// the statements, CFAssociations between them and CFRubrics whose criterion
// levels describe performance.  calibra writes its framework into the
// native CASE 1.0 slots wherever one fits (competencies, areas, quadrants,
// career levels, promotion steps, expectations, anchors) and keeps the rest
// (scale level ids, scope and autonomy, tracks and ranks, grid positions,
// interview formats, actions, archetypes) in `extensions` members under the
// key "calibra", the extension point CASE 1.1 gives every class.
//
// Export is deterministic: every identifier is a name-based UUID (version 5)
// derived from the framework id and the element's id, so exporting the same
// framework twice gives the same bytes, and a re-export after an edit keeps
// the identifiers of the elements that did not change.
//
// Import reads calibra's own packages back without loss, and also reads
// plain packages from other tools: competencies and anchors come from the
// rubric criteria, the scale from their levels.  What had to be assumed is
// listed in case_import_result::notes.  Reading is strict in the way the
// framework reader is: size cap, duplicate keys, unknown members, wrong types,
// duplicate identifiers and dangling associations are errors naming the file
// and the JSON pointer of the problem.
#pragma once

#include <calibra/framework/framework.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace calibra {

/// CASE packages larger than this are refused before parsing.  Public
/// standards frameworks run to a few MiB; the cap leaves room for big ones.
inline constexpr std::size_t max_case_file_bytes = std::size_t{64} << 20;

/// The value of CFDocument.extensions.calibra.format in calibra's packages.
inline constexpr std::string_view case_extension_format = "calibra-case/1";

/// The UUID namespace of calibra's CASE identifiers: uuid5(NAMESPACE_URL,
/// "urn:calibra:case").  Each identifier is uuid5 of this namespace and a
/// name made of the framework id and the element (docs/case.md).
inline constexpr std::string_view case_uuid_namespace = "f4b3c202-9b54-5c57-815e-0f00f1d22be2";

struct case_export_options {
  /// Prefix of every `uri`, followed by the identifier, e.g.
  /// "https://case.example.org/uri/".  Empty gives "urn:uuid:<identifier>".
  std::string base_uri;
  /// Write the "calibra" extension members.  Without them the package uses
  /// CASE 1.0 members only; importing it back keeps the native parts and
  /// re-derives the rest (see docs/case.md, "Plain packages").
  bool calibra_extensions = true;
};

/// The CFPackage JSON of a framework: two-space indent, fixed member order,
/// trailing newline.
std::string to_case_json(const framework& fw, const case_export_options& options = {});

/// Writes to_case_json atomically: a temporary file renamed into place.
void save_case(const framework& fw, const std::string& path, const case_export_options& options = {});

struct case_import_result {
  calibra::framework framework;
  /// The package was written by calibra (CFDocument.extensions.calibra).
  bool calibra_extensions = false;
  /// What the importer assumed or left out, one sentence each (empty for a
  /// calibra package).  Worth showing to the user.
  std::vector<std::string> notes;
};

/// Reads a CFPackage held in memory; `source_name` is used in messages.
/// Throws parse_error (not JSON, too large, too deeply nested) or
/// validation_error (breaks CASE or cannot become a calibra framework); the
/// message names the JSON pointer of the problem.
case_import_result parse_case(std::string_view json_text, const std::string& source_name = "<memory>");

/// Reads a CFPackage file; see parse_case.
case_import_result load_case(const std::string& path);

namespace detail {
/// A name-based UUID, version 5 (RFC 4122 section 4.3: SHA-1 of the
/// namespace's 16 bytes followed by the name), in lowercase 8-4-4-4-12 form.
/// `namespace_uuid` is in that form too; invalid_argument otherwise.
std::string uuid_v5(std::string_view namespace_uuid, std::string_view name);

/// True for the 8-4-4-4-12 hexadecimal form (either case).
bool is_uuid(std::string_view text);
}  // namespace detail

}  // namespace calibra
