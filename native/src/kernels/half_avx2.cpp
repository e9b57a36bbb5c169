// float16 through F16C (vcvtph2ps / vcvtps2ph, 8 lanes), for the avx2 kernel set; bfloat16 by
// the scalar functions, which the compiler vectorises for AVX2. Compiled with -mavx2 -mf16c;
// used only where the CPU has both (half_dispatch.cpp).
#include <immintrin.h>

#include "half_kernels.hpp"

namespace sm4j {
namespace {

void bf16_to_f32(const uint16_t *x, float *y, int64_t n) {
    for (int64_t j = 0; j < n; ++j) y[j] = half::bf16_to_f32(x[j]);
}

void f32_to_bf16(const float *x, uint16_t *y, int64_t n) {
    for (int64_t j = 0; j < n; ++j) y[j] = half::f32_to_bf16(x[j]);
}

void f16_to_f32(const uint16_t *x, float *y, int64_t n) {
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm256_storeu_ps(y + j, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(x + j))));
    for (; j < n; ++j) y[j] = half::f16_to_f32(x[j]);
}

void f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(y + j),
                         _mm256_cvtps_ph(_mm256_loadu_ps(x + j), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; j < n; ++j) y[j] = half::f32_to_f16(x[j]);
}

}  // namespace

const HalfKernels kHalfF16c{"f16c", bf16_to_f32, f32_to_bf16, f16_to_f32, f32_to_f16};

}  // namespace sm4j
