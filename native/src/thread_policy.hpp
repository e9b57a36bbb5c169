// The thread policy's interface (implemented in thread_policy.cpp) and its rules, kept here as
// plain functions so that the native tests can hold them to their meaning.
#pragma once

#include <algorithm>
#include <cstdint>

namespace sm4j {

// The process-wide thread count: sm4j_set_num_threads's n if one was set, else the default
// (OpenMP's maximum at load). Kept here rather than in OpenMP's per-thread ICV, because
// omp_set_num_threads from one Java thread is invisible to the others.
int configured_threads();

namespace policy {

struct Grant {
    int threads;     // >= 1, the calling thread included
    bool adaptive;   // counted by the policy: released, and its teams timed
    bool cold;       // the calling thread's OpenMP workers had gone to sleep
    bool cpu_clock;  // the calling thread's part is timed by its CPU clock (kCpuClockGrains)
};

// Threads for a call that could use `want` (>= 2) of them and has `grains` grains of work (a
// grain is what a thread does in 5-20 us: kParallelGrain elements of a row operation,
// kGemmGrain multiply-adds). release() must follow.
Grant acquire(int want, int64_t grains);
void release(const Grant &grant);

// What a team did: `parts` parts of about equal work, from start to end (steady-clock ns); its
// last member began at last_start; the calling thread did master_parts of them and was done at
// master_end, having run for master_cpu ns of its CPU clock meanwhile (-1: not measured).
struct TeamTimes {
    int64_t start, last_start, master_end, end;
    int64_t master_parts, parts;
    int threads;
    int64_t master_cpu = -1;
};
void report(const TeamTimes &t, bool cold);

int64_t now_ns();
// The calling thread's CPU time (ns): a system call, 0.3-1 us.
int64_t thread_cpu_ns();

// Concurrency seen this recently still counts: a caller that paused between two calls for less
// than this is still there (2 ms is hundreds of gaps between back-to-back calls).
constexpr int64_t kPeakWindowNs = 2'000'000;
// At most this many Java threads own an OpenMP pool at a time. libgomp keeps a pool of
// (threads - 1) workers for every thread that ever started a team, until that thread ends: with
// hundreds of request threads on a large machine that would be tens of thousands of threads.
constexpr int kMaxOwners = 4;
// Idle OpenMP workers spin for ~300 us (GOMP_SPINCOUNT, set at load by openmp_env.c), then
// sleep. A team used less than this long ago is taken to be still spinning (warm).
constexpr int64_t kWarmNs = 200'000;
// Waking sleeping workers took 16-90 us here (a spinning one 0.2-0.6 us), so a team that starts
// cold pays only on a call of at least this many grains, or when its caller calls back-to-back
// (within kWarmNs) and the team will be warm from its next call on.
constexpr int64_t kColdGrains = 32;
// A call of at least this many grains (>= ~0.2 ms) times the calling thread's part of a team by
// the thread's CPU clock, not the wall clock, for the estimate of its serial time. With a core
// busy elsewhere the calling thread shares a core with the other process for part of its share,
// so its wall-clock pace made serial work look twice as slow as it would have been on the core
// that serial work keeps to itself: teams of 4096 x 1000 took 1.9 ms against 1.3 ms serially and
// still looked like winning. The CPU clock costs a system call, so small calls keep the wall
// clock: they are judged mostly by stalls.
constexpr int64_t kCpuClockGrains = 32;
// A cold team's start, up to this long, is the price of waking it, not a sign of busy cores.
constexpr int64_t kColdStartNs = 200'000;
// Teams are judged over windows of this much of their own time: they lose when, over a window,
// they took longer than their work would have taken on one thread. A window of many teams, not
// each team alone: a vCPU here loses its core for 10-60 us every few milliseconds, which makes
// one small team in a few dozen several times slower than serial although teams win 1.4x on
// average; a busy core makes teams lose milliseconds every few calls.
constexpr int64_t kJudgeNs = 10'000'000;
// A team that lost more than this, and more than the serial time of its work, stops teams at
// once: with one core busy elsewhere, the scheduler put both threads of a team on the other core,
// and the team took 620 us for 76 us of work (each thread spun out its spin count at a barrier
// before the other could run).
constexpr int64_t kStallNs = 200'000;
// Backoff once teams lose: it starts short, so that a hiccup of an idle machine costs little,
// and grows fourfold each time teams lose again before a window was won, up to a second between
// attempts while the cores stay busy.
constexpr int64_t kMinBackoffNs = 500'000;
constexpr int64_t kMaxBackoffNs = 1'000'000'000;

// Threads a call may have: no more than it wants, than its fair share of the cores at the recent
// peak of calls in flight, and than the cores that other calls in flight do not hold; its own
// thread always.
inline int grant_for(int want, int cores, int peak_calls, int held_by_others) {
    const int share = cores / std::max(peak_calls, 1);
    const int free = cores - held_by_others;
    return std::max(1, std::min({want, share, free}));
}

// The time a team's work would have taken on one thread, estimated from the calling thread's
// own pace: the CPU time it spent on its parts where measured, else the wall time.
inline double team_serial_ns(const TeamTimes &t) {
    const int64_t master = t.master_cpu >= 0 ? t.master_cpu : t.master_end - t.start;
    return double(master) * double(t.parts) / double(std::max<int64_t>(t.master_parts, 1));
}

// The time a team took, less a cold team's wake-up (up to kColdStartNs), which is the price of a
// team that is then warm for its caller's next call. A member that started late for any other
// reason, or lost its core midway, shows up here whatever the cause: another process, other
// threads of this one, the hypervisor.
inline double team_elapsed_ns(const TeamTimes &t, bool cold) {
    const int64_t forgiven = cold ? std::min(t.last_start - t.start, kColdStartNs) : 0;
    return double(t.end - t.start - forgiven);
}

// True if a team lost more than kStallNs and more than its work's serial time.
inline bool team_stalled(double elapsed, double serial) {
    return elapsed - serial > std::max(serial, double(kStallNs));
}

// Teams' time and the serial time of their work, summed over the current window.
struct Window {
    double elapsed = 0, serial = 0;

    enum Verdict { kOpen, kWin, kLose };

    // Adds a team; once the window is full, says whether teams won or lost and starts afresh.
    Verdict add(double team_elapsed, double team_serial) {
        elapsed += team_elapsed;
        serial += team_serial;
        if (elapsed < double(kJudgeNs)) return kOpen;
        const Verdict v = elapsed > serial ? kLose : kWin;
        clear();
        return v;
    }

    void clear() { elapsed = serial = 0; }
};

// The backoff after teams lost, given the last one (0 if none) and whether a window was won
// since it ended.
inline int64_t next_backoff(int64_t last, bool won_since) {
    if (last > 0 && !won_since) return std::min(last * 4, kMaxBackoffNs);
    return kMinBackoffNs;
}

}  // namespace policy
}  // namespace sm4j
