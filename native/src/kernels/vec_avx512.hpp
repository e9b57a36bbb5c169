// AVX-512 (F + DQ + BW + VL) wrappers: the vocabulary that simd_exp.hpp and simd_kernels.hpp
// are written in, for float (16 lanes) and double (8 lanes). Include only from a translation unit
// compiled with -mavx512f -mavx512dq -mavx512bw -mavx512vl.
#pragma once

// GCC 12's AVX-512 intrinsics build their "undefined" operands from self-initialised locals,
// which its own -Wuninitialized then reports at every use.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstdint>

#include "storage.hpp"

namespace sm4j::simd {

// kBf16: bfloat16 is narrowed by vcvtneps2bf16 (AVX512-BF16; the translation unit is then
// compiled with -mavx512bf16 and runs only on CPUs that have it), else by integer code.
template <bool kBf16>
struct Avx512F32Of {
    using T = float;
    using Reg = __m512;
    using Mask = __mmask16;
    using Acc = __m512d;  // float partial sums, widened: see acc_add
    static constexpr int kWidth = 16;

    static Reg set1(T v) { return _mm512_set1_ps(v); }
    static Reg load(const T *p) { return _mm512_loadu_ps(p); }
    static void store(T *p, Reg v) { _mm512_storeu_ps(p, v); }
    // 16 half-precision elements, widened exactly (bfloat16 is a float's upper half), and
    // narrowed by the rules of half_kernels.hpp: float16 by vcvtps2ph; bfloat16 by the integer
    // form of round-to-nearest-even, with vcvtneps2bf16's flush of subnormals to ±0.
    static Reg load(const bf16 *p) { return from_bf16(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))); }
    static Reg load(const f16 *p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))); }
    static void store(f16 *p, Reg v) { _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), to_f16(v)); }
    static void store(bf16 *p, Reg v) { _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), to_bf16(v)); }
    // Non-temporal stores (simd_kernels.hpp: StreamStores), p aligned to the vector's size.
    static void stream(T *p, Reg v) { _mm512_stream_ps(p, v); }
    static void stream(f16 *p, Reg v) { _mm256_stream_si256(reinterpret_cast<__m256i *>(p), to_f16(v)); }
    static void stream(bf16 *p, Reg v) { _mm256_stream_si256(reinterpret_cast<__m256i *>(p), to_bf16(v)); }
    static __m256i to_f16(Reg v) { return _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
    static __m256i to_bf16(Reg v) {
        if constexpr (kBf16) {
#ifdef __AVX512BF16__
            return __m256i(_mm512_cvtneps_pbh(v));
#endif
        }
        const __m512i b = _mm512_castps_si512(v);
        const __m512i top = _mm512_srli_epi32(b, 16);
        __m512i r = _mm512_add_epi32(_mm512_add_epi32(b, _mm512_set1_epi32(0x7fff)),
                                     _mm512_and_si512(top, _mm512_set1_epi32(1)));
        r = _mm512_srli_epi32(r, 16);
        const __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        const __mmask16 tiny = _mm512_testn_epi32_mask(b, _mm512_set1_epi32(0x7f800000));  // ±0, subnormals
        r = _mm512_mask_mov_epi32(r, nan, _mm512_or_si512(top, _mm512_set1_epi32(0x40)));
        r = _mm512_mask_mov_epi32(r, tiny, _mm512_and_si512(top, _mm512_set1_epi32(0x8000)));
        return _mm512_cvtepi32_epi16(r);
    }
    static Reg from_bf16(__m256i h) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16)); }
    // Masked 16-bit loads and stores (AVX512-BW + VL) for a run's last lanes.
    static Reg load_first(const bf16 *p, Mask m, T fill) {
        return _mm512_mask_blend_ps(m, set1(fill), from_bf16(_mm256_maskz_loadu_epi16(m, p)));
    }
    static Reg load_first(const f16 *p, Mask m, T fill) {
        return _mm512_mask_blend_ps(m, set1(fill), _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p)));
    }
    static void store_first(bf16 *p, Mask m, Reg v) { _mm256_mask_storeu_epi16(p, m, to_bf16(v)); }
    static void store_first(f16 *p, Mask m, Reg v) { _mm256_mask_storeu_epi16(p, m, to_f16(v)); }
    // Lanes [0, k), k >= 1. Masked loads do not fault on the lanes left out.
    static Mask first(int64_t k) { return k >= kWidth ? Mask(0xFFFF) : Mask((1u << k) - 1); }
    static Reg load_first(const T *p, Mask m, T fill) {
        return _mm512_mask_loadu_ps(set1(fill), m, p);
    }
    static void store_first(T *p, Mask m, Reg v) { _mm512_mask_storeu_ps(p, m, v); }

    static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
    // Like the instructions: the second operand when either is NaN.
    static Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
    static Reg min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
    // p * 2^floor(v), rounded once: gradual underflow and overflow come out right.
    static Reg ldexp_floor(Reg p, Reg v) { return _mm512_scalef_ps(p, v); }
    // table[low 4 bits of t] per lane, from a table held in one register.
    static Reg lookup16(const void *table, Reg t) {
        return _mm512_permutexvar_ps(_mm512_castps_si512(t), _mm512_load_ps(table));
    }
    // The bits of t shifted left by s, and a + b on the bits (integer lanes): 2^k built in the
    // exponent field.
    static Reg shift_bits(Reg t, int s) { return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(t), s)); }
    static Reg add_bits(Reg a, Reg b) {
        return _mm512_castsi512_ps(_mm512_add_epi32(_mm512_castps_si512(a), _mm512_castps_si512(b)));
    }

    static Mask nonzero(Reg v) { return _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_NEQ_UQ); }
    static Mask mask_and(Mask a, Mask b) { return Mask(a & b); }
    static int count(Mask m) { return __builtin_popcount(unsigned(m)); }
    static Reg add_where(Reg acc, Mask m, Reg v) { return _mm512_mask_add_ps(acc, m, acc, v); }
    static Mask infinite(Reg v) { return _mm512_fpclass_ps_mask(v, 0x18); }
    static Mask equal(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
    static Mask less(Reg a, Reg b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
    static Mask finite(Reg v) { return Mask(~_mm512_fpclass_ps_mask(v, 0x99)); }
    static bool any(Mask m) { return m != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return _mm512_mask_blend_ps(m, b, a); }

    static Acc acc_zero() { return _mm512_setzero_pd(); }
    static Acc acc_add(Acc acc, Reg s) {
        __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(s));
        __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(s), 1)));
        return _mm512_add_pd(acc, _mm512_add_pd(lo, hi));
    }
    static double acc_sum(Acc acc) { return _mm512_reduce_add_pd(acc); }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no
    // -0), and with its additions: lane i of acc_add is s_i + s_(i+8), acc_sum adds lanes i and
    // i + 4, then i and i + 2, then 0 and 1. Here from four quarters of s, each widened to 256
    // bits, rather than two halves widened to 512 then split again: a shorter chain of latency,
    // which is what a short row waits for.
    static double widened_sum(Reg s) {
        const __m256d q0 = _mm256_cvtps_pd(_mm512_castps512_ps128(s));
        const __m256d q1 = _mm256_cvtps_pd(_mm512_extractf32x4_ps(s, 1));
        const __m256d q2 = _mm256_cvtps_pd(_mm512_extractf32x4_ps(s, 2));
        const __m256d q3 = _mm256_cvtps_pd(_mm512_extractf32x4_ps(s, 3));
        const __m256d w = _mm256_add_pd(_mm256_add_pd(q0, q2), _mm256_add_pd(q1, q3));
        const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(w), _mm256_extractf128_pd(w, 1));
        return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
    }
    static T reduce_max(Reg v) { return _mm512_reduce_max_ps(v); }
    static T reduce_min(Reg v) { return _mm512_reduce_min_ps(v); }
};

using Avx512F32 = Avx512F32Of<false>;

// The parameter only makes avx512bf16.cpp's double kernels distinct functions from avx512.cpp's:
// the same template instantiated in two files compiled with different flags would be one weak
// symbol, and the linker could give the avx512 set the copy built with -mavx512bf16
// (tests/check_isa_symbols.sh).
template <bool kBf16>
struct Avx512F64Of {
    using T = double;
    using Reg = __m512d;
    using Mask = __mmask8;
    using Acc = __m512d;
    static constexpr int kWidth = 8;

    static Reg set1(T v) { return _mm512_set1_pd(v); }
    static Reg load(const T *p) { return _mm512_loadu_pd(p); }
    static void store(T *p, Reg v) { _mm512_storeu_pd(p, v); }
    static void stream(T *p, Reg v) { _mm512_stream_pd(p, v); }
    static Mask first(int64_t k) { return k >= kWidth ? Mask(0xFF) : Mask((1u << k) - 1); }
    static Reg load_first(const T *p, Mask m, T fill) {
        return _mm512_mask_loadu_pd(set1(fill), m, p);
    }
    static void store_first(T *p, Mask m, Reg v) { _mm512_mask_storeu_pd(p, m, v); }

    static Reg add(Reg a, Reg b) { return _mm512_add_pd(a, b); }
    static Reg sub(Reg a, Reg b) { return _mm512_sub_pd(a, b); }
    static Reg mul(Reg a, Reg b) { return _mm512_mul_pd(a, b); }
    static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_pd(a, b, c); }
    static Reg max(Reg a, Reg b) { return _mm512_max_pd(a, b); }
    static Reg min(Reg a, Reg b) { return _mm512_min_pd(a, b); }
    static Reg ldexp_floor(Reg p, Reg v) { return _mm512_scalef_pd(p, v); }
    // From a table held in two registers.
    static Reg lookup16(const void *table, Reg t) {
        const T *p = static_cast<const T *>(table);
        return _mm512_permutex2var_pd(_mm512_load_pd(p), _mm512_castpd_si512(t), _mm512_load_pd(p + 8));
    }
    static Reg shift_bits(Reg t, int s) { return _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(t), s)); }
    static Reg add_bits(Reg a, Reg b) {
        return _mm512_castsi512_pd(_mm512_add_epi64(_mm512_castpd_si512(a), _mm512_castpd_si512(b)));
    }

    static Mask nonzero(Reg v) { return _mm512_cmp_pd_mask(v, _mm512_setzero_pd(), _CMP_NEQ_UQ); }
    static Mask mask_and(Mask a, Mask b) { return Mask(a & b); }
    static int count(Mask m) { return __builtin_popcount(unsigned(m)); }
    static Reg add_where(Reg acc, Mask m, Reg v) { return _mm512_mask_add_pd(acc, m, acc, v); }
    static Mask infinite(Reg v) { return _mm512_fpclass_pd_mask(v, 0x18); }
    static Mask equal(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
    static Mask less(Reg a, Reg b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
    static Mask finite(Reg v) { return Mask(~_mm512_fpclass_pd_mask(v, 0x99)); }
    static bool any(Mask m) { return m != 0; }
    static Reg select(Mask m, Reg a, Reg b) { return _mm512_mask_blend_pd(m, b, a); }

    static Acc acc_zero() { return _mm512_setzero_pd(); }
    static Acc acc_add(Acc acc, Reg s) { return _mm512_add_pd(acc, s); }
    static double acc_sum(Acc acc) { return _mm512_reduce_add_pd(acc); }
    // acc_sum(acc_add(acc_zero(), s)) without the exact + 0 (the short-row kernels' lanes hold no -0).
    static double widened_sum(Reg s) { return acc_sum(s); }
    static T reduce_max(Reg v) { return _mm512_reduce_max_pd(v); }
    static T reduce_min(Reg v) { return _mm512_reduce_min_pd(v); }
};

using Avx512F64 = Avx512F64Of<false>;

}  // namespace sm4j::simd
