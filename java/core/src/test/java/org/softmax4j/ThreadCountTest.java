package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.backend.Op;

/**
 * Results across OpenMP thread counts 1, 2 and 3 on the native backend.
 *
 * <ul>
 *   <li>Batches with at least as many rows as threads are <b>bitwise</b> identical for every
 *       thread count: the driver hands whole rows to threads, and each row is computed by one
 *       thread with the same kernel in the same order, so the count changes who computes a row,
 *       never how.</li>
 *   <li>A single long row (10⁶) is only required to agree <b>within tolerance</b>: with fewer
 *       rows than threads a driver may split a row across threads and merge partial (max, sum)
 *       pairs, which changes the order of summation and so the last bits.</li>
 * </ul>
 */
class ThreadCountTest {
    static final int[] COUNTS = {1, 2, 3};

    @AfterEach
    void restoreDefault() {
        if (Softmax.nativeUnavailableCause().isEmpty()) Softmax.nativeBackend().setThreads(0);
    }

    static Stream<Arguments> batches() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = {{257, 1000}, {64, 4099}, {5000, 17}};
        for (Kind k : new Kind[] {Kind.FLOAT_ARRAY, Kind.DOUBLE_ARRAY, Kind.FLOAT_DIRECT_BUFFER, Kind.DOUBLE_POINTER})
            for (Op op : TestSupport.ROW_OPS)
                for (int[] s : shapes) all.add(Arguments.of(k, op, s[0], s[1]));
        return all.stream();
    }

    private static double[] run(Softmax s, Kind kind, Op op, int rows, int n, double[] x, int threads) {
        s.setThreads(threads);
        assertEquals(threads, s.threads());
        int yLength = TestSupport.reduces(op) ? rows : rows * n;
        return kind.run(s, op, rows, n, x, 0, n, yLength, 0, TestSupport.reduces(op) ? 1 : n, 0.8, false);
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}")
    @MethodSource("batches")
    void manyRowsAreBitwiseIdentical(Kind kind, Op op, int rows, int n) {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        double[] x = kind.rounded(TestSupport.gaussian(rows * 7919L + n, rows * n, 5));
        double[] one = run(s, kind, op, rows, n, x, 1);
        for (int t : COUNTS) {
            double[] got = run(s, kind, op, rows, n, x, t);
            assertArrayEquals(one, got, () -> "threads=" + t + " differs from threads=1");
        }
    }

    static Stream<Arguments> longRows() {
        List<Arguments> all = new ArrayList<>();
        for (Kind k : new Kind[] {Kind.FLOAT_ARRAY, Kind.DOUBLE_ARRAY})
            for (Op op : TestSupport.ROW_OPS) all.add(Arguments.of(k, op));
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} 1x10^6")
    @MethodSource("longRows")
    void oneLongRowAgreesWithinTolerance(Kind kind, Op op) {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        int n = 1_000_000;
        double[] x = kind.rounded(TestSupport.gaussian(42, n, 10));
        double scale = 0;
        for (double v : x) scale = Math.max(scale, Math.abs(v));
        double[] one = run(s, kind, op, 1, n, x, 1);
        for (int t : COUNTS) {
            double[] got = run(s, kind, op, 1, n, x, t);
            for (int i = 0; i < got.length; i++) {
                TestSupport.check(op, kind.isFloat(), n, scale / 0.8, one[i], got[i], "threads=" + t + " element " + i);
            }
        }
    }
}
