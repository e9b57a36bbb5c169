package org.softmax4j.backend;

import java.nio.Buffer;
import java.nio.ByteOrder;

import org.bytedeco.javacpp.Pointer;
import org.softmax4j.OffHeapMatrix;

/**
 * Every argument rule of the library, in one place. The public methods of
 * {@link org.softmax4j.Softmax} and of the regression package call these before any kernel runs,
 * so a kernel (and the native code behind it, which JavaCPP checks for NULL only) never sees an
 * extent that leaves the caller's buffer. Public for those packages only; not part of the API.
 *
 * <p>Sizes are handled as {@code long}, so that {@code offset + (rows - 1) * ld + n} cannot
 * overflow for any {@code int} inputs.
 */
public final class Checks {
    private Checks() {}

    /** The inverse temperature 1/τ of a valid temperature τ. */
    public static double inverseTemperature(double temperature) {
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
    public static void operands(RowOp op, int rows, int n, long xLength, long xOffset, int ldx,
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
    public static void overlap(RowOp op, int rows, int n, long xStart, int ldx, long yStart, int ldy,
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
    public static void shapes(RowOp op, OffHeapMatrix x, OffHeapMatrix y) {
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
    public static void usable(String yName, Buffer x, ByteOrder xOrder, Buffer y, ByteOrder yOrder) {
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
    public static long available(String name, Pointer p) {
        if (p.isNull()) throw new NullPointerException(name + " points to address 0");
        return Math.max(0, p.limit() - p.position());
    }

    /** The address of element {@code index} of a pointer's view, for elements of {@code bytes}. */
    public static long address(Pointer p, long index, int bytes) {
        return p.address() + (p.position() + index) * bytes;
    }

    /** {@code count} consecutive elements from {@code offset} of a region of {@code length}. */
    public static void extent(String name, long length, long offset, long count) {
        if (offset < 0 || offset > length) {
            throw new IndexOutOfBoundsException(
                    name + "Offset " + offset + " is outside " + name + " (length " + length + ")");
        }
        if (count > length - offset) {
            throw new IndexOutOfBoundsException(name + " needs " + count + " elements from offset "
                    + offset + " but has only " + (length - offset));
        }
    }

    // ---------------------------------------------------------------- the general operations
    // The rules of the operations that take Batch operands and a Scale (see Invocation). Widths
    // are longs: a Jacobian row holds n·n elements, more than an int for n > 46340.

    /** An inverse temperature: any number but NaN (±∞ are the one-hot limits). */
    public static void alpha(double alpha) {
        if (Double.isNaN(alpha)) throw new IllegalArgumentException("alpha must not be NaN");
    }

    /** Sizes of a batch. */
    public static void sizes(int rows, int n) {
        nonNegative("rows", rows);
        nonNegative("n", n);
    }

    public static void nonNegative(String name, int value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    public static void pinnedIndex(int index) {
        if (index < 0) throw new IllegalArgumentException("gauge index must be >= 0, got " + index);
    }

    /** The pinned index must name an entry of a non-empty row. */
    public static void pinnedWithin(int index, int n) {
        if (n > 0 && index >= n) {
            throw new IllegalArgumentException("gauge index must be < n (" + n + "), got " + index);
        }
    }

    public static void gaugeValue(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("gauge value must be finite, got " + value);
        }
    }

    /** Exponents of a product: finite (±∞ would turn log 1 = 0 into NaN). */
    public static void weights(double[] weights) {
        for (int i = 0; i < weights.length; i++) {
            if (!Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weights[" + i + "] must be finite, got " + weights[i]);
            }
        }
    }

    /** Inversion divides by α: it must not be 0, nor round to 0 in the element type. */
    public static void invertible(double alpha, boolean f32) {
        if (alpha == 0) {
            throw new IllegalArgumentException(
                    "alpha must not be 0 to invert: S(0·x) is uniform whatever x is");
        }
        if (f32 && (float) alpha == 0) {
            throw new IllegalArgumentException("alpha " + alpha + " rounds to 0 in float");
        }
    }

    /** Every operand of a call holds the first one's element type and lives where it does. */
    public static void sameKind(String name, boolean isFloat, boolean onHeap, String first,
            boolean firstIsFloat, boolean firstOnHeap) {
        if (isFloat != firstIsFloat) {
            throw new IllegalArgumentException(name + " holds " + (isFloat ? "floats" : "doubles")
                    + " but " + first + " holds " + (firstIsFloat ? "floats" : "doubles"));
        }
        if (onHeap != firstOnHeap) {
            throw new IllegalArgumentException(name + " and " + first + " must both be on the heap "
                    + "(arrays, heap buffers) or both off it (direct buffers, pointers, matrices)");
        }
    }

    /** A boolean[] mask goes with heap data; a direct ByteBuffer or a BytePointer with the rest. */
    public static void maskFamily(Object mask, boolean heap) {
        if (mask instanceof java.nio.ByteBuffer b && !b.isDirect()) {
            throw new IllegalArgumentException(
                    "mask must be a direct ByteBuffer (use a boolean[] mask with heap data)");
        }
        boolean heapMask = mask instanceof boolean[];
        if (heapMask != heap) {
            throw new IllegalArgumentException(heap
                    ? "mask must be a boolean[] for data on the heap"
                    : "mask must be a direct ByteBuffer or a BytePointer for data off the heap");
        }
    }

    /** One buffer operand: usable in place (direct, native order) or through its array. */
    public static void buffer(String name, Buffer b, ByteOrder order, boolean output) {
        if (output && b.isReadOnly()) throw new IllegalArgumentException(name + " is read-only");
        if (!b.isDirect() && !b.hasArray()) {
            throw new IllegalArgumentException(
                    name + " must be a direct buffer or have an accessible array");
        }
        if (b.isDirect() && order != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(name + " must be in native byte order");
        }
    }

    /** A matrix operand is exactly rows × width. */
    public static void matrixShape(String name, OffHeapMatrix m, int rows, long width) {
        if (m.rows() != rows || m.cols() != width) {
            throw new IllegalArgumentException(name + " must be " + rows + "×" + width + ", got "
                    + m.shape());
        }
    }

    public static void stride(String name, long ld, long width) {
        if (ld < width) {
            throw new IllegalArgumentException(
                    name + " stride must be >= its width (" + width + "), got " + ld);
        }
    }

    /**
     * Elements from the first to one past the last of {@code rows} rows of {@code width},
     * {@code ld} apart; {@link Long#MAX_VALUE} if that does not fit in a long (no buffer is so
     * large, so the extent check then fails as it should, instead of wrapping around).
     */
    public static long span(int rows, long width, long ld) {
        if (rows == 0 || width == 0) return 0;
        try {
            return Math.addExact(Math.multiplyExact((long) rows - 1, ld), width);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Where an operand lies, for the overlap checks: {@code start} is an index into the array
     * {@code identity} (unit 1), or for native memory ({@code identity} null) an address with
     * {@code unit} bytes per element.
     */
    public record Region(Object identity, long start, long ld, long width, int unit) {
        public long end(int rows) {
            long span = span(rows, width, ld);
            return span == 0 ? start : start + span * unit;
        }

        public boolean intersects(Region o, int rows) {
            if (identity != o.identity) return false;  // two arrays, or an array and memory
            long end = end(rows);
            long oEnd = o.end(rows);
            if (end == start || oEnd == o.start) return false;  // nothing in one of them
            return start < oEnd && o.start < end;
        }
    }

    /**
     * An output may be disjoint from an input, or be exactly the same region (same start, stride
     * and width: in place); a partial overlap would overwrite a row before it is read.
     */
    public static void disjointOrSame(String outName, Region out, String inName, Region in, int rows) {
        if (!out.intersects(in, rows)) return;
        if (out.start == in.start && out.ld == in.ld && out.width == in.width && out.unit == in.unit) return;
        throw new IllegalArgumentException(outName + " overlaps " + inName + " but is not the same "
                + "region: in place needs the same start, stride and width");
    }

    /** The output and the mask share no byte. */
    public static void disjoint(String outName, Region out, String maskName, Region mask, int rows) {
        if (out.intersects(mask, rows)) {
            throw new IllegalArgumentException(outName + " overlaps " + maskName);
        }
    }
}
