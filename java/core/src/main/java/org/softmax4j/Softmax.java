package org.softmax4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.backend.Call;
import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Op;
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
 * <h2>Derivatives and the properties of softmax as operations</h2>
 * The Jacobian and its products ({@link #jacobian}, {@link #softmaxJvp}, {@link #softmaxVjp},
 * {@link #logSoftmaxVjp}, {@link #logSumExpVjp}, {@link #jacobianTimes}), inversion to logits
 * ({@link #inverse}), products of powers ({@link #combine}), the sigmoid and the masked row
 * operations take their operands as {@link Batch} views of any of the buffer kinds above and
 * their sharpness as a {@link Scale}, which also reaches α ≤ 0 (uniform, softmin). The row
 * operations have such overloads too. See {@code docs/jacobians.md}.
 *
 * <h2>Backends and threads</h2>
 * {@link #get()} gives the native backend when its library loads, else the pure-Java reference;
 * {@link #nativeUnavailableCause()} tells why native is off. Instances are immutable and safe to
 * share between threads; the native backend splits large batches across up to {@link #threads()}
 * OpenMP threads. By default it gives a call more than its own thread only while no other call
 * holds the cores and the machine is not busy, so that many concurrent callers, or a loaded
 * machine, never make it slower than running serially; {@link #setThreads(int)} pins the count
 * instead. Results do not depend on how many threads a call got (README, "Running inside a
 * server").
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

    /**
     * Threads this backend may use for a large batch: the pinned count, or the most the default
     * policy grants (1 for the Java backend).
     */
    public abstract int threads();

    /**
     * Pins the threads the native backend uses for large batches, and for the GEMMs of
     * {@link org.softmax4j.regression.SoftmaxClassifier} and training, for the whole process:
     * every such call then uses {@code threads} threads, however many other calls run at once.
     * {@code 0} restores the default: up to all the CPUs this process may use, given to a call
     * only while no other call holds them and teams are not held up by a busy machine (or, if
     * {@code OMP_NUM_THREADS} is set, that count, pinned). It may be called while other calls
     * run; each call reads the setting once. The Java backend is single-threaded and ignores this.
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

    // ================================================================ operations on Batch views
    // Derivatives and the properties of softmax as operations. These take their operands as
    // Batch views (any buffer kind) and their sharpness as a Scale (temperature or any α), so
    // that each operation is one method whatever holds the data. All of them validate through
    // Invocation and Checks, then run applyK.

    /**
     * What the first input of a derivative holds.
     */
    public enum From {
        /** The logits x: the operation computes y = S(αx) itself. */
        LOGITS,
        /**
         * The forward pass's saved output (y = S(αx), or for {@link #logSoftmaxVjp} the saved
         * log-softmax αx − LSE(αx)): the backward-pass form, which does not recompute the softmax.
         */
        OUTPUT
    }

    /**
     * The softmax of each row at any scale: y = S(αx). With {@link Scale#alpha(double)} this
     * reaches α ≤ 0 (α = 0 uniform, α &lt; 0 softmin), which the temperature overloads cannot.
     * y may be x (same start and stride). Edge rules as in the class documentation.
     *
     * @param rows rows, &ge; 0
     * @param n elements per row, &ge; 0
     * @param x logits, width n
     * @param y output, width n
     * @param scale the inverse temperature α
     * @throws NullPointerException if an argument is null
     * @throws IndexOutOfBoundsException if an operand's rows leave its storage
     * @throws IllegalArgumentException for a negative size, a stride below the width, operands
     *     of different element types or of heap and off-heap memory, an unusable buffer, or a
     *     partial overlap of the output with an input
     */
    public final void softmax(int rows, int n, Batch x, Batch y, Scale scale) {
        Invocation.of(this, Op.SOFTMAX, rows, n).scale(scale).input("x", x).output("y", y).run();
    }

    /**
     * The log-softmax of each row at any scale: y = αx − LSE(αx). As {@link #softmax(int, int,
     * Batch, Batch, Scale)}; at α = 0 a finite row gives −log n.
     */
    public final void logSoftmax(int rows, int n, Batch x, Batch y, Scale scale) {
        Invocation.of(this, Op.LOG_SOFTMAX, rows, n).scale(scale).input("x", x).output("y", y).run();
    }

    /**
     * The log-sum-exp of each row at any scale, one value per row: out_r = LSE(αx_r) =
     * log Σ_j exp(αx_rj) (note: not τ·LSE(x/τ)). out has width 1, so a dense out holds
     * {@code rows} consecutive values. At α = 0 a finite row gives log n; n = 0 gives −∞.
     */
    public final void logSumExp(int rows, int n, Batch x, Batch out, Scale scale) {
        Invocation.of(this, Op.LOG_SUM_EXP, rows, n).scale(scale).input("x", x).output("out", out).run();
    }

    /**
     * The full Jacobian of x ↦ S(αx) for each row:
     * <pre>  J = α·(diag(y) − y yᵀ),   y = S(αx),   J_ij = ∂S(αx)_i/∂x_j</pre>
     * Row r of {@code jacobian} holds n·n values, J_ij at element i·n + j (row-major, rows of J
     * contiguous); so a dense output needs rows·n·n elements, and a matrix output is
     * rows × (n·n). J is exactly symmetric, and each of its rows sums to 0 up to rounding: the
     * diagonal is evaluated as α·y_i·Σ<sub>j≠i</sub> y_j, which equals α·y_i(1 − y_i) for a
     * normalised y and keeps its relative accuracy where y_i is close to 1. On the native backend
     * the off-diagonal part is one OpenBLAS rank-1 update ({@code ?ger}) of u = √|α|·y with itself,
     * single-threaded per row, rows in parallel.
     *
     * <p>Edge rules: a row whose y is NaN (logits holding NaN or +∞, or all −∞; or a saved y with
     * a NaN or infinite entry) gives a NaN Jacobian. α = 0 gives J = 0 for a finite row.
     *
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param in x or y, width n
     * @param jacobian output, width n·n; never the same region as {@code in} (unless n ≤ 1)
     * @param scale α, as in the forward pass
     * @throws IndexOutOfBoundsException if the output is smaller than its rows·n·n elements
     *     (computed without overflow)
     * @throws IllegalArgumentException as for {@link #softmax(int, int, Batch, Batch, Scale)}
     */
    public final void jacobian(int rows, int n, From from, Batch in, Batch jacobian, Scale scale) {
        Invocation.of(this, Op.JACOBIAN, rows, n).from(from).scale(scale)
                .input(inName(from), in).output("jacobian", jacobian).run();
    }

    /**
     * The Jacobian-vector product of softmax for each row, without forming J:
     * <pre>  J v = α·y ⊙ (v − ⟨y, v⟩),   y = S(αx)</pre>
     * the derivative of S(αx) along v. J is symmetric, so this is also the vector-Jacobian product
     * ({@link #softmaxVjp}). out may be the same region as {@code in} or {@code v} (in place).
     * A NaN y (see {@link #jacobian}) gives a NaN row; otherwise IEEE arithmetic applies.
     *
     * @param from whether {@code in} holds logits x or the saved y = S(αx)
     * @param in x or y, width n
     * @param v tangents, width n
     * @param out output, width n
     * @param scale α, as in the forward pass
     */
    public final void softmaxJvp(int rows, int n, From from, Batch in, Batch v, Batch out, Scale scale) {
        Invocation.of(this, Op.SOFTMAX_JVP, rows, n).from(from).scale(scale)
                .input(inName(from), in).input("v", v).output("out", out).run();
    }

    /**
     * The vector-Jacobian product of softmax, gᵀJ = J g = α·y ⊙ (g − ⟨y, g⟩) (J is symmetric):
     * the gradient with respect to x of ⟨g, S(αx)⟩, i.e. softmax's backward pass for an upstream
     * gradient g. Identical to {@link #softmaxJvp} with v = g.
     */
    public final void softmaxVjp(int rows, int n, From from, Batch in, Batch g, Batch out, Scale scale) {
        Invocation.of(this, Op.SOFTMAX_JVP, rows, n).from(from).scale(scale)
                .input(inName(from), in).input("g", g).output("out", out).run();
    }

    /**
     * The vector-Jacobian product of log-softmax for each row: the gradient with respect to x of
     * ⟨g, log S(αx)⟩,
     * <pre>  α·(g − y·Σ_i g_i),   y = S(αx)</pre>
     * (∂ log S(αx)_i/∂x_r = α(δ_ir − y_r)). From the output, {@code in} holds the saved
     * log-softmax ℓ = αx − LSE(αx) and y = exp(ℓ). out may be the same region as {@code in} or
     * {@code g}.
     *
     * @param from whether {@code in} holds logits x or the saved log-softmax output
     * @param in x or log-probabilities, width n
     * @param g upstream gradient, width n
     * @param out output, width n
     * @param scale α, as in the forward pass
     */
    public final void logSoftmaxVjp(int rows, int n, From from, Batch in, Batch g, Batch out, Scale scale) {
        Invocation.of(this, Op.LOG_SOFTMAX_VJP, rows, n).from(from).scale(scale)
                .input(from == From.OUTPUT ? "logProbabilities" : "x", in).input("g", g)
                .output("out", out).run();
    }

    /**
     * The vector-Jacobian product of log-sum-exp for each row: with g_r one upstream gradient per
     * row,
     * <pre>  out_r = g_r·∇_x LSE(αx_r) = g_r·α·S(αx_r)</pre>
     * so g = 1 gives the gradient of LSE(αx), α·S(αx) (the softmax itself at α = 1; its Jacobian,
     * the Hessian of LSE, is {@link #jacobian}). g has width 1: a dense g holds {@code rows}
     * consecutive values. out may be the same region as x.
     *
     * @param x logits, width n
     * @param g upstream gradient, width 1
     * @param out output, width n
     * @param scale α, as in the forward pass
     */
    public final void logSumExpVjp(int rows, int n, Batch x, Batch g, Batch out, Scale scale) {
        Invocation.of(this, Op.LOG_SUM_EXP_VJP, rows, n).scale(scale)
                .input("x", x).input("g", g).output("out", out).run();
    }

    /**
     * The vector-Jacobian product of log-sum-exp from the forward pass's saved output
     * lse_r = LSE(αx_r): out_r = g_r·α·exp(αx_r − lse_r), one pass without the max and the sum.
     * Its accuracy is that of αx − lse, which cancels for large |αx| (relative error about
     * u·|αx|, u the unit roundoff); the other overload does not have this loss.
     *
     * @param x logits, width n
     * @param lse the saved LSE(αx), width 1
     * @param g upstream gradient, width 1
     * @param out output, width n; may be the same region as x
     */
    public final void logSumExpVjp(int rows, int n, Batch x, Batch lse, Batch g, Batch out, Scale scale) {
        Invocation.of(this, Op.LOG_SUM_EXP_VJP, rows, n).from(From.OUTPUT).scale(scale)
                .input("x", x).input("lse", lse).input("g", g).output("out", out).run();
    }

    /**
     * The Jacobian of softmax times a matrix of tangents, for each row: with V_r an n × k matrix
     * (row-major: V_ij at element i·k + j of the row),
     * <pre>  J V = α·(diag(y) V − y (yᵀV)),   i.e. (J V)_ij = α·y_i·(V_ij − Σ_l y_l V_lj)</pre>
     * k JVPs at once, through BLAS ({@code ?gemv} for yᵀV). out is laid out like V.
     *
     * @param k columns of V, &ge; 0
     * @param in x or y, width n
     * @param tangents V, width n·k
     * @param out output, width n·k; may be the same region as tangents
     */
    public final void jacobianTimes(int rows, int n, int k, From from, Batch in, Batch tangents,
            Batch out, Scale scale) {
        Invocation.of(this, Op.JACOBIAN_TIMES, rows, n).k(k).from(from).scale(scale)
                .input(inName(from), in).input("tangents", tangents).output("out", out).run();
    }

    /**
     * Logits from probabilities: the x with S(αx) = p/Σp, in the given {@link Gauge} (softmax
     * is invariant to adding a constant, so one must be chosen; SOFTMAX.md property 2):
     * <pre>  αx = log p − c·1,   c = mean(log p) | log p_k | log Σp − L</pre>
     * p need not be normalised: the result depends on p only up to a positive factor.
     * A zero probability gives a logit of −∞ (α &gt; 0) or +∞ (α &lt; 0). A row is NaN if it
     * holds a NaN, a negative value or +∞, or is all zeros; and where the gauge cannot be met:
     * a zero anywhere for {@link Gauge#zeroMean()}, p_k = 0 for {@link Gauge#pinned(int)}.
     * x may be p (in place).
     *
     * @param p probabilities, width n
     * @param x output logits, width n
     * @param gauge which constant to return
     * @param scale α, not 0 (nor, for float data, rounding to 0): x = (log p − c)/α
     * @throws IllegalArgumentException also if α = 0 or the pinned index is not below n
     */
    public final void inverse(int rows, int n, Batch p, Batch x, Gauge gauge, Scale scale) {
        Objects.requireNonNull(gauge, "gauge");
        Invocation call;
        if (gauge instanceof Gauge.Pinned pin) {
            call = Invocation.of(this, Op.INVERSE_PINNED, rows, n).k(pin.index());
        } else if (gauge instanceof Gauge.LogSumExp lse) {
            call = Invocation.of(this, Op.INVERSE_LOG_SUM_EXP, rows, n).param(lse.value());
        } else {
            call = Invocation.of(this, Op.INVERSE_ZERO_MEAN, rows, n);
        }
        call.scale(scale).input("p", p).output("x", x).run();
    }

    /**
     * The normalised product of powers of k probability rows (SOFTMAX.md property 3):
     * <pre>  out ∝ p₁^w₁ ⊙ p₂^w₂ ⊙ … ⊙ p_k^w_k,   Σ out = 1</pre>
     * computed in log space, out = S(Σ_i w_i·log p_i), so that neither underflow nor overflow
     * occurs. For p_i = S(x_i) this is S(w₁x₁ + … + w_k x_k): the product of experts (all w = 1),
     * the ratio S(x₁ − x₂) (w = 1, −1), and sharpening S(x)^α ∝ S(αx).
     *
     * <p>Row r of {@code p} holds the k factors one after another: factor i's entry j at element
     * i·n + j of the row (width k·n). The factors need not be normalised. A zero weight drops its
     * factor (p⁰ = 1, also for p = 0). A zero probability under a positive weight gives 0; under
     * a negative weight the product is infinite, and the row is NaN, as it is for a softmax of a
     * row holding +∞; the row is also NaN if a factor holds a NaN, a negative value or +∞, or if
     * every product is 0 (nothing to normalise). k = 0 gives the uniform 1/n.
     *
     * @param p the factors, width k·n with k = weights.length
     * @param weights the exponents w_i, finite (copied: later changes do not matter)
     * @param out output, width n
     * @throws IllegalArgumentException also for a weight that is not finite
     */
    public final void combine(int rows, int n, Batch p, double[] weights, Batch out) {
        Invocation.of(this, Op.COMBINE, rows, n).weights(weights).input("p", p).output("out", out).run();
    }

    /**
     * The logistic sigmoid of each element at scale α: out = σ(αz) = 1/(1 + exp(−αz)), the
     * two-class softmax: S([z₁, z₂])₁ = σ(z₁ − z₂) (SOFTMAX.md property 7). Evaluated stably for
     * both signs (exp of a non-positive number only): σ(+∞) = 1, σ(−∞) = 0, NaN stays NaN, and
     * at α = 0 a finite z gives 1/2 and an infinite one NaN (0·∞). out may be z (in place).
     *
     * @param z input, width n
     * @param out output, width n
     */
    public final void sigmoid(int rows, int n, Batch z, Batch out, Scale scale) {
        Invocation.of(this, Op.SIGMOID, rows, n).scale(scale).input("z", z).output("out", out).run();
    }

    /**
     * Softmax over the kept entries of each row (those whose {@link Mask} flag is true), exactly 0
     * at the masked ones: the softmax of the sub-row of kept entries, scattered back. Masked
     * values are never read (they may be NaN or ±∞). A fully masked row is all 0 (not NaN); the
     * kept entries otherwise follow the plain rules (e.g. a kept +∞ makes them NaN).
     * y may be x (in place).
     *
     * @param mask n flags per row
     */
    public final void maskedSoftmax(int rows, int n, Batch x, Mask mask, Batch y, Scale scale) {
        Invocation.of(this, Op.MASKED_SOFTMAX, rows, n).scale(scale).input("x", x).mask(mask)
                .output("y", y).run();
    }

    /**
     * Log-softmax over the kept entries of each row, −∞ at the masked ones (and everywhere in a
     * fully masked row); as {@link #maskedSoftmax}.
     */
    public final void maskedLogSoftmax(int rows, int n, Batch x, Mask mask, Batch y, Scale scale) {
        Invocation.of(this, Op.MASKED_LOG_SOFTMAX, rows, n).scale(scale).input("x", x).mask(mask)
                .output("y", y).run();
    }

    /**
     * Log-sum-exp over the kept entries of each row, one value per row (width 1); −∞ for a fully
     * masked row, as for an empty one.
     */
    public final void maskedLogSumExp(int rows, int n, Batch x, Mask mask, Batch out, Scale scale) {
        Invocation.of(this, Op.MASKED_LOG_SUM_EXP, rows, n).scale(scale).input("x", x).mask(mask)
                .output("out", out).run();
    }

    private static String inName(From from) {
        return from == From.OUTPUT ? "y" : "x";
    }

    // ---------------------------------------------------------------- the general kernel
    // What a backend implements for the operations above, one per storage family and element
    // type. Every operand has been validated (Call's offsets and strides lie inside the storage
    // given); operands the operation does not have are null. Heap arrays come with a boolean[]
    // mask; native memory (direct buffers, pointers, matrices) as pointers with a byte mask.

    /** The general kernel for heap float arrays (heap buffers arrive as their arrays). */
    protected abstract void applyK(Call call, float[] in1, float[] in2, float[] in3,
            boolean[] mask, float[] out);

    /** The general kernel for heap double arrays. */
    protected abstract void applyK(Call call, double[] in1, double[] in2, double[] in3,
            boolean[] mask, double[] out);

    /** The general kernel for float native memory; offsets count from each pointer's position. */
    protected abstract void applyK(Call call, FloatPointer in1, FloatPointer in2, FloatPointer in3,
            BytePointer mask, FloatPointer out);

    /** The general kernel for double native memory; offsets count from each pointer's position. */
    protected abstract void applyK(Call call, DoublePointer in1, DoublePointer in2,
            DoublePointer in3, BytePointer mask, DoublePointer out);
}
