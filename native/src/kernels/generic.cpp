// The portable kernel set: runs everywhere, and is what the vector sets are tested against.
#include "generic.hpp"

namespace sm4j {

const KernelSet kGenericKernels = {"generic", generic::row_kernels<float>(),
                                   generic::row_kernels<double>(),
                                   generic::row_kernels<float, bf16, bf16>(),
                                   generic::row_kernels<float, bf16, float>(),
                                   generic::row_kernels<float, f16, f16>(),
                                   generic::row_kernels<float, f16, float>()};

}  // namespace sm4j
