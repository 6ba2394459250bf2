// The one random-number generator of calibra, shared by the bootstrap and
// the example-data generator.  Both need streams that are identical on every
// platform and standard library for a given seed, which rules out the
// std:: engines' distributions; so the generator is spelled out here.
#pragma once

#include <calibra/config.hpp>
#include <cstdint>

namespace calibra::detail {

/// splitmix64 (Steele, Lea & Flood 2014): advances `state` and returns a
/// well-mixed word.  Used to expand one seed into generator states.
std::uint64_t splitmix64(std::uint64_t& state) noexcept;

/// xoshiro256** (Blackman & Vigna 2018), seeded through splitmix64.
class xoshiro256ss {
 public:
  explicit xoshiro256ss(std::uint64_t seed) noexcept;

  /// A generator in a given state (for checking against reference outputs).
  static xoshiro256ss from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) noexcept;

  std::uint64_t next() noexcept;

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace calibra::detail

#ifdef CALIBRA_HEADER_ONLY
#  include <calibra/detail/random-inl.hpp>
#endif
