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
};

template <class V>
inline typename V::Reg exp_nonpositive(typename V::Reg x) {
    using C = ExpConstants<typename V::T>;
    using Reg = typename V::Reg;
    x = V::max(V::set1(C::kMin), x);
    Reg t = V::fma(x, V::set1(C::kLog2e), V::set1(C::kShifter));
    Reg v = V::sub(t, V::set1(C::kShifter));
    Reg r = V::fma(v, V::set1(-C::kLn2Hi), x);
    r = V::fma(v, V::set1(-C::kLn2Lo), r);
    Reg p2 = V::lookup16(C::kPow2, t);
    Reg q = V::set1(C::kPoly[0]);
    for (int i = 1; i < C::kTerms; ++i) q = V::fma(q, r, V::set1(C::kPoly[i]));
    return V::ldexp_floor(V::fma(V::mul(p2, r), q, p2), v);
}

}  // namespace sm4j::simd
