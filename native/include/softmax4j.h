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

/*
 * Name of the kernel set in use: "avx512", "avx2" or "generic". At load it is the best set this
 * CPU runs, or the one named by the environment variable SOFTMAX4J_KERNELS if the CPU runs it.
 */
const char *sm4j_kernel_name(void);
/*
 * Makes the named kernel set ("generic", "avx2", "avx512") the one in use, for every thread;
 * meant for tests and comparisons. Returns 0, or -1 (and changes nothing) if the name is unknown
 * or this CPU lacks the instructions. Calls running at the same time may use either set.
 */
int32_t sm4j_force_kernels(const char *name);
/* Space-separated CPU features the core looked for and found, e.g. "avx2 fma avx512f". */
const char *sm4j_cpu_features(void);
/* Version of the core, "MAJOR.MINOR.PATCH". */
const char *sm4j_version(void);
/* Threads of OpenBLAS's own pool, and its build configuration (e.g. "OpenBLAS 0.3.31 ..."). */
int32_t sm4j_blas_num_threads(void);
const char *sm4j_blas_config(void);
/* The OpenMP implementation's version (the _OPENMP date, e.g. 201511), 0 without OpenMP. */
int32_t sm4j_openmp_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SOFTMAX4J_H */
