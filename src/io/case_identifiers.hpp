// Internal: the identifiers of calibra's CASE packages.
//
// Every CASE identifier is a UUID.  The exporter derives each one as a
// name-based UUID version 5 (SHA-1 of a namespace UUID and a name), so that
// exporting the same framework twice gives the same identifiers; the
// importer checks that identifiers have the UUID form.  uuid_v5() and
// is_uuid() are declared in <calibra/io/case.hpp>, where the tests reach
// them; this header adds the SHA-1 they rest on.
#pragma once

#include <calibra/io/case.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

namespace calibra::detail {

/// SHA-1 (FIPS 180-4), fed in pieces: only what UUID version 5 needs, and
/// no protection against anything (UUIDv5 uses SHA-1 as a fingerprint).
class sha1 {
 public:
  void update(const unsigned char* data, std::size_t size);
  /// The 20-byte digest; the object is spent afterwards.
  std::array<unsigned char, 20> finish();

 private:
  void compress();

  std::uint32_t state_[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  unsigned char block_[64] = {};
  std::size_t block_used_ = 0;
  std::uint64_t length_bits_ = 0;
};

}  // namespace calibra::detail
