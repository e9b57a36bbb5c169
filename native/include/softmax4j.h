/*
 * softmax4j core: the plain C interface of the native library.
 *
 * Everything here works on row-major batches: `rows` rows of `n` elements, row r of x starting at
 * x + r * ldx. The caller (the Java layer) has already validated every size, stride and extent;
 * these functions do no checking of their own, because a second, weaker copy of the rules would
 * only drift from the first.
 *
 * The scale `a` is the inverse temperature: every operation computes on a * x. It is given in
 * double and rounded once to the element type (saturating at its largest finite value).
 */
#ifndef SOFTMAX4J_H
#define SOFTMAX4J_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The row operations. Values are part of the ABI with the Java bridge. */
enum sm4j_row_op {
    /* y_i = exp(a x_i) / sum_j exp(a x_j) */
    SM4J_SOFTMAX = 0,
    /* y_i = a x_i - LSE(a x) */
    SM4J_LOG_SOFTMAX = 1,
    /* y_r = LSE(a x_r) = log sum_j exp(a x_rj): one value per row, at y + r * ldy */
    SM4J_LOGSUMEXP = 2
};

/*
 * Applies `op` to each row. x and y may be the same buffer with the same stride (in place);
 * any other overlap is undefined. For SM4J_LOGSUMEXP, ldy is the distance between outputs.
 */
void sm4j_rows_f32(int32_t op, const float *x, int64_t ldx, float *y, int64_t ldy,
                   int64_t rows, int64_t n, double a);
void sm4j_rows_f64(int32_t op, const double *x, int64_t ldx, double *y, int64_t ldy,
                   int64_t rows, int64_t n, double a);

/*
 * Threads used by the row-parallel driver and by the GEMMs of sm4j_linear_* and
 * sm4j_cross_entropy_f64; n < 1 restores the default (OpenMP's maximum).
 */
void sm4j_set_num_threads(int32_t n);
int32_t sm4j_get_num_threads(void);

/*
 * Name of the kernel set in use: "avx512", "avx2" or "generic" on x86-64, "neon" or "generic" on
 * AArch64. At load it is the best set this CPU runs, or the one named by the environment variable
 * SOFTMAX4J_KERNELS if the CPU runs it.
 */
const char *sm4j_kernel_name(void);
/*
 * Makes the named kernel set ("generic", "avx2", "avx512", "neon") the one in use, for every thread;
 * meant for tests and comparisons. Returns 0, or -1 (and changes nothing) if the name is unknown
 * or this CPU lacks the instructions. Calls running at the same time may use either set.
 */
int32_t sm4j_force_kernels(const char *name);
/*
 * Space-separated CPU features the core looked for and found, e.g. "avx2 fma avx512f" or
 * "asimd asimddp".
 */
const char *sm4j_cpu_features(void);
/* Version of the core, "MAJOR.MINOR.PATCH". */
const char *sm4j_version(void);
/* Threads of OpenBLAS's own pool, and its build configuration (e.g. "OpenBLAS 0.3.31 ..."). */
int32_t sm4j_blas_num_threads(void);
const char *sm4j_blas_config(void);
/* The OpenMP implementation's version (the _OPENMP date, e.g. 201511), 0 without OpenMP. */
int32_t sm4j_openmp_version(void);

/* ---- Softmax regression: a linear layer, then a row operation ---- */

/* op for sm4j_linear_*: the scores themselves, no row operation. Negative, so that it can never
 * collide with a value of enum sm4j_row_op. */
#define SM4J_LINEAR_SCORES (-1)

/*
 * y = op(a · (x wᵀ + 1 bᵀ)): x is rows × d (stride ldx), w is k × d (stride ldw), b holds k
 * values (NULL: no bias), y is rows × k (stride ldy). op is SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, or
 * SM4J_LINEAR_SCORES for the scores alone (a unused). The GEMM is split over OpenMP threads by
 * blocks of y, each block computed by a single-threaded OpenBLAS call and then (blocks of rows)
 * given its bias and row operation while in cache. OpenBLAS's thread count is held at 1 for the
 * process during the call and restored after it. y must not overlap x, w or b. No allocation.
 */
void sm4j_linear_f32(int32_t op, const float *x, int64_t ldx, const float *w, int64_t ldw,
                     const float *b, float *y, int64_t ldy, int64_t rows, int64_t d, int64_t k,
                     double a);
void sm4j_linear_f64(int32_t op, const double *x, int64_t ldx, const double *w, int64_t ldw,
                     const double *b, double *y, int64_t ldy, int64_t rows, int64_t d, int64_t k,
                     double a);

/*
 * The weighted cross-entropy of softmax regression against integer labels, and its gradient:
 *
 *   L = scale · Σ_r s_r · CE_r,   CE_r = −Σ_j t_rj log S(z_r)_j,   z_r = w x_r + b,
 *   t_rj = (1 − smoothing)·[j = labels[r]] + smoothing / k,   s_r = class_weights[labels[r]]
 *   (1 if class_weights is NULL); the caller passes scale = 1 / Σ_r s_r for the weighted mean.
 *
 * w is k × d (stride d), b holds k values, labels lie in [0, k). z is a rows × k workspace
 * (stride k); on return it holds log S(z_r) or, when dw is not NULL, the gradient with respect to
 * the scores, scale · s_r · (S(z_r) − t_r). dw (k × d, stride d) receives Gᵀ x (a second GEMM)
 * and db (k values) the column sums of G; db is zeroed when dw is NULL. The L2 term is the
 * caller's. Returns L. No allocation.
 */
double sm4j_cross_entropy_f64(const double *x, int64_t ldx, const double *w, const double *b,
                              const int32_t *labels, const double *class_weights,
                              double smoothing, double scale, double *z, double *dw, double *db,
                              int64_t rows, int64_t d, int64_t k);

/* ---- Derivatives and the seed properties ---- */

/*
 * Operations beyond the row operations: derivatives and the properties of softmax as
 * operations. Values are part of the ABI with the Java bridge; sm4j_apply also takes every
 * sm4j_row_op value.
 *
 * Operands: in1, in2, in3 are inputs and out the output, each a batch of `rows` rows whose
 * width depends on the operation (listed below), row r of in1 starting at in1 + r * ld1.
 * Unused operands may be NULL. `a` is the inverse temperature as for sm4j_rows_*. y denotes
 * S(a x) throughout.
 */
enum sm4j_op {
    /* out (n*n per row, row-major: J_ij at i*n + j) = a (diag(y) - y y^T), with the diagonal
       evaluated as a y_i sum_{j != i} y_j. in1 = x (n), or y with SM4J_FROM_OUTPUT. */
    SM4J_JACOBIAN = 16,
    /* out (n) = J v = a y . (v - <y, v>); in1 = x (or y), in2 = v (n). J is symmetric: also the VJP. */
    SM4J_SOFTMAX_JVP = 17,
    /* out (n) = a (g - y sum_i g_i), the VJP of log-softmax; in1 = x (or the saved log-softmax
       output with SM4J_FROM_OUTPUT), in2 = g (n). */
    SM4J_LOG_SOFTMAX_VJP = 18,
    /* out (n) = a g_r y, the VJP of LSE(a x); in1 = x, in2 = g (1 per row, at in2 + r * ld2).
       With SM4J_FROM_OUTPUT: in2 = the saved LSE (1 per row), in3 = g (1 per row), and
       out = a g_r exp(a x - LSE_r). */
    SM4J_LOGSUMEXP_VJP = 19,
    /* out (n*k per row) = J V for V = in2 (n*k per row, row-major); in1 = x (or y). */
    SM4J_JACOBIAN_TIMES = 20,
    /* out (n) = logits x with S(a x) = p / sum p, in1 = p (n), in the gauge mean(a x) = 0 ... */
    SM4J_INVERSE_ZERO_MEAN = 21,
    /* ... or x_k = 0 with k the pinned index ... */
    SM4J_INVERSE_PINNED = 22,
    /* ... or LSE(a x) = param. */
    SM4J_INVERSE_LOGSUMEXP = 23,
    /* out (n) = the normalised product of p_i^w_i over the k factors of in1 (k*n per row, factor i
       at i*n), weights w = weights[0..k). */
    SM4J_COMBINE = 24,
    /* out (n) = 1 / (1 + exp(-a x)), element-wise; in1 = x (n). */
    SM4J_SIGMOID = 25,
    /* The row operations on the entries whose mask byte is non-zero (mask: n bytes per row, at
       mask + r * ldm); masked entries give 0 (softmax) or -inf (log-softmax). */
    SM4J_MASKED_SOFTMAX = 26,
    SM4J_MASKED_LOG_SOFTMAX = 27,
    SM4J_MASKED_LOGSUMEXP = 28
};

/* Or'ed into an op: the first input is the forward pass's saved output rather than the logits. */
enum sm4j_op_flag { SM4J_FROM_OUTPUT = 0x100 };

/*
 * Applies `op` (an sm4j_op, possibly with flags, or an sm4j_row_op) to each row. `k` is the
 * number of tangent columns, factors or the pinned index; `param` the LSE of the inverse's gauge.
 * out may be the same region as an input of the same width (in place); any other overlap is
 * undefined. Like every function here, it trusts the caller's validation.
 */
void sm4j_apply_f32(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                    const float *in1, int64_t ld1, const float *in2, int64_t ld2,
                    const float *in3, int64_t ld3, const uint8_t *mask, int64_t ldm,
                    const double *weights, float *out, int64_t ldo);
void sm4j_apply_f64(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                    const double *in1, int64_t ld1, const double *in2, int64_t ld2,
                    const double *in3, int64_t ld3, const uint8_t *mask, int64_t ldm,
                    const double *weights, double *out, int64_t ldo);

#ifdef __cplusplus
}
#endif

#endif /* SOFTMAX4J_H */
