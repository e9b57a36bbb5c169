package org.softmax4j.backend;

import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.storage.Storage;

/**
 * Every argument rule of the library and its one message. {@link Batch}'s factories, the
 * {@link Route} and the regression package call these before anything is computed, so that a
 * kernel (and the native code behind it, which trusts its caller) never sees an extent outside
 * the caller's storage. Public for those packages only; not part of the API.
 *
 * <p>Exceptions: {@link NullPointerException} for a missing argument, {@link
 * IndexOutOfBoundsException} for an offset or extent outside the storage, {@link
 * IllegalArgumentException} for a bad size, stride, shape, element type, scale, overlap or value,
 * {@link IllegalStateException} for memory that is gone. Messages name the argument. Sizes are
 * handled as {@code long}, so that {@code offset + (rows - 1) * stride + cols} cannot overflow.
 */
public final class Checks {
    private Checks() {}

    // ---------------------------------------------------------------- arguments

    /** The element type of 16-bit storage: BFLOAT16 or FLOAT16. */
    public static ElementType halfType(ElementType type) {
        notNull(type, "type");
        if (!type.isHalf()) {
            throw new IllegalArgumentException("type must be bfloat16 or float16 for 16-bit storage, got " + type);
        }
        return type;
    }

    /** A required argument. */
    public static <T> T notNull(T value, String name) {
        if (value == null) throw new NullPointerException(name + " must not be null");
        return value;
    }

    public static void nonNegative(String name, long value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    /** A count that must be at least 1. */
    public static void positive(String name, long value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }

    /** Every value finite; {@code name[i]} in the message. */
    public static void finite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] must be finite, got " + values[i]);
            }
        }
    }

    // ---------------------------------------------------------------- the scale

    /** The inverse temperature 1/τ of a valid temperature τ. */
    public static double inverseTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        return 1.0 / temperature;
    }

    /** An inverse temperature: any number but NaN (±∞ are the one-hot limits). */
    public static void alpha(double alpha) {
        if (Double.isNaN(alpha)) throw new IllegalArgumentException("alpha must not be NaN");
    }

    /** Inversion divides by α: it must not be 0, nor round to 0 in the element type. */
    public static void invertible(double alpha, ElementType type) {
        if (alpha == 0) {
            throw new IllegalArgumentException("alpha must not be 0 to invert: S(0·x) is uniform whatever x is");
        }
        if (type == ElementType.FLOAT32 && (float) alpha == 0) {
            throw new IllegalArgumentException("alpha " + alpha + " rounds to 0 in float");
        }
    }

    // ---------------------------------------------------------------- operation parameters

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
        if (!Double.isFinite(value)) throw new IllegalArgumentException("gauge value must be finite, got " + value);
    }

    /** Labels: one per row from index 0, each a class in [0, classes). */
    public static void labels(int[] labels, int rows, int classes) {
        notNull(labels, "labels");
        if (labels.length < rows) {
            throw new IndexOutOfBoundsException("labels needs " + rows + " elements (one per row) but has only "
                    + labels.length);
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= classes) {
                throw new IllegalArgumentException("labels[" + r + "] = " + labels[r] + " is not a class in [0, "
                        + classes + ")");
            }
        }
    }

    // ---------------------------------------------------------------- inference

    /** The largest step of the sampler: steps travel as doubles, exact up to 2^53. */
    public static final long MAX_STEP = (1L << 53) - 1;

    /** A sampler's step: in [0, 2^53). */
    public static void step(long step) {
        if (step < 0 || step > MAX_STEP) {
            throw new IllegalArgumentException("step must be in [0, 2^53), got " + step);
        }
    }

    /** The attention scale: finite. */
    public static void attentionScale(double scale) {
        if (!Double.isFinite(scale)) throw new IllegalArgumentException("scale must be finite, got " + scale);
    }

    /** Logits of a sampler's vocabulary. */
    public static void vocabulary(String name, Batch logits, int vocabularySize) {
        if (logits.cols() != vocabularySize) {
            throw new IllegalArgumentException(name + " must have " + vocabularySize
                    + " columns (the sampler's vocabulary), got " + logits.cols());
        }
    }

    /**
     * Token ids (an INT32 batch): each in [−1, n), −1 being padding or "no token". Run after the
     * route's layout checks would be too late for the native kernel, which reads x[id]: so the
     * callers check the type and liveness here first.
     */
    public static void tokenIds(String name, Batch ids, int n) {
        notNull(ids, name);
        type(name, ids, ElementType.INT32);
        live(name, ids);
        Storage s = Storage.of(ids);
        for (int r = 0; r < ids.rows(); r++) {
            long row = ids.offset() + (long) r * ids.stride();
            for (int c = 0; c < ids.cols(); c++) {
                double v = s.get(row + c);
                if (v < -1 || v >= n) {
                    throw new IllegalArgumentException(name + "[" + r + "][" + c + "] = " + (long) v
                            + " is not a token id in [0, " + n + ") or -1");
                }
            }
        }
    }

    // ---------------------------------------------------------------- layout of a batch

    /**
     * A batch's layout against its storage: sizes &ge; 0, stride &ge; cols, the offset inside the
     * storage and the last row ending inside it.
     */
    public static void layout(String name, Storage storage, long offset, int rows, int cols, int stride) {
        nonNegative("rows", rows);
        nonNegative("cols", cols);
        if (stride < cols) {
            throw new IllegalArgumentException("stride must be >= cols (" + cols + "), got " + stride);
        }
        long length = storage.length();
        if (offset < 0 || offset > length) {
            throw new IndexOutOfBoundsException("offset " + offset + " is outside " + name + " (a " + storage.kind()
                    + " of " + length + " elements)");
        }
        long span = span(rows, cols, stride);
        if (span > length - offset) {
            throw new IndexOutOfBoundsException(name + " needs " + span + " elements from offset " + offset
                    + " (" + rows + " rows of " + cols + ", stride " + stride + ") but has only " + (length - offset));
        }
    }

    /**
     * Elements from the first to one past the last of {@code rows} rows of {@code width},
     * {@code ld} apart; {@link Long#MAX_VALUE} if that does not fit in a long (no storage is so
     * large, so the extent check then fails as it should, instead of wrapping around).
     */
    public static long span(long rows, long width, long ld) {
        if (rows == 0 || width == 0) return 0;
        try {
            return Math.addExact(Math.multiplyExact(rows - 1, ld), width);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    // ---------------------------------------------------------------- operands of a call

    /** The memory is still there (a matrix not closed, a pointer not freed). */
    public static void live(String name, Batch b) {
        Storage.of(b).checkLive(name);
    }

    /** An operand has exactly the rows and width the operation needs. */
    public static void shape(String name, Batch b, long rows, long width) {
        if (b.rows() != rows || b.cols() != width) {
            throw new IllegalArgumentException(name + " must be " + rows + "×" + width + ", got " + b.rows() + "×"
                    + b.cols());
        }
    }

    /** An operand of a fixed element type (a mask, labels, float64 extras). */
    public static void type(String name, Batch b, ElementType expected) {
        if (b.type() != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + ", got " + b.type());
        }
    }

    /**
     * The data of a call: the first data operand (an input) sets the type, which must be float32
     * or float64, and every other holds the same; or, for an op that takes half data, bfloat16 or
     * float16, every other input the same and each output that type or float32.
     */
    public static void dataType(String name, Batch b, String first, ElementType firstType) {
        dataType(null, name, b, false, first, firstType);
    }

    /** {@link #dataType(String, Batch, String, ElementType)} for an operand of {@code op}. */
    public static void dataType(Op op, String name, Batch b, boolean output, String first, ElementType firstType) {
        ElementType t = b.type();
        boolean half = op != null && op.takesHalf();
        if (!t.isFloatingPoint() || (t.isHalf() && !half)) {
            throw new IllegalArgumentException(name + " must hold float32 or float64, got " + t
                    + (half ? " (or bfloat16 or float16: " + op.name().toLowerCase(java.util.Locale.ROOT) + " takes those too)" : ""));
        }
        if (firstType == null || t == firstType) return;
        if (output && firstType.isHalf() && t == ElementType.FLOAT32) return;  // half in, float32 out
        throw new IllegalArgumentException(name + " holds " + t + " but " + first + " holds " + firstType
                + (output && firstType.isHalf() ? " (a half-precision input's output is " + firstType + " or float32)" : ""));
    }

    public static void writable(String name, Batch b) {
        if (Storage.of(b).readOnly()) throw new IllegalArgumentException(name + " is read-only");
    }

    /**
     * An output against another operand: disjoint, or (where {@code inPlace} allows) exactly the
     * same region: the same start, stride and width, so that each row is read before it is
     * written. Regions are compared where they can be: the same array, or native addresses.
     */
    public static void overlap(String outName, Batch out, long outRows, long outWidth, String name, Batch other,
            long rows, long width, boolean inPlace) {
        Storage so = Storage.of(out);
        Storage s = Storage.of(other);
        if (so.identity() != s.identity()) return;  // two arrays, or an array and native memory
        int ub = out.type().bytes();
        int b = other.type().bytes();
        long start = so.position() + out.offset() * ub;
        long otherStart = s.position() + other.offset() * b;
        long end = start + span(outRows, outWidth, out.stride()) * ub;
        long otherEnd = otherStart + span(rows, width, other.stride()) * b;
        if (end == start || otherEnd == otherStart || end <= otherStart || otherEnd <= start) return;
        if (!inPlace) throw new IllegalArgumentException(outName + " overlaps " + name);
        if (start != otherStart || out.stride() != other.stride() || outWidth != width || ub != b) {
            throw new IllegalArgumentException(outName + " overlaps " + name + " but is not the same region: in "
                    + "place needs the same start, stride and width");
        }
    }

    // ---------------------------------------------------------------- the regression head

    /** A model: W is classes × features and b 1 × classes, every value finite. */
    public static void model(Batch weights, Batch bias) {
        notNull(weights, "weights");
        notNull(bias, "bias");
        positive("classes", weights.rows());
        dataType("weights", weights, null, null);
        if (bias.rows() != 1 || bias.cols() != weights.rows()) {
            throw new IllegalArgumentException("bias must be 1×" + weights.rows() + " (one per class), got "
                    + bias.rows() + "×" + bias.cols());
        }
        dataType("bias", bias, "weights", weights.type());
        live("weights", weights);
        live("bias", bias);
        finiteValues("weights", weights);
        finiteValues("bias", bias);
    }

    /**
     * combine's weights: present, FLOAT64, live and finite, read only after the type and liveness
     * are known; their shape (1 × k) is the route's.
     */
    public static void weights(Batch weights) {
        notNull(weights, "weights");
        type("weights", weights, ElementType.FLOAT64);
        live("weights", weights);
        finiteValues("weights", weights);
    }

    private static void finiteValues(String name, Batch b) {
        Storage s = Storage.of(b);
        for (int r = 0; r < b.rows(); r++) {
            for (int c = 0; c < b.cols(); c++) {
                double v = s.get(b.offset() + (long) r * b.stride() + c);
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + "[" + ((long) r * b.cols() + c) + "] must be finite, got "
                            + v);
                }
            }
        }
    }
}
