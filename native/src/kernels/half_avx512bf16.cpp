// bfloat16 narrowing by vcvtneps2bf16 (AVX512-BF16): round to nearest even, NaN quiet,
// subnormals flushed to ±0. Its own file: compiled with -mavx512bf16, run only where the CPU
// has it (half_dispatch.cpp).
#include <immintrin.h>

#include "half_kernels.hpp"

namespace sm4j {

void f32_to_bf16_avx512bf16(const float *x, uint16_t *y, int64_t n) {
    int64_t j = 0;
    for (; j + 16 <= n; j += 16) {
        const __m256bh h = _mm512_cvtneps_pbh(_mm512_loadu_ps(x + j));
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(y + j), reinterpret_cast<const __m256i &>(h));
    }
    for (; j < n; ++j) y[j] = half::f32_to_bf16(x[j]);
}

}  // namespace sm4j
