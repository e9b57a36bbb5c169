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
