// SHA-1 and name-based UUIDs (version 5) for calibra's CASE packages.
#include "case_identifiers.hpp"

#include <calibra/error.hpp>

#include <string>
#include <string_view>

namespace calibra::detail {
namespace {

std::uint32_t rotl(std::uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void sha1::update(const unsigned char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    block_[block_used_++] = data[i];
    if (block_used_ == 64) {
      compress();
      block_used_ = 0;
    }
  }
  length_bits_ += std::uint64_t{size} * 8;
}

std::array<unsigned char, 20> sha1::finish() {
  const std::uint64_t length = length_bits_;
  const unsigned char one = 0x80;
  update(&one, 1);
  const unsigned char zero = 0;
  while (block_used_ != 56) update(&zero, 1);
  unsigned char tail[8];
  for (int i = 0; i < 8; ++i) tail[i] = static_cast<unsigned char>(length >> (56 - 8 * i));
  update(tail, 8);
  std::array<unsigned char, 20> digest{};
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t b = 0; b < 4; ++b) digest[4 * i + b] = static_cast<unsigned char>(state_[i] >> (24 - 8 * b));
  return digest;
}

void sha1::compress() {
  std::uint32_t w[80];
  for (std::size_t i = 0; i < 16; ++i)
    w[i] = (std::uint32_t{block_[4 * i]} << 24) | (std::uint32_t{block_[4 * i + 1]} << 16) |
           (std::uint32_t{block_[4 * i + 2]} << 8) | std::uint32_t{block_[4 * i + 3]};
  for (std::size_t i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (std::size_t i = 0; i < 80; ++i) {
    std::uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    const std::uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : hex_value(text[i]) < 0) return false;
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  if (!is_uuid(namespace_uuid))
    throw invalid_argument("case", "'" + std::string(namespace_uuid) + "' is not a UUID in 8-4-4-4-12 form");
  unsigned char ns[16];
  std::size_t n = 0;
  for (std::size_t i = 0; i < namespace_uuid.size(); ++i) {
    if (namespace_uuid[i] == '-') continue;
    const int high = hex_value(namespace_uuid[i]);
    const int low = hex_value(namespace_uuid[++i]);
    ns[n++] = static_cast<unsigned char>(high * 16 + low);
  }
  sha1 hash;
  hash.update(ns, sizeof ns);
  hash.update(reinterpret_cast<const unsigned char*>(name.data()), name.size());
  auto digest = hash.finish();
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0F) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char* const digits = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += digits[digest[i] >> 4];
    out += digits[digest[i] & 0x0F];
  }
  return out;
}

}  // namespace calibra::detail
