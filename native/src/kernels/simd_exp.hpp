// exp(x) for x <= 0 (and NaN), written once over the vector wrappers of vec_*.hpp.
//
// Cody-Waite range reduction x = n ln2 + r, |r| <= ln2/2, then a polynomial for exp(r) and a
// scaling by 2^n in the exponent (V::ldexp). Why each piece:
// - ln2 is split so that n * kLn2Hi is exact and x - n * kLn2Hi is exact (Sterbenz), leaving a
//   single rounding in r.
// - The polynomial is 1 + r (c1 + r (c2 + ...)), near-minimax for the relative error on
//   [-ln2/2, ln2/2] (Chebyshev fit of expm1(r)/r). Its constant term is 1 and r = 0 for x = 0,
//   so exp(0) is exactly 1 and a row's dominant term is exactly 1.
// - Inputs are clamped below at kMin, where exp is already below half the smallest subnormal:
//   -inf and very negative x give exactly 0, and n stays in the range V::ldexp handles. The
//   clamp keeps a NaN (V::max returns its second operand for NaN), and a NaN stays NaN through
//   the arithmetic.
// Measured accuracy over x <= 0 (native/tests): float <= 1 ulp, double <= 1 ulp; see the README.
#pragma once

namespace sm4j::simd {

template <class T>
struct ExpConstants;

template <>
struct ExpConstants<float> {
    static constexpr float kMin = -104.0f;  // exp(-103.98) = 2^-150: rounds to 0
    static constexpr float kLog2e = 1.44269504088896341f;
    static constexpr float kLn2Hi = 0.693359375f;  // 9 significant bits
    static constexpr float kLn2Lo = -2.12194440e-4f;
    static constexpr int kDegree = 6;
    // c6, c5, ..., c1 (the constant term is 1)
    static constexpr float kPoly[kDegree] = {1.3933641031986701e-3f, 8.369148490856347e-3f,
                                             4.166646500604005e-2f,  1.6666505260408124e-1f,
                                             5.000000013457727e-1f,  1.00000001077157f};
};

template <>
struct ExpConstants<double> {
    static constexpr double kMin = -746.0;  // exp(-745.14) = 2^-1075: rounds to 0
    static constexpr double kLog2e = 1.4426950408889634074;
    static constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 significant bits
    static constexpr double kLn2Lo = 1.90821492927058770002e-10;
    static constexpr int kDegree = 11;
    static constexpr double kPoly[kDegree] = {
        2.510520637395701111603821e-8, 2.762635724144722285515356e-7,
        2.755725542574643428181815e-6, 2.480150434699768725539351e-5,
        1.984126987480049198075797e-4, 1.388888893248859818134173e-3,
        8.333333333326140883978706e-3, 4.166666666657314261060233e-2,
        1.666666666666667098633262e-1, 5.000000000000005616924593e-1,
        1.0};
};

template <class V>
inline typename V::Reg exp_nonpositive(typename V::Reg x) {
    using T = typename V::T;
    using C = ExpConstants<T>;
    using Reg = typename V::Reg;
    x = V::max(V::set1(C::kMin), x);
    Reg n = V::round(V::mul(x, V::set1(C::kLog2e)));
    Reg r = V::fma(n, V::set1(-C::kLn2Hi), x);
    r = V::fma(n, V::set1(-C::kLn2Lo), r);
    Reg q = V::set1(C::kPoly[0]);
    for (int i = 1; i < C::kDegree; ++i) q = V::fma(q, r, V::set1(C::kPoly[i]));
    Reg p = V::fma(q, r, V::set1(T(1)));
    return V::ldexp(p, n);
}

}  // namespace sm4j::simd
