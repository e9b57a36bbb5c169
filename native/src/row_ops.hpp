// Per-row operations (softmax, log-softmax, log-sum-exp), composed from the one-job kernels.
//
// The mathematics follows shared/docs/SOFTMAX.md: shift by the dominant element m of a*x, so that
// every exponent is <= 0 and the dominant term is exactly 1. The log forms use
// log1p(t) with t = sum over j != k of exp(a (x_j - m)), the most accurate evaluation of LSE
// (Blanchard, Higham & Higham 2021): a tiny t is not lost in 1 + t.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/generic.hpp"

namespace sm4j {

namespace k = generic;

// The dominant element of a row and the sum of the other terms.
template <class T>
struct RowExtreme {
    int64_t index;  // k
    T value;        // m = x[k]
};

template <class T>
inline RowExtreme<T> row_extreme(const T *x, int64_t n, T a) {
    int64_t i = k::extreme_index(x, n, a);
    return {i, x[i]};
}

// t = sum_{j != k} exp(a (x_j - m)), in the accumulation type.
template <class T>
inline k::acc_t rest_sum(const T *x, int64_t n, T a, RowExtreme<T> e) {
    return k::exp_sum(x, e.index, a, e.value) +
           k::exp_sum(x + e.index + 1, n - e.index - 1, a, e.value);
}

template <class T>
inline void softmax_row(const T *x, T *y, int64_t n, T a) {
    if (n == 0) return;
    RowExtreme<T> e = row_extreme(x, n, a);
    k::acc_t s = k::exp_sum_store(x, y, n, a, e.value);
    k::scale(y, n, T(k::acc_t(1) / s));
}

template <class T>
inline void log_softmax_row(const T *x, T *y, int64_t n, T a) {
    if (n == 0) return;
    RowExtreme<T> e = row_extreme(x, n, a);
    // An infinite dominant element makes every a (x_j - m) infinite or NaN: the row is NaN (the
    // formula alone would give -inf for the finite entries of a row such as [1, +inf]).
    if (std::isinf(e.value)) {
        for (int64_t j = 0; j < n; ++j) y[j] = std::numeric_limits<T>::quiet_NaN();
        return;
    }
    T c = T(std::log1p(rest_sum(x, n, a, e)));
    k::shift_scale(x, y, n, a, e.value, c);
}

template <class T>
inline T logsumexp_row(const T *x, int64_t n, T a) {
    if (n == 0) return -std::numeric_limits<T>::infinity();
    RowExtreme<T> e = row_extreme(x, n, a);
    T big = a * e.value;
    // An infinite dominant term decides the result unless a NaN is present: the generic
    // formula would give inf - inf = NaN for rows such as [+inf, 1] or [-inf, -inf].
    if (std::isinf(big)) return k::any_nan(x, n) ? std::numeric_limits<T>::quiet_NaN() : big;
    return T(k::acc_t(big) + std::log1p(rest_sum(x, n, a, e)));
}

}  // namespace sm4j
