// sm4j_apply (softmax4j.h): one entry point, instantiated for float and double, that routes an
// operation code to its template.
#include <cstdint>
#include <limits>

#include "ops.hpp"
#include "row_ops.hpp"  // to_scale
#include "softmax4j.h"

namespace sm4j {
namespace {

template <class T>
void apply(int32_t code, int64_t rows, int64_t n, int64_t k, double a, double param,
           const T *in1, int64_t ld1, const T *in2, int64_t ld2, const T *in3, int64_t ld3,
           const uint8_t *mask, int64_t ldm, const double *weights, T *out, int64_t ldo) {
    const Operands<T> o{rows, n, k, to_scale<T>(a), param, in1, ld1, in2, ld2, in3, ld3,
                        mask, ldm, weights, out, ldo};
    const bool from_output = (code & SM4J_FROM_OUTPUT) != 0;
    switch (code & ~SM4J_FROM_OUTPUT) {
        case SM4J_SOFTMAX:
        case SM4J_LOG_SOFTMAX:
        case SM4J_LOGSUMEXP:
            if constexpr (sizeof(T) == sizeof(float)) {
                sm4j_rows_f32(code, in1, ld1, out, ldo, rows, n, a);
            } else {
                sm4j_rows_f64(code, in1, ld1, out, ldo, rows, n, a);
            }
            break;
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

}  // namespace
}  // namespace sm4j

extern "C" {

void sm4j_apply_f32(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                    const float *in1, int64_t ld1, const float *in2, int64_t ld2,
                    const float *in3, int64_t ld3, const uint8_t *mask, int64_t ldm,
                    const double *weights, float *out, int64_t ldo) {
    sm4j::apply(op, rows, n, k, a, param, in1, ld1, in2, ld2, in3, ld3, mask, ldm, weights, out,
                ldo);
}

void sm4j_apply_f64(int32_t op, int64_t rows, int64_t n, int64_t k, double a, double param,
                    const double *in1, int64_t ld1, const double *in2, int64_t ld2,
                    const double *in3, int64_t ld3, const uint8_t *mask, int64_t ldm,
                    const double *weights, double *out, int64_t ldo) {
    sm4j::apply(op, rows, n, k, a, param, in1, ld1, in2, ld2, in3, ld3, mask, ldm, weights, out,
                ldo);
}

}  // extern "C"
