// The thread policy: how many OpenMP threads a call may use, decided for the whole process.
//
// libgomp gives every calling thread a team of its own, so N Java callers that each take all the
// cores run N x cores threads, and a team whose member has lost its core waits for it at the
// closing barrier. Measured with the old default (every large call on all cores), on 2 cores:
// 2 concurrent callers were 27% slower per call than serial ones and 4 callers 51%; with one core
// busy elsewhere, one caller's mean doubled and single calls stalled for milliseconds.
//
// So by default (no count pinned) a call gets a team only where one pays:
// - Cores held by calls in flight are not handed out again. Each call counts its own thread and
//   any it was granted, and gets at most cores / (recent peak of calls in flight): on 2 cores, a
//   team only for a call that has had the library to itself for kPeakWindowNs.
// - A team whose workers have gone to sleep costs tens of microseconds to wake: it is formed only
//   for a large call, or for a caller calling back-to-back (whose team then stays warm).
// - Teams that lose (over a window of kJudgeNs, they took longer than their work would have
//   taken on one thread; or one team stalled, losing more than kStallNs) mean that the cores are
//   not free, whatever the counts say: another process, other threads of this one, a core lost
//   to the hypervisor. Teams then stop for a backoff (next_backoff), after which the next call
//   tries again.
// - At most kMaxOwners Java threads own an OpenMP pool at a time.
// A pinned count (sm4j_set_num_threads(n > 0), or OMP_NUM_THREADS) bypasses all of this: every
// large call gets that many threads, as the user asked.
//
// Whatever the grant, a call's work is cut into the same parts (team.hpp), so results do not
// depend on the policy's decisions.
#include "thread_policy.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>

#include <time.h>

#include "softmax4j.h"

namespace sm4j {
namespace {

struct Defaults {
    int threads;       // OpenMP's maximum at load: the CPUs this process may use, or OMP_NUM_THREADS
    bool pinned;       // OMP_NUM_THREADS was set
    std::string wait;  // how idle OpenMP threads wait, as libgomp was told at its load
};

std::string env_or_empty(const char *name) {
    const char *v = std::getenv(name);
    return v != nullptr ? v : "";
}

const Defaults &defaults() {
    static const Defaults d = [] {
        Defaults r{std::max(1, omp_get_max_threads()), !env_or_empty("OMP_NUM_THREADS").empty(), ""};
        const std::string spin = env_or_empty("GOMP_SPINCOUNT"), policy = env_or_empty("OMP_WAIT_POLICY");
        if (!policy.empty()) r.wait = "OMP_WAIT_POLICY=" + policy;
        if (!spin.empty()) r.wait += (r.wait.empty() ? "" : " ") + std::string("GOMP_SPINCOUNT=") + spin;
        if (r.wait.empty()) r.wait = "libgomp's default (300000 spins, then sleep)";
        return r;
    }();
    return d;
}

std::atomic<int> g_user{0};  // sm4j_set_num_threads: 0 = the default

struct Setting {
    int count;
    bool pinned;
};

Setting setting() {
    const int user = g_user.load(std::memory_order_relaxed);
    if (user > 0) return {user, true};
    return {defaults().threads, defaults().pinned};
}

// Calls in flight (high 32 bits) and the threads they hold (low 32 bits), in one word so that a
// call registers and claims its threads with one compare-and-swap.
std::atomic<uint64_t> g_load{0};
constexpr uint64_t kCall = uint64_t(1) << 32;

// The recent peak of calls in flight (top 8 bits) and when it was last seen (low 56 bits, ns).
std::atomic<uint64_t> g_peak{0};
constexpr uint64_t kTimeMask = (uint64_t(1) << 56) - 1;

int64_t age(uint64_t p, int64_t now) { return int64_t((uint64_t(now) - p) & kTimeMask); }

int recent_peak(uint64_t p, int64_t now) {
    return age(p, now) <= policy::kPeakWindowNs ? int(p >> 56) : 0;
}

void note_calls(int calls, int64_t now) {
    const uint64_t p = g_peak.load(std::memory_order_relaxed);
    const int peak = recent_peak(p, now);
    // Refreshing a steady peak now and then is enough, and keeps the line mostly read-only.
    if (calls > peak || (calls == peak && age(p, now) > policy::kPeakWindowNs / 4))
        g_peak.store(uint64_t(std::min(calls, 255)) << 56 | (uint64_t(now) & kTimeMask),
                     std::memory_order_relaxed);
}

std::atomic<int64_t> g_quiet_until{0};  // no teams before this time
std::mutex g_judge_mutex;
policy::Window g_window;  // guarded by g_judge_mutex
int64_t g_backoff = 0;    // the last backoff; guarded by g_judge_mutex
bool g_won = false;       // a window was won since the last backoff; guarded by g_judge_mutex

std::atomic<int> g_owners{0};
std::atomic<int64_t> g_teams{0}, g_backoffs{0};

// What the policy knows of the calling thread: whether it owns an OpenMP pool (the slot is given
// back when the thread ends, and libgomp frees the pool then too), and when it last ended a call
// and a team.
struct Caller {
    bool owner = false;
    int64_t last_call_end = INT64_MIN / 2;
    int64_t last_team_end = INT64_MIN / 2;
    ~Caller() {
        if (owner) g_owners.fetch_sub(1, std::memory_order_relaxed);
    }
};
thread_local Caller t_caller;

bool take_ownership() {
    if (t_caller.owner) return true;
    if (g_owners.fetch_add(1, std::memory_order_relaxed) < policy::kMaxOwners)
        return t_caller.owner = true;
    g_owners.fetch_sub(1, std::memory_order_relaxed);
    return false;
}

// Teams lost: none before a backoff has passed. Called under g_judge_mutex.
void back_off(int64_t now) {
    if (now < g_quiet_until.load(std::memory_order_relaxed)) return;  // a team begun before it
    g_backoffs.fetch_add(1, std::memory_order_relaxed);
    g_backoff = policy::next_backoff(g_backoff, g_won);
    g_won = false;
    g_quiet_until.store(now + g_backoff, std::memory_order_relaxed);
}

}  // namespace

int configured_threads() { return setting().count; }

namespace policy {

int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

Grant acquire(int want, int64_t grains) {
    const Setting s = setting();
    if (s.pinned) return {want, false, false, false};
    // A call from inside a parallel region (none today) would get no team from OpenMP anyway.
    if (omp_in_parallel()) return {1, false, false, false};
    Caller &me = t_caller;
    const int64_t now = now_ns();
    const bool cold = now - me.last_team_end > kWarmNs;
    const bool teams = now >= g_quiet_until.load(std::memory_order_relaxed) &&
                       (me.owner || g_owners.load(std::memory_order_relaxed) < kMaxOwners) &&
                       (!cold || grains >= kColdGrains || now - me.last_call_end <= kWarmNs);
    const int peak = recent_peak(g_peak.load(std::memory_order_relaxed), now);
    uint64_t load = g_load.load(std::memory_order_relaxed);
    int threads, calls;
    do {
        calls = int(load >> 32) + 1;
        const int held = int(uint32_t(load));
        threads = teams ? grant_for(want, s.count, std::max(peak, calls), held) : 1;
    } while (!g_load.compare_exchange_weak(load, load + kCall + uint64_t(threads),
                                           std::memory_order_relaxed));
    note_calls(calls, now);
    if (threads > 1 && !take_ownership()) {
        g_load.fetch_sub(uint64_t(threads - 1), std::memory_order_relaxed);
        threads = 1;
    }
    if (threads > 1) g_teams.fetch_add(1, std::memory_order_relaxed);
    return {threads, true, cold, grains >= kCpuClockGrains};
}

void release(const Grant &grant) {
    g_load.fetch_sub(kCall + uint64_t(grant.threads), std::memory_order_relaxed);
    t_caller.last_call_end = now_ns();
}

void report(const TeamTimes &t, bool cold) {
    t_caller.last_team_end = t.end;
    std::lock_guard<std::mutex> lock(g_judge_mutex);
    const double elapsed = team_elapsed_ns(t, cold), serial = team_serial_ns(t);
    if (team_stalled(elapsed, serial)) {
        g_window.clear();
        back_off(t.end);
    } else {
        const Window::Verdict v = g_window.add(elapsed, serial);
        if (v == Window::kLose) back_off(t.end);
        if (v == Window::kWin) g_won = true;
    }
}

}  // namespace policy
}  // namespace sm4j

extern "C" {

void sm4j_set_num_threads(int32_t n) { sm4j::g_user.store(n > 0 ? n : 0, std::memory_order_relaxed); }

int32_t sm4j_get_num_threads(void) { return sm4j::configured_threads(); }

const char *sm4j_thread_policy(void) {
    thread_local std::string text;
    const sm4j::Setting s = sm4j::setting();
    const int user = sm4j::g_user.load(std::memory_order_relaxed);
    if (!s.pinned) {
        text = "adaptive: up to " + std::to_string(s.count) +
               " threads, fewer while other calls or processes hold the cores";
    } else {
        text = "pinned: " + std::to_string(s.count) + (s.count == 1 ? " thread (" : " threads (") +
               (user > 0 ? "setThreads" : "OMP_NUM_THREADS") + ")";
    }
    text += "; OpenMP wait: " + sm4j::defaults().wait;
    return text.c_str();
}

int32_t sm4j_thread_stats(int64_t *out, int32_t len) {
    const uint64_t load = sm4j::g_load.load(std::memory_order_relaxed);
    const int64_t now = sm4j::policy::now_ns();
    const int64_t stats[] = {
        int64_t(load >> 32),
        int64_t(uint32_t(load)),
        sm4j::g_owners.load(std::memory_order_relaxed),
        sm4j::g_teams.load(std::memory_order_relaxed),
        sm4j::g_backoffs.load(std::memory_order_relaxed),
        std::max<int64_t>(0, sm4j::g_quiet_until.load(std::memory_order_relaxed) - now),
    };
    const int32_t count = int32_t(sizeof stats / sizeof stats[0]);
    for (int32_t i = 0; i < std::min(len, count); ++i) out[i] = stats[i];
    return count;
}

}  // extern "C"
