// The operations of sm4j_apply (softmax4j.h) beyond the row operations: their operands, and
// one template per family, instantiated for float and double in jacobian.cpp and seed_ops.cpp.
#pragma once

#include <cstdint>

namespace sm4j {

// The validated arguments of one sm4j_apply call; see softmax4j.h for each operation's widths.
template <class T>
struct Operands {
    int64_t rows, n, k;
    T a;           // inverse temperature, already rounded to T
    double param;  // the LSE of the inverse's gauge
    const T *in1;
    int64_t ld1;
    const T *in2;
    int64_t ld2;
    const T *in3;
    int64_t ld3;
    const uint8_t *mask;
    int64_t ldm;
    const double *weights;
    T *out;
    int64_t ldo;
};

// jacobian.cpp: derivatives. from_output: in1 holds the forward pass's output.
template <class T>
void jacobian(const Operands<T> &o, bool from_output);
template <class T>
void softmax_jvp(const Operands<T> &o, bool from_output);
template <class T>
void log_softmax_vjp(const Operands<T> &o, bool from_output);
template <class T>
void logsumexp_vjp(const Operands<T> &o, bool with_saved_lse);
template <class T>
void jacobian_times(const Operands<T> &o, bool from_output);

// seed_ops.cpp: the properties of softmax as operations.
enum class Gauge { zero_mean, pinned, logsumexp };
template <class T>
void inverse(const Operands<T> &o, Gauge gauge);
template <class T>
void combine(const Operands<T> &o);
template <class T>
void sigmoid(const Operands<T> &o);
// row_op: SM4J_SOFTMAX, SM4J_LOG_SOFTMAX or SM4J_LOGSUMEXP.
template <class T>
void masked(const Operands<T> &o, int32_t row_op);

}  // namespace sm4j
