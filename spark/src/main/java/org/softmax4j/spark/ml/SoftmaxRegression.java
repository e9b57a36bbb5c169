package org.softmax4j.spark.ml;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.softmax4j.spark.internal.Core;
import org.softmax4j.spark.internal.Preconditioner;
import org.softmax4j.spark.internal.TaskResources;

/**
 * Softmax regression (multinomial logistic regression) trained on a Spark cluster, as an ML
 * {@code Estimator}. It minimises the objective of the core's {@code SoftmaxRegression},
 * <pre>
 *   L(W, b) = (1/n) Σ_r CE_r + (λ/2) ‖W‖²_F,    CE_r = −Σ_j t_rj log softmax(W x_r + b)_j
 * </pre>
 * (t the one-hot label, or smoothed by ε), with the core's L-BFGS on the driver: its line search,
 * history and stopping rules. Each evaluation of L and ∇L is one {@code treeAggregate} over the
 * training rows, packed once into cached blocks of {@link #blockSize()} rows (float64, on the
 * heap): each block's cross-entropy and gradient is one native call (two GEMMs and a
 * log-softmax), summed per task, then merged in a tree. θ = [W | b] travels to the executors as
 * a broadcast per evaluation.
 *
 * <h2>Preconditioning</h2>
 * By default ({@code preconditioning} true) the optimiser moves in the coordinates of the model
 * over the features centred by their means μ and scaled by their standard deviations σ (one pass
 * over the blocks computes them), from zero weights and the intercepts log(1 + n_j) centred over
 * the classes (n_j the rows of class j): what Spark ML does. The
 * data stay as they are; the objective, and so the minimiser, is unchanged, but L-BFGS follows
 * Spark ML's path per iteration rather than one slowed by features of unequal scales. With
 * {@code preconditioning} false it follows the single-machine fit's path instead: the model's own
 * coordinates, from weights drawn N(0, 0.01²) by {@code seed}.
 *
 * <h2>Relation to Spark ML</h2>
 * λ is Spark ML's {@code regParam} for {@code LogisticRegression(family="multinomial",
 * standardization=false, elasticNetParam=0)}, which minimises the same objective (its loss is
 * the mean cross-entropy plus (regParam/2)‖W‖², intercepts unpenalised). scikit-learn's C is
 * 1/(λ n). Spark ML fixes the weight of a constant feature at 0; here it is fitted as any other
 * (the same model whenever λ &gt; 0).
 *
 * <h2>Params</h2>
 * {@code regParam} λ ≥ 0 (default 0), {@code maxIter} (100), {@code tol}: stop when the loss
 * improved by less than this, relatively, for 10 iterations in a row (1e-10), {@code gradientTol}:
 * stop when the largest component of the gradient (in the optimiser's coordinates) is at most
 * this (1e-6), {@code labelSmoothing} ε in [0, 1] (0), {@code preconditioning} (true),
 * {@code seed} of the initial weights without preconditioning (0), {@code blockSize} rows per
 * block (4096), {@code aggregationDepth} of the tree (2); and the usual {@code featuresCol},
 * {@code labelCol}, {@code predictionCol}, {@code probabilityCol}, {@code rawPredictionCol}.
 *
 * <p>Labels must be integers in [0, k), k the largest label + 1; features ML vectors of one size.
 * Anything else fails the fit with a message naming the row's problem.
 */
public final class SoftmaxRegression extends ProbabilisticClassifier<Vector, SoftmaxRegression, SoftmaxRegressionModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final DoubleParam regParam;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final DoubleParam gradientTol;
    private final DoubleParam labelSmoothing;
    private final LongParam seed;
    private final IntParam blockSize;
    private final IntParam aggregationDepth;
    private final BooleanParam preconditioning;
    private transient Core.Progress progress;

    public SoftmaxRegression() {
        this(Identifiable.randomUID("softmax4jRegression"));
    }

    public SoftmaxRegression(String uid) {
        this(Uids.pending(uid), 0);
    }

    /** The uid is needed while Spark's superclass constructors run: see {@link Uids}. */
    private SoftmaxRegression(String uid, int unused) {
        this.uid = uid;
        Uids.done();
        regParam = new DoubleParam(this, "regParam", "λ of the L2 penalty (λ/2)||W||² (>= 0)", ParamValidators.gtEq(0));
        maxIter = new IntParam(this, "maxIter", "maximum L-BFGS iterations (>= 0)", ParamValidators.gtEq(0));
        tol = new DoubleParam(this, "tol", "relative improvement below which an iteration makes no progress (>= 0)",
                ParamValidators.gtEq(0));
        gradientTol = new DoubleParam(this, "gradientTol", "largest gradient component at which to stop (>= 0)",
                ParamValidators.gtEq(0));
        labelSmoothing = new DoubleParam(this, "labelSmoothing", "label smoothing epsilon in [0, 1]",
                ParamValidators.inRange(0, 1));
        seed = new LongParam(this, "seed", "seed of the initial weights");
        blockSize = new IntParam(this, "blockSize", "rows per cached block (>= 1)", ParamValidators.gtEq(1));
        aggregationDepth = new IntParam(this, "aggregationDepth", "depth of the treeAggregate (>= 1)",
                ParamValidators.gtEq(1));
        preconditioning = new BooleanParam(this, "preconditioning",
                "optimise over features centred and scaled by their standard deviation, from Spark ML's initial point");
        setDefault(regParam, 0.0);
        setDefault(maxIter, 100);
        setDefault(tol, 1e-10);
        setDefault(gradientTol, 1e-6);
        setDefault(labelSmoothing, 0.0);
        setDefault(seed, 0L);
        setDefault(blockSize, 4096);
        setDefault(aggregationDepth, 2);
        setDefault(preconditioning, true);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.current();
    }

    public DoubleParam regParam() { return regParam; }
    public IntParam maxIter() { return maxIter; }
    public DoubleParam tol() { return tol; }
    public DoubleParam gradientTol() { return gradientTol; }
    public DoubleParam labelSmoothing() { return labelSmoothing; }
    public LongParam seed() { return seed; }
    public IntParam blockSize() { return blockSize; }
    public IntParam aggregationDepth() { return aggregationDepth; }
    public BooleanParam preconditioning() { return preconditioning; }

    public SoftmaxRegression setRegParam(double v) { return (SoftmaxRegression) set(regParam, v); }
    public SoftmaxRegression setMaxIter(int v) { return (SoftmaxRegression) set(maxIter, v); }
    public SoftmaxRegression setTol(double v) { return (SoftmaxRegression) set(tol, v); }
    public SoftmaxRegression setGradientTol(double v) { return (SoftmaxRegression) set(gradientTol, v); }
    public SoftmaxRegression setLabelSmoothing(double v) { return (SoftmaxRegression) set(labelSmoothing, v); }
    public SoftmaxRegression setSeed(long v) { return (SoftmaxRegression) set(seed, v); }
    public SoftmaxRegression setBlockSize(int v) { return (SoftmaxRegression) set(blockSize, v); }
    public SoftmaxRegression setAggregationDepth(int v) { return (SoftmaxRegression) set(aggregationDepth, v); }
    public SoftmaxRegression setPreconditioning(boolean v) { return (SoftmaxRegression) set(preconditioning, v); }

    public double getRegParam() { return (Double) $(regParam); }
    public int getMaxIter() { return (Integer) $(maxIter); }
    public double getTol() { return (Double) $(tol); }
    public double getGradientTol() { return (Double) $(gradientTol); }
    public double getLabelSmoothing() { return (Double) $(labelSmoothing); }
    public long getSeed() { return (Long) $(seed); }
    public int getBlockSize() { return (Integer) $(blockSize); }
    public int getAggregationDepth() { return (Integer) $(aggregationDepth); }
    public boolean getPreconditioning() { return (Boolean) $(preconditioning); }

    /** Told on the driver after each iteration (not a param: not saved or copied into a pipeline). */
    public interface IterationListener extends Serializable {
        void iteration(int iteration, double loss, double gradientNorm);
    }

    /** Calls {@code listener} after each L-BFGS iteration; null for none. */
    public SoftmaxRegression setIterationListener(IterationListener listener) {
        this.progress = listener == null ? null : (i, loss, g, evaluations) -> listener.iteration(i, loss, g);
        return this;
    }

    @Override
    public SoftmaxRegression copy(ParamMap extra) {
        SoftmaxRegression c = defaultCopy(extra);
        c.progress = progress;
        return c;
    }

    // ---------------------------------------------------------------- training

    @Override
    public SoftmaxRegressionModel train(Dataset<?> dataset) {
        int rowsPerBlock = getBlockSize();
        JavaRDD<TrainingBlock> blocks = dataset
                .select(functions.col(getLabelCol()).cast("double"), functions.col(getFeaturesCol()))
                .toJavaRDD()
                .mapPartitions(rows -> TrainingBlock.pack(rows, rowsPerBlock))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            TrainingBlock.Summary s = blocks.map(TrainingBlock.Summary::of)
                    .fold(TrainingBlock.Summary.EMPTY, TrainingBlock.Summary::merge);
            if (s.rows() == 0) throw new IllegalArgumentException("the training set has no rows");
            int k = s.maxLabel() + 1;
            int d = s.features();
            long n = s.rows();
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
            double epsilon = getLabelSmoothing();
            int depth = getAggregationDepth();
            List<Double> history = new ArrayList<>();
            Core.Progress listener = progress;
            Preconditioner preconditioner = getPreconditioning()
                    ? Preconditioner.of(s.mean(), s.std(), java.util.Arrays.copyOf(s.classCounts(), k)) : null;
            Core.Fitted fitted = Core.fit(d, k,
                    new Core.Training(getRegParam(), getMaxIter(), getTol(), getGradientTol(), getSeed()),
                    (theta, gradient) -> {
                        Broadcast<double[]> at = sc.broadcast(theta);
                        try {
                            Partial p = blocks.treeAggregate(new Partial(k, d),
                                    (acc, block) -> acc.add(block, at, epsilon), Partial::merge, depth);
                            for (int i = 0; i < gradient.length; i++) gradient[i] = p.gradient[i] / n;
                            return p.loss / n;
                        } finally {
                            at.destroy();
                        }
                    },
                    (iteration, loss, gradientNorm, evaluations) -> {
                        history.add(loss);
                        if (listener != null) listener.iteration(iteration, loss, gradientNorm, evaluations);
                    }, preconditioner);
            SoftmaxRegressionModel model = new SoftmaxRegressionModel(uid, fitted.parameters())
                    .withTraining(history.stream().mapToDouble(Double::doubleValue).toArray(), fitted.stop());
            return copyValues(model, ParamMap.empty()).setParent(this);
        } finally {
            blocks.unpersist(false);
        }
    }

    /**
     * A task's running sum of the data term over its blocks: Σ CE and its gradient, with the
     * native copy of θ the task opened on its first block (closed when the task ends).
     */
    static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;
        double loss;
        final double[] gradient;
        private transient Core.Head head;

        Partial(int classes, int features) {
            gradient = new double[classes * features + classes];
        }

        Partial add(TrainingBlock block, Broadcast<double[]> theta, double labelSmoothing) {
            if (head == null) {
                TaskResources.useTaskThreads();
                double[] t = theta.value();
                int k = block.classesOf(t.length);
                int d = block.features;
                double[] w = java.util.Arrays.copyOf(t, k * d);
                double[] b = java.util.Arrays.copyOfRange(t, k * d, t.length);
                head = TaskResources.closeAtTaskEnd(Core.head(new Core.Parameters(k, d, w, b)));
            }
            loss += head.addSummedDataTerm(block.rows, block.x, block.labels, labelSmoothing, block.rows, gradient);
            return this;
        }

        static Partial merge(Partial a, Partial b) {
            a.loss += b.loss;
            for (int i = 0; i < a.gradient.length; i++) a.gradient[i] += b.gradient[i];
            return a;
        }
    }

    /** Rows of training data, packed: features float64 row-major and integer labels. */
    static final class TrainingBlock implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rows;
        final int features;
        final double[] x;
        final int[] labels;

        TrainingBlock(int rows, int features, double[] x, int[] labels) {
            this.rows = rows;
            this.features = features;
            this.x = x;
            this.labels = labels;
        }

        /** k from the length of θ = k·d + k. */
        int classesOf(int thetaLength) {
            return thetaLength / (features + 1);
        }

        /** Packs (label, features) rows into blocks, checking each row. */
        static Iterator<TrainingBlock> pack(Iterator<Row> rows, int rowsPerBlock) {
            List<TrainingBlock> out = new ArrayList<>();
            int d = -1;
            double[] x = null;
            int[] labels = null;
            int n = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                if (row.isNullAt(0)) throw new IllegalArgumentException("label: a row has a null label");
                if (row.isNullAt(1)) throw new IllegalArgumentException("features: a row has null features");
                double label = row.getDouble(0);
                if (!(label >= 0) || label != Math.rint(label) || label > Integer.MAX_VALUE - 1) {
                    throw new IllegalArgumentException("label: " + label + " is not a class (an integer >= 0)");
                }
                Vector v = (Vector) row.get(1);
                if (d < 0) d = v.size();
                if (v.size() != d) {
                    throw new IllegalArgumentException("features: rows of " + d + " and " + v.size() + " features");
                }
                if (x == null) {
                    x = new double[Math.multiplyExact(rowsPerBlock, d)];
                    labels = new int[rowsPerBlock];
                }
                if (v instanceof SparseVector s) {
                    int[] idx = s.indices();
                    double[] val = s.values();
                    for (int i = 0; i < idx.length; i++) x[n * d + idx[i]] = val[i];
                } else {
                    System.arraycopy(v.toArray(), 0, x, n * d, d);
                }
                for (int c = 0; c < d; c++) {
                    double e = x[n * d + c];
                    if (!Double.isFinite(e)) throw new IllegalArgumentException("features: value " + e + " is not finite");
                }
                labels[n] = (int) label;
                if (++n == rowsPerBlock) {
                    out.add(new TrainingBlock(n, d, x, labels));
                    x = null;
                    n = 0;
                }
            }
            if (n > 0) {
                out.add(new TrainingBlock(n, d, java.util.Arrays.copyOf(x, n * d), java.util.Arrays.copyOf(labels, n)));
            }
            return out.iterator();
        }

        /**
         * Rows, features, the rows of each label, and the features' means and sums of squared
         * deviations from them, over blocks: per block by two passes, merged by Chan, Golub and
         * LeVeque's update (no cancellation of a sum of squares against a squared sum).
         */
        record Summary(long rows, int features, long[] classCounts, double[] mean, double[] m2) implements Serializable {
            static final Summary EMPTY = new Summary(0, 0, new long[0], new double[0], new double[0]);

            static Summary of(TrainingBlock b) {
                int max = -1;
                for (int i = 0; i < b.rows; i++) max = Math.max(max, b.labels[i]);
                long[] counts = new long[max + 1];
                for (int i = 0; i < b.rows; i++) counts[b.labels[i]]++;
                int d = b.features;
                double[] mean = new double[d];
                double[] m2 = new double[d];
                for (int r = 0; r < b.rows; r++) for (int c = 0; c < d; c++) mean[c] += b.x[r * d + c];
                for (int c = 0; c < d; c++) mean[c] /= b.rows;
                for (int r = 0; r < b.rows; r++) {
                    for (int c = 0; c < d; c++) {
                        double e = b.x[r * d + c] - mean[c];
                        m2[c] += e * e;
                    }
                }
                return new Summary(b.rows, d, counts, mean, m2);
            }

            static Summary merge(Summary a, Summary b) {
                if (a.rows == 0) return b;
                if (b.rows == 0) return a;
                if (a.features != b.features) {
                    throw new IllegalArgumentException("features: rows of " + a.features + " and " + b.features + " features");
                }
                long[] counts = java.util.Arrays.copyOf(a.classCounts, Math.max(a.classCounts.length, b.classCounts.length));
                for (int j = 0; j < b.classCounts.length; j++) counts[j] += b.classCounts[j];
                long n = a.rows + b.rows;
                double[] mean = new double[a.features];
                double[] m2 = new double[a.features];
                for (int c = 0; c < a.features; c++) {
                    double delta = b.mean[c] - a.mean[c];
                    mean[c] = a.mean[c] + delta * ((double) b.rows / n);
                    m2[c] = a.m2[c] + b.m2[c] + delta * delta * ((double) a.rows * b.rows / n);
                }
                return new Summary(n, a.features, counts, mean, m2);
            }

            /** The largest label. */
            int maxLabel() {
                return classCounts.length - 1;
            }

            /** The sample standard deviations (n − 1 in the denominator, as Spark ML's summariser). */
            double[] std() {
                double[] s = new double[features];
                for (int c = 0; c < features; c++) s[c] = rows > 1 ? Math.sqrt(m2[c] / (rows - 1)) : 0;
                return s;
            }
        }
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    public static MLReader<SoftmaxRegression> read() {
        return new DefaultParamsReader<>();
    }

    public static SoftmaxRegression load(String path) {
        return read().load(path);
    }
}
