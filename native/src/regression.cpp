// Softmax regression: a linear layer (GEMM) followed by the row operations of the core, and the
// cross-entropy loss with its gradient. One template over the element type.
//
// Threads: every GEMM here is cut into blocks of its output, one per configured thread, and the
// blocks run on the threads the thread policy grants (team.hpp), with OpenBLAS single-threaded
// inside each of them (blas::SingleThreaded). OpenBLAS's own pool is never woken. Letting it
// thread the GEMM and then running the row softmax on OpenMP's threads put two pools on the same
// cores, each spinning while the other worked: predictProba on 4096 x 512, k = 1000 took 1.44x
// the GEMM alone, for a softmax that costs 0.03x of it. With one pool each thread also applies
// the bias and the row operation to its own block of rows straight after computing it, while the
// block is still in cache.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <cblas.h>

#include "blas.hpp"
#include "driver.hpp"
#include "kernels/kernel_set.hpp"
#include "ops.hpp"
#include "row_ops.hpp"
#include "softmax4j.h"

namespace sm4j {
namespace {

// Multiply-adds per thread below which a GEMM is not split: 2^21 of them take a core ~20 us at
// single-threaded sgemm speed, against 0.3-0.5 us to enter a parallel region. (OpenBLAS's own
// threshold is far lower; it threaded even the 1,347 x 64 x 10 GEMMs of the digits data set,
// which made training several times slower on a loaded machine.)
constexpr int64_t kGemmGrain = int64_t(1) << 21;
// Column blocks start at multiples of this many elements: no two threads write to one cache line.
constexpr int64_t kColumnAlign = 16;

// Below this many elements of the rows x k score matrix the loss pass runs on the calling thread
// (the cost of entering a parallel region is larger than the pass).
constexpr int64_t kLossGrain = 1 << 15;
// The loss is summed in at most this many fixed chunks, added in order: the same result for the
// same thread count, whatever the scheduling.
constexpr int kMaxChunks = 64;

// c = alpha * op(a) * op(b) + beta * c, row-major, on the calling thread's BLAS threads.
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

// The operands of c = op(a) op(b) (m x n, row-major; op(a) is m x kk, op(b) is kk x n), and the
// sub-products over a range of c's rows or columns.
template <class T>
struct Gemm {
    CBLAS_TRANSPOSE ta, tb;
    int64_t m, n, kk;
    const T *a;
    int64_t lda;
    const T *b;
    int64_t ldb;
    T *c;
    int64_t ldc;

    // Rows [lo, hi) of c. kk = 0 is an empty sum, written as zeros rather than left to BLAS.
    void rows(int64_t lo, int64_t hi) const {
        if (lo >= hi) return;
        if (kk == 0) return zero(lo, hi, 0, n);
        const T *ar = ta == CblasNoTrans ? a + lo * lda : a + lo;
        gemm(ta, tb, hi - lo, n, kk, T(1), ar, lda, b, ldb, T(0), c + lo * ldc, ldc);
    }

    // Columns [lo, hi) of c.
    void columns(int64_t lo, int64_t hi) const {
        if (lo >= hi) return;
        if (kk == 0) return zero(0, m, lo, hi);
        const T *bc = tb == CblasNoTrans ? b + lo : b + lo * ldb;
        gemm(ta, tb, m, hi - lo, kk, T(1), a, lda, bc, ldb, T(0), c + lo, ldc);
    }

    void zero(int64_t r0, int64_t r1, int64_t c0, int64_t c1) const {
        for (int64_t r = r0; r < r1; ++r) std::fill(c + r * ldc + c0, c + r * ldc + c1, T(0));
    }
};

int gemm_threads(int64_t m, int64_t n, int64_t kk) {
    int64_t macs = m * n * std::max<int64_t>(kk, 1);
    int64_t t = std::min<int64_t>(configured_threads(), macs / kGemmGrain);
    return int(std::max<int64_t>(t, 1));
}

// Calls body(part) for part in [0, parts), on as many threads as the thread policy grants (one
// part per thread when it grants them all) for `grains` grains of work, with BLAS single-threaded
// on every thread (on the calling one too, so that OpenBLAS's pool stays asleep).
template <class Body>
void for_each_part(int parts, int64_t grains, Body body) {
    blas::SingleThreaded single;
    Team team(parts, grains);
    team.run(parts, [&](int64_t p) { body(int(p)); });
}

// Computes g's product on t threads, by blocks of rows or of columns of c. A thread given a block
// of rows packs all of op(b) and its share of op(a); one given a block of columns, all of op(a)
// and its share of op(b). Splitting the longer side packs less in total, so: rows when c is at
// least as tall as wide (measured: 4096 x 512 by k = 1000 is 10% faster by rows; 64 x 4096 by
// k = 32,000 is 1.5x faster by columns, where each row block would stream all of W's 500 MB).
// By rows, each thread calls rows_done(lo, hi) on its block right after computing it, while the
// block is still in cache, and the call returns true. By columns no thread holds whole rows: it
// returns false without calling rows_done.
template <class T, class RowsDone>
bool split_gemm(const Gemm<T> &g, int t, RowsDone rows_done) {
    const int64_t grains = g.m * g.n * std::max<int64_t>(g.kk, 1) / kGemmGrain;
    if (t == 1 || g.m >= g.n || g.n < t * kColumnAlign) {
        const int parts = int(std::min<int64_t>(t, g.m));
        for_each_part(parts, grains, [&](int p) {
            int64_t lo = g.m * p / parts, hi = g.m * (p + 1) / parts;
            g.rows(lo, hi);
            rows_done(lo, hi);
        });
        return true;
    }
    auto edge = [&](int q) {
        return q == t ? g.n : g.n * q / t / kColumnAlign * kColumnAlign;
    };
    for_each_part(t, grains, [&](int p) { g.columns(edge(p), edge(p + 1)); });
    return false;
}

template <class T>
void add_bias(T *z, const T *b, int64_t k) {
    for (int64_t j = 0; j < k; ++j) z[j] += b[j];
}

int loss_threads(int64_t rows, int64_t k) {
    int64_t work = rows * k;
    if (rows < 2 || work < 2 * kLossGrain) return 1;
    int64_t t = std::min<int64_t>(configured_threads(), std::min(rows, work / kLossGrain));
    return int(std::max<int64_t>(1, std::min<int64_t>(t, kMaxChunks)));
}

// One row of z holding log-probabilities: returns s * CE and, if grad, overwrites the row with
// scale * s * (p - t), the gradient of the weighted mean loss with respect to the scores.
template <class T>
double loss_row(T *zr, int64_t k, int32_t label, double s, double eps, double scale, bool grad) {
    const double off = eps / double(k);   // the smoothed target of every class
    const double on = 1.0 - eps + off;    // ... and of the labelled one
    // A class whose probability underflows has log-probability -inf: a term with a zero target
    // weight is left out rather than evaluated as 0 * -inf = NaN (found by the boundary fuzzer:
    // without label smoothing, one such class made the whole loss NaN).
    double ce = 0;
    if (eps != 1.0) ce -= (1.0 - eps) * double(zr[label]);
    if (off != 0) {
        double sum_logp = 0;
        for (int64_t j = 0; j < k; ++j) sum_logp += double(zr[j]);
        ce -= off * sum_logp;
    }
    if (grad) {
        const double g = scale * s;
        for (int64_t j = 0; j < k; ++j) {
            double t = j == label ? on : off;
            zr[j] = T(g * (std::exp(double(zr[j])) - t));
        }
    }
    return s * ce;
}

}  // namespace

// y = op(a (x wᵀ + 1 bᵀ)) for op SM4J_LINEAR_SOFTMAX, SM4J_LINEAR_LOG_SOFTMAX or
// SM4J_LINEAR_SCORES.
template <class T>
void linear(int32_t op, const T *x, int64_t ldx, const T *w, int64_t ldw, const T *b, T *y,
            int64_t ldy, int64_t rows, int64_t d, int64_t k, double a_in) {
    if (rows == 0 || k == 0) return;
    const T a = to_scale<T>(a_in);
    const RowKernels<T> &kern = active_kernels().get<T>();
    const Gemm<T> g{CblasNoTrans, CblasTrans, rows, k, d, x, ldx, w, ldw, y, ldy};
    auto finish = [&](int64_t lo, int64_t hi) {
        for (int64_t r = lo; r < hi; ++r) {
            T *z = y + r * ldy;
            if (b != nullptr) add_bias(z, b, k);
            if (op == SM4J_LINEAR_SOFTMAX) softmax_row(kern, z, z, k, a);
            if (op == SM4J_LINEAR_LOG_SOFTMAX) log_softmax_row(kern, z, z, k, a);
        }
    };
    // Threads for the GEMM, or for the row operation where that is the larger job (few features).
    const bool rows_too = op == SM4J_LINEAR_SOFTMAX || op == SM4J_LINEAR_LOG_SOFTMAX;
    const int t = std::max(gemm_threads(rows, k, d), rows_too ? threads_for(rows, k) : 1);
    if (split_gemm(g, t, finish)) return;
    // Few rows, split by columns: the bias and the row operation follow in a second pass, through
    // the row driver (which splits a long row over the threads).
    if (b != nullptr)
        for (int64_t r = 0; r < rows; ++r) add_bias(y + r * ldy, b, k);
    if (rows_too) {
        row_op<T>(op == SM4J_LINEAR_SOFTMAX ? SM4J_SOFTMAX : SM4J_LOG_SOFTMAX, y, ldy, y, ldy, rows, k,
               a_in);
    }
}

// The loss of log-probabilities z against the labels, and (grad) the gradient in place of z.
template <class T>
double cross_entropy(T *z, int64_t ldz, const int32_t *labels, int64_t ldl,
                     const double *class_weights, double eps, double scale, bool grad,
                     int64_t rows, int64_t k) {
    if (rows == 0 || k == 0) return 0;
    const int chunks = loss_threads(rows, k);
    double partial[kMaxChunks] = {};
    auto chunk = [&](int c) {
        int64_t lo = rows * c / chunks, hi = rows * (c + 1) / chunks;
        double acc = 0;
        for (int64_t r = lo; r < hi; ++r) {
            const int32_t label = labels[r * ldl];
            double s = class_weights != nullptr ? class_weights[label] : 1.0;
            acc += loss_row(z + r * ldz, k, label, s, eps, scale, grad);
        }
        partial[c] = acc;
    };
    {
        Team team(chunks, rows * k / kLossGrain);
        team.run(chunks, [&](int64_t c) { chunk(int(c)); });
    }
    double loss = 0;
    for (int c = 0; c < chunks; ++c) loss += partial[c];
    return loss * scale;
}

// dW = Gᵀ X, one GEMM over all rows; db = the column sums of G.
template <class T>
void linear_gradient(const T *g, int64_t ldg, const T *x, int64_t ldx, T *dw, int64_t lddw, T *db,
                     int64_t rows, int64_t d, int64_t k) {
    if (k == 0) return;
    const Gemm<T> gemm{CblasTrans, CblasNoTrans, k, d, rows, g, ldg, x, ldx, dw, lddw};
    split_gemm(gemm, gemm_threads(k, d, rows), [](int64_t, int64_t) {});
    std::fill(db, db + k, T(0));
    for (int64_t r = 0; r < rows; ++r) {
        const T *gr = g + r * ldg;
        for (int64_t j = 0; j < k; ++j) db[j] += gr[j];
    }
}

#define SM4J_INSTANTIATE(T)                                                                       \
    template void linear<T>(int32_t, const T *, int64_t, const T *, int64_t, const T *, T *,       \
                            int64_t, int64_t, int64_t, int64_t, double);                          \
    template double cross_entropy<T>(T *, int64_t, const int32_t *, int64_t, const double *,      \
                                     double, double, bool, int64_t, int64_t);                     \
    template void linear_gradient<T>(const T *, int64_t, const T *, int64_t, T *, int64_t, T *,   \
                                     int64_t, int64_t, int64_t);
SM4J_INSTANTIATE(float)
SM4J_INSTANTIATE(double)
#undef SM4J_INSTANTIATE

}  // namespace sm4j
