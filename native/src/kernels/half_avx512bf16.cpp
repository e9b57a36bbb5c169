// The AVX-512 conversions with bfloat16 narrowed by vcvtneps2bf16 (AVX512-BF16): round to
// nearest even, NaN quiet, subnormals flushed to ±0. Its own file: compiled with -mavx512bf16,
// run only where the CPU has it (half_dispatch.cpp).
#include "vec_avx512.hpp"

#include "half_convert.hpp"

namespace sm4j {

const HalfKernels kHalfAvx512Bf16 = half_kernels<simd::Avx512F32Of<true>>("avx512bf16");

}  // namespace sm4j
