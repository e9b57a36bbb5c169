// The sampler kernels for AVX-512 (F + DQ): sample_simd.hpp over vec_avx512.hpp, plus what the
// sampler needs beyond the row kernels' vocabulary. Compiled with the AVX-512 flags and
// -ffp-contract=off (CMakeLists.txt); used only where dispatch.cpp chose the avx512 set.
#include "vec_avx512.hpp"
#include "sample_simd.hpp"

namespace sm4j {
namespace {

// Compress in a register, then one full store: the memory form of vcompress is microcoded and
// slow on Zen 4, and the destinations have kCollectSlack entries of room past the count.
struct SampleF32 : simd::Avx512F32 {
    static Mask no_lanes() { return 0; }
    static Mask ge(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
    // NaN or +inf: not below +inf.
    static Mask bad(Reg v) { return _mm512_cmp_ps_mask(v, set1(__builtin_inff()), _CMP_NLT_UQ); }
    static Mask mask_or(Mask a, Mask b) { return Mask(a | b); }
    static Mask mask_andnot(Mask a, Mask b) { return Mask(~a & b); }
    // acc + the lanes of w not in `in` (= ge(w, lo); w is never NaN): a mask register op, no compare.
    static Reg add_outside(Reg acc, Mask in, Reg w) { return _mm512_mask_add_ps(acc, Mask(~in), acc, w); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLT_UQ); }
    static int64_t append(T *vals, int32_t *ids, Mask m, Reg v, int64_t first) {
        _mm512_storeu_ps(vals, _mm512_maskz_compress_ps(m, v));
        const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512i id = _mm512_add_epi32(_mm512_set1_epi32(int32_t(first)), lanes);
        _mm512_storeu_si512(ids, _mm512_maskz_compress_epi32(m, id));
        return __builtin_popcount(unsigned(m));
    }
    static int64_t append_vals(T *vals, Mask m, Reg v) {
        _mm512_storeu_ps(vals, _mm512_maskz_compress_ps(m, v));
        return __builtin_popcount(unsigned(m));
    }
    static Reg zero_unless(Mask m, Reg v) { return _mm512_maskz_mov_ps(m, v); }
    // w0 2^floor(N/16 + s) by vscalefps: N/16 + s is exact, whether fused or not.
    static Reg scale_weight(Reg w0, Reg, Reg nf, Reg s) { return ldexp_floor(w0, fma(nf, set1(0.0625f), s)); }
    // Sums of trunc(ws) in int64 lanes (vcvttps2qq, DQ).
    using QAcc = __m512i;
    static QAcc qacc_zero() { return _mm512_setzero_si512(); }
    static QAcc qacc_add(QAcc acc, Reg w) {
        const __m512i lo = _mm512_cvttps_epi64(_mm512_castps512_ps256(w));
        const __m512i hi = _mm512_cvttps_epi64(
                _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(w), 1)));
        return _mm512_add_epi64(acc, _mm512_add_epi64(lo, hi));
    }
    static QAcc qacc_merge(QAcc a, QAcc b) { return _mm512_add_epi64(a, b); }
    static int64_t qacc_sum(QAcc acc) { return _mm512_reduce_add_epi64(acc); }
};

struct SampleF64 : simd::Avx512F64 {
    static Mask no_lanes() { return 0; }
    static Mask ge(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
    static Mask bad(Reg v) { return _mm512_cmp_pd_mask(v, set1(__builtin_inf()), _CMP_NLT_UQ); }
    static Mask mask_or(Mask a, Mask b) { return Mask(a | b); }
    static Mask mask_andnot(Mask a, Mask b) { return Mask(~a & b); }
    static Reg add_outside(Reg acc, Mask in, Reg w) { return _mm512_mask_add_pd(acc, Mask(~in), acc, w); }
    // Not less than b, or unordered: a >= b, or a NaN.
    static Mask nlt(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLT_UQ); }
    // 8 ids compressed within a 16-lane register (no AVX512VL needed) and stored whole.
    static int64_t append(T *vals, int32_t *ids, Mask m, Reg v, int64_t first) {
        _mm512_storeu_pd(vals, _mm512_maskz_compress_pd(m, v));
        const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512i id = _mm512_add_epi32(_mm512_set1_epi32(int32_t(first)), lanes);
        _mm512_storeu_si512(ids, _mm512_maskz_compress_epi32(__mmask16(m), id));
        return __builtin_popcount(unsigned(m));
    }
    static int64_t append_vals(T *vals, Mask m, Reg v) {
        _mm512_storeu_pd(vals, _mm512_maskz_compress_pd(m, v));
        return __builtin_popcount(unsigned(m));
    }
    static Reg zero_unless(Mask m, Reg v) { return _mm512_maskz_mov_pd(m, v); }
    static Reg scale_weight(Reg w0, Reg, Reg nf, Reg s) { return ldexp_floor(w0, fma(nf, set1(0.0625), s)); }
    using QAcc = __m512i;
    static QAcc qacc_zero() { return _mm512_setzero_si512(); }
    static QAcc qacc_add(QAcc acc, Reg w) { return _mm512_add_epi64(acc, _mm512_cvttpd_epi64(w)); }
    static QAcc qacc_merge(QAcc a, QAcc b) { return _mm512_add_epi64(a, b); }
    static int64_t qacc_sum(QAcc acc) { return _mm512_reduce_add_epi64(acc); }
};

}  // namespace

const SampleKernelSet kAvx512SampleKernels = {"avx512", simd::sample::sample_kernels<SampleF32>(),
                                              simd::sample::sample_kernels<SampleF64>()};

}  // namespace sm4j
