package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.ShortPointer;
import org.softmax4j.backend.Checks;
import org.softmax4j.storage.ArrayStorage;
import org.softmax4j.storage.BufferStorage;
import org.softmax4j.storage.PointerStorage;
import org.softmax4j.storage.Storage;

/**
 * One operand of every operation: {@code rows} rows of {@code cols} elements of one
 * {@link ElementType}, row {@code r} starting at element {@code offset + r * stride} of its
 * storage. Every operation of {@link Softmax} and of the regression head takes its operands as
 * batches, whatever holds them:
 *
 * <ul>
 *   <li>heap arrays: {@code float[]}, {@code double[]}, {@code short[]} (bfloat16 or float16 bit
 *       patterns), {@code boolean[]} (masks), {@code int[]}; element {@code i} is
 *       {@code array[i]};
 *   <li>NIO buffers: {@link FloatBuffer}, {@link DoubleBuffer}, {@link ShortBuffer} (half
 *       types), {@link ByteBuffer} (masks), counted from the buffer's position when the batch is
 *       made; direct buffers are used in place (floats, doubles and shorts in native byte order),
 *       heap ones through their array;
 *   <li>JavaCPP pointers: {@link FloatPointer}, {@link DoublePointer}, {@link ShortPointer} (half
 *       types), {@link BytePointer} (masks), counted from the pointer's position when the batch is
 *       made, up to its limit;
 *   <li>the owned off-heap {@link FloatMatrix} and {@link DoubleMatrix}: the whole matrix;
 *   <li>on JDK 22 and later, {@code java.lang.foreign.MemorySegment}, through {@code Segments}.
 * </ul>
 *
 * <p>16-bit storage holds {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16} bit
 * patterns; which one is given when the batch is made, since a {@code short} does not say.
 *
 * <p>A batch is a description, made once and reusable: it holds no copy, and a call whose
 * batches were made beforehand allocates nothing. Its layout is checked when it is made (sizes
 * &ge; 0, stride &ge; cols, the last row inside the storage); what can change later is checked at
 * every call (a closed matrix, a deallocated pointer, and each operand's shape, element type,
 * writability and overlap against the operation). Later changes to a buffer's or pointer's
 * position or limit do not move a batch made from it.
 *
 * <p>Errors: {@link NullPointerException} for a null storage or a pointer at address 0,
 * {@link IndexOutOfBoundsException} for an offset or a last row outside the storage,
 * {@link IllegalArgumentException} for a negative size, a stride below cols, a buffer in foreign
 * byte order, a heap buffer without an accessible array or a 16-bit type that is not a half type,
 * {@link IllegalStateException} for a closed matrix.
 */
public final class Batch {
    static {
        Storage.install(b -> b.storage);
    }

    private final Storage storage;
    private final long offset;
    private final int rows;
    private final int cols;
    private final int stride;

    /** {@code name} is the argument the layout errors name. */
    Batch(String name, Storage storage, long offset, int rows, int cols, int stride) {
        Checks.layout(name, storage, offset, rows, cols, stride);
        this.storage = storage;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
        this.stride = stride;
    }

    // ---------------------------------------------------------------- heap arrays
    // Pinned for a native call, never copied. An array may be longer than the batch needs.

    /**
     * {@code rows × cols} floats packed from index 0 (float32).
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(float[] array, int rows, int cols) {
        return of(array, 0, rows, cols, cols);
    }

    /**
     * Float rows {@code stride} apart, the first at index {@code offset}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(float[] array, int offset, int rows, int cols, int stride) {
        Checks.notNull(array, "array");
        return new Batch("array", ArrayStorage.of(array, 0, array.length), offset, rows, cols, stride);
    }

    /**
     * The float64 twin of {@link #of(float[], int, int)}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(double[] array, int rows, int cols) {
        return of(array, 0, rows, cols, cols);
    }

    /**
     * The float64 twin of {@link #of(float[], int, int, int, int)}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(double[] array, int offset, int rows, int cols, int stride) {
        Checks.notNull(array, "array");
        return new Batch("array", ArrayStorage.of(array, 0, array.length), offset, rows, cols, stride);
    }

    /**
     * {@code rows × cols} half-precision bit patterns packed from index 0.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(short[] array, ElementType type, int rows, int cols) {
        return of(array, type, 0, rows, cols, cols);
    }

    /**
     * Half-precision rows {@code stride} apart, the first at index {@code offset}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(short[] array, ElementType type, int offset, int rows, int cols, int stride) {
        Checks.notNull(array, "array");
        Checks.halfType(type);
        return new Batch("array", ArrayStorage.ofHalf(array, type, 0, array.length), offset, rows, cols, stride);
    }

    /**
     * A mask: true keeps an entry, false masks it out (BOOL).
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(boolean[] array, int rows, int cols) {
        return of(array, 0, rows, cols, cols);
    }

    /**
     * A mask laid out like {@link #of(float[], int, int, int, int)}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(boolean[] array, int offset, int rows, int cols, int stride) {
        Checks.notNull(array, "array");
        return new Batch("array", ArrayStorage.of(array, 0, array.length), offset, rows, cols, stride);
    }

    /**
     * Labels or indices (INT32), packed.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(int[] array, int rows, int cols) {
        return of(array, 0, rows, cols, cols);
    }

    /**
     * INT32 rows {@code stride} apart from index {@code offset}.
     *
     * @param array the elements, not copied; element {@code i} is {@code array[i]}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(int[] array, int offset, int rows, int cols, int stride) {
        Checks.notNull(array, "array");
        return new Batch("array", ArrayStorage.of(array, 0, array.length), offset, rows, cols, stride);
    }

    // ---------------------------------------------------------------- NIO buffers
    // Counted from the position when the batch is made, up to the limit. A direct buffer is
    // used in place; a heap one through its array (a read-only heap buffer has none: refused).

    /**
     * Packed float rows from the buffer's position. A direct buffer must be in native byte
     * order, which {@code ByteBuffer.allocateDirect(...).order(ByteOrder.nativeOrder())} gives.
     *
     * @param buffer the storage, counted from its position at this call
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(FloatBuffer buffer, int rows, int cols) {
        return of(buffer, 0, rows, cols, cols);
    }

    /**
     * Float rows {@code stride} apart, {@code offset} elements after the buffer's position.
     *
     * @param buffer the storage, counted from its position at this call
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(FloatBuffer buffer, int offset, int rows, int cols, int stride) {
        return new Batch("buffer", BufferStorage.of(buffer), offset, rows, cols, stride);
    }

    /**
     * Packed double rows from the buffer's position; direct ones in native byte order.
     *
     * @param buffer the storage, counted from its position at this call
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(DoubleBuffer buffer, int rows, int cols) {
        return of(buffer, 0, rows, cols, cols);
    }

    /**
     * The float64 twin of {@link #of(FloatBuffer, int, int, int, int)}.
     *
     * @param buffer the storage, counted from its position at this call
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(DoubleBuffer buffer, int offset, int rows, int cols, int stride) {
        return new Batch("buffer", BufferStorage.of(buffer), offset, rows, cols, stride);
    }

    /**
     * Packed half-precision rows from the buffer's position; a direct buffer in native byte
     * order.
     *
     * @param buffer the storage, counted from its position at this call
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ShortBuffer buffer, ElementType type, int rows, int cols) {
        return of(buffer, type, 0, rows, cols, cols);
    }

    /**
     * The half-precision twin of {@link #of(FloatBuffer, int, int, int, int)}.
     *
     * @param buffer the storage, counted from its position at this call
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ShortBuffer buffer, ElementType type, int offset, int rows, int cols, int stride) {
        Checks.notNull(buffer, "buffer");
        Checks.halfType(type);
        return new Batch("buffer", BufferStorage.of(buffer, type), offset, rows, cols, stride);
    }

    /**
     * A mask of bytes (0 masks an entry out, anything else keeps it); any byte order.
     *
     * @param buffer the storage, counted from its position at this call
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ByteBuffer buffer, int rows, int cols) {
        return of(buffer, 0, rows, cols, cols);
    }

    /**
     * A mask of bytes, rows {@code stride} bytes apart from {@code offset} after the position.
     *
     * @param buffer the storage, counted from its position at this call
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ByteBuffer buffer, int offset, int rows, int cols, int stride) {
        return new Batch("buffer", BufferStorage.ofBool(buffer), offset, rows, cols, stride);
    }

    // ---------------------------------------------------------------- JavaCPP pointers
    // Counted from the position when the batch is made, up to the limit; the address is read
    // again at every call, so a pointer deallocated since is refused, never touched.

    /**
     * Float rows {@code stride} apart, {@code offset} elements past the position (a long: a
     * pointer may hold more than 2³¹ elements).
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(FloatPointer pointer, long offset, int rows, int cols, int stride) {
        return new Batch("pointer", PointerStorage.of(pointer), offset, rows, cols, stride);
    }

    /**
     * Packed float rows from the pointer's position; its limit must cover them.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(FloatPointer pointer, int rows, int cols) {
        return of(pointer, 0, rows, cols, cols);
    }

    /**
     * The float64 twin of {@link #of(FloatPointer, long, int, int, int)}.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(DoublePointer pointer, long offset, int rows, int cols, int stride) {
        return new Batch("pointer", PointerStorage.of(pointer), offset, rows, cols, stride);
    }

    /**
     * The float64 twin of {@link #of(FloatPointer, int, int)}.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(DoublePointer pointer, int rows, int cols) {
        return of(pointer, 0, rows, cols, cols);
    }

    /**
     * Half-precision rows {@code stride} apart, {@code offset} elements past the position.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ShortPointer pointer, ElementType type, long offset, int rows, int cols, int stride) {
        Checks.notNull(pointer, "pointer");
        Checks.halfType(type);
        return new Batch("pointer", PointerStorage.of(pointer, type), offset, rows, cols, stride);
    }

    /**
     * Packed half-precision rows from the pointer's position; its limit must cover them.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param type {@link ElementType#BFLOAT16} or {@link ElementType#FLOAT16}
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(ShortPointer pointer, ElementType type, int rows, int cols) {
        return of(pointer, type, 0, rows, cols, cols);
    }

    /**
     * A mask of bytes in native memory, rows {@code stride} bytes apart, {@code offset} bytes past
     * the position; 0 masks an entry out, anything else keeps it.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param offset where element (0, 0) is, counted in elements from the start of the storage
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the storage, checked against it
     */
    public static Batch of(BytePointer pointer, long offset, int rows, int cols, int stride) {
        return new Batch("pointer", PointerStorage.ofBool(pointer), offset, rows, cols, stride);
    }

    /**
     * A packed byte mask from the pointer's position.
     *
     * @param pointer the storage, counted from its position at this call, up to its limit
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the storage, checked against it
     */
    public static Batch of(BytePointer pointer, int rows, int cols) {
        return of(pointer, 0, rows, cols, cols);
    }

    // ---------------------------------------------------------------- owned matrices

    /**
     * The whole float matrix, with its stride; a closed matrix is refused at every call.
     *
     * @param matrix the matrix
     * @return a batch over the storage, checked against it
     */
    public static Batch of(FloatMatrix matrix) {
        Checks.notNull(matrix, "matrix");
        return new Batch("matrix", PointerStorage.ofMatrix(matrix, matrix.pointer(), ElementType.FLOAT32), 0,
                matrix.rows(), matrix.cols(), matrix.stride());
    }

    /**
     * The whole double matrix, with its stride.
     *
     * @param matrix the matrix
     * @return a batch over the storage, checked against it
     */
    public static Batch of(DoubleMatrix matrix) {
        Checks.notNull(matrix, "matrix");
        return new Batch("matrix", PointerStorage.ofMatrix(matrix, matrix.pointer(), ElementType.FLOAT64), 0,
                matrix.rows(), matrix.cols(), matrix.stride());
    }

    // ---------------------------------------------------------------- the layout

    /**
     * The element type.
     *
     * @return the element type of the storage
     */
    public ElementType type() {
        return storage.type();
    }

    /**
     * The number of rows.
     *
     * @return rows, &ge; 0
     */
    public int rows() {
        return rows;
    }

    /**
     * Elements per row.
     *
     * @return cols, &ge; 0
     */
    public int cols() {
        return cols;
    }

    /**
     * Elements from the start of one row to the start of the next, &ge; {@link #cols()}.
     *
     * @return the stride, &ge; {@link #cols()}
     */
    public int stride() {
        return stride;
    }

    /**
     * The index of element (0, 0) in the storage (from a buffer's or pointer's position).
     *
     * @return the index of element (0, 0)
     */
    public long offset() {
        return offset;
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) of this batch: the same storage,
     * no copy.
     *
     * @param from the first row, inclusive
     * @param to the end row, exclusive
     * @return a batch over the same storage
     * @throws IndexOutOfBoundsException unless 0 &le; from &le; to &le; rows()
     */
    public Batch slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        // An empty slice keeps the offset: past the last row there may be less than a stride.
        long start = from == to ? offset : offset + (long) from * stride;
        return new Batch("slice", storage, start, to - from, cols, stride);
    }

    @Override
    public String toString() {
        return "Batch[" + type() + " " + rows + "×" + cols + (stride != cols ? ", stride " + stride : "")
                + (offset != 0 ? ", offset " + offset : "") + ", " + storage.kind() + "]";
    }
}
