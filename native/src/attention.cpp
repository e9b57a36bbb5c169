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
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "scratch.hpp"
#include "softmax4j.h"


namespace sm4j {
namespace {

// Writes v to y[0, n): memset for the zeros of softmax (measured on 2048 x 2048 in place: the
// causal softmax at 0.65x the plain one with memset, 0.9x with streaming stores, 1.4x with a
// scalar loop), a loop the compiler vectorises for the -inf of log-softmax.
template <class T>
void fill_masked(T *y, int64_t n, T v) {
    if (n <= 0) return;
    if (v == T(0)) {
        std::memset(y, 0, size_t(n) * sizeof(T));
        return;
    }
    for (int64_t j = 0; j < n; ++j) y[j] = v;
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
    const T a = to_scale<T>(scale);
    const RowKernels<T> &k = active_kernels().get<T>();
    const T outside = op == SM4J_SOFTMAX ? T(0) : -std::numeric_limits<T>::infinity();
    for_each_row(rows, n, [&](int64_t i) {
        const Visible v = visible(i, n, causal, offset, window);
        const int64_t len = v.hi - v.lo;
        const T *x = s + i * lds + v.lo;
        T *out = y + i * ldy;
        if (op == SM4J_LOGSUMEXP) {
            if (bias == nullptr) {
                *out = logsumexp_row(k, x, len, a);
                return;
            }
            T *z = scratch<T>(len);
            const T *b = bias + i * ldb + v.lo;
            for (int64_t j = 0; j < len; ++j) z[j] = a * x[j] + b[j];
            *out = logsumexp_row(k, z, len, T(1));
            return;
        }
        fill_masked(out, v.lo, outside);
        fill_masked(out + v.hi, n - v.hi, outside);
        if (len == 0) return;
        T *o = out + v.lo;
        if (bias != nullptr) {
            // scale s + bias first (element-wise, so in place is fine), then the plain operation.
            const T *b = bias + i * ldb + v.lo;
            for (int64_t j = 0; j < len; ++j) o[j] = a * x[j] + b[j];
            x = o;
        }
        const T row_a = bias != nullptr ? T(1) : a;
        if (op == SM4J_SOFTMAX) {
            softmax_row(k, x, o, len, row_a);
        } else {
            log_softmax_row(k, x, o, len, row_a);
        }
    });
}

template void attention<float>(int32_t, int64_t, int64_t, const float *, int64_t, const float *, int64_t,
                               float *, int64_t, double, bool, int64_t, int64_t);
template void attention<double>(int32_t, int64_t, int64_t, const double *, int64_t, const double *,
                                int64_t, double *, int64_t, double, bool, int64_t, int64_t);

}  // namespace sm4j
