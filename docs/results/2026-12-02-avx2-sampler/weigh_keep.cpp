// weigh_keep alone on one row: us per call, median and min of 21 batches of 200 calls.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include "kernels/sample_kernels.hpp"
int main(int argc, char **argv) {
    const int64_t n = 128256;
    std::vector<float> x(n), vals(n + 64);
    std::vector<int64_t> be(n / 1024 + 2);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 2);
    for (auto &v : x) v = float(g(rng));
    const float m = *std::max_element(x.begin(), x.end());
    const int s = 46;
    const float lo = std::ldexp(1.0f, s - (argc > 1 ? atoi(argv[1]) : 12));
    const auto &k = sm4j::kAvx2SampleKernels.f32;
    std::vector<double> t;
    sm4j::Kept kp{};
    for (int b = 0; b < 21; ++b) {
        auto t0 = std::chrono::steady_clock::now();
        for (int c = 0; c < 200; ++c) kp = k.weigh_keep(x.data(), n, m, 1.25f, s, lo, vals.data(), be.data());
        t.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 200);
    }
    std::sort(t.begin(), t.end());
    std::printf("weigh_keep: %.1f us (min %.1f) members %lld rest %.6g\n", t[10], t[0], (long long)kp.count, kp.rest);
}
