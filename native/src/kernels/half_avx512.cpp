// The AVX-512 conversions, 16 lanes: float16 by vcvtph2ps / vcvtps2ph; bfloat16 widened by a
// shift and narrowed by the integer form of round-to-nearest-even (the same bits as
// vcvtneps2bf16, subnormals flushed). half_avx512bf16.cpp has vcvtneps2bf16 itself.
#include "vec_avx512.hpp"

#include "half_convert.hpp"

namespace sm4j {

const HalfKernels kHalfAvx512 = half_kernels<simd::Avx512F32>("avx512");

}  // namespace sm4j
