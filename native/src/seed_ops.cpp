// The properties of softmax as operations (softmax4j.h, SM4J_INVERSE_* to SM4J_MASKED_*):
// inversion to logits, the normalised product of powers, the two-class sigmoid and the masked
// row operations. Each is written once for float and double; sums and logarithms are taken in
// double, so a float result is rounded once.
#include <cmath>
#include <cstdint>
#include <limits>

#include "driver.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "scaled_rows.hpp"
#include "scratch.hpp"
#include "softmax4j.h"

namespace sm4j {
namespace {

template <class T>
void fill_nan(T *y, int64_t n) {
    for (int64_t j = 0; j < n; ++j) y[j] = std::numeric_limits<T>::quiet_NaN();
}

// A row of probabilities (up to a positive factor): every entry finite and >= 0, one > 0.
template <class T>
bool is_distribution(const T *p, int64_t n) {
    bool positive = false;
    for (int64_t j = 0; j < n; ++j) {
        if (!(p[j] >= T(0)) || std::isinf(p[j])) return false;  // NaN fails p >= 0
        positive = positive || p[j] > T(0);
    }
    return positive;
}

// x with a x = log p - c, c chosen by the gauge; NaN where the gauge cannot be met.
template <class T>
void inverse_row(const T *p, T *x, int64_t n, double a, Gauge gauge, int64_t pin, double lse) {
    if (n == 0) return;
    if (!is_distribution(p, n)) return fill_nan(x, n);
    double c = 0;
    switch (gauge) {
        case Gauge::zero_mean: {
            double sum = 0;
            for (int64_t j = 0; j < n; ++j) {
                if (p[j] == T(0)) return fill_nan(x, n);  // a logit of -inf has no finite mean
                sum += std::log(double(p[j]));
            }
            c = sum / double(n);
            break;
        }
        case Gauge::pinned:
            if (p[pin] == T(0)) return fill_nan(x, n);  // -inf cannot be pinned to 0
            c = std::log(double(p[pin]));
            break;
        case Gauge::logsumexp: {
            double total = 0;  // p need not sum to 1: LSE(log p) = log sum p
            for (int64_t j = 0; j < n; ++j) total += double(p[j]);
            c = std::log(total) - lse;
            break;
        }
    }
    // c is known before anything is written, so x may be p (in place).
    for (int64_t j = 0; j < n; ++j) x[j] = T((std::log(double(p[j])) - c) / a);
}

// The stable logistic function of t: exp is only ever taken of a non-positive number.
inline double logistic(double t) {
    if (t >= 0) return 1 / (1 + std::exp(-t));
    const double e = std::exp(t);  // t < 0 or NaN
    return e / (1 + e);
}

}  // namespace

template <class T>
void inverse(const Operands<T> &o, Gauge gauge) {
    for_each_row(o.rows, o.n, [&](int64_t r) {
        inverse_row(o.in1 + r * o.ld1, o.out + r * o.ldo, o.n, double(o.a), gauge, o.k, o.param);
    });
}

template <class T>
void combine(const Operands<T> &o) {
    const int64_t n = o.n, k = o.k;
    for_each_row(o.rows, n * (k + 1), [&](int64_t r) {
        const T *p = o.in1 + r * o.ld1;
        T *out = o.out + r * o.ldo;
        // s_j = sum_i w_i log p_ij in double, then the softmax of s: the log-space form of the
        // normalised product, which neither underflows nor overflows. A zero weight drops its
        // factor (p^0 = 1, even for p = 0, where 0 * log 0 would be NaN).
        double *s = scratch<double>(n);
        for (int64_t j = 0; j < n; ++j) s[j] = 0;
        for (int64_t i = 0; i < k; ++i) {
            const double w = o.weights[i];
            if (w == 0) continue;
            const T *pi = p + i * n;
            for (int64_t j = 0; j < n; ++j) s[j] += w * std::log(double(pi[j]));
        }
        // The softmax's own rules then give the semantics: +inf (a zero under a negative
        // weight), NaN (a negative or NaN probability, 0 * inf) or all -inf (nothing left to
        // normalise) make the row NaN.
        softmax_any(s, s, n, 1.0);
        for (int64_t j = 0; j < n; ++j) out[j] = T(s[j]);
    });
}

template <class T>
void sigmoid(const Operands<T> &o) {
    const double a = double(o.a);
    for_each_row(o.rows, o.n, [&](int64_t r) {
        const T *x = o.in1 + r * o.ld1;
        T *out = o.out + r * o.ldo;
        // a 0 * inf is NaN, as for softmax at a = 0.
        for (int64_t j = 0; j < o.n; ++j) out[j] = T(logistic(a * double(x[j])));
    });
}

template <class T>
void masked(const Operands<T> &o, int32_t row_op) {
    const int64_t n = o.n;
    for_each_row(o.rows, n, [&](int64_t r) {
        const T *x = o.in1 + r * o.ld1;
        const uint8_t *keep = o.mask + r * o.ldm;
        // Gather the kept entries, apply the plain row operation to them, scatter back: one
        // implementation of the edge rules, and masked values are never read (they may be NaN).
        T *sub = scratch<T>(n);
        int64_t m = 0;
        for (int64_t j = 0; j < n; ++j)
            if (keep[j]) sub[m++] = x[j];
        if (row_op == SM4J_LOGSUMEXP) {
            o.out[r * o.ldo] = logsumexp_any(sub, m, o.a);  // -inf for a fully masked row
            return;
        }
        T *out = o.out + r * o.ldo;
        T dropped;
        if (row_op == SM4J_SOFTMAX) {
            softmax_any(sub, sub, m, o.a);
            dropped = T(0);
        } else {
            log_softmax_any(sub, sub, m, o.a);
            dropped = -std::numeric_limits<T>::infinity();
        }
        for (int64_t j = 0, i = 0; j < n; ++j) out[j] = keep[j] ? sub[i++] : dropped;
    });
}

#define SM4J_INSTANTIATE(T)                                   \
    template void inverse<T>(const Operands<T> &, Gauge);  \
    template void combine<T>(const Operands<T> &);         \
    template void sigmoid<T>(const Operands<T> &);         \
    template void masked<T>(const Operands<T> &, int32_t);
SM4J_INSTANTIATE(float)
SM4J_INSTANTIATE(double)
#undef SM4J_INSTANTIATE

}  // namespace sm4j
