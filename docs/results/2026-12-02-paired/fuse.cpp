// Prototype: per-row passes (A: max, exp+store+sum, scale) vs fused (B: the scale pass of row r also
// takes the maximum of row r+1), AVX-512 float, rows back to back; and the library's call (C).
// In-process, interleaved, medians of per-iteration ratios.
// Build (from the repository root, after mvn package):
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -mavx512f -mavx512dq -mavx512bw -mavx512vl -mfma -I native/include -I native/src docs/results/2026-12-02-paired/fuse.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 \
//       -Wl,-rpath,$OB -o fuse
// with OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64.
// Run: fuse ITERATIONS ROWS N.
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
using V = Avx512F32;
using Reg = V::Reg;
constexpr int W = 16;
// y = t c over [0, n) of row r, while the maximum of the next row xn[0, n) is taken
static float scale_max(float *y, int64_t n, float c, const float *xn) {
    const Reg vc = V::set1(c);
    Reg a0 = V::set1(-__builtin_inff()), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 4 * W <= n; i += 4 * W) {
        V::store(y + i, V::mul(V::load(y + i), vc));
        V::store(y + i + W, V::mul(V::load(y + i + W), vc));
        V::store(y + i + 2 * W, V::mul(V::load(y + i + 2 * W), vc));
        V::store(y + i + 3 * W, V::mul(V::load(y + i + 3 * W), vc));
        a0 = V::max(V::load(xn + i), a0);
        a1 = V::max(V::load(xn + i + W), a1);
        a2 = V::max(V::load(xn + i + 2 * W), a2);
        a3 = V::max(V::load(xn + i + 3 * W), a3);
    }
    for (; i < n; i += W) {
        auto valid = V::first(n - i);
        V::store_first(y + i, valid, V::mul(V::load_first(y + i, valid, 0), vc));
        a0 = V::max(V::load_first(xn + i, valid, -__builtin_inff()), a0);
    }
    return V::reduce_max(V::max(V::max(a0, a1), V::max(a2, a3)));
}
__attribute__((noinline)) void way_a(const float *x, float *y, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; ++r) {
        const float *xr = x + r * n; float *yr = y + r * n;
        float m = extreme<V, float>(xr, n, 1.0f);
        double s = exp_sum_store<V, float>(xr, yr, n, 1.0f, m, n * 4);
        scale<V, false, float>(yr, yr, n, float(1.0 / s));
    }
}
__attribute__((noinline)) void way_b(const float *x, float *y, int64_t rows, int64_t n) {
    float m = extreme<V, float>(x, n, 1.0f);
    for (int64_t r = 0; r < rows; ++r) {
        const float *xr = x + r * n; float *yr = y + r * n;
        double s = exp_sum_store<V, float>(xr, yr, n, 1.0f, m, n * 4);
        const float *xn = r + 1 < rows ? xr + n : xr;  // last row: a harmless re-read
        m = scale_max(yr, n, float(1.0 / s), xn);
    }
}
int main(int argc, char **argv) {
    int iters = atoi(argv[1]); long rows = atol(argv[2]), n = atol(argv[3]);
    sm4j_set_num_threads(1);
    std::vector<char> bx(rows * n * 4 + 256), by(rows * n * 4 + 256);
    float *x = (float *)(((uintptr_t)bx.data() + 63) / 64 * 64 + 16), *y = (float *)(((uintptr_t)by.data() + 63) / 64 * 64 + 16);
    std::mt19937 g(1); std::normal_distribution<float> d; for (long i = 0; i < rows * n; ++i) x[i] = d(g);
    std::vector<float> ya(rows * n);
    way_a(x, y, rows, n); std::copy(y, y + rows * n, ya.begin()); way_b(x, y, rows, n);
    long diff = 0; for (long i = 0; i < rows * n; ++i) diff += ya[i] != y[i];
    auto lib = [&] { sm4j_call c{}; c.op = SM4J_SOFTMAX; c.rows = rows; c.n = n; c.a = 1.0; c.in[0] = {x, n, SM4J_F32}; c.out[0] = {y, n, SM4J_F32}; sm4j_run(&c); };
    lib(); long diffl = 0; for (long i = 0; i < rows * n; ++i) diffl += ya[i] != y[i];
    using clk = std::chrono::steady_clock;
    auto time = [&](auto f) { auto t0 = clk::now(); f(); return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); };
    std::vector<double> A, B, C, rb, rc;
    for (int it = 0; it < iters + 5; ++it) {
        double ta, tb, tc;
        switch (it % 3) {
            case 0: ta = time([&] { way_a(x, y, rows, n); }); tb = time([&] { way_b(x, y, rows, n); }); tc = time(lib); break;
            case 1: tb = time([&] { way_b(x, y, rows, n); }); tc = time(lib); ta = time([&] { way_a(x, y, rows, n); }); break;
            default: tc = time(lib); ta = time([&] { way_a(x, y, rows, n); }); tb = time([&] { way_b(x, y, rows, n); }); break;
        }
        if (it >= 5) { A.push_back(ta); B.push_back(tb); C.push_back(tc); rb.push_back(tb / ta); rc.push_back(tc / ta); }
    }
    auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    printf("%ldx%ld: A %.1f us  B(fused) %.1f  lib %.1f   B/A %.3f  lib/A %.3f   (bits differing: B %ld, lib %ld)\n", rows, n, med(A), med(B), med(C), med(rb), med(rc), diff, diffl);
}
