// Causal against unmasked attention softmax in JMH's regime, one process (C API, 2048 x 2048 float32,
// scale 0.125, into a separate output): alternating blocks of 20 calls of each (the first 3 of each
// block not counted); prints the medians and causal / unmasked.
// Build (from the repository root, after mvn package):
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -I native/include docs/results/2026-12-02-paired/blocks.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a \
//       -L$OB -l:libopenblas.so.0 -Wl,-rpath,$OB -o blocks
// with OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64. Run: blocks THREADS BLOCKS.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "softmax4j.h"

static void run(int64_t s, const float *x, float *y, bool causal) {
    sm4j_call c{};
    c.op = SM4J_ATTENTION_SOFTMAX | (causal ? SM4J_CAUSAL : 0);
    c.rows = s;
    c.n = s;
    c.a = 0.125;
    c.in[0] = {const_cast<float *>(x), s, SM4J_F32};
    c.out[0] = {y, s, SM4J_F32};
    sm4j_run(&c);
}

int main(int argc, char **argv) {
    if (argc != 3) return 2;
    const int threads = atoi(argv[1]), iters = atoi(argv[2]);
    sm4j_set_num_threads(threads);
    const int64_t s = 2048;
    // As a large Java array's data: 16 bytes into a 64-byte line.
    std::vector<float> sb(s * s + 64), yb(s * s + 64);
    float *x = (float *)(((uintptr_t)sb.data() + 63) / 64 * 64 + 16);
    float *y = (float *)(((uintptr_t)yb.data() + 63) / 64 * 64 + 16);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 1);
    for (int64_t i = 0; i < s * s; ++i) x[i] = float(g(rng));
    using clock = std::chrono::steady_clock;
    auto time = [](auto f) {
        auto t0 = clock::now();
        f();
        return std::chrono::duration<double, std::micro>(clock::now() - t0).count();
    };
    std::vector<double> a, u;
    for (int blk = 0; blk < iters; ++blk) {
        for (int i = 0; i < 20; ++i) { double t = time([&] { run(s, x, y, true); }); if (i >= 3) a.push_back(t); }
        for (int i = 0; i < 20; ++i) { double t = time([&] { run(s, x, y, false); }); if (i >= 3) u.push_back(t); }
    }
    auto median = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    printf("blocks of 20: threads %d  causal %.0f us  unmasked %.0f us  ratio %.3f\n", threads, median(a), median(u), median(a) / median(u));
}
