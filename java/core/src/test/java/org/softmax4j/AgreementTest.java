package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * Every operation × every buffer kind × float and double × every backend, against the reference
 * (the Java backend on double arrays), on random data of many shapes and layouts. Every element
 * of the output storage is checked: results within tolerance, everything else untouched.
 */
class AgreementTest {

    /** A shape and layout. {@code inPlace} makes y the same storage as x. */
    record Case(String name, int rows, int n, int xo, int ldx, int yo, int ldy, double tau,
            boolean inPlace) {
        static Case dense(String name, int rows, int n) {
            return new Case(name, rows, n, 0, n, 0, n, 1.0, false);
        }

        int xLength() {
            return xo + rows * ldx;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            Case.dense("1x1", 1, 1),
            Case.dense("1x2", 1, 2),
            Case.dense("3x5", 3, 5),
            Case.dense("2x17", 2, 17),
            Case.dense("7x4099", 7, 4099),
            Case.dense("1500x37", 1500, 37),
            Case.dense("1x1000003", 1, 1_000_003),
            new Case("5x20 strided", 5, 20, 0, 23, 0, 29, 1.0, false),
            new Case("6x33 offsets", 6, 33, 7, 40, 4, 35, 1.0, false),
            new Case("4x100 in place", 4, 100, 0, 100, 0, 100, 1.0, true),
            new Case("9x31 tau=0.25", 9, 31, 0, 31, 0, 31, 0.25, false),
            new Case("9x31 tau=7", 9, 31, 0, 31, 0, 31, 7.0, false),
            new Case("3x64 huge values", 3, 64, 0, 64, 0, 64, 1.0, false));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (Kind k : Kind.available())
                for (Op op : TestSupport.ROW_OPS)
                    for (Case c : CASES) {
                        if (k.isMatrix() && (c.xo != 0 || c.yo != 0)) continue;
                        if (c.inPlace && TestSupport.reduces(op)) continue;
                        all.add(Arguments.of(b, k, op, c));
                    }
        return all.stream();
    }

    private static final Map<String, double[]> DATA = new ConcurrentHashMap<>();

    static double[] data(Case c) {
        return DATA.computeIfAbsent(c.name, key -> {
            double scale = key.contains("huge") ? 1e4 : 3;
            double[] x = TestSupport.gaussian(key.hashCode(), c.xLength(), scale);
            if (key.contains("huge")) x[5] = 1e30; // exact via the max shift, not overflow
            return x;
        });
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void agreesWithReference(Softmax.Backend backend, Kind kind, Op op, Case c) {
        Softmax s = TestSupport.backend(backend);
        double[] x = kind.rounded(data(c));
        // Matrices carry the stride of a log-sum-exp column; the other kinds write it densely.
        int outStride = TestSupport.reduces(op) && !kind.isMatrix() ? 1 : c.ldy;
        // Three spare elements after the output catch a write past its end.
        int yLength = c.inPlace ? x.length : kind.isMatrix() ? c.rows * c.ldy : c.yo + c.rows * outStride + 3;
        double[] got = kind.run(s, op, c.rows, c.n, x, c.xo, c.ldx, yLength, c.yo, c.ldy, c.tau, c.inPlace);

        // The reference: the Java backend on double arrays, from the same (rounded) inputs.
        double[] expected = c.inPlace ? x.clone() : filled(yLength);
        if (TestSupport.reduces(op)) {
            double[] lse = new double[c.rows];
            Kind.call(Softmax.java(), op, c.rows, c.n, x, c.xo, c.ldx, lse, 0, 1, c.tau);
            for (int r = 0; r < c.rows; r++) expected[c.yo + r * outStride] = lse[r];
        } else {
            Kind.call(Softmax.java(), op, c.rows, c.n, c.inPlace ? expected : x, c.xo, c.ldx,
                    expected, c.yo, outStride, c.tau);
        }
        assertEquals(expected.length, got.length, "output storage length");
        boolean f32 = kind.isFloat();
        double[] rowScale = new double[c.rows];
        for (int r = 0; r < c.rows; r++) rowScale[r] = maxAbs(x, c.xo + r * c.ldx, c.n) / c.tau;
        for (int i = 0; i < got.length; i++) {
            int r = row(op, c, outStride, i);
            if (r < 0) {
                // Not an output element: untouched (in place: still the input).
                double untouched = c.inPlace ? x[i] : (f32 ? (float) Kind.SENTINEL : Kind.SENTINEL);
                if (Double.compare(untouched, got[i]) != 0) {
                    throw new AssertionError("element " + i + " outside the output was written: " + got[i]);
                }
                continue;
            }
            TestSupport.check(op, f32, c.n, rowScale[r], expected[i], got[i], "element " + i + " (row " + r + ")");
        }
    }

    /** The row whose output element {@code i} is, or -1 if i is not an output element. */
    private static int row(Op op, Case c, int outStride, int i) {
        int rel = i - c.yo;
        if (rel < 0) return -1;
        int r = rel / outStride;
        if (r >= c.rows) return -1;
        int col = rel % outStride;
        return col < (TestSupport.reduces(op) ? 1 : c.n) ? r : -1;
    }

    private static double maxAbs(double[] x, int from, int n) {
        double m = 0;
        for (int j = 0; j < n; j++) m = Math.max(m, Math.abs(x[from + j]));
        return m;
    }

    private static double[] filled(int length) {
        double[] d = new double[length];
        java.util.Arrays.fill(d, Kind.SENTINEL);
        return d;
    }
}
