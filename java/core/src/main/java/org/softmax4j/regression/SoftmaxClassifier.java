package org.softmax4j.regression;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Objects;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;

/**
 * A softmax-regression (multinomial logistic regression) classifier: weights W (classes × features)
 * and a bias b (classes), bound to a {@link Softmax} backend.
 *
 * <h2>Model</h2>
 * For an input x ∈ ℝ<sup>d</sup> the scores are z = W x + b and the class probabilities are
 * S(z/τ), with S the softmax and τ &gt; 0 a temperature (1 for the model's own probabilities).
 * For a batch X (rows × d) that is
 * <pre>
 *   Z = X Wᵀ + 1 bᵀ          one GEMM (rows × d times d × k)
 *   P = softmax(Z / τ)       the row softmax, in place on the output
 * </pre>
 * {@link #logProba logProba} gives log P by the stable log-softmax (never log of a rounded-to-zero
 * probability), and {@link #predict predict} the arg-max of z (the lowest index among ties; −1 for
 * a row of scores holding a NaN). Rows of x that hold NaN or infinities give the rows the
 * {@link Softmax} edge-case table gives for their scores.
 *
 * <h2>Precision and buffers</h2>
 * The parameters are held in double precision. Every inference method takes float or double
 * inputs, in every buffer kind {@link Softmax} takes (heap arrays with offsets, direct or heap NIO
 * buffers, JavaCPP pointers, {@link FloatMatrix}/{@link DoubleMatrix}); the element type of the
 * buffers is the precision of the computation: float inputs are computed against W and b rounded
 * once to float (an {@code sgemm}), double inputs in double (a {@code dgemm}). Rows are row-major
 * with a stride ({@code ldx} ≥ features, {@code ldy} ≥ classes); the output must not overlap the
 * input.
 *
 * <h2>Backends</h2>
 * On the native backend each call is one JNI call into the C++ core, with no allocation: the
 * GEMM is split over the backend's threads ({@link Softmax#setThreads}) by blocks of the output,
 * each block computed by a single-threaded OpenBLAS call and then given its bias and the core's
 * row softmax while still in cache. OpenBLAS's own thread pool is held at one thread for the
 * process while the call runs (its count is process-wide) and restored after it. The weights are
 * kept in native memory for it, released by {@link #close()}. On any other backend
 * (the pure-Java one) the same two steps run as a plain Java loop in double precision, rounded to
 * the element type once, followed by that backend's softmax in place: the reference semantics.
 * Either way every argument is checked first, in one place, and a rejected call writes nothing.
 *
 * <h2>Training and files</h2>
 * {@link SoftmaxRegression} fits a classifier; {@link #loss loss} and {@link #gradient gradient}
 * evaluate an {@link Objective}; {@link #save} and {@link #load} use a NumPy {@code .npz} file
 * (see {@link ModelFile}).
 *
 * <p>Instances are immutable and safe to share between threads, until {@link #close()}.
 */
public final class SoftmaxClassifier implements AutoCloseable {

    /** Operation codes of {@code sm4j_linear_*}. */
    static final int SCORES = -1;
    static final int PROBA = 0;
    static final int LOG_PROBA = 1;

    /** Rows of scores predict() computes at a time, so that its workspace stays small. */
    private static final int PREDICT_BLOCK_ELEMENTS = 1 << 16;

    private final int classes;
    private final int features;
    private final double[] weights;
    private final double[] bias;
    /** W and b rounded to float, as the float path of the Java backend uses them (null on native). */
    private final double[] weights32;
    private final double[] bias32;
    private final Softmax backend;
    /** The native copies of W and b (null on the Java backend). */
    private final NativeWeights nativeWeights;
    private volatile boolean closed;

    private SoftmaxClassifier(int classes, int features, double[] weights, double[] bias, Softmax backend) {
        this.classes = classes;
        this.features = features;
        this.weights = weights;
        this.bias = bias;
        this.backend = backend;
        if (backend.backend() == Softmax.Backend.NATIVE) {
            this.nativeWeights = new NativeWeights(weights, bias);
            this.weights32 = null;
            this.bias32 = null;
        } else {
            this.nativeWeights = null;
            this.weights32 = roundedToFloat(weights);
            this.bias32 = roundedToFloat(bias);
        }
    }

    /**
     * A classifier with these weights (row-major, classes × features) and bias (classes), both
     * copied, on {@link Softmax#get()}.
     *
     * @throws NullPointerException if weights or bias is null
     * @throws IllegalArgumentException if classes &lt; 1, features &lt; 0, a length does not match, or a value is not finite
     */
    public static SoftmaxClassifier of(int classes, int features, double[] weights, double[] bias) {
        return of(classes, features, weights, bias, Softmax.get());
    }

    /** As {@link #of(int, int, double[], double[])}, on the given backend. */
    public static SoftmaxClassifier of(int classes, int features, double[] weights, double[] bias,
            Softmax backend) {
        Objects.requireNonNull(backend, "backend");
        HeadChecks.model(classes, features, weights, bias);
        return new SoftmaxClassifier(classes, features, weights.clone(), bias.clone(), backend);
    }

    /** The same model on another backend (a new classifier; this one is left as it is). */
    public SoftmaxClassifier on(Softmax backend) {
        Objects.requireNonNull(backend, "backend");
        ensureOpen();
        return new SoftmaxClassifier(classes, features, weights, bias, backend);
    }

    /** k, the number of classes. */
    public int classes() {
        return classes;
    }

    /** d, the number of features of an input. */
    public int features() {
        return features;
    }

    /** A copy of W, classes × features, row-major. */
    public double[] weights() {
        return weights.clone();
    }

    /** A copy of b, one value per class. */
    public double[] bias() {
        return bias.clone();
    }

    /** The backend this classifier computes on. */
    public Softmax backend() {
        return backend;
    }

    /**
     * Releases the native copy of the weights now (on the native backend; otherwise nothing to
     * release). Idempotent. Any later use other than the accessors throws
     * {@link IllegalStateException}.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (nativeWeights != null) nativeWeights.close();
        }
    }

    @Override
    public String toString() {
        return "SoftmaxClassifier[" + classes + " classes, " + features + " features, " + backend.backend()
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- predictProba
    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in heap float arrays: one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, float[] x, float[] y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in heap double arrays: one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, double[] x, int xOffset, int ldx, double[] y, int yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, double[] x, double[] y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in float buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, FloatBuffer x, int xOffset, int ldx, FloatBuffer y, int yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, FloatBuffer x, FloatBuffer y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in double buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, DoubleBuffer x, int xOffset, int ldx, DoubleBuffer y, int yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, DoubleBuffer x, DoubleBuffer y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in JavaCPP float pointers (indices count from each pointer's position; its limit must cover what is read or written): one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, FloatPointer x, long xOffset, int ldx, FloatPointer y, long yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, FloatPointer x, FloatPointer y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the class probabilities S(z/τ), z = W x + b, for each of {@code rows} inputs held in JavaCPP double pointers (indices count from each pointer's position; its limit must cover what is read or written): one GEMM and the
     * row softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predictProba(int rows, DoublePointer x, long xOffset, int ldx, DoublePointer y, long yOffset, int ldy, double temperature) {
        run(PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** PredictProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void predictProba(int rows, DoublePointer x, DoublePointer y) {
        run(PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * PredictProba for every row of an off-heap matrix: x is rows × features(), y is rows × classes().
     *
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException if a shape does not match, or the temperature is bad
     * @throws IllegalStateException if a matrix or the classifier is closed
     */
    public void predictProba(FloatMatrix x, FloatMatrix y, double temperature) {
        HeadChecks.matrices(x, y, features, classes);
        run(PROBA, x.rows(), x.pointer(), 0L, x.stride(), y.pointer(), 0L, y.stride(), temperature);
    }

    /** PredictProba for every row of an off-heap matrix at temperature 1. */
    public void predictProba(FloatMatrix x, FloatMatrix y) {
        predictProba(x, y, 1.0);
    }

    /**
     * PredictProba for every row of an off-heap matrix: x is rows × features(), y is rows × classes().
     *
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException if a shape does not match, or the temperature is bad
     * @throws IllegalStateException if a matrix or the classifier is closed
     */
    public void predictProba(DoubleMatrix x, DoubleMatrix y, double temperature) {
        HeadChecks.matrices(x, y, features, classes);
        run(PROBA, x.rows(), x.pointer(), 0L, x.stride(), y.pointer(), 0L, y.stride(), temperature);
    }

    /** PredictProba for every row of an off-heap matrix at temperature 1. */
    public void predictProba(DoubleMatrix x, DoubleMatrix y) {
        predictProba(x, y, 1.0);
    }

    // ---------------------------------------------------------------- logProba
    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in heap float arrays: one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, float[] x, float[] y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in heap double arrays: one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, double[] x, int xOffset, int ldx, double[] y, int yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, double[] x, double[] y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in float buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, FloatBuffer x, int xOffset, int ldx, FloatBuffer y, int yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, FloatBuffer x, FloatBuffer y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in double buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, DoubleBuffer x, int xOffset, int ldx, DoubleBuffer y, int yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, DoubleBuffer x, DoubleBuffer y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in JavaCPP float pointers (indices count from each pointer's position; its limit must cover what is read or written): one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, FloatPointer x, long xOffset, int ldx, FloatPointer y, long yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, FloatPointer x, FloatPointer y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * Writes the log-probabilities log S(z/τ), z = W x + b, for each of {@code rows} inputs held in JavaCPP double pointers (indices count from each pointer's position; its limit must cover what is read or written): one GEMM and the
     * row log-softmax in place (a single native call on the native backend).
     *
     * @param rows number of inputs, &ge; 0
     * @param x the inputs, {@link #features()} values each; input {@code r} starts at {@code xOffset + r * ldx}
     * @param xOffset index of the first element of x
     * @param ldx distance between inputs, &ge; features()
     * @param y receives {@link #classes()} log-probabilities per input, row {@code r} from {@code yOffset + r * ldy}; must not overlap x
     * @param yOffset index of the first element of y
     * @param ldy distance between output rows, &ge; classes()
     * @param temperature τ, finite and &gt; 0; 1 for the model's own log-probabilities
     * @throws NullPointerException if x or y is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, a bad temperature, y overlapping x, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void logProba(int rows, DoublePointer x, long xOffset, int ldx, DoublePointer y, long yOffset, int ldy, double temperature) {
        run(LOG_PROBA, rows, x, xOffset, ldx, y, yOffset, ldy, temperature);
    }

    /** LogProba for {@code rows} contiguous inputs into contiguous rows of y, at temperature 1. */
    public void logProba(int rows, DoublePointer x, DoublePointer y) {
        run(LOG_PROBA, rows, x, 0, features, y, 0, classes, 1.0);
    }

    /**
     * LogProba for every row of an off-heap matrix: x is rows × features(), y is rows × classes().
     *
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException if a shape does not match, or the temperature is bad
     * @throws IllegalStateException if a matrix or the classifier is closed
     */
    public void logProba(FloatMatrix x, FloatMatrix y, double temperature) {
        HeadChecks.matrices(x, y, features, classes);
        run(LOG_PROBA, x.rows(), x.pointer(), 0L, x.stride(), y.pointer(), 0L, y.stride(), temperature);
    }

    /** LogProba for every row of an off-heap matrix at temperature 1. */
    public void logProba(FloatMatrix x, FloatMatrix y) {
        logProba(x, y, 1.0);
    }

    /**
     * LogProba for every row of an off-heap matrix: x is rows × features(), y is rows × classes().
     *
     * @throws NullPointerException if x or y is null
     * @throws IllegalArgumentException if a shape does not match, or the temperature is bad
     * @throws IllegalStateException if a matrix or the classifier is closed
     */
    public void logProba(DoubleMatrix x, DoubleMatrix y, double temperature) {
        HeadChecks.matrices(x, y, features, classes);
        run(LOG_PROBA, x.rows(), x.pointer(), 0L, x.stride(), y.pointer(), 0L, y.stride(), temperature);
    }

    /** LogProba for every row of an off-heap matrix at temperature 1. */
    public void logProba(DoubleMatrix x, DoubleMatrix y) {
        logProba(x, y, 1.0);
    }

    // ---------------------------------------------------------------- predict
    /**
     * The most probable class of each of {@code rows} inputs held in heap float arrays: the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, float[] x, int xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, float[] x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /**
     * The most probable class of each of {@code rows} inputs held in heap double arrays: the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, double[] x, int xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, double[] x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /**
     * The most probable class of each of {@code rows} inputs held in float buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, FloatBuffer x, int xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, FloatBuffer x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /**
     * The most probable class of each of {@code rows} inputs held in double buffers (direct ones in native order are used in place, heap ones through their array; indices count from each buffer's position, which is left unchanged): the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, DoubleBuffer x, int xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, DoubleBuffer x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /**
     * The most probable class of each of {@code rows} inputs held in JavaCPP float pointers (indices count from each pointer's position; its limit must cover what is read or written): the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, FloatPointer x, long xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, FloatPointer x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /**
     * The most probable class of each of {@code rows} inputs held in JavaCPP double pointers (indices count from each pointer's position; its limit must cover what is read or written): the index of the
     * largest score (the lowest index among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param labels receives one class per input, from labelsOffset
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its buffer
     * @throws IllegalArgumentException for negative rows, a stride too small, or an unusable buffer
     * @throws IllegalStateException if the classifier is closed
     */
    public void predict(int rows, DoublePointer x, long xOffset, int ldx, int[] labels, int labelsOffset) {
        predictRun(rows, x, xOffset, ldx, labels, labelsOffset);
    }

    /** The most probable class of each of {@code rows} contiguous inputs. */
    public int[] predict(int rows, DoublePointer x) {
        HeadChecks.rows(rows);
        int[] labels = new int[rows];
        predictRun(rows, x, 0, features, labels, 0);
        return labels;
    }

    /** The most probable class of each row of an off-heap matrix of rows × features(). */
    public int[] predict(FloatMatrix x) {
        HeadChecks.matrix(x, features);
        int[] labels = new int[x.rows()];
        predictRun(x.rows(), x.pointer(), 0L, x.stride(), labels, 0);
        return labels;
    }

    /** The most probable class of each row of an off-heap matrix of rows × features(). */
    public int[] predict(DoubleMatrix x) {
        HeadChecks.matrix(x, features);
        int[] labels = new int[x.rows()];
        predictRun(x.rows(), x.pointer(), 0L, x.stride(), labels, 0);
        return labels;
    }

    // ---------------------------------------------------------------- objective

    /**
     * The objective at this classifier: the weighted mean cross-entropy of its predictions for
     * {@code rows} inputs (float64, row r from {@code xOffset + r * ldx}) against their labels,
     * plus the objective's L2 term; see {@link Objective} for the formula.
     *
     * @param labels one class in [0, classes()) per input, from labelsOffset
     * @throws NullPointerException if x, labels or objective is null
     * @throws IndexOutOfBoundsException if an offset or a row lies outside its array
     * @throws IllegalArgumentException for negative rows, a stride too small, a label out of range, or class weights that do not fit
     * @throws IllegalStateException if the classifier is closed
     */
    public double loss(int rows, double[] x, int xOffset, int ldx, int[] labels, int labelsOffset,
            Objective objective) {
        return evaluate(rows, x, xOffset, ldx, labels, labelsOffset, objective, false).loss();
    }

    /** The objective for {@code rows} contiguous inputs. */
    public double loss(int rows, double[] x, int[] labels, Objective objective) {
        return loss(rows, x, 0, features, labels, 0, objective);
    }

    /**
     * The objective and its gradient with respect to W and b: ∂L/∂W = Gᵀ X + λW and
     * ∂L/∂b = Σ<sub>r</sub> G<sub>r</sub>, with G<sub>r</sub> = (s<sub>r</sub>/S)(S(z<sub>r</sub>) −
     * t<sub>r</sub>) computed once from the log-probabilities; on the native backend both products are
     * GEMMs of one native call. Arguments as for {@link #loss(int, double[], int, int, int[], int, Objective)}.
     */
    public Gradient gradient(int rows, double[] x, int xOffset, int ldx, int[] labels,
            int labelsOffset, Objective objective) {
        return evaluate(rows, x, xOffset, ldx, labels, labelsOffset, objective, true);
    }

    /** The objective and its gradient for {@code rows} contiguous inputs. */
    public Gradient gradient(int rows, double[] x, int[] labels, Objective objective) {
        return gradient(rows, x, 0, features, labels, 0, objective);
    }

    private Gradient evaluate(int rows, double[] x, int xo, int ldx, int[] labels, int lo,
            Objective objective, boolean grad) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(objective, "objective");
        HeadChecks.input(rows, features, x.length, xo, ldx);
        HeadChecks.labels(rows, labels, lo, classes);
        double scale = objective.scale(rows, labels, lo, classes);
        ensureOpen();
        double[] z = new double[Math.multiplyExact(rows, classes)];
        double[] gw = grad ? new double[weights.length] : null;
        double[] gb = grad ? new double[classes] : null;
        double loss = Head.objective(backend, rows, features, classes, x, xo, ldx, labels, lo,
                weights, 0, bias, 0, objective, scale, z, gw, 0, gb, 0);
        return new Gradient(loss, gw, gb);
    }

    // ---------------------------------------------------------------- files

    /**
     * Saves W and b to a NumPy {@code .npz} file (see {@link ModelFile} for the format). The file
     * is written to a temporary file in the same folder and then moved into place: it is either
     * complete or untouched.
     *
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        ModelFile.save(file, classes, features, weights, bias);
    }

    /** Loads a classifier saved by {@link #save}, on {@link Softmax#get()}. */
    public static SoftmaxClassifier load(Path file) throws IOException {
        return load(file, Softmax.get());
    }

    /**
     * Loads a classifier from a {@code .npz} file, on the given backend.
     *
     * @throws IOException if the file cannot be read or is not a valid model file (the message names the problem)
     */
    public static SoftmaxClassifier load(Path file, Softmax backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        ModelFile.Model m = ModelFile.load(file);
        return new SoftmaxClassifier(m.classes(), m.features(), m.weights(), m.bias(), backend);
    }

    // ---------------------------------------------------------------- validation, then dispatch
    // One adapter per buffer kind: null checks and buffer usability, then the common path.

    private void run(int op, int rows, float[] x, int xo, int ldx, float[] y, int yo, int ldy, double t) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    private void run(int op, int rows, double[] x, int xo, int ldx, double[] y, int yo, int ldy, double t) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    private void run(int op, int rows, FloatBuffer x, int xo, int ldx, FloatBuffer y, int yo, int ldy, double t) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        HeadChecks.usable(x, x.order(), y, y.order());
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    private void run(int op, int rows, DoubleBuffer x, int xo, int ldx, DoubleBuffer y, int yo, int ldy, double t) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        HeadChecks.usable(x, x.order(), y, y.order());
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    private void run(int op, int rows, FloatPointer x, long xo, int ldx, FloatPointer y, long yo, int ldy, double t) {
        HeadChecks.notNullPointer("x", x);
        HeadChecks.notNullPointer("y", y);
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    private void run(int op, int rows, DoublePointer x, long xo, int ldx, DoublePointer y, long yo, int ldy, double t) {
        HeadChecks.notNullPointer("x", x);
        HeadChecks.notNullPointer("y", y);
        run(op, rows, Operand.of(x), xo, ldx, Operand.of(y), yo, ldy, t);
    }

    /** Every check of an inference call, then the computation. */
    private void run(int op, int rows, Operand x, long xo, int ldx, Operand y, long yo, int ldy,
            double temperature) {
        double a = HeadChecks.inverseTemperature(temperature);
        HeadChecks.input(rows, features, x.length(), xo, ldx);
        HeadChecks.output(rows, classes, y.length(), yo, ldy);
        HeadChecks.disjoint(x, xo, ldx, rows, features, y, yo, ldy, classes);
        ensureOpen();
        compute(op, rows, x, xo, ldx, y, yo, ldy, a, temperature);
    }

    /** y = op(x Wᵀ + b) on validated operands of one kind. */
    private void compute(int op, int rows, Operand x, long xo, int ldx, Operand y, long yo,
            int ldy, double a, double temperature) {
        if (rows == 0) return;
        if (nativeWeights != null) {
            x.linear(op, rows, features, classes, xo, ldx, nativeWeights, y, yo, ldy, a);
            // The weights must outlive the native call, even if the caller drops this object.
            Reference.reachabilityFence(this);
            return;
        }
        boolean single = y.single();
        Head.scores(rows, features, classes, x, xo, ldx, single ? weights32 : weights,
                single ? bias32 : bias, y, yo, ldy);
        if (op != SCORES) y.rows(backend, op == LOG_PROBA, rows, classes, yo, ldy, temperature);
    }

    private void predictRun(int rows, float[] x, int xo, int ldx, int[] labels, int lo) {
        Objects.requireNonNull(x, "x");
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    private void predictRun(int rows, double[] x, int xo, int ldx, int[] labels, int lo) {
        Objects.requireNonNull(x, "x");
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    private void predictRun(int rows, FloatBuffer x, int xo, int ldx, int[] labels, int lo) {
        Objects.requireNonNull(x, "x");
        HeadChecks.usableInput(x, x.order());
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    private void predictRun(int rows, DoubleBuffer x, int xo, int ldx, int[] labels, int lo) {
        Objects.requireNonNull(x, "x");
        HeadChecks.usableInput(x, x.order());
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    private void predictRun(int rows, FloatPointer x, long xo, int ldx, int[] labels, int lo) {
        HeadChecks.notNullPointer("x", x);
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    private void predictRun(int rows, DoublePointer x, long xo, int ldx, int[] labels, int lo) {
        HeadChecks.notNullPointer("x", x);
        predictRun(rows, Operand.of(x), xo, ldx, labels, lo);
    }

    /** Scores block by block into a workspace of x's kind, then the arg-max of each row. */
    private void predictRun(int rows, Operand x, long xo, int ldx, int[] labels, int lo) {
        HeadChecks.input(rows, features, x.length(), xo, ldx);
        HeadChecks.labelOutput(rows, labels, lo);
        ensureOpen();
        if (rows == 0) return;
        int block = Math.max(1, Math.min(rows, PREDICT_BLOCK_ELEMENTS / classes));
        Operand z = x.scratch(block * classes);
        try {
            for (int r0 = 0; r0 < rows; r0 += block) {
                int n = Math.min(block, rows - r0);
                compute(SCORES, n, x, xo + (long) r0 * ldx, ldx, z, 0, classes, 1, 1);
                for (int r = 0; r < n; r++) labels[lo + r0 + r] = argmax(z, (long) r * classes, classes);
            }
        } finally {
            z.release();
        }
    }

    /** The index of the largest of n values (the first among ties), or −1 if one is NaN. */
    static int argmax(Operand z, long start, int n) {
        int best = 0;
        double max = z.get(start);
        for (int j = 0; j < n; j++) {
            double v = z.get(start + j);
            if (Double.isNaN(v)) return -1;
            if (v > max) {
                max = v;
                best = j;
            }
        }
        return best;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    private static double[] roundedToFloat(double[] values) {
        double[] r = new double[values.length];
        for (int i = 0; i < values.length; i++) r[i] = (float) values[i];
        return r;
    }

    /** For the trainer: a classifier over arrays it hands over (not copied). */
    static SoftmaxClassifier adopt(int classes, int features, double[] weights, double[] bias, Softmax backend) {
        return new SoftmaxClassifier(classes, features, weights, bias, backend);
    }
}
