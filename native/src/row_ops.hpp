// Per-row softmax, log-softmax and log-sum-exp, composed from the one-job kernels of a kernel
// set; they know nothing of instruction sets (the set is a parameter) nor of threads.
//
// The mathematics follows docs/mathematics.md: shift by the dominant element m of a*x, so
// that every exponent is <= 0 and the dominant term is exactly 1. The log forms use
// LSE = a m + log1p(t), t = sum over j != k of exp(a (x_j - m)): the most accurate evaluation
// (Blanchard, Higham & Higham 2021), which keeps a tiny t that 1 + t would lose.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/kernel_set.hpp"
#include "scratch.hpp"

namespace sm4j {

// Elements per step of the online pass: small enough that a block read from memory for its
// maximum is still in L1 when its exponentials are summed.
constexpr int64_t kOnlineBlock = 2048;

// The exp passes prefetch what the row operation reads next while their exps are computed
// (RowKernels::exp_sum_store's ahead): in a row of one block, the row the caller reads next —
// `next` bytes from x where the caller says (a strided batch, a causal attention row, whose next
// row's visible scores begin lds elements on), else the bytes right after the row (rows stored
// back to back, 4096 x 1000); in a longer row, the row's next block, up to kAheadMax bytes
// ahead. The next pass over it (its maximum) then finds it in cache rather than waiting on
// memory while the exp units idle. Found with native/bench (1 thread, the C API): fixed
// distances of 2, 4, 8 and 16 KB each did best on the shapes whose block is that size, and 8 KB
// on float64's 16 KB blocks made them slower than none; the cap bounds the reach of an exp pass
// over a long part of a row split between threads.
constexpr int64_t kAheadMax = 16384;

template <class In>
int64_t ahead_bytes(int64_t n, int64_t len, int64_t next) {
    if (len == n && next != 0) return next;
    const int64_t bytes = len * int64_t(sizeof(In));
    return bytes < kAheadMax ? bytes : kAheadMax;
}

// The scratch slot (scratch.hpp) of softmax's terms for a 16-bit output.
constexpr int kTermsSlot = 16;

// The inverse temperature in the element type, saturated so that a huge a stays finite
// (an infinite a would turn the dominant term's 0 * a into NaN).
template <class T>
T to_scale(double a) {
    constexpr double hi = double(std::numeric_limits<T>::max());
    return T(a > hi ? hi : a < -hi ? -hi : a);
}

// A (max, sum) pair for part of a row: sum_j exp(a (x_j - m)) = t + ties, where the `ties`
// terms are exactly 1 (a x_j = a m) and t holds all the others. Keeping the ties apart is what
// lets t exclude the dominant term without the cancellation of (1 + t) - 1: the LSE is
// a m + log1p(t + (ties - 1)), and ties - 1 is an exact integer.
//
// The empty pair has ties = 0 and m = the most dominated finite value (-max for a >= 0):
// so a row that starts with -inf never computes -inf - (-inf), and an all -inf row ends with
// log1p(-1) = -inf. m only ever moves to an element that dominates it strictly, so it is an
// element of the row, or that starting value.
template <class T>
struct Partial {
    T m;
    double t;
    int64_t ties;
};

template <class T>
Partial<T> empty_partial(T a) {
    const T big = std::numeric_limits<T>::max();
    return {a >= T(0) ? -big : big, 0.0, 0};
}

// How far b dominates p.m; > 0 means b is the new dominant value. In double, where a float
// difference is exact.
template <class T>
double dominance(T a, T b, T m) {
    return double(a) * (double(b) - double(m));
}

// Folds q into p: both sums are brought to the more dominant of the two maxima.
template <class T>
void merge(Partial<T> &p, const Partial<T> &q, T a) {
    double d = dominance(a, q.m, p.m);
    if (d > 0) {
        p.t = (p.t + double(p.ties)) * std::exp(-d) + q.t;
        p.ties = q.ties;
        p.m = q.m;
    } else if (d == 0) {
        p.t += q.t;
        p.ties += q.ties;
    } else {
        p.t += (q.t + double(q.ties)) * std::exp(d);  // NaN d (inf - inf) lands here; see lse_of
    }
}

// The online pass: one read of the row from memory. Each block's maximum is found while the
// block sits in L1; if it dominates the running m, the running sum is rescaled once, in double,
// and the block's terms are taken against the running m. Every term is thus exp of its exact
// distance to a true running maximum; no per-element rescaling error compounds.
//
// out (not x): handed to exp_sum_ties, to be touched, or with settled to keep d = x - m
// (kernel_set.hpp); *settled is then where the blocks taken against the final m begin, from
// which on shift_stored applies. next: as for the prefetch (kAheadMax).
template <class T, class In, class Out>
Partial<T> online_partial(const RowKernels<T, In, Out> &k, const In *x, int64_t n, T a, Out *out = nullptr,
                          int64_t *settled = nullptr, int64_t next = 0) {
    Partial<T> p = empty_partial(a);
    if (settled != nullptr) *settled = 0;
    for (int64_t i = 0; i < n; i += kOnlineBlock) {
        int64_t len = n - i < kOnlineBlock ? n - i : kOnlineBlock;
        T bm = k.extreme(x + i, len, a);
        double d = dominance(a, bm, p.m);
        if (d > 0) {
            // The first block always lands here, with nothing to rescale: skip the libm call.
            double before = p.t + double(p.ties);
            p.t = before == 0 ? 0 : before * std::exp(-d);
            p.ties = 0;
            p.m = bm;
            if (settled != nullptr) *settled = i;
        }
        ExpSum s = k.exp_sum_ties(x + i, len, a, p.m, out != nullptr ? out + i : nullptr, settled != nullptr,
                                  ahead_bytes<In>(n, len, next));
        p.t += s.sum;
        p.ties += s.ties;
    }
    return p;
}

// The pair of a whole row of n <= k.small elements, from one kernel call: online_partial's
// arithmetic for one block (RowKernels::partial_small), so the same bits.
template <class T, class In, class Out>
Partial<T> short_partial(const RowKernels<T, In, Out> &k, const In *x, int64_t n, T a) {
    Partial<T> p = empty_partial(a);
    ExpSum s = k.partial_small(x, n, a, &p.m);
    p.t += s.sum;
    p.ties += s.ties;
    return p;
}

template <class S>
bool any_nan(const S *x, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        if (std::isnan(widen(x[j]))) return true;
    return false;
}

// log1p(t) by Kahan's device: log(1 + t) with the rounding error of 1 + t divided out. Within
// 1.5 ulp, and about half the time of glibc's log1p, which dominated rows of up to a few
// hundred elements; for t below half an ulp of 1 it returns t itself, as log1p must.
inline double log1p_fast(double t) {
    double u = 1.0 + t;
    if (u == 1.0) return t;
    return std::log(u) * (t / (u - 1.0));
}

// log1p of the sum without the dominant term: log(sum) - a m.
template <class T>
double log1p_rest(const Partial<T> &p) {
    return log1p_fast(p.t + double(p.ties - 1));
}

// LSE from the pair of a whole row x[0, n), n >= 1.
template <class T, class In>
T lse_of(const Partial<T> &p, T a, const In *x, int64_t n) {
    double big = double(a) * double(p.m);
    // An infinite dominant term decides the result unless a NaN is present; the formula would
    // give NaN for rows such as [+inf, +inf] (inf - inf in the terms).
    if (std::isinf(big)) return any_nan(x, n) ? std::numeric_limits<T>::quiet_NaN() : T(big);
    return T(big + log1p_rest(p));
}

// For a = 0 every term is exp(0 x_j) = 1, and NaN for an infinite or NaN x_j (0 inf = NaN):
// the row is uniform or NaN. Said directly, because the general path would compute 0 (x - m)
// with x - m overflowing for huge finite values of opposite signs. Returns log(sum).
template <class S>
double log_count_if_finite(const S *x, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        if (!std::isfinite(widen(x[j]))) return std::numeric_limits<double>::quiet_NaN();
    return std::log(double(n));
}

// |a| below this: for a finite row, a (x_j - m) can be an ordinary number while x_j - m
// overflows T (e.g. a = 1e-308 on [-MAX, MAX]: the true exponent is -2), which the kernels,
// computing in T, would make exp(-inf) = 0. Such scales (temperatures beyond 1e305, or 1e36 in
// float) take the wide path below: scalar, in long double, where x_j - m cannot overflow.
template <class T>
constexpr T kTinyScale = T(1024) / std::numeric_limits<T>::max();

// A scale the kernels take as they are: not 0 (uniform rows) and not tiny (the wide path). The
// routes that skip the row functions' own tests (short rows, pairs, rows split over threads)
// take only such scales.
template <class T>
bool normal_scale(T a) {
    return a != T(0) && !(std::fabs(a) < kTinyScale<T>);
}

// An infinity that cannot dominate (-inf for a > 0, +inf for a < 0) is a term exp(-inf) = 0 on
// the wide path as on the normal one, so it does not send a row back to the normal path, where
// its finite terms would overflow (found by the operation fuzzer: a = 4.9e-324 on a row holding
// -inf, -1e308 and 1e308 lost the -1e308 term). NaN, an infinity that dominates, and a row with
// no finite entry keep the edge rules of the normal path.
template <class T, class In>
bool needs_wide(const In *x, int64_t n, T a) {
    if (a == T(0) || normal_scale(a)) return false;
    const T never = a > T(0) ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
    bool finite = false;
    for (int64_t j = 0; j < n; ++j) {
        if (std::isfinite(widen(x[j]))) finite = true;
        else if (!(widen(x[j]) == never)) return false;
    }
    return finite;
}

// The dominant index k, and t = sum over j != k of exp(a (x_j - x_k)), in long double.
template <class T>
struct Wide {
    int64_t k;
    long double a, m, t;

    template <class In>
    Wide(const In *x, int64_t n, T scale) : k(0), a(scale), m(0), t(0) {
        for (int64_t j = 1; j < n; ++j)
            if (scale > 0 ? widen(x[j]) > widen(x[k]) : widen(x[j]) < widen(x[k])) k = j;
        m = widen(x[k]);
        for (int64_t j = 0; j < n; ++j)
            if (j != k) t += std::exp(a * ((long double)widen(x[j]) - m));
    }

    template <class In>
    long double z(const In *x, int64_t j) const { return a * ((long double)widen(x[j]) - m); }
};

template <class Out, class T>
void fill(Out *y, int64_t n, T v) {
    const Out o = narrow<Out>(v);
    for (int64_t j = 0; j < n; ++j) y[j] = o;
}

// Softmax in two passes over the row, block by block: each block's maximum is found while the
// block is in L1, its terms exp(a (x_j - m_b)) are stored and summed against the running
// maximum m_b (which only moves to a block maximum that dominates it); then each block is
// scaled by exp(a (m_b - m)) / sum, in double. x is read from memory once, where a pass for the
// row's maximum first read it twice: on rows larger than the caches (vocabularies of 10^5) that
// is a third of the traffic. A row of one block (n <= kOnlineBlock) is exactly the three-pass
// softmax: its factor is 1 / sum. Blocks grow for rows beyond kMaxBlocks blocks, so that the
// block maxima fit on the stack (no allocation): to 64 KB in float at 10^6 elements, still in L2.
//
// The running maximum starts at the most dominated finite value (empty_partial), so that a
// leading block of -inf gives terms of 0, not -inf - (-inf); a row of -inf only ends with
// 0 * (1 / 0) = NaN, as the three-pass form gave.
//
// The terms are kept in T between the passes: in y itself when the output is T, else (16-bit
// output) in a scratch row of the calling thread, from which the scaling pass narrows them into y
// (in L1 for rows of a block; a row of 10^5 is still in L2). Each output is thus rounded once,
// from the same float as the float operation on the widened row: the same bits.
template <class T, class In, class Out>
void softmax_blocks(const RowKernels<T, In, Out> &k, const In *x, Out *y, int64_t n, T a, int64_t next = 0) {
    constexpr int64_t kMaxBlocks = 64;
    int64_t block = (n + kMaxBlocks - 1) / kMaxBlocks;
    block = block <= kOnlineBlock ? kOnlineBlock : (block + 63) / 64 * 64;
    T ms[kMaxBlocks];
    double ss[kMaxBlocks];
    // A streamed table's scale streams y out of the cache; the terms go to scratch then, so that
    // y is written once and never read (kernel_set.hpp).
    T *terms;
    if constexpr (std::is_same_v<Out, T>) {
        terms = k.streams ? scratch<T, kTermsSlot>(n) : y;
    } else {
        terms = scratch<T, kTermsSlot>(n);
    }
    T m = empty_partial(a).m;
    int64_t count = 0;
    for (int64_t i = 0; i < n; i += block, ++count) {
        const int64_t len = n - i < block ? n - i : block;
        const T bm = k.extreme(x + i, len, a);
        if (dominance(a, bm, m) > 0) m = bm;
        ms[count] = m;
        ss[count] = k.exp_sum_store(x + i, terms + i, len, a, m, ahead_bytes<In>(n, len, next));
    }
    double s = 0;
    for (int64_t b = 0; b < count; ++b) s += ms[b] == m ? ss[b] : ss[b] * std::exp(dominance(a, ms[b], m));
    const double inv = 1.0 / s;
    for (int64_t b = 0, i = 0; b < count; ++b, i += block) {
        const int64_t len = n - i < block ? n - i : block;
        k.scale(terms + i, y + i, len, T(ms[b] == m ? inv : std::exp(dominance(a, ms[b], m)) * inv));
    }
}

// Whether a row of n elements under scale a goes through softmax_pair / log_softmax_pair: one
// block, longer than the short rows' one call, with a normal scale.
template <class T, class In, class Out>
bool pairable(const RowKernels<T, In, Out> &k, int64_t n, T a) {
    return n > k.small && n <= kOnlineBlock && normal_scale(a);
}

// Two rows of one block each (n <= kOnlineBlock), interleaved: the first row's maximum and
// exp pass, the second's, then both scaling passes. A row's scaling pass cannot start before its
// sum is reduced and inverted; with the second row's passes in between, that wait overlaps
// arithmetic, and the batch driver (rows.cpp) takes one route per pair rather than per row. On
// 4096 x 1000 floats (C API, 1 thread) two rows at a time took 0.93-0.95x the time of the same
// kernels row after row (three or four at a time: 1.00x, 1.11x), and the library's call went
// from 1.08-1.11x that loop to 0.95-0.97x (docs/results/2026-12-02-paired, pairs.cpp). Each row
// gets exactly softmax_blocks' calls for a row of one block, so the same bits; only the order of
// the calls across the two rows changes, which rows that do not overlap (or are each in place)
// allow. 16-bit outputs keep both rows' terms in the scratch row, one after the other.
// Row r has n_r elements (k.small < n_r <= kOnlineBlock; the causal attention's paired rows
// differ by at most one), and next_r is its `next` as the row functions below take it (where the
// caller reads after it, in bytes from its start; 0 for right after the row).
template <class T, class In, class Out>
void softmax_pair(const RowKernels<T, In, Out> &k, const In *x0, Out *y0, int64_t n0, int64_t next0, const In *x1,
                  Out *y1, int64_t n1, int64_t next1, T a) {
    T *t0, *t1;
    if constexpr (std::is_same_v<Out, T>) {
        t0 = k.streams ? scratch<T, kTermsSlot>(n0 + n1) : y0;
        t1 = k.streams ? t0 + n0 : y1;
    } else {
        t0 = scratch<T, kTermsSlot>(n0 + n1);
        t1 = t0 + n0;
    }
    // softmax_blocks' first pass over its one block: m starts at the empty pair's and moves only
    // to a maximum that dominates it.
    auto terms = [&](const In *x, T *t, int64_t n, int64_t next) {
        T m = empty_partial(a).m;
        const T bm = k.extreme(x, n, a);
        if (dominance(a, bm, m) > 0) m = bm;
        return k.exp_sum_store(x, t, n, a, m, ahead_bytes<In>(n, n, next));
    };
    const double s0 = terms(x0, t0, n0, next0);
    const double s1 = terms(x1, t1, n1, next1);
    k.scale(t0, y0, n0, T(1.0 / s0));
    k.scale(t1, y1, n1, T(1.0 / s1));
}

// The row operations on a row of 1 <= n <= k.small elements (two vectors) with a scale that
// takes the normal path (a != 0, and |a| not tiny: needs_wide is then false without reading x):
// one or two kernel calls each, on the row held in registers. The row functions below end here
// for such rows, and sm4j_run's one-row calls come here straight (run.cpp), past the batch
// driver: the same calls, so the same bits.
template <class T, class In, class Out>
void softmax_short(const RowKernels<T, In, Out> &k, const In *x, Out *y, int64_t n, T a) {
    k.softmax_small(x, y, n, a, empty_partial(a).m);
}

template <class T, class In, class Out>
void log_softmax_short(const RowKernels<T, In, Out> &k, const In *x, Out *y, int64_t n, T a) {
    const Partial<T> p = short_partial(k, x, n, a);
    k.shift_scale(x, y, n, a, p.m, T(log1p_rest(p)));
}

template <class T, class In, class Out>
T logsumexp_short(const RowKernels<T, In, Out> &k, const In *x, int64_t n, T a) {
    return lse_of(short_partial(k, x, n, a), a, x, n);
}

// next (the row functions below): where the caller reads next, in bytes from x; 0 for right after
// the row (kAheadMax).
template <class T, class In, class Out>
void softmax_row(const RowKernels<T, In, Out> &k, const In *x, Out *y, int64_t n, T a, int64_t next = 0) {
    if (n == 0) return;
    if (a == T(0)) {
        double l = log_count_if_finite(x, n);
        return fill(y, n, std::isnan(l) ? T(l) : T(1.0 / double(n)));
    }
    if (needs_wide(x, n, a)) {  // false without reading x unless |a| is tiny
        Wide<T> w(x, n, a);
        for (int64_t j = 0; j < n; ++j) y[j] = narrow<Out>(T(std::exp(w.z(x, j)) / (1 + w.t)));
        return;
    }
    if (n <= k.small) return softmax_short(k, x, y, n, a);
    softmax_blocks(k, x, y, n, a, next);
}

// Whether log-softmax's first pass touches (or keeps d in) the output row (log_softmax_row says
// why): only where the output is not the input itself (in place there is nothing to gain) and
// the table does not stream the store pass (which writes y without reading it).
template <class T, class In, class Out>
bool touches_output(const RowKernels<T, In, Out> &k, const In *x, const Out *y) {
    return static_cast<const void *>(x) != static_cast<const void *>(y) && !k.streams;
}

template <class T, class In, class Out>
void log_softmax_row(const RowKernels<T, In, Out> &k, const In *x, Out *y, int64_t n, T a, int64_t next = 0) {
    if (n == 0) return;
    if (a == T(0)) return fill(y, n, T(-log_count_if_finite(x, n)));
    if (needs_wide(x, n, a)) {
        Wide<T> w(x, n, a);
        for (int64_t j = 0; j < n; ++j) y[j] = narrow<Out>(T(w.z(x, j) - std::log1p(w.t)));
        return;
    }
    if (n <= k.small) return log_softmax_short(k, x, y, n, a);
    // The online pass, bound by the exp, also touches y for writing, so that the store pass finds
    // it in cache and owned, as softmax's scaling pass finds its terms, rather than reading each
    // line of y from memory first: rows of 128,256 floats, which skipped the touch, took 1.5x
    // softmax's time, 1.15x with it (C API, 1 thread). Rows of more than one block keep d = x - m
    // in y instead (where a = 1 and y is T, exp_sum_ties), and the blocks from the final m's on
    // take d from there: the store pass then streams one row through L2, not two (1.25x -> 1.08x
    // in JMH). A row of one block is in L1 for that pass anyway, where the stores cost more than
    // the touch (1000 floats: 1.14x against 1.11x). In place, x is y: nothing to do.
    // A streamed table's store pass writes y without reading it: nothing is touched or kept there.
    const bool apart = touches_output(k, x, y);
    const bool keep = apart && n > kOnlineBlock;
    int64_t settled = 0;
    const Partial<T> p = online_partial(k, x, n, a, apart ? y : nullptr, keep ? &settled : nullptr, next);
    const T c = T(log1p_rest(p));
    // The store pass: d from x before the block where the final m was found, from y after it
    // (shift_stored). Each kernel aligns its own stores to y's 64-byte lines (store_pass in
    // kernels/simd_kernels.hpp). The later part goes first: the online pass has just left its
    // end of x and y in L2, which the earlier part, read first, would evict (the parts are
    // computed element by element, so their order changes no bit). Rows of 128,256 floats:
    // 0.946-0.982x the time on 1 thread, 0.965x on 2; 256 x 32,000 0.980x (C API, in one
    // process, interleaved with the other order; docs/results/2026-12-02-paired). Softmax's
    // scaling pass gained nothing from going last block first (0.99-1.02x).
    const int64_t from = keep ? settled : n;
    if (from < n) k.shift_stored(x + from, y + from, n - from, a, p.m, c);
    if (from > 0) k.shift_scale(x, y, from, a, p.m, c);
}

// log_softmax_row's arithmetic for two rows of one block each (n0, n1 <= kOnlineBlock), interleaved
// as softmax_pair's: both online passes, then both store passes (each row's shift c waits on a
// log1p of its sum). The same calls per row as log_softmax_row's, so the same bits.
template <class T, class In, class Out>
void log_softmax_pair(const RowKernels<T, In, Out> &k, const In *x0, Out *y0, int64_t n0, int64_t next0,
                      const In *x1, Out *y1, int64_t n1, int64_t next1, T a) {
    const Partial<T> p0 = online_partial(k, x0, n0, a, touches_output(k, x0, y0) ? y0 : nullptr, nullptr, next0);
    const Partial<T> p1 = online_partial(k, x1, n1, a, touches_output(k, x1, y1) ? y1 : nullptr, nullptr, next1);
    k.shift_scale(x0, y0, n0, a, p0.m, T(log1p_rest(p0)));
    k.shift_scale(x1, y1, n1, a, p1.m, T(log1p_rest(p1)));
}

// The LSE in T; the caller stores it (narrowed for a 16-bit output).
template <class T, class In, class Out>
T logsumexp_row(const RowKernels<T, In, Out> &k, const In *x, int64_t n, T a, int64_t next = 0) {
    if (n == 0) return -std::numeric_limits<T>::infinity();
    if (a == T(0)) return T(log_count_if_finite(x, n));
    if (needs_wide(x, n, a)) {
        Wide<T> w(x, n, a);
        return T(w.a * w.m + std::log1p(w.t));
    }
    return n <= k.small ? logsumexp_short(k, x, n, a)
                        : lse_of(online_partial(k, x, n, a, static_cast<Out *>(nullptr), nullptr, next), a, x, n);
}

// The same operations on one long row split into parts that run at once (Parts is the driver's
// RowParts: parts.count pieces, parts.run(body) calls body(part, begin, end) for each of them
// in parallel). The partial results are merged in a fixed order, so that the outcome does not
// depend on which thread finishes first.
namespace split {

template <class T, class Parts>
void softmax_row(const RowKernels<T> &k, const T *x, T *y, T a, const Parts &parts) {
    T ms[Parts::kMax] = {};  // zeros: part 0 always exists, but the compiler cannot see it
    double ss[Parts::kMax];
    parts.run([&](int c, int64_t b, int64_t e) { ms[c] = k.extreme(x + b, e - b, a); });
    T m = ms[0];
    for (int c = 1; c < parts.count; ++c)
        if (a >= T(0) ? ms[c] > m : ms[c] < m) m = ms[c];
    parts.run([&](int c, int64_t b, int64_t e) {
        ss[c] = k.exp_sum_store(x + b, y + b, e - b, a, m, ahead_bytes<T>(e - b, e - b, 0));
    });
    double s = 0;
    for (int c = 0; c < parts.count; ++c) s += ss[c];
    const T inv = T(1.0 / s);
    parts.run([&](int, int64_t b, int64_t e) { k.scale(y + b, y + b, e - b, inv); });
}

template <class T, class Parts>
Partial<T> partial(const RowKernels<T> &k, const T *x, T a, const Parts &parts) {
    Partial<T> ps[Parts::kMax] = {};
    parts.run([&](int c, int64_t b, int64_t e) { ps[c] = online_partial(k, x + b, e - b, a); });
    Partial<T> p = ps[0];
    for (int c = 1; c < parts.count; ++c) merge(p, ps[c], a);
    return p;
}

template <class T, class Parts>
void log_softmax_row(const RowKernels<T> &k, const T *x, T *y, T a, const Parts &parts) {
    Partial<T> p = partial(k, x, a, parts);
    const T c = T(log1p_rest(p));
    parts.run([&](int, int64_t b, int64_t e) { k.shift_scale(x + b, y + b, e - b, a, p.m, c); });
}

template <class T, class Parts>
T logsumexp_row(const RowKernels<T> &k, const T *x, int64_t n, T a, const Parts &parts) {
    return lse_of(partial(k, x, a, parts), a, x, n);
}

}  // namespace split

}  // namespace sm4j
