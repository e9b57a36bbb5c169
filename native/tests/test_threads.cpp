// Native tests of the thread policy (thread_policy.hpp, team.hpp):
// - its rules, against what they mean: grants never exceed the cores or the fair share, a team
//   costs what it took, teams stop when over a window they took longer than serial work and not
//   for one slow team, the backoff grows only while losing recurs;
// - its bookkeeping, while many threads call at once and another keeps changing the count: the
//   threads held never exceed what was free, and every count returns to zero when the callers
//   have ended (the pool slots too: they are given back at thread exit);
// - the results: the same bits whatever the policy granted, the number of concurrent callers, or
//   (for whole rows) the configured count. Nothing here is timed.
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "check.hpp"
#include "softmax4j.h"
#include "thread_policy.hpp"

namespace {

using sm4j_test::check;
namespace policy = sm4j::policy;

struct Stats {
    int64_t calls, held, owners, teams, backoffs, quiet_ns;
};

Stats stats() {
    int64_t v[6] = {};
    sm4j_thread_stats(v, 6);
    return {v[0], v[1], v[2], v[3], v[4], v[5]};
}

void rules() {
    // Never more than wanted, than the cores not held by others, than the share at the peak.
    check(policy::grant_for(2, 2, 1, 0) == 2, "alone on 2 cores: both");
    check(policy::grant_for(2, 2, 2, 1) == 1, "another call in flight on 2 cores: serial");
    check(policy::grant_for(2, 2, 2, 0) == 1, "another call seen recently: serial");
    check(policy::grant_for(8, 64, 3, 2) == 8, "3 callers on 64 cores: what it wants");
    check(policy::grant_for(64, 64, 3, 2) == 21, "3 callers on 64 cores: a third each");
    check(policy::grant_for(64, 64, 1, 60) == 4, "only the free cores");
    check(policy::grant_for(4, 2, 1, 5) == 1, "oversubscribed: its own thread still");

    // A team's call: 2 threads, 2 equal parts, the calling thread's part took 100 us.
    auto team = [](int64_t elapsed, int64_t last_start) {
        return policy::TeamTimes{0, last_start, 100'000, elapsed, 1, 2, 2, -1};
    };
    check(policy::team_serial_ns(team(100'000, 500)) == 200'000, "serial: twice the calling thread's half");
    check(policy::team_elapsed_ns(team(160'000, 60'000), false) == 160'000, "a warm team's time is its time");
    check(policy::team_elapsed_ns(team(160'000, 60'000), true) == 100'000, "a cold team's wake-up is forgiven");
    check(policy::team_elapsed_ns(team(3'000'000, 2'900'000), true) == 3'000'000 - policy::kColdStartNs,
          "only up to kColdStartNs of it");
    // The calling thread did 3 of 4 parts in 90 us.
    const policy::TeamTimes uneven{0, 100, 90'000, 90'000, 3, 4, 2, -1};
    check(policy::team_serial_ns(uneven) == 120'000, "uneven shares: serial from the calling thread's pace");
    // A large team with a core busy elsewhere: the calling thread's half took 1 ms of wall
    // time but only 0.65 ms of its CPU; serial work keeps a core to itself, so it is 1.3 ms.
    const policy::TeamTimes busy_core{0, 1'000, 1'000'000, 1'860'000, 1, 2, 2, 650'000};
    check(policy::team_serial_ns(busy_core) == 1'300'000, "serial from the calling thread's CPU time where measured");
    check(policy::team_elapsed_ns(busy_core, false) > policy::team_serial_ns(busy_core),
          "... so a team slowed by a busy core loses against it");

    // Windows of teams: on the VM here 1 small team in ~30 lost its core for tens of us.
    using W = policy::Window;
    auto run = [](double serial, double ratio, double outlier, int every, int teams) {
        W w;
        int losses = 0, verdicts = 0;
        for (int i = 1; i <= teams; ++i) {
            const W::Verdict v = w.add(serial * (i % every == 0 ? outlier : ratio), serial);
            verdicts += v != W::kOpen;
            losses += v == W::kLose;
        }
        return std::pair<int, int>{verdicts, losses};
    };
    auto jitter = run(10'000, 0.6, 7.0, 30, 20'000);
    check(jitter.first > 10 && jitter.second == 0, "teams at 0.6 of serial with a 7x outlier in 30: they win");
    auto busy = run(40'000, 0.55, 60.0, 4, 2'000);  // a 2.4 ms stall every 4th team
    check(busy.first > 10 && busy.second == busy.first, "teams that stall for milliseconds every few calls: they lose");
    auto slow = run(500'000, 1.05, 1.05, 1, 200);
    check(slow.second == slow.first && slow.first > 5, "teams slower than serial: they lose");
    check(policy::team_stalled(620'000, 76'000), "both threads of a team on one core: 620 us for 76 us of work");
    check(!policy::team_stalled(70'000, 10'000), "a small team that lost its core for 60 us: no stall");
    check(!policy::team_stalled(1'300'000, 1'000'000), "a large team 30% slower than serial: no stall");
    check(policy::team_stalled(2'100'000, 1'000'000), "... more than twice as slow: a stall");
    W w;
    check(w.add(100'000, 200'000) == W::kOpen, "a window is judged only when full");
    check(w.add(double(policy::kJudgeNs), 1) == W::kLose, "one team that took the whole window for nothing");
    check(w.add(100'000, 200'000) == W::kOpen, "... and the next window starts afresh");

    check(policy::next_backoff(0, false) == policy::kMinBackoffNs, "a first loss: the shortest backoff");
    check(policy::next_backoff(policy::kMinBackoffNs, false) == 4 * policy::kMinBackoffNs,
          "losing again before winning a window: four times longer");
    check(policy::next_backoff(policy::kMaxBackoffNs, false) == policy::kMaxBackoffNs, "capped");
    check(policy::next_backoff(policy::kMaxBackoffNs, true) == policy::kMinBackoffNs,
          "a loss after a won window: the shortest again");
}

std::vector<float> gaussian(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> d(0, 3);
    std::vector<float> x(n);
    for (auto &v : x) v = d(rng);
    return x;
}

struct Job {
    int32_t op;
    int64_t rows, n;  // a row operation, or the head rows x n -> k
    int64_t k;        // 0 for a row operation
    std::vector<float> x, w, b;

    std::vector<float> run() const {
        if (k == 0) {
            std::vector<float> y(size_t(op == SM4J_LOGSUMEXP ? rows : rows * n));
            sm4j_test::rows_op(op, x.data(), n, y.data(), op == SM4J_LOGSUMEXP ? 1 : n, rows, n, 1.0);
            return y;
        }
        std::vector<float> y(size_t(rows * k));
        sm4j_call c = sm4j_test::call(op, rows, n, k, 1.0);
        c.in[0] = sm4j_test::operand(x.data(), n);
        c.in[1] = sm4j_test::operand(w.data(), n);
        c.in[2] = sm4j_test::operand(b.data(), 0);
        c.out[0] = sm4j_test::operand(y.data(), k);
        sm4j_run(&c);
        return y;
    }
};

std::vector<Job> jobs() {
    std::vector<Job> all;
    uint64_t seed = 1;
    // Whole rows on any number of threads, and long rows split into parts.
    for (int32_t op : {SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP})
        for (auto [rows, n] : {std::pair<int64_t, int64_t>{256, 1000}, {64, 1000}, {1, 128256}, {1, 300000}})
            all.push_back({op, rows, n, 0, gaussian(size_t(rows * n), seed++), {}, {}});
    // The head: blocks of rows (rows >= k) and of columns.
    for (auto [rows, d, k] : {std::tuple<int64_t, int64_t, int64_t>{1024, 256, 300}, {64, 512, 1000}})
        all.push_back({SM4J_LINEAR_SOFTMAX, rows, d, k, gaussian(size_t(rows * d), seed++),
                       gaussian(size_t(k * d), seed++), gaussian(size_t(k), seed++)});
    return all;
}

bool same_bits(const std::vector<float> &a, const std::vector<float> &b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Results under the default policy, with 1, 2 and 8 concurrent callers, are the bits of the same
// count pinned; whole rows are the bits of one thread too.
void results_do_not_depend_on_the_policy(const std::vector<Job> &all) {
    const int cores = sm4j_get_num_threads();
    std::vector<std::vector<float>> pinned, serial;
    sm4j_set_num_threads(cores);
    for (const Job &j : all) pinned.push_back(j.run());
    sm4j_set_num_threads(1);
    for (const Job &j : all) serial.push_back(j.run());
    sm4j_set_num_threads(0);
    for (size_t i = 0; i < all.size(); ++i) {
        const bool whole_rows = all[i].k == 0 && all[i].rows >= cores;
        if (whole_rows)
            check(same_bits(pinned[i], serial[i]), "whole rows: " + std::to_string(cores) + " threads == 1 thread");
    }
    for (int callers : {1, 2, 8}) {
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int c = 0; c < callers; ++c)
            threads.emplace_back([&, c] {
                for (int round = 0; round < 6; ++round)
                    for (size_t i = 0; i < all.size(); ++i) {
                        const size_t j = (i + size_t(c) * 3) % all.size();
                        if (!same_bits(all[j].run(), pinned[j])) ++mismatches;
                    }
            });
        for (auto &t : threads) t.join();
        check(mismatches == 0, "default policy, " + std::to_string(callers) +
                                   " callers: the bits of the pinned count (" +
                                   std::to_string(mismatches.load()) + " differ)");
    }
}

// Many callers, the count changing under them: the threads held stay within the cores that were
// free, and everything is given back.
void bookkeeping_under_races(const std::vector<Job> &all) {
    const int cores = sm4j_get_num_threads();
    std::atomic<bool> done{false};
    std::atomic<int> over{0};
    std::thread sampler([&] {
        while (!done) {
            const Stats s = stats();
            // In adaptive mode extra threads are granted only from free cores: held <= calls +
            // cores - 1. Pinned calls are not counted at all.
            if (s.held > s.calls + cores - 1 || s.owners > policy::kMaxOwners || s.held < s.calls) ++over;
            std::this_thread::yield();
        }
    });
    std::thread flipper([&] {
        const int counts[] = {0, 1, 2, 3, 0, 0};
        for (int i = 0; !done; ++i) {
            sm4j_set_num_threads(counts[i % 6]);
            std::this_thread::sleep_for(std::chrono::microseconds(300));
        }
    });
    // Callers that come and go: 24 short-lived threads, at most 6 at a time.
    for (int wave = 0; wave < 4; ++wave) {
        std::vector<std::thread> callers;
        for (int c = 0; c < 6; ++c)
            callers.emplace_back([&, c] {
                for (int i = 0; i < 40; ++i) all[size_t(i + c) % all.size()].run();
            });
        for (auto &t : callers) t.join();
    }
    done = true;
    sampler.join();
    flipper.join();
    sm4j_set_num_threads(0);
    check(over == 0, "held threads within the free cores, owners within the bound (" +
                         std::to_string(over.load()) + " samples over)");
    const Stats s = stats();
    check(s.calls == 0 && s.held == 0, "no call or thread left counted once all have returned");
    check(s.owners == 0, "pool slots given back when their threads ended (" + std::to_string(s.owners) + " held)");
}

// One caller alone, calling back-to-back: the policy forms teams (on a machine with more than
// one core), so the concurrent tests above did exercise both paths.
void a_lone_caller_gets_a_team(const std::vector<Job> &all) {
    if (sm4j_get_num_threads() < 2) return;
    const int64_t before = stats().teams;
    const Job &j = all[0];  // 256 x 1000
    std::thread caller([&] {
        std::vector<float> y(j.x.size());  // one output: nothing but the calls between calls
        for (int i = 0; i < 200; ++i) sm4j_test::rows_op(j.op, j.x.data(), j.n, y.data(), j.n, j.rows, j.n, 1.0);
    });
    caller.join();
    check(stats().teams > before, "a lone back-to-back caller was granted teams");
}

}  // namespace

int main() {
    std::printf("thread policy: %s\n", sm4j_thread_policy());
    int64_t v[8];
    check(sm4j_thread_stats(v, 8) == 6, "sm4j_thread_stats has 6 values");
    rules();
    const std::vector<Job> all = jobs();
    a_lone_caller_gets_a_team(all);
    results_do_not_depend_on_the_policy(all);
    bookkeeping_under_races(all);
    const Stats s = stats();
    std::printf("teams granted %lld, backoffs %lld\n", (long long)s.teams, (long long)s.backoffs);
    return sm4j_test::summary();
}
