package org.softmax4j;

import static java.lang.Double.NEGATIVE_INFINITY;
import static java.lang.Double.NaN;
import static java.lang.Double.POSITIVE_INFINITY;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * The edge-case table of docs/mathematics.md (PyTorch and SciPy agree), row by row, with the expected
 * results written out rather than computed: both backends, float and double, through every
 * buffer kind (arrays, direct and heap buffers, pointers, matrices).
 */
class EdgeCaseTest {

    /** A row and its softmax, log-softmax and log-sum-exp, at temperature 1. */
    record Row(String name, double[] x, double[] softmax, double[] logSoftmax, double lse) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static double[] v(double... d) {
        return d;
    }

    private static final double LN3 = Math.log(3);

    static final List<Row> ROWS = List.of(
            new Row("all -inf", v(NEGATIVE_INFINITY, NEGATIVE_INFINITY, NEGATIVE_INFINITY),
                    v(NaN, NaN, NaN), v(NaN, NaN, NaN), NEGATIVE_INFINITY),
            new Row("single -inf", v(NEGATIVE_INFINITY), v(NaN), v(NaN), NEGATIVE_INFINITY),
            new Row("contains +inf", v(1, POSITIVE_INFINITY, 2),
                    v(NaN, NaN, NaN), v(NaN, NaN, NaN), POSITIVE_INFINITY),
            new Row("two +inf", v(POSITIVE_INFINITY, POSITIVE_INFINITY),
                    v(NaN, NaN), v(NaN, NaN), POSITIVE_INFINITY),
            new Row("+inf and -inf", v(NEGATIVE_INFINITY, POSITIVE_INFINITY),
                    v(NaN, NaN), v(NaN, NaN), POSITIVE_INFINITY),
            new Row("contains NaN", v(1, NaN, 2), v(NaN, NaN, NaN), v(NaN, NaN, NaN), NaN),
            new Row("NaN first", v(NaN, 1, 2), v(NaN, NaN, NaN), v(NaN, NaN, NaN), NaN),
            new Row("NaN and +inf", v(NaN, POSITIVE_INFINITY), v(NaN, NaN), v(NaN, NaN), NaN),
            new Row("+inf and NaN", v(POSITIVE_INFINITY, 0, NaN), v(NaN, NaN, NaN), v(NaN, NaN, NaN), NaN),
            new Row("-inf and NaN", v(NEGATIVE_INFINITY, NaN), v(NaN, NaN), v(NaN, NaN), NaN),
            new Row("-inf among finite", v(0, NEGATIVE_INFINITY, 0),
                    v(0.5, 0, 0.5), v(-Math.log(2), NEGATIVE_INFINITY, -Math.log(2)), Math.log(2)),
            new Row("single value", v(5), v(1), v(0), 5),
            new Row("0 and ln 3", v(0, LN3), v(0.25, 0.75), v(Math.log(0.25), Math.log(0.75)), Math.log(4)),
            new Row("huge 1e30", v(1e30, 0), v(1, 0), v(0, -1e30), 1e30),
            new Row("huge ties 1e4", v(1e4, 1e4), v(0.5, 0.5), v(-Math.log(2), -Math.log(2)), 1e4 + Math.log(2)),
            // In float the difference overflows: −6.8e38 rounds to −∞, as it should.
            new Row("near float max", v(-3.4e38, 3.4e38), v(0, 1), v(-6.8e38, 0), 3.4e38));

    static Stream<Arguments> rows() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (Kind k : Kind.available())
                for (Row r : ROWS) all.add(Arguments.of(b, k, r));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("rows")
    void row(Softmax.Backend backend, Kind kind, Row row) {
        Softmax s = TestSupport.backend(backend);
        boolean f32 = kind.isFloat();
        int n = row.x.length;
        double[] x = row.x;
        double[] sm = kind.run(s, Op.SOFTMAX, 1, n, x, 0, n, n, 0, n, 1, false);
        double[] ls = kind.run(s, Op.LOG_SOFTMAX, 1, n, x, 0, n, n, 0, n, 1, false);
        double[] lse = kind.run(s, Op.LOG_SUM_EXP, 1, n, x, 0, n, 1, 0, 1, 1, false);
        // A float result is the exact one rounded to float.
        double[] smExpected = kind.rounded(row.softmax);
        double[] lsExpected = kind.rounded(row.logSoftmax);
        double lseExpected = kind.rounded(v(row.lse))[0];
        for (int j = 0; j < n; j++) {
            TestSupport.check(Op.SOFTMAX, f32, n, 0, smExpected[j], sm[j], "softmax[" + j + "]");
            TestSupport.check(Op.LOG_SOFTMAX, f32, n, 0, lsExpected[j], ls[j], "logSoftmax[" + j + "]");
        }
        double scale = 0;
        for (double d : x) if (Double.isFinite(d)) scale = Math.max(scale, Math.abs(d));
        TestSupport.check(Op.LOG_SUM_EXP, f32, n, scale, lseExpected, lse[0], "logSumExp");
    }

    static Stream<Arguments> kinds() {
        List<Arguments> all = new ArrayList<>();
        for (Softmax.Backend b : Softmax.Backend.values())
            for (Kind k : Kind.available()) all.add(Arguments.of(b, k));
        return all.stream();
    }

    /** n = 0 and rows = 0 through every buffer kind: Kind.run returns y's whole storage. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kinds")
    void emptyRowsAndNoRowsThroughEveryKind(Softmax.Backend backend, Kind kind) {
        Softmax s = TestSupport.backend(backend);
        double untouched = kind.rounded(v(Kind.SENTINEL))[0];
        double[] none = {};
        for (Op op : new Op[] {Op.SOFTMAX, Op.LOG_SOFTMAX}) {
            // n = 0: nothing written.
            for (double d : kind.run(s, op, 3, 0, none, 0, 0, 4, 0, 0, 1, false)) assertEquals(untouched, d, op + " n=0");
            // rows = 0: nothing read or written.
            for (double d : kind.run(s, op, 0, 5, none, 0, 5, 4, 0, 5, 1, false)) assertEquals(untouched, d, op + " rows=0");
        }
        // n = 0: one −∞ per row, and nothing else written.
        double[] lse = kind.run(s, Op.LOG_SUM_EXP, 3, 0, none, 0, 0, 4, 0, 1, 1, false);
        for (int r = 0; r < 3; r++) assertEquals(Double.NEGATIVE_INFINITY, lse[r], "logSumExp n=0 row " + r);
        for (int i = 3; i < lse.length; i++) assertEquals(untouched, lse[i], "logSumExp n=0 past the rows");
        for (double d : kind.run(s, Op.LOG_SUM_EXP, 0, 5, none, 0, 5, 4, 0, 1, 1, false)) {
            assertEquals(untouched, d, "logSumExp rows=0");
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void emptyRowsGiveMinusInfinityAndWriteNothing(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = {7};
        float[] y = {9, 9, 9};
        s.softmax(Batch.of(x, 0, 3, 0, 0), Batch.of(y, 0, 3, 0, 0), Scale.temperature(1));
        s.logSoftmax(Batch.of(x, 0, 3, 0, 0), Batch.of(y, 0, 3, 0, 0), Scale.temperature(1));
        assertEquals(List.of(9f, 9f, 9f), List.of(y[0], y[1], y[2]));
        s.logSumExp(Batch.of(x, 0, 3, 0, 0), Batch.of(y, 0, 3, 1, 1), Scale.temperature(1));
        assertEquals(List.of(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY),
                List.of(y[0], y[1], y[2]));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void zeroRowsReadAndWriteNothing(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] empty = {};
        s.softmax(Batch.of(empty, 0, 5), Batch.of(empty, 0, 5));
        s.logSoftmax(Batch.of(empty, 0, 5), Batch.of(empty, 0, 5));
        s.logSumExp(Batch.of(empty, 0, 5), Batch.of(empty, 0, 1));
        double[] y = {4};
        s.softmax(Batch.of(empty, 0, 0, 5, 5), Batch.of(y, 1, 0, 5, 5), Scale.temperature(1)); // offsets at the very end are allowed
        assertEquals(4, y[0]);
    }

    /**
     * Log-sum-exp must keep the terms that 1 + t would lose: for [0, -60] the exact value is
     * log1p(e^-60) ≈ 8.76e-27, where log(1 + e^-60) gives 0.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void logSumExpKeepsTinyTerms(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] x = {0, -60, -70};
        double expected = Math.log1p(Math.exp(-60) + Math.exp(-70));
        double[] out = new double[1];
        s.logSumExp(Batch.of(x, 1, 3), Batch.of(out, 1, 1));
        assertEquals(expected, out[0], expected * 1e-14);
        double[] ls = new double[3];
        s.logSoftmax(Batch.of(x, 1, 3), Batch.of(ls, 1, 3));
        assertEquals(-expected, ls[0], expected * 1e-14);
        float[] xf = {0, -30};
        float[] outf = new float[1];
        s.logSumExp(Batch.of(xf, 1, 2), Batch.of(outf, 1, 1));
        float expectedF = (float) Math.log1p(Math.exp(-30));
        assertEquals(expectedF, outf[0], expectedF * 1e-6);
    }
}
