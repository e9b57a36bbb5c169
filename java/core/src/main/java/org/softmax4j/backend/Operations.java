package org.softmax4j.backend;

/**
 * The Java backend's general kernel: for each row, every input is read into a double array, the
 * reference mathematics ({@link Reference}, {@link Jacobians}, {@link SeedOps}) computes the
 * output row in double, and it is written back, rounded once. Reading the inputs whole before
 * writing makes every in-place call right.
 */
final class Operations {
    private Operations() {}

    static void run(Call c, Rows in1, Rows in2, Rows in3, Flags mask, Rows out) {
        int n = c.n();
        double[] r1 = row(in1, c.inWidth(1));
        double[] r2 = row(in2, c.inWidth(2));
        double[] r3 = row(in3, c.inWidth(3));
        double[] o = new double[Math.toIntExact(c.outWidth())];
        double[] y = new double[n];
        boolean[] keep = mask == null ? null : new boolean[n];
        for (int r = 0; r < c.rows(); r++) {
            read(in1, c.in1(), r, r1);
            read(in2, c.in2(), r, r2);
            read(in3, c.in3(), r, r3);
            if (keep != null) {
                long start = c.mask().offset() + r * c.mask().ld();
                for (int j = 0; j < n; j++) keep[j] = mask.get(start + j);
            }
            compute(c, r1, r2, r3, keep, y, o);
            out.write(c.out().offset() + r * c.out().ld(), o, o.length);
        }
    }

    private static void compute(Call c, double[] r1, double[] r2, double[] r3, boolean[] keep,
            double[] y, double[] o) {
        int n = c.n();
        double a = c.a();
        switch (c.op()) {
            case SOFTMAX -> Reference.softmax(r1, n, a, o);
            case LOG_SOFTMAX -> Reference.logSoftmax(r1, n, a, o);
            case LOG_SUM_EXP -> o[0] = Reference.logSumExp(r1, n, a);
            case JACOBIAN -> Jacobians.jacobian(probabilities(c, r1, y), n, a, o);
            case SOFTMAX_JVP -> Jacobians.jvp(probabilities(c, r1, y), r2, n, a, o);
            case LOG_SOFTMAX_VJP -> {
                if (c.fromOutput()) {
                    for (int j = 0; j < n; j++) y[j] = Math.exp(r1[j]);
                } else {
                    Reference.softmax(r1, n, a, y);
                }
                Jacobians.logSoftmaxVjp(y, r2, n, a, o);
            }
            case LOG_SUM_EXP_VJP -> {
                if (c.fromOutput()) {
                    Jacobians.logSumExpVjp(r1, r2[0], r3[0], n, a, o);
                } else {
                    Jacobians.logSumExpVjp(r1, r2[0], n, a, o);
                }
            }
            case JACOBIAN_TIMES -> Jacobians.jacobianTimes(probabilities(c, r1, y), r2, n, c.k(), a, o);
            case INVERSE_ZERO_MEAN, INVERSE_PINNED, INVERSE_LOG_SUM_EXP ->
                    SeedOps.inverse(r1, n, a, c.op(), c.k(), c.param(), o);
            case COMBINE -> SeedOps.combine(r1, n, c.weights(), o);
            case SIGMOID -> SeedOps.sigmoid(r1, n, a, o);
            case MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP ->
                    SeedOps.masked(c.op(), r1, keep, n, a, o);
        }
    }

    /** y = S(a x), or the saved output itself. */
    private static double[] probabilities(Call c, double[] in, double[] y) {
        if (c.fromOutput()) return in;
        Reference.softmax(in, c.n(), c.a(), y);
        return y;
    }

    private static double[] row(Rows operand, long width) {
        return operand == null ? null : new double[Math.toIntExact(width)];
    }

    private static void read(Rows operand, Call.At at, int r, double[] dst) {
        if (operand != null) operand.read(at.offset() + r * at.ld(), dst, dst.length);
    }
}
