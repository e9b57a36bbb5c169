package org.softmax4j;

import org.bytedeco.javacpp.Pointer;

/**
 * A row-major matrix in native memory, owned by this object and released by {@link #close()}.
 * Row {@code r} starts {@code r * stride()} elements after the first. The memory is aligned to
 * 64 bytes (a cache line, and the width of an AVX-512 register).
 *
 * <p>Closing twice is harmless; any other use after close throws {@link IllegalStateException}.
 * A matrix is not safe to close while another thread uses it. An unclosed matrix is released
 * when it is garbage-collected, but do not rely on that: native memory does not press the
 * collector.
 */
public abstract sealed class OffHeapMatrix implements AutoCloseable permits FloatMatrix, DoubleMatrix {
    static final int ALIGNMENT = 64;

    private final int rows;
    private final int cols;
    private final int stride;
    private boolean closed;

    OffHeapMatrix(int rows, int cols, int stride) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (cols < 0) throw new IllegalArgumentException("cols must be >= 0, got " + cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride must be >= cols (" + cols + "), got " + stride);
        }
        if ((long) rows * stride > Integer.MAX_VALUE - ALIGNMENT) {
            throw new IllegalArgumentException(
                    "rows × stride must be < 2^31 elements, got " + rows + " × " + stride);
        }
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
    }

    /**
     * The number of rows.
     *
     * @return rows, &ge; 0
     */
    public final int rows() {
        return rows;
    }

    /**
     * Elements per row.
     *
     * @return cols, &ge; 0
     */
    public final int cols() {
        return cols;
    }

    /**
     * Elements from the start of one row to the start of the next, &ge; {@link #cols()}.
     *
     * @return the stride, &ge; {@link #cols()}
     */
    public final int stride() {
        return stride;
    }

    /**
     * Elements the memory holds: {@code rows × stride}.
     *
     * @return rows × stride
     */
    public final long size() {
        return (long) rows * stride;
    }

    /**
     * Whether {@link #close()} has released the memory.
     *
     * @return true once closed
     */
    public final boolean isClosed() {
        return closed;
    }

    /**
     * "rows×cols".
     *
     * @return e.g. {@code 2×3}
     */
    public final String shape() {
        return rows + "×" + cols;
    }

    /** Releases the native memory now. Idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            storage().close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + shape() + (stride != cols ? ", stride " + stride : "")
                + (closed ? ", closed" : "") + "]";
    }

    /** The owned allocation (as allocated, not the aligned view). */
    abstract Pointer storage();

    final void ensureOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    /** Index of element (r, c), after checking both. */
    final int index(int r, int c) {
        ensureOpen();
        if (r < 0 || r >= rows) throw new IndexOutOfBoundsException("row " + r + " of " + shape());
        if (c < 0 || c >= cols) throw new IndexOutOfBoundsException("column " + c + " of " + shape());
        return r * stride + c;
    }

    /** Elements to skip from {@code address} to the next multiple of the alignment. */
    static long alignmentShift(long address, int elementBytes) {
        return ((ALIGNMENT - (address & (ALIGNMENT - 1))) & (ALIGNMENT - 1)) / elementBytes;
    }

    /** Checks a row-major source or destination of {@code rows × cols} values. */
    final void checkDense(String name, int length, int offset) {
        ensureOpen();
        long need = (long) rows * cols;
        if (offset < 0 || offset > length || need > length - offset) {
            throw new IndexOutOfBoundsException(name + " needs " + need + " elements from offset "
                    + offset + " but has length " + length);
        }
    }
}
