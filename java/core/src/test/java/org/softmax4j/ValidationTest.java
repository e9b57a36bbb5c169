package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The row operations reject bad arguments in every storage kind with the documented exception,
 * naming the argument, before anything is written: the output keeps its sentinel values after
 * every rejected call. (The rules are the same for every operation; OperationValidationTest
 * covers the others.)
 */
class ValidationTest {

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void arrays(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = new float[12];
        float[] y = TestSupport.sentinel(12);
        float[] before = y.clone();
        TestSupport.rejects(NullPointerException.class, "x must not be null", () -> s.softmax(3, 4, (float[]) null, y));
        TestSupport.rejects(NullPointerException.class, "y must not be null", () -> s.softmax(3, 4, x, (float[]) null));
        TestSupport.rejects(NullPointerException.class, "out must not be null", () -> s.logSumExp(3, 4, x, (float[]) null));
        TestSupport.rejects(IllegalArgumentException.class, "rows", () -> s.softmax(-1, 4, x, y));
        TestSupport.rejects(IllegalArgumentException.class, "cols", () -> s.logSoftmax(3, -4, x, y));
        TestSupport.rejects(IllegalArgumentException.class, "stride", () -> Batch.of(x, 0, 3, 4, 3));
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, -0.0}) {
            TestSupport.rejects(IllegalArgumentException.class, "temperature",
                    () -> s.softmax(Batch.of(x, 3, 4), Batch.of(y, 3, 4), Scale.temperature(t)));
        }
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(4, 4, x, y));
        TestSupport.rejects(IndexOutOfBoundsException.class, "y needs", () -> s.softmax(3, 4, x, new float[11]));
        TestSupport.rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(3, 4, x, new float[2]));
        TestSupport.rejects(IndexOutOfBoundsException.class, "array needs", () -> Batch.of(x, 2, Integer.MAX_VALUE));
        assertArrayEquals(before, y);
        // Overlaps: in place is fine, a shifted or differently strided alias is not.
        TestSupport.rejects(IllegalArgumentException.class, "overlaps",
                () -> s.softmax(Batch.of(y, 0, 2, 4, 4), Batch.of(y, 1, 2, 4, 4)));
        TestSupport.rejects(IllegalArgumentException.class, "overlaps",
                () -> s.softmax(Batch.of(y, 0, 2, 4, 4), Batch.of(y, 0, 2, 4, 5)));
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps x",
                () -> s.logSumExp(Batch.of(y, 0, 2, 4, 4), Batch.of(y, 7, 2, 1, 1)));
        assertArrayEquals(before, y);
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void buffers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        FloatBuffer x = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer y = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 12; i++) y.put(i, 42f);
        Batch xb = Batch.of(x, 3, 4);
        TestSupport.rejects(NullPointerException.class, "buffer must not be null", () -> Batch.of((FloatBuffer) null, 3, 4));
        TestSupport.rejects(IllegalArgumentException.class, "y is read-only", () -> s.softmax(xb, Batch.of(y.asReadOnlyBuffer(), 3, 4)));
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
            TestSupport.rejects(IllegalArgumentException.class, "native byte order", () -> Batch.of(bigEndian, 3, 4));
        }
        TestSupport.rejects(IllegalArgumentException.class, "accessible array",
                () -> Batch.of(FloatBuffer.allocate(12).asReadOnlyBuffer(), 3, 4));
        // Bounds count from the position to the limit, not the whole capacity.
        x.position(1);
        TestSupport.rejects(IndexOutOfBoundsException.class, "buffer needs", () -> Batch.of(x, 3, 4));
        x.position(0).limit(11);
        TestSupport.rejects(IndexOutOfBoundsException.class, "buffer needs", () -> Batch.of(x, 3, 4));
        x.limit(12);
        FloatBuffer heapX = FloatBuffer.wrap(new float[20], 2, 10).slice();
        TestSupport.rejects(IndexOutOfBoundsException.class, "buffer needs", () -> Batch.of(heapX, 3, 4));
        TestSupport.rejects(IndexOutOfBoundsException.class, "buffer needs", () -> Batch.of(DoubleBuffer.allocate(3), 4, 1));
        for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 42f, "y was written at " + i);
        // A batch is positioned when it is made: moving the buffer later does not move it.
        FloatBuffer z = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Batch zb = Batch.of(z, 3, 4);
        z.position(5);
        s.softmax(zb, zb);
        assertTrue(z.position() == 5, "position kept");
        z.position(0);
        TestSupport.rejects(IllegalArgumentException.class, "overlaps",
                () -> s.softmax(Batch.of(z, 0, 2, 4, 4), Batch.of(z, 2, 2, 4, 4)));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void pointers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatPointer x = new FloatPointer(12); FloatPointer y = new FloatPointer(12)) {
            y.fill(0);
            Batch yb = Batch.of(y, 3, 4);
            TestSupport.rejects(NullPointerException.class, "pointer must not be null", () -> Batch.of((FloatPointer) null, 3, 4));
            TestSupport.rejects(NullPointerException.class, "address 0", () -> Batch.of(new FloatPointer(), 3, 4));
            x.position(2);
            TestSupport.rejects(IndexOutOfBoundsException.class, "pointer needs", () -> Batch.of(x, 3, 4));
            x.position(0).limit(8);
            TestSupport.rejects(IndexOutOfBoundsException.class, "pointer needs", () -> Batch.of(x, 3, 4));
            x.limit(12);
            TestSupport.rejects(IndexOutOfBoundsException.class, "offset -1", () -> Batch.of(y, -1, 3, 4, 4));
            // Another pointer to the same memory, shifted by one element: a partial overlap.
            FloatPointer shifted = new FloatPointer(x).position(1);
            TestSupport.rejects(IllegalArgumentException.class, "overlaps",
                    () -> s.softmax(Batch.of(x, 2, 4), Batch.of(shifted, 2, 4)));
            for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 0f, "y was written at " + i);
            s.softmax(Batch.of(x, 3, 4), yb);
        }
        try (DoublePointer x = new DoublePointer(6); DoublePointer out = new DoublePointer(1)) {
            TestSupport.rejects(IndexOutOfBoundsException.class, "pointer needs", () -> Batch.of(out, 2, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void matrices(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatMatrix x = FloatMatrix.allocate(3, 4); FloatMatrix y = FloatMatrix.allocate(3, 5);
             FloatMatrix col = FloatMatrix.allocate(3, 1); FloatMatrix wide = FloatMatrix.allocate(3, 2)) {
            Batch xb = Batch.of(x);
            TestSupport.rejects(IllegalArgumentException.class, "y must be 3×4, got 3×5", () -> s.softmax(xb, Batch.of(y)));
            TestSupport.rejects(IllegalArgumentException.class, "out must be 3×1", () -> s.logSumExp(xb, Batch.of(wide)));
            TestSupport.rejects(NullPointerException.class, "y must not be null", () -> s.softmax(xb, null));
            Batch cb = Batch.of(col);
            s.logSumExp(xb, cb);
            col.close();
            TestSupport.rejects(IllegalStateException.class, "closed", () -> s.logSumExp(xb, cb));
        }
    }
}
