// Hashed keys of identity resolution (blocking keys, family keys): 64-bit FNV-1a over the parts
// of a key, begun with a tag naming the kind of key and finished with a mixer. Collisions only
// add candidates (every candidate is scored), they never link anything by themselves.
#pragma once

#include <cstdint>
#include <string_view>

#include "onecard/protocol/identity_record.h"

namespace onecard::identity_internal {

class KeyHash {
 public:
  explicit KeyHash(std::uint64_t tag) { Add(tag); }
  KeyHash& Add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i, v >>= 8) h_ = (h_ ^ (v & 0xFF)) * 0x100000001B3ull;
    return *this;
  }
  KeyHash& Add(std::string_view text) {
    for (char c : text) h_ = (h_ ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    return Add(text.size());
  }
  std::uint64_t Done() const {
    std::uint64_t z = h_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t h_ = 0xCBF29CE484222325ull;
};

// A name unit as keys see it: its toneless syllable, or the character when it has none.
inline std::uint64_t SoundOf(const IdentityNameUnit& u) {
  return u.syllable != 0 ? u.syllable : (0x100000000ull | u.han);
}

// The toneless sound of a whole name.
inline KeyHash& AddNameSound(KeyHash& h, const IdentityName& name) {
  for (const IdentityNameUnit& u : name) h.Add(SoundOf(u));
  return h.Add(name.size());
}

}  // namespace onecard::identity_internal
