// Chooses the kernel set once: the best one this CPU runs, unless SOFTMAX4J_KERNELS names
// another (generic | avx2 | avx512 on x86-64, generic | neon on AArch64) that it also runs;
// sm4j_force_kernels may change it later.
//
// This file is compiled for the baseline of its architecture, like everything outside avx2.cpp
// and avx512.cpp.
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "kernel_set.hpp"

namespace sm4j {
namespace {

bool cpu_runs(const KernelSet &set) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (&set == &kAvx512Bf16Kernels) return cpu_runs(kAvx512Kernels) && __builtin_cpu_supports("avx512bf16");
    if (&set == &kAvx512Kernels)
        // BW and VL for the 16-bit rows' masked loads and stores: every CPU with DQ has them.
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
    // F16C for the float16 rows' loads and stores: every CPU with AVX2 and FMA has it.
    if (&set == &kAvx2Kernels)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#elif defined(__aarch64__)
    // Advanced SIMD is part of the AArch64 baseline (the compiler uses it everywhere for
    // floating point): every CPU that runs this library runs the set.
    if (&set == &kNeonKernels) return true;
#endif
    return &set == &kGenericKernels;
}

// Best first. On x86-64 two sets are named "avx512": the one with AVX512-BF16 where the CPU has it.
const KernelSet *const kAllSets[] = {
#if defined(__x86_64__)
    &kAvx512Bf16Kernels, &kAvx512Kernels, &kAvx2Kernels,
#elif defined(__aarch64__)
    &kNeonKernels,
#endif
    &kGenericKernels};

const KernelSet *choose_at_load() {
    const char *wanted = std::getenv("SOFTMAX4J_KERNELS");
    if (wanted != nullptr && *wanted != '\0') {
        // An unknown name or a set this CPU lacks falls back to the best one; sm4j_kernel_name
        // tells which was taken.
        if (const KernelSet *set = find_kernel_set(wanted)) return set;
    }
    for (const KernelSet *set : kAllSets)
        if (cpu_runs(*set)) return set;
    return &kGenericKernels;
}

}  // namespace

std::atomic<const KernelSet *> g_active_set{nullptr};

const KernelSet *find_kernel_set(const char *name) {
    for (const KernelSet *set : kAllSets)
        if (std::strcmp(set->name, name) == 0 && cpu_runs(*set)) return set;
    return nullptr;
}

const KernelSet &choose_active_kernels() {
    const KernelSet *set = g_active_set.load(std::memory_order_acquire);
    if (set == nullptr) {
        const KernelSet *chosen = choose_at_load();
        // Another thread may have chosen (or forced) first; its choice stands.
        g_active_set.compare_exchange_strong(set, chosen, std::memory_order_acq_rel);
        set = g_active_set.load(std::memory_order_acquire);
    }
    return *set;
}

bool force_kernels(const char *name) {
    const KernelSet *set = name != nullptr ? find_kernel_set(name) : nullptr;
    if (set == nullptr) return false;
    g_active_set.store(set, std::memory_order_release);
    return true;
}

namespace {
// Chosen when the library is loaded, so that the environment is read at load as documented and
// the first call pays nothing.
[[maybe_unused]] const KernelSet &g_chosen_at_load = choose_active_kernels();
}  // namespace

}  // namespace sm4j
