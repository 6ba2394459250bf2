// Internal: text from an input file made safe to repeat in an error message,
// and the checks every reader runs on the raw bytes before parsing.
//
// A message is printed to a terminal, written to logs and embedded in JSON
// reports, so whatever part of the input it quotes must be valid UTF-8, must
// not hide characters (a second byte order mark, a carriage return, a bidi
// override) and must stay short whatever the file holds.
#pragma once

#include <calibra/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace calibra::detail {

/// How much of a cell or a name a message repeats (bytes of the output).
inline constexpr std::size_t max_echo_bytes = 40;

/// How much of a token a message repeats when quoting a parser's explanation.
inline constexpr std::size_t max_token_bytes = 60;

/// Length of the well-formed UTF-8 sequence starting at `i` (overlongs,
/// surrogates and code points above U+10FFFF refused), or 0 when the bytes
/// there do not start one.  `code_point` receives the decoded value.
inline std::size_t utf8_sequence_at(std::string_view text, std::size_t i, std::uint32_t& code_point) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  const unsigned char lead = bytes[i];
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;   // no overlongs
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > size) return 0;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return 0;
    code_point = (code_point << 6) | (bytes[i + k] & 0x3Fu);
  }
  return length;
}

/// Characters a reader cannot see in a message: controls, format characters
/// (zero-width spaces and joiners, bidi overrides, the byte order mark), line
/// and paragraph separators, the soft hyphen.
inline bool invisible(std::uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x2069) || c == 0xFEFF;
}

/// `text` as a message may quote it: valid UTF-8 kept, each byte that breaks
/// UTF-8 shown as \xNN, invisible characters as \r, \n, \t or \uXXXX; cut
/// after `max_bytes` bytes of output, on a character, with "..." appended.
inline std::string printable(std::string_view text, std::size_t max_bytes) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  std::string piece;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t c = 0;
    const std::size_t length = utf8_sequence_at(text, i, c);
    piece.clear();
    if (length == 0) {
      const auto byte = static_cast<unsigned char>(text[i]);
      piece = {'\\', 'x', hex[byte >> 4], hex[byte & 0xF]};
    } else if (c == '\r') {
      piece = "\\r";
    } else if (c == '\n') {
      piece = "\\n";
    } else if (c == '\t') {
      piece = "\\t";
    } else if (invisible(c)) {
      piece = {'\\', 'u', hex[(c >> 12) & 0xF], hex[(c >> 8) & 0xF], hex[(c >> 4) & 0xF], hex[c & 0xF]};
    } else {
      piece.assign(text.substr(i, length));
    }
    if (out.size() + piece.size() > max_bytes) return out + "...";
    out += piece;
    i += length == 0 ? 1 : length;
  }
  return out;
}

/// A name or a cell as a message repeats it: see printable().
inline std::string echo(std::string_view text) { return printable(text, max_echo_bytes); }

/// Refuses a file saved as UTF-16 (either byte order, with or without a byte
/// order mark) with a message that says so, instead of letting the reader
/// stumble on its first NUL byte or on a byte order mark it does not know.
inline void reject_utf16(std::string_view text, const std::string& subsystem, const std::string& source) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto refuse = [&](const char* found) {
    throw parse_error(subsystem, source + ": the file is UTF-16; save it as UTF-8 (" + found + ")");
  };
  if (text.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE) refuse("it starts with the UTF-16LE byte order mark FF FE");
  if (text.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF) refuse("it starts with the UTF-16BE byte order mark FE FF");
  // Without a byte order mark: ASCII text in UTF-16 puts a NUL byte in every
  // other position.  UTF-8 text holds no NUL byte at all, so the pattern
  // over the first bytes is a safe sign.
  const std::size_t pairs = std::min<std::size_t>(text.size(), 128) / 2;
  if (pairs < 2) return;
  std::size_t even_nuls = 0, odd_nuls = 0;
  for (std::size_t p = 0; p < pairs; ++p) {
    even_nuls += byte(2 * p) == 0;
    odd_nuls += byte(2 * p + 1) == 0;
  }
  if (even_nuls == 0 && odd_nuls * 2 >= pairs) refuse("every other byte is NUL: UTF-16LE without a byte order mark");
  if (odd_nuls == 0 && even_nuls * 2 >= pairs) refuse("every other byte is NUL: UTF-16BE without a byte order mark");
}

}  // namespace calibra::detail
