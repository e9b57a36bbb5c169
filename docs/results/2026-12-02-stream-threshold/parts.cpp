// The parts of the causal attention softmax on 2048 x 2048 (C API, 1 thread, avx2 set): the plain
// softmax, the causal block, the visible triangle alone (each row's prefix one softmax call, no
// zeros), the zeros alone by memset and by streaming stores, the two together row by row, and a
// memcpy of the block. Medians of 31 calls after 3, two rounds. Build as interleaved.cpp, with
// -mavx2 added (the streamed zeros).
#include <immintrin.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>
#include "softmax4j.h"
static void run(int32_t op, int64_t rows, int64_t n, const float *s, float *y, bool causal) {
    sm4j_call c{}; c.op = op | (causal ? SM4J_CAUSAL : 0); c.rows = rows; c.n = n; c.a = 1.0;
    c.in[0] = {const_cast<float *>(s), n, SM4J_F32}; c.out[0] = {y, n, SM4J_F32}; sm4j_run(&c);
}
template <class F> double med(F f) {
    for (int i = 0; i < 3; ++i) f();
    std::vector<double> v;
    for (int k = 0; k < 31; ++k) { auto t0 = std::chrono::steady_clock::now(); f();
        v.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count()); }
    std::sort(v.begin(), v.end()); return v[15];
}
int main(int argc, char **argv) {
    sm4j_force_kernels("avx2"); sm4j_set_num_threads(1);
    const int64_t s = 2048;
    std::vector<float> sc(s * s), y(sc.size());
    std::mt19937_64 rng(1); std::normal_distribution<double> g(0, 3);
    for (auto &v : sc) v = float(g(rng));
    for (int round = 0; round < 2; ++round) {
    double plain = med([&] { run(SM4J_SOFTMAX, s, s, sc.data(), y.data(), false); });
    double causal = med([&] { run(SM4J_ATTENTION_SOFTMAX, s, s, sc.data(), y.data(), true); });
    double vis = med([&] { for (int64_t i = 0; i < s; ++i) run(SM4J_SOFTMAX, 1, i + 1, sc.data() + i * s, y.data() + i * s, false); });
    double zplain = med([&] { for (int64_t i = 0; i < s; ++i) std::memset(y.data() + i * s + i + 1, 0, (s - i - 1) * 4); });
    double znt = med([&] { for (int64_t i = 0; i < s; ++i) { float *p = y.data() + i * s + i + 1; int64_t n = s - i - 1;
        while (n > 0 && (uintptr_t(p) & 31)) { *p++ = 0; --n; }
        for (; n >= 8; n -= 8, p += 8) _mm256_stream_ps(p, _mm256_setzero_ps());
        while (n-- > 0) *p++ = 0; } _mm_sfence(); });
    double vis_z = med([&] { for (int64_t i = 0; i < s; ++i) { run(SM4J_SOFTMAX, 1, i + 1, sc.data() + i * s, y.data() + i * s, false);
        float *p = y.data() + i * s + i + 1; int64_t n = s - i - 1;
        while (n > 0 && (uintptr_t(p) & 31)) { *p++ = 0; --n; }
        for (; n >= 8; n -= 8, p += 8) _mm256_stream_ps(p, _mm256_setzero_ps());
        while (n-- > 0) *p++ = 0; } _mm_sfence(); });
    double copy = med([&] { std::memcpy(y.data(), sc.data(), s * s * 4); });
    std::printf("softmax %.0f causal %.0f (%.3f) | visible-only %.0f, zeros memset %.0f, zeros NT %.0f, visible+NT zeros per row %.0f (%.3f) | memcpy %.0f us\n",
        plain, causal, causal / plain, vis, zplain, znt, vis_z, vis_z / plain, copy);
    }
}
