package org.softmax4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Where one operand's rows are: any storage the library takes, the index of the first element,
 * and the distance between rows. A batch is a view that records these and nothing else; the
 * operation that receives it checks them against its sizes, when it is called, so a view may be
 * made once and reused while its storage changes.
 *
 * <p>Row {@code r} of an operand starts at element {@code offset + r * stride}. Each operation
 * states its operands' widths: {@code n} for a row of logits, {@code n·n} for a Jacobian,
 * {@code n·k} for a matrix of tangents, 1 for one value per row. A batch made without a stride
 * is <em>dense</em>: its stride is that width, rows packed one after another.
 *
 * <ul>
 *   <li>Heap arrays: element {@code i} is {@code array[i]}.
 *   <li>Buffers: counted from their position ({@code buffer.get(buffer.position() + i)}) to
 *       their limit, which stay unchanged. Direct buffers must be in native byte order and are
 *       used in place; heap buffers through their array.
 *   <li>JavaCPP pointers: counted from their position to their limit, as {@code get(i)} does.
 *   <li>{@link FloatMatrix}/{@link DoubleMatrix}: the whole matrix, with its own stride; it must
 *       have exactly the operand's rows and width as its shape.
 * </ul>
 * All operands of one call hold the same element type, and are all on the heap (arrays, heap
 * buffers) or all off-heap (direct buffers, pointers, matrices): the native library pins heap
 * arrays for a call and cannot mix them with native memory.
 */
public final class Batch {
    private final Object data;
    private final long offset;
    private final int stride;
    private final boolean dense;

    private Batch(Object data, long offset, int stride, boolean dense) {
        this.data = data;
        this.offset = offset;
        this.stride = stride;
        this.dense = dense;
    }

    private static Batch dense(Object data) {
        return new Batch(Objects.requireNonNull(data, "data"), 0, 0, true);
    }

    private static Batch strided(Object data, long offset, int stride) {
        return new Batch(Objects.requireNonNull(data, "data"), offset, stride, false);
    }

    /** Dense rows from the start of the array. */
    public static Batch of(float[] data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from index {@code offset} of the array. */
    public static Batch of(float[] data, int offset, int stride) {
        return strided(data, offset, stride);
    }

    /** Dense rows from the start of the array. */
    public static Batch of(double[] data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from index {@code offset} of the array. */
    public static Batch of(double[] data, int offset, int stride) {
        return strided(data, offset, stride);
    }

    /** Dense rows from the buffer's position. */
    public static Batch of(FloatBuffer data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from {@code offset} elements after the buffer's position. */
    public static Batch of(FloatBuffer data, int offset, int stride) {
        return strided(data, offset, stride);
    }

    /** Dense rows from the buffer's position. */
    public static Batch of(DoubleBuffer data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from {@code offset} elements after the buffer's position. */
    public static Batch of(DoubleBuffer data, int offset, int stride) {
        return strided(data, offset, stride);
    }

    /** Dense rows from the pointer's position. */
    public static Batch of(FloatPointer data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from {@code offset} elements after the pointer's position. */
    public static Batch of(FloatPointer data, long offset, int stride) {
        return strided(data, offset, stride);
    }

    /** Dense rows from the pointer's position. */
    public static Batch of(DoublePointer data) {
        return dense(data);
    }

    /** Rows {@code stride} apart from {@code offset} elements after the pointer's position. */
    public static Batch of(DoublePointer data, long offset, int stride) {
        return strided(data, offset, stride);
    }

    /** The matrix's rows, with its stride; its shape must be the operand's rows × width. */
    public static Batch of(FloatMatrix data) {
        return strided(data, 0, 0);
    }

    /** The matrix's rows, with its stride; its shape must be the operand's rows × width. */
    public static Batch of(DoubleMatrix data) {
        return strided(data, 0, 0);
    }

    Object data() {
        return data;
    }

    long offset() {
        return offset;
    }

    /** The stride given, or for a dense batch the operand's width. */
    long stride(long width) {
        return dense ? width : stride;
    }

    @Override
    public String toString() {
        String kind = data.getClass().getSimpleName();
        if (data instanceof OffHeapMatrix) return "Batch[" + data + "]";
        return dense ? "Batch[" + kind + ", dense]"
                : "Batch[" + kind + ", offset " + offset + ", stride " + stride + "]";
    }
}
