// sm4j_run (softmax4j.h): the one entry point. It reads the element type of the call's data
// operands and routes the operation code to its template, instantiated for float and double;
// bfloat16 and float16 data go through half.cpp, which converts and calls the float one.
#include <cstdint>

#include "ops.hpp"
#include "row_ops.hpp"  // to_scale, the short-row functions
#include "softmax4j.h"

namespace sm4j {
namespace {

template <class T>
const T *in(const sm4j_call &c, int i) {
    return static_cast<const T *>(c.in[i].data);
}

template <class T>
T *out(const sm4j_call &c, int i) {
    return static_cast<T *>(c.out[i].data);
}

template <class T>
void run(const sm4j_call &c) {
    const int32_t code = c.op & 0xff;
    const bool from_output = (c.op & SM4J_FROM_OUTPUT) != 0;
    switch (code) {
        case SM4J_SOFTMAX:
        case SM4J_LOG_SOFTMAX:
        case SM4J_LOGSUMEXP:
        case SM4J_COPY:
            return row_op<T>(code, in<T>(c, 0), c.in[0].ld, out<T>(c, 0), c.out[0].ld, c.rows, c.n,
                          c.a);
        case SM4J_LINEAR_SCORES:
        case SM4J_LINEAR_SOFTMAX:
        case SM4J_LINEAR_LOG_SOFTMAX:
            return linear(code, in<T>(c, 0), c.in[0].ld, in<T>(c, 1), c.in[1].ld, in<T>(c, 2),
                          out<T>(c, 0), c.out[0].ld, c.rows, c.n, c.k, c.a);
        case SM4J_CROSS_ENTROPY:
            *out<double>(c, 1) = cross_entropy(out<T>(c, 0), c.out[0].ld, in<int32_t>(c, 0),
                                               c.in[0].ld, in<double>(c, 1), c.param, c.a,
                                               (c.op & SM4J_GRADIENT) != 0, c.rows, c.k);
            return;
        case SM4J_ATTENTION_SOFTMAX:
        case SM4J_ATTENTION_LOG_SOFTMAX:
        case SM4J_ATTENTION_LOGSUMEXP:
            // The window travels in param, an integer >= 0 (0: none).
            return attention(code - SM4J_ATTENTION_SOFTMAX + SM4J_SOFTMAX, c.rows, c.n, in<T>(c, 0),
                             c.in[0].ld, in<T>(c, 1), (c.op & SM4J_BROADCAST) != 0 ? 0 : c.in[1].ld,
                             out<T>(c, 0), c.out[0].ld, c.a, (c.op & SM4J_CAUSAL) != 0, c.k,
                             int64_t(c.param));
        case SM4J_SAMPLE:
            return sample(c.rows, c.n, in<T>(c, 0), c.in[0].ld, in<int32_t>(c, 1), c.in[1].ld, c.k,
                          in<double>(c, 2), uint64_t(c.param), out<int32_t>(c, 0), c.out[0].ld);
        case SM4J_TOP_LOGPROBS:
            return top_logprobs(c.rows, c.n, in<T>(c, 0), c.in[0].ld, in<int32_t>(c, 1), c.in[1].ld, c.k,
                                out<int32_t>(c, 0), c.out[0].ld, out<T>(c, 1), c.out[1].ld);
        case SM4J_LINEAR_GRADIENT:
            return linear_gradient(in<T>(c, 0), c.in[0].ld, in<T>(c, 1), c.in[1].ld, out<T>(c, 0),
                                   c.out[0].ld, out<T>(c, 1), c.rows, c.n, c.k);
        default:
            break;
    }
    // The derivatives and seed operations share one argument block. The mask and combine's
    // weights arrive in in[1], in their own element types.
    const Operands<T> o{c.rows, c.n, c.k, to_scale<T>(c.a), c.param,
                        in<T>(c, 0), c.in[0].ld, in<T>(c, 1), c.in[1].ld, in<T>(c, 2), c.in[2].ld,
                        in<uint8_t>(c, 1), c.in[1].ld, in<double>(c, 1), out<T>(c, 0), c.out[0].ld};
    switch (code) {
        case SM4J_JACOBIAN: jacobian(o, from_output); break;
        case SM4J_SOFTMAX_JVP: softmax_jvp(o, from_output); break;
        case SM4J_LOG_SOFTMAX_VJP: log_softmax_vjp(o, from_output); break;
        case SM4J_LOGSUMEXP_VJP: logsumexp_vjp(o, from_output); break;
        case SM4J_JACOBIAN_TIMES: jacobian_times(o, from_output); break;
        case SM4J_INVERSE_ZERO_MEAN: inverse(o, Gauge::zero_mean); break;
        case SM4J_INVERSE_PINNED: inverse(o, Gauge::pinned); break;
        case SM4J_INVERSE_LOGSUMEXP: inverse(o, Gauge::logsumexp); break;
        case SM4J_COMBINE: combine(o); break;
        case SM4J_SIGMOID: sigmoid(o); break;
        case SM4J_MASKED_SOFTMAX: masked(o, SM4J_SOFTMAX); break;
        case SM4J_MASKED_LOG_SOFTMAX: masked(o, SM4J_LOG_SOFTMAX); break;
        case SM4J_MASKED_LOGSUMEXP: masked(o, SM4J_LOGSUMEXP); break;
        default: break;  // unreachable: the Java layer passes only the codes above
    }
}

// The log forms of one short row. Out of line: they hold values across kernel calls, and the
// registers for that would otherwise be saved and restored on every call through sm4j_run.
template <class T>
__attribute__((noinline)) void log_short_row(int32_t op, const RowKernels<T> &k, const T *x, T *y, int64_t n, T a) {
    if (op == SM4J_LOG_SOFTMAX) {
        log_softmax_short(k, x, y, n, a);
    } else {
        *y = logsumexp_short(k, x, n, a);
    }
}

// Any batch of a row operation through the driver. Out of line for the same reason.
template <class T>
__attribute__((noinline)) void row_batch(const sm4j_call &c) {
    row_op<T>(c.op, in<T>(c, 0), c.in[0].ld, out<T>(c, 0), c.out[0].ld, c.rows, c.n, c.a);
}

// A row operation (softmax, log-softmax, LSE) on float or double data. One row of
// 1 <= n <= k.small elements with a scale of the normal path (row_ops.hpp: softmax_short) goes
// straight to its kernels, softmax as a tail call into the kernel; any other batch through the
// driver (row_batch). Nothing here calls and returns, so nothing is saved on the way.
template <class T>
void row_call(const sm4j_call &c) {
    if (c.rows == 1) {
        const RowKernels<T> &k = active_kernels().get<T>();
        const T a = to_scale<T>(c.a);
        const int64_t n = c.n;
        if (n >= 1 && n <= k.small && normal_scale(a)) {
            if (c.op == SM4J_SOFTMAX) return softmax_short(k, in<T>(c, 0), out<T>(c, 0), n, a);
            return log_short_row(c.op, k, in<T>(c, 0), out<T>(c, 0), n, a);
        }
    }
    row_batch<T>(c);
}

// Every other call. Out of line, so that the row operations' way through sm4j_run saves and
// sets up nothing that only this decoding needs.
__attribute__((noinline)) void run_other(const sm4j_call &c) {
    // Half-precision data arrives in in[0] (the Java layer allows it only for the operations
    // softmax4j.h lists): widened in blocks and computed as float (half.cpp).
    if (c.in[0].dtype == SM4J_BF16 || c.in[0].dtype == SM4J_F16) return run_half(c);
    // The data operands share one element type: out[0] is one of them, but for the sampler's
    // (token ids), whose in[0] is.
    const int32_t code = c.op & 0xff;
    const int32_t data = code == SM4J_SAMPLE || code == SM4J_TOP_LOGPROBS ? c.in[0].dtype : c.out[0].dtype;
    if (data == SM4J_F32) {
        run<float>(c);
    } else {
        run<double>(c);
    }
}

}  // namespace

void run_float(const sm4j_call &c) { run<float>(c); }

}  // namespace sm4j

extern "C" {

void sm4j_run(const sm4j_call *call) {
    // The row operations (no flags) on float or double data first, before the general decoding
    // (run_other): a classifier head's row of 10 costs ~35 ns here in all, and each test counts. The
    // Java layer has checked that out[0] holds in[0]'s type for these; the type test is repeated
    // here (one compare) so that no other pairing can ever reach a float or double kernel.
    const int32_t op = call->op;
    if (op >= SM4J_SOFTMAX && op <= SM4J_LOGSUMEXP && call->in[0].dtype == call->out[0].dtype) {
        if (call->in[0].dtype == SM4J_F32) return sm4j::row_call<float>(*call);
        if (call->in[0].dtype == SM4J_F64) return sm4j::row_call<double>(*call);
    }
    sm4j::run_other(*call);
}

}  // extern "C"
