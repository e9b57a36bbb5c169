// The sampler's random numbers: Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random
// numbers: as easy as 1, 2, 3", SC 2011), a counter-based generator: each draw is a pure function
// of (seed, row, step), so rows are independent draws whatever thread computes them, a call can
// be repeated, and the Java backend (org.softmax4j.backend.Philox) gives the same bits.
//
// Layout (docs/sampling.md): key = (seed low 32 bits, seed high 32 bits); counter = (row low,
// row high, step low, step high); the draw's 64 bits are out[0] | out[1] << 32. Checked against
// Random123's known-answer vectors in native/tests.
#pragma once

#include <array>
#include <cstdint>

namespace sm4j::sampling {

inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
    constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
    constexpr uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k[0] += kW0;
            k[1] += kW1;
        }
        const uint64_t p0 = uint64_t(kM0) * c[0];
        const uint64_t p1 = uint64_t(kM1) * c[2];
        c = {uint32_t(p1 >> 32) ^ c[1] ^ k[0], uint32_t(p1), uint32_t(p0 >> 32) ^ c[3] ^ k[1],
             uint32_t(p0)};
    }
    return c;
}

// The 64 random bits of the draw of `row` at `step`.
inline uint64_t draw_bits(uint64_t seed, uint64_t row, uint64_t step) {
    const auto out = philox4x32_10({uint32_t(row), uint32_t(row >> 32), uint32_t(step), uint32_t(step >> 32)},
                                   {uint32_t(seed), uint32_t(seed >> 32)});
    return uint64_t(out[0]) | uint64_t(out[1]) << 32;
}

// floor(bits * total / 2^64): an integer in [0, total) for total >= 1. Token i, owning the
// integers [c_i, c_i + W_i), is drawn with probability W_i / total to within 2^-64.
inline int64_t scale_draw(uint64_t bits, int64_t total) {
    return int64_t((unsigned __int128)bits * uint64_t(total) >> 64);
}

}  // namespace sm4j::sampling
