// Portable row kernels, written once for float and double.
//
// Each function does one job over a contiguous run of n elements and knows nothing of rows or
// threads; the driver (../row_ops.hpp) composes them. Sums are accumulated in `acc_t`: double for
// both element types, so a float row of 10^6 elements still sums to float accuracy.
#pragma once

#include <cmath>
#include <cstdint>

namespace sm4j::generic {

using acc_t = double;

// Index of the element that dominates a * x: the first maximum for a >= 0, the first minimum
// for a < 0. NaNs are skipped unless x[0] is NaN; either way a NaN row ends up NaN downstream.
template <class T>
inline int64_t extreme_index(const T *x, int64_t n, T a) {
    int64_t k = 0;
    if (a >= T(0)) {
        for (int64_t j = 1; j < n; ++j)
            if (x[j] > x[k]) k = j;
    } else {
        for (int64_t j = 1; j < n; ++j)
            if (x[j] < x[k]) k = j;
    }
    return k;
}

// y_j = exp(a (x_j - m)); returns the sum of the y_j. In place (y == x) is allowed.
template <class T>
inline acc_t exp_sum_store(const T *x, T *y, int64_t n, T a, T m) {
    acc_t s = 0;
    for (int64_t j = 0; j < n; ++j) {
        T e = std::exp(a * (x[j] - m));
        y[j] = e;
        s += e;
    }
    return s;
}

// The sum of exp(a (x_j - m)) without storing the terms.
template <class T>
inline acc_t exp_sum(const T *x, int64_t n, T a, T m) {
    acc_t s = 0;
    for (int64_t j = 0; j < n; ++j) s += std::exp(a * (x[j] - m));
    return s;
}

// y_j *= c
template <class T>
inline void scale(T *y, int64_t n, T c) {
    for (int64_t j = 0; j < n; ++j) y[j] *= c;
}

// y_j = a (x_j - m) - c. In place allowed.
template <class T>
inline void shift_scale(const T *x, T *y, int64_t n, T a, T m, T c) {
    for (int64_t j = 0; j < n; ++j) y[j] = a * (x[j] - m) - c;
}

// True if any element is NaN (the rare path for rows whose extreme is infinite).
template <class T>
inline bool any_nan(const T *x, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        if (std::isnan(x[j])) return true;
    return false;
}

}  // namespace sm4j::generic
