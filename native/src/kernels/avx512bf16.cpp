// The AVX-512 kernel set on CPUs that also have AVX512-BF16 (Zen 4, Sapphire Rapids, Cooper
// Lake): the same kernels, with bfloat16 outputs narrowed by vcvtneps2bf16 instead of integer
// code (the same bits). This file alone is compiled with -mavx512bf16 (see CMakeLists.txt);
// dispatch.cpp prefers it to kAvx512Kernels, under the same name, where the CPU has it.
#include "simd_kernels.hpp"
#include "vec_avx512.hpp"

namespace sm4j {

namespace {
// The same kernels with non-temporal store passes, for large outputs (kernel_set.hpp).
const KernelSet kStreamed = simd::kernel_set<simd::Avx512F32Of<true>, simd::Avx512F64Of<true>, true>("avx512");
}  // namespace

const KernelSet kAvx512Bf16Kernels = simd::kernel_set<simd::Avx512F32Of<true>, simd::Avx512F64Of<true>>("avx512", &kStreamed);

}  // namespace sm4j
