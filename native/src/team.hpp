// Threads for one call, and running a call's parts on them.
//
// A call says how many threads its work could use (`want`, from its size and the configured
// count); the thread policy (thread_policy.cpp) says how many it gets now. The work itself is cut
// into parts by `want` and the shape alone, never by the grant, so that the policy changes which
// thread computes a part, never a bit of the result.
#pragma once

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "thread_policy.hpp"

namespace sm4j {

class Team {
   public:
    // want: threads the work could use; grains: its size (thread_policy.hpp).
    Team(int want, int64_t grains)
        : grant_(want > 1 ? policy::acquire(want, grains) : policy::Grant{1, false, false, false}) {}
    ~Team() {
        if (grant_.adaptive) policy::release(grant_);
    }
    Team(const Team &) = delete;
    Team &operator=(const Team &) = delete;

    int size() const { return grant_.threads; }

    // Calls body(p) for every part p in [0, parts): each thread a contiguous range of parts, the
    // calling thread the first; then after() on each thread that ran parts (store_fence: a
    // thread's non-temporal stores must be ordered before the region ends). Returns when all
    // are done.
    template <class Body, class After = void (*)()>
    void run(int64_t parts, Body body, After after = [] {}) const {
        const int threads = int(std::min<int64_t>(grant_.threads, parts));
        if (threads <= 1) {
            for (int64_t p = 0; p < parts; ++p) body(p);
            after();
            return;
        }
        const bool timed = grant_.adaptive;
        policy::TeamTimes t{timed ? policy::now_ns() : 0, 0, 0, 0, 0, parts, 1, -1};
        std::atomic<int64_t> last_start{t.start};
#pragma omp parallel num_threads(threads)
        {
            const int i = omp_get_thread_num(), n = omp_get_num_threads();
            if (timed && i > 0) {
                const int64_t now = policy::now_ns();
                int64_t seen = last_start.load(std::memory_order_relaxed);
                while (now > seen && !last_start.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
                }
            }
            const bool cpu = timed && i == 0 && grant_.cpu_clock;
            const int64_t cpu_start = cpu ? policy::thread_cpu_ns() : 0;
            const int64_t lo = parts * i / n, hi = parts * (i + 1) / n;
            for (int64_t p = lo; p < hi; ++p) body(p);
            after();
            if (i == 0 && timed) {
                if (cpu) t.master_cpu = policy::thread_cpu_ns() - cpu_start;
                t.master_end = policy::now_ns();
                t.master_parts = hi;
                t.threads = n;
            }
        }
        if (!timed || t.threads < 2) return;
        t.end = policy::now_ns();
        t.last_start = last_start.load(std::memory_order_relaxed);
        policy::report(t, grant_.cold && !ran_);
        ran_ = true;
    }

   private:
    policy::Grant grant_;
    mutable bool ran_ = false;  // a cold team is warm from its second region on
};

}  // namespace sm4j
