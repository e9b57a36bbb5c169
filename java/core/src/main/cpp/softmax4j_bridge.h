// Adapters between the JavaCPP-generated JNI code and the C core.
//
// JNI hands over the start of a heap array (and JavaCPP the position of a buffer or pointer), so
// the caller's element offsets travel as separate arguments and are applied here. This header is
// compiled with JavaCPP's flags, so it must stay free of hot code.
#pragma once

#include <stdint.h>

#include "softmax4j.h"

inline void sm4j_bridge_rows_f32(int32_t op, const float *x, int64_t x_off, int64_t ldx, float *y,
                                 int64_t y_off, int64_t ldy, int64_t rows, int64_t n, double a) {
    sm4j_rows_f32(op, x + x_off, ldx, y + y_off, ldy, rows, n, a);
}

inline void sm4j_bridge_rows_f64(int32_t op, const double *x, int64_t x_off, int64_t ldx,
                                 double *y, int64_t y_off, int64_t ldy, int64_t rows, int64_t n,
                                 double a) {
    sm4j_rows_f64(op, x + x_off, ldx, y + y_off, ldy, rows, n, a);
}

// sm4j_apply with the element offsets of each operand applied; unused operands are NULL and
// stay NULL (an offset added to NULL would be undefined).
template <class T>
inline T *sm4j_bridge_at(T *p, int64_t offset) {
    return p == NULL ? p : p + offset;
}

inline void sm4j_bridge_apply_f32(int32_t op, int64_t rows, int64_t n, int64_t k, double a,
                                  double param, const float *in1, int64_t o1, int64_t ld1,
                                  const float *in2, int64_t o2, int64_t ld2, const float *in3,
                                  int64_t o3, int64_t ld3, const uint8_t *mask, int64_t om,
                                  int64_t ldm, const double *weights, float *out, int64_t oo,
                                  int64_t ldo) {
    sm4j_apply_f32(op, rows, n, k, a, param, sm4j_bridge_at(in1, o1), ld1,
                   sm4j_bridge_at(in2, o2), ld2, sm4j_bridge_at(in3, o3), ld3,
                   sm4j_bridge_at(mask, om), ldm, weights, sm4j_bridge_at(out, oo), ldo);
}

inline void sm4j_bridge_apply_f64(int32_t op, int64_t rows, int64_t n, int64_t k, double a,
                                  double param, const double *in1, int64_t o1, int64_t ld1,
                                  const double *in2, int64_t o2, int64_t ld2, const double *in3,
                                  int64_t o3, int64_t ld3, const uint8_t *mask, int64_t om,
                                  int64_t ldm, const double *weights, double *out, int64_t oo,
                                  int64_t ldo) {
    sm4j_apply_f64(op, rows, n, k, a, param, sm4j_bridge_at(in1, o1), ld1,
                   sm4j_bridge_at(in2, o2), ld2, sm4j_bridge_at(in3, o3), ld3,
                   sm4j_bridge_at(mask, om), ldm, weights, sm4j_bridge_at(out, oo), ldo);
}
