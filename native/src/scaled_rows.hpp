// The row operations of row_ops.hpp at any inverse temperature, a = 0 included: what the
// derivative and masked operations build on, so that they follow the same edge rules as the
// plain operations.
#pragma once

#include <cstdint>

#include "row_ops.hpp"
#include "zero_scale.hpp"

namespace sm4j {

template <class T>
inline void softmax_any(const T *x, T *y, int64_t n, T a) {
    if (a == T(0)) {
        zero_scale_softmax_row(x, y, n);
    } else {
        softmax_row(x, y, n, a);
    }
}

template <class T>
inline void log_softmax_any(const T *x, T *y, int64_t n, T a) {
    if (a == T(0)) {
        zero_scale_log_softmax_row(x, y, n);
    } else {
        log_softmax_row(x, y, n, a);
    }
}

template <class T>
inline T logsumexp_any(const T *x, int64_t n, T a) {
    return a == T(0) ? zero_scale_logsumexp_row(x, n) : logsumexp_row(x, n, a);
}

}  // namespace sm4j
