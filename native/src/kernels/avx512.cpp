// The AVX-512 kernel set. This file alone is compiled with AVX-512 flags (see CMakeLists.txt);
// nothing here may run before dispatch.cpp has seen that the CPU has AVX-512 F and DQ.
#include "simd_kernels.hpp"
#include "vec_avx512.hpp"

namespace sm4j {

namespace {
// The same kernels with non-temporal store passes, for large outputs (kernel_set.hpp).
const KernelSet kStreamed = simd::kernel_set<simd::Avx512F32, simd::Avx512F64, true>("avx512");
}  // namespace

const KernelSet kAvx512Kernels = simd::kernel_set<simd::Avx512F32, simd::Avx512F64>("avx512", &kStreamed);

}  // namespace sm4j
