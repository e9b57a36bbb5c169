// The AVX-512 kernel set. This file alone is compiled with AVX-512 flags (see CMakeLists.txt);
// nothing here may run before dispatch.cpp has seen that the CPU has AVX-512 F and DQ.
#include "simd_kernels.hpp"
#include "vec_avx512.hpp"

namespace sm4j {

const KernelSet kAvx512Kernels = {"avx512", simd::row_kernels<simd::Avx512F32>(),
                                  simd::row_kernels<simd::Avx512F64>()};

}  // namespace sm4j
