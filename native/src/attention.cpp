// The attention softmax (softmax4j.h, SM4J_ATTENTION_*): y = op(scale s + bias) over the columns
// each row of a scores block may see, with the mask given by indices rather than a tensor.
// Row i sees columns [lo_i, hi_i): all of them, or causally j <= i + offset (the KV-cache
// layout: offset = cached positions), and with a window W also j > i + offset - W. That is one
// contiguous run, so a row is the ordinary row operation on a sub-row (the same kernels and edge
// rules) plus a fill: masked entries are never read and are exactly 0 (softmax), -inf
// (log-softmax); a row that sees nothing is all 0 / -inf, and its LSE is -inf.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>

#include "driver.hpp"
#include "kernels/inline.hpp"
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "scratch.hpp"
#include "softmax4j.h"


namespace sm4j {
namespace {

// Writes v to y[0, n): with a streamed table (a large output) by its fill, non-temporal stores
// like the rest of the row; else memset for the zeros of softmax (an earlier measurement, on
// 2048 x 2048 in place: memset 0.65x the plain softmax, streaming stores for the zeros alone
// 0.9x, a scalar loop 1.4x), a loop the compiler vectorises for the -inf of log-softmax.
template <class T>
void fill_masked(const RowKernels<T> &k, T *y, int64_t n, T v) {
    if (n <= 0) return;
    if (k.streams) return k.fill(y, n, v);
    if (v == T(0)) {
        std::memset(y, 0, size_t(n) * sizeof(T));
        return;
    }
    for (int64_t j = 0; j < n; ++j) y[j] = v;
}

// A causal row reads only a prefix of its scores row and skips the rest, so every row starts a
// new stream, which the hardware prefetchers pick up only after several misses; measured
// (native, 2048 x 2048 float, 1 thread) the plain softmax of rows of 1024 read with a stride of
// 2048 took 1.6x the time of whole rows of 2048 with half the instructions, and the causal
// softmax took 1.4-1.9x the unmasked one. So the next row's visible scores are fetched while a
// row is computed: by the row's exp pass, a step's lines per step, as far as the row is long
// (row_ops.hpp: next), and the rest of them (a longer next row: the zigzag order below; rows
// with a bias, whose exp pass reads a scratch row) here, at most kPrefetchBytes at once. All of
// them here at the start of each row (the earlier way) stalled on the misses in flight: up to
// 256 prefetches in a row took a tenth of the causal block's time (perf, cpu-clock). Only what is
// read is prefetched: the output row is written front to back (below), one stream the
// prefetchers follow, and prefetching it for writing as well measured slower (native,
// 2048 x 2048, 1 thread, 9 interleaved runs: 1.17x the unmasked block with it, 0.86x without).
constexpr int64_t kPrefetchBytes = 16 << 10;

// Always inlined: GCC counts a prefetch as no side effect, so it finds a function that only
// prefetches pure and deletes the calls it has not inlined (GCC 12, -fdump-tree-local-pure-const1:
// "found to be looping pure"). A helper lambda for the row's three write prefetches below lost
// them that way, silently: 1.07-1.11x the causal block's time.
template <class T>
SM4J_INLINE void prefetch(const T *p, int64_t n) {
    const char *c = reinterpret_cast<const char *>(p);
    const int64_t bytes = std::min<int64_t>(n * int64_t(sizeof(T)), kPrefetchBytes);
    for (int64_t b = 0; b < bytes; b += 64) __builtin_prefetch(c + b, 0, 3);
}

// The visible columns [lo, hi) of row i, in 128-bit arithmetic so that no offset overflows.
struct Visible {
    int64_t lo, hi;
};

inline Visible visible(int64_t i, int64_t n, bool causal, int64_t offset, int64_t window) {
    if (!causal) return {0, n};
    const __int128 last = (__int128)i + offset;  // the last visible column
    const __int128 hi = std::min<__int128>(std::max<__int128>(last + 1, 0), n);
    __int128 lo = 0;
    if (window > 0) lo = std::min<__int128>(std::max<__int128>(last - window + 1, 0), hi);
    return {int64_t(lo), int64_t(hi)};
}

}  // namespace

template <class T>
void attention(int32_t op, int64_t rows, int64_t n, const T *s, int64_t lds, const T *bias,
               int64_t ldb, T *y, int64_t ldy, double scale, bool causal, int64_t offset,
               int64_t window) {
    // Without a mask or a bias, the block is the plain batch operation with a = scale: the same
    // route (rows of one block two at a time, long rows split over threads), so the same bits
    // and speed (row by row here, it took 1.03-1.08x the time of the plain softmax on 2048 x 2048).
    if (!causal && bias == nullptr) return row_op<T>(op, s, lds, y, ldy, rows, n, scale);
    const T a = to_scale<T>(scale);
    // A large masked output takes the streamed kernels (kernel_set.hpp): every store of a row,
    // the masked head and tail included, is then non-temporal, and each thread fences at its
    // end. A causal row reads a prefix of its scores and writes its whole row, most of it
    // constant: without streaming, every line of the output is read from memory before it is
    // overwritten, which is the larger part of a masked row's traffic (2048 x 2048, 1 thread,
    // JMH: streamed, its zeros then written by the exp pass, 0.76-0.87x the time of the same jar with
    // streaming off, SOFTMAX4J_STREAM_THRESHOLD). An unmasked block keeps the ordinary
    // kernels, as the plain softmax does (rows.cpp): there the exp bounds the time, and streaming
    // the row operations measured a net loss (docs/results/2026-12-01-stores).
    //
    // Against the threshold, what each thread touches: the output block, the scores where they
    // are another block (in place, the same lines; of a causal block about half is read, but the
    // whole is counted) and a full bias block, over the threads that share them. Counting the
    // output alone, 2048 x 2048 floats (16 MiB) stayed below a Zen 3 guest's 16.5 MiB on one
    // thread and was not streamed, although with the scores beside it the output could not stay
    // in its cache: causal / plain softmax 0.75-0.81 there, 0.65-0.68 streamed (4096 x 4096:
    // 0.83 and 0.69). On 2 threads, whose caches together hold that block, streaming it took
    // 0.92-0.93 against 0.75-0.81 (C API, interleaved call by call in one process; JMH: 1 thread
    // 0.76-0.78 and 0.65-0.69; docs/results/2026-12-02-stream-threshold).
    const int threads = threads_for(rows, n);
    const int64_t block = rows * n * int64_t(sizeof(T));
    const int64_t touched =
            block + (s != y ? block : 0) + (bias == nullptr ? 0 : ldb == 0 ? n * int64_t(sizeof(T)) : block);
    const RowKernels<T> &k = causal && op != SM4J_LOGSUMEXP ? kernels_for_output<T>(touched / threads, n)
                                                            : active_kernels().get<T>();
    const T outside = op == SM4J_SOFTMAX ? T(0) : -std::numeric_limits<T>::infinity();
    // Each thread takes a contiguous range of parts, a part being a chunk of kChunk consecutive
    // rows (fewer where the block has few rows per thread). Causal rows grow with i, so with more
    // than one thread the chunks alternate between the two ends of the block (0, last, 1,
    // last - 1, ...), and every range holds about the same number of visible entries (with 2
    // threads, contiguous rows gave one thread a quarter of the work and the other three
    // quarters). Chunks rather than single rows: alternating row by row, each thread's next row
    // lay at the other end of the block, and both its reads and its stream of stores restarted at
    // every row. On 2 threads, 2048 x 2048 took 0.90-0.95x the time of the plain softmax row by
    // row and 0.68-0.72x in chunks of 32 (4096 x 4096: 1.04-1.09x, 0.78-0.84x); chunks of 16 to
    // 128 rows measured alike (C API, in one process, docs/results/2026-12-02-chunks). On one
    // thread rows stay in order.
    constexpr int64_t kChunk = 32;
    const int64_t chunk = std::max<int64_t>(1, std::min<int64_t>(kChunk, rows / (8 * int64_t(threads))));
    const int64_t parts = (rows + chunk - 1) / chunk;
    const bool zigzag = causal && threads > 1;
    // Causal rows whose visible runs are of one block (longer than the short rows' one call) go
    // two at a time, as the plain batch's rows do (rows.cpp; softmax_pair in row_ops.hpp: each
    // row the calls it gets alone, so the same bits) where the output is not streamed: blocks
    // of 128-512 rows took 0.70-0.85x the time of row after row, where each causal row had cost
    // more than a whole unmasked one (the row's fixed costs over a short run). Streamed rows stay
    // single: on 2048 x 2048 pairs took 1.02-1.06x their time (1 thread; interleaved in one
    // process, docs/results/2026-12-02-chunks).
    const bool paired = causal && !k.streams && bias == nullptr && op != SM4J_LOGSUMEXP;
    // The first row of part p.
    auto first_row = [&](int64_t p) { return (!zigzag ? p : p % 2 == 0 ? p / 2 : parts - 1 - p / 2) * chunk; };
    // The row after row i of part p (whose rows end before `end`), or -1.
    auto after = [&](int64_t i, int64_t end, int64_t p) -> int64_t {
        return i + 1 < end ? i + 1 : p + 1 < parts ? first_row(p + 1) : -1;
    };
    // Prefetches row r's visible scores (and biases) but for the first `covered` of them, which
    // the exp pass over x fetches, and returns the bytes from x to them (0 with a bias: that
    // pass reads a scratch row).
    auto ahead = [&](const T *x, int64_t covered, int64_t r) -> int64_t {
        const Visible nv = visible(r, n, causal, offset, window);
        const T *nx = s + r * lds + nv.lo;
        const int64_t nlen = nv.hi - nv.lo;
        if (bias != nullptr) {
            prefetch(nx, nlen);
            prefetch(bias + r * ldb + nv.lo, nlen);
            return 0;
        }
        covered = std::min(covered, nlen);
        prefetch(nx + covered, nlen - covered);
        return reinterpret_cast<const char *>(nx) - reinterpret_cast<const char *>(x);
    };
    for_each_row(parts, chunk * n, [&](int64_t p) {
        const int64_t first = first_row(p), end = std::min(rows, first + chunk);
        for (int64_t i = first; i < end; ++i) {
            const Visible v = visible(i, n, causal, offset, window);
            const int64_t len = v.hi - v.lo;
            if (paired && i + 1 < end) {
                const Visible v0 = v, v1 = visible(i + 1, n, causal, offset, window);
                const int64_t n0 = len, n1 = v1.hi - v1.lo;
                if (pairable(k, n0, a) && pairable(k, n1, a)) {
                    const T *x0 = s + i * lds + v0.lo, *x1 = s + (i + 1) * lds + v1.lo;
                    T *out0 = y + i * ldy, *out1 = y + (i + 1) * ldy;
                    // Row i's exp pass fetches row i + 1's scores, row i + 1's the next row's.
                    const int64_t next0 = ahead(x0, n0, i + 1), r = after(i + 1, end, p);
                    const int64_t next1 = r < 0 ? 0 : ahead(x1, n1, r);
                    fill_masked(k, out0, v0.lo, outside);
                    fill_masked(k, out1, v1.lo, outside);
                    if (op == SM4J_SOFTMAX) {
                        softmax_pair(k, x0, out0 + v0.lo, n0, next0, x1, out1 + v1.lo, n1, next1, a);
                    } else {
                        log_softmax_pair(k, x0, out0 + v0.lo, n0, next0, x1, out1 + v1.lo, n1, next1, a);
                    }
                    fill_masked(k, out0 + v0.hi, n - v0.hi, outside);
                    fill_masked(k, out1 + v1.hi, n - v1.hi, outside);
                    ++i;
                    continue;
                }
            }
            const T *x = s + i * lds + v.lo;
            T *out = y + i * ldy;
            const int64_t r = causal ? after(i, end, p) : -1;
            const int64_t next = r < 0 ? 0 : ahead(x, len, r);  // for the exp pass
            if (op == SM4J_LOGSUMEXP) {
                if (bias == nullptr) {
                    *out = logsumexp_row(k, x, len, a, next);
                    continue;
                }
                T *z = scratch<T>(len);
                const T *b = bias + i * ldb + v.lo;
                for (int64_t j = 0; j < len; ++j) z[j] = a * x[j] + b[j];
                *out = logsumexp_row(k, z, len, T(1));
                continue;
            }
            // The row front to back: the masked head, the visible run by the row operation (the
            // same call, so the same bits, as the plain operation on that run), the masked tail.
            // Streamed, the tail's zeros are best written here, after the run: on 2048 x 2048 (1
            // thread, C API, two ways interleaved call by call in one process, 3-5 processes each;
            // docs/results/2026-12-01-zeros) streaming them from the run's exp pass, 4 lines per
            // step, took 1.04-1.09x the time (those stores stall the exps: memory is busiest then,
            // fetching the next row and draining the last), at the row's start 1.04-1.09x, between
            // the exp and scale passes 1.01-1.08x; on 2 threads the ways are level.
            if (k.streams && n > 0) {
                // The lines the streamed row writes in part, with ordinary stores, each read from
                // memory first: where the run ends and the tail begins, and the row's last (shared
                // with the next row's first elements). Fetched for writing now, they arrive while
                // the row is computed: without this, 1.08-1.09x the time (C API, 2048 x 2048, 1
                // thread, interleaved in one process, 5 processes). Here rather than in a helper:
                // see prefetch.
                __builtin_prefetch(out + v.hi, 1, 3);
                __builtin_prefetch(out + n - 1, 1, 3);
                if (v.lo > 0) __builtin_prefetch(out + v.lo, 1, 3);
            }
            fill_masked(k, out, v.lo, outside);
            if (len > 0) {
                T *o = out + v.lo;
                if (bias != nullptr) {
                    // scale s + bias first (element-wise, so in place is fine), then the plain
                    // operation; into scratch where y is streamed, so that y is written once.
                    const T *b = bias + i * ldb + v.lo;
                    T *z = k.streams ? scratch<T>(len) : o;
                    for (int64_t j = 0; j < len; ++j) z[j] = a * x[j] + b[j];
                    x = z;
                }
                const T row_a = bias != nullptr ? T(1) : a;
                if (op == SM4J_SOFTMAX) {
                    softmax_row(k, x, o, len, row_a, next);
                } else {
                    log_softmax_row(k, x, o, len, row_a, next);
                }
            }
            fill_masked(k, out + v.hi, n - v.hi, outside);
        }
    }, [&k] {
        if (k.streams) store_fence();
    });
}

template void attention<float>(int32_t, int64_t, int64_t, const float *, int64_t, const float *, int64_t,
                               float *, int64_t, double, bool, int64_t, int64_t);
template void attention<double>(int32_t, int64_t, int64_t, const double *, int64_t, const double *,
                                int64_t, double *, int64_t, double, bool, int64_t, int64_t);

}  // namespace sm4j
