// The row operations of row_ops.hpp on the active kernel set, at any inverse temperature (a = 0
// included, which row_ops.hpp decides per row): what the derivative and masked operations build
// on, so that they follow the same edge rules and run the same vector kernels as the plain
// operations.
#pragma once

#include <cmath>
#include <cstdint>

#include "kernels/kernel_set.hpp"
#include "row_ops.hpp"

namespace sm4j {

template <class T>
inline bool all_finite(const T *x, int64_t n) {
    for (int64_t j = 0; j < n; ++j)
        if (!std::isfinite(x[j])) return false;
    return true;
}

template <class T>
inline void softmax_any(const T *x, T *y, int64_t n, T a) {
    softmax_row(active_kernels().get<T>(), x, y, n, a);
}

template <class T>
inline void log_softmax_any(const T *x, T *y, int64_t n, T a) {
    log_softmax_row(active_kernels().get<T>(), x, y, n, a);
}

template <class T>
inline T logsumexp_any(const T *x, int64_t n, T a) {
    return logsumexp_row(active_kernels().get<T>(), x, n, a);
}

}  // namespace sm4j
