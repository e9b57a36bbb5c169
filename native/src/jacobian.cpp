// Derivatives of softmax, log-softmax and LSE, batched over rows (softmax4j.h, SM4J_JACOBIAN to
// SM4J_JACOBIAN_TIMES). With y = S(a x), the Jacobian of x -> S(a x) is J = a (diag(y) - y y^T).
//
// Every "from logits" form first computes y with the row operation itself (softmax_any), so it
// inherits its edge rules: a row holding +inf or NaN, or all -inf, has a NaN y and a NaN result.
// Products are formed without J: J v = a y . (v - <y, v>), one dot product and one pass.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "blas.hpp"
#include "ops.hpp"
#include "scaled_rows.hpp"
#include "scratch.hpp"

namespace sm4j {
namespace {

// The probabilities of row r: the saved output itself, or S(a x) computed into buf.
template <class T>
const T *probabilities(const Operands<T> &o, int64_t r, bool from_output, T *buf) {
    const T *in = o.in1 + r * o.ld1;
    if (from_output) return in;
    softmax_any(in, buf, o.n, o.a);
    return buf;
}

// One row's n x n Jacobian: a y_i sum_{j!=i} y_j on the diagonal, -a y_i y_j elsewhere.
// u is room for n elements.
template <class T>
void jacobian_row(const T *y, T *J, int64_t n, T a, T *u) {
    if (n == 0) return;
    if (!all_finite(y, n)) {
        // BLAS may skip the columns of zero y_j, so NaN would spread unevenly: state the rule.
        std::fill(J, J + n * n, std::numeric_limits<T>::quiet_NaN());
        return;
    }
    // -a y y^T as -sign(a) u u^T with u = sqrt|a| y: one rank-1 update of the whole matrix with
    // alpha = -+1, exactly symmetric without mirroring a triangle (whose strided writes cost six
    // times the update itself), at the price of about one more rounding per entry.
    std::fill(J, J + n * n, T(0));
    if (a != T(0)) {
        const T root = T(std::sqrt(std::fabs(double(a))));
        for (int64_t i = 0; i < n; ++i) u[i] = root * y[i];
        blas::ger_self(n, a > T(0) ? T(-1) : T(1), u, J, n);
    }
    // The diagonal as a y_i (1 - y_i) with 1 - y_i = sum_{j != i} y_j: a sum of positive terms,
    // so an entry of a dominant y_i ~ 1 keeps its relative accuracy (1 - y_i would cancel), and
    // each row of J sums to zero up to rounding. Only the largest y_k can exceed half the total,
    // so the other r_i = total - y_i do not cancel.
    int64_t k = std::max_element(y, y + n) - y;
    double rest = 0;
    for (int64_t j = 0; j < n; ++j)
        if (j != k) rest += double(y[j]);
    const double total = rest + double(y[k]);
    for (int64_t i = 0; i < n; ++i) {
        const double r_i = i == k ? rest : total - double(y[i]);
        J[i * n + i] = T(double(a) * double(y[i]) * r_i);
    }
}

}  // namespace

template <class T>
void jacobian(const Operands<T> &o, bool from_output) {
    const int64_t n = o.n;
    for_each_row_blas(o.rows, n * n, [&](int64_t r) {
        const T *y = probabilities(o, r, from_output, scratch<T>(n));
        jacobian_row(y, o.out + r * o.ldo, n, o.a, scratch<T, 2>(n));
    });
}

template <class T>
void softmax_jvp(const Operands<T> &o, bool from_output) {
    const int64_t n = o.n;
    for_each_row_blas(o.rows, n, [&](int64_t r) {
        const T *y = probabilities(o, r, from_output, scratch<T>(n));
        const T *v = o.in2 + r * o.ld2;
        T *out = o.out + r * o.ldo;
        const T s = T(blas::dot(n, y, v));
        // Element by element after the dot product: out may be v or y (in place).
        for (int64_t j = 0; j < n; ++j) out[j] = o.a * y[j] * (v[j] - s);
    });
}

template <class T>
void log_softmax_vjp(const Operands<T> &o, bool from_output) {
    const int64_t n = o.n;
    for_each_row(o.rows, n, [&](int64_t r) {
        const T *in = o.in1 + r * o.ld1;
        const T *g = o.in2 + r * o.ld2;
        T *out = o.out + r * o.ldo;
        double sum = 0;
        for (int64_t j = 0; j < n; ++j) sum += double(g[j]);
        const T gs = T(sum);
        if (from_output) {
            // in is log y: y_j = exp(log y_j), without the max and sum passes.
            for (int64_t j = 0; j < n; ++j) out[j] = o.a * (g[j] - std::exp(in[j]) * gs);
        } else {
            T *y = scratch<T>(n);
            softmax_any(in, y, n, o.a);
            for (int64_t j = 0; j < n; ++j) out[j] = o.a * (g[j] - y[j] * gs);
        }
    });
}

template <class T>
void logsumexp_vjp(const Operands<T> &o, bool with_saved_lse) {
    const int64_t n = o.n;
    for_each_row(o.rows, n, [&](int64_t r) {
        const T *x = o.in1 + r * o.ld1;
        T *out = o.out + r * o.ldo;
        if (with_saved_lse) {
            // exp(a x_i - LSE) in double: for float input a x_i - LSE is then nearly exact, and
            // for double it is what the formula asks; either way no max or sum pass.
            const double lse = double(o.in2[r * o.ld2]);
            const double c = double(o.a) * double(o.in3[r * o.ld3]);
            for (int64_t j = 0; j < n; ++j)
                out[j] = T(c * std::exp(double(o.a) * double(x[j]) - lse));
        } else {
            const T c = o.a * o.in2[r * o.ld2];  // read before out (which may be x) is written
            softmax_any(x, out, n, o.a);
            for (int64_t j = 0; j < n; ++j) out[j] *= c;
        }
    });
}

template <class T>
void jacobian_times(const Operands<T> &o, bool from_output) {
    const int64_t n = o.n, k = o.k;
    if (n == 0 || k == 0) return;
    for_each_row_blas(o.rows, n * k, [&](int64_t r) {
        const T *y = probabilities(o, r, from_output, scratch<T>(n));
        const T *V = o.in2 + r * o.ld2;
        T *out = o.out + r * o.ldo;
        T *w = scratch<T, 1>(k);
        blas::gemv_t(n, k, V, k, y, w);  // w = V^T y, one <y, v> per column
        // J V = a (diag(y) V - y w^T), the rank-1 update fused into the scaling pass: one write
        // of out, and y_i (V_ij - w_j) rather than the cancelling y_i V_ij - y_i w_j.
        for (int64_t i = 0; i < n; ++i) {
            const T ay = o.a * y[i];
            const T *Vi = V + i * k;
            T *oi = out + i * k;
            for (int64_t j = 0; j < k; ++j) oi[j] = ay * (Vi[j] - w[j]);
        }
    });
}

#define SM4J_INSTANTIATE(T)                                           \
    template void jacobian<T>(const Operands<T> &, bool);          \
    template void softmax_jvp<T>(const Operands<T> &, bool);       \
    template void log_softmax_vjp<T>(const Operands<T> &, bool);   \
    template void logsumexp_vjp<T>(const Operands<T> &, bool);     \
    template void jacobian_times<T>(const Operands<T> &, bool);
SM4J_INSTANTIATE(float)
SM4J_INSTANTIATE(double)
#undef SM4J_INSTANTIATE

}  // namespace sm4j
