package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

import org.junit.jupiter.api.function.Executable;

import org.softmax4j.backend.Op;

/** Backends, data, rejection checks and the comparison rule shared by the tests of every package. */
public final class TestSupport {
    private TestSupport() {}

    /**
     * The backend to test; a native test is skipped (not failed) where the library cannot load.
     * {@link NativeLoadTest} is what fails when it must load and does not.
     */
    public static Softmax backend(Softmax.Backend b) {
        if (b == Softmax.Backend.JAVA) return Softmax.java();
        assumeTrue(Softmax.nativeUnavailableCause().isEmpty(),
                () -> "native backend unavailable: " + Softmax.nativeUnavailableCause().get());
        return Softmax.nativeBackend();
    }

    /** The row operations: softmax, log-softmax, log-sum-exp. */
    public static final java.util.List<Op> ROW_OPS = java.util.List.of(Op.SOFTMAX, Op.LOG_SOFTMAX, Op.LOG_SUM_EXP);

    /** True for the row operation with one value per row. */
    public static boolean reduces(Op op) {
        return op == Op.LOG_SUM_EXP;
    }

    /** Normal values with standard deviation {@code scale}, from a fixed seed. */
    public static double[] gaussian(long seed, int length, double scale) {
        Random r = new Random(seed);
        double[] d = new double[length];
        for (int i = 0; i < length; i++) d[i] = r.nextGaussian() * scale;
        return d;
    }

    /** Fills every element of an output that the operation must not write. */
    public static final double SENTINEL = -12345.5;
    /** Buffers and pointers start their data here, so that their position is honoured. */
    public static final int POSITION = 3;

    /** n elements of {@link #SENTINEL}. */
    public static float[] filledFloat(int n) {
        float[] f = new float[n];
        Arrays.fill(f, (float) SENTINEL);
        return f;
    }

    /** n elements of {@link #SENTINEL}. */
    public static double[] filledDouble(int n) {
        double[] d = new double[n];
        Arrays.fill(d, SENTINEL);
        return d;
    }

    /** data from {@link #POSITION}; a heap buffer is a slice, so that its arrayOffset is non-zero too. */
    public static FloatBuffer floatBuffer(float[] data, boolean direct) {
        int cap = POSITION + data.length;
        FloatBuffer b = direct
                ? ByteBuffer.allocateDirect(cap * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer()
                : FloatBuffer.allocate(cap + 2).slice(1, cap);
        b.position(POSITION);
        b.put(data);
        b.position(POSITION);
        return b;
    }

    /** As {@link #floatBuffer}, in double. */
    public static DoubleBuffer doubleBuffer(double[] data, boolean direct) {
        int cap = POSITION + data.length;
        DoubleBuffer b = direct
                ? ByteBuffer.allocateDirect(cap * Double.BYTES).order(ByteOrder.nativeOrder()).asDoubleBuffer()
                : DoubleBuffer.allocate(cap + 2).slice(1, cap);
        b.position(POSITION);
        b.put(data);
        b.position(POSITION);
        return b;
    }

    /** data from {@link #POSITION} of a new pointer, positioned there. */
    public static FloatPointer floatPointer(float[] data) {
        FloatPointer p = new FloatPointer(POSITION + data.length);
        p.position(POSITION).put(data);
        return p.position(POSITION);
    }

    /** As {@link #floatPointer}, in double. */
    public static DoublePointer doublePointer(double[] data) {
        DoublePointer p = new DoublePointer(POSITION + data.length);
        p.position(POSITION).put(data);
        return p.position(POSITION);
    }

    /** The backends to check: Java always, native where it loads. */
    public static List<Softmax> availableBackends() {
        List<Softmax> list = new ArrayList<>(List.of(Softmax.java()));
        if (Softmax.nativeUnavailableCause().isEmpty()) list.add(Softmax.nativeBackend());
        return list;
    }

    /** Each value rounded to float. */
    public static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Each value widened to double. */
    public static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** {@code call} throws {@code type} with a message that mentions {@code mention}. */
    public static void rejects(Class<? extends Throwable> type, String mention, Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(String.valueOf(t.getMessage()).contains(mention),
                () -> "message should mention '" + mention + "': " + t.getMessage());
    }

    /** An output of n elements filled with 42, so that a rejected call's writes show. */
    public static float[] sentinel(int n) {
        float[] f = new float[n];
        Arrays.fill(f, 42f);
        return f;
    }

    /** As {@link #sentinel(int)}, in double. */
    public static double[] sentinelDoubles(int n) {
        double[] d = new double[n];
        Arrays.fill(d, 42);
        return d;
    }

    /**
     * The relative tolerance of a result, before the per-element conditioning factors of
     * {@link #check}. float32: 1e-6, about 17 units in the last place: the kernels make a few
     * roundings per element (the exponent difference, exp, the division) and sum in double.
     * float64: 1e-14, as JAX and SciPy use against high-precision references, plus the error of
     * summing n terms, which grows like √n·u for random data (u = 2⁻⁵³).
     */
    static double rtol(boolean f32, int n) {
        return f32 ? 1e-6 : 1e-14 + 4 * 0x1p-53 * Math.sqrt(n);
    }

    /**
     * Compares one result element with the reference. The error allowed follows the conditioning
     * of each operation: exp(z) carries the relative error of z = a(x − m), which is |z| times
     * the rounding of the difference, hence the factor (1 + |log y|) for softmax; log-softmax
     * and log-sum-exp are sums of terms of size |y| and |a·max x|. Below the smallest normal
     * number only an absolute error of that size is asked for.
     */
    static void check(Op op, boolean f32, int n, double scale, double expected, double got,
            String where) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            if (Double.compare(expected, got) != 0) fail(where + ": expected " + expected + ", got " + got);
            return;
        }
        double tol = tolerance(op, f32, n, scale, expected);
        double err = Math.abs(got - expected);
        if (!(err <= tol)) {
            fail(String.format("%s: expected %s, got %s (error %.3g > tolerance %.3g)", where,
                    expected, got, err, tol));
        }
    }

    /** The error {@link #check} allows for a finite expected value. */
    static double tolerance(Op op, boolean f32, int n, double scale, double expected) {
        double rtol = rtol(f32, n);
        double atol = 2 * (f32 ? Float.MIN_NORMAL : Double.MIN_NORMAL);
        return atol + switch (op) {
            case SOFTMAX -> expected == 0 ? 0 : rtol * expected * (1 + Math.abs(Math.log(expected)));
            case LOG_SOFTMAX -> rtol * (1 + Math.abs(expected));
            case LOG_SUM_EXP -> rtol * (1 + Math.abs(expected) + scale);
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    /** x as an element of {@code type} holds it (rounded once to the type), widened back to double. */
    static double stored(ElementType type, double x) {
        return type == ElementType.FLOAT32 ? (float) x : type.isHalf() ? type.toFloat(type.toBits((float) x)) : x;
    }

    /** One ulp of a half type at v: 2^(e − p + 1) for |v| in [2^e, 2^(e+1)), the subnormal spacing below. */
    static double halfUlp(ElementType type, double v) {
        int e = v == 0 ? Integer.MIN_VALUE : Math.getExponent(v);
        return type == ElementType.BFLOAT16 ? Math.scalb(1.0, Math.max(e, -126) - 7) : Math.scalb(1.0, Math.max(e, -14) - 10);
    }

    /**
     * A native half-precision result against the reference's (the Java backend's, rounded to the
     * same half type): within one ulp of the type, plus the float32 computation's tolerance
     * ({@link #check}) where the conditioning makes that larger; NaN and ±∞ exactly, but for a
     * result one rounding away from overflow (±∞ against the largest finite value).
     */
    static void checkHalf(Op op, ElementType type, int n, double scale, double expected, double got, String where) {
        double max = type == ElementType.FLOAT16 ? 65504 : type.toFloat((short) 0x7f7f);  // the largest finite value
        if (!Double.isFinite(expected) || !Double.isFinite(got)) {
            if (Double.compare(expected, got) == 0) return;
            boolean edge = Double.isInfinite(expected) ? got == Math.copySign(max, expected)
                    : Double.isInfinite(got) && expected == Math.copySign(max, got);
            if (!edge) fail(where + ": expected " + expected + ", got " + got);
            return;
        }
        double tol = halfUlp(type, Math.max(Math.abs(expected), Math.abs(got))) + tolerance(op, true, n, scale, expected);
        double err = Math.abs(got - expected);
        if (!(err <= tol)) {
            fail(String.format("%s: expected %s, got %s (error %.3g > one %s ulp + float32 tolerance = %.3g)", where,
                    expected, got, err, type, tol));
        }
    }

    /**
     * The conditioning of a probability y as a softmax result: its relative error is at most
     * rtol·(1 + |log y|) (see {@link #check}); derived quantities carry this factor per y.
     */
    static double cond(double y) {
        return y > 0 ? 1 + Math.abs(Math.log(y)) : 1;
    }

    /** The absolute error allowed below the smallest normal number of the element type. */
    static double atol(boolean f32) {
        return 2 * (f32 ? Float.MIN_NORMAL : Double.MIN_NORMAL);
    }

    /**
     * Compares one result with the reference given an error bound computed for it: special
     * values must match exactly, finite ones within {@code bound + atol}.
     */
    static void checkBound(boolean f32, double expected, double got, double bound, String where) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            if (Double.compare(expected, got) != 0) fail(where + ": expected " + expected + ", got " + got);
            return;
        }
        double err = Math.abs(got - expected);
        double tol = bound + atol(f32);
        if (!(err <= tol)) {
            fail(String.format("%s: expected %s, got %s (error %.3g > tolerance %.3g)", where,
                    expected, got, err, tol));
        }
    }
}
