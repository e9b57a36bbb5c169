package org.softmax4j.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softmax4j.spark.TestSpark;
import org.softmax4j.spark.internal.Core;

/** The distributed fit against the single-machine fit of the core on the same rows. */
class SoftmaxRegressionTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.get();
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", SQLDataTypes.VectorType(), true, Metadata.empty())});

    /** Rows drawn from a random softmax model: rows × d features, k classes, row-major x. */
    record Data(int rows, int d, int k, double[] x, int[] labels) {
        static Data random(int rows, int d, int k, long seed) {
            Random r = new Random(seed);
            double[] w = new double[k * d];
            for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
            double[] x = new double[rows * d];
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                double[] z = new double[k];
                for (int c = 0; c < d; c++) x[i * d + c] = r.nextGaussian();
                for (int j = 0; j < k; j++) for (int c = 0; c < d; c++) z[j] += w[j * d + c] * x[i * d + c] + 0.5 * r.nextGaussian();
                int best = 0;
                for (int j = 1; j < k; j++) if (z[j] > z[best]) best = j;
                labels[i] = best;
            }
            return new Data(rows, d, k, x, labels);
        }

        static Data digits() {
            var t = org.softmax4j.regression.Dataset.digitsTrain();
            return new Data(t.rows(), t.features(), t.classes(), t.x(), t.labels());
        }

        Dataset<Row> frame(int partitions) {
            List<Row> out = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                double[] v = java.util.Arrays.copyOfRange(x, i * d, (i + 1) * d);
                out.add(RowFactory.create((double) labels[i], i % 3 == 0 ? Vectors.dense(v).toSparse() : Vectors.dense(v)));
            }
            return spark.createDataFrame(out, SCHEMA).repartition(partitions);
        }
    }

    /**
     * Both fits run the core's L-BFGS from the same point with the same rules; they differ only in
     * how the gradient's sum is ordered (blocks of 500 rows summed per task and in a tree, against
     * one native call). With λ = 0.01 the objective is strongly convex in W (modulus ≥ λ) and,
     * with a softmax's positive curvature, in b, so both converge to the one minimiser θ*; run to a
     * gradient of 1e-9, each is within ‖∇f‖/μ ≈ 1e-7 of θ*. The test allows 1e-5 on every weight
     * (100× that) and 1e-6 on every probability, and the objectives must agree to 1e-10.
     */
    void sameModelAsTheSingleMachineFit(Data data, double lambda, int iterations, boolean converges) {
        sameModelAsTheSingleMachineFit(data, lambda, iterations, converges, true);
    }

    void sameModelAsTheSingleMachineFit(Data data, double lambda, int iterations, boolean converges,
            boolean preconditioning) {
        var t = new Core.Training(lambda, iterations, 0, 1e-9, 3);
        Core.Parameters local = Core.fitLocally(data.rows, data.d, data.x, data.labels, data.k, t, 0);
        List<Double> losses = new ArrayList<>();
        SoftmaxRegressionModel model = new SoftmaxRegression().setRegParam(lambda).setMaxIter(iterations).setTol(0)
                .setGradientTol(1e-9).setSeed(3).setBlockSize(500).setPreconditioning(preconditioning)
                .setIterationListener((i, loss, g) -> losses.add(loss))
                .fit(data.frame(3));
        assertEquals(data.k, model.numClasses());
        assertEquals(data.d, model.numFeatures());
        assertTrue(losses.size() > 5, "iterations: " + losses.size());
        for (int i = 1; i < losses.size(); i++) assertTrue(losses.get(i) <= losses.get(i - 1), "loss went up at " + i);
        double[] w = model.weights();
        double[] lw = local.weights();
        for (int i = 0; i < w.length; i++) assertEquals(lw[i], w[i], 1e-5, "weight " + i);
        double[] b = model.bias();
        for (int j = 0; j < b.length; j++) assertEquals(local.bias()[j], b[j], 1e-5, "bias " + j);
        // At a minimum: the gradient reached the tolerance, or no step lowers the loss any more
        // (the gradient is then at the rounding level of its own sum).
        if (converges) assertTrue(java.util.Set.of("CONVERGED", "NO_DESCENT").contains(model.stopReason()), model.stopReason());
        // Probabilities of the two models on the training rows.
        Dataset<Row> scored = model.transform(data.frame(2));
        for (Row r : scored.select("features", "probability").collectAsList()) {
            double[] x = ((org.apache.spark.ml.linalg.Vector) r.get(0)).toArray();
            double[] want = Core.softmax(Core.scores(local, x));
            double[] got = ((org.apache.spark.ml.linalg.Vector) r.get(1)).toArray();
            for (int j = 0; j < want.length; j++) assertEquals(want[j], got[j], 1e-6);
        }
    }

    @Test
    void syntheticData() {
        sameModelAsTheSingleMachineFit(Data.random(3000, 8, 4, 5), 0.01, 300, true);
    }

    /** Without preconditioning, the distributed fit runs the single-machine fit's own path. */
    @Test
    void syntheticDataWithoutPreconditioning() {
        sameModelAsTheSingleMachineFit(Data.random(3000, 8, 4, 5), 0.01, 300, true, false);
    }

    /**
     * Features of unequal scales and offsets (×0.5 to ×2, shifted by up to 3) and a constant column
     * of 3s (collinear with the intercepts): the preconditioned fit (standardised coordinates, the
     * constant column centred) converges to the single-machine fit's minimiser, held to the same
     * tolerances. (Scales far apart would be a test of the single-machine fit, which then stops
     * short of the minimiser.)
     */
    @Test
    void unequalScalesAndAConstantFeature() {
        Data base = Data.random(3000, 8, 4, 7);
        double[] x = base.x.clone();
        for (int r = 0; r < base.rows; r++) {
            for (int c = 0; c < base.d; c++) x[r * base.d + c] = x[r * base.d + c] * Math.pow(2, c % 3 - 1) + (c % 4);
            x[r * base.d + 7] = 3;
        }
        sameModelAsTheSingleMachineFit(new Data(base.rows, base.d, base.k, x, base.labels), 0.01, 1000, true);
    }

    /**
     * The shipped digits, pixels scaled from 0..16 to 0..1 (as one would for a gradient method), at
     * λ = 0.01, both fits run to convergence (~190 iterations) and held to the tolerances of the
     * synthetic case. On the raw pixels the problem is 256× worse conditioned: the single-machine
     * fit needs ~4,000 iterations to converge (Spark ML ~2,500), too slow for a Spark test, and at a
     * fixed smaller iteration count the L-BFGS path depends on the order the gradient is summed in
     * (treeAggregate merges partials as tasks finish), so there is nothing exact to hold it to.
     * Converged, the raw-pixel fits (distributed, single-machine, Spark ML) agree on the objective
     * to 1e-11 (docs/spark.md, "Same model as the single-machine fit").
     *
     * <p>Without preconditioning, on the single-machine fit's own path: with it, these pixels at
     * λ = 0.01 take ~2,900 iterations (in standardised coordinates the L2 term's curvature λ/σᵢ²
     * is large for the rarely inked pixels; see SoftmaxRegression's Javadoc). Its converged fits
     * are held to the single-machine fit by the synthetic cases.
     */
    @Test
    void shippedDigits() {
        Data raw = Data.digits();
        double[] x = raw.x.clone();
        for (int i = 0; i < x.length; i++) x[i] /= 16;
        sameModelAsTheSingleMachineFit(new Data(raw.rows, raw.d, raw.k, x, raw.labels), 0.01, 1000, true, false);
    }

    @Test
    void badLabelsAndFeaturesFailWithTheirReason() {
        StructType schema = SCHEMA;
        var halfLabel = spark.createDataFrame(List.of(RowFactory.create(1.5, Vectors.dense(1, 2))), schema);
        var e = assertThrows(Exception.class, () -> new SoftmaxRegression().fit(halfLabel));
        assertTrue(TestSpark.messages(e).contains("label: 1.5 is not a class"), TestSpark.messages(e));
        var ragged = spark.createDataFrame(List.of(RowFactory.create(1.0, Vectors.dense(1, 2)),
                RowFactory.create(0.0, Vectors.dense(1, 2, 3))), schema).coalesce(1);
        e = assertThrows(Exception.class, () -> new SoftmaxRegression().fit(ragged));
        assertTrue(TestSpark.messages(e).contains("features: rows of 2 and 3 features"), TestSpark.messages(e));
        var nullFeatures = spark.createDataFrame(List.of(RowFactory.create(1.0, null)), schema);
        e = assertThrows(Exception.class, () -> new SoftmaxRegression().fit(nullFeatures));
        assertTrue(TestSpark.messages(e).contains("features: a row has null features"), TestSpark.messages(e));
    }

    /**
     * Spark ML's {@code LogisticRegression(family=multinomial, standardization=false)} on the
     * shipped digits (raw pixels, 2 partitions, λ = regParam = 1e-4), 20 iterations from its own
     * start: with preconditioning the two run the same algorithm on the same objective in the same
     * coordinates from the same point (Spark ML's start, standardised coordinates, L-BFGS with 10
     * pairs, a strong-Wolfe search with c₁ = 1e-4, c₂ = 0.9 and a first step of 1/‖∇f‖), so they
     * differ only by the rounding of their sums (the gradient over 1,347 rows summed in another
     * order: ~1e-13 relative per evaluation), which 20 iterations of L-BFGS amplify: measured,
     * the objectives agree to 2e-13 relative at every iteration. The test allows 1e-9, while
     * the path without preconditioning is 30% away after one iteration and 6× the objective after
     * 20 (asserted too, so that the tolerance is shown to separate the two). The models' class
     * probabilities on every row agree to 1e-6.
     */
    @Test
    void twentyIterationsFollowSparkML() {
        Data digits = Data.digits();
        Dataset<Row> frame = digits.frame(2).cache();
        frame.count();
        double lambda = 1e-4;
        var theirs = new org.apache.spark.ml.classification.LogisticRegression().setFamily("multinomial")
                .setStandardization(false).setRegParam(lambda).setElasticNetParam(0).setMaxIter(20).setTol(0).fit(frame);
        double[] h = theirs.summary().objectiveHistory(); // the start, then after each iteration
        assertEquals(21, h.length);
        for (boolean preconditioning : new boolean[] {true, false}) {
            List<Double> ours = new ArrayList<>();
            SoftmaxRegressionModel model = new SoftmaxRegression().setRegParam(lambda).setMaxIter(20).setTol(0)
                    .setGradientTol(0).setPreconditioning(preconditioning)
                    .setIterationListener((i, loss, g) -> ours.add(loss)).fit(frame);
            assertEquals(20, ours.size());
            if (!preconditioning) {
                assertTrue(Math.abs(ours.get(0) - h[1]) > 0.3 * h[1], ours.get(0) + " vs " + h[1]);
                assertTrue(ours.get(19) > 6 * h[20], ours.get(19) + " vs " + h[20]);
                continue;
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(h[i + 1], ours.get(i), 1e-9 * h[i + 1], "objective after iteration " + (i + 1));
            }
            List<Row> a = model.transform(frame).select("probability").collectAsList();
            List<Row> b = theirs.transform(frame).select("probability").collectAsList();
            double worst = 0;
            for (int r = 0; r < a.size(); r++) {
                double[] p = ((org.apache.spark.ml.linalg.Vector) a.get(r).get(0)).toArray();
                double[] q = ((org.apache.spark.ml.linalg.Vector) b.get(r).get(0)).toArray();
                for (int j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - q[j]));
            }
            System.out.println("largest probability difference from Spark ML after 20 iterations: " + worst);
            assertTrue(worst < 1e-6, "largest probability difference " + worst);
        }
        frame.unpersist();
    }
}
