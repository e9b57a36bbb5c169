// The threshold from which a call's store passes use non-temporal stores (kernel_set.hpp).
// Compiled for the baseline of its architecture.
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "kernel_set.hpp"

namespace sm4j {
namespace {

// The cache one thread can count on: its L2 (private on every current x86 core) plus its share
// of the L3, the L3's size over the logical processors of the package (CPUID 1, EBX[23:16]),
// which is what a call competes with the rest of the package for. Where the sizes are not
// reported (non-glibc, or a CPU without an L3), kDefaultStreamThreshold.
//
// This machine (2 vCPU AMD EPYC Zen 4 guest) reports an L2 of 1 MiB and the socket's L3,
// 508 MiB over 254 logical processors: 1 + 2 = 3 MiB. glibc's own threshold for memcpy is a
// quarter of the reported L3 (127 MiB here), which no call of softmax4j's reaches.
int64_t derived_threshold() {
    if (const char *env = std::getenv("SOFTMAX4J_STREAM_THRESHOLD")) {
        char *end = nullptr;
        const long long v = std::strtoll(env, &end, 10);
        if (end != env && *end == '\0' && v >= 0) return int64_t(v);
    }
    long l2 = -1, l3 = -1;
#if defined(_SC_LEVEL2_CACHE_SIZE) && defined(_SC_LEVEL3_CACHE_SIZE)
    l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
    if (l2 <= 0 || l3 <= 0) return kDefaultStreamThreshold;
    int64_t sharing = 1;
#if defined(__x86_64__)
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if ((d & (1u << 28)) != 0 && ((b >> 16) & 0xff) > 0) sharing = (b >> 16) & 0xff;  // HTT
#endif
    return int64_t(l2) + int64_t(l3) / sharing;
}

}  // namespace

std::atomic<int64_t> g_stream_threshold{-1};

// Racing first callers derive the same value.
int64_t derive_stream_threshold() {
    const int64_t t = derived_threshold();
    g_stream_threshold.store(t, std::memory_order_relaxed);
    return t;
}

void set_stream_threshold(int64_t bytes) { g_stream_threshold.store(bytes >= 0 ? bytes : -1, std::memory_order_relaxed); }

}  // namespace sm4j
