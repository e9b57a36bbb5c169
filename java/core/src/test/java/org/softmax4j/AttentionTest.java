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

    /**
     * Every row of a causal block is the plain row operation on its visible run, with every other
     * entry exactly 0 / −∞ and the output's padding untouched: runs of every length around the
     * kernels' vector widths (all the rows of blocks of n + 2 rows, n = 1 … 129, on arrays; n = 17
     * and 65 in the other storages), offsets before, inside and beyond the block, windows; in every
     * storage kind and element type here (half precision crosses the native core's blocks of
     * rows, 4096 / n rows each). The masked scores
     * are NaN, so a run read one column too long at either end gives NaN, and one too short
     * leaves a visible entry 0 or changes every value of the row. The native backend agrees bit
     * for bit with its plain operation on the run (the same kernels), the Java backend within
     * rounding (its attention and plain paths scale in different places).
     */
    @Test
    void everyRowIsThePlainOperationOnItsRun() {
        double c = 0.125;  // exact in every type, so each path scales the same values
        Random rnd = new Random(33);
        for (Softmax s : TestSupport.availableBackends()) {
            boolean exact = s != Softmax.java();
            for (Kind kind : OperationCase.kindsHere()) {
                // Every length on arrays; the other storages differ in addresses and strides only.
                int[] sizes = kind.storage == TestStorage.ARRAY ? new int[] {1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 129}
                        : new int[] {17, 65};
                for (int n : sizes) {
                    int rows = n + 2, stride = n + 3, offset = kind.isMatrix() ? 0 : 2;
                    AttentionMask[] masks = {AttentionMask.causal(), AttentionMask.causal(-1), AttentionMask.causal(1),
                            AttentionMask.causal(n), AttentionMask.causal(-n), AttentionMask.causal(-3).window(1),
                            AttentionMask.causal(2).window(16), AttentionMask.causal(0).window(17),
                            AttentionMask.causal(n - rows + 1).window(n)};
                    for (AttentionMask m : masks) {
                        double[] x = new double[offset + rows * stride];
                        for (int i = 0; i < rows; i++) {
                            for (int j = 0; j < n; j++) {
                                x[offset + i * stride + j] = sees(i, j, m) ? 3 * rnd.nextGaussian() : Double.NaN;
                            }
                        }
                        double[] xs = kindValues(kind, x);
                        for (int op = 0; op < 3; op++) {
                            int width = op == 2 ? 1 : n, ldy = op == 2 && !kind.isMatrix() ? 1 : stride;
                            double[] got;
                            try (TestStorage.Stored xb = kind.store(x, rows, n, offset, stride, false);
                                 TestStorage.Stored yb = kind.store(TestSupport.filledDouble(offset + rows * ldy), rows, width,
                                         offset, ldy, false)) {
                                run(s, op, xb.batch(), null, yb.batch(), c, m);
                                got = yb.contents();
                            }
                            double sentinel = kindValues(kind, new double[] {TestSupport.SENTINEL})[0];
                            for (int i = 0; i < rows; i++) {
                                int from = n, to = 0;
                                for (int j = 0; j < n; j++) {
                                    if (sees(i, j, m)) {
                                        from = Math.min(from, j);
                                        to = j + 1;
                                    }
                                }
                                double[] want = plainOnRun(s, kind, op, xs, offset + i * stride + from, Math.max(0, to - from), c);
                                String what = s + " " + kind + " " + m + " n " + n + " op " + op + " row " + i;
                                if (op == 2) {
                                    double lse = want.length == 0 ? Double.NEGATIVE_INFINITY : want[0];
                                    assertAgrees(exact, kind, lse, got[offset + i * ldy], what);
                                    continue;
                                }
                                double outside = op == 0 ? 0 : Double.NEGATIVE_INFINITY;
                                for (int j = 0; j < stride; j++) {
                                    double g = got[offset + i * ldy + j];
                                    if (j >= n) {
                                        assertEquals(sentinel, g, 0.0, what + ": padding at " + j);
                                    } else if (j < from || j >= to) {
                                        assertEquals(outside, g, 0.0, what + ": masked at " + j);
                                        assertEquals(Double.doubleToRawLongBits(outside), Double.doubleToRawLongBits(g),
                                                what + ": masked at " + j + " is +0 / −∞");
                                    } else {
                                        assertAgrees(exact, kind, want[j - from], g, what + " at " + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** values as the kind stores them (float32, or half precision through float32). */
    private static double[] kindValues(Kind kind, double[] values) {
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) r[i] = TestSupport.stored(kind.type, values[i]);
        return r;
    }

    /** The plain operation (scale c) of backend s on x[at, at + len) as one row of the kind's type. */
    private static double[] plainOnRun(Softmax s, Kind kind, int op, double[] x, int at, int len, double c) {
        if (len == 0) return new double[0];
        double[] run = java.util.Arrays.copyOfRange(x, at, at + len);
        int width = op == 2 ? 1 : len;
        try (TestStorage.Stored xb = TestStorage.ARRAY.store(kind.type, run, 0, 1, len, len);
             TestStorage.Stored yb = TestStorage.ARRAY.store(kind.type, new double[width], 0, 1, width, width)) {
            switch (op) {
                case 0 -> s.softmax(xb.batch(), yb.batch(), Scale.alpha(c));
                case 1 -> s.logSoftmax(xb.batch(), yb.batch(), Scale.alpha(c));
                default -> s.logSumExp(xb.batch(), yb.batch(), Scale.alpha(c));
            }
            return yb.contents();
        }
    }

    /**
     * Bit for bit when exact, else within a few units of the type's last place (the Java backend
     * computes in double and rounds once; a run one column off changes a row's values by about
     * 1 / length, at least 1 / 130 here).
     */
    private static void assertAgrees(boolean exact, Kind kind, double want, double got, String what) {
        if (exact || Double.isInfinite(want)) {
            assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), what + ": " + got + ", want " + want);
            return;
        }
        double ulp = kind.type == ElementType.FLOAT64 ? 0x1p-52 : kind.type == ElementType.FLOAT32 ? 0x1p-23
                : kind.type == ElementType.BFLOAT16 ? 0x1p-7 : 0x1p-10;
        assertEquals(want, got, 2 * ulp * Math.max(Math.abs(want), 1e-30), what);
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
