package org.softmax4j.regression;

import java.io.IOException;
import java.nio.file.Path;

import org.softmax4j.Batch;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.ElementType;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;
import org.softmax4j.storage.Storage;

/**
 * A softmax-regression (multinomial logistic regression) classifier: weights W (classes × features)
 * and a bias b (classes), bound to a {@link Softmax} backend.
 *
 * <h2>Model</h2>
 * For an input x ∈ ℝ<sup>d</sup> the scores are z = W x + b and the class probabilities are
 * S(αz), with S the softmax and α an inverse temperature (1 for the model's own probabilities;
 * see {@link Scale}). For a batch X (rows × d) that is
 * <pre>
 *   Z = X Wᵀ + 1 bᵀ          one GEMM (rows × d times d × k)
 *   P = softmax(α Z)         the row softmax, in place on the output
 * </pre>
 * {@link #logProba logProba} gives log P by the stable log-softmax (never log of a rounded-to-zero
 * probability), {@link #scores scores} Z itself, and {@link #predict predict} the arg-max of z (the
 * lowest index among ties; −1 for a row of scores holding a NaN). Rows of x that hold NaN or
 * infinities give the rows the {@link Softmax} edge-case table gives for their scores.
 *
 * <h2>Precision and operands</h2>
 * Inputs and outputs are {@link Batch}es of any storage. The element type of x is the precision
 * of the computation: float32 inputs are computed against W and b rounded once to float (an
 * {@code sgemm}), float64 ones in double (a {@code dgemm}); the output has x's type. The model
 * is made from float32 or float64 weights and keeps them in both precisions (float weights
 * exactly). The output must not overlap the input.
 *
 * <h2>Backends</h2>
 * On the native backend each call is one JNI call into the C++ core, with no allocation: the
 * GEMM is split over the backend's threads ({@link Softmax#setThreads}) by blocks of the output,
 * each block computed by a single-threaded OpenBLAS call and then given its bias and the core's
 * row softmax while still in cache. OpenBLAS's own thread pool is held at one thread for the
 * process while the call runs (its count is process-wide) and restored after it. The classifier
 * keeps its weights off the heap where JavaCPP can allocate (so that a native call pins no array
 * for the length of a GEMM), released by {@link #close()}. On the pure-Java backend the same two
 * steps run as a plain Java loop in double precision, rounded to the element type once, followed
 * by the reference softmax. Either way every argument is checked first, in one place, and a
 * rejected call writes nothing.
 *
 * <h2>Training and files</h2>
 * {@link SoftmaxRegression} fits a classifier; {@link #loss loss} and {@link #gradient gradient}
 * evaluate an {@link Objective}; {@link #save} and {@link #load} use a NumPy {@code .npz} file
 * (see {@link ModelFile}).
 *
 * <p>Instances are immutable and safe to share between threads, until {@link #close()}.
 */
public final class SoftmaxClassifier implements AutoCloseable {

    /** Rows of scores predict() computes at a time, so that its workspace stays small. */
    private static final int PREDICT_BLOCK_ELEMENTS = 1 << 16;

    private final int classes;
    private final int features;
    /** W and b in double, row-major: the model itself (accessors, files, the L2 term). */
    private final double[] weights;
    private final double[] bias;
    private final Softmax backend;
    private final Kernel kernel;
    private final Parameters parameters;
    private volatile boolean closed;

    private SoftmaxClassifier(int classes, int features, double[] weights, double[] bias, Softmax backend) {
        this.classes = classes;
        this.features = features;
        this.weights = weights;
        this.bias = bias;
        this.backend = backend;
        this.kernel = Kernels.of(backend.backend());
        this.parameters = new Parameters(classes, features, weights, bias);
    }

    /**
     * A classifier with these weights (classes × features, float32 or float64) and bias
     * (1 × classes, the same type), both copied, on {@link Softmax#get()}.
     *
     * @param weights W, classes × features, float32 or float64, copied
     * @param bias b, 1 × classes, the same type, copied
     * @return a new classifier; close it to free its native copy of the weights
     * @throws NullPointerException if weights or bias is null
     * @throws IllegalArgumentException if there are no classes, the shapes or types do not match,
     *     or a value is not finite
     */
    public static SoftmaxClassifier of(Batch weights, Batch bias) {
        return of(weights, bias, Softmax.get());
    }

    /**
     * As {@link #of(Batch, Batch)}, on the given backend.
     *
     * @param weights W, classes × features, float32 or float64, copied
     * @param bias b, 1 × classes, the same type, copied
     * @param backend the backend to compute on
     * @return a new classifier; close it to free its native copy of the weights
     */
    public static SoftmaxClassifier of(Batch weights, Batch bias, Softmax backend) {
        Checks.notNull(backend, "backend");
        Checks.model(weights, bias);
        int k = weights.rows();
        int d = weights.cols();
        double[] w = new double[Math.multiplyExact(k, d)];
        double[] b = new double[k];
        double[] row = new double[d];
        Storage ws = Storage.of(weights);
        for (int j = 0; j < k; j++) {
            ws.read(weights.offset() + (long) j * weights.stride(), row, d);
            System.arraycopy(row, 0, w, j * d, d);
        }
        Storage.of(bias).read(bias.offset(), b, k);
        return new SoftmaxClassifier(k, d, w, b, backend);
    }

    /**
     * Shorthand for {@code of(Batch.of(weights, classes, features), Batch.of(bias, 1, classes))}.
     *
     * @param classes k, the number of classes, &ge; 1
     * @param features d, the number of features of an input, &ge; 0
     * @param weights W, classes × features, row-major, copied
     * @param bias b, one value per class, copied
     * @return a new classifier; close it to free its native copy of the weights
     */
    public static SoftmaxClassifier of(int classes, int features, double[] weights, double[] bias) {
        return of(classes, features, weights, bias, Softmax.get());
    }

    /**
     * As {@link #of(int, int, double[], double[])}, on the given backend.
     *
     * @param classes k, the number of classes, &ge; 1
     * @param features d, the number of features of an input, &ge; 0
     * @param weights W, classes × features, row-major, copied
     * @param bias b, one value per class, copied
     * @param backend the backend to compute on
     * @return a new classifier; close it to free its native copy of the weights
     */
    public static SoftmaxClassifier of(int classes, int features, double[] weights, double[] bias,
            Softmax backend) {
        Checks.notNull(weights, "weights");
        Checks.notNull(bias, "bias");
        Checks.positive("classes", classes);
        Checks.nonNegative("features", features);
        if (weights.length != (long) classes * features) {
            throw new IllegalArgumentException("weights must hold classes × features = " + classes + " × "
                    + features + " values, got " + weights.length);
        }
        if (bias.length != classes) {
            throw new IllegalArgumentException("bias must hold " + classes + " values, got " + bias.length);
        }
        return of(Batch.of(weights, classes, features), Batch.of(bias, 1, classes), backend);
    }

    /**
     * The same model on another backend (a new classifier; this one is left as it is).
     *
     * @param backend the backend to compute on
     * @return a new classifier with the same weights
     */
    public SoftmaxClassifier on(Softmax backend) {
        Checks.notNull(backend, "backend");
        ensureOpen();
        return new SoftmaxClassifier(classes, features, weights, bias, backend);
    }

    /**
     * k, the number of classes.
     *
     * @return k
     */
    public int classes() {
        return classes;
    }

    /**
     * d, the number of features of an input.
     *
     * @return d
     */
    public int features() {
        return features;
    }

    /**
     * A copy of W, classes × features, row-major.
     *
     * @return a copy of W
     */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * A copy of b, one value per class.
     *
     * @return a copy of b
     */
    public double[] bias() {
        return bias.clone();
    }

    /**
     * The backend this classifier computes on.
     *
     * @return the backend
     */
    public Softmax backend() {
        return backend;
    }

    /**
     * Releases the classifier's off-heap copies of its weights now. Idempotent. Any later use
     * other than the accessors throws {@link IllegalStateException}.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            parameters.close();
        }
    }

    @Override
    public String toString() {
        return "SoftmaxClassifier[" + classes + " classes, " + features + " features, " + backend.backend()
                + (closed ? ", closed" : "") + "]";
    }

    // ---------------------------------------------------------------- inference

    /**
     * The class probabilities S(z) of each input. As {@link #predictProba(Batch, Batch, Scale)}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param y receives rows × classes probabilities, x's type; must not overlap x
     */
    public void predictProba(Batch x, Batch y) {
        predictProba(x, y, Scale.ONE);
    }

    /**
     * Writes the class probabilities S(αz), z = W x + b, of each input: one GEMM and the row
     * softmax in place (a single native call on the native backend).
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param y receives rows × classes probabilities, x's type; must not overlap x
     * @param scale the inverse temperature α (a temperature τ: {@code Scale.temperature(τ)})
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException for a wrong shape or type, a read-only y or y overlapping x
     * @throws IllegalStateException if the classifier (or an operand's matrix) is closed
     */
    public void predictProba(Batch x, Batch y, Scale scale) {
        linear(Op.LINEAR_SOFTMAX, x, y, scale);
    }

    /**
     * The log-probabilities log S(z). As {@link #logProba(Batch, Batch, Scale)}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param y receives rows × classes log-probabilities, x's type; must not overlap x
     */
    public void logProba(Batch x, Batch y) {
        logProba(x, y, Scale.ONE);
    }

    /**
     * Writes the log-probabilities log S(αz) = αz − LSE(αz) of each input, by the stable
     * log-softmax. Arguments as for {@link #predictProba(Batch, Batch, Scale)}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param y receives rows × classes log-probabilities, x's type; must not overlap x
     * @param scale the inverse temperature α (a temperature τ: {@code Scale.temperature(τ)})
     */
    public void logProba(Batch x, Batch y, Scale scale) {
        linear(Op.LINEAR_LOG_SOFTMAX, x, y, scale);
    }

    /**
     * Writes the scores z = W x + b of each input (rows × classes). Arguments as for
     * {@link #predictProba(Batch, Batch, Scale)}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param y receives rows × classes scores, x's type; must not overlap x
     */
    public void scores(Batch x, Batch y) {
        linear(Op.LINEAR_SCORES, x, y, Scale.ONE);
    }

    private void linear(Op op, Batch x, Batch y, Scale scale) {
        Checks.notNull(x, "x");
        double alpha = Checks.notNull(scale, "scale").alpha();
        ensureOpen();
        boolean f32 = x.type() == ElementType.FLOAT32;
        Route.run(kernel, op, 0, x.rows(), features, classes, alpha, 0, x, parameters.weights(f32),
                parameters.bias(f32), null, y, null);
    }

    /**
     * The most probable class of each input: the index of the largest score (the lowest index
     * among ties), or −1 for an input whose scores hold a NaN.
     *
     * @param x the inputs, rows × features
     * @return one class per input, or −1 for an input whose scores hold a NaN
     * @throws NullPointerException if x is null
     * @throws IllegalArgumentException for a wrong shape or type
     * @throws IllegalStateException if the classifier is closed
     */
    public int[] predict(Batch x) {
        Checks.notNull(x, "x");
        int[] labels = new int[x.rows()];
        predict(x, labels, 0);
        return labels;
    }

    /**
     * As {@link #predict(Batch)}, into {@code labels} from {@code labelsOffset}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param labels receives one class (or −1) per input
     * @param labelsOffset where the first label goes in {@code labels}
     * @throws IndexOutOfBoundsException if labels has fewer than rows elements from the offset
     */
    public void predict(Batch x, int[] labels, int labelsOffset) {
        Checks.notNull(x, "x");
        Checks.notNull(labels, "labels");
        java.util.Objects.checkFromIndexSize(labelsOffset, x.rows(), labels.length);
        ensureOpen();
        if (x.rows() == 0) {
            // Nothing to compute, but the operand is still checked.
            scores(x, x.type() == ElementType.FLOAT32 ? Batch.of(new float[0], 0, classes)
                    : Batch.of(new double[0], 0, classes));
            return;
        }
        int block = Math.max(1, Math.min(x.rows(), PREDICT_BLOCK_ELEMENTS / classes));
        Workspace z = new Workspace(x.type(), block, classes);
        for (int r0 = 0; r0 < x.rows(); r0 += block) {
            int n = Math.min(block, x.rows() - r0);
            scores(x.slice(r0, r0 + n), z.batch.slice(0, n));
            for (int r = 0; r < n; r++) labels[labelsOffset + r0 + r] = z.argmax(r);
        }
    }

    /** Heap rows of scores of one element type. */
    private static final class Workspace {
        final Batch batch;
        final Storage storage;

        Workspace(ElementType type, int rows, int classes) {
            int size = Math.multiplyExact(rows, classes);
            batch = type == ElementType.FLOAT32 ? Batch.of(new float[size], rows, classes)
                    : Batch.of(new double[size], rows, classes);
            storage = Storage.of(batch);
        }

        /** The index of the largest score of row r (the first among ties), or −1 if one is NaN. */
        int argmax(int r) {
            int k = batch.cols();
            long start = (long) r * k;
            int best = 0;
            double max = storage.get(start);
            for (int j = 0; j < k; j++) {
                double v = storage.get(start + j);
                if (Double.isNaN(v)) return -1;
                if (v > max) {
                    max = v;
                    best = j;
                }
            }
            return best;
        }
    }

    // ---------------------------------------------------------------- objective

    /**
     * The objective at this classifier: the weighted mean cross-entropy of its predictions for
     * the inputs against their labels, plus the objective's L2 term; see {@link Objective} for the
     * formula. float32 inputs are evaluated in float (against W rounded to float), float64 ones in
     * double.
     *
     * @param x the inputs, rows × features
     * @param labels one class in [0, classes()) per input, from index 0
     * @param objective the loss: cross-entropy, its L2 penalty, label smoothing and class weights
     * @return the objective L
     * @throws NullPointerException if an argument is null
     * @throws IndexOutOfBoundsException if labels has fewer than rows elements
     * @throws IllegalArgumentException for a wrong shape or type, a label out of range, or class
     *     weights that do not fit
     * @throws IllegalStateException if the classifier is closed
     */
    public double loss(Batch x, int[] labels, Objective objective) {
        return evaluate(x, labels, objective, false).loss();
    }

    /**
     * The objective and its gradient with respect to W and b: ∂L/∂W = Gᵀ X + λW and
     * ∂L/∂b = Σ<sub>r</sub> G<sub>r</sub>, with G<sub>r</sub> = (s<sub>r</sub>/S)(S(z<sub>r</sub>) −
     * t<sub>r</sub>) computed once from the log-probabilities; on the native backend both products are
     * GEMMs. Arguments as for {@link #loss(Batch, int[], Objective)}.
     *
     * @param x the inputs, rows × features, float32 or float64
     * @param labels one class in [0, classes()) per input, from index 0
     * @param objective the loss: cross-entropy, its L2 penalty, label smoothing and class weights
     * @return the objective and its gradient with respect to W and b
     */
    public Gradient gradient(Batch x, int[] labels, Objective objective) {
        return evaluate(x, labels, objective, true);
    }

    private Gradient evaluate(Batch x, int[] labels, Objective objective, boolean grad) {
        Checks.notNull(x, "x");
        Checks.notNull(objective, "objective");
        int rows = x.rows();
        Checks.labels(labels, rows, classes);
        double scale = objective.scale(rows, labels, 0, classes);
        ensureOpen();
        boolean f32 = x.type() == ElementType.FLOAT32;
        Workspace z = new Workspace(x.type(), rows, classes);
        Workspace dw = grad ? new Workspace(x.type(), classes, features) : null;
        Workspace db = grad ? new Workspace(x.type(), 1, classes) : null;
        double loss = Head.dataLoss(kernel, x, Batch.of(labels, 0, rows, 1, 1), parameters.weights(f32),
                parameters.bias(f32), objective, scale, z.batch, grad ? dw.batch : null, grad ? db.batch : null);
        double[] gw = grad ? doubles(dw) : null;
        loss += Head.l2(objective.l2(), weights, 0, weights.length, gw, 0);
        return new Gradient(loss, gw, grad ? doubles(db) : null);
    }

    private static double[] doubles(Workspace w) {
        double[] d = new double[w.batch.rows() * w.batch.cols()];
        w.storage.read(0, d, d.length);
        return d;
    }

    // ---------------------------------------------------------------- files

    /**
     * Saves W and b to a NumPy {@code .npz} file (see {@link ModelFile} for the format). The file
     * is written to a temporary file in the same folder and then moved into place: it is either
     * complete or untouched.
     *
     * @param file the model file
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        ModelFile.save(file, classes, features, weights, bias);
    }

    /**
     * Loads a classifier saved by {@link #save}, on {@link Softmax#get()}.
     *
     * @param file the model file
     * @return the classifier
     * @throws IOException if the file cannot be read or is not a valid model file (the message names the problem)
     */
    public static SoftmaxClassifier load(Path file) throws IOException {
        return load(file, Softmax.get());
    }

    /**
     * Loads a classifier from a {@code .npz} file, on the given backend.
     *
     * @param file the model file
     * @param backend the backend to compute on
     * @return the classifier
     * @throws IOException if the file cannot be read or is not a valid model file (the message names the problem)
     */
    public static SoftmaxClassifier load(Path file, Softmax backend) throws IOException {
        Checks.notNull(backend, "backend");
        ModelFile.Model m = ModelFile.load(file);
        return new SoftmaxClassifier(m.classes(), m.features(), m.weights(), m.bias(), backend);
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(this + " is closed");
    }

    /** For the trainer: a classifier over arrays it hands over (not copied). */
    static SoftmaxClassifier adopt(int classes, int features, double[] weights, double[] bias, Softmax backend) {
        return new SoftmaxClassifier(classes, features, weights, bias, backend);
    }

    /**
     * W and b in both precisions as batches: off the heap in owned matrices, closed with the
     * classifier, where JavaCPP can allocate (so that a native call pins no array for the length
     * of a GEMM); else in heap arrays, which every backend takes as well.
     */
    private static final class Parameters implements AutoCloseable {
        private final Batch w32;
        private final Batch b32;
        private final Batch w64;
        private final Batch b64;
        private final AutoCloseable[] owned;

        Parameters(int k, int d, double[] w, double[] b) {
            float[] w32a = toFloat(w);
            float[] b32a = toFloat(b);
            AutoCloseable[] matrices = offHeap(k, d, w, b, w32a, b32a);
            if (matrices != null) {
                w32 = Batch.of((FloatMatrix) matrices[0]);
                b32 = Batch.of((FloatMatrix) matrices[1]);
                w64 = Batch.of((DoubleMatrix) matrices[2]);
                b64 = Batch.of((DoubleMatrix) matrices[3]);
            } else {
                w32 = Batch.of(w32a, k, d);
                b32 = Batch.of(b32a, 1, k);
                w64 = Batch.of(w, k, d);
                b64 = Batch.of(b, 1, k);
            }
            owned = matrices != null ? matrices : new AutoCloseable[0];
        }

        /** The four matrices, filled; null if JavaCPP cannot allocate native memory here. */
        private static AutoCloseable[] offHeap(int k, int d, double[] w, double[] b, float[] w32, float[] b32) {
            AutoCloseable[] m = new AutoCloseable[4];
            try {
                m[0] = FloatMatrix.allocate(k, d).copyFrom(w32);
                m[1] = FloatMatrix.allocate(1, k).copyFrom(b32);
                m[2] = DoubleMatrix.allocate(k, d).copyFrom(w);
                m[3] = DoubleMatrix.allocate(1, k).copyFrom(b);
                return m;
            } catch (LinkageError | RuntimeException e) {
                close(m);
                return null;
            }
        }

        private static float[] toFloat(double[] values) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return f;
        }

        Batch weights(boolean f32) {
            return f32 ? w32 : w64;
        }

        Batch bias(boolean f32) {
            return f32 ? b32 : b64;
        }

        @Override
        public void close() {
            close(owned);
        }

        private static void close(AutoCloseable[] resources) {
            for (AutoCloseable c : resources) {
                if (c == null) continue;
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
