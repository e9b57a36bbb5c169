// The AVX2 + FMA kernel set. This file alone is compiled with AVX2 flags (see CMakeLists.txt);
// nothing here may run before dispatch.cpp has seen that the CPU has AVX2 and FMA.
#include "simd_kernels.hpp"
#include "vec_avx2.hpp"

namespace sm4j {

const KernelSet kAvx2Kernels = simd::kernel_set<simd::Avx2F32, simd::Avx2F64>("avx2");

}  // namespace sm4j
