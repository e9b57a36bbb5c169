package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad arguments throw the documented exception, naming the argument, before anything is
 * written: the output keeps its sentinel values after every rejected call.
 */
class ValidationTest {

    private static void rejects(Class<? extends Throwable> type, String mention, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(String.valueOf(t.getMessage()).contains(mention),
                () -> "message should mention '" + mention + "': " + t.getMessage());
    }

    private static float[] sentinel(int n) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 42f);
        return f;
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void arrays(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        float[] x = new float[12];
        float[] y = sentinel(12);
        float[] before = y.clone();
        rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (float[]) null, y));
        rejects(NullPointerException.class, "y", () -> s.softmax(3, 4, x, (float[]) null));
        rejects(NullPointerException.class, "out", () -> s.logSumExp(3, 4, x, (float[]) null));
        rejects(IllegalArgumentException.class, "rows", () -> s.softmax(-1, 4, x, y));
        rejects(IllegalArgumentException.class, "n", () -> s.logSoftmax(3, -4, x, y));
        rejects(IllegalArgumentException.class, "ldx", () -> s.softmax(3, 4, x, 0, 3, y, 0, 4, 1));
        rejects(IllegalArgumentException.class, "ldy", () -> s.softmax(3, 4, x, 0, 4, y, 0, 3, 1));
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, -0.0}) {
            rejects(IllegalArgumentException.class, "temperature", () -> s.softmax(3, 4, x, 0, 4, y, 0, 4, t));
            rejects(IllegalArgumentException.class, "temperature", () -> s.logSumExp(3, 4, x, 0, 4, y, 0, t));
        }
        rejects(IndexOutOfBoundsException.class, "xOffset", () -> s.softmax(3, 4, x, -1, 4, y, 0, 4, 1));
        rejects(IndexOutOfBoundsException.class, "xOffset", () -> s.softmax(1, 4, x, 13, 4, y, 0, 4, 1));
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, 1, 4, y, 0, 4, 1));
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(4, 4, x, y));
        rejects(IndexOutOfBoundsException.class, "y needs", () -> s.softmax(3, 4, x, 0, 4, y, 1, 4, 1));
        rejects(IndexOutOfBoundsException.class, "yOffset", () -> s.softmax(3, 4, x, 0, 4, y, -2, 4, 1));
        rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(3, 4, x, 0, 4, y, 10, 1));
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(2, Integer.MAX_VALUE, x, 0,
                Integer.MAX_VALUE, y, 0, Integer.MAX_VALUE, 1));
        assertArrayEquals(before, y);
        // Overlaps: in place is fine, a shifted or differently strided alias is not.
        rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, y, 0, 4, y, 1, 4, 1));
        rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, y, 0, 4, y, 0, 5, 1));
        rejects(IllegalArgumentException.class, "out overlaps x", () -> s.logSumExp(2, 4, y, 0, 4, y, 7, 1));
        assertArrayEquals(before, y);
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void buffers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        FloatBuffer x = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer y = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < 12; i++) y.put(i, 42f);
        rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (FloatBuffer) null, y));
        rejects(IllegalArgumentException.class, "read-only", () -> s.softmax(3, 4, x, y.asReadOnlyBuffer()));
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(48).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        if (ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
            rejects(IllegalArgumentException.class, "native byte order", () -> s.softmax(3, 4, bigEndian, y));
            rejects(IllegalArgumentException.class, "native byte order", () -> s.softmax(3, 4, x, bigEndian));
        }
        rejects(IllegalArgumentException.class, "both be direct", () -> s.softmax(3, 4, x, FloatBuffer.allocate(12)));
        rejects(IllegalArgumentException.class, "accessible array",
                () -> s.softmax(3, 4, FloatBuffer.allocate(12).asReadOnlyBuffer(), FloatBuffer.allocate(12)));
        // Bounds count from the position to the limit, not the whole capacity.
        x.position(1);
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
        x.position(0).limit(11);
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
        x.limit(12);
        FloatBuffer heapX = FloatBuffer.wrap(new float[20], 2, 10).slice();
        rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, heapX, FloatBuffer.allocate(12)));
        DoubleBuffer dy = DoubleBuffer.allocate(3);
        rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(4, 2, DoubleBuffer.allocate(8), dy));
        for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 42f, "y was written at " + i);
        // The same buffer object in place is fine; shifted is not.
        FloatBuffer z = ByteBuffer.allocateDirect(48).order(ByteOrder.nativeOrder()).asFloatBuffer();
        s.softmax(3, 4, z, z);
        rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, z, 0, 4, z, 2, 4, 1));
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void pointers(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatPointer x = new FloatPointer(12); FloatPointer y = new FloatPointer(12)) {
            y.fill(0);
            rejects(NullPointerException.class, "x", () -> s.softmax(3, 4, (FloatPointer) null, y));
            rejects(NullPointerException.class, "address 0", () -> s.softmax(3, 4, new FloatPointer(), y));
            x.position(2);
            rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
            x.position(0).limit(8);
            rejects(IndexOutOfBoundsException.class, "x needs", () -> s.softmax(3, 4, x, y));
            x.limit(12);
            rejects(IndexOutOfBoundsException.class, "yOffset", () -> s.softmax(3, 4, x, 0, 4, y, -1, 4, 1));
            // Another pointer to the same memory, shifted by one element: a partial overlap.
            FloatPointer shifted = new FloatPointer(x).position(1);
            rejects(IllegalArgumentException.class, "overlaps", () -> s.softmax(2, 4, x, 0, 4, shifted, 0, 4, 1));
            for (int i = 0; i < 12; i++) assertTrue(y.get(i) == 0f, "y was written at " + i);
        }
        try (DoublePointer x = new DoublePointer(6); DoublePointer out = new DoublePointer(1)) {
            rejects(IndexOutOfBoundsException.class, "out needs", () -> s.logSumExp(2, 3, x, out));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void matrices(Softmax.Backend backend) {
        Softmax s = TestSupport.backend(backend);
        try (FloatMatrix x = FloatMatrix.allocate(3, 4); FloatMatrix y = FloatMatrix.allocate(3, 5);
             FloatMatrix col = FloatMatrix.allocate(3, 1); FloatMatrix wide = FloatMatrix.allocate(3, 2)) {
            rejects(IllegalArgumentException.class, "shape", () -> s.softmax(x, y));
            rejects(IllegalArgumentException.class, "out must be 3×1", () -> s.logSumExp(x, wide));
            rejects(NullPointerException.class, "y", () -> s.softmax(x, (FloatMatrix) null));
            s.logSumExp(x, col);
            col.close();
            rejects(IllegalStateException.class, "closed", () -> s.logSumExp(x, col));
        }
    }
}
