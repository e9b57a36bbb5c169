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

    /**
     * Found by {@link OperationSweepTest}: the cross-entropy took its smoothing term as
     * ε/k · Σ_j log p_j even at ε = 0, so one class whose log-probability is −∞ (its score
     * overflowed to −∞) made the loss 0·(−∞) = NaN, where it is −log p of the label: here 0.
     * Terms with a zero target weight are now left out, on both backends. With ε &gt; 0 such a
     * class is a target the model gives probability 0: the loss is +∞, as it should be. The
     * same weights also made the L2 term 0·‖W‖² = 0·∞ = NaN at λ = 0: no penalty is now no term.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void crossEntropyLeavesOutZeroWeightTermsOfAnImpossibleClass(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        // Scores (0, −∞): the second weight times 10 overflows.
        try (var m = org.softmax4j.regression.SoftmaxClassifier.of(2, 1, new double[] {0, -Double.MAX_VALUE},
                new double[2], s)) {
            Batch x = Batch.of(new double[] {10}, 1, 1);
            var plain = org.softmax4j.regression.Objective.crossEntropy();
            assertEquals(0.0, m.loss(x, new int[] {0}, plain), 0.0);
            assertEquals(Double.POSITIVE_INFINITY, m.loss(x, new int[] {0}, plain.withLabelSmoothing(0.1)), 0.0);
            var g = m.gradient(x, new int[] {0}, plain);
            assertEquals(0.0, g.loss(), 0.0);
            assertArrayEquals(new double[] {0, 0}, g.bias(), 0.0);
        }
    }

    /**
     * Found by {@link FileFuzzTest} (NPY_DECODE): a header whose shape is {@code (,)} made
     * {@code Npy.decode} throw ArrayIndexOutOfBoundsException (the split left no parts, and the
     * trailing-comma rule read part −1); {@code (3,,)} was read as (3,). Both are malformed
     * shapes now, a {@link org.softmax4j.io.Npy.FormatException} naming the source.
     */
    @org.junit.jupiter.api.Test
    void npyShapeOfLoneCommasIsMalformed() {
        for (String shape : new String[] {"(,)", "(3,,)", "( , )"}) {
            String header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }\n";
            byte[] h = header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] file = new byte[10 + h.length + 24];
            byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, 0};
            System.arraycopy(magic, 0, file, 0, 10);
            System.arraycopy(h, 0, file, 10, h.length);
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.softmax4j.io.Npy.FormatException.class,
                    () -> org.softmax4j.io.Npy.decode(file, "x.npy"), shape);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("x.npy: malformed shape"), e.getMessage());
        }
    }

    /**
     * Found by {@link FileFuzzTest} (MODEL_LOAD): a model file cut short inside a deflated entry
     * made {@code SoftmaxClassifier.load} throw the bare EOFException "Unexpected end of ZLIB
     * input stream", the only failure to read a model whose message did not name the file (the
     * CLI prints that one line). It is now "FILE: not a .npz model file (…)", as for any other
     * damaged archive.
     */
    @org.junit.jupiter.api.Test
    void modelFileCutShortNamesTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("m.npz");
        try (var m = org.softmax4j.regression.SoftmaxClassifier.of(2, 3, new double[6], new double[2], Softmax.java())) {
            m.save(file);
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, 80));  // inside weights.npy's data
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> org.softmax4j.regression.SoftmaxClassifier.load(file, Softmax.java()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(file + ": not a .npz model file"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertInstanceOf(java.io.EOFException.class, e.getCause());
    }

    /**
     * Found by {@link OperationSweepTest} (log-softmax, float64, α = 4.9e-324): below
     * |α| = 1024/MAX the native kernels take an exact wide path, because x_j − m overflows the
     * element type while α(x_j − m) is an ordinary number; but a row holding an infinity went
     * back to the normal path, even an infinity that cannot dominate (−∞ for α &gt; 0, +∞ for
     * α &lt; 0), and there −1e308 − 1e308 = −∞ dropped a term: log-softmax of
     * [−1e308, 1e308, −∞, 0] came out −log 2 instead of −log 3. Such an infinity is a term
     * exp(−∞) = 0 on the wide path too, so it now keeps the row there; NaN and a dominating
     * infinity keep the edge rules of the normal path.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void tinyScaleKeepsFiniteTermsBesideAnInfinity(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double third = Math.log(3);
        for (double a : new double[] {Double.MIN_VALUE, -Double.MIN_VALUE}) {
            double inf = a > 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            double[] x = {-1e308, 1e308, inf, 0};
            double[] y = new double[4];
            s.logSoftmax(Batch.of(x, 1, 4), Batch.of(y, 1, 4), Scale.alpha(a));
            String at = backend + " alpha " + a;
            for (int j : new int[] {0, 1, 3}) assertEquals(-third, y[j], 0.02, at + " [" + j + "]");
            assertEquals(Double.NEGATIVE_INFINITY, y[2], at);
            s.softmax(Batch.of(x, 1, 4), Batch.of(y, 1, 4), Scale.alpha(a));
            for (int j : new int[] {0, 1, 3}) assertEquals(1.0 / 3, y[j], 0.01, at + " [" + j + "]");
            assertEquals(0.0, y[2], at);
            double[] lse = new double[1];
            s.logSumExp(Batch.of(x, 1, 4), Batch.of(lse, 1, 1), Scale.alpha(a));
            assertEquals(third, lse[0], 0.02, at);
            float[] xf = {-3e38f, 3e38f, (float) inf, 0};
            float[] yf = new float[4];
            s.logSoftmax(Batch.of(xf, 1, 4), Batch.of(yf, 1, 4), Scale.alpha(a > 0 ? 1e-45 : -1e-45));
            for (int j : new int[] {0, 1, 3}) assertEquals(-third, yf[j], 0.02, at + " float [" + j + "]");
        }
    }
}
