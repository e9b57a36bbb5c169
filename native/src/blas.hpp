// OpenBLAS for the derivative operations: typed wrappers (one name for float and double) and a
// row driver that keeps BLAS single-threaded inside its own parallel region.
//
// The preset's OpenBLAS runs its own pthreads pool; called from several OpenMP threads at once,
// each call would fan out again over the same two cores (measured 30-55% slower). Each calling
// thread therefore sets its own BLAS thread count to 1 (openblas_set_num_threads_local, OpenBLAS
// >= 0.3.27) for the batch and restores it afterwards. The serial path does so too: the calls are
// level-1/2 operations on one row, and leaving them to the pool made a 256 x 256 x 256 Jacobian
// 10-30x slower on a loaded 2-core machine. The rows are the parallelism.
#pragma once

#include <cblas.h>

#include <cstdint>

#include "driver.hpp"

namespace sm4j {
namespace blas {

// The calling thread's BLAS thread count, set for the lifetime of the object.
class LocalThreads {
   public:
    explicit LocalThreads(int threads) : previous_(openblas_set_num_threads_local(threads)) {}
    ~LocalThreads() { openblas_set_num_threads_local(previous_); }
    LocalThreads(const LocalThreads &) = delete;
    LocalThreads &operator=(const LocalThreads &) = delete;

   private:
    int previous_;
};

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
    int threads = threads_for(rows, work);
    if (threads <= 1) {
        blas::LocalThreads single(1);
        for (int64_t r = 0; r < rows; ++r) body(r);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        blas::LocalThreads single(1);
#pragma omp for schedule(static)
        for (int64_t r = 0; r < rows; ++r) body(r);
    }
}

}  // namespace sm4j
