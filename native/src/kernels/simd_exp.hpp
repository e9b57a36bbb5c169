// exp(x) for x <= 0 (and NaN), written once over the vector wrappers of vec_*.hpp.
//
// exp(x) = 2^k 2^(j/16) exp(r) with x = (16 k + j) ln2/16 + r, |r| <= ln2/32. Why each piece:
// - Adding kShifter (1.5 * 2^(p-5) for a p-bit significand) to x log2e rounds it to a multiple
//   of 1/16 in one FMA and leaves 16 k + j in the low bits of the sum: j indexes the table, and
//   v = sum - kShifter = k + j/16 is exact; V::ldexp_floor applies 2^floor(v) = 2^k.
// - ln2 is split so that v kLn2Hi is exact and x - v kLn2Hi is exact (Sterbenz), leaving a
//   single rounding in r.
// - 2^(j/16) comes from a table of 16 entries held in registers; the result is T + (T r) q(r),
//   one rounding. The range |r| <= ln2/32 is what lets the polynomial be short (degree 3 for
//   float, 6 for double): the exp is bound by the FMA pipes, and this form needs the fewest. (A
//   second table for the rounding error of T would take the error from ~1 to ~0.75 ulp, at 9%
//   of the speed.)
// - q(r) ~ expm1(r)/r is a near-minimax (Chebyshev) fit on [-ln2/32, ln2/32]; for x = 0,
//   r = 0 and j = 0, so exp(0) is exactly 1 and a row's dominant term is exactly 1.
// - Inputs are clamped below at kMin, where exp is already below half the smallest subnormal:
//   -inf and very negative x give exactly 0, and k stays in the range V::ldexp_floor handles.
//   The clamp keeps a NaN (V::max returns its second operand for NaN), and a NaN stays NaN.
// Measured accuracy over x <= 0 (native/tests): see native/README.md.
#pragma once

#include <cstdint>

#include "inline.hpp"  // SM4J_INLINE: the exp and its pieces are always inlined

namespace sm4j::simd {

template <class T>
struct ExpConstants;

template <>
struct ExpConstants<float> {
    static constexpr float kMin = -104.0f;  // exp(-103.98) = 2^-150: rounds to 0
    static constexpr float kLog2e = 1.44269504088896341f;
    static constexpr float kShifter = 786432.0f;  // 1.5 * 2^19
    static constexpr float kLn2Hi = 0.693359375f;  // 9 significant bits
    static constexpr float kLn2Lo = -2.12194440e-4f;
    // q(r) = c3 r^2 + c2 r + c1, highest first
    static constexpr int kTerms = 3;
    static constexpr float kPoly[kTerms] = {0.166669599143713679f, 0.500014662434374272f, 1.0f};
    alignas(64) static constexpr float kPow2[16] = {
        1.000000000e+00f, 1.044273734e+00f, 1.090507746e+00f, 1.138788581e+00f,
        1.189207077e+00f, 1.241857767e+00f, 1.296839595e+00f, 1.354255557e+00f,
        1.414213538e+00f, 1.476826191e+00f, 1.542210817e+00f, 1.610490322e+00f,
        1.681792855e+00f, 1.756252170e+00f, 1.834008098e+00f, 1.915206552e+00f};
    // exp_normal: the bits of kPow2[j] less j << kIndexShift (see there), and its domain.
    static constexpr int kIndexShift = 19;
    alignas(64) static constexpr uint32_t kPow2Less[16] = {
        0x3f800000, 0x3f7daac3, 0x3f7b95c2, 0x3f79c3d3, 0x3f7837f0, 0x3f76f532, 0x3f75fed7, 0x3f75583f,
        0x3f7504f3, 0x3f7508a4, 0x3f75672a, 0x3f76248c, 0x3f7744fd, 0x3f78ccdf, 0x3f7ac0c7, 0x3f7d257d};
    // k >= -116: 2^k kPow2[j] is a normal float, and so (but for a part in 2^11 of an ulp) is
    // its product with r.
    static constexpr float kNormalMin = -80.0f;
};

template <>
struct ExpConstants<double> {
    static constexpr double kMin = -746.0;  // exp(-745.14) = 2^-1075: rounds to 0
    static constexpr double kLog2e = 1.4426950408889634;
    static constexpr double kShifter = 422212465065984.0;  // 1.5 * 2^48
    static constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 significant bits
    static constexpr double kLn2Lo = 1.90821492927058770002e-10;
    static constexpr int kTerms = 6;
    static constexpr double kPoly[kTerms] = {
        0.00138890634406553261159767, 0.008333472974951229300654188,
        0.04166666666359547299241253, 0.1666666666420970710189146,
        0.5000000000000000800545076,  1.000000000000000640437313};
    alignas(64) static constexpr double kPow2[16] = {
        1.0,                1.0442737824274138, 1.0905077326652577, 1.1387886347566916,
        1.189207115002721,  1.241857812073484,  1.2968395546510096, 1.3542555469368927,
        1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543,
        1.681792830507429,  1.7562521603732995, 1.8340080864093424, 1.9152065613971474};
    static constexpr int kIndexShift = 48;
    alignas(64) static constexpr uint64_t kPow2Less[16] = {
        0x3ff0000000000000, 0x3fefb5586cf9890f, 0x3fef72b83c7d517b, 0x3fef387a6e756238,
        0x3fef06fe0a31b715, 0x3feedea64c123422, 0x3feebfdad5362a27, 0x3feeab07dd485429,
        0x3feea09e667f3bcd, 0x3feea11473eb0187, 0x3feeace5422aa0db, 0x3feec49182a3f090,
        0x3feee89f995ad3ad, 0x3fef199bdd85529c, 0x3fef5818dcfba487, 0x3fefa4afa2a490da};
    static constexpr double kNormalMin = -700.0;  // k >= -1010
};

// r = x - v ln2 in two steps (kLn2Hi, kLn2Lo), |r| <= ln2/32.
template <class V>
SM4J_INLINE typename V::Reg reduce(typename V::Reg x, typename V::Reg v) {
    using C = ExpConstants<typename V::T>;
    typename V::Reg r = V::fma(v, V::set1(-C::kLn2Hi), x);
    return V::fma(v, V::set1(-C::kLn2Lo), r);
}

// (s r) q(r) + s: exp(r) around the scaled table entry s, one rounding.
template <class V>
SM4J_INLINE typename V::Reg poly(typename V::Reg s, typename V::Reg r) {
    using C = ExpConstants<typename V::T>;
    typename V::Reg q = V::set1(C::kPoly[0]);
    for (int i = 1; i < C::kTerms; ++i) q = V::fma(q, r, V::set1(C::kPoly[i]));
    return V::fma(V::mul(s, r), q, s);
}

template <class V>
SM4J_INLINE typename V::Reg exp_nonpositive(typename V::Reg x) {
    using C = ExpConstants<typename V::T>;
    using Reg = typename V::Reg;
    x = V::max(V::set1(C::kMin), x);
    Reg t = V::fma(x, V::set1(C::kLog2e), V::set1(C::kShifter));
    Reg v = V::sub(t, V::set1(C::kShifter));
    Reg r = reduce<V>(x, v);
    Reg p2 = V::lookup16(C::kPow2, t);
    return V::ldexp_floor(poly<V>(p2, r), v);
}

// The same exp for x in [kNormalMin, 0] (or NaN), where 2^k 2^(j/16) is a normal number: it is
// then built in the exponent field. The low bits of t hold 16 k + j; shifted left by
// kIndexShift they are (k << mantissa bits) + (j << kIndexShift), and the table holds
// 2^(j/16) less j << kIndexShift, so one integer addition gives 2^k 2^(j/16) (no clamp, no
// scalef: the loops are bound by the FMA pipes, which scalef shares). Same table values and
// same arithmetic otherwise, so the same results as exp_nonpositive.
template <class V>
SM4J_INLINE typename V::Reg exp_normal(typename V::Reg x) {
    using C = ExpConstants<typename V::T>;
    using Reg = typename V::Reg;
    Reg t = V::fma(x, V::set1(C::kLog2e), V::set1(C::kShifter));
    Reg s = V::add_bits(V::lookup16(C::kPow2Less, t), V::shift_bits(t, C::kIndexShift));
    Reg v = V::sub(t, V::set1(C::kShifter));
    return poly<V>(s, reduce<V>(x, v));
}

// Whether any lane of d is below kNormalMin (NaN lanes are not).
template <class V>
SM4J_INLINE bool any_below_normal(typename V::Reg d0, typename V::Reg d1, typename V::Reg d2, typename V::Reg d3) {
    using C = ExpConstants<typename V::T>;
    // V::min returns its second operand when either is NaN: the running value goes second.
    typename V::Reg lo = V::min(d0, V::set1(C::kNormalMin));
    lo = V::min(d1, lo);
    lo = V::min(d2, lo);
    lo = V::min(d3, lo);
    return V::any(V::less(lo, V::set1(C::kNormalMin)));
}

}  // namespace sm4j::simd
