package org.softmax4j.regression;

import java.nio.Buffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.bytedeco.javacpp.Pointer;
import org.softmax4j.backend.Checks;

/**
 * Every argument rule of the regression package, in one place, built on the core's
 * {@link Checks} (the rules the two share are stated there once). The public methods of
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
        return Checks.inverseTemperature(temperature);
    }

    static void rows(int rows) {
        if (rows < 0) throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }

    /** x: rows × d with stride ldx, from xOffset of a region of xLength elements. */
    static void input(int rows, int d, long xLength, long xOffset, int ldx) {
        rows(rows);
        if (ldx < d) throw new IllegalArgumentException("ldx must be >= the features (" + d + "), got " + ldx);
        Checks.extent("x", xLength, xOffset, Checks.span(rows, d, ldx));
    }

    /** y: rows × k with stride ldy. */
    static void output(int rows, int k, long yLength, long yOffset, int ldy) {
        if (ldy < k) throw new IllegalArgumentException("ldy must be >= the classes (" + k + "), got " + ldy);
        Checks.extent("y", yLength, yOffset, Checks.span(rows, k, ldy));
    }

    /** x and y given as arrays or buffers must not share storage: the GEMM cannot run in place. */
    static void disjoint(Operand x, long xo, int ldx, int rows, int d, Operand y, long yo, int ldy, int k) {
        if (region(y, yo, ldy, k).intersects(region(x, xo, ldx, d), rows)) {
            throw new IllegalArgumentException("y overlaps x");
        }
    }

    /** Where an operand's rows lie: an index into its array, or an address in native memory. */
    private static Checks.Region region(Operand o, long offset, int ld, int width) {
        if (o.identity() != null) return new Checks.Region(o.identity(), o.base() + offset, ld, width, 1);
        return new Checks.Region(null, o.address(offset), ld, width, o.single() ? Float.BYTES : Double.BYTES);
    }

    /** Buffers: direct ones in native order, or heap ones with an array; y writable; not mixed. */
    static void usable(Buffer x, ByteOrder xOrder, Buffer y, ByteOrder yOrder) {
        Checks.usable("y", x, xOrder, y, yOrder);
    }

    /** A direct or heap buffer of the input alone (for predict). */
    static void usableInput(Buffer x, ByteOrder xOrder) {
        Checks.buffer("x", x, xOrder, false);
    }

    static void notNullPointer(String name, Pointer p) {
        Objects.requireNonNull(p, name);
        Checks.available(name, p);
    }

    /** labels: rows values from labelsOffset, each in [0, classes). */
    static void labels(int rows, int[] labels, int labelsOffset, int classes) {
        Objects.requireNonNull(labels, "labels");
        Checks.extent("labels", labels.length, labelsOffset, rows);
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
        Checks.extent("labels", labels.length, labelsOffset, rows);
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
}
