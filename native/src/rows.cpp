// The row operations over a batch (SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP, and the
// benchmarks' baseline SM4J_COPY): one template, instantiated for float and double, that hands
// each row (or each part of a long row) to the kernels through the row driver.
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "driver.hpp"
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "softmax4j.h"

namespace sm4j {

// The baseline: memcpy, as a caller would copy; in place there is nothing to move.
template <class S>
void copy_row(const S *x, S *y, int64_t n) {
    if (x != y && n > 0) std::memcpy(y, x, size_t(n) * sizeof(S));
}

// In, Out: the storage of the rows; T, the arithmetic (float for the 16-bit types, whose
// kernels widen and narrow in registers: kernel_set.hpp). Long rows are split over threads only
// for rows stored in T; half.cpp sends a batch it would split here to its widening layer.
template <class T, class In, class Out>
void row_op(int32_t op, const In *x, int64_t ldx, Out *y, int64_t ldy, int64_t rows, int64_t n,
            double a_in) {
    const T a = to_scale<T>(a_in);
    const RowKernels<T, In, Out> &k = active_kernels().get<T, In, Out>();
    constexpr bool kPlain = std::is_same_v<In, T> && std::is_same_v<Out, T>;
    // Where each row's exp pass prefetches for the next one (row_ops.hpp: next): ldx on.
    const int64_t next = ldx * int64_t(sizeof(In));
    // Softmax and log-softmax on rows of one block (longer than the short rows' one call): two
    // rows at a time (softmax_pair, log_softmax_pair in row_ops.hpp), on this thread or each
    // thread a contiguous run of pairs; an odd batch's last row alone. Not for a = 0 or tiny
    // scales, which have row-level paths (softmax_row).
    if ((op == SM4J_SOFTMAX || op == SM4J_LOG_SOFTMAX) && pairable(k, n, a)) {
        const bool soft = op == SM4J_SOFTMAX;
        auto pair = [&](int64_t p) {
            const In *x0 = x + 2 * p * ldx;
            Out *y0 = y + 2 * p * ldy;
            if (2 * p + 1 == rows) return soft ? softmax_row(k, x0, y0, n, a, next) : log_softmax_row(k, x0, y0, n, a, next);
            if (soft) softmax_pair(k, x0, y0, n, next, x0 + ldx, y0 + ldy, n, next, a);
            else log_softmax_pair(k, x0, y0, n, next, x0 + ldx, y0 + ldy, n, next, a);
        };
        const int64_t pairs = (rows + 1) / 2;
        if (serial(rows, n)) {
            for (int64_t p = 0; p < pairs; ++p) pair(p);
        } else {
            for_each_row(pairs, 2 * n, pair);
        }
        return;
    }
    // A batch that stays on this thread whatever the thread count (run_rows would give it to
    // for_each_row, which runs it here): its rows go straight to the row functions, without the
    // driver and the thread policy. A classifier head's one row of 10 classes takes this way.
    if (serial(rows, n)) {
        for (int64_t r = 0; r < rows; ++r) {
            switch (op) {
                case SM4J_SOFTMAX: softmax_row(k, x + r * ldx, y + r * ldy, n, a, next); break;
                case SM4J_LOG_SOFTMAX: log_softmax_row(k, x + r * ldx, y + r * ldy, n, a, next); break;
                case SM4J_LOGSUMEXP: y[r * ldy] = narrow<Out>(logsumexp_row(k, x + r * ldx, n, a, next)); break;
                default:
                    if constexpr (std::is_same_v<In, Out>) copy_row(x + r * ldx, y + r * ldy, n);
                    break;
            }
        }
        return;
    }
    // a = 0 and tiny scales have row-level paths of their own (row_ops.hpp).
    const bool split_ok = kPlain && normal_scale(a);
    // The split lambdas run only where split_ok, so only for rows stored in T.
    switch (op) {
        case SM4J_SOFTMAX:
            run_rows(
                rows, n, split_ok, [&](int64_t r) { softmax_row(k, x + r * ldx, y + r * ldy, n, a, next); },
                [&](int64_t r, const RowParts &p) {
                    if constexpr (kPlain) split::softmax_row(k, x + r * ldx, y + r * ldy, a, p);
                });
            break;
        case SM4J_LOG_SOFTMAX:
            run_rows(
                rows, n, split_ok, [&](int64_t r) { log_softmax_row(k, x + r * ldx, y + r * ldy, n, a, next); },
                [&](int64_t r, const RowParts &p) {
                    if constexpr (kPlain) split::log_softmax_row(k, x + r * ldx, y + r * ldy, a, p);
                });
            break;
        case SM4J_LOGSUMEXP:
            run_rows(
                rows, n, split_ok,
                [&](int64_t r) { y[r * ldy] = narrow<Out>(logsumexp_row(k, x + r * ldx, n, a, next)); },
                [&](int64_t r, const RowParts &p) {
                    if constexpr (kPlain) y[r * ldy] = split::logsumexp_row(k, x + r * ldx, n, a, p);
                });
            break;
        case SM4J_COPY:
            if constexpr (std::is_same_v<In, Out>) {
                run_rows(
                    rows, n, true, [&](int64_t r) { copy_row(x + r * ldx, y + r * ldy, n); },
                    [&](int64_t r, const RowParts &p) {
                        p.run([&](int, int64_t b, int64_t e) { copy_row(x + r * ldx + b, y + r * ldy + b, e - b); });
                    });
            }
            break;
        default:
            break;  // unreachable: run.cpp and half.cpp pass only these four
    }
}

template void row_op<float>(int32_t, const float *, int64_t, float *, int64_t, int64_t, int64_t, double);
template void row_op<double>(int32_t, const double *, int64_t, double *, int64_t, int64_t, int64_t, double);
template void row_op<float>(int32_t, const bf16 *, int64_t, bf16 *, int64_t, int64_t, int64_t, double);
template void row_op<float>(int32_t, const bf16 *, int64_t, float *, int64_t, int64_t, int64_t, double);
template void row_op<float>(int32_t, const f16 *, int64_t, f16 *, int64_t, int64_t, int64_t, double);
template void row_op<float>(int32_t, const f16 *, int64_t, float *, int64_t, int64_t, int64_t, double);

}  // namespace sm4j
