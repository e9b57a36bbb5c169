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
        double params[SM4J_SAMPLER_PARAMS] = {c.t, c.k, c.p, c.m, 1, 0, 0};
        sm4j_set_num_threads(1);
        double one = median_us([&] {
            sm4j_sample_f32(1, n, x.data(), n, params, nullptr, nullptr, 0, nullptr, 0, 0, 42, step++,
                            tokens.data(), 0, nullptr, nullptr, nullptr, 0);
        });
        double b1 = median_us([&] {
            sm4j_sample_f32(rows, n, x.data(), n, params, nullptr, nullptr, 0, nullptr, 0, 0, 42, step++,
                            tokens.data(), 0, nullptr, nullptr, nullptr, 0);
        });
        sm4j_set_num_threads(2);
        double b2 = median_us([&] {
            sm4j_sample_f32(rows, n, x.data(), n, params, nullptr, nullptr, 0, nullptr, 0, 0, 42, step++,
                            tokens.data(), 0, nullptr, nullptr, nullptr, 0);
        });
        std::printf("%-24s 1x%lld: %8.2f us   %lld rows: %9.1f us (1 thread) %9.1f us (2 threads) %.2fx\n", c.name,
                    (long long)n, one, (long long)rows, b1, b2, b1 / b2);
    }
    // Attention: causal softmax against the plain softmax on 2048 x 2048, 1 thread.
    sm4j_set_num_threads(1);
    const int64_t s = 2048;
    std::vector<float> sc(size_t(s * s)), y(sc.size());
    for (auto &v : sc) v = float(g(rng));
    double plain = median_us([&] { sm4j_rows_f32(SM4J_SOFTMAX, sc.data(), s, y.data(), s, s, s, 1.0); }, 1.0);
    double causal = median_us(
            [&] { sm4j_attention_f32(SM4J_SOFTMAX, s, s, sc.data(), s, nullptr, 0, y.data(), s, 1.0, 1, 0, 0); }, 1.0);
    double full = median_us(
            [&] { sm4j_attention_f32(SM4J_SOFTMAX, s, s, sc.data(), s, nullptr, 0, y.data(), s, 1.0, 0, 0, 0); }, 1.0);
    std::printf("2048x2048 softmax %.1f us, attention unmasked %.1f us, causal %.1f us: causal/softmax %.3f\n", plain,
                full, causal, causal / plain);
    return 0;
}
