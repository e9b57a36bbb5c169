package org.softmax4j;

import java.lang.foreign.MemorySegment;

import org.softmax4j.backend.Checks;
import org.softmax4j.storage.SegmentStorage;

/**
 * {@link Batch}es over {@link MemorySegment}s (JDK 22 and later; this class exists only in the
 * jar's {@code META-INF/versions/22}, so code compiled at release 21 or below cannot name it).
 * The segment holds elements of the given {@link ElementType} in native byte order; offsets and
 * strides count elements, from byte 0 of the segment. {@link ElementType#BFLOAT16} and
 * {@link ElementType#FLOAT16} elements are 16-bit patterns.
 *
 * <ul>
 *   <li>A native segment (from an {@code Arena}, a mapped file, {@code MemorySegment.ofBuffer} of a
 *       direct buffer) is used in place; its address must be a multiple of the element size. Its
 *       arena must be alive, and a confined one owned by the calling thread, at every call
 *       ({@link IllegalStateException} otherwise): nothing is touched once it is closed. Do not
 *       close a shared arena while a call uses its segments.
 *   <li>A heap segment ({@code MemorySegment.ofArray}) is reached without a copy: the native
 *       kernel pins its array for the call, as it does a heap array. Its array's elements must be
 *       at least as wide as the element type (a {@code float[]} for float32, not a {@code byte[]}),
 *       so that every element is aligned. A read-only heap segment does not give its array and is
 *       refused ({@link IllegalArgumentException}); a read-only native segment is a valid input.
 * </ul>
 */
public final class Segments {
    private Segments() {}

    /**
     * {@code rows} packed rows of {@code cols} elements of {@code type} from byte 0.
     *
     * @param segment the storage, native or heap, not copied
     * @param type the element type the segment holds
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @return a batch over the segment, checked against it
     * @throws NullPointerException if segment or type is null
     * @throws IndexOutOfBoundsException if the rows do not fit in the segment
     * @throws IllegalArgumentException for a negative size, a misaligned native segment, or a
     *     heap segment that cannot be pinned as this type
     * @throws IllegalStateException if the segment's arena is closed
     */
    public static Batch of(MemorySegment segment, ElementType type, int rows, int cols) {
        return of(segment, type, 0, rows, cols, cols);
    }

    /**
     * {@code rows} rows of {@code cols} elements of {@code type}, {@code stride} elements apart,
     * from element {@code offset}.
     *
     * @param segment the storage, native or heap, not copied
     * @param type the element type the segment holds
     * @param offset where element (0, 0) is, counted in elements from byte 0 of the segment
     * @param rows the number of rows, &ge; 0
     * @param cols elements per row, &ge; 0
     * @param stride elements from the start of one row to the start of the next, &ge; {@code cols}
     * @return a batch over the segment, checked against it
     * @throws NullPointerException if segment or type is null
     * @throws IndexOutOfBoundsException if an offset or the last row lies outside the segment
     * @throws IllegalArgumentException for a negative size, a stride below cols, a misaligned
     *     native segment, or a heap segment that cannot be pinned as this type
     * @throws IllegalStateException if the segment's arena is closed
     */
    public static Batch of(MemorySegment segment, ElementType type, long offset, int rows, int cols, int stride) {
        Checks.notNull(segment, "segment");
        Checks.notNull(type, "type");
        return new Batch("segment", SegmentStorage.of(segment, type), offset, rows, cols, stride);
    }
}
