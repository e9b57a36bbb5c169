// The row operations over a batch (SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP, and the
// benchmarks' baseline SM4J_COPY): one template, instantiated for float and double, that hands
// each row (or each part of a long row) to the kernels through the row driver.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "driver.hpp"
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "softmax4j.h"

namespace sm4j {

// The baseline: memcpy, as a caller would copy; in place there is nothing to move.
template <class T>
void copy_row(const T *x, T *y, int64_t n) {
    if (x != y && n > 0) std::memcpy(y, x, size_t(n) * sizeof(T));
}

// The threaded path of row_op: kept out of line, so that the serial path below (a classifier
// head's row of 10) does not pay for the frame of the lambdas and the driver.
template <class T>
[[gnu::noinline]] void row_op_driven(int32_t op, const RowKernels<T> &k, const T *x, int64_t ldx, T *y,
                                    int64_t ldy, int64_t rows, int64_t n, T a) {
    // a = 0 and tiny scales have row-level paths of their own (row_ops.hpp).
    const bool split_ok = a != T(0) && !(std::fabs(a) < kTinyScale<T>);
    switch (op) {
        case SM4J_SOFTMAX:
            run_rows(
                rows, n, split_ok, [&](int64_t r) { softmax_row(k, x + r * ldx, y + r * ldy, n, a); },
                [&](int64_t r, const RowParts &p) { split::softmax_row(k, x + r * ldx, y + r * ldy, a, p); });
            break;
        case SM4J_LOG_SOFTMAX:
            run_rows(
                rows, n, split_ok, [&](int64_t r) { log_softmax_row(k, x + r * ldx, y + r * ldy, n, a); },
                [&](int64_t r, const RowParts &p) {
                    split::log_softmax_row(k, x + r * ldx, y + r * ldy, a, p);
                });
            break;
        case SM4J_LOGSUMEXP:
            run_rows(
                rows, n, split_ok, [&](int64_t r) { y[r * ldy] = logsumexp_row(k, x + r * ldx, n, a); },
                [&](int64_t r, const RowParts &p) {
                    y[r * ldy] = split::logsumexp_row(k, x + r * ldx, n, a, p);
                });
            break;
        case SM4J_COPY:
            run_rows(
                rows, n, true, [&](int64_t r) { copy_row(x + r * ldx, y + r * ldy, n); },
                [&](int64_t r, const RowParts &p) {
                    p.run([&](int, int64_t b, int64_t e) { copy_row(x + r * ldx + b, y + r * ldy + b, e - b); });
                });
            break;
        default:
            break;  // unreachable: run.cpp passes only these four
    }
}

template <class T>
void row_op(int32_t op, const T *x, int64_t ldx, T *y, int64_t ldy, int64_t rows, int64_t n,
             double a_in) {
    const T a = to_scale<T>(a_in);
    const RowKernels<T> &k = active_kernels().get<T>();
    // A batch that stays on this thread whatever the thread count (run_rows would give it to
    // for_each_row, which runs it here): its rows go straight to the row functions, without the
    // driver and the thread policy. A classifier head's one row of 10 classes takes this way.
    if (!serial(rows, n)) return row_op_driven(op, k, x, ldx, y, ldy, rows, n, a);
    for (int64_t r = 0; r < rows; ++r) {
        switch (op) {
            case SM4J_SOFTMAX: softmax_row(k, x + r * ldx, y + r * ldy, n, a); break;
            case SM4J_LOG_SOFTMAX: log_softmax_row(k, x + r * ldx, y + r * ldy, n, a); break;
            case SM4J_LOGSUMEXP: y[r * ldy] = logsumexp_row(k, x + r * ldx, n, a); break;
            default: copy_row(x + r * ldx, y + r * ldy, n); break;
        }
    }
}

template void row_op<float>(int32_t, const float *, int64_t, float *, int64_t, int64_t, int64_t, double);
template void row_op<double>(int32_t, const double *, int64_t, double *, int64_t, int64_t, int64_t, double);

}  // namespace sm4j
