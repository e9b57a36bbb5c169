// AVX2 + FMA wrappers, the same vocabulary as vec_avx512.hpp for float (8 lanes) and double
// (4 lanes). Masks are vectors here. Include only from a translation unit compiled with
// -mavx2 -mfma.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "storage.hpp"

namespace sm4j::simd {

struct Avx2F32 {
    using T = float;
    using Reg = __m256;
    using Mask = __m256;
    using Acc = __m256d;
    static constexpr int kWidth = 8;

    static Reg set1(T v) { return _mm256_set1_ps(v); }
    static Reg load(const T *p) { return _mm256_loadu_ps(p); }
    static void store(T *p, Reg v) { _mm256_storeu_ps(p, v); }
    // 8 half-precision elements, widened exactly and narrowed by the rules of half_kernels.hpp:
    // float16 by F16C; bfloat16 by the integer form of round-to-nearest-even, subnormals
    // flushed to ±0 as vcvtneps2bf16 does.
    static Reg load(const bf16 *p) {
        const __m256i h = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(h, 16));
    }
    static Reg load(const f16 *p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p))); }
    static void store(f16 *p, Reg v) { _mm_storeu_si128(reinterpret_cast<__m128i *>(p), to_f16(v)); }
    static void store(bf16 *p, Reg v) { _mm_storeu_si128(reinterpret_cast<__m128i *>(p), to_bf16(v)); }
    // Non-temporal stores (simd_kernels.hpp: StreamStores), p aligned to the vector's size.
    static void stream(T *p, Reg v) { _mm256_stream_ps(p, v); }
    static void stream(f16 *p, Reg v) { _mm_stream_si128(reinterpret_cast<__m128i *>(p), to_f16(v)); }
    static void stream(bf16 *p, Reg v) { _mm_stream_si128(reinterpret_cast<__m128i *>(p), to_bf16(v)); }
    static __m128i to_f16(Reg v) { return _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
    static __m128i to_bf16(Reg v) {
        const __m256i b = _mm256_castps_si256(v);
        const __m256i top = _mm256_srli_epi32(b, 16);
        __m256i r = _mm256_add_epi32(_mm256_add_epi32(b, _mm256_set1_epi32(0x7fff)),
                                     _mm256_and_si256(top, _mm256_set1_epi32(1)));
        r = _mm256_srli_epi32(r, 16);
        const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        const __m256i tiny = _mm256_cmpeq_epi32(_mm256_and_si256(b, _mm256_set1_epi32(0x7f800000)),
                                                _mm256_setzero_si256());  // ±0 and subnormals
        r = _mm256_blendv_epi8(r, _mm256_or_si256(top, _mm256_set1_epi32(0x40)), nan);
        r = _mm256_blendv_epi8(r, _mm256_and_si256(top, _mm256_set1_epi32(0x8000)), tiny);
        // Every lane is at most 0xffff, so unsigned saturation packs it unchanged.
        return _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    }
    // A run's last lanes of 16-bit data: AVX2 has no 16-bit masked loads, so they go through a
    // small buffer (once per row and pass).
    template <class S>
    static Reg load_first(const S *p, Mask m, T fill) {
        const int k = count(m);
        if (k == kWidth) return load(p);
        alignas(16) S buf[kWidth] = {};
        std::memcpy(buf, p, size_t(k) * sizeof(S));
        return _mm256_blendv_ps(set1(fill), load(buf), m);
    }
    template <class S>
    static void store_first(S *p, Mask m, Reg v) {
        const int k = count(m);
        if (k == kWidth) return store(p, v);
        alignas(16) S buf[kWidth];
        store(buf, v);
        std::memcpy(p, buf, size_t(k) * sizeof(S));
    }
    static Mask first(int64_t k) {
        int n = k >= kWidth ? kWidth : int(k);
        __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(n), lanes));
    }
    // maskload does not fault on the lanes left out, and reads them as 0.
    static Reg load_first(const T *p, Mask m, T fill) {
        return _mm256_blendv_ps(set1(fill), _mm256_maskload_ps(p, _mm256_castps_si256(m)), m);
    }
    static void store_first(T *p, Mask m, Reg v) { _mm256_maskstore_ps(p, _mm256_castps_si256(m), v); }

    static Reg add(Reg a, Reg b) { return _mm256_add_ps(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm256_sub_ps(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm256_mul_ps(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }
    static Reg max(Reg a, Reg b) { return _mm256_max_ps(a, b); }
    static Reg min(Reg a, Reg b) { return _mm256_min_ps(a, b); }
    // p * 2^floor(v) for v in [-152, 128). 2^k is built in the exponent field, which holds
    // only normal powers; below them it is applied in two halves, so that the one rounding into
    // the subnormal range happens in the last product (gradual underflow, as scalef does). The
    // halves cost a branch that rows with a spread of less than 87 never take.
    static Reg ldexp_floor(Reg p, Reg v) {
        Reg k = _mm256_round_ps(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        if (_mm256_movemask_ps(_mm256_cmp_ps(k, _mm256_set1_ps(-126.0f), _CMP_LT_OQ)) == 0)
            return _mm256_mul_ps(p, pow2(k));
        Reg k1 = _mm256_round_ps(_mm256_mul_ps(k, set1(0.5f)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        return _mm256_mul_ps(_mm256_mul_ps(p, pow2(k1)), pow2(_mm256_sub_ps(k, k1)));
    }
    // table[low 4 bits of t] per lane: each half of the table is one register, permuted by the
    // low 3 bits; bit 3, shifted into the sign, picks the half (cheaper than a gather).
    static Reg lookup16(const void *table, Reg t) {
        const T *p = static_cast<const T *>(table);
        __m256i j = _mm256_castps_si256(t);
        Reg lo = _mm256_permutevar8x32_ps(_mm256_loadu_ps(p), j);
        Reg hi = _mm256_permutevar8x32_ps(_mm256_loadu_ps(p + 8), j);
        return _mm256_blendv_ps(lo, hi, _mm256_castsi256_ps(_mm256_slli_epi32(j, 28)));
    }
    static Reg shift_bits(Reg t, int s) { return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t), s)); }
    static Reg add_bits(Reg a, Reg b) {
        return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(a), _mm256_castps_si256(b)));
    }
    // 2^n for integral n in [-126, 127]: adding 1.5 * 2^23 leaves n in the low bits, which the
    // shift moves, biased, into the exponent field (the shifter's own bits fall off the top).
    static Reg pow2(Reg n) {
        __m256i bits = _mm256_castps_si256(_mm256_add_ps(n, set1(12582912.0f)));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23));
    }

    static Mask nonzero(Reg v) { return _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NEQ_UQ); }
    static Mask mask_and(Mask a, Mask b) { return _mm256_and_ps(a, b); }
    static int count(Mask m) { return __builtin_popcount(unsigned(_mm256_movemask_ps(m))); }
    static Reg add_where(Reg acc, Mask m, Reg v) { return _mm256_add_ps(acc, _mm256_and_ps(m, v)); }
    static Mask infinite(Reg v) {
        return _mm256_cmp_ps(_mm256_andnot_ps(set1(-0.0f), v), set1(__builtin_inff()), _CMP_EQ_OQ);
    }
    static Mask equal(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
    static Mask less(Reg a, Reg b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
    static Mask finite(Reg v) {
        return _mm256_cmp_ps(_mm256_andnot_ps(set1(-0.0f), v), set1(__builtin_inff()), _CMP_LT_OQ);
    }
    static bool any(Mask m) { return _mm256_movemask_ps(m) != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return _mm256_blendv_ps(b, a, m); }

    static Acc acc_zero() { return _mm256_setzero_pd(); }
    static Acc acc_add(Acc acc, Reg s) {
        __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(s));
        __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(s, 1));
        return _mm256_add_pd(acc, _mm256_add_pd(lo, hi));
    }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no -0).
    static double widened_sum(Reg s) {
        return acc_sum(_mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(s)), _mm256_cvtps_pd(_mm256_extractf128_ps(s, 1))));
    }
    static double acc_sum(Acc acc) {
        __m128d s = _mm_add_pd(_mm256_castpd256_pd128(acc), _mm256_extractf128_pd(acc, 1));
        return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
    }
    static T reduce_max(Reg v) {
        __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        s = _mm_max_ps(s, _mm_movehl_ps(s, s));
        return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
    }
    static T reduce_min(Reg v) {
        __m128 s = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        s = _mm_min_ps(s, _mm_movehl_ps(s, s));
        return _mm_cvtss_f32(_mm_min_ss(s, _mm_movehdup_ps(s)));
    }
};

struct Avx2F64 {
    using T = double;
    using Reg = __m256d;
    using Mask = __m256d;
    using Acc = __m256d;
    static constexpr int kWidth = 4;

    static Reg set1(T v) { return _mm256_set1_pd(v); }
    static Reg load(const T *p) { return _mm256_loadu_pd(p); }
    static void store(T *p, Reg v) { _mm256_storeu_pd(p, v); }
    static void stream(T *p, Reg v) { _mm256_stream_pd(p, v); }
    static Mask first(int64_t k) {
        long long n = k >= kWidth ? kWidth : k;
        __m256i lanes = _mm256_setr_epi64x(0, 1, 2, 3);
        return _mm256_castsi256_pd(_mm256_cmpgt_epi64(_mm256_set1_epi64x(n), lanes));
    }
    static Reg load_first(const T *p, Mask m, T fill) {
        return _mm256_blendv_pd(set1(fill), _mm256_maskload_pd(p, _mm256_castpd_si256(m)), m);
    }
    static void store_first(T *p, Mask m, Reg v) { _mm256_maskstore_pd(p, _mm256_castpd_si256(m), v); }

    static Reg add(Reg a, Reg b) { return _mm256_add_pd(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm256_sub_pd(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm256_mul_pd(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_pd(a, b, c); }
    static Reg max(Reg a, Reg b) { return _mm256_max_pd(a, b); }
    static Reg min(Reg a, Reg b) { return _mm256_min_pd(a, b); }
    // As Avx2F32::ldexp_floor, for v in [-1078, 1024).
    static Reg ldexp_floor(Reg p, Reg v) {
        Reg k = _mm256_round_pd(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        if (_mm256_movemask_pd(_mm256_cmp_pd(k, _mm256_set1_pd(-1022.0), _CMP_LT_OQ)) == 0)
            return _mm256_mul_pd(p, pow2(k));
        Reg k1 = _mm256_round_pd(_mm256_mul_pd(k, set1(0.5)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        return _mm256_mul_pd(_mm256_mul_pd(p, pow2(k1)), pow2(_mm256_sub_pd(k, k1)));
    }
    static Reg lookup16(const void *table, Reg t) {
        __m256i j = _mm256_and_si256(_mm256_castpd_si256(t), _mm256_set1_epi64x(15));
        return _mm256_i64gather_pd(static_cast<const T *>(table), j, 8);
    }
    static Reg shift_bits(Reg t, int s) { return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(t), s)); }
    static Reg add_bits(Reg a, Reg b) {
        return _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(a), _mm256_castpd_si256(b)));
    }
    // As Avx2F32::pow2, for n in [-1022, 1023]; AVX2 has no double -> int64 conversion, and
    // needs none this way.
    static Reg pow2(Reg n) {
        __m256i bits = _mm256_castpd_si256(_mm256_add_pd(n, set1(6755399441055744.0)));  // 1.5 * 2^52
        return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(bits, _mm256_set1_epi64x(1023)), 52));
    }

    static Mask nonzero(Reg v) { return _mm256_cmp_pd(v, _mm256_setzero_pd(), _CMP_NEQ_UQ); }
    static Mask mask_and(Mask a, Mask b) { return _mm256_and_pd(a, b); }
    static int count(Mask m) { return __builtin_popcount(unsigned(_mm256_movemask_pd(m))); }
    static Reg add_where(Reg acc, Mask m, Reg v) { return _mm256_add_pd(acc, _mm256_and_pd(m, v)); }
    static Mask infinite(Reg v) {
        return _mm256_cmp_pd(_mm256_andnot_pd(set1(-0.0), v), set1(__builtin_inf()), _CMP_EQ_OQ);
    }
    static Mask equal(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
    static Mask less(Reg a, Reg b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
    static Mask finite(Reg v) {
        return _mm256_cmp_pd(_mm256_andnot_pd(set1(-0.0), v), set1(__builtin_inf()), _CMP_LT_OQ);
    }
    static bool any(Mask m) { return _mm256_movemask_pd(m) != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return _mm256_blendv_pd(b, a, m); }

    static Acc acc_zero() { return _mm256_setzero_pd(); }
    static Acc acc_add(Acc acc, Reg s) { return _mm256_add_pd(acc, s); }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no -0).
    static double widened_sum(Reg s) { return acc_sum(s); }
    static double acc_sum(Acc acc) {
        __m128d s = _mm_add_pd(_mm256_castpd256_pd128(acc), _mm256_extractf128_pd(acc, 1));
        return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
    }
    static T reduce_max(Reg v) {
        __m128d s = _mm_max_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
        return _mm_cvtsd_f64(_mm_max_sd(s, _mm_unpackhi_pd(s, s)));
    }
    static T reduce_min(Reg v) {
        __m128d s = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
        return _mm_cvtsd_f64(_mm_min_sd(s, _mm_unpackhi_pd(s, s)));
    }
};

}  // namespace sm4j::simd
