package org.softmax4j.spark.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.softmax4j.Batch;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.regression.Epoch;
import org.softmax4j.regression.Objective;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.regression.SoftmaxRegression;
import org.softmax4j.regression.TrainingListener;

/**
 * The one class of the Spark module that calls the softmax4j core API. Everything Spark-specific
 * (gathering rows into blocks, Catalyst, ML pipelines, aggregation) is written against this
 * class, so that a change of the core's Java API is a change here only.
 *
 * <p>Blocks are off-heap {@link DoubleMatrix}/{@link FloatMatrix} buffers owned by the caller;
 * a call describes {@code rows} rows of {@code n} elements packed from the start of the buffer
 * (row stride n), so one buffer serves runs of any row length up to its capacity.
 */
public final class Core {
    private Core() {}

    /** The row operations of the column functions. */
    public enum RowOp {
        SOFTMAX("softmax"),
        LOG_SOFTMAX("log_softmax"),
        LOG_SUM_EXP("logsumexp");

        private final String sqlName;

        RowOp(String sqlName) {
            this.sqlName = sqlName;
        }

        /** The SQL function name. */
        public String sqlName() {
            return sqlName;
        }

        /** True if the result is one value per row rather than a row. */
        public boolean reduces() {
            return this == LOG_SUM_EXP;
        }
    }

    /** The backend every native call of this module uses: native if it loads, else pure Java. */
    public static Softmax backend() {
        return Softmax.get();
    }

    /** True if the native library is loaded in this JVM. */
    public static boolean isNative() {
        return backend().backend() == Softmax.Backend.NATIVE;
    }

    /** Threads the core uses for one large call (process-wide). */
    public static int threads() {
        return backend().threads();
    }

    /** Sets the core's threads for the whole process (0: OpenMP's default). */
    public static void setThreads(int threads) {
        backend().setThreads(threads);
    }

    /**
     * One call of {@code op} on {@code rows} packed rows of {@code n} doubles at the start of
     * {@code x}, into the start of {@code y} (rows × n, or rows × 1 for log-sum-exp).
     */
    public static void rows(RowOp op, int rows, int n, DoubleMatrix x, DoubleMatrix y, double temperature) {
        run(backend(), op, Batch.of(x.pointer(), 0L, rows, n, n), out(op, rows, n, y.pointer()), temperature);
    }

    /** As {@link #rows(RowOp, int, int, DoubleMatrix, DoubleMatrix, double)} for floats. */
    public static void rows(RowOp op, int rows, int n, FloatMatrix x, FloatMatrix y, double temperature) {
        Batch out = op.reduces() ? Batch.of(y.pointer(), 0L, rows, 1, 1) : Batch.of(y.pointer(), 0L, rows, n, n);
        run(backend(), op, Batch.of(x.pointer(), 0L, rows, n, n), out, temperature);
    }

    private static Batch out(RowOp op, int rows, int n, org.bytedeco.javacpp.DoublePointer y) {
        return op.reduces() ? Batch.of(y, 0L, rows, 1, 1) : Batch.of(y, 0L, rows, n, n);
    }

    private static void run(Softmax b, RowOp op, Batch x, Batch y, double temperature) {
        Scale t = Scale.temperature(temperature);
        switch (op) {
            case SOFTMAX -> b.softmax(x, y, t);
            case LOG_SOFTMAX -> b.logSoftmax(x, y, t);
            case LOG_SUM_EXP -> b.logSumExp(x, y, t);
        }
    }

    /**
     * {@code op} on one row by the pure-Java reference: for the rare rows a query evaluates
     * outside a block (see {@code BlockProjectExec}), where one JNI call per row would cost more
     * than the Java loop. y holds n elements, or 1 for log-sum-exp.
     */
    public static void row(RowOp op, double[] x, double[] y, double temperature) {
        run(Softmax.java(), op, Batch.of(x, 1, x.length), Batch.of(y, 1, y.length), temperature);
    }

    /** As {@link #row(RowOp, double[], double[], double)} for floats. */
    public static void row(RowOp op, float[] x, float[] y, double temperature) {
        run(Softmax.java(), op, Batch.of(x, 1, x.length), Batch.of(y, 1, y.length), temperature);
    }

    // ---------------------------------------------------------------- the classifier head

    /** The parameters of a softmax-regression model, as the core holds them. */
    public record Parameters(int classes, int features, double[] weights, double[] bias) implements java.io.Serializable {
        /** Checks the shapes and values as the core does (IAE naming the problem). */
        public Parameters {
            try (SoftmaxClassifier c = SoftmaxClassifier.of(classes, features, weights, bias, Softmax.java())) {
                // constructing it is the check
            }
        }
    }

    /** A native copy of a model, owned by whoever opened it (one per task). */
    public static final class Head implements AutoCloseable {
        private final SoftmaxClassifier classifier;
        private Objective dataTerm;

        private Head(SoftmaxClassifier classifier) {
            this.classifier = classifier;
        }

        /**
         * The scores z = W x + b of {@code rows} packed inputs at the start of x into the start
         * of z, then their softmax into the start of p (rows × classes each): two native calls,
         * the GEMM split over the core's threads, then the row softmax.
         */
        public void scoresAndProba(int rows, DoubleMatrix x, DoubleMatrix z, DoubleMatrix p) {
            int d = classifier.features();
            int k = classifier.classes();
            Batch scores = Batch.of(z.pointer(), 0L, rows, k, k);
            classifier.scores(Batch.of(x.pointer(), 0L, rows, d, d), scores);
            classifier.backend().softmax(scores, Batch.of(p.pointer(), 0L, rows, k, k));
        }

        /**
         * The data term of the objective over one block of {@code rows} float64 inputs (row r at
         * {@code r * features}) and their labels, as an unnormalised sum: Σ s_r CE_r and its
         * gradient, with CE_r under label smoothing ε. The core's public objective is the mean
         * over the block, so it is multiplied back by the block's weight (its rows).
         *
         * @param gradient receives the gradient, W then b (classes × features + classes), added to
         * @return the block's summed loss
         */
        public double addSummedDataTerm(int rows, double[] x, int[] labels, double labelSmoothing,
                double blockWeight, double[] gradient) {
            if (rows == 0) return 0;
            if (dataTerm == null || dataTerm.labelSmoothing() != labelSmoothing) {
                dataTerm = Objective.crossEntropy().withLabelSmoothing(labelSmoothing);
            }
            var g = classifier.gradient(Batch.of(x, rows, classifier.features()), labels, dataTerm);
            double[] gw = g.weights();
            double[] gb = g.bias();
            for (int i = 0; i < gw.length; i++) gradient[i] += blockWeight * gw[i];
            for (int j = 0; j < gb.length; j++) gradient[gw.length + j] += blockWeight * gb[j];
            return blockWeight * g.loss();
        }

        @Override
        public void close() {
            classifier.close();
        }
    }

    /** Opens a native copy of a model (on the pure-Java backend if natives are unavailable). */
    public static Head head(Parameters p) {
        return new Head(SoftmaxClassifier.of(p.classes(), p.features(), p.weights(), p.bias(), backend()));
    }

    /**
     * The scores z = W x + b of one row by the pure-Java reference, for the rare rows computed
     * outside a block.
     */
    public static double[] scores(Parameters p, double[] x) {
        try (SoftmaxClassifier c = SoftmaxClassifier.of(p.classes(), p.features(), p.weights(), p.bias(), Softmax.java())) {
            double[] z = new double[p.classes()];
            c.scores(Batch.of(x, 1, p.features()), Batch.of(z, 1, p.classes()));
            return z;
        }
    }

    /** The softmax of one row of scores by the pure-Java reference. */
    public static double[] softmax(double[] z) {
        double[] p = new double[z.length];
        row(RowOp.SOFTMAX, z, p, 1.0);
        return p;
    }

    // ---------------------------------------------------------------- training

    /** The data term of the objective and its gradient at θ = [W | b], evaluated by the caller. */
    @FunctionalInterface
    public interface DataTerm {
        double evaluate(double[] theta, double[] gradient);
    }

    /** Told after each L-BFGS iteration. */
    @FunctionalInterface
    public interface Progress {
        void iteration(int iteration, double loss, double gradientNorm, int evaluations);
    }

    /** The training options the Spark estimator passes on. */
    public record Training(double l2, int maxIterations, double tolerance, double gradientTolerance, long seed) {}

    /**
     * Fits a model with the core's L-BFGS ({@code SoftmaxRegression}): its initial point, L2
     * term, stopping rules, over a data term evaluated by the caller.
     *
     * @return the parameters and why training stopped
     */
    public static Fitted fit(int features, int classes, Training t, DataTerm data, Progress progress) {
        return fit(features, classes, t, data, progress, null);
    }

    /**
     * As {@link #fit(int, int, Training, DataTerm, Progress)}, with the optimiser moving in the
     * coordinates of {@code preconditioner} (null: the model's own) from its initial point. The
     * objective is the same: the data term is evaluated at the model's θ, and the L2 term
     * (λ/2)‖W‖² is added here on the model's W (the core's trainer would put it on the scaled
     * weights), its gradient λW carried through the chain rule with the data term's.
     */
    public static Fitted fit(int features, int classes, Training t, DataTerm data, Progress progress,
            Preconditioner preconditioner) {
        DataTerm term = data;
        double l2 = t.l2();
        if (preconditioner != null) {
            int kd = classes * features;
            double[] theta = new double[kd + classes];
            double[] gradient = new double[kd + classes];
            term = (scaled, scaledGradient) -> {
                preconditioner.toModel(scaled, theta);
                double f = data.evaluate(theta, gradient);
                if (l2 != 0) { // no penalty is no term, as in the core (0·‖W‖² is NaN once ‖W‖² overflows)
                    double norm2 = 0;
                    for (int i = 0; i < kd; i++) {
                        norm2 += theta[i] * theta[i];
                        gradient[i] += l2 * theta[i];
                    }
                    f += 0.5 * l2 * norm2;
                }
                preconditioner.toScaledGradient(gradient, scaledGradient);
                return f;
            };
        }
        String[] stop = {""};
        SoftmaxRegression trainer = SoftmaxRegression.create().withL2(l2).withMaxEpochs(t.maxIterations())
                .withTolerance(t.tolerance()).withGradientTolerance(t.gradientTolerance()).withSeed(t.seed())
                .withBackend(Softmax.java())
                .withListener(new TrainingListener() {
                    @Override
                    public void onEpoch(Epoch e) {
                        if (progress != null) progress.iteration(e.epoch(), e.loss(), e.gradientNorm(), e.evaluations());
                    }

                    @Override
                    public void onStop(Stop reason, Epoch last) {
                        stop[0] = reason.name();
                    }
                });
        // Preconditioned, the L2 term is the data term's (above), and the start is θ' = 0.
        if (preconditioner != null) trainer = trainer.withL2(0).withInitScale(0);
        try (SoftmaxClassifier c = trainer.fit(features, classes, term::evaluate)) {
            if (preconditioner == null) return new Fitted(new Parameters(classes, features, c.weights(), c.bias()), stop[0]);
            double[] scaled = java.util.Arrays.copyOf(c.weights(), classes * features + classes);
            System.arraycopy(c.bias(), 0, scaled, classes * features, classes);
            double[] theta = new double[scaled.length];
            preconditioner.toModel(scaled, theta);
            return new Fitted(new Parameters(classes, features, java.util.Arrays.copyOf(theta, classes * features),
                    java.util.Arrays.copyOfRange(theta, classes * features, theta.length)), stop[0]);
        }
    }

    /** A fitted model and the reason training stopped (CONVERGED, NO_IMPROVEMENT, MAX_EPOCHS, NO_DESCENT). */
    public record Fitted(Parameters parameters, String stop) {}

    /**
     * The model the single-machine trainer fits to the same rows and options (for tests and the
     * benchmark: the reference the distributed fit is held to).
     */
    public static Parameters fitLocally(int rows, int features, double[] x, int[] labels, int classes, Training t,
            double labelSmoothing) {
        SoftmaxRegression trainer = SoftmaxRegression.create().withL2(t.l2()).withLabelSmoothing(labelSmoothing)
                .withMaxEpochs(t.maxIterations()).withTolerance(t.tolerance())
                .withGradientTolerance(t.gradientTolerance()).withSeed(t.seed());
        try (SoftmaxClassifier c = trainer.fit(Batch.of(x, rows, features), labels, classes)) {
            return new Parameters(classes, features, c.weights(), c.bias());
        }
    }

    /** Reads a model from the core's {@code .npz} model file. */
    public static Parameters load(Path file) throws IOException {
        try (SoftmaxClassifier c = SoftmaxClassifier.load(file, Softmax.java())) {
            return new Parameters(c.classes(), c.features(), c.weights(), c.bias());
        }
    }

    /** Writes a model as the core's {@code .npz} model file (whole or not at all). */
    public static void save(Parameters p, Path file) throws IOException {
        try (SoftmaxClassifier c = SoftmaxClassifier.of(p.classes(), p.features(), p.weights(), p.bias(), Softmax.java())) {
            c.save(file);
        }
    }
}
