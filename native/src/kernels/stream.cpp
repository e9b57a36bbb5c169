// The threshold from which a call's store passes use non-temporal stores (kernel_set.hpp).
// Compiled for the baseline of its architecture.
#include <unistd.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "kernel_set.hpp"

namespace sm4j {
namespace {

#if defined(__x86_64__)
// L2 plus this logical processor's share of the L3 by the deterministic cache leaf (CPUID 4 on
// Intel, 0x8000001D on AMD and Hygon): each cache's own size and how many logical processors
// share it. -1 where the leaf is missing or reports no L2.
int64_t deterministic_share() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    __cpuid(0, a, b, c, d);
    const unsigned max_basic = a;
    const bool amd = b == 0x68747541 /* "Auth"enticAMD */ || b == 0x6f677948 /* "Hygo"nGenuine */;
    unsigned leaf = 4;
    if (amd) {
        __cpuid(0x80000000, a, b, c, d);
        if (a < 0x8000001D) return -1;
        __cpuid(0x80000001, a, b, c, d);
        if ((c & (1u << 22)) == 0) return -1;  // no TOPOEXT: no 0x8000001D
        leaf = 0x8000001D;
    } else if (max_basic < 4) {
        return -1;
    }
    int64_t l2 = -1, l3 = 0;
    for (unsigned i = 0; i < 16; ++i) {
        __cpuid_count(leaf, i, a, b, c, d);
        const unsigned type = a & 31;  // 0: no more caches, 2: instructions
        if (type == 0) break;
        if (type == 2) continue;
        const int64_t size = int64_t((b >> 22) + 1) * (((b >> 12) & 0x3ff) + 1) * ((b & 0xfff) + 1) * (int64_t(c) + 1);
        const int64_t sharing = ((a >> 14) & 0xfff) + 1;
        const unsigned level = (a >> 5) & 7;
        if (level == 2) l2 = size;
        if (level == 3) l3 = size / sharing;
    }
    return l2 > 0 ? l2 + l3 : -1;
}
#endif

// The cache one thread can count on: its L2 (private on every current x86 core) plus its share
// of the L3. Hypervisors report the sizes inconsistently, so where two reports exist the smaller
// wins:
// - sysconf's L2 and L3 (glibc reads them from CPUID's older leaves), the L3 over the logical
//   processors of the package (CPUID 1, EBX[23:16]);
// - the deterministic cache leaf (deterministic_share).
// A 2 vCPU AMD EPYC Zen 4 guest reported an L2 of 1 MiB and the socket's L3, 508 MiB over 254
// logical processors: 1 + 2 = 3 MiB. A 2 vCPU Zen 3 guest reports through sysconf the L3 of the
// whole socket, 256 MiB (eight 32 MiB CCDs), over 2 logical processors: 128.5 MiB, from which
// nothing would stream; its deterministic leaf gives its CCD's 32 MiB over 2: 0.5 + 16 =
// 16.5 MiB. Where neither reports (non-glibc on ARM, a CPU without the leaves),
// kDefaultStreamThreshold. glibc's own threshold for memcpy was a quarter of the L3 sysconf
// reported on the first guest (127 MiB), which no call of softmax4j's reaches.
int64_t derived_threshold() {
    if (const char *env = std::getenv("SOFTMAX4J_STREAM_THRESHOLD")) {
        char *end = nullptr;
        const long long v = std::strtoll(env, &end, 10);
        if (end != env && *end == '\0' && v >= 0) return int64_t(v);
    }
    int64_t best = -1;
    long l2 = -1, l3 = -1;
#if defined(_SC_LEVEL2_CACHE_SIZE) && defined(_SC_LEVEL3_CACHE_SIZE)
    l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
    if (l2 > 0 && l3 > 0) {
        int64_t sharing = 1;
#if defined(__x86_64__)
        unsigned a, b, c, d;
        __cpuid(1, a, b, c, d);
        if ((d & (1u << 28)) != 0 && ((b >> 16) & 0xff) > 0) sharing = (b >> 16) & 0xff;  // HTT
#endif
        best = int64_t(l2) + int64_t(l3) / sharing;
    }
#if defined(__x86_64__)
    const int64_t share = deterministic_share();
    if (share > 0 && (best < 0 || share < best)) best = share;
#endif
    return best > 0 ? best : kDefaultStreamThreshold;
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
