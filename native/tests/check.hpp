// The assertion of the native tests: count every check, print the first 40 failures, and let
// main report the totals and set the exit status (no test framework, so nothing to install).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "softmax4j.h"

namespace sm4j_test {

// Building sm4j_run calls: an operand of T, and a call with no operands yet.
template <class T>
constexpr int32_t dtype_of() {
    return sizeof(T) == 4 ? SM4J_F32 : SM4J_F64;
}

template <class T>
sm4j_operand operand(const T *data, int64_t ld) {
    return {const_cast<T *>(data), ld, dtype_of<T>()};
}

inline sm4j_call call(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param = 0) {
    return sm4j_call{op, rows, n, k, a, param, {}, {}};
}

// A row operation (SM4J_SOFTMAX, SM4J_LOG_SOFTMAX, SM4J_LOGSUMEXP) through sm4j_run.
template <class T>
void rows_op(int32_t op, const T *x, int64_t ldx, T *y, int64_t ldy, int64_t rows, int64_t n, double a) {
    sm4j_call c = call(op, rows, n, 0, a);
    c.in[0] = operand(x, ldx);
    c.out[0] = operand(y, ldy);
    sm4j_run(&c);
}

// The attention softmax (SM4J_ATTENTION_*, op the row operation it applies) through sm4j_run:
// bias null for none, ldb 0 for one broadcast row.
template <class C>
void attention(int op, int64_t rows, int64_t n, const C *s, int64_t lds, const C *bias, int64_t ldb, C *y,
               int64_t ldy, double scale, bool causal, int64_t offset, int64_t window) {
    const int32_t code = op - SM4J_SOFTMAX + SM4J_ATTENTION_SOFTMAX;
    sm4j_call c = call(code | (causal ? SM4J_CAUSAL : 0) | (bias != nullptr && ldb == 0 ? SM4J_BROADCAST : 0), rows, n,
                       offset, scale, double(window));
    c.in[0] = operand(s, lds);
    if (bias != nullptr) c.in[1] = operand(bias, ldb);
    c.out[0] = operand(y, ldy);
    sm4j_run(&c);
}

// Runs body() with each kernel set this CPU can run forced active (sm4j_force_kernels), saying
// which it skips; returns how many ran.
template <class Body>
int for_each_kernel_set(Body body) {
    int sets = 0;
    for (const char *set : {"generic", "avx2", "avx512", "neon"}) {
        if (sm4j_force_kernels(set) != 0) {
            std::printf("kernel set %s: not available on this CPU, skipped\n", set);
            continue;
        }
        ++sets;
        body(set);
    }
    return sets;
}

inline int64_t g_checks = 0;
inline int64_t g_failures = 0;

inline void check(bool ok, const std::string &what) {
    ++g_checks;
    if (ok) return;
    if (++g_failures <= 40) std::fprintf(stderr, "FAIL: %s\n", what.c_str());
}

// Prints the totals; the process's exit status.
inline int summary() {
    std::printf("%lld checks: %lld passed, %lld failed\n", (long long)g_checks, (long long)(g_checks - g_failures),
                (long long)g_failures);
    return g_failures == 0 ? 0 : 1;
}

}  // namespace sm4j_test
