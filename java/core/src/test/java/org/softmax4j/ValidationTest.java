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
 * Bad arguments throw the documented exception, naming the argument, before anything is
 * written: the output keeps its sentinel values after every rejected call.
 */
class ValidationTest {



    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void arrays(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = new float[12];
        float[] y = TestSupport.sentinel(12);
        float[] before = y.clone();
        TestSupport.rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (float[]) null, y));
        TestSupport.rejects(NullPointerException.class, "y", () -> s.softmax(3, 4, x, (float[]) null));
        TestSupport.rejects(NullPointerException.class, "out", () -> s.logSumExp(3, 4, x, (float[]) null));
        TestSupport.rejects(IllegalArgumentException.class, "rows", () -> s.softmax(-1, 4, x, y));
        TestSupport.rejects(IllegalArgumentException.class, "n", () -> s.logSoftmax(3, -4, x, y));
        TestSupport.rejects(IllegalArgumentException.class, "ldx", () -> s.softmax(3, 4, x, 0, 3, y, 0, 4, 1));
        TestSupport.rejects(IllegalArgumentException.class, "ldy", () -> s.softmax(3, 4, x, 0, 4, y, 0, 3, 1));
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, -0.0}) {
            TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> s.softmax(3, 4, x, 0, 4, y, 0, 4, t));
            TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> s.logSumExp(3, 4, x, 0, 4, y, 0, t));
        }
        TestSupport.rejects(IndexOutOfBoundsException.class, "xOffset", () -> s.softmax(3, 4, x, -1, 4, y, 0, 4, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "xOffset", () -> s.softmax(1, 4, x, 13, 4, y, 0, 4, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, 1, 4, y, 0, 4, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(4, 4, x, y));
        TestSupport.rejects(IndexOutOfBoundsException.class, "y needs", () -> s.softmax(3, 4, x, 0, 4, y, 1, 4, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "yOffset", () -> s.softmax(3, 4, x, 0, 4, y, -2, 4, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(3, 4, x, 0, 4, y, 10, 1));
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(2, Integer.MAX_VALUE, x, 0,
                Integer.MAX_VALUE, y, 0, Integer.MAX_VALUE, 1));
        assertArrayEquals(before, y);
        // Overlaps: in place is fine, a shifted or differently strided alias is not.
        TestSupport.rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, y, 0, 4, y, 1, 4, 1));
        TestSupport.rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, y, 0, 4, y, 0, 5, 1));
        TestSupport.rejects(IllegalArgumentException.class, "out overlaps x", () -> s.logSumExp(2, 4, y, 0, 4, y, 7, 1));
        assertArrayEquals(before, y);
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void buffers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        FloatBuffer x = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer y = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 12; i++) y.put(i, 42f);
        TestSupport.rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (FloatBuffer) null, y));
        TestSupport.rejects(IllegalArgumentException.class, "read-only", () -> s.softmax(3, 4, x, y.asReadOnlyBuffer()));
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
            TestSupport.rejects(IllegalArgumentException.class, "native byte order", () -> s.softmax(3, 4, bigEndian, y));
            TestSupport.rejects(IllegalArgumentException.class, "native byte order", () -> s.softmax(3, 4, x, bigEndian));
        }
        TestSupport.rejects(IllegalArgumentException.class, "both be direct", () -> s.softmax(3, 4, x, FloatBuffer.allocate(12)));
        TestSupport.rejects(IllegalArgumentException.class, "accessible array",
                () -> s.softmax(3, 4, FloatBuffer.allocate(12).asReadOnlyBuffer(), FloatBuffer.allocate(12)));
        // Bounds count from the position to the limit, not the whole capacity.
        x.position(1);
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
        x.position(0).limit(11);
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
        x.limit(12);
        FloatBuffer heapX = FloatBuffer.wrap(new float[20], 2, 10).slice();
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, heapX, FloatBuffer.allocate(12)));
        DoubleBuffer dy = DoubleBuffer.allocate(3);
        TestSupport.rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(4, 2, DoubleBuffer.allocate(8), dy));
        for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 42f, "y was written at " + i);
        // The same buffer object in place is fine; shifted is not.
        FloatBuffer z = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        s.softmax(3, 4, z, z);
        TestSupport.rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, z, 0, 4, z, 2, 4, 1));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void pointers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatPointer x = new FloatPointer(12); FloatPointer y = new FloatPointer(12)) {
            y.fill(0);
            TestSupport.rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (FloatPointer) null, y));
            TestSupport.rejects(NullPointerException.class, "address 0", () -> s.softmax(3, 4, new FloatPointer(), y));
            x.position(2);
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
            x.position(0).limit(8);
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
            x.limit(12);
            TestSupport.rejects(IndexOutOfBoundsException.class, "yOffset", () -> s.softmax(3, 4, x, 0, 4, y, -1, 4, 1));
            // Another pointer to the same memory, shifted by one element: a partial overlap.
            FloatPointer shifted = new FloatPointer(x).position(1);
            TestSupport.rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, x, 0, 4, shifted, 0, 4, 1));
            for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 0f, "y was written at " + i);
        }
        try (DoublePointer x = new DoublePointer(6); DoublePointer out = new DoublePointer(1)) {
            TestSupport.rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(2, 3, x, out));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void matrices(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatMatrix x = FloatMatrix.allocate(3, 4); FloatMatrix y = FloatMatrix.allocate(3, 5);
             FloatMatrix col = FloatMatrix.allocate(3, 1); FloatMatrix wide = FloatMatrix.allocate(3, 2)) {
            TestSupport.rejects(IllegalArgumentException.class, "shape", () -> s.softmax(x, y));
            TestSupport.rejects(IllegalArgumentException.class, "out must be 3×1", () -> s.logSumExp(x, wide));
            TestSupport.rejects(NullPointerException.class, "y", () -> s.softmax(x, (FloatMatrix) null));
            s.logSumExp(x, col);
            col.close();
            TestSupport.rejects(IllegalStateException.class, "closed", () -> s.logSumExp(x, col));
        }
    }
}
