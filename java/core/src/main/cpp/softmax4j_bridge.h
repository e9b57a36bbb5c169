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
