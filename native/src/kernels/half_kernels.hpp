// Conversions between float and the 16-bit storage types, bfloat16 and IEEE binary16 (float16):
// one table per instruction set, like the row kernels (kernel_set.hpp), chosen with the active
// kernel set (half_dispatch.cpp). The half-precision operations (../half.cpp) widen their inputs
// with these, compute in float, and narrow their outputs with them.
//
// Every set gives the same bits as the scalar functions below, which say the semantics:
//   - widening is exact (every bfloat16 and float16 value is a float), NaN stays NaN with the
//     quiet bit set for float16 (as vcvtph2ps does; a bfloat16 is a float's upper half, widened
//     by a shift);
//   - narrowing rounds to nearest, ties to even; overflow gives ±inf; NaN stays NaN, quiet, with
//     the top of its payload;
//   - float16 keeps its subnormals (vcvtps2ph); bfloat16 flushes a float subnormal to ±0, as
//     AVX512-BF16's vcvtneps2bf16 does (DAZ and FTZ implied), on every set.
#pragma once

#include <cstdint>
#include <cstring>

namespace sm4j {

struct HalfKernels {
    const char *name;
    void (*bf16_to_f32)(const uint16_t *x, float *y, int64_t n);
    void (*f32_to_bf16)(const float *x, uint16_t *y, int64_t n);
    void (*f16_to_f32)(const uint16_t *x, float *y, int64_t n);
    void (*f32_to_f16)(const float *x, uint16_t *y, int64_t n);
};

// Defined in half_generic.cpp, half_avx2.cpp and half_avx512.cpp; only where the CPU has the
// instructions (find_half_kernels).
extern const HalfKernels kHalfGeneric;
extern const HalfKernels kHalfF16c;
extern const HalfKernels kHalfAvx512;
extern const HalfKernels kHalfAvx512Bf16;

// The conversions of the active kernel set: "avx512" uses vcvtph2ps/vcvtps2ph on zmm, and
// vcvtneps2bf16 where the CPU has AVX512-BF16; "avx2" uses F16C for float16; "generic" the
// portable functions below (also every arm64 build).
const HalfKernels &active_half_kernels();
// The set of that name ("generic", "f16c", "avx512", "avx512bf16") if this CPU runs it, else
// nullptr: for the tests, which hold every set to the scalar functions.
const HalfKernels *find_half_kernels(const char *name);

namespace half {

inline uint32_t bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

inline float from_bits(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

inline float bf16_to_f32(uint16_t h) { return from_bits(uint32_t(h) << 16); }

inline uint16_t f32_to_bf16(float f) {
    const uint32_t x = bits(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return uint16_t((x >> 16) | 0x40);  // NaN: quiet
    if ((x & 0x7f800000u) == 0) return uint16_t((x >> 16) & 0x8000);      // ±0, subnormal: ±0
    return uint16_t((x + 0x7fffu + ((x >> 16) & 1)) >> 16);                 // ties to even; may reach inf
}

inline float f16_to_f32(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t e = (h >> 10) & 0x1f, m = h & 0x3ff;
    if (e == 0x1f) return from_bits(sign | 0x7f800000u | (m != 0 ? 0x400000u | m << 13 : 0));
    if (e != 0) return from_bits(sign | (e + 112) << 23 | m << 13);
    const float v = float(m) * 0x1p-24f;  // subnormal or zero: exact
    return sign != 0 ? -v : v;
}

inline uint16_t f32_to_f16(float f) {
    const uint32_t x = bits(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000);
    const uint32_t a = x & 0x7fffffffu;
    if (a > 0x7f800000u) return uint16_t(sign | 0x7e00 | ((a >> 13) & 0x3ff));  // NaN: quiet
    if (a >= 0x477ff000u) return uint16_t(sign | 0x7c00);  // from 65520 up, and inf
    if (a >= 0x38800000u) {                                  // a normal float16
        return uint16_t(sign | ((a - 0x38000000u + 0xfffu + ((a >> 13) & 1)) >> 13));
    }
    if (a <= 0x33000000u) return sign;  // up to 2^-25 (a tie, to even): zero
    // A float16 subnormal: the count of 2^-24 in a, rounded to nearest even.
    const uint32_t e = a >> 23, m = (a & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - e;  // 14..24
    uint32_t r = m >> shift;
    const uint32_t rest = m & ((1u << shift) - 1), halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (r & 1))) ++r;
    return uint16_t(sign | r);
}

}  // namespace half
}  // namespace sm4j
