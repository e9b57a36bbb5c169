/*
 * libsoftmax4j_openmp_env: how long idle OpenMP threads spin, set before libgomp loads.
 *
 * libgomp reads its environment once, when it is loaded, and has no API for its wait policy. Its
 * default is to spin 300,000 times before sleeping, which it takes to be 3 ms; on the EPYC here
 * one spin takes 27 ns, so every worker of every team burned a core for 8 ms after each parallel
 * region, competing with the calls and processes that needed it. The Java bridge loads this
 * library just before libgomp (NativeCore's preload list), and its constructor sets
 * GOMP_SPINCOUNT to the number of spins that take ~300 us on this CPU, measured with the same
 * loop libgomp spins in: long enough to keep a team warm between back-to-back calls and between
 * the regions of one call, short enough that an idle team soon stops taking a core. The thread
 * policy (thread_policy.hpp, kWarmNs) counts on it.
 *
 * A user's own GOMP_SPINCOUNT or OMP_WAIT_POLICY is left as it is, and so is everything when
 * libgomp is already loaded (by another library of the process): it would not read the value.
 * The variable stays in the process's environment, where the user can see it.
 *
 * Plain C with no dependency but libc: it must load before anything else of softmax4j.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
/* libgomp's cpu_relax on x86 */
#define SM4J_RELAX() __asm__ volatile("rep; nop" ::: "memory")
#else
#define SM4J_RELAX() __asm__ volatile("" ::: "memory")
#endif

enum {
    kTargetNs = 300000, /* how long an idle OpenMP thread should spin */
    kProbeSpins = 2000,
    kMinSpins = 1000,
    kMaxSpins = 300000 /* libgomp's own default: never spin longer than it would */
};

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Nanoseconds per iteration of libgomp's spin loop (a load, a compare, a relax): the fastest of
 * three short probes, since a probe interrupted by the scheduler only ever looks slower. */
static double ns_per_spin(void) {
    static volatile int flag = 0;
    double best = 1e30;
    for (int probe = 0; probe < 3; ++probe) {
        const double start = now_ns();
        for (int i = 0; i < kProbeSpins; ++i) {
            if (flag != 0) break;
            SM4J_RELAX();
        }
        const double ns = (now_ns() - start) / kProbeSpins;
        if (ns < best) best = ns;
    }
    return best;
}

__attribute__((constructor)) static void softmax4j_openmp_env(void) {
    if (getenv("GOMP_SPINCOUNT") != NULL || getenv("OMP_WAIT_POLICY") != NULL) return;
    void *gomp = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (gomp != NULL) {
        dlclose(gomp);
        return;
    }
    const double per_spin = ns_per_spin();
    long spins = per_spin > 0 ? (long)(kTargetNs / per_spin) : kMaxSpins;
    if (spins < kMinSpins) spins = kMinSpins;
    if (spins > kMaxSpins) spins = kMaxSpins;
    char value[32];
    snprintf(value, sizeof value, "%ld", spins);
    setenv("GOMP_SPINCOUNT", value, 0);
}
