// Process-wide facts: CPU features, versions, OpenBLAS's pool (the thread policy has a file of its
// own, thread_policy.cpp).
#include <mutex>
#include <string>

#include <cblas.h>

#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

#include "blas.hpp"
#include "kernels/kernel_set.hpp"
#include "softmax4j.h"

#ifndef SOFTMAX4J_VERSION
#define SOFTMAX4J_VERSION "0.0.0"
#endif

namespace sm4j {
namespace {
std::string detect_features() {
    std::string s;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    // __builtin_cpu_supports takes only a string literal, hence the macro.
#define SM4J_FEATURE(name) {name, bool(__builtin_cpu_supports(name))}
    const struct {
        const char *name;
        bool has;
    } features[] = {SM4J_FEATURE("sse4.2"),   SM4J_FEATURE("avx"),      SM4J_FEATURE("avx2"),
                    SM4J_FEATURE("fma"),      SM4J_FEATURE("f16c"),     SM4J_FEATURE("avx512f"),
                    SM4J_FEATURE("avx512dq"), SM4J_FEATURE("avx512bw"), SM4J_FEATURE("avx512vl"),
                    SM4J_FEATURE("avx512bf16")};
#undef SM4J_FEATURE
    for (const auto &f : features) {
        if (!f.has) continue;
        if (!s.empty()) s += ' ';
        s += f.name;
    }
#elif defined(__aarch64__) && defined(__linux__)
    // Named as Linux names them in /proc/cpuinfo.
    const unsigned long hw = getauxval(AT_HWCAP);
    const struct {
        const char *name;
        unsigned long bit;
    } features[] = {{"asimd", HWCAP_ASIMD}, {"asimdhp", HWCAP_ASIMDHP}, {"asimddp", HWCAP_ASIMDDP},
                    {"sve", HWCAP_SVE}};
    for (const auto &f : features) {
        if ((hw & f.bit) == 0) continue;
        if (!s.empty()) s += ' ';
        s += f.name;
    }
#endif
    return s;
}
}  // namespace

namespace blas {
namespace {
std::mutex g_blas_mutex;
int g_blas_holders = 0;     // guarded by g_blas_mutex
int g_blas_restore = 0;     // the count to restore when the last holder leaves
}  // namespace

SingleThreaded::SingleThreaded() {
    std::lock_guard<std::mutex> lock(g_blas_mutex);
    if (g_blas_holders++ == 0) {
        g_blas_restore = openblas_get_num_threads();
        if (g_blas_restore != 1) openblas_set_num_threads(1);
    }
}

SingleThreaded::~SingleThreaded() {
    std::lock_guard<std::mutex> lock(g_blas_mutex);
    if (--g_blas_holders == 0 && g_blas_restore != 1) openblas_set_num_threads(g_blas_restore);
}

int pool_threads() {
    std::lock_guard<std::mutex> lock(g_blas_mutex);
    return g_blas_holders > 0 ? g_blas_restore : openblas_get_num_threads();
}
}  // namespace blas

}  // namespace sm4j

extern "C" {

const char *sm4j_kernel_name(void) { return sm4j::active_kernels().name; }

int32_t sm4j_force_kernels(const char *name) { return sm4j::force_kernels(name) ? 0 : -1; }

const char *sm4j_cpu_features(void) {
    static const std::string features = sm4j::detect_features();
    return features.c_str();
}

const char *sm4j_version(void) { return SOFTMAX4J_VERSION; }

int32_t sm4j_blas_num_threads(void) { return sm4j::blas::pool_threads(); }

const char *sm4j_blas_config(void) { return openblas_get_config(); }

int32_t sm4j_openmp_version(void) {
#ifdef _OPENMP
    return _OPENMP;
#else
    return 0;
#endif
}

}  // extern "C"
