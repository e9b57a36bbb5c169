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

// Softmax regression. The classifier's weights live in its own native memory and travel as
// addresses, so that one signature serves every buffer kind of x and y, and a heap-array call
// makes no JNI call (such as reading a Pointer's address) inside its critical region.
inline void sm4j_bridge_linear_f32(int32_t op, const float *x, int64_t x_off, int64_t ldx,
                                   int64_t w, int64_t b, float *y, int64_t y_off, int64_t ldy,
                                   int64_t rows, int64_t d, int64_t k, double a) {
    sm4j_linear_f32(op, x + x_off, ldx, reinterpret_cast<const float *>(w), d,
                    reinterpret_cast<const float *>(b), y + y_off, ldy, rows, d, k, a);
}

inline void sm4j_bridge_linear_f64(int32_t op, const double *x, int64_t x_off, int64_t ldx,
                                   int64_t w, int64_t b, double *y, int64_t y_off, int64_t ldy,
                                   int64_t rows, int64_t d, int64_t k, double a) {
    sm4j_linear_f64(op, x + x_off, ldx, reinterpret_cast<const double *>(w), d,
                    reinterpret_cast<const double *>(b), y + y_off, ldy, rows, d, k, a);
}

inline double sm4j_bridge_cross_entropy_f64(const double *x, int64_t x_off, int64_t ldx,
                                            const double *w, int64_t w_off, const double *b,
                                            int64_t b_off, const int32_t *labels,
                                            int64_t labels_off, const double *class_weights,
                                            double smoothing, double scale, double *z, double *dw,
                                            int64_t dw_off, double *db, int64_t db_off,
                                            int64_t rows, int64_t d, int64_t k) {
    return sm4j_cross_entropy_f64(x + x_off, ldx, w + w_off, b + b_off, labels + labels_off,
                                  class_weights, smoothing, scale, z,
                                  dw != nullptr ? dw + dw_off : nullptr,
                                  db != nullptr ? db + db_off : nullptr, rows, d, k);
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
