package org.softmax4j.backend;

/**
 * The operations of the general kernel ({@code Softmax.applyK}), with the width of each operand
 * per row. The codes are those of {@code sm4j_row_op} and {@code sm4j_op} in
 * {@code native/include/softmax4j.h}; {@link #FROM_OUTPUT} is or'ed in when the first input is
 * the forward pass's saved output.
 *
 * <p>Operands: {@code in1} is the row input (logits x, saved output y, probabilities p), {@code in2}
 * and {@code in3} the second and third inputs where an operation has them, {@code out} the result.
 */
public enum Op {
    /** out = S(a x). */
    SOFTMAX(0),
    /** out = a x − LSE(a x). */
    LOG_SOFTMAX(1),
    /** out (1 per row) = LSE(a x). */
    LOG_SUM_EXP(2),
    /** out (n·n per row) = a (diag(y) − y yᵀ). */
    JACOBIAN(16),
    /** out = J v, in2 = v. */
    SOFTMAX_JVP(17),
    /** out = a (g − y Σg), in2 = g. */
    LOG_SOFTMAX_VJP(18),
    /** out = a g y, in2 = g (1 per row); from the output, in2 = LSE and in3 = g (1 per row each). */
    LOG_SUM_EXP_VJP(19),
    /** out (n·k per row) = J V, in2 = V (n·k per row). */
    JACOBIAN_TIMES(20),
    /** out = logits with mean(a x) = 0; in1 = p. */
    INVERSE_ZERO_MEAN(21),
    /** out = logits with x_k = 0 (k = the call's k). */
    INVERSE_PINNED(22),
    /** out = logits with LSE(a x) = the call's param. */
    INVERSE_LOG_SUM_EXP(23),
    /** out = the normalised Π p_i^w_i; in1 = k factors (k·n per row). */
    COMBINE(24),
    /** out = σ(a x), element-wise. */
    SIGMOID(25),
    /** Softmax over the kept entries, 0 elsewhere. */
    MASKED_SOFTMAX(26),
    /** Log-softmax over the kept entries, −∞ elsewhere. */
    MASKED_LOG_SOFTMAX(27),
    /** out (1 per row) = LSE over the kept entries. */
    MASKED_LOG_SUM_EXP(28);

    /** The flag of {@code enum sm4j_op_flag}: in1 holds the saved output of the forward pass. */
    public static final int FROM_OUTPUT = 0x100;

    /** The code of this operation in the C interface. */
    public final int code;

    Op(int code) {
        this.code = code;
    }

    /** Elements per row of input {@code which} (1, 2 or 3); 0 if the operation has no such input. */
    public long inWidth(int which, long n, long k, boolean fromOutput) {
        return switch (which) {
            case 1 -> this == COMBINE ? k * n : n;
            case 2 -> switch (this) {
                case SOFTMAX_JVP, LOG_SOFTMAX_VJP -> n;
                case LOG_SUM_EXP_VJP -> 1;
                case JACOBIAN_TIMES -> n * k;
                default -> 0;
            };
            case 3 -> this == LOG_SUM_EXP_VJP && fromOutput ? 1 : 0;
            default -> throw new IllegalArgumentException("input " + which);
        };
    }

    /** Elements per row of the output. */
    public long outWidth(long n, long k) {
        return switch (this) {
            case JACOBIAN -> n * n;
            case JACOBIAN_TIMES -> n * k;
            case LOG_SUM_EXP, MASKED_LOG_SUM_EXP -> 1;
            default -> n;
        };
    }

    /** True for the inversions, which divide by the inverse temperature. */
    public boolean inverts() {
        return this == INVERSE_ZERO_MEAN || this == INVERSE_PINNED || this == INVERSE_LOG_SUM_EXP;
    }

    /** True if the operation reads a mask. */
    public boolean masked() {
        return this == MASKED_SOFTMAX || this == MASKED_LOG_SOFTMAX || this == MASKED_LOG_SUM_EXP;
    }
}
