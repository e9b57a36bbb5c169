// The sampler kernels of sample_kernels.hpp, written once over the vector wrappers of vec_*.hpp
// plus the few operations of sample_avx2.cpp / sample_avx512.cpp (ge, bad, append, the int64
// accumulator), and instantiated per instruction set. Every element's result is the generic
// kernel's, bit for bit: the weight is the sequence of ../sampler/weight_spec.hpp, one IEEE
// operation per wrapper call (V::fma where it says fma), in a translation unit compiled with
// -ffp-contract=off.
#pragma once

#include <cstdint>
#include <limits>

#include "../sampler/weight_spec.hpp"
#include "inline.hpp"
#include "sample_kernels.hpp"

namespace sm4j::simd::sample {

// Four vectors per step, one compare each: a row with few hits (the common case once the
// threshold has risen) costs a load, a compare and a branch per vector. The compare, not less
// than t or unordered, holds for every hit and every bad lane (NaN; +inf is >= any t), so only
// the vectors where it holds are told apart.
template <class V>
Collected collect_ge(const typename V::T *x, int64_t n, typename V::T t, int64_t base,
                     typename V::T *vals, int32_t *ids, int64_t room, bool *bad) {
    using Reg = typename V::Reg;
    using Mask = typename V::Mask;
    constexpr int W = V::kWidth;
    const Reg vt = V::set1(t);
    Mask badm = V::no_lanes();
    int64_t i = 0, count = 0;
    const int64_t limit = room - kCollectSlack;  // an append may start while count <= limit
    while (i + 4 * W <= n) {
        const Reg v0 = V::load(x + i), v1 = V::load(x + i + W);
        const Reg v2 = V::load(x + i + 2 * W), v3 = V::load(x + i + 3 * W);
        const Mask c0 = V::nlt(v0, vt), c1 = V::nlt(v1, vt), c2 = V::nlt(v2, vt), c3 = V::nlt(v3, vt);
        if (V::any(V::mask_or(V::mask_or(c0, c1), V::mask_or(c2, c3)))) {
            const Reg vs[4] = {v0, v1, v2, v3};
            const Mask cs[4] = {c0, c1, c2, c3};
            for (int k = 0; k < 4; ++k) {
                if (count > limit) {
                    i += k * W;
                    goto done;
                }
                if (V::any(cs[k])) {
                    badm = V::mask_or(badm, V::bad(vs[k]));
                    const Mask m = V::ge(vs[k], vt);
                    if (V::any(m)) count += V::append(vals + count, ids + count, m, vs[k], base + i + k * W);
                }
            }
        }
        i += 4 * W;
    }
    for (; i < n; i += W) {
        if (count > limit) break;
        const auto valid = V::first(n - i);
        const Reg v = V::load_first(x + i, valid, typename V::T(0));
        badm = V::mask_or(badm, V::mask_and(V::bad(v), valid));
        const Mask m = V::mask_and(V::ge(v, vt), valid);
        if (V::any(m)) count += V::append(vals + count, ids + count, m, v, base + i);
    }
done:
    if (V::any(badm)) *bad = true;
    return {i < n ? i : n, count};
}

// ws = scaled_weight(d, s) for each lane (weight_spec.hpp), step for step. kAnyD = false is for
// a caller that promises d <= 0 or NaN (every x <= m, a >= 0) and uses only trunc(ws) and
// comparisons with thresholds >= 1: then the clamp at 0 changes nothing, and the lanes below kMin
// need not be zeroed, since clamped to kMin they weigh e^kMin 2^s < 2^-6 (s <= 51), whose trunc is
// 0 as well: two operations fewer per vector, the same integer weights and the same lanes >= 1.
// Always inlined: GCC 12 inlined it in the avx512 set but left it out of line in avx2, one call
// per vector of the weighing loops (16 call sites); inlined, sampling at T = 1 takes 21% fewer
// instructions there (callgrind, one row of 128,256; docs/results/2026-12-02-avx2).
template <class V, bool kAnyD = true>
SM4J_INLINE typename V::Reg weight(typename V::Reg d, typename V::Reg s) {
    using S = sampling::WeightSpec<typename V::T>;
    using Reg = typename V::Reg;
    using T = typename V::T;
    // max gives its second operand for a NaN first one: NaN becomes kMin, then weighs 0.
    Reg dc = V::max(d, V::set1(S::kMin));
    if constexpr (kAnyD) dc = V::min(dc, V::set1(T(0)));
    const Reg t = V::fma(dc, V::set1(S::kLog2e16), V::set1(S::kShifter));
    const Reg nf = V::sub(t, V::set1(S::kShifter));
    Reg r = V::fma(nf, V::set1(-S::kLn2Hi), dc);
    r = V::fma(nf, V::set1(-S::kLn2Lo), r);
    Reg q = V::set1(S::kPoly[0]);
    for (int i = 1; i < S::kTerms; ++i) q = V::fma(q, r, V::set1(S::kPoly[i]));
    q = V::mul(q, r);
    const Reg tj = V::lookup16(S::kPow2, t);
    const Reg w0 = V::fma(tj, q, tj);
    // w0 2^(floor(N/16) + s), exact: each set builds the power of two its cheapest way.
    const Reg ws = V::scale_weight(w0, t, nf, s);
    if constexpr (kAnyD) return V::zero_unless(V::ge(d, V::set1(S::kMin)), ws);
    return ws;
}

// One vector of weights: stored, summed, and its lanes >= t appended, as the flags ask.
template <class V, bool kStore, bool kCollect>
inline void take(typename V::Reg w, typename V::T *ws, int64_t i, typename V::QAcc &acc,
                 typename V::Reg vt, typename V::T *vals, int32_t *ids, int64_t limit, Weighed &out) {
    if constexpr (kStore) V::store(ws + i, w);
    acc = V::qacc_add(acc, w);
    if constexpr (kCollect) {
        const auto hit = V::ge(w, vt);
        if (V::any(hit)) {
            if (out.count <= limit) {
                out.count += V::append(vals + out.count, ids + out.count, hit, w, i);
            } else {
                out.overflow = true;
            }
        }
    }
}

template <class V, bool kUnit, bool kStore, bool kCollect>
Weighed weigh_loop(const typename V::T *x, int64_t n, typename V::T m, typename V::T a, int s,
                   typename V::T *ws, int64_t *block_sums, typename V::T t, typename V::T *vals,
                   int32_t *ids, int64_t room) {
    using Reg = typename V::Reg;
    using T = typename V::T;
    constexpr int W = V::kWidth;
    static_assert(kSumBlock % (4 * W) == 0, "blocks are whole steps");
    const Reg vm = V::set1(m), va = V::set1(a), vs = V::set1(T(s)), vt = V::set1(t);
    const int64_t limit = room - kCollectSlack;
    auto d_of = [&](Reg v) { return kUnit ? V::sub(v, vm) : V::mul(V::sub(v, vm), va); };
    Weighed out{0, 0, false};
    for (int64_t b = 0; b < n; b += kSumBlock) {
        const int64_t end = b + kSumBlock < n ? b + kSumBlock : n;
        auto acc0 = V::qacc_zero(), acc1 = V::qacc_zero();
        int64_t i = b;
        // Four independent vectors per step: each weight is a chain of ~25 dependent operations,
        // and two per step left the FP pipes half idle (0.40 ns per element; four: see below).
        for (; i + 4 * W <= end; i += 4 * W) {
            const Reg w0 = weight<V>(d_of(V::load(x + i)), vs);
            const Reg w1 = weight<V>(d_of(V::load(x + i + W)), vs);
            const Reg w2 = weight<V>(d_of(V::load(x + i + 2 * W)), vs);
            const Reg w3 = weight<V>(d_of(V::load(x + i + 3 * W)), vs);
            take<V, kStore, kCollect>(w0, ws, i, acc0, vt, vals, ids, limit, out);
            take<V, kStore, kCollect>(w1, ws, i + W, acc1, vt, vals, ids, limit, out);
            take<V, kStore, kCollect>(w2, ws, i + 2 * W, acc0, vt, vals, ids, limit, out);
            take<V, kStore, kCollect>(w3, ws, i + 3 * W, acc1, vt, vals, ids, limit, out);
        }
        for (; i < end; i += W) {
            const auto valid = V::first(end - i);
            const Reg w = V::zero_unless(valid, weight<V>(d_of(V::load_first(x + i, valid, m)), vs));
            if constexpr (kStore) V::store_first(ws + i, valid, w);
            acc0 = V::qacc_add(acc0, w);
            if constexpr (kCollect) {
                const auto hit = V::mask_and(V::ge(w, vt), valid);
                if (V::any(hit)) {
                    if (out.count <= limit) {
                        out.count += V::append(vals + out.count, ids + out.count, hit, w, i);
                    } else {
                        out.overflow = true;
                    }
                }
            }
        }
        const int64_t sum = V::qacc_sum(V::qacc_merge(acc0, acc1));
        if (block_sums != nullptr) block_sums[b / kSumBlock] = sum;
        out.total += sum;
    }
    return out;
}

template <class V, bool kUnit>
Weighed weigh_unit(const typename V::T *x, int64_t n, typename V::T m, typename V::T a, int s,
                   typename V::T *ws, int64_t *block_sums, typename V::T t, typename V::T *vals,
                   int32_t *ids, int64_t room) {
    if (ws != nullptr) {
        return vals != nullptr ? weigh_loop<V, kUnit, true, true>(x, n, m, a, s, ws, block_sums, t, vals, ids, room)
                               : weigh_loop<V, kUnit, true, false>(x, n, m, a, s, ws, block_sums, t, vals, ids, room);
    }
    return vals != nullptr ? weigh_loop<V, kUnit, false, true>(x, n, m, a, s, ws, block_sums, t, vals, ids, room)
                           : weigh_loop<V, kUnit, false, false>(x, n, m, a, s, ws, block_sums, t, vals, ids, room);
}

template <class V>
Weighed weigh(const typename V::T *x, int64_t n, typename V::T m, typename V::T a, int s,
              typename V::T *ws, int64_t *block_sums, typename V::T t, typename V::T *vals,
              int32_t *ids, int64_t room) {
    return a == typename V::T(1) ? weigh_unit<V, true>(x, n, m, a, s, ws, block_sums, t, vals, ids, room)
                                 : weigh_unit<V, false>(x, n, m, a, s, ws, block_sums, t, vals, ids, room);
}

template <class V>
int64_t mass_ge(const typename V::T *ws, int64_t n, typename V::T t) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg vt = V::set1(t);
    auto acc0 = V::qacc_zero(), acc1 = V::qacc_zero();
    int64_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        const Reg w0 = V::load(ws + i), w1 = V::load(ws + i + W);
        acc0 = V::qacc_add(acc0, V::zero_unless(V::ge(w0, vt), w0));
        acc1 = V::qacc_add(acc1, V::zero_unless(V::ge(w1, vt), w1));
    }
    for (; i < n; i += W) {
        const auto valid = V::first(n - i);
        const Reg w = V::load_first(ws + i, valid, typename V::T(0));
        acc0 = V::qacc_add(acc0, V::zero_unless(V::mask_and(V::ge(w, vt), valid), w));
    }
    return V::qacc_sum(V::qacc_merge(acc0, acc1));
}

template <class V>
Weighed bracket(const typename V::T *ws, int64_t n, typename V::T a, typename V::T b, typename V::T b_le,
                typename V::T *vals) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg va = V::set1(a), vb = V::set1(b), vle = V::set1(b_le);
    auto acc = V::qacc_zero(), acc1 = V::qacc_zero();
    Weighed out{0, 0, false};
    int64_t i = 0;
    // No branch on the members: on a whole row of weights about half the vectors hold one (a
    // bracket of ~5% of the tokens), and the mispredicted branch cost more than the append.
    for (; i + 2 * W <= n; i += 2 * W) {
        const Reg w0 = V::load(ws + i), w1 = V::load(ws + i + W);
        acc = V::qacc_add(acc, V::zero_unless(V::ge(w0, vb), w0));
        acc1 = V::qacc_add(acc1, V::zero_unless(V::ge(w1, vb), w1));
        const auto in0 = V::mask_and(V::ge(w0, va), V::ge(vle, w0));
        const auto in1 = V::mask_and(V::ge(w1, va), V::ge(vle, w1));
        out.count += V::append_vals(vals + out.count, in0, w0);
        out.count += V::append_vals(vals + out.count, in1, w1);
    }
    acc = V::qacc_merge(acc, acc1);
    for (; i < n; i += W) {
        const auto valid = V::first(n - i);
        const Reg w = V::load_first(ws + i, valid, typename V::T(0));
        acc = V::qacc_add(acc, V::zero_unless(V::mask_and(V::ge(w, vb), valid), w));
        const auto in = V::mask_and(V::mask_and(V::ge(w, va), V::ge(vle, w)), valid);
        if (V::any(in)) out.count += V::append_vals(vals + out.count, in, w);
    }
    out.total = V::qacc_sum(acc);
    return out;
}

// Whole steps of 4 vectors are summed at once (one horizontal sum per step); the step where the
// sum passes r is walked element by element.
template <class V>
int64_t draw_at(const typename V::T *ws, int64_t n, typename V::T t, int64_t r) {
    using Reg = typename V::Reg;
    constexpr int W = V::kWidth;
    const Reg vt = V::set1(t);
    int64_t acc = 0, i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        auto q = V::qacc_zero();
        for (int k = 0; k < 4; ++k) {
            const Reg w = V::load(ws + i + k * W);
            q = V::qacc_add(q, V::zero_unless(V::ge(w, vt), w));
        }
        const int64_t step = V::qacc_sum(q);
        if (r < acc + step) break;
        acc += step;
    }
    for (; i < n; ++i) {
        if (ws[i] >= t) {
            acc += int64_t(ws[i]);
            if (r < acc) return i;
        }
    }
    return n;
}

// The members' compress, and the rest added in T: one masked add per vector instead of
// a conversion of every weight to int64 (two conversions and two adds on AVX-512). Each of four accumulators takes at most 4 vectors (3 roundings;
// the first add is to 0), they are added in a tree (2 more), and each group's lanes then go
// into double accumulators (exact conversions; then one rounding of 2^-53 per group of up to 16
// vectors). For float: at most 5 roundings of 2^-24 and n roundings of 2^-53 on any path,
// within kRestError = 2^-20 (5 2^-24 + 2^31 2^-53 < 2^-21); double lanes are far inside it.
template <class V, bool kUnit>
Kept weigh_keep_loop(const typename V::T *x, int64_t n, typename V::T m, typename V::T a, int s,
                     typename V::T lo, typename V::T *vals, int64_t *block_end) {
    using Reg = typename V::Reg;
    using T = typename V::T;
    constexpr int W = V::kWidth;
    static_assert(kSumBlock % (16 * W) == 0, "blocks are whole groups");
    const Reg vm = V::set1(m), va = V::set1(a), vs = V::set1(T(s)), vlo = V::set1(lo);
    auto d_of = [&](Reg v) { return kUnit ? V::sub(v, vm) : V::mul(V::sub(v, vm), va); };
    Kept out{0, 0};
    auto rest = V::acc_zero();
    auto take = [&](Reg w, Reg &acc) {
        const auto in = V::ge(w, vlo);
        acc = V::add_outside(acc, in, w);
        out.count += V::append_vals(vals + out.count, in, w);
    };
    for (int64_t j = 0; j < n; j += kSumBlock) {
        const int64_t end = j + kSumBlock < n ? j + kSumBlock : n;
        int64_t i = j;
        while (i + 4 * W <= end) {
            // A group of up to 4 steps of four independent weights, as in weigh_loop; x <= m, so the
            // weight's cheaper form serves (weight<V, false>: the same integer weights, lo >= 1).
            Reg r0 = V::set1(T(0)), r1 = r0, r2 = r0, r3 = r0;
            for (int g = 0; g < 4 && i + 4 * W <= end; ++g, i += 4 * W) {
                const Reg w0 = weight<V, false>(d_of(V::load(x + i)), vs);
                const Reg w1 = weight<V, false>(d_of(V::load(x + i + W)), vs);
                const Reg w2 = weight<V, false>(d_of(V::load(x + i + 2 * W)), vs);
                const Reg w3 = weight<V, false>(d_of(V::load(x + i + 3 * W)), vs);
                take(w0, r0);
                take(w1, r1);
                take(w2, r2);
                take(w3, r3);
            }
            rest = V::acc_add(rest, V::add(V::add(r0, r1), V::add(r2, r3)));
        }
        for (; i < end; i += W) {
            const auto valid = V::first(end - i);
            Reg r = V::set1(T(0));
            take(V::zero_unless(valid, weight<V, false>(d_of(V::load_first(x + i, valid, m)), vs)), r);
            rest = V::acc_add(rest, r);
        }
        block_end[j / kSumBlock] = out.count;
    }
    out.rest = V::acc_sum(rest);
    return out;
}

template <class V>
Kept weigh_keep(const typename V::T *x, int64_t n, typename V::T m, typename V::T a, int s, typename V::T lo,
                typename V::T *vals, int64_t *block_end) {
    using T = typename V::T;
    return a == T(1) ? weigh_keep_loop<V, true>(x, n, m, a, s, lo, vals, block_end)
                     : weigh_keep_loop<V, false>(x, n, m, a, s, lo, vals, block_end);
}

template <class V>
constexpr SampleKernels<typename V::T> sample_kernels() {
    return {&collect_ge<V>, &weigh<V>, &mass_ge<V>, &bracket<V>, &draw_at<V>, &weigh_keep<V>};
}

}  // namespace sm4j::simd::sample
