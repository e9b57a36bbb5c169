package org.softmax4j.backend;

import java.util.Arrays;

import org.softmax4j.Batch;

/**
 * The Java backend's attention softmax (native: {@code native/src/attention.cpp}): for row i of a
 * scores block, the row operation of scale·s + bias over the columns the row sees, exactly 0
 * (softmax) or −∞ (log-softmax) elsewhere, in double with the reference mathematics. Internal.
 */
public final class Attention {
    private Attention() {}

    /**
     * {@link Op#ATTENTION_SOFTMAX} and its variants on validated operands: a the scale as the
     * element type rounds it, the causal offset k, the window param.
     */
    static void run(Op op, int flags, int rows, int n, int k, double a, double param, Batch s, Batch bias, Batch y) {
        boolean causal = (flags & Op.CAUSAL) != 0;
        boolean broadcast = (flags & Op.BROADCAST) != 0;
        double[] x = new double[n];
        double[] b = bias == null ? null : new double[n];
        double[] out = new double[op == Op.ATTENTION_LOG_SUM_EXP ? 1 : n];
        if (b != null && broadcast) Operations.read(bias, 0, b);
        for (int i = 0; i < rows; i++) {
            Operations.read(s, i, x);
            if (b != null && !broadcast) Operations.read(bias, i, b);
            row(op, x, b, n, a, visible(i, n, causal, k, (int) param), out);
            Operations.write(y, i, out);
        }
    }

    /** The visible columns of row i: [from, to). */
    public record Visible(int from, int to) {
        int length() {
            return to - from;
        }
    }

    /**
     * Row i sees every column, or causally the columns j ≤ i + offset, and with a window W &gt; 0
     * only j &gt; i + offset − W as well.
     */
    public static Visible visible(int i, int n, boolean causal, long offset, int window) {
        if (!causal) return new Visible(0, n);
        // Offsets beyond ±2^40 see what ±2^40 sees (rows and n are ints): no overflow below.
        long last = i + Math.max(-(1L << 40), Math.min(1L << 40, offset));
        int to = (int) Math.min(Math.max(last + 1, 0), n);
        int from = window > 0 ? (int) Math.min(Math.max(last - window + 1, 0), to) : 0;
        return new Visible(from, to);
    }

    /**
     * One row. s and bias (null: none) hold the row's n scores and biases; out receives n values,
     * or for {@link Op#ATTENTION_LOG_SUM_EXP} one. a is the scale as the element type rounds it.
     */
    public static void row(Op op, double[] s, double[] bias, int n, double a, Visible v, double[] out) {
        int len = v.length();
        double[] z = new double[len];
        for (int j = 0; j < len; j++) {
            z[j] = a * s[v.from() + j] + (bias != null ? bias[v.from() + j] : 0);
        }
        if (op == Op.ATTENTION_LOG_SUM_EXP) {
            out[0] = Reference.logSumExp(z, len, 1.0);
            return;
        }
        double outside = op == Op.ATTENTION_SOFTMAX ? 0 : Double.NEGATIVE_INFINITY;
        Arrays.fill(out, 0, n, outside);
        double[] y = new double[len];
        if (op == Op.ATTENTION_SOFTMAX) {
            Reference.softmax(z, len, 1.0, y);
        } else {
            Reference.logSoftmax(z, len, 1.0, y);
        }
        System.arraycopy(y, 0, out, v.from(), len);
    }
}
