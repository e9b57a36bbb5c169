// What bounds issue 14's targets on this CPU: every operation of a target and its copy, on a batch
// of rows that stays in cache and on one that comes from memory, interleaved per iteration
// (rotating order) in one process; medians, ns per element, and per-iteration ratios.
//
// "cache": 16 rows x 1000 (62 KB of float in, 62 KB out: the L2) — the operation's arithmetic
// with its loads and stores from cache, the time it cannot go below at any batch size.
// "memory": 4096 x 1000 (16 MB of float in, 16 MB out), the targets' shape.
//
// Build (from the repository root, after mvn package), x86-64:
//   OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -mavx2 -mfma -mf16c -I native/include docs/results/2026-12-03-bounds/bounds.cpp -fopenmp \
//       /tmp/rel/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 -Wl,-rpath,$OB -o /tmp/bounds
// Run: /tmp/bounds [threads] [iterations].
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>
#include <immintrin.h>
#include "softmax4j.h"

using clk = std::chrono::steady_clock;
static volatile float sink;

// A plain read of the bytes (a sum, four accumulators): what reading alone costs.
__attribute__((noinline)) static float readsum(const float *x, long n) {
    __m256 a = _mm256_setzero_ps(), b = a, c = a, d = a;
    for (long i = 0; i + 32 <= n; i += 32) {
        a = _mm256_add_ps(a, _mm256_loadu_ps(x + i));
        b = _mm256_add_ps(b, _mm256_loadu_ps(x + i + 8));
        c = _mm256_add_ps(c, _mm256_loadu_ps(x + i + 16));
        d = _mm256_add_ps(d, _mm256_loadu_ps(x + i + 24));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(a, b), _mm256_add_ps(c, d));
    float t[8];
    _mm256_storeu_ps(t, s);
    return t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
}

static uint16_t to_bf16(float f) {  // round to nearest even (no NaN in these inputs)
    uint32_t u;
    std::memcpy(&u, &f, 4);
    u += 0x7FFF + ((u >> 16) & 1);
    return uint16_t(u >> 16);
}

struct Case {
    const char *name;
    int op, in_t, out_t;
    bool lse;  // one output per row
};

int main(int argc, char **argv) {
    int th = argc > 1 ? atoi(argv[1]) : 1;
    int iters = argc > 2 ? atoi(argv[2]) : 41;
    sm4j_set_num_threads(th);
    const long n = 1000, big = 4096, small = 16;
    // 64-byte aligned storage, data 16 bytes into a line as in a Java array.
    auto alloc = [](size_t bytes) { return static_cast<char *>(std::aligned_alloc(64, bytes + 128)) + 16; };
    char *xf = alloc(big * n * 4), *yf = alloc(big * n * 4);
    char *xd = alloc(big * n * 8), *yd = alloc(big * n * 8);
    char *xb = alloc(big * n * 2), *xh = alloc(big * n * 2), *yh = alloc(big * n * 2);
    std::mt19937 g(1);
    std::normal_distribution<float> d(0.f, 3.f);  // HalfBench's N(0, 3^2)
    for (long i = 0; i < big * n; ++i) {
        float v = d(g);
        reinterpret_cast<float *>(xf)[i] = v;
        reinterpret_cast<double *>(xd)[i] = v;
        reinterpret_cast<uint16_t *>(xb)[i] = to_bf16(v);
        reinterpret_cast<uint16_t *>(xh)[i] = _cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT);
    }
    std::memset(yf, 0, big * n * 4);
    std::memset(yd, 0, big * n * 8);
    std::memset(yh, 0, big * n * 2);

    const Case cases[] = {
        {"softmax f32", SM4J_SOFTMAX, SM4J_F32, SM4J_F32, false},
        {"log-softmax f32", SM4J_LOG_SOFTMAX, SM4J_F32, SM4J_F32, false},
        {"lse f32", SM4J_LOGSUMEXP, SM4J_F32, SM4J_F32, true},
        {"copy f32", SM4J_COPY, SM4J_F32, SM4J_F32, false},
        {"softmax f64", SM4J_SOFTMAX, SM4J_F64, SM4J_F64, false},
        {"copy f64", SM4J_COPY, SM4J_F64, SM4J_F64, false},
        {"softmax bf16", SM4J_SOFTMAX, SM4J_BF16, SM4J_BF16, false},
        {"softmax f16", SM4J_SOFTMAX, SM4J_F16, SM4J_F16, false},
        {"copy bf16", SM4J_COPY, SM4J_BF16, SM4J_BF16, false},
        {"read f32", -1, SM4J_F32, SM4J_F32, false},
    };
    const int nc = sizeof cases / sizeof cases[0];
    auto buf_in = [&](int t) { return t == SM4J_F32 ? xf : t == SM4J_F64 ? xd : t == SM4J_BF16 ? xb : xh; };
    auto buf_out = [&](int t) { return t == SM4J_F32 ? yf : t == SM4J_F64 ? yd : yh; };

    for (long rows : {small, big}) {
        std::vector<std::vector<double>> t(nc);
        int reps = rows == small ? 256 : 1;  // calls per timing: ~2-4 ms either way
        for (int it = 0; it < iters + 3; ++it) {
            for (int j = 0; j < nc; ++j) {
                int k = (j + it) % nc;
                const Case &c = cases[k];
                auto t0 = clk::now();
                for (int r = 0; r < reps; ++r) {
                    if (c.op < 0) {
                        sink = readsum(reinterpret_cast<float *>(xf), rows * n);
                        continue;
                    }
                    sm4j_call call{};
                    call.op = c.op;
                    call.rows = rows;
                    call.n = n;
                    call.a = 1.0;
                    call.in[0] = {buf_in(c.in_t), n, c.in_t};
                    call.out[0] = {buf_out(c.out_t), c.lse ? 1 : n, c.out_t};
                    sm4j_run(&call);  // no checks in the C API: the operands above are valid
                }
                double ns = std::chrono::duration<double, std::nano>(clk::now() - t0).count();
                if (it >= 3) t[k].push_back(ns / (double(reps) * rows * n));
            }
        }
        auto med = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        std::printf("%ld x %ld, %d thread(s), ns per element (median of %d):\n", rows, n, th, iters);
        for (int k = 0; k < nc; ++k) std::printf("  %-16s %.3f\n", cases[k].name, med(t[k]));
        auto ratio = [&](int a, int b) {
            std::vector<double> r;
            for (size_t i = 0; i < t[a].size(); ++i) r.push_back(t[a][i] / t[b][i]);
            return med(r);
        };
        std::printf("  ratios: softmax/copy %.3f  log-softmax/softmax %.3f  f64/f32 %.3f  bf16/f32 %.3f"
                    "  f16/f32 %.3f  copy f64/f32 %.3f  copy bf16/f32 %.3f\n",
                    ratio(0, 3), ratio(1, 0), ratio(4, 0), ratio(6, 0), ratio(7, 0), ratio(5, 3), ratio(8, 3));
    }
}
