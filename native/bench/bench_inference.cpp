// Timing of the inference entry points on their own (no JNI), for insight while developing;
// claims are made with JMH (bench/). Median microseconds per call.
//
//   softmax4j_bench_inference [kernel-set|best] [sigma]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "softmax4j.h"

namespace {

void sample(int64_t rows, int64_t n, const float *x, const double *spec, uint64_t step, int32_t *tokens) {
    sm4j_call c{};
    c.op = SM4J_SAMPLE;
    c.rows = rows;
    c.n = n;
    c.param = double(step);
    c.in[0] = {const_cast<float *>(x), n, SM4J_F32};
    c.in[2] = {const_cast<double *>(spec), 0, SM4J_F64};
    c.out[0] = {tokens, 1, SM4J_I32};
    sm4j_run(&c);
}

void run(int32_t op, int64_t rows, int64_t n, const float *s, float *y, bool causal) {
    sm4j_call c{};
    c.op = op | (causal ? SM4J_CAUSAL : 0);
    c.rows = rows;
    c.n = n;
    c.a = 1.0;
    c.in[0] = {const_cast<float *>(s), n, SM4J_F32};
    c.out[0] = {y, n, SM4J_F32};
    sm4j_run(&c);
}

template <class F>
double median_us(F f, double seconds = 0.5) {
    using clock = std::chrono::steady_clock;
    for (int i = 0; i < 3; ++i) f();
    std::vector<double> samples;
    auto end = clock::now() + std::chrono::duration<double>(seconds);
    while (clock::now() < end || samples.size() < 5) {
        auto t0 = clock::now();
        f();
        samples.push_back(std::chrono::duration<double, std::micro>(clock::now() - t0).count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::string(argv[1]) != "best" && sm4j_force_kernels(argv[1]) != 0) {
        std::fprintf(stderr, "unknown or unavailable kernel set %s\n", argv[1]);
        return 1;
    }
    const double sigma = argc > 2 ? std::atof(argv[2]) : 3.0;
    std::printf("kernels %s, logits N(0, %g^2)\n", sm4j_kernel_name(), sigma);
    const int64_t n = 128256, rows = 64;
    std::vector<float> x(size_t(rows * n));
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, sigma);
    for (auto &v : x) v = float(g(rng));
    std::vector<int32_t> tokens(rows);
    struct Case {
        const char *name;
        double t, k, p, m;
    } cases[] = {{"greedy", 0, 0, 1, 0},          {"T=1", 1, 0, 1, 0},
                 {"T=0.8 top-k 50", 0.8, 50, 1, 0}, {"T=0.8 top-p 0.9", 0.8, 0, 0.9, 0},
                 {"T=0.8 min-p 0.05", 0.8, 0, 1, 0.05}, {"T=0.8 k50 p0.9 m0.05", 0.8, 50, 0.9, 0.05}};
    uint64_t step = 0;
    for (const Case &c : cases) {
        double spec[SM4J_SPEC_BIAS] = {c.t, c.k, c.p, c.m, 1, 0, 0, 42, 0, 0};
        sm4j_set_num_threads(1);
        double one = median_us([&] {
            sample(1, n, x.data(), spec, step++, tokens.data());
        });
        double b1 = median_us([&] {
            sample(rows, n, x.data(), spec, step++, tokens.data());
        });
        sm4j_set_num_threads(2);
        double b2 = median_us([&] {
            sample(rows, n, x.data(), spec, step++, tokens.data());
        });
        std::printf("%-24s 1x%lld: %8.2f us   %lld rows: %9.1f us (1 thread) %9.1f us (2 threads) %.2fx\n", c.name,
                    (long long)n, one, (long long)rows, b1, b2, b1 / b2);
    }
    // Attention: causal softmax against the plain softmax on 2048 x 2048, 1 thread.
    sm4j_set_num_threads(1);
    const int64_t s = 2048;
    std::vector<float> sc(size_t(s * s)), y(sc.size());
    for (auto &v : sc) v = float(g(rng));
    double plain = median_us([&] { run(SM4J_SOFTMAX, s, s, sc.data(), y.data(), false); }, 1.0);
    double causal = median_us(
            [&] { run(SM4J_ATTENTION_SOFTMAX, s, s, sc.data(), y.data(), true); }, 1.0);
    double full = median_us(
            [&] { run(SM4J_ATTENTION_SOFTMAX, s, s, sc.data(), y.data(), false); }, 1.0);
    std::printf("2048x2048 softmax %.1f us, attention unmasked %.1f us, causal %.1f us: causal/softmax %.3f\n", plain,
                full, causal, causal / plain);
    return 0;
}
