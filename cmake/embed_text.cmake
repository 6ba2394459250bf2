# Turns a text file into a C++ source defining calibra::detail::builtin_framework_json.
# Run as: cmake -DINPUT=... -DOUTPUT=... -P embed_text.cmake
# Hex bytes rather than a raw string literal: no length limits, no delimiter clashes.
file(READ "${INPUT}" _hex HEX)
string(LENGTH "${_hex}" _len)
math(EXPR _bytes "${_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _body "${_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" _body "${_body}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <cstddef>\n#include <string_view>\nnamespace calibra::detail {\nstatic const unsigned char builtin_bytes[] = {\n${_body}0x00};\nstd::string_view builtin_framework_json() {\n  return std::string_view(reinterpret_cast<const char*>(builtin_bytes), ${_bytes});\n}\n}  // namespace calibra::detail\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
