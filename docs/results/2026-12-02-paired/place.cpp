// One process: eight fresh pairs of buffers (new pages each), each measured with softmax and the copy
// interleaved, 4096 x 1000 float32, 1 thread. Run: place.
// Build (from the repository root, after mvn package):
//   cmake -S native -B /tmp/rel -DOPENBLAS_ROOT=$OB -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/rel --target softmax4j_core
//   g++ -O2 -std=c++17 -I native/include -I native/src docs/results/2026-12-02-paired/place.cpp -fopenmp /tmp/rel/libsoftmax4j_core.a -L$OB -l:libopenblas.so.0 \
//       -Wl,-rpath,$OB -o place
// with OB=java/core/target/openblas/org/bytedeco/openblas/linux-x86_64.
// One process: for each of 8 fresh buffer pairs (new pages each), median softmax and copy time, 4096x1000 f32 1T.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>
#include <sys/mman.h>
#include "softmax4j.h"
int main(int argc, char **argv) {
    sm4j_set_num_threads(1);
    long rows = 4096, n = 1000; size_t bytes = rows * n * 4 + 4096;
    std::mt19937 r(1); std::normal_distribution<float> g;
    std::vector<void*> keep;
    for (int set = 0; set < 8; ++set) {
        float *x = (float*)((char*)mmap(nullptr, bytes, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) + 16);
        float *y = (float*)((char*)mmap(nullptr, bytes, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) + 16);
        for (long i = 0; i < rows * n; ++i) { x[i] = g(r); y[i] = 0; }
        auto call = [&](int o) { sm4j_call c{}; c.op = o; c.rows = rows; c.n = n; c.a = 1.0; c.in[0] = {x, n, SM4J_F32}; c.out[0] = {y, n, SM4J_F32}; sm4j_run(&c); };
        std::vector<double> ts, tc;
        for (int it = 0; it < 45; ++it) for (int o : {0, 3}) { auto t0 = std::chrono::steady_clock::now(); call(o); double t = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count(); if (it >= 5) (o ? tc : ts).push_back(t); }
        std::sort(ts.begin(), ts.end()); std::sort(tc.begin(), tc.end());
        printf("set %d: softmax %.0f us  copy %.0f us  ratio %.3f\n", set, ts[ts.size()/2], tc[tc.size()/2], ts[ts.size()/2] / tc[tc.size()/2]);
    }
}
