// OpenBLAS for the derivative and regression operations: typed wrappers (one name for float and
// double), the guard that keeps OpenBLAS on the calling thread, and a row driver built on both.
//
// The preset's OpenBLAS runs its own pthreads pool. Called from several OpenMP threads at once,
// each call would fan out again over the same cores (measured 30-55% slower); called between
// OpenMP regions, its threads spin for a while after each call and the OpenMP team spins after
// each region, and the two pools take the cores from each other (a GEMM followed by a row softmax
// took 1.44x the GEMM alone). So the rows, or the blocks of a GEMM, are the parallelism, and
// OpenBLAS runs single-threaded on whichever thread calls it, serial paths included (leaving a
// 256 x 256 x 256 Jacobian's level-2 calls to the pool made it 10-30x slower on a loaded machine).
#pragma once

#include <cblas.h>

#include <cstdint>

#include "driver.hpp"

namespace sm4j {
namespace blas {

// Holds OpenBLAS's thread count at 1 for its lifetime; taken on the calling thread, around any
// parallel region whose threads call BLAS. The count is one process-wide value in the preset's
// pthreads build, even through openblas_set_num_threads_local (measured: a count set on one
// thread is seen by all), so two callers' set-and-restore pairs could interleave and leave it at 1
// for good. The guard therefore counts its holders under a lock: the first one sets 1 and keeps
// the previous count, the last one restores it. While any is held, BLAS calls made by the rest
// of the process run single-threaded too (same results, BLAS splits no sums over threads).
class SingleThreaded {
   public:
    SingleThreaded();
    ~SingleThreaded();
    SingleThreaded(const SingleThreaded &) = delete;
    SingleThreaded &operator=(const SingleThreaded &) = delete;
};

// OpenBLAS's thread count as the process set it: the count a held guard will restore.
int pool_threads();

// <x, y>, accumulated in double for both types (dsdot for float: a float dot product of a
// row of 10^4 terms would lose four digits).
inline double dot(int64_t n, const float *x, const float *y) {
    return cblas_dsdot(blasint(n), x, 1, y, 1);
}
inline double dot(int64_t n, const double *x, const double *y) {
    return cblas_ddot(blasint(n), x, 1, y, 1);
}

// A += alpha u u^T on the whole row-major n x n matrix A (a general rank-1 update). OpenBLAS
// forms each row as (alpha u_i) u_j; with alpha = +-1 that is +-(u_i u_j), a commutative
// product, so A stays exactly symmetric.
inline void ger_self(int64_t n, float alpha, const float *u, float *A, int64_t lda) {
    cblas_sger(CblasRowMajor, blasint(n), blasint(n), alpha, u, 1, u, 1, A, blasint(lda));
}
inline void ger_self(int64_t n, double alpha, const double *u, double *A, int64_t lda) {
    cblas_dger(CblasRowMajor, blasint(n), blasint(n), alpha, u, 1, u, 1, A, blasint(lda));
}

// w = A^T x for the row-major m x k matrix A: w_j = sum_i x_i A_ij. Needs m, k >= 1.
inline void gemv_t(int64_t m, int64_t k, const float *A, int64_t lda, const float *x, float *w) {
    cblas_sgemv(CblasRowMajor, CblasTrans, blasint(m), blasint(k), 1.0f, A, blasint(lda), x, 1,
                0.0f, w, 1);
}
inline void gemv_t(int64_t m, int64_t k, const double *A, int64_t lda, const double *x,
                   double *w) {
    cblas_dgemv(CblasRowMajor, CblasTrans, blasint(m), blasint(k), 1.0, A, blasint(lda), x, 1,
                0.0, w, 1);
}

}  // namespace blas

// Calls body(r) for every row r in [0, rows), as for_each_row does, with `work` elements of
// work per row deciding the threads; BLAS is single-threaded throughout.
template <class Body>
inline void for_each_row_blas(int64_t rows, int64_t work, Body body) {
    blas::SingleThreaded single;
    for_each_row(rows, work, body);
}

}  // namespace sm4j
