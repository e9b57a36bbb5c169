// The AVX2 + FMA kernel set. This file alone is compiled with AVX2 flags (see CMakeLists.txt);
// nothing here may run before dispatch.cpp has seen that the CPU has AVX2 and FMA.
#include "simd_kernels.hpp"
#include "vec_avx2.hpp"

namespace sm4j {

namespace {
// The same kernels with non-temporal store passes, for large outputs (kernel_set.hpp).
const KernelSet kStreamed = simd::kernel_set<simd::Avx2F32, simd::Avx2F64, true>("avx2");
}  // namespace

const KernelSet kAvx2Kernels = simd::kernel_set<simd::Avx2F32, simd::Avx2F64>("avx2", &kStreamed);

}  // namespace sm4j
