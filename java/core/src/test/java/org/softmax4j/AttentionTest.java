package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.softmax4j.TestSupport.rejects;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The fused attention softmax: against the masked softmax with an explicit mask built here, and
 * against a double-precision reference written from the definition; masked entries exactly 0 /
 * −∞; in place; broadcast and full bias; rows that see nothing; validation.
 */
class AttentionTest {

    /** Whether row i sees column j, by the definition (AttentionMask's Javadoc). */
    static boolean sees(int i, int j, AttentionMask m) {
        if (!m.isCausal()) return true;
        long last = (long) i + m.offset();
        return j <= last && (m.window() == 0 || j > last - m.window());
    }

    static AttentionMask[] masks() {
        return new AttentionMask[] {AttentionMask.NONE, AttentionMask.causal(), AttentionMask.causal(3),
                AttentionMask.causal(-2), AttentionMask.causal(1).window(4), AttentionMask.causal(0).window(1),
                AttentionMask.causal(Integer.MAX_VALUE), AttentionMask.causal(Integer.MIN_VALUE).window(5)};
    }

    /** out = op(c s + b) by the definition, in double; b may be null or one row (broadcast). */
    static double[] reference(int op, double[] s, double[] b, boolean broadcast, int rows, int n, double c,
            AttentionMask m) {
        double[] out = new double[op == 2 ? rows : rows * n];
        for (int i = 0; i < rows; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[n];
            for (int j = 0; j < n; j++) {
                z[j] = c * s[i * n + j] + (b == null ? 0 : b[(broadcast ? 0 : i) * n + j]);
                if (sees(i, j, m)) max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) if (sees(i, j, m)) sum += Math.exp(z[j] - max);
            double lse = max + Math.log(sum);
            if (op == 2) {
                out[i] = sum == 0 ? Double.NEGATIVE_INFINITY : lse;
                continue;
            }
            for (int j = 0; j < n; j++) {
                boolean v = sees(i, j, m);
                out[i * n + j] = op == 0 ? (v ? Math.exp(z[j] - lse) : 0) : (v ? z[j] - lse : Double.NEGATIVE_INFINITY);
            }
        }
        return out;
    }

    static void run(Softmax s, int op, Batch x, Batch b, Batch y, double c, AttentionMask m) {
        switch (op) {
            case 0 -> Attention.on(s).softmax(x, b, y, c, m);
            case 1 -> Attention.on(s).logSoftmax(x, b, y, c, m);
            default -> Attention.on(s).logSumExp(x, b, y, c, m);
        }
    }

    @Test
    void agreesWithTheDoubleReferenceAndMasksExactly() {
        Random rnd = new Random(31);
        for (Softmax s : TestSupport.availableBackends()) {
            for (int[] shape : new int[][] {{1, 1}, {5, 7}, {17, 40}, {33, 300}, {8, 3}}) {
                int rows = shape[0], n = shape[1];
                double[] x = TestSupport.gaussian(rnd.nextLong(), rows * n, 4);
                double[] full = TestSupport.gaussian(rnd.nextLong(), rows * n, 1);
                double[] row = TestSupport.gaussian(rnd.nextLong(), n, 1);
                for (AttentionMask m : masks()) {
                    for (int op = 0; op < 3; op++) {
                        for (int bias = 0; bias < 3; bias++) {
                            double[] b = bias == 0 ? null : bias == 1 ? full : row;
                            boolean broadcast = bias == 2;
                            double c = 0.125;
                            double[] want = reference(op, x, b, broadcast, rows, n, c, m);
                            int width = op == 2 ? 1 : n;
                            for (boolean f32 : new boolean[] {true, false}) {
                                double[] got;
                                if (f32) {
                                    float[] xf = TestSupport.toFloat(x);
                                    float[] yf = new float[rows * width];
                                    run(s, op, Batch.of(xf, rows, n), b == null ? null
                                            : Batch.of(TestSupport.toFloat(b), broadcast ? 1 : rows, n),
                                            Batch.of(yf, rows, width), c, m);
                                    got = TestSupport.toDouble(yf);
                                } else {
                                    double[] yd = new double[rows * width];
                                    run(s, op, Batch.of(x, rows, n), b == null ? null
                                            : Batch.of(b, broadcast ? 1 : rows, n), Batch.of(yd, rows, width), c, m);
                                    got = yd;
                                }
                                // Float inputs are rounded (|c s| ≤ ~2, relative 2^-24 each), and the
                                // kernels' exp and sums add a few ulps per element of a row: n·ε
                                // bounds both, with margin.
                                double eps = f32 ? 0x1p-24 : 0x1p-53;
                                double tol = 16 * (n + 8) * eps;
                                for (int i = 0; i < want.length; i++) {
                                    String what = s + " " + rows + "x" + n + " " + m + " op " + op + " bias " + bias
                                            + " f32 " + f32 + " at " + i;
                                    if (Double.isInfinite(want[i]) || want[i] == 0) {
                                        assertEquals(want[i], got[i], 0.0, "exactly: " + what);
                                    } else {
                                        double scale = op == 0 ? Math.max(want[i], 1e-30) : Math.max(1, Math.abs(want[i]));
                                        assertEquals(want[i], got[i], tol * scale + (op == 0 ? tol * 1e-3 : 0), what);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void agreesWithTheMaskedSoftmaxGivenTheExplicitMask() {
        Random rnd = new Random(32);
        int rows = 24, n = 64;
        for (Softmax s : TestSupport.availableBackends()) {
            float[] x = TestSupport.toFloat(TestSupport.gaussian(rnd.nextLong(), rows * n, 3));
            for (AttentionMask m : masks()) {
                boolean[] keep = new boolean[rows * n];
                for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) keep[i * n + j] = sees(i, j, m);
                float[] want = new float[rows * n];
                float[] got = new float[rows * n];
                s.maskedSoftmax(Batch.of(x, rows, n), Batch.of(keep, rows, n), Batch.of(want, rows, n), Scale.alpha(0.5));
                Attention.on(s).softmax(Batch.of(x, rows, n), null, Batch.of(got, rows, n), 0.5, m);
                for (int i = 0; i < rows * n; i++) {
                    if (!keep[i]) assertEquals(0f, got[i], 0f, "masked: exactly 0");
                    assertEquals(want[i], got[i], 4e-6f * Math.max(want[i], 1e-3f), s + " " + m + " at " + i);
                }
            }
        }
    }

    @Test
    void inPlaceGivesTheSameAsIntoAnOutput() {
        for (Softmax s : TestSupport.availableBackends()) {
            double[] x = TestSupport.gaussian(5, 12 * 20, 2);
            double[] y = new double[x.length];
            AttentionMask m = AttentionMask.causal(4).window(7);
            Attention.on(s).logSoftmax(Batch.of(x, 12, 20), null, Batch.of(y, 12, 20), 0.3, m);
            double[] in = x.clone();
            Attention.on(s).logSoftmax(Batch.of(in, 12, 20), null, Batch.of(in, 12, 20), 0.3, m);
            assertArrayEquals(y, in, 0.0, s.toString());
        }
    }

    @Test
    void badArgumentsAreRejected() {
        float[] x = new float[12];
        for (Softmax s : TestSupport.availableBackends()) {
            float[] y = TestSupport.sentinel(12);
            Batch xb = Batch.of(x, 3, 4), yb = Batch.of(y, 3, 4);
            rejects(IllegalArgumentException.class, "scale",
                    () -> Attention.on(s).softmax(xb, null, yb, Double.NaN, AttentionMask.NONE));
            rejects(IllegalArgumentException.class, "scale",
                    () -> Attention.on(s).softmax(xb, null, yb, Double.POSITIVE_INFINITY, AttentionMask.NONE));
            rejects(IllegalArgumentException.class, "bias",
                    () -> Attention.on(s).softmax(xb, Batch.of(new float[8], 2, 4), yb, 1, AttentionMask.NONE));
            rejects(IllegalArgumentException.class, "bias",
                    () -> Attention.on(s).softmax(xb, Batch.of(new double[12], 3, 4), yb, 1, AttentionMask.NONE));
            rejects(IllegalArgumentException.class, "bias", () -> Attention.on(s).softmax(xb, yb, yb, 1, AttentionMask.NONE));
            rejects(IllegalArgumentException.class, "y",
                    () -> Attention.on(s).softmax(xb, null, Batch.of(y, 3, 3), 1, AttentionMask.NONE));
            rejects(NullPointerException.class, "mask", () -> Attention.on(s).softmax(xb, null, yb, 1, null));
            rejects(NullPointerException.class, "scores", () -> Attention.on(s).softmax(null, null, yb, 1, AttentionMask.NONE));
            assertArrayEquals(TestSupport.sentinel(12), y, "nothing written by a rejected call");
        }
        rejects(NullPointerException.class, "backend", () -> Attention.on(null));
        assertSame(Softmax.get(), Attention.get().backend(), "get() is on the best backend");
        assertSame(Softmax.java(), Attention.on(Softmax.java()).backend());
        rejects(IllegalArgumentException.class, "window", () -> AttentionMask.causal().window(0));
        rejects(IllegalArgumentException.class, "causal", () -> AttentionMask.NONE.window(3));
        assertTrue(AttentionMask.causal(2).window(3).toString().contains("window=3"));
    }
}
