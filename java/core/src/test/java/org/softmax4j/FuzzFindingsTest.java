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
}
