// The sampler's weight function, the part of sampling that is floating-point arithmetic.
//
// A token's weight is w = exp(d), d = a (l - m) <= 0 its scaled distance to the largest logit,
// and what the filters and the draw use is the integer W = trunc(w 2^s) (docs/sampling.md). For
// the same token on every kernel set, every platform and the Java backend, w is defined by the
// fixed sequence of IEEE-754 operations below, in the compute type C (float for float logits,
// double for double ones): +, -, *, fused multiply-add, exact scalings by powers of two and a
// table, each correctly rounded to nearest, no libm. Every one of them has exactly one result
// on every IEEE machine (std::fma and Java's Math.fma included), so the sequence does too, as
// long as the compiler neither fuses an unfused pair nor splits a fused one: the translation
// units that evaluate it are compiled with -ffp-contract=off and call fma explicitly. The Java
// backend (org.softmax4j.backend.SampleWeights) is the same sequence, line by line.
//
// This is deliberately not the softmax kernels' exp (kernels/simd_exp.hpp): that one may change
// for speed (issue 14), and the generic set uses libm's; the sampler's tokens are a documented
// contract and must not move when a kernel gets faster. FMA rather than separate multiplies and
// adds because the weight pass is bound by the FP pipes: fused, it takes 0.30 ns per float
// element instead of 0.42 on this project's machine (AVX-512).
//
// The sequence, for d <= 0 (d > 0 is clamped to 0, d < kMin or NaN gives 0):
//   t  = fma(d, 16/ln2, kShifter)          rounds N = round(16 d / ln2) into the low bits of t
//   N  = bits(t) - bits(kShifter)          an integer in [-924, 0]
//   nf = t - kShifter                      N, exactly
//   r  = fma(nf, -kLn2Hi, d); r = fma(nf, -kLn2Lo, r)      |r| <= ln2/32
//   q  = e^r - 1 by a Taylor polynomial in Horner form with fma (degree 3 for float, 7 for
//        double): q = c_0; q = fma(q, r, c_i) for i = 1..; q = q * r
//   w0 = fma(T[N mod 16], q, T[N mod 16])  T[j] = 2^(j/16) rounded to C
//   ws = w0 * 2^(floor(N/16) + s)          exact: the result is a normal number
// with ws = w 2^s, so W = trunc(ws). exp(0) is exactly 1 (N = 0, r = 0, q = 0), so the
// largest logit weighs exactly 2^s. Accuracy against exp: within 1.1 ulp of C (native/tests).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace sm4j::sampling {

// Weights below e^kMin (< 2^-57) are 0: W = trunc(w 2^s) would be 0 for any s <= 51 anyway.
template <class C>
struct WeightSpec;

template <>
struct WeightSpec<float> {
    using Bits = int32_t;
    static constexpr float kMin = -40.0f;
    static constexpr float kLog2e16 = 0x1.715476p+4f;  // 16 / ln 2
    static constexpr float kShifter = 0x1.8p+23f;      // 1.5 * 2^23: t's ulp is 1
    static constexpr float kLn2Hi = 0x1.62e8p-5f;      // ln2 / 16, 14 significant bits
    static constexpr float kLn2Lo = -0x1.e8082ep-20f;  // ln2 / 16 - kLn2Hi
    static constexpr int kTerms = 3;                   // q = r (1 + r (1/2 + r c3))
    static constexpr float kPoly[kTerms] = {0x1.555556p-3f, 0.5f, 1.0f};
    alignas(64) static constexpr float kPow2[16] = {
        0x1p+0f,         0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
        0x1.306fep+0f,   0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
        0x1.6a09e6p+0f,  0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
        0x1.ae89fap+0f,  0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
};

template <>
struct WeightSpec<double> {
    using Bits = int64_t;
    static constexpr double kMin = -40.0;
    static constexpr double kLog2e16 = 0x1.71547652b82fep+4;
    static constexpr double kShifter = 0x1.8p+52;
    static constexpr double kLn2Hi = 0x1.62e42fefa38p-5;  // 42 significant bits
    static constexpr double kLn2Lo = 0x1.ef35793c7673p-49;
    static constexpr int kTerms = 7;  // q = r (1 + r (1/2 + r (1/6 + ... + r/5040)))
    static constexpr double kPoly[kTerms] = {0x1.a01a01a01a01ap-13, 0x1.6c16c16c16c17p-10,
                                             0x1.1111111111111p-7,  0x1.5555555555555p-5,
                                             0x1.5555555555555p-3,  0.5,
                                             1.0};
    alignas(64) static constexpr double kPow2[16] = {
        0x1p+0,               0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0,
        0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0, 0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0,
        0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f09p+0,
        0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0};
};

// These have internal linkage (static): each translation unit that evaluates the weight keeps its
// own copy, compiled with its own -ffp-contract=off, rather than sharing whichever copy the
// linker would pick among inline definitions compiled with other flags.

// 2^e as C, for e in the normal range.
template <class C>
static inline C pow2(int e) {
    using Bits = typename WeightSpec<C>::Bits;
    constexpr int mantissa = sizeof(C) == 4 ? 23 : 52;
    constexpr int bias = sizeof(C) == 4 ? 127 : 1023;
    Bits bits = Bits(Bits(e + bias) << mantissa);
    C v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

// ws = w(d) 2^s, the scalar statement of the sequence above; the vector kernels
// (kernels/sample_simd.hpp) are tested against it bit for bit.
template <class C>
static inline C scaled_weight(C d, int s) {
    using S = WeightSpec<C>;
    using Bits = typename S::Bits;
    if (!(d >= S::kMin)) return C(0);  // NaN lands here
    if (d > C(0)) d = C(0);
    const C t = std::fma(d, S::kLog2e16, S::kShifter);
    Bits tb, sb;
    std::memcpy(&tb, &t, sizeof tb);
    const C shifter = S::kShifter;
    std::memcpy(&sb, &shifter, sizeof sb);
    const Bits n = tb - sb;
    const C nf = t - S::kShifter;
    C r = std::fma(nf, -S::kLn2Hi, d);
    r = std::fma(nf, -S::kLn2Lo, r);
    C q = S::kPoly[0];
    for (int i = 1; i < S::kTerms; ++i) q = std::fma(q, r, S::kPoly[i]);
    q = q * r;
    const C tj = S::kPow2[n & 15];
    const C w0 = std::fma(tj, q, tj);
    // floor(N / 16): N + 1024 >= 0, so the shift of a non-negative number is the floor.
    const int k = int((n + 1024) >> 4) - 64;
    return w0 * pow2<C>(k + s);
}

// The largest s <= 51 with count * 2^s < 2^63: then no sum of `count` weights (each at most
// 2^s) overflows an int64, and the largest logit still resolves weights down to 2^-s of its own.
static inline int weight_shift(int64_t count) {
    int bits = 0;
    while (bits < 63 && (int64_t(1) << bits) <= count) ++bits;  // bits = bit length of count
    int s = 63 - bits;
    return s < 51 ? s : 51;
}

}  // namespace sm4j::sampling
