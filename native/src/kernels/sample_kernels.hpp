// The sampler's kernels (../sampler/sampler.cpp): the two passes over a whole row of logits,
// one table per instruction set, like the row kernels of kernel_set.hpp. They know nothing of
// the sampling stages, nor of threads.
//
// They are a table of their own rather than members of KernelSet so that a kernel set without
// them (a new instruction set) still works: sample_kernels_for falls back to the generic ones.
// The set follows the active KernelSet (SOFTMAX4J_KERNELS, sm4j_force_kernels).
#pragma once

#include <cstdint>

#include "kernel_set.hpp"

namespace sm4j {

// Blocks of this many elements have their weight sums recorded by `weights`, so that the draw
// finds its block from n / kSumBlock sums and walks one block.
constexpr int64_t kSumBlock = 1024;
// `collect_ge` may write this many entries past the last one it reports (whole vectors).
constexpr int64_t kCollectSlack = 16;

struct Collected {
    int64_t consumed;  // elements of x examined
    int64_t count;     // entries appended
};

struct Weighed {
    int64_t total;  // the sum of the integer weights
    int64_t count;  // entries appended
    bool overflow;  // some weight >= t found no room
};

struct Kept {
    double rest;    // the weight of the non-members, within the bound of weigh_keep
    int64_t count;  // members appended
};

// weigh_keep's bound: |rest - the sum of the non-members' ws_i| <= kRestError times that sum.
constexpr double kRestError = 0x1p-20;

template <class T>
struct SampleKernels {
    // Appends every x[i] >= t (ordered comparison: NaN is never appended), as the value and
    // base + i, to vals and ids, in increasing i. Stops when n elements are consumed or when
    // fewer than kCollectSlack of `room` entries are left, so vals and ids need room +
    // kCollectSlack entries. Sets *bad if a consumed element is NaN or +inf.
    Collected (*collect_ge)(const T *x, int64_t n, T t, int64_t base, T *vals, int32_t *ids,
                            int64_t room, bool *bad);
    // ws_i = scaled_weight(d_i, s) (../sampler/weight_spec.hpp), d_i = (x_i - m) * a (or
    // x_i - m when a = 1), for i < n; returns the sum of trunc(ws_i). Optionally also: stores
    // ws_i (ws not null); stores the sum of each kSumBlock elements (block_sums not null; the
    // last block may be shorter); appends (ws_i, i) for every ws_i >= t to vals and ids (vals
    // not null), in increasing i, while at most room - kCollectSlack entries are taken: past that
    // it appends no more and reports overflow. The weights themselves are never stored unless
    // asked: a whole row of them would not fit in L2 beside the row.
    Weighed (*weigh)(const T *x, int64_t n, T m, T a, int s, T *ws, int64_t *block_sums, T t,
                     T *vals, int32_t *ids, int64_t room);
    // The passes over the candidates that `weigh` collected (weights ws >= 0, whose integer
    // weights are trunc(ws)): they let top-p find its threshold without converting, sorting or
    // copying them all. For an integer v, trunc(ws) >= v exactly when ws >= the smallest T >= v,
    // so the callers pass thresholds as such T.
    // The sum of trunc(ws_i) over the ws_i >= t.
    int64_t (*mass_ge)(const T *ws, int64_t n, T t);
    // total = the sum of trunc(ws_i) over ws_i >= b; appends ws_i for a <= ws_i <= b_le (b_le:
    // the largest T below b) to vals, in increasing i, and returns their count (vals needs
    // n + kCollectSlack entries). Only the values: the threshold needs no positions, and on Zen 4
    // a second compress per vector cost a quarter of the pass. overflow is unused.
    Weighed (*bracket)(const T *ws, int64_t n, T a, T b, T b_le, T *vals);
    // The draw: the first i at which the running sum of trunc(ws_j) over j <= i, ws_j >= t,
    // exceeds r (n if it never does).
    int64_t (*draw_at)(const T *ws, int64_t n, T t, int64_t r);
    // Top-p's one pass over a row, which needs only bounds on the total: with ws_i as in
    // `weigh`, appends the members ws_i >= lo to vals in increasing i (vals needs n +
    // kCollectSlack entries; block_end[j] = the members appended up to the end of block j of
    // kSumBlock elements), and returns in `rest` the sum of the other ws_i (not truncated),
    // summed in T with at most 5 roundings of T and n of double on any path: within kRestError
    // of the exact sum, for float and double. The weights themselves are never stored.
    // Requires every x_i <= m (m: the row's maximum), a >= 0 and lo >= 1: the vector sets then
    // skip the weight's clamp at d = 0 and its zeroing below kMin (sample_simd.hpp), which change
    // no trunc(ws_i) and no comparison with lo; a lane below kMin adds its clamped weight
    // e^kMin 2^s < 2^-6 to `rest` instead of 0. So the total, the members' integer weights plus
    // the others' trunc(ws_i), lies in [in + rest (1 - kRestError) - n, in + rest (1 + kRestError)].
    Kept (*weigh_keep)(const T *x, int64_t n, T m, T a, int s, T lo, T *vals, int64_t *block_end);
};

struct SampleKernelSet {
    const char *name;
    SampleKernels<float> f32;
    SampleKernels<double> f64;

    template <class T>
    const SampleKernels<T> &get() const;
};

template <>
inline const SampleKernels<float> &SampleKernelSet::get<float>() const { return f32; }
template <>
inline const SampleKernels<double> &SampleKernelSet::get<double>() const { return f64; }

// sample_generic.cpp, sample_avx2.cpp, sample_avx512.cpp.
extern const SampleKernelSet kGenericSampleKernels;
extern const SampleKernelSet kAvx2SampleKernels;
extern const SampleKernelSet kAvx512SampleKernels;

// The sampler kernels that go with a row kernel set: those of the same instruction set, or the
// generic ones.
const SampleKernelSet &sample_kernels_for(const KernelSet &set);

inline const SampleKernelSet &active_sample_kernels() { return sample_kernels_for(active_kernels()); }

}  // namespace sm4j
