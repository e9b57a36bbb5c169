package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every entry point that takes Batch views rejects bad arguments with the documented exception,
 * naming the argument, before anything is written: outputs keep their sentinels after each
 * rejected call.
 */
class OperationValidationTest {
    private static final Softmax.From X = Softmax.From.LOGITS;
    private static final Softmax.From Y = Softmax.From.OUTPUT;
    private static final Scale ONE = Scale.ONE;



    @Test
    void scalesAndGauges() {
        TestSupport.rejects(IllegalArgumentException.class, "alpha", () -> Scale.alpha(Double.NaN));
        for (double t : new double[] {0, -1, -0.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> Scale.temperature(t));
        }
        assertDoesNotThrow(() -> Scale.alpha(Double.NEGATIVE_INFINITY));
        assertTrue(Scale.temperature(4).alpha() == 0.25);
        TestSupport.rejects(IllegalArgumentException.class, "gauge index", () -> Gauge.pinned(-1));
        TestSupport.rejects(IllegalArgumentException.class, "gauge value", () -> Gauge.logSumExp(Double.NaN));
        TestSupport.rejects(IllegalArgumentException.class, "gauge value", () -> Gauge.logSumExp(Double.POSITIVE_INFINITY));
        TestSupport.rejects(NullPointerException.class, "data", () -> Batch.of((float[]) null));
        TestSupport.rejects(NullPointerException.class, "data", () -> Mask.of((boolean[]) null));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void nullsAndSizes(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch x = Batch.of(new double[12]);
        double[] outData = TestSupport.sentinelDoubles(48);
        Batch out = Batch.of(outData);
        TestSupport.rejects(NullPointerException.class, "x", () -> s.jacobian(3, 4, X, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "y", () -> s.jacobian(3, 4, Y, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "jacobian", () -> s.jacobian(3, 4, X, x, null, ONE));
        TestSupport.rejects(NullPointerException.class, "from", () -> s.jacobian(3, 4, null, x, out, ONE));
        TestSupport.rejects(NullPointerException.class, "scale", () -> s.jacobian(3, 4, X, x, out, null));
        TestSupport.rejects(NullPointerException.class, "v", () -> s.softmaxJvp(3, 4, X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g", () -> s.softmaxVjp(3, 4, X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g", () -> s.logSoftmaxVjp(3, 4, X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "logProbabilities", () -> s.logSoftmaxVjp(3, 4, Y, null, x, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g", () -> s.logSumExpVjp(3, 4, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "lse", () -> s.logSumExpVjp(3, 4, x, null, x, out, ONE));
        TestSupport.rejects(NullPointerException.class, "tangents", () -> s.jacobianTimes(3, 4, 2, X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "gauge", () -> s.inverse(3, 4, x, out, null, ONE));
        TestSupport.rejects(NullPointerException.class, "p", () -> s.inverse(3, 4, null, out, Gauge.zeroMean(), ONE));
        TestSupport.rejects(NullPointerException.class, "weights", () -> s.combine(3, 4, x, null, out));
        TestSupport.rejects(NullPointerException.class, "z", () -> s.sigmoid(3, 4, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "mask", () -> s.maskedSoftmax(3, 4, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "out", () -> s.maskedLogSumExp(3, 4, x, Mask.of(new boolean[12]), null, ONE));

        TestSupport.rejects(IllegalArgumentException.class, "rows", () -> s.jacobian(-1, 4, X, x, out, ONE));
        TestSupport.rejects(IllegalArgumentException.class, "n", () -> s.softmaxJvp(3, -4, X, x, x, out, ONE));
        TestSupport.rejects(IllegalArgumentException.class, "k", () -> s.jacobianTimes(3, 4, -1, X, x, x, out, ONE));
        TestSupport.rejects(IllegalArgumentException.class, "gauge index must be < n (4)", () -> s.inverse(3, 4, x, out, Gauge.pinned(4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "alpha must not be 0", () -> s.inverse(3, 4, x, out, Gauge.zeroMean(), Scale.alpha(0)));
        TestSupport.rejects(IllegalArgumentException.class, "rounds to 0 in float",
                () -> s.inverse(1, 2, Batch.of(new float[2]), Batch.of(new float[2]), Gauge.zeroMean(), Scale.alpha(1e-50)));
        TestSupport.rejects(IllegalArgumentException.class, "weights[1]", () -> s.combine(3, 4, x, new double[] {1, Double.NaN}, out));
        TestSupport.rejects(IllegalArgumentException.class, "weights[0]", () -> s.combine(3, 4, x, new double[] {Double.POSITIVE_INFINITY}, out));
        assertArrayEquals(TestSupport.sentinelDoubles(48), outData, "nothing written");
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void extentsAndStrides(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = new float[12];
        float[] jac = new float[48];
        java.util.Arrays.fill(jac, 42f);
        float[] before = jac.clone();
        // The Jacobian needs rows·n·n = 48; 47 is too few, as is 48 from offset 1.
        TestSupport.rejects(IndexOutOfBoundsException.class, "jacobian needs 48", () -> s.jacobian(3, 4, X, Batch.of(x), Batch.of(new float[47]), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "jacobian needs 48", () -> s.jacobian(3, 4, X, Batch.of(x), Batch.of(jac, 1, 16), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "jacobian stride must be >= its width (16)",
                () -> s.jacobian(3, 4, X, Batch.of(x), Batch.of(jac, 0, 15), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "jacobianOffset -1", () -> s.jacobian(3, 4, X, Batch.of(x), Batch.of(jac, -1, 16), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs 12", () -> s.jacobian(3, 4, X, Batch.of(new float[11]), Batch.of(jac), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "x stride", () -> s.jacobian(3, 4, X, Batch.of(x, 0, 3), Batch.of(jac), ONE));
        // Tangents are n·k per row; their output too.
        TestSupport.rejects(IndexOutOfBoundsException.class, "tangents needs 24",
                () -> s.jacobianTimes(3, 4, 2, X, Batch.of(x), Batch.of(new float[23]), Batch.of(jac), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "tangents stride must be >= its width (8)",
                () -> s.jacobianTimes(3, 4, 2, X, Batch.of(x), Batch.of(jac, 0, 7), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "out needs 24",
                () -> s.jacobianTimes(3, 4, 2, X, Batch.of(x), Batch.of(new float[24]), Batch.of(new float[20]), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "v needs 12",
                () -> s.softmaxJvp(3, 4, X, Batch.of(x), Batch.of(new float[11]), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "g needs 12",
                () -> s.softmaxVjp(3, 4, Y, Batch.of(x), Batch.of(new float[12], 1, 4), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "g needs 12",
                () -> s.logSoftmaxVjp(3, 4, X, Batch.of(x), Batch.of(new float[11]), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "gOffset 13",
                () -> s.logSoftmaxVjp(3, 4, Y, Batch.of(x), Batch.of(new float[12], 13, 4), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "g needs 3",
                () -> s.logSumExpVjp(3, 4, Batch.of(x), Batch.of(new float[2]), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "lse needs 3",
                () -> s.logSumExpVjp(3, 4, Batch.of(x), Batch.of(new float[2]), Batch.of(new float[3]), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "p needs 24",
                () -> s.combine(3, 4, Batch.of(new float[23]), new double[] {1, 1}, Batch.of(jac)));
        // Masks: n flags per row.
        TestSupport.rejects(IndexOutOfBoundsException.class, "mask needs 12",
                () -> s.maskedSoftmax(3, 4, Batch.of(x), Mask.of(new boolean[11]), Batch.of(jac), ONE));
        TestSupport.rejects(IndexOutOfBoundsException.class, "maskOffset -1",
                () -> s.maskedSoftmax(3, 4, Batch.of(x), Mask.of(new boolean[12], -1, 4), Batch.of(jac), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "mask stride",
                () -> s.maskedSoftmax(3, 4, Batch.of(x), Mask.of(new boolean[12], 0, 3), Batch.of(jac), ONE));
        assertArrayEquals(before, jac, "nothing written");
    }

    /**
     * rows·n·n is computed without overflow: a Jacobian of 3 rows of n = 2³¹ − 1 needs about
     * 1.4·10¹⁹ elements, more than a long holds. x is a pointer whose limit claims enough memory;
     * the check rejects the output before anything is touched.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void jacobianCapacityIsOverflowSafe(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        int n = Integer.MAX_VALUE;
        try (FloatPointer x = new FloatPointer(4); FloatPointer jac = new FloatPointer(4)) {
            x.limit(Long.MAX_VALUE / 8);
            jac.limit(Long.MAX_VALUE / 8);
            TestSupport.rejects(IndexOutOfBoundsException.class, "jacobian needs " + Long.MAX_VALUE,
                    () -> s.jacobian(3, n, X, Batch.of(x), Batch.of(jac), ONE));
            TestSupport.rejects(IndexOutOfBoundsException.class, "tangents needs " + Long.MAX_VALUE,
                    () -> s.jacobianTimes(3, n, n, X, Batch.of(x), Batch.of(jac), Batch.of(jac), ONE));
            // One row of n = 2³¹ − 1 needs n² ≈ 4.6·10¹⁸ elements: in range, and reported exactly.
            TestSupport.rejects(IndexOutOfBoundsException.class, "jacobian needs " + (long) n * n,
                    () -> s.jacobian(1, n, X, Batch.of(x), Batch.of(new FloatPointer(4)), ONE));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void familiesAndBuffers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch xf = Batch.of(new float[12]);
        Batch xd = Batch.of(new double[12]);
        FloatBuffer direct = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        TestSupport.rejects(IllegalArgumentException.class, "v holds doubles but x holds floats",
                () -> s.softmaxJvp(3, 4, X, xf, xd, Batch.of(new float[12]), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "both be on the heap",
                () -> s.softmaxJvp(3, 4, X, xf, Batch.of(direct), Batch.of(new float[12]), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out and z must both be on the heap",
                () -> s.sigmoid(3, 4, xf, Batch.of(new FloatPointer(12)), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out is read-only",
                () -> s.sigmoid(3, 4, Batch.of(direct), Batch.of(direct.asReadOnlyBuffer()), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "z must be a direct buffer or have an accessible array",
                () -> s.sigmoid(3, 4, Batch.of(FloatBuffer.allocate(12).asReadOnlyBuffer()), Batch.of(FloatBuffer.allocate(12)), ONE));
        if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
            FloatBuffer big = ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "z must be in native byte order", () -> s.sigmoid(3, 4, Batch.of(big), Batch.of(direct), ONE));
        }
        // Masks follow the data: boolean[] on the heap, bytes off it; a heap ByteBuffer never.
        TestSupport.rejects(IllegalArgumentException.class, "mask must be a boolean[]",
                () -> s.maskedSoftmax(3, 4, xf, Mask.of(new BytePointer(12)), Batch.of(new float[12]), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "mask must be a direct ByteBuffer or a BytePointer",
                () -> s.maskedSoftmax(3, 4, Batch.of(direct), Mask.of(new boolean[12]), Batch.of(direct), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "mask must be a direct ByteBuffer (use a boolean[]",
                () -> s.maskedSoftmax(3, 4, xf, Mask.of(ByteBuffer.allocate(12)), Batch.of(new float[12]), ONE));
        // Pointers: null address; matrices: shape and closed.
        TestSupport.rejects(NullPointerException.class, "address 0", () -> s.sigmoid(3, 4, Batch.of(new FloatPointer()), Batch.of(new FloatPointer(12)), ONE));
        try (DoubleMatrix m = DoubleMatrix.allocate(3, 4); DoubleMatrix j = DoubleMatrix.allocate(3, 15)) {
            TestSupport.rejects(IllegalArgumentException.class, "jacobian must be 3×16, got 3×15",
                    () -> s.jacobian(3, 4, X, Batch.of(m), Batch.of(j), ONE));
            TestSupport.rejects(IllegalArgumentException.class, "z must be 2×4, got 3×4",
                    () -> s.sigmoid(2, 4, Batch.of(m), Batch.of(new DoublePointer(8)), ONE));
            DoubleMatrix closed = DoubleMatrix.allocate(3, 4);
            closed.close();
            TestSupport.rejects(IllegalStateException.class, "closed", () -> s.sigmoid(3, 4, Batch.of(m), Batch.of(closed), ONE));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void overlaps(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] a = TestSupport.sentinelDoubles(30);
        double[] before = a.clone();
        // Same start, stride and width: in place is fine.
        assertDoesNotThrow(() -> s.softmaxJvp(2, 4, X, Batch.of(a, 0, 4), Batch.of(a, 8, 4), Batch.of(a, 8, 4), ONE));
        double[] b = before.clone();
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps v but is not the same region",
                () -> s.softmaxJvp(2, 4, X, Batch.of(new double[8]), Batch.of(b, 0, 4), Batch.of(b, 1, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps v",
                () -> s.softmaxJvp(2, 4, X, Batch.of(new double[8]), Batch.of(b, 0, 4), Batch.of(b, 0, 5), ONE));
        // The Jacobian (width n·n) can never share the region of x (width n).
        TestSupport.rejects(IllegalArgumentException.class, "jacobian overlaps x",
                () -> s.jacobian(1, 2, X, Batch.of(b, 0, 2), Batch.of(b, 0, 4), ONE));
        // Off-heap: a second pointer to the same memory, shifted; and an output over the mask.
        try (DoublePointer p = new DoublePointer(20)) {
            DoublePointer shifted = new DoublePointer(p).position(1);
            TestSupport.rejects(IllegalArgumentException.class, "out overlaps z",
                    () -> s.sigmoid(2, 4, Batch.of(p), Batch.of(shifted), ONE));
            ByteBuffer raw = ByteBuffer.allocateDirect(160).order(ByteOrder.nativeOrder());
            DoubleBuffer view = raw.asDoubleBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps mask",
                    () -> s.maskedSoftmax(1, 4, Batch.of(p), Mask.of(raw), Batch.of(view), ONE));
        }
        assertArrayEquals(before, b, "nothing written");
    }
}
