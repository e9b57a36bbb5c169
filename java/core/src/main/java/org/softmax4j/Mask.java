package org.softmax4j;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.bytedeco.javacpp.BytePointer;

/**
 * Which entries of each row take part in a masked operation: {@code true} (or a non-zero byte)
 * keeps an entry, {@code false} (a zero byte) masks it out. Laid out like a {@link Batch} of
 * width n: row {@code r}'s flags start at element {@code offset + r * stride}, dense rows if no
 * stride is given.
 *
 * <ul>
 *   <li>{@code boolean[]}, for data on the heap (arrays, heap buffers).
 *   <li>A direct {@link ByteBuffer} (counted from its position) or a {@link BytePointer}, one
 *       byte per entry, 0 or 1, for data off the heap (direct buffers, pointers, matrices).
 * </ul>
 */
public final class Mask {
    private final Object data;
    private final long offset;
    private final int stride;
    private final boolean dense;

    private Mask(Object data, long offset, int stride, boolean dense) {
        this.data = Objects.requireNonNull(data, "data");
        this.offset = offset;
        this.stride = stride;
        this.dense = dense;
    }

    /** Dense rows of n flags from the start of the array. */
    public static Mask of(boolean[] keep) {
        return new Mask(keep, 0, 0, true);
    }

    /** Rows {@code stride} apart from index {@code offset}. */
    public static Mask of(boolean[] keep, int offset, int stride) {
        return new Mask(keep, offset, stride, false);
    }

    /** Dense rows of n bytes from the buffer's position; the buffer must be direct. */
    public static Mask of(ByteBuffer keep) {
        return new Mask(keep, 0, 0, true);
    }

    /** Rows {@code stride} apart from {@code offset} bytes after the buffer's position. */
    public static Mask of(ByteBuffer keep, int offset, int stride) {
        return new Mask(keep, offset, stride, false);
    }

    /** Dense rows of n bytes from the pointer's position. */
    public static Mask of(BytePointer keep) {
        return new Mask(keep, 0, 0, true);
    }

    /** Rows {@code stride} apart from {@code offset} bytes after the pointer's position. */
    public static Mask of(BytePointer keep, long offset, int stride) {
        return new Mask(keep, offset, stride, false);
    }

    Object data() {
        return data;
    }

    long offset() {
        return offset;
    }

    long stride(long width) {
        return dense ? width : stride;
    }

    @Override
    public String toString() {
        return dense ? "Mask[" + data.getClass().getSimpleName() + ", dense]"
                : "Mask[" + data.getClass().getSimpleName() + ", offset " + offset + ", stride " + stride + "]";
    }
}
