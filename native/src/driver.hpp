// Runs a row operation over a batch: serially for small batches, else split over OpenMP threads
// by rows or, when there are fewer rows than threads, by parts of each long row.
//
// The driver knows nothing of instruction sets; the kernels know nothing of threads.
#pragma once

#include <algorithm>
#include <cstdint>

namespace sm4j {

// Threads the user asked for (0 = OpenMP's default). Kept here rather than in OpenMP's
// per-thread ICV, because omp_set_num_threads from one Java thread is invisible to the others.
int configured_threads();

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

// Calls body(r) for every row r in [0, rows).
template <class Body>
inline void for_each_row(int64_t rows, int64_t n, Body body) {
    int threads = threads_for(rows, n);
    if (threads <= 1) {
        for (int64_t r = 0; r < rows; ++r) body(r);
        return;
    }
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t r = 0; r < rows; ++r) body(r);
}

// One row of n elements cut into `count` parts, one per thread. Parts start at multiples of 64
// elements, so that no two threads write to one cache line.
struct RowParts {
    static constexpr int kMax = 64;
    int64_t n;
    int64_t len;
    int count;

    RowParts(int64_t n_, int threads) : n(n_) {
        int64_t want = std::min<int64_t>({threads, n_ / kParallelGrain, kMax});
        want = std::max<int64_t>(want, 1);
        len = ((n_ + want - 1) / want + 63) / 64 * 64;
        count = int((n_ + len - 1) / len);
    }

    // Calls body(part, begin, end) for every part, in parallel; returns when all are done.
    template <class Body>
    void run(Body body) const {
#pragma omp parallel for num_threads(count) schedule(static, 1)
        for (int c = 0; c < count; ++c) body(c, c * len, std::min(n, (c + 1) * len));
    }
};

// Calls row(r) for every row, or split(r, parts) with the RowParts of a row when a few long rows
// would leave threads idle (and the operation can be split).
template <class Row, class Split>
inline void run_rows(int64_t rows, int64_t n, bool splittable, Row row, Split split) {
    int threads = configured_threads();
    if (splittable && rows >= 1 && rows < threads && n >= 2 * kParallelGrain) {
        RowParts parts(n, threads);
        if (parts.count > 1) {
            for (int64_t r = 0; r < rows; ++r) split(r, parts);
            return;
        }
    }
    for_each_row(rows, n, row);
}

}  // namespace sm4j
