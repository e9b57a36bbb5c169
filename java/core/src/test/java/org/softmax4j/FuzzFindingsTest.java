package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the boundary fuzzers ({@link BoundaryFuzzTest}, {@link BoundarySweepTest}) found, each
 * reduced to its smallest reproducer, on both backends (native: the kernel set chosen for this
 * CPU; the native ctest runs the native ones on every set).
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
        s.logSumExp(Batch.of(x, 4, 2, 0, 4), Batch.of(out, 3, 2, 1, 1), Scale.temperature(100.0));
        assertArrayEquals(new double[] {9, 9, 9, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, out);
        double[] y = {9, 9, 9};
        s.softmax(Batch.of(x, 4, 5, 0, 0), Batch.of(y, 2, 5, 0, 1), Scale.temperature(1.0));
        s.logSoftmax(Batch.of(x, 4, 5, 0, 0), Batch.of(y, 2, 5, 0, 1), Scale.temperature(1.0));
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
        s.softmax(Batch.of(new double[] {1, 1, 0}, 0, 1, 3, 3), Batch.of(y, 0, 1, 3, 3), Scale.temperature(Double.MIN_VALUE));
        assertArrayEquals(new double[] {0.5, 0.5, 0}, y);
        double[] lse = new double[1];
        s.logSumExp(Batch.of(new double[] {0, -1}, 0, 1, 2, 2), Batch.of(lse, 0, 1, 1, 1), Scale.temperature(Double.MIN_VALUE));
        assertEquals(0.0, lse[0]);
    }

    /**
     * a·(x_j − m) where the difference alone exceeds the type's range (values of both signs near
     * its largest): log-softmax of [−3e38, 3e38] at τ = 100 is −6e36 in float, of [−1.7e308,
     * 1.7e308] at τ = 100 −3.4e306 in double; softmax of the float row at τ = 1e37 is
     * [8.76e-27, 1]. The Java backend gave −∞ for the double row (its reference formed x_j − m
     * first); it now halves both values where the difference overflows.
     */
    @org.junit.jupiter.api.Test
    void javaKeepsDifferencesBeyondTheTypesRange() {
        differencesBeyondTheTypesRange(Softmax.java());
    }

    /**
     * The native kernels of the first release computed x_j − m in the element type, so the
     * entries above came out −∞ and 0. Fixed: the kernels take a·x_j − a·m where the difference
     * overflows, and scales below 1024/MAX take an exact wide path.
     */
    @org.junit.jupiter.api.Test
    void nativeKeepsDifferencesBeyondTheTypesRange() {
        differencesBeyondTheTypesRange(TestSupport.backend(Softmax.Backend.NATIVE));
    }

    private static void differencesBeyondTheTypesRange(Softmax s) {
        float[] x = {-3e38f, 3e38f};
        float[] y = new float[2];
        s.logSoftmax(Batch.of(x, 0, 1, 2, 2), Batch.of(y, 0, 1, 2, 2), Scale.temperature(100));
        assertArrayEquals(new float[] {(float) ((-3e38f - (double) 3e38f) / 100), 0}, y);
        s.softmax(Batch.of(x, 0, 1, 2, 2), Batch.of(y, 0, 1, 2, 2), Scale.temperature(1e37));
        assertEquals(Math.exp((-3e38f - (double) 3e38f) / 1e37), y[0], 1e-6 * y[0]);
        double[] xd = {-1.7e308, 1.7e308};
        double[] yd = new double[2];
        s.logSoftmax(Batch.of(xd, 0, 1, 2, 2), Batch.of(yd, 0, 1, 2, 2), Scale.temperature(100));
        assertArrayEquals(new double[] {-3.4e306, 0}, yd);
    }

    /**
     * Found by Jazzer (target logSoftmaxDoubleArray; the input is kept in
     * {@code src/test/resources/org/softmax4j/BoundaryFuzzTestFindings/}): a row with thousands of
     * equal terms far below its maximum, [4, 4, 4 − 5.3e-12, −4 × 3718]. Recursive summation of
     * equal addends rounds the same way every time, so its error grows like n·u, not like the
     * √n·u that the float64 tolerance of {@link TestSupport#rtol} (and the README's "Accuracy")
     * assumes for random data: native log-softmax [0] was off by 9.3e-14 for a tolerance of
     * 9.1e-14. Fixed: the vector kernels sum in independent lanes and the generic ones with a
     * compensated sum, as the Java backend does.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void equalAddendsStayWithinTheFloat64Tolerance(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        int n = 3721;
        double[] x = new double[n];
        java.util.Arrays.fill(x, -4);
        x[0] = 4;
        x[1] = 4;
        x[2] = 3.999999999994724;
        double[] got = new double[n];
        s.logSoftmax(Batch.of(x, 0, 1, n, n), Batch.of(got, 0, 1, n, n), Scale.temperature(1.0));
        HighPrecisionReference ref = new HighPrecisionReference(x, n, 1.0);
        for (int j = 0; j < 3; j++) {
            TestSupport.check(org.softmax4j.backend.Op.LOG_SOFTMAX, false, n, 4, ref.logSoftmax(j).value(), got[j], "[" + j + "]");
        }
    }
}
