// The row kernels of kernel_set.hpp, written once over the vector wrappers of vec_*.hpp and
// instantiated per instruction set (avx2.cpp, avx512.cpp).
//
// Loop shape: kUnroll independent vectors per step, so that the exp of one overlaps the others
// and the sums have kUnroll independent chains; the last < kUnroll * width elements go one
// vector at a time with masked loads and stores (no scalar tail, no reads past the row). Lanes
// past the end are loaded as m, so that their d is 0 rather than some value outside the domain
// of the exp.
//
// Sums of float terms are kept in float lanes for at most kFlushSteps steps (a handful of
// additions per lane), then widened into double lanes: the throughput of float arithmetic with
// the accuracy of a double sum, even for rows of 10^6 elements.
#pragma once

#include <cstdint>
#include <type_traits>

#include "inline.hpp"
#include "kernel_set.hpp"
#include "simd_exp.hpp"

namespace sm4j::simd {

constexpr int kUnroll = 4;
constexpr int kFlushSteps = 4;

// The exp passes fetch what the row operation reads next while their exps are computed, a step's
// lines per step: the bytes `ahead` bytes past the ones each step reads (RowKernels::exp_sum_store;
// the row functions choose the distance, row_ops.hpp: ahead_bytes). A prefetch is a hint: it loads
// nothing architecturally and cannot fault, so where it reaches past the caller's rows it reads
// no memory of theirs or anyone's.
//
// One step's lines (kUnroll vectors from element i), `ahead` being the loop's x + ahead bytes.
template <class V, class In>
SM4J_INLINE void fetch_ahead(const char *ahead, int64_t i) {
    constexpr int kStepBytes = int(kUnroll * V::kWidth * sizeof(In));
    for (int l = 0; l < kStepBytes; l += 64) __builtin_prefetch(ahead + i * int64_t(sizeof(In)) + l, 0, 3);
}

template <class V>
struct Max {
    // The accumulator second: a NaN element leaves it unchanged.
    static typename V::Reg op(typename V::Reg x, typename V::Reg acc) { return V::max(x, acc); }
    static typename V::T reduce(typename V::Reg v) { return V::reduce_max(v); }
};

template <class V>
struct Min {
    static typename V::Reg op(typename V::Reg x, typename V::Reg acc) { return V::min(x, acc); }
    static typename V::T reduce(typename V::Reg v) { return V::reduce_min(v); }
};

template <class V, class Op, class In>
typename V::T reduce(const In *x, int64_t n, typename V::T fill) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    Reg acc0 = V::set1(fill), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    int64_t i = 0;
    for (; i + kUnroll * W <= n; i += kUnroll * W) {
        acc0 = Op::op(V::load(x + i), acc0);
        acc1 = Op::op(V::load(x + i + W), acc1);
        acc2 = Op::op(V::load(x + i + 2 * W), acc2);
        acc3 = Op::op(V::load(x + i + 3 * W), acc3);
    }
    for (; i < n; i += W) acc0 = Op::op(V::load_first(x + i, V::first(n - i), fill), acc0);
    return Op::reduce(Op::op(Op::op(acc0, acc1), Op::op(acc2, acc3)));
}

template <class V, class In>
typename V::T extreme(const In *x, int64_t n, typename V::T a) {
    using T = typename V::T;
    constexpr T inf = __builtin_inf();
    return a >= T(0) ? reduce<V, Max<V>>(x, n, -inf) : reduce<V, Min<V>>(x, n, inf);
}

// d = a (x - m) of one vector. The exp loops are bound by the FMA pipes, which also do this
// multiplication; a = 1, the common case, gets loops without it (same results: x 1 is exact).
template <class V, bool kUnit>
SM4J_INLINE typename V::Reg scaled_diff(typename V::Reg x, typename V::Reg a, typename V::Reg m) {
    return kUnit ? V::sub(x, m) : V::mul(V::sub(x, m), a);
}

// exp of four vectors of d <= 0: by exp_normal when no lane is below its domain (any row whose
// spread is under 80, 700 in double: nearly every row), else by exp_nonpositive. One branch
// per four vectors, which rows within the domain always take the same way.
template <class V>
SM4J_INLINE void exp4(typename V::Reg &d0, typename V::Reg &d1, typename V::Reg &d2, typename V::Reg &d3) {
    if (any_below_normal<V>(d0, d1, d2, d3)) {
        d0 = exp_nonpositive<V>(d0);
        d1 = exp_nonpositive<V>(d1);
        d2 = exp_nonpositive<V>(d2);
        d3 = exp_nonpositive<V>(d3);
    } else {
        d0 = exp_normal<V>(d0);
        d1 = exp_normal<V>(d1);
        d2 = exp_normal<V>(d2);
        d3 = exp_normal<V>(d3);
    }
}

// exp of one vector (the loops' last vectors, short rows, and the `exp` kernel), by the same
// rule: any_below_normal of one vector is this one compare (NaN lanes are not below either).
template <class V>
SM4J_INLINE typename V::Reg exp1(typename V::Reg d) {
    using C = ExpConstants<typename V::T>;
    return V::any(V::less(d, V::set1(C::kNormalMin))) ? exp_nonpositive<V>(d) : exp_normal<V>(d);
}

template <class V, bool kUnit, class In>
double exp_sum_store_loop(const In *x, typename V::T *y, int64_t n, typename V::T a, typename V::T m,
                          int64_t ahead_bytes) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg va = V::set1(a), vm = V::set1(m), zero = V::set1(0);
    typename V::Acc total = V::acc_zero();
    const char *ahead = reinterpret_cast<const char *>(x) + ahead_bytes;
    int64_t i = 0;
    while (i + kUnroll * W <= n) {
        Reg s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        for (int k = 0; k < kFlushSteps && i + kUnroll * W <= n; ++k, i += kUnroll * W) {
            fetch_ahead<V, In>(ahead, i);
            Reg e0 = scaled_diff<V, kUnit>(V::load(x + i), va, vm);
            Reg e1 = scaled_diff<V, kUnit>(V::load(x + i + W), va, vm);
            Reg e2 = scaled_diff<V, kUnit>(V::load(x + i + 2 * W), va, vm);
            Reg e3 = scaled_diff<V, kUnit>(V::load(x + i + 3 * W), va, vm);
            exp4<V>(e0, e1, e2, e3);
            V::store(y + i, e0);
            V::store(y + i + W, e1);
            V::store(y + i + 2 * W, e2);
            V::store(y + i + 3 * W, e3);
            s0 = V::add(s0, e0);
            s1 = V::add(s1, e1);
            s2 = V::add(s2, e2);
            s3 = V::add(s3, e3);
        }
        total = V::acc_add(total, V::add(V::add(s0, s1), V::add(s2, s3)));
    }
    Reg s = zero;
    for (; i < n; i += W) {
        auto valid = V::first(n - i);
        Reg e = exp1<V>(scaled_diff<V, kUnit>(V::load_first(x + i, valid, m), va, vm));
        V::store_first(y + i, valid, e);
        s = V::add_where(s, valid, e);
    }
    return V::acc_sum(V::acc_add(total, s));
}

template <class V, class In>
double exp_sum_store(const In *x, typename V::T *y, int64_t n, typename V::T a, typename V::T m, int64_t ahead) {
    return a == typename V::T(1) ? exp_sum_store_loop<V, true>(x, y, n, a, m, ahead)
                                 : exp_sum_store_loop<V, false>(x, y, n, a, m, ahead);
}

template <class V, bool kUnit, class In, class Out>
ExpSum exp_sum_ties_loop(const In *x, int64_t n, typename V::T a, typename V::T m, Out *out, bool keep,
                         int64_t ahead_bytes) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg va = V::set1(a), vm = V::set1(m), zero = V::set1(0);
    typename V::Acc total = V::acc_zero();
    int64_t counted = 0;  // terms that are not ties
    // d = x - m goes to out where the later pass can take it as it is (kernel_set.hpp): a = 1, out
    // in T. With a != 1 that pass's d - c could be fused with the multiplication into one
    // rounding, which a stored product would not give.
    constexpr bool kStorable = kUnit && std::is_same_v<Out, typename V::T>;
    const bool store = kStorable && keep && out != nullptr, touch = !store && out != nullptr;
    const char *ahead = reinterpret_cast<const char *>(x) + ahead_bytes;
    int64_t i = 0;
    while (i + kUnroll * W <= n) {
        Reg s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        for (int k = 0; k < kFlushSteps && i + kUnroll * W <= n; ++k, i += kUnroll * W) {
            fetch_ahead<V, In>(ahead, i);
            if (touch) {  // one prefetch per cache line of this step's outputs
                for (int l = 0; l < int(kUnroll * W * sizeof(Out)); l += 64)
                    __builtin_prefetch(reinterpret_cast<char *>(out + i) + l, 1, 3);
            }
            Reg d0 = scaled_diff<V, kUnit>(V::load(x + i), va, vm);
            Reg d1 = scaled_diff<V, kUnit>(V::load(x + i + W), va, vm);
            Reg d2 = scaled_diff<V, kUnit>(V::load(x + i + 2 * W), va, vm);
            Reg d3 = scaled_diff<V, kUnit>(V::load(x + i + 3 * W), va, vm);
            if constexpr (kStorable) {
                if (store) {
                    V::store(out + i, d0);
                    V::store(out + i + W, d1);
                    V::store(out + i + 2 * W, d2);
                    V::store(out + i + 3 * W, d3);
                }
            }
            auto k0 = V::nonzero(d0), k1 = V::nonzero(d1), k2 = V::nonzero(d2), k3 = V::nonzero(d3);
            exp4<V>(d0, d1, d2, d3);
            s0 = V::add_where(s0, k0, d0);
            s1 = V::add_where(s1, k1, d1);
            s2 = V::add_where(s2, k2, d2);
            s3 = V::add_where(s3, k3, d3);
            counted += V::count(k0) + V::count(k1) + V::count(k2) + V::count(k3);
        }
        total = V::acc_add(total, V::add(V::add(s0, s1), V::add(s2, s3)));
    }
    Reg s = zero;
    for (; i < n; i += W) {
        auto valid = V::first(n - i);
        Reg d = scaled_diff<V, kUnit>(V::load_first(x + i, valid, m), va, vm);
        if constexpr (kStorable) {
            if (store) V::store_first(out + i, valid, d);
        }
        auto k = V::mask_and(V::nonzero(d), valid);
        s = V::add_where(s, k, exp1<V>(d));
        counted += V::count(k);
    }
    return {V::acc_sum(V::acc_add(total, s)), n - counted};
}

template <class V, class In, class Out>
ExpSum exp_sum_ties(const In *x, int64_t n, typename V::T a, typename V::T m, Out *out, bool keep,
                    int64_t ahead) {
    return a == typename V::T(1) ? exp_sum_ties_loop<V, true>(x, n, a, m, out, keep, ahead)
                                 : exp_sum_ties_loop<V, false>(x, n, a, m, out, keep, ahead);
}

// ---- store passes: ordinary or non-temporal stores (streamed sets, kernel_set.hpp)
//
// A store pass writes each result once and does not read it back, so on an output larger than
// the caches a non-temporal store saves the read of each line that an ordinary store makes
// before writing it (write-allocate): a third of the traffic of a pass that reads one row and
// writes another. Only the store instruction differs, never the arithmetic: the same bits.
template <class V>
struct PlainStores {
    template <class Out>
    static void put(Out *p, typename V::Reg v) { V::store(p, v); }
    // A run's last vector, lanes `valid` (full: all of them).
    template <class Out>
    static void put_last(Out *p, typename V::Mask valid, bool, typename V::Reg v) { V::store_first(p, valid, v); }
};

// Used only on the lines store_pass hands it: p is then aligned to the vector's size.
template <class V>
struct StreamStores {
    template <class Out>
    static void put(Out *p, typename V::Reg v) { V::stream(p, v); }
    template <class Out>
    static void put_last(Out *p, typename V::Mask valid, bool full, typename V::Reg v) {
        if (full) return V::stream(p, v);
        V::store_first(p, valid, v);
    }
};

// The store passes (scale, shift_scale, shift_stored, fill) write from the output's first 64-byte
// boundary on: a Java array's data is not on one (a large array's starts 16 bytes into a line,
// and rows of 1000 floats alternate between two offsets), and there each 64-byte vector store
// straddles two lines. These passes are light and bound by their stores, so that cost shows:
// log-softmax's pass, split this way in its caller, went from 1.03-1.24x softmax's time to
// 0.98-1.01x (4096 x 1000 float32 from 16 bytes into a line, C API, 1 thread); softmax's scale
// pass was level with it in JMH (docs/results/2026-12-01-align). The exp passes are not split:
// they also sum, and a split at y's boundary would make the sum's bits depend on y's address.
//
// The elements of y before that boundary (at most n; none if y is on one, or is not aligned to
// its element type, where no vector store lines up anyway). Templated on V as well: an inline
// function shared by files with different target flags must not become one weak symbol.
template <class V, class Out>
SM4J_INLINE int64_t before_line(const Out *y, int64_t n) {
    const auto off = reinterpret_cast<uintptr_t>(y) % 64;
    if (off == 0 || off % sizeof(Out) != 0) return 0;
    const auto h = int64_t((64 - off) / sizeof(Out));
    return h < n ? h : n;
}

// Runs pass(b, e, stores) to write y[b, e) over all of y[0, n): the elements before y's first
// 64-byte boundary by themselves, then the rest from the boundary on (each pass runs its unrolled
// steps from b, then its masked last vectors). With kStream, the whole lines from the boundary
// on with streaming stores, the elements after the last whole line with ordinary ones; a line
// holds a whole number of vectors of every set, so the streamed vectors are all full. The passes
// compute each element on its own, so where the groups of vectors begin changes no bit.
template <class V, bool kStream, class Out, class Pass>
SM4J_INLINE void store_pass(Out *y, int64_t n, Pass pass) {
    const int64_t head = before_line<V>(y, n);
    if (head > 0) pass(int64_t(0), head, PlainStores<V>{});
    if constexpr (!kStream) {
        if (head < n) pass(head, n, PlainStores<V>{});
    } else {
        // Whole lines from the boundary on; none where y is not aligned to its element type.
        constexpr int64_t kLine = 64 / int64_t(sizeof(Out));
        const bool on_line = reinterpret_cast<uintptr_t>(y + head) % 64 == 0;
        const int64_t lines = on_line ? (n - head) / kLine * kLine : 0;
        if (lines > 0) pass(head, head + lines, StreamStores<V>{});
        if (head + lines < n) pass(head + lines, n, PlainStores<V>{});
    }
}

template <class V, bool kStream, class Out>
void scale(const typename V::T *t, Out *y, int64_t n, typename V::T c) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg vc = V::set1(c);
    store_pass<V, kStream>(y, n, [&](int64_t b, int64_t e, auto stores) {
        using S = decltype(stores);
        int64_t i = b;
        for (; i + kUnroll * W <= e; i += kUnroll * W) {
            S::put(y + i, V::mul(V::load(t + i), vc));
            S::put(y + i + W, V::mul(V::load(t + i + W), vc));
            S::put(y + i + 2 * W, V::mul(V::load(t + i + 2 * W), vc));
            S::put(y + i + 3 * W, V::mul(V::load(t + i + 3 * W), vc));
        }
        for (; i < e; i += W) {
            auto valid = V::first(e - i);
            S::put_last(y + i, valid, e - i >= W, V::mul(V::load_first(t + i, valid, 0), vc));
        }
    });
}

// y = v: the masked entries of the attention softmax (attention.cpp), in streamed sets only.
template <class V, bool kStream, class Out>
void fill(Out *y, int64_t n, typename V::T v) {
    constexpr int W = V::kWidth;
    const typename V::Reg vv = V::set1(v);
    store_pass<V, kStream>(y, n, [&](int64_t b, int64_t e, auto stores) {
        using S = decltype(stores);
        for (int64_t i = b; i < e; i += W) S::put_last(y + i, V::first(e - i), e - i >= W, vv);
    });
}

// y = a (x - m) - c. x - m overflows for finite x and m of opposite signs near the largest
// value, giving d = -inf where a x - a m is finite (and has no cancellation there). Such rows
// are rare, so the test is one compare per kUnroll vectors, on their lowest d, before anything
// is stored (x may be y); the masked vectors always repair. For a = 1 there is nothing to
// repair: a x - a m is x - m itself (even fused into one FMA), so those loops skip the test.
// kStored (a = 1 only): d is read from y, where exp_sum_ties left x - m (Out T, x not y); the
// same d, so the same bits.
//
// The test is a shortcut only, so where store_pass's groups begin changes no bit: repair is per
// element and the identity where it does not apply (a select on infinite d, finite x, finite
// a x - a m), so repairing a group that needs none changes nothing. The one d = -inf the test
// can miss is one whose lane holds a NaN d in another vector of the group (min returns its
// second operand on NaN); but a NaN d is a NaN term of the sum (exp_sum_ties computes the same
// d), so c is NaN and every output is NaN - that is, c's NaN, or d's where d is NaN, however d
// was repaired.
template <class V, bool kStream, bool kUnit, bool kStored, class In, class Out>
void shift_scale_loop(const In *x, Out *y, int64_t n, typename V::T a, typename V::T m, typename V::T c) {
    static_assert(kUnit || !kStored, "d is stored for a = 1 only");
    using Reg = typename V::Reg;
    using T = typename V::T;
    constexpr int W = V::kWidth;
    const Reg va = V::set1(a), vm = V::set1(m), vc = V::set1(c), vam = V::set1(a * m);
    const Reg minus_inf = V::set1(-T(__builtin_inf()));
    // Where x - m overflowed for a finite x, a x - a m is the value; but only where that is an
    // ordinary number: if a x and a m overflow too, d's -inf is the true value and their
    // difference would be NaN, or +inf once the compiler fuses it into one FMA.
    auto repair = [&](Reg v, Reg d) {
        Reg r = V::sub(V::mul(v, va), vam);
        auto use = V::mask_and(V::mask_and(V::infinite(d), V::finite(v)), V::finite(r));
        return V::select(use, r, d);
    };
    auto diff = [&](int64_t j) {
        if constexpr (kStored) {
            return V::load(y + j);
        } else {
            return scaled_diff<V, kUnit>(V::load(x + j), va, vm);
        }
    };
    store_pass<V, kStream>(y, n, [&](int64_t b, int64_t e, auto stores) {
        using S = decltype(stores);
        int64_t i = b;
        for (; i + kUnroll * W <= e; i += kUnroll * W) {
            Reg d0 = diff(i), d1 = diff(i + W), d2 = diff(i + 2 * W), d3 = diff(i + 3 * W);
            if constexpr (!kUnit) {
                if (V::any(V::equal(V::min(V::min(d0, d1), V::min(d2, d3)), minus_inf))) {
                    d0 = repair(V::load(x + i), d0);
                    d1 = repair(V::load(x + i + W), d1);
                    d2 = repair(V::load(x + i + 2 * W), d2);
                    d3 = repair(V::load(x + i + 3 * W), d3);
                }
            }
            S::put(y + i, V::sub(d0, vc));
            S::put(y + i + W, V::sub(d1, vc));
            S::put(y + i + 2 * W, V::sub(d2, vc));
            S::put(y + i + 3 * W, V::sub(d3, vc));
        }
        for (; i < e; i += W) {
            auto valid = V::first(e - i);
            Reg d;
            if constexpr (kStored) {
                d = V::load_first(y + i, valid, 0);
            } else {
                d = scaled_diff<V, kUnit>(V::load_first(x + i, valid, m), va, vm);
            }
            if constexpr (!kUnit) d = repair(V::load_first(x + i, valid, m), d);
            S::put_last(y + i, valid, e - i >= W, V::sub(d, vc));
        }
    });
}

template <class V, bool kStream, class In, class Out>
void shift_scale(const In *x, Out *y, int64_t n, typename V::T a, typename V::T m, typename V::T c) {
    a == typename V::T(1) ? shift_scale_loop<V, kStream, true, false>(x, y, n, a, m, c)
                          : shift_scale_loop<V, kStream, false, false>(x, y, n, a, m, c);
}

// Where exp_sum_ties stored nothing (a != 1, or a 16-bit output), shift_scale itself.
template <class V, bool kStream, class In, class Out>
void shift_stored(const In *x, Out *y, int64_t n, typename V::T a, typename V::T m, typename V::T c) {
    if constexpr (std::is_same_v<Out, typename V::T>) {
        if (a == typename V::T(1)) return shift_scale_loop<V, kStream, true, true>(x, y, n, a, m, c);
    }
    shift_scale<V, kStream>(x, y, n, a, m, c);
}

template <class V>
void exp(const typename V::T *x, typename V::T *y, int64_t n) {
    constexpr int W = V::kWidth;
    for (int64_t i = 0; i < n; i += W) {
        auto valid = V::first(n - i);
        V::store_first(y + i, valid, exp1<V>(V::load_first(x + i, valid, 0)));
    }
}

// ---- rows of up to two vectors (RowKernels::softmax_small, partial_small)

// A short row in registers: lanes [0, n) valid, the rest to be ignored. In: the row's storage,
// widened as it is loaded. The lanes past n are loaded as extreme()'s fill for the sign of a
// (-inf for a >= 0), as it loads a row's last vector, until dominant() sets them.
template <class V, class In>
struct ShortRow {
    typename V::Mask valid0, valid1;  // valid1 is empty for n <= W
    typename V::Reg x0, x1;
    bool two;

    ShortRow(const In *x, int64_t n, typename V::T a)
        : valid0(V::first(n)), valid1(V::first(n > V::kWidth ? n - V::kWidth : 0)), two(n > V::kWidth) {
        const typename V::T fill = a >= typename V::T(0) ? -__builtin_inf() : __builtin_inf();
        x0 = V::load_first(x, valid0, fill);
        x1 = two ? V::load_first(x + V::kWidth, valid1, fill) : x0;
    }

    // The dominant value of a x, as extreme() finds it (the same lane operations, so the same
    // value, signed zeros included); then the pair's rule: it replaces floor only where it
    // dominates it (dominance() in ../row_ops.hpp). Loads the invalid lanes with the result,
    // as the kernels load a row's last vector, so that their d is 0.
    typename V::T dominant(typename V::T a, typename V::T floor) {
        using T = typename V::T;
        constexpr T inf = __builtin_inf();
        const bool up = a >= T(0);
        const typename V::Reg fill = V::set1(up ? -inf : inf);
        // extreme() forms max(x1, max(x0, fill)) lane by lane (NaN lanes leave the accumulator);
        // max(max(x1, fill), max(x0, fill)) is the same lane, signed zeros included: where x1 is
        // NaN or the fill, both give max(x0, fill); elsewhere max(x1, fill) is x1. The two
        // halves then do not wait for each other.
        typename V::Reg acc = up ? V::max(x0, fill) : V::min(x0, fill);
        if (two) acc = up ? V::max(V::max(x1, fill), acc) : V::min(V::min(x1, fill), acc);
        const T bm = up ? V::reduce_max(acc) : V::reduce_min(acc);
        const T m = double(a) * (double(bm) - double(floor)) > 0 ? bm : floor;
        const typename V::Reg vm = V::set1(m);
        x0 = V::select(valid0, x0, vm);
        x1 = V::select(valid1, x1, vm);
        return m;
    }
};

// Both loops are inlined (a = 1 and a != 1): an out-of-line one took the row through memory and
// made its caller realign the stack for it.
//
// The sums below are exp_sum_store's and exp_sum_ties's for their last vectors, less two exact
// additions of zero: the first vector's terms are taken as they are (0 + e is e: no term is -0),
// and the float lanes go to V::widened_sum, which adds them as acc_sum(acc_add(acc_zero(), s)).
template <class V, bool kUnit, class In, class Out>
SM4J_INLINE void softmax_small_loop(ShortRow<V, In> &r, Out *y, typename V::T a, typename V::T m) {
    using Reg = typename V::Reg;
    const Reg va = V::set1(a), vm = V::set1(m);
    // exp_sum_store's last vectors, then scale's: y = e * T(1 / sum), narrowed once as it is
    // stored (the float terms stay in registers, as the scratch row holds them for long rows).
    Reg e0 = exp1<V>(scaled_diff<V, kUnit>(r.x0, va, vm));
    Reg s = V::select(r.valid0, e0, V::set1(0));
    Reg e1 = e0;
    if (r.two) {
        e1 = exp1<V>(scaled_diff<V, kUnit>(r.x1, va, vm));
        s = V::add_where(s, r.valid1, e1);
    }
    const double sum = V::widened_sum(s);
    const Reg c = V::set1(typename V::T(1.0 / sum));
    V::store_first(y, r.valid0, V::mul(e0, c));
    if (r.two) V::store_first(y + V::kWidth, r.valid1, V::mul(e1, c));
}

template <class V, class In, class Out>
void softmax_small(const In *x, Out *y, int64_t n, typename V::T a, typename V::T floor) {
    ShortRow<V, In> r(x, n, a);
    const typename V::T m = r.dominant(a, floor);
    a == typename V::T(1) ? softmax_small_loop<V, true>(r, y, a, m) : softmax_small_loop<V, false>(r, y, a, m);
}

template <class V, bool kUnit, class In>
SM4J_INLINE ExpSum partial_small_loop(const ShortRow<V, In> &r, typename V::T a, typename V::T m, int64_t n) {
    using Reg = typename V::Reg;
    const Reg va = V::set1(a), vm = V::set1(m);
    // exp_sum_ties's last vectors.
    Reg d = scaled_diff<V, kUnit>(r.x0, va, vm);
    auto k = V::mask_and(V::nonzero(d), r.valid0);
    Reg s = V::select(k, exp1<V>(d), V::set1(0));
    int64_t counted = V::count(k);
    if (r.two) {
        d = scaled_diff<V, kUnit>(r.x1, va, vm);
        k = V::mask_and(V::nonzero(d), r.valid1);
        s = V::add_where(s, k, exp1<V>(d));
        counted += V::count(k);
    }
    return {V::widened_sum(s), n - counted};
}

template <class V, class In>
ExpSum partial_small(const In *x, int64_t n, typename V::T a, typename V::T *m) {
    ShortRow<V, In> r(x, n, a);
    *m = r.dominant(a, *m);
    return a == typename V::T(1) ? partial_small_loop<V, true>(r, a, *m, n) : partial_small_loop<V, false>(r, a, *m, n);
}

// In, Out: the storage of the rows (kernel_set.hpp); the wrapper's load and store of In and Out
// widen and narrow in registers. kStream: the streamed table, whose store passes (scale,
// shift_scale, shift_stored, fill) use non-temporal stores.
template <class V, class In = typename V::T, class Out = typename V::T, bool kStream = false>
constexpr RowKernels<typename V::T, In, Out> row_kernels() {
    return {&extreme<V, In>,
            &exp_sum_store<V, In>,
            &exp_sum_ties<V, In, Out>,
            &scale<V, kStream, Out>,
            &shift_scale<V, kStream, In, Out>,
            &shift_stored<V, kStream, In, Out>,
            &exp<V>,
            &softmax_small<V, In, Out>,
            &partial_small<V, In>,
            2 * V::kWidth,
            kStream ? &fill<V, kStream, Out> : nullptr,
            kStream};
}

// A set's tables for every storage (KernelSet), from its float and double wrappers; with
// kStream, its streamed sibling (KernelSet::streamed).
template <class F32, class F64, bool kStream = false>
constexpr KernelSet kernel_set(const char *name, const KernelSet *streamed = nullptr) {
    return {name,
            row_kernels<F32, float, float, kStream>(),
            row_kernels<F64, double, double, kStream>(),
            row_kernels<F32, bf16, bf16, kStream>(),
            row_kernels<F32, bf16, float, kStream>(),
            row_kernels<F32, f16, f16, kStream>(),
            row_kernels<F32, f16, float, kStream>(),
            streamed};
}

}  // namespace sm4j::simd
