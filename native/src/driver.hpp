// Runs a row operation over a batch: serially for small batches, else split over OpenMP threads.
//
// The driver knows nothing of instruction sets; the kernels know nothing of threads.
#pragma once

#include <algorithm>
#include <cstdint>

namespace sm4j {

// Threads the user asked for (0 = OpenMP's default). Kept here rather than in OpenMP's
// per-thread ICV, because omp_set_num_threads from one Java thread is invisible to the others.
int configured_threads();

// Below this many elements a batch runs on the calling thread: entering a parallel region costs
// 0.3-0.5 us here, more than the whole computation of a small batch.
constexpr int64_t kParallelGrain = 1 << 15;

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

}  // namespace sm4j
