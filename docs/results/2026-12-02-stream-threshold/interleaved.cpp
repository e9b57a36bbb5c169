// The causal attention softmax with ordinary and with non-temporal stores, interleaved call by
// call in one process (C API): each round runs the plain softmax, the causal block with the
// threshold out of reach (ordinary stores), and the causal block with the derived threshold.
// Prints the medians of 37 rounds after 3 warm-up rounds.
//
//   g++ -O2 -std=c++17 -I native/include -I native/src interleaved.cpp -fopenmp \
//       BUILD/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 -o interleaved
//   LD_LIBRARY_PATH=$OB ./interleaved SIZE [THREADS]
//
// BUILD is a Release build of native/ (native/README.md), OB the preset's OpenBLAS directory
// (java/core/target/openblas/org/bytedeco/openblas/linux-x86_64 after the Maven build).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include "softmax4j.h"
#include "kernels/kernel_set.hpp"
int main(int argc, char **argv) {
    sm4j_force_kernels("avx2"); sm4j_set_num_threads(argc > 2 ? atoi(argv[2]) : 1);
    const int64_t s = atoi(argv[1]);
    std::vector<float> sc(s * s), y(sc.size());
    std::mt19937_64 rng(1); std::normal_distribution<double> g(0, 3);
    for (auto &v : sc) v = float(g(rng));
    auto run = [&](int op) { sm4j_call c{}; c.op = op; c.rows = s; c.n = s; c.a = 1.0;
        c.in[0] = {sc.data(), s, SM4J_F32}; c.out[0] = {y.data(), s, SM4J_F32}; sm4j_run(&c); };
    std::vector<double> t[3];
    for (int k = 0; k < 40; ++k) for (int w = 0; w < 3; ++w) {
        if (w == 1) sm4j::set_stream_threshold(int64_t(1) << 40);
        if (w == 2) sm4j::set_stream_threshold(-1);
        auto t0 = std::chrono::steady_clock::now();
        run(w == 0 ? SM4J_SOFTMAX : SM4J_ATTENTION_SOFTMAX | SM4J_CAUSAL);
        if (k >= 3) t[w].push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    for (auto &v : t) std::sort(v.begin(), v.end());
    double p = t[0][t[0].size() / 2], a = t[1][t[1].size() / 2], b = t[2][t[2].size() / 2];
    std::printf("%lldx%lld %s threads: softmax %.0f | causal unstreamed %.0f (%.3f) streamed-by-derived %.0f (%.3f) | threshold %lld\n",
        (long long)s, (long long)s, argc > 2 ? argv[2] : "1", p, a, a / p, b, b / p, (long long)sm4j::stream_threshold());
}
