// The AArch64 NEON kernel set. Advanced SIMD is part of the AArch64 baseline: this file needs no
// extra flags, and dispatch.cpp offers it on every AArch64 CPU.
#include "simd_kernels.hpp"
#include "vec_neon.hpp"

namespace sm4j {

const KernelSet kNeonKernels = simd::kernel_set<simd::NeonF32, simd::NeonF64>("neon");

}  // namespace sm4j
