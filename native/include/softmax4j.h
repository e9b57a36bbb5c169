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

/* Threads used by the row-parallel driver; n < 1 restores the default (OpenMP's maximum). */
void sm4j_set_num_threads(int32_t n);
int32_t sm4j_get_num_threads(void);

/* Name of the kernel set chosen for this CPU at load time, e.g. "avx512", "avx2", "generic". */
const char *sm4j_kernel_name(void);
/* Space-separated CPU features the core looked for and found, e.g. "avx2 fma avx512f". */
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
 * SM4J_LINEAR_SCORES for the scores alone (a unused). One GEMM, threaded by OpenBLAS, then the
 * row operation in place on y through sm4j_rows_*. y must not overlap x, w or b. No allocation.
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

#ifdef __cplusplus
}
#endif

#endif /* SOFTMAX4J_H */
