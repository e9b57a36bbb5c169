package org.softmax4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.Optional;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.backend.RowOp;

/**
 * Softmax, log-softmax and log-sum-exp over batches of rows, on a native or a pure-Java backend.
 *
 * <h2>Mathematics</h2>
 * For one row <i>x</i> ∈ ℝ<sup>n</sup> and a temperature τ &gt; 0 (inverse temperature a = 1/τ):
 * <pre>
 *   S(x/τ)_i      = exp(a·x_i) / Σ_j exp(a·x_j)             softmax
 *   LSE(x/τ)      = log Σ_j exp(a·x_j)                       log-sum-exp
 *   log S(x/τ)_i  = a·x_i − LSE(x/τ)                         log-softmax
 * </pre>
 * Every backend evaluates these stably: with m the row's maximum, the terms are
 * exp(a·(x_j − m)) ≤ 1, the maximum's term is exactly 1, and log-sum-exp is
 * a·m + log1p(Σ<sub>j≠argmax</sub> exp(a·(x_j − m))), the most accurate form (Blanchard, Higham
 * and Higham, 2021). Huge finite values such as 1e30 are therefore exact, not overflow. As τ → 0⁺
 * a row tends to one-hot on its maximum (1/m on each of m tied maxima); as τ → ∞ it tends to
 * uniform. The inverse temperature is rounded to the element type, saturating at its largest
 * finite value.
 *
 * <h2>Edge cases</h2>
 * These match PyTorch and SciPy:
 * <table class="striped">
 *   <caption>Results for special rows</caption>
 *   <thead><tr><th>row</th><th>softmax</th><th>log-softmax</th><th>log-sum-exp</th></tr></thead>
 *   <tbody>
 *   <tr><td>all −∞</td><td>NaN row</td><td>NaN row</td><td>−∞</td></tr>
 *   <tr><td>contains +∞</td><td>NaN row</td><td>NaN row</td><td>+∞ (NaN if it also holds a NaN)</td></tr>
 *   <tr><td>contains NaN</td><td>NaN row</td><td>NaN row</td><td>NaN</td></tr>
 *   <tr><td>n = 0</td><td>nothing written</td><td>nothing written</td><td>−∞</td></tr>
 *   <tr><td>rows = 0</td><td colspan="3">nothing read or written</td></tr>
 *   </tbody>
 * </table>
 * A −∞ entry in an otherwise finite row is an ordinary zero-probability class (log-softmax −∞).
 *
 * <h2>Buffers</h2>
 * Every operation takes heap arrays ({@code float[]}, {@code double[]}) with element offsets,
 * {@link FloatBuffer}/{@link DoubleBuffer} (direct ones in native byte order are used in place,
 * heap ones through their array), JavaCPP {@link FloatPointer}/{@link DoublePointer}, and the
 * off-heap {@link FloatMatrix}/{@link DoubleMatrix}. Row {@code r} of {@code x} starts at
 * {@code xOffset + r * ldx}. Buffers and pointers count from their position and end at their
 * limit; their position is left unchanged. The output may be the input itself (in place, same
 * offset and stride); any other overlap is rejected where it can be seen (the same array or buffer
 * object, or pointers) and gives unspecified values otherwise.
 *
 * <h2>Errors</h2>
 * Every argument is checked before any computation, in Java, so that nothing outside the
 * caller's buffers is ever read or written: {@link NullPointerException} for a null argument,
 * {@link IndexOutOfBoundsException} for an offset or extent outside a buffer, and
 * {@link IllegalArgumentException} for a negative size, a stride below {@code n}, a temperature
 * that is not finite and positive, or an unusable buffer. Messages name the argument.
 *
 * <h2>Backends and threads</h2>
 * {@link #get()} gives the native backend when its library loads, else the pure-Java reference;
 * {@link #nativeUnavailableCause()} tells why native is off. Instances are immutable and safe to
 * share between threads; the native backend splits large batches across {@link #threads()}
 * OpenMP threads, a process-wide setting.
 */
public abstract class Softmax {

    /** Which implementation computes. */
    public enum Backend {
        /** The C++ core through JavaCPP: vectorised kernels, OpenMP over rows. */
        NATIVE,
        /** The pure-Java reference: plain loops in double precision, one thread. */
        JAVA
    }

    /** The system property that, set to {@code false}, keeps {@link #get()} off the native library. */
    public static final String NATIVE_PROPERTY = "softmax4j.native";

    /** For backends only; obtain instances from {@link #get()}, {@link #java()} or {@link #nativeBackend()}. */
    protected Softmax() {}

    /**
     * The best backend available: native if its library loads, else the pure-Java one. The first
     * call that finds native unavailable logs one warning naming the cause.
     */
    public static Softmax get() {
        return Backends.nativeOrNull() != null ? Backends.nativeOrNull() : java();
    }

    /** The pure-Java reference backend; always available. */
    public static Softmax java() {
        return Backends.JAVA;
    }

    /**
     * The native backend.
     *
     * @throws NativeUnavailableException if the native library cannot be used, with the cause
     */
    public static Softmax nativeBackend() {
        Softmax s = Backends.nativeOrNull();
        if (s == null) throw new NativeUnavailableException(Backends.nativeFailure());
        return s;
    }

    /** Why the native backend is unavailable, or empty if it loaded. */
    public static Optional<Throwable> nativeUnavailableCause() {
        return Optional.ofNullable(Backends.nativeFailure());
    }

    /** Which implementation this is. */
    public abstract Backend backend();

    /** Threads this backend uses for a large batch (1 for the Java backend). */
    public abstract int threads();

    /**
     * Sets the threads the native backend uses for large batches, for the whole process;
     * {@code 0} restores the default (OpenMP's, e.g. from {@code OMP_NUM_THREADS}). The Java
     * backend is single-threaded and ignores this.
     *
     * @throws IllegalArgumentException if {@code threads} is negative
     */
    public final void setThreads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        setThreadsK(threads);
    }

    @Override
    public String toString() {
        return "Softmax[" + backend() + ", threads=" + threads() + "]";
    }

    // ---------------------------------------------------------------- softmax

    /**
     * The softmax of each row of a batch of float arrays: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void softmax(int rows, int n, float[] x, float[] y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of a batch of double arrays: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, double[] x, int xOffset, int ldx, double[] y, int yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void softmax(int rows, int n, double[] x, double[] y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of a batch of float buffers: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, FloatBuffer x, int xOffset, int ldx, FloatBuffer y, int yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void softmax(int rows, int n, FloatBuffer x, FloatBuffer y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of a batch of double buffers: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, DoubleBuffer x, int xOffset, int ldx, DoubleBuffer y, int yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void softmax(int rows, int n, DoubleBuffer x, DoubleBuffer y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of a batch of float pointers: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, FloatPointer x, long xOffset, int ldx, FloatPointer y, long yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void softmax(int rows, int n, FloatPointer x, FloatPointer y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of a batch of double pointers: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>.
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void softmax(int rows, int n, DoublePointer x, long xOffset, int ldx, DoublePointer y, long yOffset, int ldy, double temperature) {
        run(RowOp.SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void softmax(int rows, int n, DoublePointer x, DoublePointer y) {
        run(RowOp.SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The softmax of each row of an off-heap matrix: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>. y must have x's shape and
     * may be x itself.
     *
     * @throws IllegalArgumentException if the shapes differ or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void softmax(FloatMatrix x, FloatMatrix y, double temperature) {
        run(RowOp.SOFTMAX, x, y, temperature);
    }

    /** The softmax of each row of an off-heap matrix at temperature 1. */
    public final void softmax(FloatMatrix x, FloatMatrix y) {
        run(RowOp.SOFTMAX, x, y, 1.0);
    }

    /**
     * The softmax of each row of an off-heap matrix: <i>y</i><sub>i</sub> = S(<i>x</i>/τ)<sub>i</sub>. y must have x's shape and
     * may be x itself.
     *
     * @throws IllegalArgumentException if the shapes differ or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void softmax(DoubleMatrix x, DoubleMatrix y, double temperature) {
        run(RowOp.SOFTMAX, x, y, temperature);
    }

    /** The softmax of each row of an off-heap matrix at temperature 1. */
    public final void softmax(DoubleMatrix x, DoubleMatrix y) {
        run(RowOp.SOFTMAX, x, y, 1.0);
    }

    // ---------------------------------------------------------------- log-softmax

    /**
     * The log-softmax of each row of a batch of float arrays: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void logSoftmax(int rows, int n, float[] x, float[] y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of a batch of double arrays: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, double[] x, int xOffset, int ldx, double[] y, int yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void logSoftmax(int rows, int n, double[] x, double[] y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of a batch of float buffers: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, FloatBuffer x, int xOffset, int ldx, FloatBuffer y, int yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void logSoftmax(int rows, int n, FloatBuffer x, FloatBuffer y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of a batch of double buffers: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, DoubleBuffer x, int xOffset, int ldx, DoubleBuffer y, int yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void logSoftmax(int rows, int n, DoubleBuffer x, DoubleBuffer y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of a batch of float pointers: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, FloatPointer x, long xOffset, int ldx, FloatPointer y, long yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} floats at temperature 1. */
    public final void logSoftmax(int rows, int n, FloatPointer x, FloatPointer y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of a batch of double pointers: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>.
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param y the output, laid out like x; may be x itself with the same offset and stride
     * @param yOffset index of the first element of y
     * @param ldy distance between rows of y, &ge; n
     * @param temperature τ, finite and &gt; 0; 1 gives the plain log-softmax
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, a partial overlap of x and y, or an unusable buffer
     */
    public final void logSoftmax(int rows, int n, DoublePointer x, long xOffset, int ldx, DoublePointer y, long yOffset, int ldy, double temperature) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** The log-softmax of {@code rows} contiguous rows of {@code n} doubles at temperature 1. */
    public final void logSoftmax(int rows, int n, DoublePointer x, DoublePointer y) {
        run(RowOp.LOG_SOFTMAX, rows, n, x, 0, n, y, 0, n, 1.0);
    }

    /**
     * The log-softmax of each row of an off-heap matrix: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>. y must have x's shape and
     * may be x itself.
     *
     * @throws IllegalArgumentException if the shapes differ or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void logSoftmax(FloatMatrix x, FloatMatrix y, double temperature) {
        run(RowOp.LOG_SOFTMAX, x, y, temperature);
    }

    /** The log-softmax of each row of an off-heap matrix at temperature 1. */
    public final void logSoftmax(FloatMatrix x, FloatMatrix y) {
        run(RowOp.LOG_SOFTMAX, x, y, 1.0);
    }

    /**
     * The log-softmax of each row of an off-heap matrix: <i>y</i><sub>i</sub> = log S(<i>x</i>/τ)<sub>i</sub>. y must have x's shape and
     * may be x itself.
     *
     * @throws IllegalArgumentException if the shapes differ or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void logSoftmax(DoubleMatrix x, DoubleMatrix y, double temperature) {
        run(RowOp.LOG_SOFTMAX, x, y, temperature);
    }

    /** The log-softmax of each row of an off-heap matrix at temperature 1. */
    public final void logSoftmax(DoubleMatrix x, DoubleMatrix y) {
        run(RowOp.LOG_SOFTMAX, x, y, 1.0);
    }

    // ---------------------------------------------------------------- log-sum-exp

    /**
     * The log-sum-exp of each row of a batch of float arrays:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, float[] x, int xOffset, int ldx, float[] out, int outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} floats at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, float[] x, float[] out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of a batch of double arrays:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Element {@code i} of a heap array is {@code x[i]}.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, double[] x, int xOffset, int ldx, double[] out, int outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} doubles at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, double[] x, double[] out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of a batch of float buffers:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, FloatBuffer x, int xOffset, int ldx, FloatBuffer out, int outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} floats at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, FloatBuffer x, FloatBuffer out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of a batch of double buffers:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Buffers are read from their position ({@code x.get(x.position() + i)}) to their limit; heap buffers work through their array, direct ones in place.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, DoubleBuffer x, int xOffset, int ldx, DoubleBuffer out, int outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} doubles at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, DoubleBuffer x, DoubleBuffer out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of a batch of float pointers:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, FloatPointer x, long xOffset, int ldx, FloatPointer out, long outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} floats at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, FloatPointer x, FloatPointer out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of a batch of double pointers:
     * <i>out</i><sub>r</sub> = LSE(<i>x</i><sub>r</sub>/τ) = log Σ<sub>j</sub> exp(<i>x</i><sub>rj</sub>/τ).
     * Pointers are read from their position to their limit, as JavaCPP's {@code get(i)} does; a pointer's limit must cover what is read or written.
     *
     * @param rows number of rows, &ge; 0
     * @param n elements per row, &ge; 0; a row of none gives −∞
     * @param x the input; row {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between rows of x, &ge; n
     * @param out receives one value per row, contiguous from outOffset; must not overlap x
     * @param outOffset index in out of the first row's value
     * @param temperature τ, finite and &gt; 0
     * @throws NullPointerException if x or out is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for a negative size, a stride &lt; n, a bad temperature, an overlap of x and out, or an unusable buffer
     */
    public final void logSumExp(int rows, int n, DoublePointer x, long xOffset, int ldx, DoublePointer out, long outOffset, double temperature) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, xOffset, ldx, out, outOffset, 1, temperature);
    }

    /** The log-sum-exp of {@code rows} contiguous rows of {@code n} doubles at temperature 1, one value per row into out. */
    public final void logSumExp(int rows, int n, DoublePointer x, DoublePointer out) {
        run(RowOp.LOG_SUM_EXP, rows, n, x, 0, n, out, 0, 1, 1.0);
    }

    /**
     * The log-sum-exp of each row of an off-heap matrix into {@code out}, a column of
     * {@code x.rows()} rows and 1 column.
     *
     * @throws IllegalArgumentException if out is not x.rows() × 1 or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void logSumExp(FloatMatrix x, FloatMatrix out, double temperature) {
        run(RowOp.LOG_SUM_EXP, x, out, temperature);
    }

    /** The log-sum-exp of each row of an off-heap matrix at temperature 1. */
    public final void logSumExp(FloatMatrix x, FloatMatrix out) {
        run(RowOp.LOG_SUM_EXP, x, out, 1.0);
    }

    /**
     * The log-sum-exp of each row of an off-heap matrix into {@code out}, a column of
     * {@code x.rows()} rows and 1 column.
     *
     * @throws IllegalArgumentException if out is not x.rows() × 1 or the temperature is bad
     * @throws IllegalStateException if a matrix is closed
     */
    public final void logSumExp(DoubleMatrix x, DoubleMatrix out, double temperature) {
        run(RowOp.LOG_SUM_EXP, x, out, temperature);
    }

    /** The log-sum-exp of each row of an off-heap matrix at temperature 1. */
    public final void logSumExp(DoubleMatrix x, DoubleMatrix out) {
        run(RowOp.LOG_SUM_EXP, x, out, 1.0);
    }

    // ---------------------------------------------------------------- validation, then dispatch
    // One adapter per buffer kind: it checks with Checks, turns heap buffers into arrays and
    // matrices into pointers, and calls the backend's kernel. Nothing else reaches a kernel.

    private void run(RowOp op, int rows, int n, float[] x, int xo, int ldx, float[] y, int yo,
            int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, x.length, xo, ldx, y.length, yo, ldy);
        if (x == y) Checks.overlap(op, rows, n, xo, ldx, yo, ldy, 1);
        rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
    }

    private void run(RowOp op, int rows, int n, double[] x, int xo, int ldx, double[] y, int yo,
            int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, x.length, xo, ldx, y.length, yo, ldy);
        if (x == y) Checks.overlap(op, rows, n, xo, ldx, yo, ldy, 1);
        rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
    }

    private void run(RowOp op, int rows, int n, FloatBuffer x, int xo, int ldx, FloatBuffer y,
            int yo, int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        Checks.usable(outName(op), x, x.order(), y, y.order());
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, x.remaining(), xo, ldx, y.remaining(), yo, ldy);
        if (x.isDirect()) {
            if (x == y) Checks.overlap(op, rows, n, xo, ldx, yo, ldy, 1);
            rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
        } else {
            float[] xa = x.array();
            float[] ya = y.array();
            int xb = x.arrayOffset() + x.position() + xo;
            int yb = y.arrayOffset() + y.position() + yo;
            if (xa == ya) Checks.overlap(op, rows, n, xb, ldx, yb, ldy, 1);
            rowsK(op, rows, n, xa, xb, ldx, ya, yb, ldy, a);
        }
    }

    private void run(RowOp op, int rows, int n, DoubleBuffer x, int xo, int ldx, DoubleBuffer y,
            int yo, int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        Checks.usable(outName(op), x, x.order(), y, y.order());
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, x.remaining(), xo, ldx, y.remaining(), yo, ldy);
        if (x.isDirect()) {
            if (x == y) Checks.overlap(op, rows, n, xo, ldx, yo, ldy, 1);
            rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
        } else {
            double[] xa = x.array();
            double[] ya = y.array();
            int xb = x.arrayOffset() + x.position() + xo;
            int yb = y.arrayOffset() + y.position() + yo;
            if (xa == ya) Checks.overlap(op, rows, n, xb, ldx, yb, ldy, 1);
            rowsK(op, rows, n, xa, xb, ldx, ya, yb, ldy, a);
        }
    }

    private void run(RowOp op, int rows, int n, FloatPointer x, long xo, int ldx, FloatPointer y,
            long yo, int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, Checks.available("x", x), xo, ldx,
                Checks.available(outName(op), y), yo, ldy);
        Checks.overlap(op, rows, n, Checks.address(x, xo, Float.BYTES), ldx,
                Checks.address(y, yo, Float.BYTES), ldy, Float.BYTES);
        rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
    }

    private void run(RowOp op, int rows, int n, DoublePointer x, long xo, int ldx, DoublePointer y,
            long yo, int ldy, double temperature) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, outName(op));
        double a = Checks.inverseTemperature(temperature);
        Checks.operands(op, rows, n, Checks.available("x", x), xo, ldx,
                Checks.available(outName(op), y), yo, ldy);
        Checks.overlap(op, rows, n, Checks.address(x, xo, Double.BYTES), ldx,
                Checks.address(y, yo, Double.BYTES), ldy, Double.BYTES);
        rowsK(op, rows, n, x, xo, ldx, y, yo, ldy, a);
    }

    private void run(RowOp op, FloatMatrix x, FloatMatrix y, double temperature) {
        Checks.shapes(op, x, y);
        run(op, x.rows(), x.cols(), x.pointer(), 0, x.stride(), y.pointer(), 0, y.stride(),
                temperature);
    }

    private void run(RowOp op, DoubleMatrix x, DoubleMatrix y, double temperature) {
        Checks.shapes(op, x, y);
        run(op, x.rows(), x.cols(), x.pointer(), 0, x.stride(), y.pointer(), 0, y.stride(),
                temperature);
    }

    private static String outName(RowOp op) {
        return op.reduces() ? "out" : "y";
    }

    // ---------------------------------------------------------------- kernels
    // What a backend implements. Every argument has been validated: extents lie inside the
    // buffers, buffers are direct and in native order, pointers are non-null. For
    // RowOp.LOG_SUM_EXP, y receives one value per row, ldy apart. {@code a} is the inverse
    // temperature.

    /** Kernel for heap float arrays. */
    protected abstract void rowsK(RowOp op, int rows, int n, float[] x, int xOffset, int ldx,
            float[] y, int yOffset, int ldy, double a);

    /** Kernel for heap double arrays. */
    protected abstract void rowsK(RowOp op, int rows, int n, double[] x, int xOffset, int ldx,
            double[] y, int yOffset, int ldy, double a);

    /** Kernel for direct float buffers; offsets count from each buffer's position. */
    protected abstract void rowsK(RowOp op, int rows, int n, FloatBuffer x, int xOffset, int ldx,
            FloatBuffer y, int yOffset, int ldy, double a);

    /** Kernel for direct double buffers; offsets count from each buffer's position. */
    protected abstract void rowsK(RowOp op, int rows, int n, DoubleBuffer x, int xOffset, int ldx,
            DoubleBuffer y, int yOffset, int ldy, double a);

    /** Kernel for float pointers; offsets count from each pointer's position. */
    protected abstract void rowsK(RowOp op, int rows, int n, FloatPointer x, long xOffset, int ldx,
            FloatPointer y, long yOffset, int ldy, double a);

    /** Kernel for double pointers; offsets count from each pointer's position. */
    protected abstract void rowsK(RowOp op, int rows, int n, DoublePointer x, long xOffset,
            int ldx, DoublePointer y, long yOffset, int ldy, double a);

    /** Applies a validated thread count (0 = default). */
    protected abstract void setThreadsK(int threads);
}
