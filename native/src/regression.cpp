// Softmax regression: a linear layer (one OpenBLAS GEMM) followed by the row operations of the
// core, and the cross-entropy loss with its gradient. One template over the element type.
//
// Threads: each GEMM is called once, outside any OpenMP region, and OpenBLAS threads it with its
// own pool; the row work that follows runs through the public row entry points (the core's
// driver and kernels) or, for the loss, through an OpenMP loop that calls no BLAS. The two pools
// therefore never run at the same time.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <cblas.h>

#include "softmax4j.h"

namespace sm4j {
namespace {

// Below this many elements of the rows × k score matrix the loss pass runs on the calling thread
// (the cost of entering a parallel region is larger than the pass).
constexpr int64_t kLossGrain = 1 << 15;
// The loss is summed in at most this many fixed chunks, added in order: the same result for the
// same thread count, whatever the scheduling.
constexpr int kMaxChunks = 64;

// y = alpha * op(a) * op(b) + beta * y, row-major.
inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t kk,
                 float alpha, const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                 float *c, int64_t ldc) {
    cblas_sgemm(CblasRowMajor, ta, tb, blasint(m), blasint(n), blasint(kk), alpha, a, blasint(lda),
                b, blasint(ldb), beta, c, blasint(ldc));
}

inline void gemm(CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int64_t m, int64_t n, int64_t kk,
                 double alpha, const double *a, int64_t lda, const double *b, int64_t ldb,
                 double beta, double *c, int64_t ldc) {
    cblas_dgemm(CblasRowMajor, ta, tb, blasint(m), blasint(n), blasint(kk), alpha, a, blasint(lda),
                b, blasint(ldb), beta, c, blasint(ldc));
}

inline void rows_op(int32_t op, float *y, int64_t ldy, int64_t rows, int64_t k, double a) {
    sm4j_rows_f32(op, y, ldy, y, ldy, rows, k, a);
}

inline void rows_op(int32_t op, double *y, int64_t ldy, int64_t rows, int64_t k, double a) {
    sm4j_rows_f64(op, y, ldy, y, ldy, rows, k, a);
}

// z = x wᵀ + 1 bᵀ. The bias is written first and the GEMM accumulates onto it (beta = 1): the
// same single pass over z that beta = 0 would spend on zeroing it.
template <class T>
void scores(const T *x, int64_t ldx, const T *w, int64_t ldw, const T *b, T *z, int64_t ldz,
            int64_t rows, int64_t d, int64_t k) {
    for (int64_t r = 0; r < rows; ++r) {
        T *zr = z + r * ldz;
        if (b != nullptr) {
            std::copy(b, b + k, zr);
        } else {
            std::fill(zr, zr + k, T(0));
        }
    }
    if (d > 0) gemm(CblasNoTrans, CblasTrans, rows, k, d, T(1), x, ldx, w, ldw, T(1), z, ldz);
}

template <class T>
void linear(int32_t op, const T *x, int64_t ldx, const T *w, int64_t ldw, const T *b, T *y,
            int64_t ldy, int64_t rows, int64_t d, int64_t k, double a) {
    if (rows == 0 || k == 0) return;
    scores(x, ldx, w, ldw, b, y, ldy, rows, d, k);
    if (op == SM4J_SOFTMAX || op == SM4J_LOG_SOFTMAX) rows_op(op, y, ldy, rows, k, a);
}

int loss_threads(int64_t rows, int64_t k) {
    int64_t work = rows * k;
    if (rows < 2 || work < 2 * kLossGrain) return 1;
    int64_t t = std::min<int64_t>(sm4j_get_num_threads(), std::min(rows, work / kLossGrain));
    return int(std::max<int64_t>(1, std::min<int64_t>(t, kMaxChunks)));
}

// One row of z holding log-probabilities: returns s * CE and, if grad, overwrites the row with
// scale * s * (p - t), the gradient of the weighted mean loss with respect to the scores.
template <class T>
double loss_row(T *zr, int64_t k, int32_t label, double s, double eps, double scale, bool grad) {
    const double off = eps / double(k);   // the smoothed target of every class
    const double on = 1.0 - eps + off;    // ... and of the labelled one
    double sum_logp = 0;
    for (int64_t j = 0; j < k; ++j) sum_logp += double(zr[j]);
    double ce = -(1.0 - eps) * double(zr[label]) - off * sum_logp;
    if (grad) {
        const double g = scale * s;
        for (int64_t j = 0; j < k; ++j) {
            double t = j == label ? on : off;
            zr[j] = T(g * (std::exp(double(zr[j])) - t));
        }
    }
    return s * ce;
}

template <class T>
double cross_entropy(const T *x, int64_t ldx, const T *w, const T *b, const int32_t *labels,
                     const T *class_weights, double eps, double scale, T *z, T *dw, T *db,
                     int64_t rows, int64_t d, int64_t k) {
    if (rows == 0 || k == 0) {
        if (dw != nullptr) std::fill(dw, dw + k * d, T(0));
        if (db != nullptr) std::fill(db, db + k, T(0));
        return 0;
    }
    const bool grad = dw != nullptr;
    scores(x, ldx, w, d, b, z, k, rows, d, k);
    rows_op(SM4J_LOG_SOFTMAX, z, k, rows, k, 1.0);

    const int chunks = loss_threads(rows, k);
    double partial[kMaxChunks] = {};
    auto chunk = [&](int c) {
        int64_t lo = rows * c / chunks, hi = rows * (c + 1) / chunks;
        double acc = 0;
        for (int64_t r = lo; r < hi; ++r) {
            double s = class_weights != nullptr ? double(class_weights[labels[r]]) : 1.0;
            acc += loss_row(z + r * k, k, labels[r], s, eps, scale, grad);
        }
        partial[c] = acc;
    };
    if (chunks == 1) {
        chunk(0);
    } else {
#pragma omp parallel for num_threads(chunks) schedule(static, 1)
        for (int c = 0; c < chunks; ++c) chunk(c);
    }
    double loss = 0;
    for (int c = 0; c < chunks; ++c) loss += partial[c];
    loss *= scale;

    if (grad) {
        // dW = Gᵀ X, one GEMM over all rows; db = the column sums of G.
        std::fill(dw, dw + k * d, T(0));
        if (d > 0) gemm(CblasTrans, CblasNoTrans, k, d, rows, T(1), z, k, x, ldx, T(0), dw, d);
    }
    if (db != nullptr) {
        std::fill(db, db + k, T(0));
        if (grad) {
            for (int64_t r = 0; r < rows; ++r) {
                const T *g = z + r * k;
                for (int64_t j = 0; j < k; ++j) db[j] += g[j];
            }
        }
    }
    return loss;
}

}  // namespace
}  // namespace sm4j

extern "C" {

void sm4j_linear_f32(int32_t op, const float *x, int64_t ldx, const float *w, int64_t ldw,
                     const float *b, float *y, int64_t ldy, int64_t rows, int64_t d, int64_t k,
                     double a) {
    sm4j::linear(op, x, ldx, w, ldw, b, y, ldy, rows, d, k, a);
}

void sm4j_linear_f64(int32_t op, const double *x, int64_t ldx, const double *w, int64_t ldw,
                     const double *b, double *y, int64_t ldy, int64_t rows, int64_t d, int64_t k,
                     double a) {
    sm4j::linear(op, x, ldx, w, ldw, b, y, ldy, rows, d, k, a);
}

double sm4j_cross_entropy_f64(const double *x, int64_t ldx, const double *w, const double *b,
                              const int32_t *labels, const double *class_weights,
                              double smoothing, double scale, double *z, double *dw, double *db,
                              int64_t rows, int64_t d, int64_t k) {
    return sm4j::cross_entropy(x, ldx, w, b, labels, class_weights, smoothing, scale, z, dw, db,
                               rows, d, k);
}

}  // extern "C"
