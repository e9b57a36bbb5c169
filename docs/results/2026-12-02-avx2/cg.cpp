// Instruction counts (callgrind) of one sampler case on one row, 20 calls.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include "softmax4j.h"
int main(int argc, char **argv) {
    sm4j_force_kernels("avx2");
    sm4j_set_num_threads(1);
    const int64_t n = 128256;
    std::vector<float> x(n);
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0, 2);
    for (auto &v : x) v = float(g(rng));
    double t = atof(argv[1]), k = atof(argv[2]), p = atof(argv[3]), m = atof(argv[4]);
    double spec[SM4J_SPEC_BIAS] = {t, k, p, m, 1, 0, 0, 42, 0, 0};
    int32_t tok = 0;
    long sum = 0;
    for (int s = 0; s < 20; ++s) {
        sm4j_call c{};
        c.op = SM4J_SAMPLE; c.rows = 1; c.n = n; c.param = double(s);
        c.in[0] = {x.data(), n, SM4J_F32};
        c.in[2] = {spec, 0, SM4J_F64};
        c.out[0] = {&tok, 1, SM4J_I32};
        sm4j_run(&c);
        sum += tok;
    }
    std::printf("%ld\n", sum);
}
