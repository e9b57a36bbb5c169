// Portable row kernels, written once for float and double: the fallback on any CPU and the
// plain statement of what every vector set must compute (see kernel_set.hpp for the contracts).
//
// Sums are accumulated in double for both element types, so a float row of 10^6 elements still
// sums to float accuracy, and compensated (Neumaier), so that a double row does too: plain
// recursive summation of thousands of equal addends rounds the same way each time and errs by
// n u (found by Jazzer: log-softmax of [4, 4, 4 - 5.3e-12, -4 x 3718] was off by 5e-14), where
// the vector sets' independent lane sums err far less. Its cost is nothing beside libm's exp.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "kernel_set.hpp"

namespace sm4j::generic {

// s + c, the running sum and the running error of its additions.
struct CompensatedSum {
    double s = 0, c = 0;

    void add(double v) {
        double t = s + v;
        // The rounding error of s + v, exactly, from whichever operand is larger. With an infinite
        // or NaN v, t - s is NaN or inf - inf; that error term is dropped and value() keeps s.
        c += std::fabs(s) >= std::fabs(v) ? (s - t) + v : (v - t) + s;
        s = t;
    }

    double value() const { return std::isfinite(s) ? s + c : s; }
};

// In, Out: the storage of the rows (kernel_set.hpp); widen and narrow convert one element.
template <class T, class In>
T extreme(const In *x, int64_t n, T a) {
    // Comparisons with NaN are false, so NaNs are skipped; the exp kernels turn them into NaN.
    const T inf = std::numeric_limits<T>::infinity();
    T m = a >= T(0) ? -inf : inf;
    if (a >= T(0)) {
        for (int64_t j = 0; j < n; ++j)
            if (widen(x[j]) > m) m = widen(x[j]);
    } else {
        for (int64_t j = 0; j < n; ++j)
            if (widen(x[j]) < m) m = widen(x[j]);
    }
    return m;
}

template <class T, class In>
double exp_sum_store(const In *x, T *y, int64_t n, T a, T m, int64_t /*ahead*/) {
    CompensatedSum s;
    for (int64_t j = 0; j < n; ++j) {
        T e = std::exp(a * (widen(x[j]) - m));
        y[j] = e;
        s.add(e);
    }
    return s.value();
}

// out, keep and ahead: nothing is stored, touched or prefetched here (shift_stored recomputes from x).
template <class T, class In, class Out>
ExpSum exp_sum_ties(const In *x, int64_t n, T a, T m, Out * /*out*/, bool /*keep*/, int64_t /*ahead*/) {
    CompensatedSum s;
    int64_t ties = 0;
    for (int64_t j = 0; j < n; ++j) {
        T d = a * (widen(x[j]) - m);
        if (d == T(0))
            ++ties;
        else
            s.add(std::exp(d));  // NaN lands here
    }
    return {s.value(), ties};
}

template <class T, class Out>
void scale(const T *t, Out *y, int64_t n, T c) {
    for (int64_t j = 0; j < n; ++j) y[j] = narrow<Out>(T(t[j] * c));
}

template <class T, class In, class Out>
void shift_scale(const In *x, Out *y, int64_t n, T a, T m, T c) {
    for (int64_t j = 0; j < n; ++j) {
        const T v = widen(x[j]);
        T d = a * (v - m);
        // x - m overflows for finite x and m of opposite signs near the largest value; a x - a m
        // has no cancellation there.
        // Only where that is an ordinary number: if a x and a m overflow too, d's -inf is the
        // true value and their difference would be NaN or a wrong-signed +inf.
        if (std::isinf(d) && std::isfinite(v)) {
            T r = a * v - a * m;
            if (std::isfinite(r)) d = r;
        }
        y[j] = narrow<Out>(T(d - c));
    }
}

template <class T>
void exp(const T *x, T *y, int64_t n) {
    for (int64_t j = 0; j < n; ++j) y[j] = std::exp(x[j]);
}

template <class T, class In = T, class Out = T>
constexpr RowKernels<T, In, Out> row_kernels() {
    return {&extreme<T, In>, &exp_sum_store<T, In>, &exp_sum_ties<T, In, Out>, &scale<T, Out>,
            &shift_scale<T, In, Out>, &shift_scale<T, In, Out>, &exp<T>};
}

}  // namespace sm4j::generic
