package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class MatrixTest {

    @Test
    void holdsValuesRowMajorWithPadding() {
        try (FloatMatrix m = FloatMatrix.allocate(2, 3, 5)) {
            assertEquals(2, m.rows());
            assertEquals(3, m.cols());
            assertEquals(5, m.stride());
            assertEquals(0f, m.get(1, 2));
            m.copyFrom(new float[] {1, 2, 3, 4, 5, 6});
            assertEquals(6f, m.get(1, 2));
            assertEquals(4f, m.pointer().get(5), "row 1 starts at the stride");
            m.set(0, 1, -7f);
            assertArrayEquals(new float[] {1, -7, 3, 4, 5, 6}, m.toArray());
        }
    }

    @Test
    void isAlignedToACacheLine() {
        for (int i = 0; i < 20; i++) {
            try (DoubleMatrix m = DoubleMatrix.allocate(3, 7 + i)) {
                assertEquals(0, (m.pointer().address() + m.pointer().position() * Double.BYTES) % 64);
            }
        }
    }

    @Test
    void closeReleasesOnceAndForbidsUse() {
        DoubleMatrix m = DoubleMatrix.of(1, 2, 0.5, 0.25);
        assertEquals(0.25, m.get(0, 1));
        m.close();
        m.close();
        assertTrue(m.isClosed());
        assertThrows(IllegalStateException.class, () -> m.get(0, 0));
        assertThrows(IllegalStateException.class, m::pointer);
        assertThrows(IllegalStateException.class, m::toArray);
        assertThrows(IllegalStateException.class, () -> Softmax.java().softmax(Batch.of(m), Batch.of(m)));
    }

    @Test
    void rejectsBadShapesAndIndices() {
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.allocate(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.allocate(2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.allocate(1 << 16, 1 << 16));
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.of(2, 2, 1f, 2f, 3f));
        try (FloatMatrix m = FloatMatrix.allocate(2, 2)) {
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(2, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> m.set(0, -1, 1f));
            assertThrows(IndexOutOfBoundsException.class, () -> m.copyFrom(new float[3]));
            assertThrows(IndexOutOfBoundsException.class, () -> m.copyTo(new float[4], 1));
        }
    }

    @Test
    void closingReturnsTheMemory() {
        long before = Pointer.totalBytes();
        FloatMatrix m = FloatMatrix.allocate(1000, 1000);
        assertTrue(Pointer.totalBytes() >= before + 4_000_000L);
        m.close();
        assertEquals(before, Pointer.totalBytes());
    }
}
