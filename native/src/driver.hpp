// Runs a row operation over a batch: serially for small batches, else split over threads by rows
// or, when there are fewer rows than threads, by parts of each long row. How many threads a call
// gets now is the thread policy's business (team.hpp); how the work is cut depends only on the
// shape and the configured count.
//
// The driver knows nothing of instruction sets; the kernels know nothing of threads.
#pragma once

#include <algorithm>
#include <cstdint>

#include "team.hpp"

namespace sm4j {

// Below this many elements per thread, work stays on the calling thread: entering a parallel
// region costs 0.3-0.5 us here, about a tenth of the ~5 us that a thread spends on 2^14 float
// elements (double ones take twice as long).
constexpr int64_t kParallelGrain = 1 << 14;

inline int threads_for(int64_t rows, int64_t n) {
    int64_t work = rows * std::max<int64_t>(n, 1);
    if (rows < 2 || work < 2 * kParallelGrain) return 1;
    int64_t t = std::min<int64_t>(configured_threads(), std::min(rows, work / kParallelGrain));
    return int(std::max<int64_t>(t, 1));
}

// True if run_rows runs the batch on the calling thread one row after another, whatever the
// thread count: too little work for a second thread, and no row long enough to split.
inline bool serial(int64_t rows, int64_t n) {
    return n < 2 * kParallelGrain && (rows < 2 || rows * std::max<int64_t>(n, 1) < 2 * kParallelGrain);
}

// Calls body(r) for every row r in [0, rows), each thread a contiguous block of rows, then
// after() on each thread that ran rows (Team::run).
template <class Body, class After = void (*)()>
inline void for_each_row(int64_t rows, int64_t n, Body body, After after = [] {}) {
    const int want = threads_for(rows, n);
    if (want <= 1) {
        for (int64_t r = 0; r < rows; ++r) body(r);
        after();
        return;
    }
    Team team(want, rows * std::max<int64_t>(n, 1) / kParallelGrain);
    team.run(rows, body, after);
}

// One row of n elements cut into `count` parts, one per configured thread, whatever number of
// threads then runs them (the parts fix the order of summation, so the result). Parts start at
// multiples of 64 elements, so that no two threads write to one cache line.
struct RowParts {
    static constexpr int kMax = 64;
    int64_t n;
    int64_t len;
    int count;
    const Team &team;

    RowParts(int64_t n_, int threads, const Team &team_) : n(n_), team(team_) {
        len = ((n_ + threads - 1) / threads + 63) / 64 * 64;
        count = int((n_ + len - 1) / len);
    }

    // Parts for a row of n elements on `threads` threads: at most one per 2^14 elements.
    static int count_for(int64_t n, int threads) {
        return int(std::max<int64_t>(1, std::min<int64_t>({threads, n / kParallelGrain, kMax})));
    }

    // Calls body(part, begin, end) for every part, on the team; returns when all are done.
    template <class Body>
    void run(Body body) const {
        team.run(count, [&](int64_t c) { body(int(c), c * len, std::min(n, (c + 1) * len)); });
    }
};

// Calls row(r) for every row, or split(r, parts) with the RowParts of a row when a few long rows
// would leave threads idle (and the operation can be split).
template <class Row, class Split>
inline void run_rows(int64_t rows, int64_t n, bool splittable, Row row, Split split) {
    // The thread count is read only for rows long enough to split: small calls (a row of 10)
    // skip the policy's bookkeeping entirely (for_each_row reads it only for enough work).
    if (splittable && rows >= 1 && n >= 2 * kParallelGrain) {
        const int threads = configured_threads();
        const int count = rows < threads ? RowParts::count_for(n, threads) : 1;
        if (count > 1) {
            Team team(count, rows * n / kParallelGrain);
            RowParts parts(n, count, team);
            for (int64_t r = 0; r < rows; ++r) split(r, parts);
            return;
        }
    }
    for_each_row(rows, n, row);
}

}  // namespace sm4j
