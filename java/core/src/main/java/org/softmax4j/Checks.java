package org.softmax4j;

import java.nio.Buffer;
import java.nio.ByteOrder;

import org.bytedeco.javacpp.Pointer;
import org.softmax4j.backend.RowOp;

/**
 * Every argument rule of the library, in one place. The public methods of {@link Softmax} call
 * these before any kernel runs, so a kernel (and the native code behind it, which JavaCPP checks
 * for NULL only) never sees an extent that leaves the caller's buffer.
 *
 * <p>Sizes are handled as {@code long}, so that {@code offset + (rows - 1) * ld + n} cannot
 * overflow for any {@code int} inputs.
 */
final class Checks {
    private Checks() {}

    /** The inverse temperature 1/τ of a valid temperature τ. */
    static double inverseTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be finite and > 0, got " + temperature);
        }
        return 1.0 / temperature;
    }

    /**
     * The shape and both extents of a row operation: x is {@code rows × n} with stride
     * {@code ldx}; y is laid out like x, or for a reducing operation holds {@code rows} values
     * {@code ldy} apart. Lengths count from the region's start (a buffer's position).
     */
    static void operands(RowOp op, int rows, int n, long xLength, long xOffset, int ldx,
            long yLength, long yOffset, int ldy) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        if (ldx < n) throw new IllegalArgumentException("ldx must be >= n (" + n + "), got " + ldx);
        extent("x", xLength, xOffset, span(rows, n, ldx));
        if (op.reduces()) {
            if (ldy < 1) throw new IllegalArgumentException("out stride must be >= 1, got " + ldy);
            extent("out", yLength, yOffset, span(rows, 1, ldy));
        } else {
            if (ldy < n) throw new IllegalArgumentException("ldy must be >= n (" + n + "), got " + ldy);
            extent("y", yLength, yOffset, span(rows, n, ldy));
        }
    }

    /**
     * Input and output may be the same region (in place, for row-to-row operations) or disjoint;
     * a partial overlap would let a row be overwritten before it is read. Starts are in elements
     * or bytes, alike for both sides, with {@code unit} the size of an element in those units.
     */
    static void overlap(RowOp op, int rows, int n, long xStart, int ldx, long yStart, int ldy,
            int unit) {
        long xEnd = xStart + span(rows, n, ldx) * unit;
        long yEnd = yStart + (op.reduces() ? span(rows, 1, ldy) : span(rows, n, ldy)) * unit;
        boolean disjoint = xEnd <= yStart || yEnd <= xStart;
        if (disjoint) return;
        if (op.reduces()) {
            throw new IllegalArgumentException("out overlaps x");
        }
        if (xStart != yStart || ldx != ldy) {
            throw new IllegalArgumentException("y overlaps x but is not the same region: an "
                    + "in-place call needs the same offset and stride for x and y");
        }
    }

    /** Off-heap matrices: y has x's shape, or is a column of x.rows() for a reducing operation. */
    static void shapes(RowOp op, OffHeapMatrix x, OffHeapMatrix y) {
        java.util.Objects.requireNonNull(x, "x");
        java.util.Objects.requireNonNull(y, op.reduces() ? "out" : "y");
        if (op.reduces()) {
            if (y.rows() != x.rows() || y.cols() != 1) {
                throw new IllegalArgumentException("out must be " + x.rows() + "×1 for x of "
                        + x.shape() + ", got " + y.shape());
            }
        } else if (y.rows() != x.rows() || y.cols() != x.cols()) {
            throw new IllegalArgumentException(
                    "y must have the shape of x (" + x.shape() + "), got " + y.shape());
        }
    }

    /**
     * A buffer is used in place (direct, native byte order) or through its array (heap). A
     * read-only heap buffer offers neither, and one native call cannot take a direct buffer and a
     * heap one together.
     */
    static void usable(String yName, Buffer x, ByteOrder xOrder, Buffer y, ByteOrder yOrder) {
        if (y.isReadOnly()) throw new IllegalArgumentException(yName + " is read-only");
        if (!x.isDirect() && !x.hasArray()) {
            throw new IllegalArgumentException(
                    "x must be a direct buffer or have an accessible array");
        }
        if (x.isDirect() != y.isDirect()) {
            throw new IllegalArgumentException(
                    "x and " + yName + " must both be direct or both heap buffers");
        }
        if (x.isDirect() && xOrder != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("x must be in native byte order");
        }
        if (y.isDirect() && yOrder != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(yName + " must be in native byte order");
        }
    }

    /** Elements available from a pointer's position to its limit. */
    static long available(String name, Pointer p) {
        if (p.isNull()) throw new NullPointerException(name + " points to address 0");
        return Math.max(0, p.limit() - p.position());
    }

    /** The address of element {@code index} of a pointer's view, for elements of {@code bytes}. */
    static long address(Pointer p, long index, int bytes) {
        return p.address() + (p.position() + index) * bytes;
    }

    /** Elements from the first to one past the last of {@code rows × n} with stride {@code ld}. */
    private static long span(int rows, int n, int ld) {
        return rows == 0 || n == 0 ? 0 : (long) (rows - 1) * ld + n;
    }

    /** {@code count} consecutive elements from {@code offset} of a region of {@code length}. */
    private static void extent(String name, long length, long offset, long count) {
        if (offset < 0 || offset > length) {
            throw new IndexOutOfBoundsException(
                    name + "Offset " + offset + " is outside " + name + " (length " + length + ")");
        }
        if (count > length - offset) {
            throw new IndexOutOfBoundsException(name + " needs " + count + " elements from offset "
                    + offset + " but has only " + (length - offset));
        }
    }
}
