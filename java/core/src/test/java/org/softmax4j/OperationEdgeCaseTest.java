package org.softmax4j;

import static java.lang.Double.NEGATIVE_INFINITY;
import static java.lang.Double.NaN;
import static java.lang.Double.POSITIVE_INFINITY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge semantics of the operations on Batch views, with the expected results written out:
 * both backends, float and double. Finite expectations are checked to a few units of the element
 * type (they are exact or nearly so); NaN and ±∞ exactly.
 */
class OperationEdgeCaseTest {

    @FunctionalInterface
    interface Call {
        void run(Softmax s, Batch[] in, Batch out);
    }

    static Stream<Arguments> backendsAndTypes() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (String t : new String[] {"float", "double"}) all.add(Arguments.of(b, t));
        return all.stream();
    }

    /**
     * Runs a call on dense arrays of the element type, each input of {@code rows} rows (its
     * length / rows wide), the output {@code outLength / rows} wide; returns the output.
     */
    private static double[] apply(Softmax s, boolean f32, int rows, double[][] ins, int outLength, Call call) {
        return apply(s, f32, rows, ins, outLength, rows == 0 ? 0 : outLength / rows, call);
    }

    /** As above, with the output's width given (an output with spare elements after it). */
    private static double[] apply(Softmax s, boolean f32, int rows, double[][] ins, int outLength, int outCols,
            Call call) {
        Batch[] in = new Batch[ins.length];
        if (f32) {
            for (int i = 0; i < ins.length; i++) in[i] = dense(TestSupport.toFloat(ins[i]), rows);
            float[] out = new float[outLength];
            java.util.Arrays.fill(out, (float) Kind.SENTINEL);
            call.run(s, in, Batch.of(out, 0, rows, outCols, outCols));
            return TestSupport.toDouble(out);
        }
        for (int i = 0; i < ins.length; i++) in[i] = dense(ins[i].clone(), rows);
        double[] out = new double[outLength];
        java.util.Arrays.fill(out, Kind.SENTINEL);
        call.run(s, in, Batch.of(out, 0, rows, outCols, outCols));
        return out;
    }

    private static Batch dense(float[] a, int rows) {
        return Batch.of(a, rows, rows == 0 ? 0 : a.length / rows);
    }

    private static Batch dense(double[] a, int rows) {
        return Batch.of(a, rows, rows == 0 ? 0 : a.length / rows);
    }

    private static void expect(boolean f32, double[] expected, double[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < expected.length; i++) {
            double e = f32 ? (float) expected[i] : expected[i];
            if (Double.isNaN(e) || Double.isInfinite(e) || e == Kind.SENTINEL) {
                assertEquals(e, got[i], 0.0, what + "[" + i + "]");
            } else {
                double unit = f32 ? 0x1p-24 : 0x1p-53;
                assertEquals(e, got[i], 8 * unit * Math.abs(e) + TestSupport.atol(f32), what + "[" + i + "]");
            }
        }
    }

    private static double[] v(double... d) {
        return d;
    }

    /** combine's weights: one FLOAT64 row. */
    private static Batch w(double... d) {
        return Batch.of(d, 1, d.length);
    }

    private static double[] nan(int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, NaN);
        return d;
    }

    private static final Scale ONE = Scale.ONE;
    private static final double LN3 = Math.log(3);

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void jacobians(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        Softmax.From X = Softmax.From.LOGITS;
        // [0, ln 3] has y = (1/4, 3/4): J = [[3/16, −3/16], [−3/16, 3/16]], and 2J at α = 2·(ln 3)/2.
        expect(f32, v(0.1875, -0.1875, -0.1875, 0.1875),
                apply(s, f32, 1, new double[][] {v(0, LN3)}, 4, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "J");
        expect(f32, v(0.375, -0.375, -0.375, 0.375),
                apply(s, f32, 1, new double[][] {v(0, LN3 / 2)}, 4, (m, in, out) -> m.jacobian(X, in[0], out, Scale.alpha(2))), "J α=2");
        expect(f32, v(0.1875, -0.1875, -0.1875, 0.1875),
                apply(s, f32, 1, new double[][] {v(0.25, 0.75)}, 4, (m, in, out) -> m.jacobian(Softmax.From.OUTPUT, in[0], out, ONE)), "J from y");
        for (double[] bad : new double[][] {v(1, NaN, 2), v(1, POSITIVE_INFINITY, 2), v(NEGATIVE_INFINITY, NEGATIVE_INFINITY, NEGATIVE_INFINITY)}) {
            expect(f32, nan(9), apply(s, f32, 1, new double[][] {bad}, 9, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "J of a NaN row");
        }
        // A saved y with a non-finite entry: the whole block is NaN, not a pattern of NaNs.
        expect(f32, nan(9), apply(s, f32, 1, new double[][] {v(0, 0.5, POSITIVE_INFINITY)}, 9,
                (m, in, out) -> m.jacobian(Softmax.From.OUTPUT, in[0], out, ONE)), "J of a bad y");
        expect(f32, new double[9], apply(s, f32, 1, new double[][] {v(-3e38, 3e38, 1)}, 9,
                (m, in, out) -> m.jacobian(X, in[0], out, Scale.alpha(0))), "J at α=0");
        expect(f32, v(0), apply(s, f32, 1, new double[][] {v(7)}, 1, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "J n=1");
        // A one-hot row: J = 0 except where the terms are below the smallest normal.
        expect(f32, new double[4], apply(s, f32, 1, new double[][] {v(0, -1e4)}, 4, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "J one-hot");
        // Zero rows and empty rows write nothing.
        expect(f32, v(Kind.SENTINEL), apply(s, f32, 0, new double[][] {v()}, 1, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "rows=0");
        expect(f32, v(Kind.SENTINEL), apply(s, f32, 3, new double[][] {v()}, 1, (m, in, out) -> m.jacobian(X, in[0], out, ONE)), "n=0");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void products(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        Softmax.From X = Softmax.From.LOGITS;
        // y = (1/4, 3/4), v = (1, 0): ⟨y, v⟩ = 1/4, J v = y ⊙ (v − 1/4) = (3/16, −3/16).
        expect(f32, v(0.1875, -0.1875), apply(s, f32, 1, new double[][] {v(0, LN3), v(1, 0)}, 2,
                (m, in, out) -> m.softmaxJvp(X, in[0], in[1], out, ONE)), "jvp");
        expect(f32, nan(3), apply(s, f32, 1, new double[][] {v(NaN, 0, 1), v(1, 2, 3)}, 3,
                (m, in, out) -> m.softmaxJvp(X, in[0], in[1], out, ONE)), "jvp NaN row");
        expect(f32, new double[3], apply(s, f32, 1, new double[][] {v(1, 2, 3), v(1, 2, 3)}, 3,
                (m, in, out) -> m.softmaxVjp(X, in[0], in[1], out, Scale.alpha(0))), "vjp α=0");
        // log-softmax VJP: g = (1, 1) gives α(g − y·2) = (1/2, −1/2).
        expect(f32, v(0.5, -0.5), apply(s, f32, 1, new double[][] {v(0, LN3), v(1, 1)}, 2,
                (m, in, out) -> m.logSoftmaxVjp(X, in[0], in[1], out, ONE)), "log-softmax vjp");
        expect(f32, v(0.5, -0.5), apply(s, f32, 1, new double[][] {v(Math.log(0.25), Math.log(0.75)), v(1, 1)}, 2,
                (m, in, out) -> m.logSoftmaxVjp(Softmax.From.OUTPUT, in[0], in[1], out, ONE)), "log-softmax vjp from output");
        // A −∞ log-probability: y = (1, 0), Σg = 3, so g − y·3 = (−2, 2).
        expect(f32, v(-2, 2), apply(s, f32, 1, new double[][] {v(0, NEGATIVE_INFINITY), v(1, 2)}, 2,
                (m, in, out) -> m.logSoftmaxVjp(Softmax.From.OUTPUT, in[0], in[1], out, ONE)), "log-softmax vjp of a −∞");
        // LSE gradient α·g·S(αx); with the saved LSE = log 4.
        expect(f32, v(1, 3), apply(s, f32, 1, new double[][] {v(0, LN3 / 2), v(2)}, 2,
                (m, in, out) -> m.logSumExpVjp(in[0], in[1], out, Scale.alpha(2))), "LSE vjp");
        expect(f32, v(1, 3), apply(s, f32, 1, new double[][] {v(0, LN3 / 2), v(Math.log(4)), v(2)}, 2,
                (m, in, out) -> m.logSumExpVjp(in[0], in[1], in[2], out, Scale.alpha(2))), "LSE vjp saved");
        expect(f32, v(0, 1), apply(s, f32, 1, new double[][] {v(NEGATIVE_INFINITY, 0), v(0), v(1)}, 2,
                (m, in, out) -> m.logSumExpVjp(in[0], in[1], in[2], out, ONE)), "LSE vjp saved, −∞ logit");
        // J V with V = [[1, 0], [0, 1]]: J itself.
        expect(f32, v(0.1875, -0.1875, -0.1875, 0.1875), apply(s, f32, 1, new double[][] {v(0, LN3), v(1, 0, 0, 1)}, 4,
                (m, in, out) -> m.jacobianTimes(2, X, in[0], in[1], out, ONE)), "J V");
        expect(f32, v(Kind.SENTINEL), apply(s, f32, 1, new double[][] {v(0, LN3), v()}, 1, 0,
                (m, in, out) -> m.jacobianTimes(0, X, in[0], in[1], out, ONE)), "J V, k=0");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void inverse(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        Gauge lse0 = Gauge.logSumExp(0);
        double ln2 = Math.log(2);
        // p = (1/4, 1/4, 1/2), unnormalised ×4: log-probabilities in the LSE = 0 gauge.
        expect(f32, v(-2 * ln2, -2 * ln2, -ln2), apply(s, f32, 1, new double[][] {v(1, 1, 2)}, 3,
                (m, in, out) -> m.inverse(in[0], out, lse0, ONE)), "LSE gauge");
        expect(f32, v(-ln2 / 3, -ln2 / 3, 2 * ln2 / 3), apply(s, f32, 1, new double[][] {v(1, 1, 2)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.zeroMean(), ONE)), "zero mean");
        expect(f32, v(0, 0, ln2), apply(s, f32, 1, new double[][] {v(1, 1, 2)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.pinned(1), ONE)), "pinned");
        expect(f32, v(0, 0, -ln2 / 2), apply(s, f32, 1, new double[][] {v(1, 1, 2)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.pinned(0), Scale.alpha(-2))), "pinned, α=−2: softmin logits");
        // Zero probabilities: ∓∞ logits in the LSE gauge, by the sign of α.
        expect(f32, v(-ln2, NEGATIVE_INFINITY, -ln2), apply(s, f32, 1, new double[][] {v(1, 0, 1)}, 3,
                (m, in, out) -> m.inverse(in[0], out, lse0, ONE)), "zero, LSE gauge");
        expect(f32, v(ln2, POSITIVE_INFINITY, ln2), apply(s, f32, 1, new double[][] {v(1, 0, 1)}, 3,
                (m, in, out) -> m.inverse(in[0], out, lse0, Scale.alpha(-1))), "zero, α=−1");
        expect(f32, v(0, NEGATIVE_INFINITY, 0), apply(s, f32, 1, new double[][] {v(1, 0, 1)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.pinned(2), ONE)), "zero elsewhere than the pin");
        expect(f32, nan(3), apply(s, f32, 1, new double[][] {v(1, 0, 1)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.zeroMean(), ONE)), "zero, zero mean: no gauge");
        expect(f32, nan(3), apply(s, f32, 1, new double[][] {v(1, 0, 1)}, 3,
                (m, in, out) -> m.inverse(in[0], out, Gauge.pinned(1), ONE)), "zero pinned: no gauge");
        for (double[] bad : new double[][] {v(0.5, -0.1, 0.6), v(0.5, NaN, 0.5), v(0.5, POSITIVE_INFINITY, 0.5), v(0, 0, 0)}) {
            expect(f32, nan(3), apply(s, f32, 1, new double[][] {bad}, 3,
                    (m, in, out) -> m.inverse(in[0], out, lse0, ONE)), "not a distribution");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void combine(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        // (1/2, 1/2) ⊙ (1/4, 3/4) ∝ (1/4, 3/4); the ratio (1/4, 3/4) / (1/2, 1/2) ∝ (1/4, 3/4).
        expect(f32, v(0.25, 0.75), apply(s, f32, 1, new double[][] {v(0.5, 0.5, 0.25, 0.75)}, 2,
                (m, in, out) -> m.combine(in[0], w(1, 1), out)), "product");
        expect(f32, v(0.25, 0.75), apply(s, f32, 1, new double[][] {v(0.25, 0.75, 0.5, 0.5)}, 2,
                (m, in, out) -> m.combine(in[0], w(1, -1), out)), "ratio");
        // Squaring (1/4, 3/4): ∝ (1, 9).
        expect(f32, v(0.1, 0.9), apply(s, f32, 1, new double[][] {v(0.25, 0.75)}, 2,
                (m, in, out) -> m.combine(in[0], w(2), out)), "power");
        // A zero under a positive weight gives 0; under a zero weight it is dropped.
        expect(f32, v(0, 1), apply(s, f32, 1, new double[][] {v(0, 1, 0.5, 0.5)}, 2,
                (m, in, out) -> m.combine(in[0], w(1, 1), out)), "zero, positive weight");
        expect(f32, v(0.25, 0.75), apply(s, f32, 1, new double[][] {v(0, 1, 0.25, 0.75)}, 2,
                (m, in, out) -> m.combine(in[0], w(0, 1), out)), "zero, zero weight");
        // Under a negative weight the product is infinite: NaN row, as softmax of +∞.
        expect(f32, nan(2), apply(s, f32, 1, new double[][] {v(0.5, 0.5, 0, 1)}, 2,
                (m, in, out) -> m.combine(in[0], w(1, -1), out)), "zero, negative weight");
        // Disjoint supports: every product 0, nothing to normalise.
        expect(f32, nan(2), apply(s, f32, 1, new double[][] {v(1, 0, 0, 1)}, 2,
                (m, in, out) -> m.combine(in[0], w(1, 1), out)), "disjoint supports");
        expect(f32, nan(2), apply(s, f32, 1, new double[][] {v(-0.5, 1.5)}, 2,
                (m, in, out) -> m.combine(in[0], w(1), out)), "negative probability");
        expect(f32, v(1.0 / 3, 1.0 / 3, 1.0 / 3), apply(s, f32, 1, new double[][] {v()}, 3,
                (m, in, out) -> m.combine(in[0], w(), out)), "no factors: uniform");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void sigmoid(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        double[] z = v(NEGATIVE_INFINITY, -800, -30, 0, 30, 800, POSITIVE_INFINITY, NaN);
        double e30 = Math.exp(-30);
        expect(f32, v(0, 0, e30 / (1 + e30), 0.5, 1 / (1 + e30), 1, 1, NaN),
                apply(s, f32, 1, new double[][] {z}, 8, (m, in, out) -> m.sigmoid(in[0], out, ONE)), "σ");
        expect(f32, v(NaN, 0.5, 0.5, 0.5, 0.5, 0.5, NaN, NaN),
                apply(s, f32, 1, new double[][] {z}, 8, (m, in, out) -> m.sigmoid(in[0], out, Scale.alpha(0))), "σ at α=0");
        expect(f32, v(1, 1, 1 / (1 + e30), 0.5, e30 / (1 + e30), 0, 0, NaN),
                apply(s, f32, 1, new double[][] {z}, 8, (m, in, out) -> m.sigmoid(in[0], out, Scale.alpha(-1))), "σ at α=−1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void masked(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        // Row 0 fully masked; row 1 keeps (0, ln 3) and masks a NaN; row 2 keeps a +∞.
        double[] x = v(1, 2, 3, 0, NaN, LN3, 1, POSITIVE_INFINITY, 2);
        Batch mask = Batch.of(new boolean[] {false, false, false, true, false, true, false, true, true}, 3, 3);
        expect(f32, v(0, 0, 0, 0.25, 0, 0.75, 0, NaN, NaN), apply(s, f32, 3, new double[][] {x}, 9,
                (m, in, out) -> m.maskedSoftmax(in[0], mask, out, ONE)), "masked softmax");
        double ninf = NEGATIVE_INFINITY;
        expect(f32, v(ninf, ninf, ninf, Math.log(0.25), ninf, Math.log(0.75), ninf, NaN, NaN), apply(s, f32, 3, new double[][] {x}, 9,
                (m, in, out) -> m.maskedLogSoftmax(in[0], mask, out, ONE)), "masked log-softmax");
        expect(f32, v(ninf, Math.log(4), POSITIVE_INFINITY), apply(s, f32, 3, new double[][] {x}, 3,
                (m, in, out) -> m.maskedLogSumExp(in[0], mask, out, ONE)), "masked LSE");
        // α = 0 over the kept entries: uniform among them.
        expect(f32, v(0, 0, 0, 0.5, 0, 0.5, 0, NaN, NaN), apply(s, f32, 3, new double[][] {x}, 9,
                (m, in, out) -> m.maskedSoftmax(in[0], mask, out, Scale.alpha(0))), "masked softmax α=0");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndTypes")
    void scaleLimitsOfTheRowOperations(Softmax.Backend backend, String type) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = type.equals("float");
        double big = f32 ? 3e38 : 1.7e308;
        // α = 0 on a row whose spread overflows: uniform, not NaN.
        expect(f32, v(0.5, 0.5), apply(s, f32, 1, new double[][] {v(-big, big)}, 2,
                (m, in, out) -> m.softmax(in[0], out, Scale.alpha(0))), "α=0");
        expect(f32, v(-Math.log(2), -Math.log(2)), apply(s, f32, 1, new double[][] {v(-big, big)}, 2,
                (m, in, out) -> m.logSoftmax(in[0], out, Scale.alpha(0))), "α=0 log");
        expect(f32, v(Math.log(2)), apply(s, f32, 1, new double[][] {v(-big, big)}, 1,
                (m, in, out) -> m.logSumExp(in[0], out, Scale.alpha(0))), "α=0 LSE");
        expect(f32, nan(2), apply(s, f32, 1, new double[][] {v(1, POSITIVE_INFINITY)}, 2,
                (m, in, out) -> m.softmax(in[0], out, Scale.alpha(0))), "α=0 with ∞: 0·∞");
        expect(f32, v(NaN), apply(s, f32, 1, new double[][] {v(1, NEGATIVE_INFINITY)}, 1,
                (m, in, out) -> m.logSumExp(in[0], out, Scale.alpha(0))), "α=0 LSE with ∞");
        // α = ±∞ saturates: one-hot with ties split, on the maximum or the minimum.
        expect(f32, v(0.5, 0, 0.5), apply(s, f32, 1, new double[][] {v(2, 1, 2)}, 3,
                (m, in, out) -> m.softmax(in[0], out, Scale.alpha(POSITIVE_INFINITY))), "α=+∞");
        expect(f32, v(0, 1, 0), apply(s, f32, 1, new double[][] {v(2, 1, 2)}, 3,
                (m, in, out) -> m.softmax(in[0], out, Scale.alpha(NEGATIVE_INFINITY))), "α=−∞");
        // The same through the temperature API: τ = Double.MIN_VALUE gives α = +∞.
        double[] y = new double[3];
        s.softmax(Batch.of(v(2, 1, 2), 1, 3), Batch.of(y, 1, 3), Scale.temperature(Double.MIN_VALUE));
        assertArrayEquals(v(0.5, 0, 0.5), y, 0.0);
    }
}
