package org.softmax4j.regression;

import java.util.Objects;
import java.util.Random;

import org.softmax4j.Batch;
import org.softmax4j.Softmax;
import org.softmax4j.backend.Checks;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.storage.Storage;

/**
 * Trains a {@link SoftmaxClassifier}: minimises an {@link Objective} (mean cross-entropy + L2,
 * optionally with label smoothing and class weights) over a training set with L-BFGS.
 *
 * <pre>{@code
 * Dataset train = Dataset.digitsTrain();
 * try (SoftmaxClassifier model = SoftmaxRegression.create()
 *         .withL2(0.01)
 *         .withListener(e -> System.out.println(e.epoch() + " " + e.loss()))
 *         .fit(train)) {
 *     double acc = Dataset.digitsTest().accuracy(model);
 * }
 * }</pre>
 *
 * <h2>Why L-BFGS, full batch</h2>
 * With λ &gt; 0 the objective is smooth and strongly convex in (W, b) up to the bias, so it has
 * one minimum and a quasi-Newton method reaches it in a few hundred iterations without a learning
 * rate to tune: the result depends on the data and λ, not on a schedule. It is also what
 * scikit-learn's {@code LogisticRegression} uses by default, so the two can be compared model for
 * model (see {@link Objective} for the relation of λ to scikit-learn's C). Each iteration is one
 * or a few full passes, each pass two GEMMs (scores, and Gᵀ X for the gradient), which is where a
 * BLAS is at its best; mini-batch SGD/Adam would pay off only for data sets too large to pass over
 * many times, which is not what this head is for.
 *
 * <p>Details: the two-loop recursion with the last {@code history} pairs (s, y), the initial
 * Hessian scaled by sᵀy/yᵀy; a backtracking line search on the Armijo condition (c₁ = 10⁻⁴) from
 * the unit step (the first step of length 1), shrinking by safeguarded quadratic interpolation;
 * a pair is kept only when sᵀy &gt; 0, and a direction that does not descend restarts from the
 * gradient.
 *
 * <h2>Stopping</h2>
 * After each epoch (one iteration): stop when the gradient's largest component is at most the
 * gradient tolerance ({@link TrainingListener.Stop#CONVERGED}); when the loss improved by less than
 * the relative tolerance, (f<sub>prev</sub> − f)/max(1, |f|), for {@code patience} consecutive
 * epochs ({@link TrainingListener.Stop#NO_IMPROVEMENT}, early stopping); when no step lowers the
 * loss; or after {@code maxEpochs}.
 *
 * <h2>Determinism</h2>
 * The weights start as N(0, initScale²) draws from {@code java.util.Random(seed)} (whose algorithm
 * its Javadoc fixes), the bias at 0; everything after is deterministic arithmetic. The same data,
 * options, seed, backend and thread count give the same model bit for bit. (For λ &gt; 0 every seed
 * leads to the same minimum, up to the tolerances.)
 *
 * <p>Instances are immutable; the {@code with} methods return modified copies.
 */
public final class SoftmaxRegression {
    private Objective objective = Objective.crossEntropy();
    private int maxEpochs = 1000;
    private double tolerance = 1e-10;
    private int patience = 10;
    private double gradientTolerance = 1e-6;
    private int history = 10;
    private long seed = 0;
    private double initScale = 0.01;
    private Softmax backend;
    private TrainingListener listener;

    private SoftmaxRegression() {}

    /**
     * Defaults: plain cross-entropy (no L2), at most 1000 epochs, relative tolerance 1e-10 with
     * patience 10, gradient tolerance 1e-6, history 10, seed 0, initial scale 0.01, on
     * {@link Softmax#get()}, no listener.
     *
     * @return a trainer with the defaults
     */
    public static SoftmaxRegression create() {
        return new SoftmaxRegression();
    }

    private SoftmaxRegression copy() {
        SoftmaxRegression c = new SoftmaxRegression();
        c.objective = objective;
        c.maxEpochs = maxEpochs;
        c.tolerance = tolerance;
        c.patience = patience;
        c.gradientTolerance = gradientTolerance;
        c.history = history;
        c.seed = seed;
        c.initScale = initScale;
        c.backend = backend;
        c.listener = listener;
        return c;
    }

    /**
     * The objective to minimise.
     *
     * @param objective the objective
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withObjective(Objective objective) {
        SoftmaxRegression c = copy();
        c.objective = Checks.notNull(objective, "objective");
        return c;
    }

    /**
     * Shorthand for {@code withObjective(objective().withL2(lambda))}.
     *
     * @param lambda the L2 penalty λ, finite and &ge; 0
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withL2(double lambda) {
        return withObjective(objective.withL2(lambda));
    }

    /**
     * Shorthand for {@code withObjective(objective().withLabelSmoothing(epsilon))}.
     *
     * @param epsilon the label smoothing ε, in [0, 1]
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withLabelSmoothing(double epsilon) {
        return withObjective(objective.withLabelSmoothing(epsilon));
    }

    /**
     * Shorthand for {@code withObjective(objective().withClassWeights(weights))}.
     *
     * @param weights one finite weight &ge; 0 per class, or null for none
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withClassWeights(double... weights) {
        return withObjective(objective.withClassWeights(weights));
    }

    /**
     * At most this many epochs (L-BFGS iterations), &ge; 0.
     *
     * @param maxEpochs the maximum number of epochs
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withMaxEpochs(int maxEpochs) {
        if (maxEpochs < 0) throw new IllegalArgumentException("maxEpochs must be >= 0, got " + maxEpochs);
        SoftmaxRegression c = copy();
        c.maxEpochs = maxEpochs;
        return c;
    }

    /**
     * Early stopping: the relative improvement below which an epoch counts as no progress, &ge; 0.
     *
     * @param tolerance the tolerance
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withTolerance(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        SoftmaxRegression c = copy();
        c.tolerance = tolerance;
        return c;
    }

    /**
     * Early stopping: epochs without progress in a row before stopping, &ge; 1.
     *
     * @param patience the number of epochs
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withPatience(int patience) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        SoftmaxRegression c = copy();
        c.patience = patience;
        return c;
    }

    /**
     * Convergence: the largest gradient component at which to stop, &ge; 0.
     *
     * @param gradientTolerance the tolerance
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withGradientTolerance(double gradientTolerance) {
        if (!(gradientTolerance >= 0) || Double.isInfinite(gradientTolerance)) {
            throw new IllegalArgumentException("gradientTolerance must be finite and >= 0, got " + gradientTolerance);
        }
        SoftmaxRegression c = copy();
        c.gradientTolerance = gradientTolerance;
        return c;
    }

    /**
     * L-BFGS memory: the number of (s, y) pairs kept, &ge; 1.
     *
     * @param history the number of pairs
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withHistory(int history) {
        if (history < 1) throw new IllegalArgumentException("history must be >= 1, got " + history);
        SoftmaxRegression c = copy();
        c.history = history;
        return c;
    }

    /**
     * The seed of the initial weights.
     *
     * @param seed the seed
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withSeed(long seed) {
        SoftmaxRegression c = copy();
        c.seed = seed;
        return c;
    }

    /**
     * The standard deviation of the initial weights, &ge; 0 (0: start from zero).
     *
     * @param initScale the standard deviation
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withInitScale(double initScale) {
        if (!(initScale >= 0) || Double.isInfinite(initScale)) {
            throw new IllegalArgumentException("initScale must be finite and >= 0, got " + initScale);
        }
        SoftmaxRegression c = copy();
        c.initScale = initScale;
        return c;
    }

    /**
     * The backend that computes during training, and that the trained classifier is bound to.
     *
     * @param backend the backend
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withBackend(Softmax backend) {
        SoftmaxRegression c = copy();
        c.backend = Checks.notNull(backend, "backend");
        return c;
    }

    /**
     * Called after each epoch and at the end; null for none.
     *
     * @param listener the listener, or null
     * @return a copy of this trainer with that setting
     */
    public SoftmaxRegression withListener(TrainingListener listener) {
        SoftmaxRegression c = copy();
        c.listener = listener;
        return c;
    }

    /**
     * The objective to minimise.
     *
     * @return the objective, plain cross-entropy unless set
     */
    public Objective objective() {
        return objective;
    }

    /**
     * Fits a classifier with {@code data.classes()} classes to a data set.
     *
     * @param data the inputs and labels
     * @return the trained classifier, on this trainer's backend
     */
    public SoftmaxClassifier fit(Dataset data) {
        Checks.notNull(data, "data");
        return fit(data.rows(), data.features(), data.xRaw(), data.labelsRaw(), data.classes());
    }

    /**
     * Fits a classifier to the inputs x (rows × features, float32 or float64, any storage; used in
     * double precision) with one label in [0, classes) per row.
     *
     * @param x the inputs, rows × features
     * @param labels one class in [0, classes) per row, from index 0
     * @param classes the number of classes, &ge; 1
     * @return the trained classifier, on this trainer's backend
     * @throws NullPointerException if x or labels is null
     * @throws IndexOutOfBoundsException if labels has fewer than rows elements
     * @throws IllegalArgumentException if x has no rows, classes &lt; 1, a value of x is not
     *     finite, a label is out of range, or the class weights do not fit
     */
    public SoftmaxClassifier fit(Batch x, int[] labels, int classes) {
        Checks.notNull(x, "x");
        Checks.dataType("x", x, null, null);
        Checks.live("x", x);
        int rows = x.rows();
        int features = x.cols();
        double[] dense = new double[Math.multiplyExact(rows, features)];
        double[] row = new double[features];
        Storage s = Storage.of(x);
        for (int r = 0; r < rows; r++) {
            s.read(x.offset() + (long) r * x.stride(), row, features);
            System.arraycopy(row, 0, dense, r * features, features);
        }
        return fit(rows, features, dense, labels, classes);
    }

    private SoftmaxClassifier fit(int rows, int features, double[] x, int[] labels, int classes) {
        Checks.positive("rows", rows);
        Checks.positive("classes", classes);
        Checks.labels(labels, rows, classes);
        Checks.finite("x", x);
        double scale = objective.scale(rows, labels, 0, classes);
        Softmax b = backend != null ? backend : Softmax.get();
        Kernel kernel = Kernels.of(b.backend());
        int d = features;
        int k = classes;
        int kd = k * d;
        Batch xb = Batch.of(x, rows, d);
        Batch lb = Batch.of(labels, 0, rows, 1, 1);
        Batch z = Batch.of(new double[Math.multiplyExact(rows, k)], rows, k);
        DataTerm data = (theta, g) -> Head.dataLoss(kernel, xb, lb, Batch.of(theta, 0, k, d, d),
                Batch.of(theta, kd, 1, k, k), objective, scale, z, Batch.of(g, 0, k, d, d), Batch.of(g, kd, 1, k, k));
        return result(d, k, new Lbfgs(d, k, data).run(), b);
    }

    /**
     * The data term of the objective over a training set this trainer does not hold, for example
     * one spread over a cluster (softmax4j-spark): the caller evaluates
     * (1/S) Σ<sub>r</sub> s<sub>r</sub>·CE<sub>r</sub> (see {@link Objective}; label smoothing and
     * class weights are the caller's to apply) and its gradient; the trainer adds the L2 term of
     * {@link #objective()}.
     */
    @FunctionalInterface
    public interface DataTerm {
        /**
         * The data term at θ = [W | b] (W classes × features, row-major, then b), writing its
         * gradient, in the same layout, over {@code gradient}.
         *
         * @param theta the parameters, classes × features + classes values; not to be modified
         * @param gradient receives ∂(data term)/∂θ, every element overwritten
         * @return the data term at θ
         */
        double evaluate(double[] theta, double[] gradient);
    }

    /**
     * Fits a classifier to a data term the caller evaluates: the same optimiser, initial point,
     * L2 term, stopping rules and listener as {@link #fit(Dataset)}, so that a data term computing
     * what {@code fit} would (to rounding) gives the same model. The classifier is bound to this
     * trainer's backend.
     *
     * @param features d, the features per row
     * @param classes k, the number of classes
     * @param data evaluates the data term and its gradient at a θ of k·d + k values
     * @return the fitted classifier
     * @throws NullPointerException if data is null
     * @throws IllegalArgumentException if classes &lt; 1 or features &lt; 0
     */
    public SoftmaxClassifier fit(int features, int classes, DataTerm data) {
        Checks.notNull(data, "data");
        Checks.positive("classes", classes);
        if (features < 0) throw new IllegalArgumentException("features must be >= 0, got " + features);
        Softmax b = backend != null ? backend : Softmax.get();
        return result(features, classes, new Lbfgs(features, classes, data).run(), b);
    }

    private static SoftmaxClassifier result(int features, int classes, double[] theta, Softmax b) {
        double[] w = java.util.Arrays.copyOf(theta, classes * features);
        double[] bias = java.util.Arrays.copyOfRange(theta, classes * features, theta.length);
        return SoftmaxClassifier.adopt(classes, features, w, bias, b);
    }

    /** One run of the optimiser over θ = [W | b]. */
    private final class Lbfgs {
        private final int d;
        private final int k;
        private final DataTerm data;
        private int evaluations;

        Lbfgs(int d, int k, DataTerm data) {
            this.d = d;
            this.k = k;
            this.data = data;
        }

        /** f(θ) = data term + L2 term, and ∇f(θ) into g; θ = [W | b] and g alike. */
        double evaluate(double[] theta, double[] g) {
            evaluations++;
            return data.evaluate(theta, g) + Head.l2(objective.l2(), theta, 0, k * d, g, 0);
        }

        /**
         * A step along dir satisfying the strong Wolfe conditions (c₁ = 1e-4, c₂ = 0.9), by
         * bracketing and zooming with safeguarded cubic interpolation (Nocedal and Wright,
         * Algorithms 3.5 and 3.6). Leaves the new point in {@code next}, its gradient in
         * {@code gNext}, and returns its value; NaN if no step lowers the objective.
         */
        double search(double[] theta, double f0, double slope0, double[] dir, double step,
                double[] next, double[] gNext) {
            double aPrev = 0;
            double fPrev = f0;
            double sPrev = slope0;
            double a = step;
            for (int i = 0; i < MAX_SEARCH; i++) {
                double fa = at(theta, dir, a, next, gNext);
                double sa = dot(gNext, dir);
                if (!(fa <= f0 + C1 * a * slope0) || (i > 0 && fa >= fPrev)) {
                    return zoom(theta, f0, slope0, dir, aPrev, fPrev, sPrev, a, fa, sa, next, gNext);
                }
                if (Math.abs(sa) <= -C2 * slope0) return fa;
                if (sa >= 0) return zoom(theta, f0, slope0, dir, a, fa, sa, aPrev, fPrev, sPrev, next, gNext);
                aPrev = a;
                fPrev = fa;
                sPrev = sa;
                a *= 2;
            }
            return at(theta, dir, aPrev, next, gNext);
        }

        /** Narrows [lo, hi], lo the best point so far (sufficient decrease), to a Wolfe step. */
        private double zoom(double[] theta, double f0, double slope0, double[] dir, double lo,
                double fLo, double sLo, double hi, double fHi, double sHi, double[] next,
                double[] gNext) {
            for (int i = 0; i < MAX_SEARCH; i++) {
                double a = cubicMin(lo, fLo, sLo, hi, fHi, sHi);
                double fa = at(theta, dir, a, next, gNext);
                double sa = dot(gNext, dir);
                if (!(fa <= f0 + C1 * a * slope0) || fa >= fLo) {
                    hi = a;
                    fHi = fa;
                    sHi = sa;
                } else {
                    if (Math.abs(sa) <= -C2 * slope0) return fa;
                    if (sa * (hi - lo) >= 0) {
                        hi = lo;
                        fHi = fLo;
                        sHi = sLo;
                    }
                    lo = a;
                    fLo = fa;
                    sLo = sa;
                }
                if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
            }
            // No Wolfe point found: take the best one if it lowered the objective at all.
            return lo > 0 ? at(theta, dir, lo, next, gNext) : Double.NaN;
        }

        /** f and ∇f at theta + a·dir, into next and g. */
        private double at(double[] theta, double[] dir, double a, double[] next, double[] g) {
            for (int i = 0; i < theta.length; i++) next[i] = theta[i] + a * dir[i];
            return evaluate(next, g);
        }

        double[] run() {
            int n = k * d + k;
            double[] theta = new double[n];
            if (initScale > 0) {
                Random random = new Random(seed);
                for (int i = 0; i < k * d; i++) theta[i] = initScale * random.nextGaussian();
            }
            double[] g = new double[n];
            double f = evaluate(theta, g);
            Epoch last = new Epoch(0, f, maxAbs(g), evaluations);
            int m = history;
            double[][] s = new double[m][n];
            double[][] y = new double[m][n];
            double[] rho = new double[m];
            double[] alpha = new double[m];
            int pairs = 0;
            int newest = -1;
            double[] dir = new double[n];
            double[] next = new double[n];
            double[] gNext = new double[n];
            int stalled = 0;
            TrainingListener.Stop stop = TrainingListener.Stop.MAX_EPOCHS;
            if (last.gradientNorm() <= gradientTolerance) stop = TrainingListener.Stop.CONVERGED;
            for (int epoch = 1; epoch <= maxEpochs && stop == TrainingListener.Stop.MAX_EPOCHS; epoch++) {
                // dir = −H g by the two-loop recursion over the stored pairs, newest first.
                for (int i = 0; i < n; i++) dir[i] = -g[i];
                for (int p = 0, i = newest; p < pairs; p++, i = (i - 1 + m) % m) {
                    alpha[i] = rho[i] * dot(s[i], dir);
                    axpy(-alpha[i], y[i], dir);
                }
                if (pairs > 0) {
                    double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                    for (int i = 0; i < n; i++) dir[i] *= gamma;
                }
                for (int p = 0, i = (newest - pairs + 1 + m) % m; p < pairs; p++, i = (i + 1) % m) {
                    double beta = rho[i] * dot(y[i], dir);
                    axpy(alpha[i] - beta, s[i], dir);
                }
                double slope = dot(g, dir);
                if (!(slope < 0)) { // not a descent direction: forget the curvature, follow −g
                    pairs = 0;
                    for (int i = 0; i < n; i++) dir[i] = -g[i];
                    slope = -dot(g, g);
                }
                double step = pairs == 0 ? 1 / Math.sqrt(dot(dir, dir)) : 1;
                double fNext = search(theta, f, slope, dir, step, next, gNext);
                if (Double.isNaN(fNext)) {
                    stop = TrainingListener.Stop.NO_DESCENT;
                    break;
                }
                double sy = 0;
                for (int i = 0; i < n; i++) sy += (next[i] - theta[i]) * (gNext[i] - g[i]);
                if (sy > 0) { // keep the pair only where the curvature is positive
                    int slot = (newest + 1) % m;
                    for (int i = 0; i < n; i++) {
                        s[slot][i] = next[i] - theta[i];
                        y[slot][i] = gNext[i] - g[i];
                    }
                    rho[slot] = 1 / sy;
                    newest = slot;
                    pairs = Math.min(pairs + 1, m);
                }
                double fPrev = f;
                System.arraycopy(next, 0, theta, 0, n);
                System.arraycopy(gNext, 0, g, 0, n);
                f = fNext;
                last = new Epoch(epoch, f, maxAbs(g), evaluations);
                if (listener != null) listener.onEpoch(last);
                if (last.gradientNorm() <= gradientTolerance) {
                    stop = TrainingListener.Stop.CONVERGED;
                } else if ((fPrev - f) / Math.max(1, Math.abs(f)) < tolerance) {
                    if (++stalled >= patience) stop = TrainingListener.Stop.NO_IMPROVEMENT;
                } else {
                    stalled = 0;
                }
            }
            if (listener != null) listener.onStop(stop, last);
            return theta;
        }
    }

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_SEARCH = 30;

    /**
     * The minimiser of the cubic through (a, fa) and (b, fb) with slopes sa and sb, kept at
     * least a tenth of the interval away from its ends; the midpoint if the cubic has none.
     */
    static double cubicMin(double a, double fa, double sa, double b, double fb, double sb) {
        double lo = Math.min(a, b);
        double hi = Math.max(a, b);
        double margin = 0.1 * (hi - lo);
        double d1 = sa + sb - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - sa * sb;
        double t = Double.NaN;
        if (disc >= 0 && Double.isFinite(disc)) {
            double d2 = Math.signum(b - a) * Math.sqrt(disc);
            t = b - (b - a) * (sb + d2 - d1) / (sb - sa + 2 * d2);
        }
        if (!(t >= lo + margin && t <= hi - margin)) t = Double.isFinite(t) ? Math.max(lo + margin, Math.min(hi - margin, t)) : (lo + hi) / 2;
        return t;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += alpha * x[i];
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) m = Math.max(m, Math.abs(e));
        return m;
    }
}
