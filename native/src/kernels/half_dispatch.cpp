// Chooses the half-precision conversions with the active kernel set (kernel_set.hpp), so that
// SOFTMAX4J_KERNELS and sm4j_force_kernels select them too. Compiled for baseline x86-64.
#include <cstring>

#include "half_kernels.hpp"
#include "kernel_set.hpp"

namespace sm4j {
namespace {

bool cpu_has(const char *feature) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    // The kernel wrapper's loads and stores (vec_avx512.hpp): F, DQ, BW and VL, as the avx512 set.
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    if (std::strcmp(feature, "avx512") == 0) return avx512;
    if (std::strcmp(feature, "avx512bf16") == 0) return avx512 && __builtin_cpu_supports("avx512bf16");
    if (std::strcmp(feature, "f16c") == 0)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
    return std::strcmp(feature, "generic") == 0;
}

}  // namespace

const HalfKernels *find_half_kernels(const char *name) {
#if defined(__x86_64__) || defined(__i386__)
    const HalfKernels *const all[] = {&kHalfAvx512Bf16, &kHalfAvx512, &kHalfF16c, &kHalfGeneric};
#else
    const HalfKernels *const all[] = {&kHalfGeneric};
#endif
    for (const HalfKernels *set : all)
        if (std::strcmp(set->name, name) == 0) return cpu_has(name) ? set : nullptr;
    return nullptr;
}

const HalfKernels &active_half_kernels() {
    // Looked up once per kernel set: the sets are few and fixed, forcing one is rare.
    static const HalfKernels *const for_avx512 = [] {
        const HalfKernels *s = find_half_kernels("avx512bf16");
        return s != nullptr ? s : find_half_kernels("avx512");
    }();
    static const HalfKernels *const for_avx2 = find_half_kernels("f16c");
    const char *set = active_kernels().name;
    if (std::strcmp(set, "avx512") == 0 && for_avx512 != nullptr) return *for_avx512;
    if (std::strcmp(set, "avx2") == 0 && for_avx2 != nullptr) return *for_avx2;
    return kHalfGeneric;
}

}  // namespace sm4j
