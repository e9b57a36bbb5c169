// The portable conversions: the scalar functions of half_kernels.hpp over a run. Every CPU runs
// them (arm64 builds too); the compiler vectorises what it can.
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
    for (int64_t j = 0; j < n; ++j) y[j] = half::f16_to_f32(x[j]);
}

void f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    for (int64_t j = 0; j < n; ++j) y[j] = half::f32_to_f16(x[j]);
}

}  // namespace

const HalfKernels kHalfGeneric{"generic", bf16_to_f32, f32_to_bf16, f16_to_f32, f32_to_f16};

}  // namespace sm4j
