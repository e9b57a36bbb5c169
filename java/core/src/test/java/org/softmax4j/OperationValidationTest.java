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
 * Every operation rejects bad arguments with the documented exception, naming the argument,
 * before anything is written: outputs keep their sentinels after each rejected call. Layout
 * errors (sizes, strides, offsets, extents) are caught when a batch is made; shapes, types,
 * writability, liveness and overlap when it is used.
 */
class OperationValidationTest {
    private static final Softmax.From X = Softmax.From.LOGITS;
    private static final Softmax.From Y = Softmax.From.OUTPUT;
    private static final Scale ONE = Scale.ONE;

    @Test
    void scalesGaugesAndFactories() {
        TestSupport.rejects(IllegalArgumentException.class, "alpha", () -> Scale.alpha(Double.NaN));
        for (double t : new double[] {0, -1, -0.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> Scale.temperature(t));
        }
        assertDoesNotThrow(() -> Scale.alpha(Double.NEGATIVE_INFINITY));
        assertTrue(Scale.temperature(4).alpha() == 0.25);
        TestSupport.rejects(IllegalArgumentException.class, "gauge index", () -> Gauge.pinned(-1));
        TestSupport.rejects(IllegalArgumentException.class, "gauge value", () -> Gauge.logSumExp(Double.NaN));
        TestSupport.rejects(IllegalArgumentException.class, "gauge value", () -> Gauge.logSumExp(Double.POSITIVE_INFINITY));
        TestSupport.rejects(NullPointerException.class, "array must not be null", () -> Batch.of((float[]) null, 1, 1));
        TestSupport.rejects(NullPointerException.class, "array must not be null", () -> Batch.of((boolean[]) null, 1, 1));
        TestSupport.rejects(NullPointerException.class, "buffer must not be null", () -> Batch.of((FloatBuffer) null, 1, 1));
        TestSupport.rejects(NullPointerException.class, "pointer must not be null", () -> Batch.of((DoublePointer) null, 1, 1));
        TestSupport.rejects(NullPointerException.class, "matrix must not be null", () -> Batch.of((FloatMatrix) null));
        TestSupport.rejects(NullPointerException.class, "pointer points to address 0", () -> Batch.of(new FloatPointer(), 1, 1));
    }

    @Test
    void layouts() {
        float[] x = new float[12];
        TestSupport.rejects(IllegalArgumentException.class, "rows must be >= 0, got -1", () -> Batch.of(x, -1, 4));
        TestSupport.rejects(IllegalArgumentException.class, "cols must be >= 0, got -4", () -> Batch.of(x, 3, -4));
        TestSupport.rejects(IllegalArgumentException.class, "stride must be >= cols (4), got 3", () -> Batch.of(x, 0, 3, 4, 3));
        TestSupport.rejects(IndexOutOfBoundsException.class, "array needs 12 elements from offset 0", () -> Batch.of(new float[11], 3, 4));
        TestSupport.rejects(IndexOutOfBoundsException.class, "array needs 12 elements from offset 1", () -> Batch.of(x, 1, 3, 4, 4));
        TestSupport.rejects(IndexOutOfBoundsException.class, "offset -1 is outside array", () -> Batch.of(x, -1, 3, 4, 4));
        TestSupport.rejects(IndexOutOfBoundsException.class, "offset 13 is outside array", () -> Batch.of(x, 13, 0, 4, 4));
        // The array shorthand names its arguments.
        TestSupport.rejects(IndexOutOfBoundsException.class, "y needs 12",
                () -> Softmax.java().softmax(3, 4, x, new float[11]));
        // Extents in long, exactly: a pointer whose limit claims 2^60 elements still falls short
        // of 2^31 − 1 rows of 2^31 − 1.
        try (FloatPointer p = new FloatPointer(4)) {
            p.limit(1L << 60);
            int big = Integer.MAX_VALUE;
            long need = (long) (big - 1) * big + big;
            TestSupport.rejects(IndexOutOfBoundsException.class, "pointer needs " + need,
                    () -> Batch.of(p, 0, big, big, big));
        }
        // An empty slice is still a batch; slices outside the rows are not.
        Batch b = Batch.of(x, 0, 2, 4, 5);
        assertDoesNotThrow(() -> b.slice(2, 2));
        TestSupport.rejects(IndexOutOfBoundsException.class, "", () -> b.slice(1, 3));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void nullsAndParameters(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch x = Batch.of(new double[12], 3, 4);
        double[] outData = TestSupport.sentinelDoubles(48);
        Batch out = Batch.of(outData, 3, 4);
        Batch jac = Batch.of(outData, 3, 16);
        Batch one = Batch.of(new double[3], 3, 1);
        TestSupport.rejects(NullPointerException.class, "x must not be null", () -> s.softmax(null, out));
        TestSupport.rejects(NullPointerException.class, "y must not be null", () -> s.softmax(x, null));
        TestSupport.rejects(NullPointerException.class, "out must not be null", () -> s.logSumExp(x, null));
        TestSupport.rejects(NullPointerException.class, "x must not be null", () -> s.jacobian(X, null, jac, ONE));
        TestSupport.rejects(NullPointerException.class, "y must not be null", () -> s.jacobian(Y, null, jac, ONE));
        TestSupport.rejects(NullPointerException.class, "jacobian must not be null", () -> s.jacobian(X, x, null, ONE));
        TestSupport.rejects(NullPointerException.class, "from must not be null", () -> s.jacobian(null, x, jac, ONE));
        TestSupport.rejects(NullPointerException.class, "scale must not be null", () -> s.jacobian(X, x, jac, null));
        TestSupport.rejects(NullPointerException.class, "v must not be null", () -> s.softmaxJvp(X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g must not be null", () -> s.softmaxVjp(X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g must not be null", () -> s.logSoftmaxVjp(X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "logProbabilities must not be null", () -> s.logSoftmaxVjp(Y, null, x, out, ONE));
        TestSupport.rejects(NullPointerException.class, "g must not be null", () -> s.logSumExpVjp(x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "lse must not be null", () -> s.logSumExpVjp(x, null, one, out, ONE));
        TestSupport.rejects(NullPointerException.class, "tangents must not be null", () -> s.jacobianTimes(2, X, x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "gauge must not be null", () -> s.inverse(x, out, null, ONE));
        TestSupport.rejects(NullPointerException.class, "p must not be null", () -> s.inverse(null, out, Gauge.zeroMean(), ONE));
        TestSupport.rejects(NullPointerException.class, "weights must not be null", () -> s.combine(x, null, out));
        TestSupport.rejects(NullPointerException.class, "z must not be null", () -> s.sigmoid(null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "mask must not be null", () -> s.maskedSoftmax(x, null, out, ONE));
        TestSupport.rejects(NullPointerException.class, "out must not be null",
                () -> s.maskedLogSumExp(x, Batch.of(new boolean[12], 3, 4), null, ONE));
        TestSupport.rejects(NullPointerException.class, "x must not be null", () -> s.softmax(3, 4, (float[]) null, new float[12]));

        TestSupport.rejects(IllegalArgumentException.class, "k must be >= 0", () -> s.jacobianTimes(-1, X, x, x, out, ONE));
        TestSupport.rejects(IllegalArgumentException.class, "gauge index must be < n (4)", () -> s.inverse(x, out, Gauge.pinned(4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "alpha must not be 0", () -> s.inverse(x, out, Gauge.zeroMean(), Scale.alpha(0)));
        TestSupport.rejects(IllegalArgumentException.class, "rounds to 0 in float",
                () -> s.inverse(Batch.of(new float[2], 1, 2), Batch.of(new float[2], 1, 2), Gauge.zeroMean(), Scale.alpha(1e-50)));
        TestSupport.rejects(IllegalArgumentException.class, "weights[1]", () -> s.combine(x, Batch.of(new double[] {1, Double.NaN}, 1, 2), out));
        TestSupport.rejects(IllegalArgumentException.class, "weights[0]", () -> s.combine(x, Batch.of(new double[] {Double.POSITIVE_INFINITY}, 1, 1), out));
        TestSupport.rejects(IllegalArgumentException.class, "threads must be >= 0, got -1", () -> s.setThreads(-1));
        assertArrayEquals(TestSupport.sentinelDoubles(48), outData, "nothing written");
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void shapes(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch x = Batch.of(new float[12], 3, 4);
        float[] data = new float[48];
        java.util.Arrays.fill(data, 42f);
        float[] before = data.clone();
        // Every operand against the operation's shape, widths from n = x's columns.
        TestSupport.rejects(IllegalArgumentException.class, "y must be 3×4, got 3×3", () -> s.softmax(x, Batch.of(data, 3, 3)));
        TestSupport.rejects(IllegalArgumentException.class, "y must be 3×4, got 2×4", () -> s.softmax(x, Batch.of(data, 2, 4)));
        TestSupport.rejects(IllegalArgumentException.class, "out must be 3×1, got 3×4", () -> s.logSumExp(x, Batch.of(data, 3, 4)));
        TestSupport.rejects(IllegalArgumentException.class, "jacobian must be 3×16, got 3×15",
                () -> s.jacobian(X, x, Batch.of(data, 3, 15), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "tangents must be 3×8, got 3×7",
                () -> s.jacobianTimes(2, X, x, Batch.of(data, 3, 7), Batch.of(data, 3, 8), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out must be 3×8, got 3×4",
                () -> s.jacobianTimes(2, X, x, Batch.of(new float[24], 3, 8), Batch.of(data, 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "v must be 3×4, got 3×3",
                () -> s.softmaxJvp(X, x, Batch.of(new float[9], 3, 3), Batch.of(data, 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "g must be 3×1, got 2×1",
                () -> s.logSumExpVjp(x, Batch.of(new float[2], 2, 1), Batch.of(data, 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "lse must be 3×1, got 3×2",
                () -> s.logSumExpVjp(x, Batch.of(new float[6], 3, 2), Batch.of(new float[3], 3, 1), Batch.of(data, 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "p must be 3×8, got 3×4",
                () -> s.combine(x, Batch.of(new double[] {1, 1}, 1, 2), Batch.of(data, 3, 4)));
        TestSupport.rejects(IllegalArgumentException.class, "mask must be 3×4, got 3×3",
                () -> s.maskedSoftmax(x, Batch.of(new boolean[9], 3, 3), Batch.of(data, 3, 4), ONE));
        // A Jacobian row of n·n elements is wider than any batch for n ≥ 46341: compared in long.
        try (FloatPointer p = new FloatPointer(4)) {
            p.limit(1L << 40);
            int n = 1 << 20;
            TestSupport.rejects(IllegalArgumentException.class, "jacobian must be 1×" + (long) n * n,
                    () -> s.jacobian(X, Batch.of(p, 0, 1, n, n), Batch.of(p, 0, 1, n, n), ONE));
        }
        assertArrayEquals(before, data, "nothing written");
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void typesBuffersAndLiveness(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        Batch xf = Batch.of(new float[12], 3, 4);
        Batch xd = Batch.of(new double[12], 3, 4);
        FloatBuffer direct = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        TestSupport.rejects(IllegalArgumentException.class, "v holds float64 but x holds float32",
                () -> s.softmaxJvp(X, xf, xd, Batch.of(new float[12], 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "y holds float64 but x holds float32", () -> s.softmax(xf, xd));
        TestSupport.rejects(IllegalArgumentException.class, "x must hold float32 or float64, got int32",
                () -> s.softmax(Batch.of(new int[12], 3, 4), xf));
        TestSupport.rejects(IllegalArgumentException.class, "mask must hold bool, got float32",
                () -> s.maskedSoftmax(xf, Batch.of(new float[12], 3, 4), Batch.of(new float[12], 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out is read-only",
                () -> s.sigmoid(Batch.of(direct, 3, 4), Batch.of(direct.asReadOnlyBuffer(), 3, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "buffer must be a direct buffer or have an accessible array",
                () -> Batch.of(FloatBuffer.allocate(12).asReadOnlyBuffer(), 3, 4));
        if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
            FloatBuffer big = ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "buffer must be in native byte order", () -> Batch.of(big, 3, 4));
        }
        // A read-only direct buffer is a fine input.
        assertDoesNotThrow(() -> s.sigmoid(Batch.of(direct.asReadOnlyBuffer(), 3, 4), Batch.of(new float[12], 3, 4), ONE));
        // Memory that is gone is refused at the call, never touched: a pointer deallocated after
        // its batch was made, a matrix closed after.
        FloatPointer freed = new FloatPointer(12);
        Batch gone = Batch.of(freed, 3, 4);
        freed.close();
        TestSupport.rejects(NullPointerException.class, "z points to address 0", () -> s.sigmoid(gone, xf, ONE));
        TestSupport.rejects(NullPointerException.class, "out points to address 0", () -> s.sigmoid(xf, gone, ONE));
        try (DoubleMatrix m = DoubleMatrix.allocate(3, 4)) {
            DoubleMatrix closed = DoubleMatrix.allocate(3, 4);
            Batch cb = Batch.of(closed);
            closed.close();
            TestSupport.rejects(IllegalStateException.class, "out: DoubleMatrix[3×4, closed] is closed",
                    () -> s.sigmoid(Batch.of(m), cb, ONE));
            TestSupport.rejects(IllegalStateException.class, "closed", () -> Batch.of(closed));
        }
    }

    /**
     * Heap and native memory mix in one call, for data and masks alike: each operand is pinned or
     * addressed on its own. The results equal the all-heap call's.
     */
    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void storageKindsMix(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] x = TestSupport.gaussian(3, 12, 2);
        boolean[] keep = {true, false, true, true, false, true, true, true, false, false, true, true};
        double[] want = new double[12];
        s.maskedSoftmax(Batch.of(x, 3, 4), Batch.of(keep, 3, 4), Batch.of(want, 3, 4), ONE);
        try (DoublePointer out = new DoublePointer(12); BytePointer bytes = new BytePointer(12)) {
            for (int i = 0; i < 12; i++) bytes.put(i, (byte) (keep[i] ? 1 : 0));
            s.maskedSoftmax(Batch.of(x, 3, 4), Batch.of(bytes, 3, 4), Batch.of(out, 3, 4), ONE);
            double[] got = new double[12];
            out.get(got);
            assertArrayEquals(want, got, 0.0);
            ByteBuffer heapMask = ByteBuffer.wrap(new byte[12]);
            for (int i = 0; i < 12; i++) heapMask.put(i, (byte) (keep[i] ? 7 : 0));
            DoubleBuffer directOut = ByteBuffer.allocateDirect(96).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            s.maskedSoftmax(Batch.of(out, 3, 4), Batch.of(heapMask, 3, 4), Batch.of(directOut, 3, 4), ONE);
            double[] again = new double[12];
            s.maskedSoftmax(Batch.of(want, 3, 4), Batch.of(keep, 3, 4), Batch.of(again, 3, 4), ONE);
            for (int i = 0; i < 12; i++) assertTrue(Double.compare(again[i], directOut.get(i)) == 0, "element " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void overlaps(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        double[] a = TestSupport.sentinelDoubles(30);
        double[] before = a.clone();
        Batch x8 = Batch.of(new double[8], 2, 4);
        // Same start, stride and width: in place is fine.
        assertDoesNotThrow(() -> s.softmaxJvp(X, Batch.of(a, 0, 2, 4, 4), Batch.of(a, 8, 2, 4, 4), Batch.of(a, 8, 2, 4, 4), ONE));
        double[] b = before.clone();
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps v but is not the same region",
                () -> s.softmaxJvp(X, x8, Batch.of(b, 0, 2, 4, 4), Batch.of(b, 1, 2, 4, 4), ONE));
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps v",
                () -> s.softmaxJvp(X, x8, Batch.of(b, 0, 2, 4, 4), Batch.of(b, 0, 2, 4, 5), ONE));
        // The Jacobian (width n·n) can never share the region of x (width n).
        TestSupport.rejects(IllegalArgumentException.class, "jacobian overlaps x",
                () -> s.jacobian(X, Batch.of(b, 1, 2), Batch.of(b, 1, 4), ONE));
        // Off-heap: a second pointer to the same memory, shifted; an output over the mask; two
        // buffers over one allocation.
        try (DoublePointer p = new DoublePointer(20)) {
            DoublePointer shifted = new DoublePointer(p).position(1);
            TestSupport.rejects(IllegalArgumentException.class, "out overlaps z",
                    () -> s.sigmoid(Batch.of(p, 2, 4), Batch.of(shifted, 2, 4), ONE));
            ByteBuffer raw = ByteBuffer.allocateDirect(160).order(ByteOrder.nativeOrder());
            DoubleBuffer view = raw.asDoubleBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps mask",
                    () -> s.maskedSoftmax(Batch.of(p, 1, 4), Batch.of(raw, 1, 4), Batch.of(view, 1, 4), ONE));
            DoubleBuffer again = raw.asDoubleBuffer().position(2).slice();
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x",
                    () -> s.softmax(Batch.of(view, 1, 4), Batch.of(again, 1, 4)));
        }
        assertArrayEquals(before, b, "nothing written");
    }
}
