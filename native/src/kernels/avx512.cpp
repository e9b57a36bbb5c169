// The AVX-512 kernel set. This file alone is compiled with AVX-512 flags (see CMakeLists.txt);
// nothing here may run before dispatch.cpp has seen that the CPU has AVX-512 F and DQ.
#include "simd_kernels.hpp"
#include "vec_avx512.hpp"

namespace sm4j {

const KernelSet kAvx512Kernels = simd::kernel_set<simd::Avx512F32, simd::Avx512F64>("avx512");

}  // namespace sm4j
