// The causal attention softmax as changed here (rows in chunks on more than one thread, pairs of
// rows where the output is not streamed; attention.cpp) against the way before (single rows in
// zigzag order, no pairs), with the unmasked attention softmax and the plain softmax of the same
// block, interleaved call by call in one process (each iteration runs the four in a random
// order; the first 5 iterations are warm-up). C API, float32, scale 0.125, into a separate output
// 16 bytes into a 64-byte line (as a large Java array's data). Prints the medians of the times
// and of the per-iteration ratios.
//
// Build against a core with knobs.patch applied (two globals that select the way before):
//   git apply docs/results/2026-12-02-chunks/knobs.patch
//   cmake -S native -B B -DOPENBLAS_ROOT=<openblas dir> -DCMAKE_BUILD_TYPE=Release
//   cmake --build B --target softmax4j_core
//   g++ -O2 -std=c++17 -fopenmp -I native/include docs/results/2026-12-02-chunks/chunks.cpp \
//       B/libsoftmax4j_core.a -L <openblas dir> -l:libopenblas.so.0 -Wl,-rpath,<openblas dir> -o chunks
// (<openblas dir>: java/core/target/openblas/org/bytedeco/openblas/linux-x86_64 after a build.)
// Run: chunks THREADS ITERATIONS SIZE [CHUNK]: CHUNK forces the new way's chunk (0, the default:
// the library's choice).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "softmax4j.h"

namespace sm4j { extern int g_att_chunk, g_att_pair; }

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) return 2;
    const int threads = atoi(argv[1]), iters = atoi(argv[2]);
    const int64_t s = atol(argv[3]);
    const int chunk = argc > 4 ? atoi(argv[4]) : 0;
    sm4j_set_num_threads(threads);
    std::vector<float> sb(s * s + 64), yb(s * s + 64);
    float *x = (float *)(((uintptr_t)sb.data() + 63) / 64 * 64 + 16);
    float *y = (float *)(((uintptr_t)yb.data() + 63) / 64 * 64 + 16);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 1);
    for (int64_t i = 0; i < s * s; ++i) x[i] = float(g(rng));
    // before: chunks of 1 row, no pairs; after: the library's way
    struct Way { int op, chunk, pair; } ways[4] = {{SM4J_ATTENTION_SOFTMAX | SM4J_CAUSAL, 1, 0},
                                                   {SM4J_ATTENTION_SOFTMAX | SM4J_CAUSAL, chunk, 1},
                                                   {SM4J_ATTENTION_SOFTMAX, 0, 1},
                                                   {SM4J_SOFTMAX, 0, 1}};
    auto time = [&](const Way &w) {
        sm4j::g_att_chunk = w.chunk;
        sm4j::g_att_pair = w.pair;
        sm4j_call c{};
        c.op = w.op;
        c.rows = s;
        c.n = s;
        c.a = 0.125;
        c.in[0] = {x, s, SM4J_F32};
        c.out[0] = {y, s, SM4J_F32};
        auto t0 = std::chrono::steady_clock::now();
        sm4j_run(&c);
        return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    };
    std::vector<double> t[4], after_before, after_unmasked, after_softmax, before_unmasked, unmasked_softmax;
    // A random order each iteration: what a call finds in the cache depends on the call before
    // it (a streamed causal output leaves none of y there), and a fixed rotation gives each way
    // always the same predecessor.
    int order[4] = {0, 1, 2, 3};
    std::mt19937 pick(7);
    for (int it = 0; it < iters + 5; ++it) {
        double u[4];
        std::shuffle(order, order + 4, pick);
        for (int j : order) u[j] = time(ways[j]);
        if (it < 5) continue;
        for (int j = 0; j < 4; ++j) t[j].push_back(u[j]);
        after_before.push_back(u[1] / u[0]);
        after_unmasked.push_back(u[1] / u[2]);
        after_softmax.push_back(u[1] / u[3]);
        before_unmasked.push_back(u[0] / u[2]);
        unmasked_softmax.push_back(u[2] / u[3]);
    }
    auto med = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    std::printf("%lldx%lld %d threads, chunk %d: us causal before %.1f, after %.1f, unmasked %.1f, softmax %.1f | "
                "causal after/before %.3f | causal/unmasked before %.3f after %.3f | causal after/softmax %.3f | "
                "unmasked/softmax %.3f\n",
                (long long)s, (long long)s, threads, chunk, med(t[0]), med(t[1]), med(t[2]), med(t[3]), med(after_before),
                med(before_unmasked), med(after_unmasked), med(after_softmax), med(unmasked_softmax));
}
