// Implementation of <calibra/detail/random.hpp>.  Compiled once into the library, or included
// by that header when CALIBRA_HEADER_ONLY is defined (see config.hpp).
#pragma once

#include <calibra/detail/random.hpp>

#include <cstdint>


namespace calibra::detail {

CALIBRA_INLINE std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

CALIBRA_INLINE xoshiro256ss::xoshiro256ss(std::uint64_t seed) noexcept {
  for (auto& word : state_) word = splitmix64(seed);
}

CALIBRA_INLINE auto xoshiro256ss::from_state(std::uint64_t s0, std::uint64_t s1, std::uint64_t s2,
                                             std::uint64_t s3) noexcept -> xoshiro256ss {
  xoshiro256ss g(0);
  g.state_[0] = s0;
  g.state_[1] = s1;
  g.state_[2] = s2;
  g.state_[3] = s3;
  return g;
}

CALIBRA_INLINE auto xoshiro256ss::next() noexcept -> std::uint64_t {
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

}  // namespace calibra::detail
