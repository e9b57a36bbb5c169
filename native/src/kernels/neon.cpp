// The AArch64 NEON kernel set. Advanced SIMD is part of the AArch64 baseline: this file needs no
// extra flags, and dispatch.cpp offers it on every AArch64 CPU.
#include "simd_kernels.hpp"
#include "vec_neon.hpp"

namespace sm4j {

const KernelSet kNeonKernels = {"neon", simd::row_kernels<simd::NeonF32>(),
                                simd::row_kernels<simd::NeonF64>()};

}  // namespace sm4j
