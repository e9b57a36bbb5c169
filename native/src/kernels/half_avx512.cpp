// The conversions on AVX-512F, 16 lanes: float16 by vcvtph2ps / vcvtps2ph, bfloat16 widened by a
// shift and narrowed by the integer form of round-to-nearest-even (the same bits as
// vcvtneps2bf16, subnormals flushed), or by vcvtneps2bf16 itself where the CPU has AVX512-BF16
// (half_avx512bf16.cpp). Compiled with -mavx512f; used only where the CPU has it.
#include <immintrin.h>

#include "half_kernels.hpp"

// GCC 12's AVX-512 headers start some intrinsics from a self-initialised "undefined" register
// (__m512i __Y = __Y), which -Wmaybe-uninitialized reports in every caller; nothing here reads it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace sm4j {

// half_avx512bf16.cpp
void f32_to_bf16_avx512bf16(const float *x, uint16_t *y, int64_t n);

namespace {

void bf16_to_f32(const uint16_t *x, float *y, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) {
        const __m512i h = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + j)));
        _mm512_storeu_ps(y + j, _mm512_castsi512_ps(_mm512_slli_epi32(h, 16)));
    }
    for (; j < n; ++j) y[j] = half::bf16_to_f32(x[j]);
}

void f32_to_bf16(const float *x, uint16_t *y, int64_t n) {
    const __m512i bias = _mm512_set1_epi32(0x7fff), one = _mm512_set1_epi32(1);
    const __m512i exponent = _mm512_set1_epi32(0x7f800000), sign = _mm512_set1_epi32(0x8000);
    const __m512i quiet = _mm512_set1_epi32(0x40);
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) {
        const __m512 v = _mm512_loadu_ps(x + j);
        const __m512i b = _mm512_castps_si512(v);
        const __m512i top = _mm512_srli_epi32(b, 16);
        __m512i r = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(b, bias), _mm512_and_si512(top, one)), 16);
        const __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        const __mmask16 tiny = _mm512_testn_epi32_mask(b, exponent);  // ±0 and subnormals
        r = _mm512_mask_mov_epi32(r, nan, _mm512_or_si512(top, quiet));
        r = _mm512_mask_mov_epi32(r, tiny, _mm512_and_si512(top, sign));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(y + j), _mm512_cvtepi32_epi16(r));
    }
    for (; j < n; ++j) y[j] = half::f32_to_bf16(x[j]);
}

void f16_to_f32(const uint16_t *x, float *y, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16)
        _mm512_storeu_ps(y + j, _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(x + j))));
    for (; j < n; ++j) y[j] = half::f16_to_f32(x[j]);
}

void f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16)
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(y + j),
                            _mm512_cvtps_ph(_mm512_loadu_ps(x + j), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; j < n; ++j) y[j] = half::f32_to_f16(x[j]);
}

}  // namespace

const HalfKernels kHalfAvx512{"avx512", bf16_to_f32, f32_to_bf16, f16_to_f32, f32_to_f16};
const HalfKernels kHalfAvx512Bf16{"avx512bf16", bf16_to_f32, f32_to_bf16_avx512bf16, f16_to_f32, f32_to_f16};

}  // namespace sm4j
