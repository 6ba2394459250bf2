// The one random-number generator of calibra, shared by the bootstrap and
// the example-data generator.  Both need streams that are identical on every
// platform and standard library for a given seed, which rules out the
// std:: engines' distributions; so the generator is spelled out here.
#pragma once

#include <cstdint>

namespace calibra::detail {

/// splitmix64 (Steele, Lea & Flood 2014): advances `state` and returns a
/// well-mixed word.  Used to expand one seed into generator states.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// xoshiro256** (Blackman & Vigna 2018), seeded through splitmix64.
class xoshiro256ss {
 public:
  explicit xoshiro256ss(std::uint64_t seed) noexcept {
    for (auto& word : state_) word = splitmix64(seed);
  }

  /// A generator in a given state (for checking against reference outputs).
  static xoshiro256ss from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2, std::uint64_t s3) noexcept {
    xoshiro256ss g(0);
    g.state_[0] = s0;
    g.state_[1] = s1;
    g.state_[2] = s2;
    g.state_[3] = s3;
    return g;
  }

  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace calibra::detail
