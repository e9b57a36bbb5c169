// In-process A/B of two ways of the causal attention softmax (C API, 2048 x 2048 float32, scale
// 0.125, into a separate output), interleaved call by call: A then B on odd iterations, B then A
// on even ones, then the unmasked block; the first 5 iterations are warm-up. Prints the medians,
// the median of the per-iteration ratios B / A, and causal / unmasked for each way.
//
// Build against a core with one of the measurement patches of this directory applied:
//   g++ -O2 -std=c++17 -fopenmp -DPLACEMENT -I native/include ab.cpp <build>/libsoftmax4j_core.a \
//       -L <openblas dir> -l:libopenblas.so.0 -Wl,-rpath,<openblas dir> -o ab
// (-DPLACEMENT with placement-cace4e4.patch applied to cace4e4; without it, with
// ways-609486f.patch applied to 609486f.)
// Run: ab THREADS ITERATIONS A B. Ways, PLACEMENT: 0-8 = zero lines per exp step (4 is
// cace4e4's; 0: all after the exp loop, before the scale pass), 103 = the zeros by fill after
// the row (609486f's way), 105 = by fill at the row's start. Else: 0 = 609486f as it is, 1 =
// without the row's prefetches for writing, 2 = prefetching the row after next, 3 = no
// prefetch for a next row's last few elements, 4 = no masked tail at all (a wrong output: the
// time without the zeros).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "softmax4j.h"

#ifdef PLACEMENT
namespace sm4j::simd { extern int g_att_per; }
namespace sm4j { extern int g_att_mode; }
static void set_way(int v) {
    sm4j::simd::g_att_per = v < 100 ? v : 4;
    sm4j::g_att_mode = v < 100 ? 0 : v - 100;
}
#else
namespace sm4j { extern int g_att_mode; }
static void set_way(int v) { sm4j::g_att_mode = v; }
#endif

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
    if (argc != 5) return 2;
    const int threads = atoi(argv[1]), iters = atoi(argv[2]), wa = atoi(argv[3]), wb = atoi(argv[4]);
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
    std::vector<double> a, b, u, r;
    for (int i = 0; i < iters; ++i) {
        double ta, tb;
        auto way = [&](int w) { set_way(w); return time([&] { run(s, x, y, true); }); };
        if (i % 2) { ta = way(wa); tb = way(wb); } else { tb = way(wb); ta = way(wa); }
        set_way(0);
        const double tu = time([&] { run(s, x, y, false); });
        if (i >= 5) { a.push_back(ta); b.push_back(tb); u.push_back(tu); r.push_back(tb / ta); }
    }
    auto median = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
    printf("threads %d  A=%d %.0f us  B=%d %.0f us  unmasked %.0f us  B/A paired %.3f  causal/unmasked A %.3f B %.3f\n",
           threads, wa, median(a), wb, median(b), median(u), median(r), median(a) / median(u), median(b) / median(u));
}
