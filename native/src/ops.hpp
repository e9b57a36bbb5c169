// The operations behind sm4j_run (softmax4j.h): one template per family, instantiated for float
// and double in rows.cpp, jacobian.cpp, seed_ops.cpp and regression.cpp. run.cpp turns a
// sm4j_call into these arguments.
#pragma once

#include <cstdint>

#include "kernels/storage.hpp"
#include "softmax4j.h"

namespace sm4j {

// rows.cpp: SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP or SM4J_COPY over a batch (y: one value per row,
// ldy apart, for the last). x and y may be the same region with the same stride.
// In, Out: how x and y are stored (T, or for float the 16-bit bf16 and f16 of
// kernels/storage.hpp); T is the arithmetic.
template <class T, class In = T, class Out = T>
void row_op(int32_t op, const In *x, int64_t ldx, Out *y, int64_t ldy, int64_t rows, int64_t n,
            double a);

// The validated arguments of the derivatives and seed operations; see softmax4j.h for each
// operation's widths. in1..in3 are in[0..2] of the call.
template <class T>
struct Operands {
    int64_t rows, n, k;
    T a;           // inverse temperature, already rounded to T
    double param;  // the LSE of the inverse's gauge
    const T *in1;
    int64_t ld1;
    const T *in2;
    int64_t ld2;
    const T *in3;
    int64_t ld3;
    const uint8_t *mask;
    int64_t ldm;
    const double *weights;
    T *out;
    int64_t ldo;
};

// jacobian.cpp: derivatives. from_output: in1 holds the forward pass's output.
template <class T>
void jacobian(const Operands<T> &o, bool from_output);
template <class T>
void softmax_jvp(const Operands<T> &o, bool from_output);
template <class T>
void log_softmax_vjp(const Operands<T> &o, bool from_output);
template <class T>
void logsumexp_vjp(const Operands<T> &o, bool with_saved_lse);
template <class T>
void jacobian_times(const Operands<T> &o, bool from_output);

// seed_ops.cpp: the properties of softmax as operations.
enum class Gauge { zero_mean, pinned, logsumexp };
template <class T>
void inverse(const Operands<T> &o, Gauge gauge);
template <class T>
void combine(const Operands<T> &o);
template <class T>
void sigmoid(const Operands<T> &o);
// row_op: SM4J_SOFTMAX, SM4J_LOG_SOFTMAX or SM4J_LOGSUMEXP.
template <class T>
void masked(const Operands<T> &o, int32_t row_op);

// regression.cpp: the linear head. op: SM4J_LINEAR_SCORES, SM4J_LINEAR_SOFTMAX or
// SM4J_LINEAR_LOG_SOFTMAX; y = op(a (x w^T + 1 b^T)), b may be null.
template <class T>
void linear(int32_t op, const T *x, int64_t ldx, const T *w, int64_t ldw, const T *b, T *y,
            int64_t ldy, int64_t rows, int64_t d, int64_t k, double a);
// The cross-entropy of log-probabilities z (rows x k, stride ldz) against labels; overwrites z
// with the gradient G if grad. Returns the loss.
template <class T>
double cross_entropy(T *z, int64_t ldz, const int32_t *labels, int64_t ldl,
                     const double *class_weights, double eps, double scale, bool grad,
                     int64_t rows, int64_t k);
// dw = g^T x (k x d) and db = the column sums of g (k values), g rows x k, x rows x d.
template <class T>
void linear_gradient(const T *g, int64_t ldg, const T *x, int64_t ldx, T *dw, int64_t lddw, T *db,
                     int64_t rows, int64_t d, int64_t k);

// attention.cpp: the attention softmax (softmax4j.h, SM4J_ATTENTION_*). row_op: SM4J_SOFTMAX,
// SM4J_LOG_SOFTMAX or SM4J_LOGSUMEXP; bias may be null, ldb = 0 broadcasts one row.
template <class T>
void attention(int32_t row_op, int64_t rows, int64_t n, const T *s, int64_t lds, const T *bias,
               int64_t ldb, T *y, int64_t ldy, double scale, bool causal, int64_t offset,
               int64_t window);

// sampler/sampler.cpp: SM4J_SAMPLE (tokens[r * ldt] for each row) and SM4J_TOP_LOGPROBS (lp: the
// token's, then top_n; ids: top_n per row). first_row: the call's index of row 0 (the random bits
// are keyed on it), for a caller that hands over a batch in blocks of rows.
template <class T>
void sample(int64_t rows, int64_t n, const T *x, int64_t ldx, const int32_t *history, int64_t ldh,
            int64_t h, const double *spec, uint64_t step, int32_t *tokens, int64_t ldt,
            int64_t first_row = 0);
template <class T>
void top_logprobs(int64_t rows, int64_t n, const T *x, int64_t ldx, const int32_t *tokens, int64_t ldt,
                  int64_t top_n, int32_t *ids, int64_t ldi, T *lp, int64_t ldl);

// run.cpp: a call whose data is SM4J_F32 (half.cpp hands it blocks of widened rows).
void run_float(const sm4j_call &c);
// half.cpp: a call whose data input is SM4J_BF16 or SM4J_F16.
void run_half(const sm4j_call &c);

}  // namespace sm4j
