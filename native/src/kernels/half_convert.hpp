// The conversion tables (half_kernels.hpp) of a vector instruction set, from its kernel wrapper's
// loads and stores (vec_avx2.hpp, vec_avx512.hpp), so that the kernels' fused passes and the
// widening layer (../half.cpp) convert by one piece of code. Include after the wrapper's header,
// from a translation unit compiled for its instructions (half_avx2.cpp, half_avx512.cpp,
// half_avx512bf16.cpp).
#pragma once

#include "half_kernels.hpp"
#include "storage.hpp"

namespace sm4j {
namespace simd {

// y = x converted, a vector at a time, the last lanes masked. V: the wrapper.
template <class V, class From, class To>
void convert(const From *x, To *y, int64_t n) {
    int64_t j = 0;
    for (; j + V::kWidth <= n; j += V::kWidth) V::store(y + j, V::load(x + j));
    if (j < n) {
        const auto m = V::first(n - j);
        V::store_first(y + j, m, V::load_first(x + j, m, 0.f));
    }
}

}  // namespace simd

namespace {

template <class V>
void bf16_to_f32(const uint16_t *x, float *y, int64_t n) {
    simd::convert<V>(reinterpret_cast<const bf16 *>(x), y, n);
}
template <class V>
void f32_to_bf16(const float *x, uint16_t *y, int64_t n) {
    simd::convert<V>(x, reinterpret_cast<bf16 *>(y), n);
}
template <class V>
void f16_to_f32(const uint16_t *x, float *y, int64_t n) {
    simd::convert<V>(reinterpret_cast<const f16 *>(x), y, n);
}
template <class V>
void f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    simd::convert<V>(x, reinterpret_cast<f16 *>(y), n);
}

}  // namespace

// The table of one wrapper.
template <class V>
constexpr HalfKernels half_kernels(const char *name) {
    return {name, bf16_to_f32<V>, f32_to_bf16<V>, f16_to_f32<V>, f32_to_f16<V>};
}

}  // namespace sm4j
