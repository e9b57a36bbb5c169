// A kernel set: the one-job row kernels of one instruction set, for float and double rows and
// for bfloat16 and float16 rows computed in float.
//
// The row operations (../row_ops.hpp) and the driver (../driver.hpp) call kernels only through
// this table, so they know nothing of instruction sets; each set lives in its own translation
// unit, compiled with its own target flags, and is chosen once at load (dispatch.cpp).
#pragma once

#include <atomic>
#include <cstdint>

#include "storage.hpp"

namespace sm4j {

// The sum of exp(d_j) over the terms with d_j != 0, and the number of terms with d_j == 0.
// Those are exactly 1 and are counted instead of added, so that the caller can drop one of them
// (the dominant term) without cancellation: see Partial in ../row_ops.hpp.
struct ExpSum {
    double sum;
    int64_t ties;
};

// Every kernel works on one contiguous run of n >= 1 elements; y may equal x (in place).
// d_j = a (x_j - m) throughout; the kernels are only ever given m such that d_j <= 0 or NaN.
//
// T is the type the kernels compute in; In and Out are how the rows are stored (storage.hpp):
// T itself, or for float the 16-bit bf16 and f16, widened as they are loaded and narrowed, once,
// as the results are stored. Terms kept between passes (exp_sum_store's) are always T.
template <class T, class In = T, class Out = T>
struct RowKernels {
    // The dominant value of a * x over the non-NaN elements: the maximum for a >= 0, the
    // minimum otherwise; -inf (+inf for a < 0) when every element is NaN.
    T (*extreme)(const In *x, int64_t n, T a);
    // y_j = exp(d_j); returns the sum of the y_j. ahead: while it computes, a vector set
    // prefetches the bytes that many past the ones it reads (what the caller reads next; any
    // value is safe, a prefetch cannot fault; 0 fetches nothing new).
    double (*exp_sum_store)(const In *x, T *y, int64_t n, T a, T m, int64_t ahead);
    // The sum of the exp(d_j) that are not exactly exp(0), and the count of those that are.
    // out, if not null, is where a later pass will write this run's results (never x itself):
    // its lines are touched for writing now, while this pass is bound by arithmetic and memory
    // is idle, so that the later pass finds them in cache and owned. With keep, a vector set
    // writes d_j there instead where Out is T and a is 1 (shift_stored's input). ahead: as
    // exp_sum_store's.
    ExpSum (*exp_sum_ties)(const In *x, int64_t n, T a, T m, Out *out, bool keep, int64_t ahead);
    // y_j = t_j c (t may be y when Out is T: in place)
    void (*scale)(const T *t, Out *y, int64_t n, T c);
    // y_j = d_j - c, without the overflow of x_j - m for finite x_j and m of opposite signs
    // near the largest value.
    void (*shift_scale)(const In *x, Out *y, int64_t n, T a, T m, T c);
    // shift_scale's result, bit for bit, where exp_sum_ties(x, ..., a, m, y, keep) covered
    // this run (in one or more calls): a set that left d_j in y there reads it back instead of
    // x, so that the pass streams one row through the cache, not two (x is read only to repair
    // an overflowed d_j). The generic set stores nothing and recomputes.
    void (*shift_stored)(const In *x, Out *y, int64_t n, T a, T m, T c);
    // y_j = exp(x_j) for x_j <= 0 or NaN: the set's exp on its own, for the accuracy tests.
    void (*exp)(const T *x, T *y, int64_t n);

    // Rows of 1 <= n <= small elements (two vectors), read once into registers: one call where
    // a row otherwise takes three or four, for rows such as the 10 classes of a classifier head,
    // whose cost is the calls, not the arithmetic. Each does the arithmetic of the kernels it
    // replaces in the same order (a row this short is their masked last vectors only), so the
    // results have the same bits (test_kernels.cpp holds them to that). A set without them (the
    // generic one) leaves small at 0.
    //
    // softmax_small: exp_sum_store and scale of a row of one block (softmax_blocks in
    // ../row_ops.hpp), with m the row's extreme where it dominates `floor` (the empty pair's m),
    // else floor; y may be x when In is Out. 16-bit outputs are narrowed once, from the same
    // float values the scratch row of longer rows holds.
    void (*softmax_small)(const In *x, Out *y, int64_t n, T a, T floor) = nullptr;
    // partial_small: extreme and exp_sum_ties as online_partial calls them for one block; *m
    // holds floor on entry and the pair's m on return.
    ExpSum (*partial_small)(const In *x, int64_t n, T a, T *m) = nullptr;
    int64_t small = 0;

    // y_j = v: the attention softmax's masked entries. Set in streamed tables only (the others
    // fill with memset, attention.cpp).
    void (*fill)(Out *y, int64_t n, T v) = nullptr;
    // A streamed table (KernelSet::streamed): scale, shift_scale, shift_stored and fill write
    // with non-temporal stores, the same bits as the ordinary table's. Its callers keep the
    // terms between passes out of y (softmax_blocks), do not touch y ahead of the store pass
    // (log_softmax_row), and call store_fence() on each thread before the call returns.
    bool streams = false;
};

// The kernels of one instruction set for every storage: float and double rows, and float
// arithmetic on bfloat16 or float16 rows with results in that type or in float.
struct KernelSet {
    const char *name;
    RowKernels<float> f32;
    RowKernels<double> f64;
    RowKernels<float, bf16, bf16> bf16_bf16;
    RowKernels<float, bf16, float> bf16_f32;
    RowKernels<float, f16, f16> f16_f16;
    RowKernels<float, f16, float> f16_f32;
    // The same set with non-temporal store passes (for outputs of stream_threshold() bytes and
    // more), or nullptr where the set has none (generic, NEON: ordinary stores throughout).
    const KernelSet *streamed = nullptr;

    template <class T, class In = T, class Out = T>
    const RowKernels<T, In, Out> &get() const;
};

template <>
inline const RowKernels<float> &KernelSet::get<float>() const { return f32; }
template <>
inline const RowKernels<double> &KernelSet::get<double>() const { return f64; }
template <>
inline const RowKernels<float, bf16, bf16> &KernelSet::get<float, bf16, bf16>() const { return bf16_bf16; }
template <>
inline const RowKernels<float, bf16, float> &KernelSet::get<float, bf16, float>() const { return bf16_f32; }
template <>
inline const RowKernels<float, f16, f16> &KernelSet::get<float, f16, f16>() const { return f16_f16; }
template <>
inline const RowKernels<float, f16, float> &KernelSet::get<float, f16, float>() const { return f16_f32; }

// Defined in generic.cpp (every architecture), avx2.cpp and avx512.cpp (x86-64; to be used only
// where the CPU has the instructions, see find_kernel_set) and neon.cpp (AArch64, where NEON is
// baseline). CMakeLists.txt compiles the files of the target's architecture.
extern const KernelSet kGenericKernels;
#if defined(__x86_64__)
extern const KernelSet kAvx2Kernels;
extern const KernelSet kAvx512Kernels;
extern const KernelSet kAvx512Bf16Kernels;  // "avx512" where the CPU also has AVX512-BF16
#elif defined(__aarch64__)
extern const KernelSet kNeonKernels;
#endif

// The set in use, or nullptr before the first choice (dispatch.cpp makes it when the library is
// loaded). Read inline by active_kernels: a one-row call reads it once, and an out-of-line call
// was a measurable part of a row of 10.
extern std::atomic<const KernelSet *> g_active_set;
// Chooses the set from the CPU and SOFTMAX4J_KERNELS if none is chosen yet; returns the active one.
const KernelSet &choose_active_kernels();

// The set in use: chosen at first use from the CPU and SOFTMAX4J_KERNELS, changed by
// force_kernels.
inline const KernelSet &active_kernels() {
    const KernelSet *set = g_active_set.load(std::memory_order_acquire);
    return set != nullptr ? *set : choose_active_kernels();
}
// ---- non-temporal stores for large outputs
//
// From how many bytes each thread of a call touches (what it reads and what it writes) the
// call writes its results with non-temporal stores: where the caches one thread can count on
// (its L2 and its share of the L3) cannot hold them, the output does not stay in cache for the
// caller anyway, so reading each line before overwriting it (write-allocate) is wasted traffic.
// Like glibc's x86_non_temporal_threshold (compared with a copy's size), derived from the cache
// sizes the CPU reports (kernels/stream.cpp), with kDefaultStreamThreshold where it reports
// none; SOFTMAX4J_STREAM_THRESHOLD (bytes, read once) overrides it.
constexpr int64_t kDefaultStreamThreshold = int64_t(4) << 20;
extern std::atomic<int64_t> g_stream_threshold;  // -1 until derived (at the first large call)
int64_t derive_stream_threshold();
// Inline: every batch reads it, and a short batch's cost is its calls.
inline int64_t stream_threshold() {
    const int64_t t = g_stream_threshold.load(std::memory_order_relaxed);
    return t >= 0 ? t : derive_stream_threshold();
}
// For tests and benchmarks: bytes >= 0 replaces the threshold, bytes < 0 restores the derived one.
void set_stream_threshold(int64_t bytes);

// Rows longer than this keep ordinary stores: a streamed softmax keeps its terms in a scratch row
// instead of y, which for rows of 128,256 floats (512 KB, half the L2 beside the 512 KB of x)
// went back and forth to the L3: 32 x 128,256 took 0.19-0.20 ns per element at 2 threads
// against 0.15 with the terms in y (C API, native/bench). Rows up to here keep them in L1/L2.
constexpr int64_t kStreamRowMax = 8192;

// The kernels of the active set for a call whose threads each touch `bytes` (stream_threshold)
// and that writes rows of n elements: the streamed sibling's from the threshold on, for rows of
// at most kStreamRowMax, where the set has one.
template <class T, class In = T, class Out = T>
const RowKernels<T, In, Out> &kernels_for_output(int64_t bytes, int64_t n) {
    const KernelSet &set = active_kernels();
    if (set.streamed != nullptr && n <= kStreamRowMax && bytes >= stream_threshold())
        return set.streamed->get<T, In, Out>();
    return set.get<T, In, Out>();
}

// Orders this thread's non-temporal stores before whatever follows (the end of the parallel
// region, the return to the caller): they are weakly ordered, and only x86 sets issue them.
inline void store_fence() {
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#endif
}

// The set of that name if this CPU can run it, else nullptr.
const KernelSet *find_kernel_set(const char *name);
// Makes the named set the active one; false (and no change) if unknown or not runnable here.
bool force_kernels(const char *name);

}  // namespace sm4j
