package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the boundary fuzzers ({@link BoundaryFuzzTest}, {@link BoundarySweepTest}) found, each
 * reduced to its smallest reproducer, on both backends.
 */
class FuzzFindingsTest {

    /**
     * Empty rows (n = 0) are a valid call with any stride, so row r may "start" past the end of
     * the array. The Java backend copied zero elements from there with System.arraycopy, which
     * throws for a start past the end: ArrayIndexOutOfBoundsException after checking, with
     * row 0's −∞ already written.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void emptyRowsMayStartPastTheEnd(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] x = new double[6];
        double[] out = {9, 9, 9, 9, 9};
        s.logSumExp(2, 0, x, 4, 4, out, 3, 100.0);
        assertArrayEquals(new double[] {9, 9, 9, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, out);
        double[] y = {9, 9, 9};
        s.softmax(5, 0, x, 4, 0, y, 2, 1, 1.0);
        s.logSoftmax(5, 0, x, 4, 0, y, 2, 1, 1.0);
        assertArrayEquals(new double[] {9, 9, 9}, y);
    }

    /**
     * A subnormal temperature has 1/τ = ∞ in double. The API documents that the inverse
     * temperature saturates at the largest finite value (the limit τ → 0⁺: one-hot, ties split);
     * the Java backend used ∞ itself, and ∞·0 made tied rows NaN.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void subnormalTemperatureSaturates(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] y = new double[3];
        s.softmax(1, 3, new double[] {1, 1, 0}, 0, 3, y, 0, 3, Double.MIN_VALUE);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, y);
        double[] lse = new double[1];
        s.logSumExp(1, 2, new double[] {0, -1}, 0, 2, lse, 0, Double.MIN_VALUE);
        assertEquals(0.0, lse[0]);
    }
}
