// Timing of the C API on its own (no JNI): median ns per element for the shapes the Java
// benchmarks use. For insight and cross-language comparison; claims are made with JMH.
//
//   softmax4j_bench [kernel-set|best] [seconds-per-case] [shape, e.g. 1x1048576] [op] [f32|f64|bf16|f16]
//
// copy is the baseline (SM4J_COPY: the same bytes through the same driver), as in the JMH suite.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <vector>

#include "softmax4j.h"

namespace {

struct Shape {
    int64_t rows, n;
};
const Shape kShapes[] = {{1, 10}, {64, 1000}, {4096, 1000}, {256, 32000}, {32, 128256}, {1, 1048576}};
const char *const kOps[] = {"softmax", "log_softmax", "logsumexp", "copy"};  // by op code

// The element types: float, double, and bfloat16 / float16 (16-bit patterns, output in the same type).
enum Type { kF32, kF64, kBf16, kF16 };
const char *const kTypes[] = {"f32", "f64", "bf16", "f16"};

template <class T>
void call(int op, const T *x, T *y, const Shape &s, int32_t dtype) {
    sm4j_call c{};
    c.op = op;
    c.rows = s.rows;
    c.n = s.n;
    c.a = 1.0;
    c.in[0] = {const_cast<T *>(x), s.n, dtype};
    c.out[0] = {y, op == SM4J_LOGSUMEXP ? 1 : s.n, dtype};
    sm4j_run(&c);
}

// d in the element type; for the 16-bit types its pattern, truncated (timing data: any value near
// d will do), and 0 below float16's normal range.
template <class T>
T element(double d, int32_t dtype) {
    if constexpr (sizeof(T) == 2) {
        const float f = float(d);
        uint32_t b;
        std::memcpy(&b, &f, 4);
        if (dtype == SM4J_BF16) return T(b >> 16);
        if (std::fabs(f) < 0x1p-14f) return T(0);
        const uint32_t e = ((b >> 23) & 0xff) - 127 + 15;  // |d| < 2^16
        return T(((b >> 16) & 0x8000) | (e << 10) | ((b >> 13) & 0x3ff));
    } else {
        return T(d);
    }
}

struct Timing {
    double median, min, cpu;  // cpu: median of the calling thread's CPU time
};

double thread_cpu_ns() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}

// Median and minimum over samples of ns per element; each sample times enough calls to last
// >= 20 us. On a shared machine the minimum is the steadier of the two, and for one thread the
// CPU time of the calling thread steadier still (time spent descheduled is not counted).
template <class T>
Timing time_case(int op, const Shape &s, double seconds, int32_t dtype) {
    const int64_t size = s.rows * s.n;
    const size_t count = size_t(size);
    std::vector<T> x(count), y(count);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(-10, 10);
    for (auto &v : x) v = element<T>(u(rng), dtype);
    using clock = std::chrono::steady_clock;
    // Warm up first: a cold first call (page faults, lazy initialisation) must not leave the
    // calibration at one call per sample.
    for (int c = 0; c < 3; ++c) call(op, x.data(), y.data(), s, dtype);
    int64_t calls = 1;
    for (;;) {  // calibrate the calls per sample
        auto t0 = clock::now();
        for (int64_t c = 0; c < calls; ++c) call(op, x.data(), y.data(), s, dtype);
        double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
        if (ns >= 20000 || calls >= (int64_t(1) << 24)) break;
        calls *= 2;
    }
    std::vector<double> samples, cpu;
    auto end = clock::now() + std::chrono::duration<double>(seconds);
    while (clock::now() < end || samples.size() < 5) {
        double c0 = thread_cpu_ns();
        auto t0 = clock::now();
        for (int64_t c = 0; c < calls; ++c) call(op, x.data(), y.data(), s, dtype);
        double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count();
        samples.push_back(ns / double(calls) / double(size));
        cpu.push_back((thread_cpu_ns() - c0) / double(calls) / double(size));
    }
    std::sort(samples.begin(), samples.end());
    std::sort(cpu.begin(), cpu.end());
    return {samples[samples.size() / 2], samples.front(), cpu[cpu.size() / 2]};
}

}  // namespace

int main(int argc, char **argv) {
    if (argc > 1 && std::strcmp(argv[1], "best") != 0 && sm4j_force_kernels(argv[1]) != 0) {
        std::fprintf(stderr, "kernel set %s is not available here\n", argv[1]);
        return 1;
    }
    double seconds = argc > 2 ? std::atof(argv[2]) : 0.25;
    std::printf("kernels %s, ns/element: wall-clock median (min); 1 thread also CPU time\n",
                sm4j_kernel_name());
    std::printf("%-14s %-12s %4s %18s %8s %18s\n", "shape", "op", "type", "1 thread", "1 (cpu)",
                "2 threads");
    const char *only = argc > 3 ? argv[3] : nullptr;
    const char *only_op = argc > 4 ? argv[4] : nullptr;
    const char *only_type = argc > 5 ? argv[5] : nullptr;
    for (const Shape &s : kShapes) {
        char shape[32];
        std::snprintf(shape, sizeof shape, "%lldx%lld", (long long)s.rows, (long long)s.n);
        if (only != nullptr && std::strcmp(only, shape) != 0) continue;
        for (int op = 0; op < 4; ++op) {
            if (only_op != nullptr && std::strcmp(only_op, kOps[op]) != 0) continue;
            for (int type = kF32; type <= kF16; ++type) {
                if (only_type != nullptr && std::strcmp(only_type, kTypes[type]) != 0) continue;
                Timing t[2];
                for (int threads = 1; threads <= 2; ++threads) {
                    sm4j_set_num_threads(threads);
                    t[threads - 1] = type == kF32   ? time_case<float>(op, s, seconds, SM4J_F32)
                                     : type == kF64 ? time_case<double>(op, s, seconds, SM4J_F64)
                                                    : time_case<uint16_t>(op, s, seconds, type == kBf16 ? SM4J_BF16 : SM4J_F16);
                }
                std::printf("%-14s %-12s %4s %9.4f (%6.4f) %8.4f %9.4f (%6.4f)\n", shape, kOps[op],
                            kTypes[type], t[0].median, t[0].min, t[0].cpu, t[1].median,
                            t[1].min);
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
