package org.softmax4j.backend;

/**
 * The row operations a backend implements. The codes are those of {@code enum sm4j_row_op} in
 * {@code native/include/softmax4j.h}.
 */
public enum RowOp {
    /** y = S(a x), row by row. */
    SOFTMAX(0),
    /** y = a x - LSE(a x), row by row. */
    LOG_SOFTMAX(1),
    /** One value per row: LSE(a x). */
    LOG_SUM_EXP(2);

    /** The code of this operation in the C interface. */
    public final int code;

    RowOp(int code) {
        this.code = code;
    }

    /** True if the result is one value per row rather than a row per row. */
    public boolean reduces() {
        return this == LOG_SUM_EXP;
    }
}
