package org.softmax4j;

import java.nio.FloatBuffer;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.softmax4j.backend.Checks;

/**
 * A row-major matrix of floats in native memory; see {@link OffHeapMatrix} for ownership and
 * layout. Pass it to {@link Softmax} as {@link Batch#of(FloatMatrix)}, or hand {@link #pointer()} to
 * other JavaCPP code.
 *
 * <pre>{@code
 * try (FloatMatrix logits = FloatMatrix.allocate(rows, classes);
 *      FloatMatrix probs = FloatMatrix.allocate(rows, classes)) {
 *     logits.copyFrom(values);
 *     Softmax.get().softmax(Batch.of(logits), Batch.of(probs));
 *     float[] p = probs.toArray();
 * }
 * }</pre>
 */
public final class FloatMatrix extends OffHeapMatrix {
    private final FloatPointer storage;
    private final FloatPointer view;
    private final FloatBuffer buffer;

    private FloatMatrix(int rows, int cols, int stride) {
        super(rows, cols, stride);
        long size = size();
        storage = new FloatPointer(size + ALIGNMENT / Float.BYTES);
        long shift = alignmentShift(storage.address(), Float.BYTES);
        view = new FloatPointer(storage).position(shift).capacity(shift + size).limit(shift + size);
        buffer = view.asBuffer();
    }

    /**
     * A zero-filled {@code rows × cols} matrix with rows packed one after another.
     *
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return the matrix; close it to release its memory
     */
    public static FloatMatrix allocate(int rows, int cols) {
        return allocate(rows, cols, cols);
    }

    /**
     * A zero-filled {@code rows × cols} matrix whose rows start {@code stride} elements apart.
     *
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return the matrix; close it to release its memory
     */
    public static FloatMatrix allocate(int rows, int cols, int stride) {
        FloatMatrix m = new FloatMatrix(rows, cols, stride);
        m.view.fill(0);
        return m;
    }

    /**
     * A new {@code rows × cols} matrix holding {@code values} (row-major, exactly rows × cols).
     *
     * @param values rows × cols values, row-major
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return the matrix; close it to release its memory
     */
    public static FloatMatrix of(int rows, int cols, float... values) {
        Checks.notNull(values, "values");
        if (values.length != (long) rows * cols) {
            throw new IllegalArgumentException("values has " + values.length + " elements, "
                    + rows + "×" + cols + " needs " + (long) rows * cols);
        }
        return allocate(rows, cols).copyFrom(values);
    }

    /**
     * One element.
     *
     * @param r the row, in [0, rows)
     * @param c the column, in [0, cols)
     * @return element (r, c)
     * @throws IndexOutOfBoundsException if r or c is out of range
     * @throws IllegalStateException if the matrix is closed
     */
    public float get(int r, int c) {
        return buffer.get(index(r, c));
    }

    /**
     * Sets one element.
     *
     * @param r the row, in [0, rows)
     * @param c the column, in [0, cols)
     * @param value the new value of element (r, c)
     * @return this matrix
     * @throws IndexOutOfBoundsException if r or c is out of range
     * @throws IllegalStateException if the matrix is closed
     */
    public FloatMatrix set(int r, int c, float value) {
        buffer.put(index(r, c), value);
        return this;
    }

    /**
     * Copies rows × cols values, row-major, from {@code src} starting at {@code offset}.
     *
     * @param src the values, row-major
     * @param offset the index of the first value in the array
     * @return this matrix
     */
    public FloatMatrix copyFrom(float[] src, int offset) {
        Checks.notNull(src, "src");
        checkDense("src", src.length, offset);
        for (int r = 0; r < rows(); r++) {
            buffer.put(r * stride(), src, offset + r * cols(), cols());
        }
        return this;
    }

    /**
     * Copies rows × cols values, row-major, from the start of {@code src}.
     *
     * @param src the values, row-major
     * @return this matrix
     */
    public FloatMatrix copyFrom(float[] src) {
        return copyFrom(src, 0);
    }

    /**
     * Copies the matrix, row-major without padding, into {@code dst} from {@code offset}.
     *
     * @param dst receives rows × cols values, row-major
     * @param offset the index of the first value in the array
     */
    public void copyTo(float[] dst, int offset) {
        Checks.notNull(dst, "dst");
        checkDense("dst", dst.length, offset);
        for (int r = 0; r < rows(); r++) {
            buffer.get(r * stride(), dst, offset + r * cols(), cols());
        }
    }

    /**
     * The matrix as a new row-major array of rows × cols values.
     *
     * @return a new array of rows × cols values
     */
    public float[] toArray() {
        float[] a = new float[Math.multiplyExact(rows(), cols())];
        copyTo(a, 0);
        return a;
    }

    /**
     * The memory as a JavaCPP pointer from element (0, 0), its limit at {@code rows × stride}.
     * It stays owned by this matrix: do not close or deallocate it, nor use it after
     * {@link #close()}.
     *
     * @return the matrix's own pointer
     * @throws IllegalStateException if the matrix is closed
     */
    public FloatPointer pointer() {
        ensureOpen();
        return view;
    }

    /**
     * The memory as a direct buffer in native order, positioned at element (0, 0). Owned as
     * {@link #pointer()} is.
     *
     * @return a new buffer over the matrix's memory
     * @throws IllegalStateException if the matrix is closed
     */
    public FloatBuffer buffer() {
        ensureOpen();
        return buffer.duplicate();
    }

    @Override
    Pointer storage() {
        return storage;
    }
}
