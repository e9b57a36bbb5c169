package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.Batch;
import org.softmax4j.Kind;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.TestSupport;

/**
 * predictProba, logProba and predict against the reference two-step computation — the scores
 * X Wᵀ + b by a plain loop in double, rounded to the element type, then
 * {@code Softmax.java().softmax} (or logSoftmax) — for every buffer kind, both backends, and
 * layouts with offsets, strides and temperatures. Every element of the output storage is
 * checked: results within tolerance, padding untouched.
 */
class PredictAgreementTest {

    record Layout(String name, int rows, int d, int k, int xo, int ldx, int yo, int ldy, double t) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Layout> LAYOUTS = List.of(
            new Layout("1x1->1", 1, 1, 1, 0, 1, 0, 1, 1),
            new Layout("5x3->2", 5, 3, 2, 0, 3, 0, 2, 1),
            new Layout("33x37->10", 33, 37, 10, 0, 37, 0, 10, 1),
            new Layout("17x20->7 strided", 17, 20, 7, 0, 23, 0, 9, 1),
            new Layout("9x16->12 offsets", 9, 16, 12, 5, 16, 3, 12, 1),
            new Layout("40x8->5 tau=0.3", 40, 8, 5, 0, 8, 0, 5, 0.3),
            new Layout("300x64->10 tau=4", 300, 64, 10, 0, 64, 0, 10, 4),
            // Large enough for the native GEMM to be split over threads: by blocks of rows (the
            // output is taller than wide), and by blocks of columns, with k not a multiple of the
            // column alignment.
            new Layout("700x600->40 row blocks", 700, 600, 40, 0, 600, 0, 40, 1),
            new Layout("6x700->1001 column blocks", 6, 700, 1001, 1, 701, 2, 1003, 1.5),
            new Layout("0 rows", 0, 4, 3, 0, 4, 0, 3, 1),
            new Layout("no features", 4, 0, 3, 0, 0, 0, 3, 1));

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (Kind s : Kind.available())
                for (HeadCalls.Op op : HeadCalls.Op.values())
                    for (Layout l : LAYOUTS) {
                        if (s.isMatrix() && (l.xo != 0 || l.yo != 0)) continue;
                        all.add(Arguments.of(b, s, op, l));
                    }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void agreesWithTheTwoStepReference(Softmax.Backend backend, Kind storage, HeadCalls.Op op, Layout l) {
        try (SoftmaxClassifier m = Backends.random(l.d * 31 + l.k, l.k, l.d, Backends.of(backend))) {
            int xLength = l.xo + l.rows * l.ldx;
            double[] xs = Backends.gaussian(l.rows * 7 + l.d, Math.max(xLength, 1), 1.5);
            int yLength = l.yo + l.rows * l.ldy;
            double[] got = HeadCalls.run(storage, m, op, l.rows, xs, l.xo, l.ldx, yLength, l.yo, l.ldy, l.t);
            if (op == HeadCalls.Op.PREDICT) {
                double[] p = reference(m, storage.isFloat(), HeadCalls.Op.PROBA, l, xs);
                for (int r = 0; r < l.rows; r++) {
                    int best = 0;
                    for (int j = 1; j < l.k; j++) if (p[l.yo + r * l.ldy + j] > p[l.yo + r * l.ldy + best]) best = j;
                    assertEquals(best, (int) got[r], "row " + r);
                }
                assertEquals(l.rows, got.length);
                return;
            }
            double[] expected = reference(m, storage.isFloat(), op, l, xs);
            assertEquals(yLength, got.length);
            for (int i = 0; i < yLength; i++) {
                int rel = i - l.yo;
                boolean inside = rel >= 0 && rel % l.ldy < l.k;
                if (!inside) {
                    if (got[i] != (storage.isFloat() ? (float) TestSupport.SENTINEL : TestSupport.SENTINEL)) fail("element " + i + " written");
                    continue;
                }
                double tol = storage.isFloat()
                        ? (op == HeadCalls.Op.PROBA ? 1e-6 + 3e-5 * expected[i] : 3e-5 * (1 + Math.abs(expected[i])))
                        : (op == HeadCalls.Op.PROBA ? 1e-14 + 1e-11 * expected[i] : 1e-11 * (1 + Math.abs(expected[i])));
                if (!(Math.abs(got[i] - expected[i]) <= tol)) {
                    fail("element " + i + ": expected " + expected[i] + ", got " + got[i]);
                }
            }
        }
    }

    /** The split GEMMs at 1, 2 and 3 threads: the same results within tolerance at every count. */
    @ParameterizedTest(name = "{0} threads {1} {2}")
    @MethodSource("threadCases")
    void splitGemmsAgreeAtEveryThreadCount(int threads, Kind storage, Layout l) {
        Softmax s = Backends.of(Softmax.Backend.NATIVE);
        try {
            s.setThreads(threads);
            agreesWithTheTwoStepReference(Softmax.Backend.NATIVE, storage, HeadCalls.Op.PROBA, l);
            agreesWithTheTwoStepReference(Softmax.Backend.NATIVE, storage, HeadCalls.Op.LOG_PROBA, l);
        } finally {
            s.setThreads(0);
        }
    }

    static Stream<Arguments> threadCases() {
        List<Arguments> all = new ArrayList<>();
        for (int t = 1; t <= 3; t++)
            for (Kind s : new Kind[] {Kind.FLOAT_ARRAY, Kind.DOUBLE_POINTER})
                for (Layout l : LAYOUTS)
                    if (l.name.contains("blocks")) all.add(Arguments.of(t, s, l));
        return all.stream();
    }

    /** Scores by a loop in double (inputs and weights rounded to float for float storage), then the Java softmax. */
    static double[] reference(SoftmaxClassifier m, boolean single, HeadCalls.Op op, Layout l, double[] xs) {
        double[] w = m.weights();
        double[] b = m.bias();
        int yLength = l.yo + l.rows * l.ldy;
        double[] z = new double[Math.max(yLength, 1)];
        for (int r = 0; r < l.rows; r++) {
            for (int j = 0; j < l.k; j++) {
                double s = single ? (float) b[j] : b[j];
                for (int c = 0; c < l.d; c++) {
                    double x = xs[l.xo + r * l.ldx + c];
                    double wv = w[j * l.d + c];
                    s += single ? (double) (float) x * (float) wv : x * wv;
                }
                z[l.yo + r * l.ldy + j] = s;
            }
        }
        if (l.rows == 0) return z;
        Scale scale = Scale.temperature(l.t);
        if (single) {
            float[] zf = TestSupport.toFloat(z);
            Batch zb = Batch.of(zf, l.yo, l.rows, l.k, l.ldy);
            if (op == HeadCalls.Op.PROBA) Softmax.java().softmax(zb, zb, scale);
            else Softmax.java().logSoftmax(zb, zb, scale);
            return TestSupport.toDouble(zf);
        }
        Batch zb = Batch.of(z, l.yo, l.rows, l.k, l.ldy);
        if (op == HeadCalls.Op.PROBA) Softmax.java().softmax(zb, zb, scale);
        else Softmax.java().logSoftmax(zb, zb, scale);
        return z;
    }
}
