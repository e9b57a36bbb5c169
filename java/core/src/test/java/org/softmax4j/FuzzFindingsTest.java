package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Disabled;
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

    /**
     * OPEN (native float kernels): the difference x_j − m is computed in float, so where it
     * overflows float (values near ±3e38) the entry becomes that of −∞ even when
     * a·(x_j − m) is representable: log-softmax([−3e38, 3e38]) at τ = 100 is −6e36, and
     * softmax at τ = 1e37 gives 8.76e-27 for the first entry; the native backend gives −∞ and 0.
     * The Java backend (double internally) is right. The boundary fuzzers model this one
     * deviation for native float rows unless -Dsoftmax4j.fuzz.strict=true.
     */
    @Disabled("open: native float kernels compute x_j - m in float (see Javadoc)")
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void floatDifferenceBeyondFloatRange(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = {-3e38f, 3e38f};
        float[] y = new float[2];
        s.logSoftmax(1, 2, x, 0, 2, y, 0, 2, 100);
        assertArrayEquals(new float[] {-6e36f, 0}, y);
        s.softmax(1, 2, x, 0, 2, y, 0, 2, 1e37);
        assertEquals(8.756515e-27f, y[0], 1e-32f);
    }
}
