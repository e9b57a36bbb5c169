package org.softmax4j;

/**
 * The element type of a {@link Batch}: how many bytes one element takes and how it is read. Every
 * operation states the types its operands take; today the data of an operation (logits,
 * probabilities, tangents, outputs) is all {@link #FLOAT32} or all {@link #FLOAT64}, masks are
 * {@link #BOOL} and labels {@link #INT32}.
 */
public enum ElementType {
    /** IEEE 754 binary32, Java {@code float}. */
    FLOAT32(4, 1),
    /** IEEE 754 binary64, Java {@code double}. */
    FLOAT64(8, 2),
    /** One byte per element: 0 is false, anything else true ({@code boolean[]} on the heap). */
    BOOL(1, 5),
    /** A 32-bit signed integer, Java {@code int}. */
    INT32(4, 6);

    private final int bytes;
    private final int code;

    ElementType(int bytes, int code) {
        this.bytes = bytes;
        this.code = code;
    }

    /**
     * Bytes per element.
     *
     * @return 1, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The value of {@code enum sm4j_dtype} in the C API ({@code native/include/softmax4j.h}).
     *
     * @return the C code
     */
    public int code() {
        return code;
    }

    /**
     * True for the floating-point types, which hold an operation's data.
     *
     * @return true for FLOAT32 and FLOAT64
     */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** Lower case, as NumPy names it: {@code float32}, {@code float64}, {@code bool}, {@code int32}. */
    @Override
    public String toString() {
        return this == BOOL ? "bool" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
