package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.storage.Storage;

/**
 * The Java kernel of the row-wise operations: for each row, every input is read into a double
 * array through its storage, the reference mathematics ({@link Reference}, {@link Jacobians},
 * {@link SeedOps}) computes the output row in double, and it is written back, rounded once.
 * Reading the inputs whole before writing makes every in-place call right.
 */
final class Operations {
    private Operations() {}

    /** One call of a row-wise op on validated operands; {@code a} is already rounded. */
    static void run(Op op, boolean fromOutput, int rows, int n, int k, double a, double param, Batch in0,
            Batch in1, Batch in2, Batch out) {
        boolean masked = op == Op.MASKED_SOFTMAX || op == Op.MASKED_LOG_SOFTMAX || op == Op.MASKED_LOG_SUM_EXP;
        double[] weights = null;
        if (op == Op.COMBINE) {
            weights = new double[k];
            read(in1, 0, weights);
            in1 = null;
        }
        Input r0 = new Input(in0, op, 0, n, k, fromOutput);
        Input r1 = new Input(in1, op, 1, n, k, fromOutput);
        Input r2 = new Input(in2, op, 2, n, k, fromOutput);
        double[] o = new double[Math.toIntExact(op.role(op.roleCount() - 1).width().of(n, k))];
        double[] y = new double[n];
        boolean[] keep = masked ? new boolean[n] : null;
        for (int r = 0; r < rows; r++) {
            r0.read(r);
            r1.read(r);
            r2.read(r);
            if (keep != null) {
                for (int j = 0; j < n; j++) keep[j] = r1.values[j] != 0;
            }
            compute(op, fromOutput, n, k, a, param, weights, r0.values, r1.values, r2.values, keep, y, o);
            write(out, r, o);
        }
    }

    /** One input's current row; nothing for an operand the call does not have. */
    private static final class Input {
        final Batch batch;
        final double[] values;

        Input(Batch b, Op op, int slot, int n, int k, boolean fromOutput) {
            batch = b;
            values = b == null ? null : new double[Math.toIntExact(width(op, slot, n, k, fromOutput))];
        }

        void read(int r) {
            if (batch != null) Operations.read(batch, r, values);
        }
    }

    private static long width(Op op, int slot, int n, int k, boolean fromOutput) {
        for (int i = 0; i < op.roleCount(); i++) {
            Op.Role role = op.role(i);
            if (role.slot() == slot && role.present(fromOutput)) return role.width().of(n, k);
        }
        throw new IllegalArgumentException(op + " has no operand in slot " + slot);
    }

    /** Row {@code r} of a batch into dst (its width). */
    static void read(Batch b, int r, double[] dst) {
        read(b, r, dst, dst.length);
    }

    /** The first {@code count} elements of row {@code r} into dst[0, count). */
    static void read(Batch b, int r, double[] dst, int count) {
        Storage.of(b).read(b.offset() + (long) r * b.stride(), dst, count);
    }

    /** src into row {@code r} of a batch, each element rounded once. */
    static void write(Batch b, int r, double[] src) {
        Storage.of(b).write(b.offset() + (long) r * b.stride(), src, src.length);
    }

    private static void compute(Op op, boolean fromOutput, int n, int k, double a, double param,
            double[] weights, double[] r1, double[] r2, double[] r3, boolean[] keep, double[] y, double[] o) {
        switch (op) {
            case SOFTMAX -> Reference.softmax(r1, n, a, o);
            case LOG_SOFTMAX -> Reference.logSoftmax(r1, n, a, o);
            case LOG_SUM_EXP -> o[0] = Reference.logSumExp(r1, n, a);
            case COPY -> System.arraycopy(r1, 0, o, 0, n);
            case JACOBIAN -> Jacobians.jacobian(probabilities(fromOutput, r1, n, a, y), n, a, o);
            case SOFTMAX_JVP -> Jacobians.jvp(probabilities(fromOutput, r1, n, a, y), r2, n, a, o);
            case LOG_SOFTMAX_VJP -> {
                if (fromOutput) {
                    for (int j = 0; j < n; j++) y[j] = Math.exp(r1[j]);
                } else {
                    Reference.softmax(r1, n, a, y);
                }
                Jacobians.logSoftmaxVjp(y, r2, n, a, o);
            }
            case LOG_SUM_EXP_VJP -> {
                if (fromOutput) {
                    Jacobians.logSumExpVjp(r1, r2[0], r3[0], n, a, o);
                } else {
                    Jacobians.logSumExpVjp(r1, r2[0], n, a, o);
                }
            }
            case JACOBIAN_TIMES -> Jacobians.jacobianTimes(probabilities(fromOutput, r1, n, a, y), r2, n, k, a, o);
            case INVERSE_ZERO_MEAN, INVERSE_PINNED, INVERSE_LOG_SUM_EXP -> SeedOps.inverse(r1, n, a, op, k, param, o);
            case COMBINE -> SeedOps.combine(r1, n, weights, o);
            case SIGMOID -> SeedOps.sigmoid(r1, n, a, o);
            case MASKED_SOFTMAX, MASKED_LOG_SOFTMAX, MASKED_LOG_SUM_EXP -> SeedOps.masked(op, r1, keep, n, a, o);
            default -> throw new IllegalArgumentException(op + " is not row-wise");
        }
    }

    /** y = S(a x), or the saved output itself. */
    private static double[] probabilities(boolean fromOutput, double[] in, int n, double a, double[] y) {
        if (fromOutput) return in;
        Reference.softmax(in, n, a, y);
        return y;
    }
}
