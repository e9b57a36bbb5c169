// Rows of one block, softmax: row after row (max, exp-sum-store, scale per row) against two rows
// at a time (max and exp of r, max and exp of r + 1, scale r, scale r + 1), the same AVX-512
// kernels, and the library's call (which takes rows two at a time since this stop); float or
// double. In one process, the three interleaved in a rotating order; medians of per-iteration
// ratios; the bits of all three are compared.
// Build (from the repository root, after mvn package):
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -mavx512f -mavx512dq -mavx512bw -mavx512vl -mfma -I native/include -I native/src docs/results/2026-12-02-paired/pairs.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 \
//       -Wl,-rpath,$OB -o pairs
// with OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64.
// Run: pairs ITERATIONS ROWS N [32|64].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include "kernels/simd_kernels.hpp"
#include "kernels/vec_avx512.hpp"
#include "softmax4j.h"
using namespace sm4j::simd;
template <class V>
__attribute__((noinline)) void rows_a(const typename V::T *x, typename V::T *y, int64_t rows, int64_t n) {
    using T = typename V::T;
    for (int64_t r = 0; r < rows; ++r) {
        const T *xr = x + r * n; T *yr = y + r * n;
        T m = extreme<V, T>(xr, n, T(1));
        double s = exp_sum_store<V, T>(xr, yr, n, T(1), m, n * sizeof(T));
        scale<V, false, T>(yr, yr, n, T(1.0 / s));
    }
}
template <class V>
__attribute__((noinline)) void rows_p(const typename V::T *x, typename V::T *y, int64_t rows, int64_t n) {
    using T = typename V::T;
    int64_t r = 0;
    for (; r + 1 < rows; r += 2) {
        const T *x0 = x + r * n, *x1 = x0 + n; T *y0 = y + r * n, *y1 = y0 + n;
        T m0 = extreme<V, T>(x0, n, T(1));
        double s0 = exp_sum_store<V, T>(x0, y0, n, T(1), m0, n * sizeof(T));
        T m1 = extreme<V, T>(x1, n, T(1));
        double s1 = exp_sum_store<V, T>(x1, y1, n, T(1), m1, n * sizeof(T));
        scale<V, false, T>(y0, y0, n, T(1.0 / s0));
        scale<V, false, T>(y1, y1, n, T(1.0 / s1));
    }
    if (r < rows) rows_a<V>(x + r * n, y + r * n, 1, n);
}
template <class V>
void bench(int iters, long rows, long n, int code) {
    using T = typename V::T;
    std::vector<T> x(rows * n), y(rows * n), ya(rows * n);
    std::mt19937 g(1); std::normal_distribution<double> d; for (auto &v : x) v = T(d(g));
    rows_a<V>(x.data(), y.data(), rows, n); ya = y; rows_p<V>(x.data(), y.data(), rows, n);
    long diff = 0; for (long i = 0; i < rows * n; ++i) diff += ya[i] != y[i];
    auto lib = [&] { sm4j_call c{}; c.op = SM4J_SOFTMAX; c.rows = rows; c.n = n; c.a = 1.0; c.in[0] = {x.data(), n, code}; c.out[0] = {y.data(), n, code}; sm4j_run(&c); };
    lib(); long diffl = 0; for (long i = 0; i < rows * n; ++i) diffl += ya[i] != y[i];
    using clk = std::chrono::steady_clock;
    auto time = [&](auto f) { auto t0 = clk::now(); f(); return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); };
    std::vector<double> A, P, L, rp, rl;
    auto a = [&] { return time([&] { rows_a<V>(x.data(), y.data(), rows, n); }); };
    auto p = [&] { return time([&] { rows_p<V>(x.data(), y.data(), rows, n); }); };
    for (int it = 0; it < iters + 5; ++it) {
        double ta, tp, tl;
        switch (it % 3) {
            case 0: ta = a(); tp = p(); tl = time(lib); break;
            case 1: tp = p(); tl = time(lib); ta = a(); break;
            default: tl = time(lib); ta = a(); tp = p(); break;
        }
        if (it >= 5) { A.push_back(ta); P.push_back(tp); L.push_back(tl); rp.push_back(tp / ta); rl.push_back(tl / ta); }
    }
    auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    printf("%s %ldx%ld: rows %.1f us, pairs %.1f, library %.1f; pairs/rows %.3f, library/rows %.3f (bits differing: pairs %ld, library %ld)\n",
           sizeof(T) == 4 ? "float " : "double", rows, n, med(A), med(P), med(L), med(rp), med(rl), diff, diffl);
}
int main(int argc, char **argv) {
    int iters = atoi(argv[1]); long rows = atol(argv[2]), n = atol(argv[3]); int bits = argc > 4 ? atoi(argv[4]) : 32;
    sm4j_set_num_threads(1);
    if (bits == 64) bench<Avx512F64>(iters, rows, n, SM4J_F64); else bench<Avx512F32>(iters, rows, n, SM4J_F32);
}
