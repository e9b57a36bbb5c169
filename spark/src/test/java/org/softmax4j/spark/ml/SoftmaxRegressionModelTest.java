package org.softmax4j.spark.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;
import org.softmax4j.regression.SoftmaxClassifier;
import org.softmax4j.spark.TestSpark;

/** The Transformer: scores against the core's classifier, persistence, and bad input. */
class SoftmaxRegressionModelTest {
    static SparkSession spark;
    static final int K = 5;
    static final int D = 12;
    static double[] w = new double[K * D];
    static double[] b = new double[K];
    static Dataset<Row> df;
    static List<double[]> xs = new ArrayList<>();

    @BeforeAll
    static void start() {
        spark = TestSpark.get();
        Random r = new Random(7);
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
        for (int j = 0; j < K; j++) b[j] = r.nextGaussian();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            double[] x = new double[D];
            for (int c = 0; c < D; c++) x[c] = 2 * r.nextGaussian();
            xs.add(x);
            rows.add(RowFactory.create((double) (i % K), i % 4 == 0 ? Vectors.dense(x).toSparse() : Vectors.dense(x), (long) i));
        }
        df = spark.createDataFrame(rows, SoftmaxRegressionTest.SCHEMA.add("id", "long")).repartition(3);
    }

    /**
     * Every output column against the core's classifier on the same row (native, one row at a
     * time): the block runs the same GEMM kernel and softmax, but a GEMM may sum a row's products
     * in another order inside a block, so the scores are held to 1e-12 (|z| ≲ 20 here, u = 1.1e-16
     * times 12 products) and the probabilities to 1e-12.
     */
    static void scoresMatchTheCore(SoftmaxRegressionModel m, Dataset<Row> data) {
        List<Row> out = m.transform(data).select("id", "rawPrediction", "probability", "prediction").collectAsList();
        assertEquals(xs.size(), out.size());
        try (SoftmaxClassifier c = SoftmaxClassifier.of(K, D, w, b, Softmax.get())) {
            for (Row r : out) {
                double[] x = xs.get((int) r.getLong(0));
                double[] z = new double[K];
                double[] p = new double[K];
                c.scores(Batch.of(x, 1, D), Batch.of(z, 1, K));
                c.predictProba(Batch.of(x, 1, D), Batch.of(p, 1, K));
                assertArrayEquals(z, ((Vector) r.get(1)).toArray(), 1e-12, "scores");
                assertArrayEquals(p, ((Vector) r.get(2)).toArray(), 1e-12, "P");
                assertEquals(c.predict(Batch.of(x, 1, D))[0], r.getDouble(3), "prediction");
            }
        }
    }

    @Test
    void scoresEveryRowLikeTheCoreInBlocks() {
        SoftmaxRegressionModel m = SoftmaxRegressionModel.of(K, D, w, b);
        Dataset<Row> t = m.transform(df);
        assertTrue(t.queryExecution().executedPlan().toString().contains("BlockProject"), t.queryExecution().executedPlan().toString());
        assertArrayEquals(new String[] {"label", "features", "id", "rawPrediction", "probability", "prediction"}, t.columns());
        scoresMatchTheCore(m, df);
        // Arrays of doubles work as features too.
        Dataset<Row> arrays = df.withColumn("features", org.apache.spark.ml.functions.vector_to_array(col("features"), "float64"));
        scoresMatchTheCore(m, arrays);
        // Only the columns asked for.
        m.setRawPredictionCol("").setProbabilityCol("");
        assertArrayEquals(new String[] {"label", "features", "id", "prediction"}, m.transform(df).columns());
    }

    @Test
    void mlPersistenceAndNpzRoundTrip(@TempDir Path dir) throws Exception {
        SoftmaxRegressionModel m = SoftmaxRegressionModel.of(K, D, w, b);
        m.setPredictionCol("label_hat");
        m.write().overwrite().save(dir.resolve("model").toString());
        SoftmaxRegressionModel back = SoftmaxRegressionModel.load(dir.resolve("model").toString());
        assertEquals(m.uid(), back.uid());
        assertEquals("label_hat", back.getPredictionCol());
        assertArrayEquals(w, back.weights(), 0);
        assertArrayEquals(b, back.bias(), 0);
        back.setPredictionCol("prediction");
        scoresMatchTheCore(back, df);

        Path npz = dir.resolve("model.npz");
        m.saveNpz(npz);
        SoftmaxRegressionModel fromNpz = SoftmaxRegressionModel.fromNpz(npz);
        assertArrayEquals(w, fromNpz.weights(), 0);
        assertArrayEquals(b, fromNpz.bias(), 0);
        try (SoftmaxClassifier c = SoftmaxClassifier.load(npz)) {
            assertArrayEquals(w, c.weights(), 0);
        }
    }

    @Test
    void aPipelineFitsSavesAndLoads(@TempDir Path dir) throws Exception {
        Pipeline p = new Pipeline().setStages(new PipelineStage[] {new SoftmaxRegression().setRegParam(0.1).setMaxIter(30)});
        PipelineModel fitted = p.fit(df);
        fitted.write().overwrite().save(dir.resolve("pipeline").toString());
        PipelineModel back = PipelineModel.load(dir.resolve("pipeline").toString());
        List<Row> a = fitted.transform(df).select("id", "probability").orderBy("id").collectAsList();
        List<Row> c = back.transform(df).select("id", "probability").orderBy("id").collectAsList();
        assertEquals(a, c);
        SoftmaxRegression est = new SoftmaxRegression().setRegParam(0.25).setBlockSize(7);
        est.write().overwrite().save(dir.resolve("estimator").toString());
        SoftmaxRegression estBack = SoftmaxRegression.load(dir.resolve("estimator").toString());
        assertEquals(0.25, estBack.getRegParam());
        assertEquals(7, estBack.getBlockSize());
        assertTrue(Files.exists(dir.resolve("model").getParent()));
    }

    @Test
    void nullAndWronglySizedFeaturesFailWithAClearMessage() {
        SoftmaxRegressionModel m = SoftmaxRegressionModel.of(K, D, w, b);
        var nulls = spark.createDataFrame(List.of(RowFactory.create(0.0, null, 0L)), SoftmaxRegressionTest.SCHEMA.add("id", "long"));
        var e = assertThrows(Exception.class, () -> m.transform(nulls).collect());
        assertTrue(TestSpark.messages(e).contains("a row has null features"), TestSpark.messages(e));
        var ragged = spark.createDataFrame(List.of(RowFactory.create(0.0, Vectors.dense(1, 2), 0L)), SoftmaxRegressionTest.SCHEMA.add("id", "long"));
        e = assertThrows(Exception.class, () -> m.transform(ragged).collect());
        assertTrue(TestSpark.messages(e).contains("a row has 2 features, the model takes 12"), TestSpark.messages(e));
        var wrongType = df.withColumn("features", col("id"));
        e = assertThrows(IllegalArgumentException.class, () -> m.transform(wrongType));
        assertEquals("features column features must be array<float>, array<double> or vector, got bigint", e.getMessage());
        assertFalse(m.transformSchema(df.schema()).isEmpty());
    }
}
