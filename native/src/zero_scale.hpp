// The row operations at inverse temperature a = 0, where S(0 x) is uniform.
//
// The general path computes exp(a (x_j - m)); for a finite row whose spread overflows
// (x_j - m = -inf, e.g. float [-3e38, 3e38]) that is exp(0 * -inf) = NaN, although 0 * x_j = 0
// for every finite x_j. So a = 0 is decided here, once per row: a finite row is uniform
// (softmax 1/n, log-softmax -log n, LSE log n); a row holding a NaN or an infinity is NaN
// (0 * inf has no value), except that an empty row has LSE -inf as always. A float scale that
// rounds to 0 (|a| < 2^-150) lands here too.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "driver.hpp"
#include "softmax4j.h"

namespace sm4j {

template <class T>
inline bool all_finite(const T *x, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        if (!std::isfinite(x[j])) return false;
    return true;
}

template <class T>
inline void zero_scale_fill(const T *x, T *y, int64_t n, T value) {
    const T v = all_finite(x, n) ? value : std::numeric_limits<T>::quiet_NaN();
    for (int64_t j = 0; j < n; ++j) y[j] = v;
}

template <class T>
inline void zero_scale_softmax_row(const T *x, T *y, int64_t n) {
    if (n > 0) zero_scale_fill(x, y, n, T(1.0 / double(n)));
}

template <class T>
inline void zero_scale_log_softmax_row(const T *x, T *y, int64_t n) {
    if (n > 0) zero_scale_fill(x, y, n, T(-std::log(double(n))));
}

template <class T>
inline T zero_scale_logsumexp_row(const T *x, int64_t n) {
    if (n == 0) return -std::numeric_limits<T>::infinity();
    return all_finite(x, n) ? T(std::log(double(n))) : std::numeric_limits<T>::quiet_NaN();
}

// rows_op of capi.cpp for a = 0.
template <class T>
inline void zero_scale_rows(int32_t op, const T *x, int64_t ldx, T *y, int64_t ldy, int64_t rows,
                            int64_t n) {
    switch (op) {
        case SM4J_SOFTMAX:
            for_each_row(rows, n, [=](int64_t r) { zero_scale_softmax_row(x + r * ldx, y + r * ldy, n); });
            break;
        case SM4J_LOG_SOFTMAX:
            for_each_row(rows, n,
                         [=](int64_t r) { zero_scale_log_softmax_row(x + r * ldx, y + r * ldy, n); });
            break;
        case SM4J_LOGSUMEXP:
            for_each_row(rows, n, [=](int64_t r) { y[r * ldy] = zero_scale_logsumexp_row(x + r * ldx, n); });
            break;
        default:
            break;
    }
}

}  // namespace sm4j
