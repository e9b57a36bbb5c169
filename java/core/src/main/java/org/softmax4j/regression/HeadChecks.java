package org.softmax4j.regression;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.bytedeco.javacpp.Pointer;

/**
 * Every argument rule of the regression package, in one place. The public methods of
 * {@link SoftmaxClassifier} and {@link SoftmaxRegression} call these before anything is computed,
 * so that the native code (which JavaCPP checks for NULL only) never sees an extent outside the
 * caller's buffers. The rules and messages follow those of {@code org.softmax4j.Softmax}:
 * {@link NullPointerException} for a null argument, {@link IndexOutOfBoundsException} for an
 * offset or extent outside a buffer, {@link IllegalArgumentException} for a bad size, stride,
 * temperature, label, weight or an unusable buffer, and the message names the argument.
 *
 * <p>Sizes are handled as {@code long}, so that {@code offset + (rows - 1) * ld + n} cannot
 * overflow.
 */
final class HeadChecks {
    private HeadChecks() {}

    /** The inverse temperature 1/τ of a valid temperature τ. */
    static double inverseTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        return 1.0 / temperature;
    }

    static void rows(int rows) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }

    /** x: rows × d with stride ldx, from xOffset of a region of xLength elements. */
    static void input(int rows, int d, long xLength, long xOffset, int ldx) {
        rows(rows);
        if (ldx < d) throw new IllegalArgumentException("ldx must be >= the features (" + d + "), got " + ldx);
        extent("x", xLength, xOffset, span(rows, d, ldx));
    }

    /** y: rows × k with stride ldy. */
    static void output(int rows, int k, long yLength, long yOffset, int ldy) {
        if (ldy < k) throw new IllegalArgumentException("ldy must be >= the classes (" + k + "), got " + ldy);
        extent("y", yLength, yOffset, span(rows, k, ldy));
    }

    /** x and y given as arrays or buffers must not share storage: the GEMM cannot run in place. */
    static void disjoint(Operand x, long xo, int ldx, int rows, int d, Operand y, long yo, int ldy, int k) {
        long xStart;
        long yStart;
        int unit;
        if (x.identity() == null) {
            unit = x.single() ? Float.BYTES : Double.BYTES;
            xStart = x.address(xo);
            yStart = y.address(yo);
        } else if (x.identity() == y.identity()) {
            unit = 1;
            xStart = x.base() + xo;
            yStart = y.base() + yo;
        } else {
            return;
        }
        long xEnd = xStart + span(rows, d, ldx) * unit;
        long yEnd = yStart + span(rows, k, ldy) * unit;
        if (xStart < yEnd && yStart < xEnd) throw new IllegalArgumentException("y overlaps x");
    }

    /** Buffers: direct ones in native order, or heap ones with an array; y writable; not mixed. */
    static void usable(Buffer x, ByteOrder xOrder, Buffer y, ByteOrder yOrder) {
        if (y.isReadOnly()) throw new IllegalArgumentException("y is read-only");
        if (!x.isDirect() && !x.hasArray()) {
            throw new IllegalArgumentException("x must be a direct buffer or have an accessible array");
        }
        if (x.isDirect() != y.isDirect()) {
            throw new IllegalArgumentException("x and y must both be direct or both heap buffers");
        }
        if (x.isDirect() && xOrder != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("x must be in native byte order");
        }
        if (y.isDirect() && yOrder != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("y must be in native byte order");
        }
    }

    /** A direct or heap buffer of the input alone (for predict). */
    static void usableInput(Buffer x, ByteOrder xOrder) {
        if (!x.isDirect() && !x.hasArray()) {
            throw new IllegalArgumentException("x must be a direct buffer or have an accessible array");
        }
        if (x.isDirect() && xOrder != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("x must be in native byte order");
        }
    }

    static void notNullPointer(String name, Pointer p) {
        Objects.requireNonNull(p, name);
        if (p.isNull()) throw new NullPointerException(name + " points to address 0");
    }

    /** labels: rows values from labelsOffset, each in [0, classes). */
    static void labels(int rows, int[] labels, int labelsOffset, int classes) {
        Objects.requireNonNull(labels, "labels");
        extent("labels", labels.length, labelsOffset, rows);
        for (int r = 0; r < rows; r++) {
            int y = labels[labelsOffset + r];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("labels[" + (labelsOffset + r) + "] = " + y
                        + " is not a class in [0, " + classes + ")");
            }
        }
    }

    /** An output of one label per row. */
    static void labelOutput(int rows, int[] labels, int labelsOffset) {
        Objects.requireNonNull(labels, "labels");
        extent("labels", labels.length, labelsOffset, rows);
    }

    /** The shape and values of a model. */
    static void model(int classes, int features, double[] weights, double[] bias) {
        if (classes < 1) throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        if (features < 0) throw new IllegalArgumentException("features must be >= 0, got " + features);
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        if (weights.length != (long) classes * features) {
            throw new IllegalArgumentException("weights must hold classes × features = " + classes + " × "
                    + features + " values, got " + weights.length);
        }
        if (bias.length != classes) {
            throw new IllegalArgumentException("bias must hold " + classes + " values, got " + bias.length);
        }
        finite("weights", weights);
        finite("bias", bias);
    }

    static void finite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
    }

    /** An off-heap input matrix: rows × features. */
    static void matrix(org.softmax4j.OffHeapMatrix x, int features) {
        Objects.requireNonNull(x, "x");
        if (x.cols() != features) {
            throw new IllegalArgumentException("x must have " + features + " columns (the features), got " + x.shape());
        }
    }

    /**
     * Off-heap matrices: x is rows × features and y rows × classes. Checks only shapes; the
     * pointers are checked as pointers afterwards.
     */
    static void matrices(org.softmax4j.OffHeapMatrix x, org.softmax4j.OffHeapMatrix y, int features,
            int classes) {
        matrix(x, features);
        Objects.requireNonNull(y, "y");
        if (y.rows() != x.rows() || y.cols() != classes) {
            throw new IllegalArgumentException("y must be " + x.rows() + "×" + classes + " for x of "
                    + x.shape() + ", got " + y.shape());
        }
    }

    /** Elements from the first to one past the last of {@code rows × n} with stride {@code ld}. */
    static long span(int rows, int n, int ld) {
        return rows == 0 || n == 0 ? 0 : (long) (rows - 1) * ld + n;
    }

    /** {@code count} consecutive elements from {@code offset} of a region of {@code length}. */
    static void extent(String name, long length, long offset, long count) {
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
