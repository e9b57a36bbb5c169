// The AVX2 conversions, 8 lanes: float16 by F16C (vcvtph2ps / vcvtps2ph); bfloat16 widened by a
// shift and narrowed by the integer form of round-to-nearest-even (the same bits as
// vcvtneps2bf16, subnormals flushed). Compiled with -mavx2 -mfma -mf16c; used only where the
// CPU has them (half_dispatch.cpp).
#include "vec_avx2.hpp"

#include "half_convert.hpp"

namespace sm4j {

const HalfKernels kHalfF16c = half_kernels<simd::Avx2F32>("f16c");

}  // namespace sm4j
