package org.softmax4j.backend;

/**
 * One validated call of the general kernel: what to compute and where each operand's rows are.
 * Built only by {@link org.softmax4j.Softmax} after every check has passed, so a kernel may trust
 * every field: all extents lie inside the buffers they describe.
 *
 * @param op the operation
 * @param fromOutput in1 holds the forward pass's saved output (or, for
 *     {@link Op#LOG_SUM_EXP_VJP}, in2 holds the saved LSE)
 * @param rows rows of the batch
 * @param n elements per row
 * @param k tangent columns ({@link Op#JACOBIAN_TIMES}), factors ({@link Op#COMBINE}) or the
 *     pinned index ({@link Op#INVERSE_PINNED}); else 0
 * @param a the inverse temperature
 * @param param the LSE of {@link Op#INVERSE_LOG_SUM_EXP}; else 0
 * @param weights the k exponents of {@link Op#COMBINE} (a private copy); else null
 * @param in1 where the first input's rows are
 * @param in2 the second input's, or {@link At#NONE}
 * @param in3 the third input's, or {@link At#NONE}
 * @param mask the mask's, or {@link At#NONE}
 * @param out the output's
 */
public record Call(Op op, boolean fromOutput, int rows, int n, int k, double a, double param,
        double[] weights, At in1, At in2, At in3, At mask, At out) {

    /**
     * Row r of an operand starts at element {@code offset + r * ld} of the storage handed to the
     * kernel (counted from a pointer's position, or from the start of an array).
     */
    public record At(long offset, long ld) {
        /** An operand the operation does not have. */
        public static final At NONE = new At(0, 0);
    }

    /** The code passed to {@code sm4j_apply}. */
    public int code() {
        return op.code | (fromOutput ? Op.FROM_OUTPUT : 0);
    }

    /** Elements per row of input {@code which} (1, 2 or 3). */
    public long inWidth(int which) {
        return op.inWidth(which, n, k, fromOutput);
    }

    /** Elements per row of the output. */
    public long outWidth() {
        return op.outWidth(n, k);
    }

    /** The same call at another inverse temperature (the float kernels' rounded one). */
    public Call withScale(double scale) {
        return new Call(op, fromOutput, rows, n, k, scale, param, weights, in1, in2, in3, mask, out);
    }
}
