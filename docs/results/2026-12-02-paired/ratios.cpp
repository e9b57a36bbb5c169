// The float32 softmax, the float64 softmax and the float32 copy of one batch through the C API,
// interleaved in a rotating order in one process; medians of the per-iteration ratios.
// Build (from the repository root, after mvn package), with /tmp/rel as for pairs.cpp:
//   g++ -O2 -std=c++17 -I native/include docs/results/2026-12-02-paired/ratios.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a \
//       -L$OB -l:libopenblas.so.0 -Wl,-rpath,$OB -o ratios
// Run: ratios ITERATIONS ROWS N [THREADS].
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include "softmax4j.h"
int main(int argc, char **argv) {
    int iters = atoi(argv[1]); long rows = atol(argv[2]), n = atol(argv[3]); int th = argc > 4 ? atoi(argv[4]) : 1;
    sm4j_set_num_threads(th);
    std::vector<float> xf(rows * n), yf(rows * n); std::vector<double> xd(rows * n), yd(rows * n);
    std::mt19937 g(1); std::normal_distribution<float> d; for (long i = 0; i < rows * n; ++i) xd[i] = xf[i] = d(g);
    auto run = [&](int op, void *x, void *y, int t) { sm4j_call c{}; c.op = op; c.rows = rows; c.n = n; c.a = 1.0; c.in[0] = {x, n, t}; c.out[0] = {y, n, t}; sm4j_run(&c); };
    using clk = std::chrono::steady_clock;
    auto time = [&](auto f) { auto t0 = clk::now(); f(); return std::chrono::duration<double, std::micro>(clk::now() - t0).count(); };
    std::vector<double> F, D, C, rd, rc;
    for (int it = 0; it < iters + 5; ++it) {
        double tf, td, tc;
        auto a = [&] { tf = time([&] { run(SM4J_SOFTMAX, xf.data(), yf.data(), SM4J_F32); }); };
        auto b = [&] { td = time([&] { run(SM4J_SOFTMAX, xd.data(), yd.data(), SM4J_F64); }); };
        auto c = [&] { tc = time([&] { run(SM4J_COPY, xf.data(), yf.data(), SM4J_F32); }); };
        switch (it % 3) { case 0: a(); b(); c(); break; case 1: b(); c(); a(); break; default: c(); a(); b(); }
        if (it >= 5) { F.push_back(tf); D.push_back(td); C.push_back(tc); rd.push_back(td / tf); rc.push_back(tf / tc); }
    }
    auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    printf("%ldx%ld %dT: f32 %.1f us f64 %.1f copy %.1f   f64/f32 %.3f  sm/copy %.3f\n", rows, n, th, med(F), med(D), med(C), med(rd), med(rc));
}
