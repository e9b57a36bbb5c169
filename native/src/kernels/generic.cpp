// The portable kernel set: runs everywhere, and is what the vector sets are tested against.
#include "generic.hpp"

namespace sm4j {

const KernelSet kGenericKernels = {"generic", generic::row_kernels<float>(),
                                   generic::row_kernels<double>()};

}  // namespace sm4j
