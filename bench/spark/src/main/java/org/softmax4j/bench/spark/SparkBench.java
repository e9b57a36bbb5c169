package org.softmax4j.bench.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.softmax4j.spark.ml.SoftmaxRegression;
import org.softmax4j.spark.ml.SoftmaxRegressionModel;

/**
 * softmax4j-spark against Spark ML in the same JVM, on the same cached DataFrame, in local[2]
 * bound to loopback (issue 16):
 * <ul>
 *   <li>{@code fit*}: 20 L-BFGS iterations of the multinomial model, softmax4j's
 *       {@link SoftmaxRegression} against {@code LogisticRegression(family=multinomial,
 *       standardization=false, regParam=1e-4, maxIter=20, tol=0)}: the same objective, since
 *       λ = regParam (mean cross-entropy + λ/2 ‖W‖², intercepts unpenalised). The time of a whole
 *       fit (packing the rows included, as in the anchor) divided by 20 is the time per
 *       iteration.</li>
 *   <li>{@code score*}: {@code model.transform(df)} of every row with all three output columns,
 *       written to Spark's {@code noop} sink, so every row is computed; the two models hold the
 *       same weights. Rows per second = rows / time.</li>
 *   <li>{@code scanInput}: the same cached rows into the same sink, nothing computed: the floor
 *       under both scorers.</li>
 * </ul>
 * Data: {@code synthetic}, 10⁶ rows × 100 features, 10 classes drawn from a random softmax
 * model, 8 partitions, cached (and 10⁵ more rows as a test set); {@code digits}, the shipped UCI
 * digits (1,347 training rows, 450 test rows, 2 partitions). The test accuracy of each fit's
 * model is printed at the end of each trial as a line starting "ACCURACY".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 2, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.level=error"})
public class SparkBench {
    static final int ITERATIONS = 20;
    static final double REG = 1e-4;
    static final int FEATURES = 100;
    static final int CLASSES = 10;

    @Param({"synthetic"})
    public String data;

    /** Rows of the synthetic training set. */
    @Param({"1000000"})
    public int rows;

    SparkSession spark;
    Dataset<Row> train;
    Dataset<Row> test;
    long trainRows;
    SoftmaxRegressionModel ours;
    LogisticRegressionModel theirs;
    SoftmaxRegressionModel lastOurs;
    LogisticRegressionModel lastTheirs;

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())});

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        spark = SparkSession.builder().master("local[2]").appName("softmax4j-bench-spark")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        if (data.equals("digits")) {
            train = frame(org.softmax4j.regression.Dataset.digitsTrain(), 2);
            test = frame(org.softmax4j.regression.Dataset.digitsTest(), 2);
        } else {
            train = synthetic(0, rows, 8);
            test = synthetic(rows, rows / 10, 8);
        }
        train.cache();
        test.cache();
        trainRows = train.count();
        test.count();
        if (params.getBenchmark().contains("score")) {
            // Both models with the same weights: softmax4j's fit, copied into Spark ML's model.
            ours = new SoftmaxRegression().setRegParam(REG).setMaxIter(ITERATIONS).setTol(0).setGradientTol(0).fit(train);
            int k = ours.numClasses();
            int d = ours.numFeatures();
            theirs = new LogisticRegressionModel("sparkml", new DenseMatrix(k, d, ours.weights(), true),
                    Vectors.dense(ours.bias()), k, true);
        }
    }

    /** A DataFrame of a core data set. */
    Dataset<Row> frame(org.softmax4j.regression.Dataset d, int partitions) {
        List<Row> out = new ArrayList<>();
        double[] x = d.x();
        int[] y = d.labels();
        for (int i = 0; i < d.rows(); i++) {
            out.add(RowFactory.create((double) y[i], Vectors.dense(java.util.Arrays.copyOfRange(x, i * d.features(), (i + 1) * d.features()))));
        }
        return spark.createDataFrame(out, SCHEMA).repartition(partitions);
    }

    /** Rows [first, first + n) of the synthetic data, each drawn from its own seeded stream. */
    Dataset<Row> synthetic(long first, int n, int partitions) {
        Random r = new Random(16);
        double[] w = new double[CLASSES * FEATURES];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * 0.3;
        return spark.range(first, first + n, 1, partitions).map(new Draw(w), Encoders.row(SCHEMA));
    }

    /** x ~ N(0, I), label ~ softmax(W x). */
    static final class Draw implements MapFunction<Long, Row> {
        private final double[] w;

        Draw(double[] w) {
            this.w = w;
        }

        @Override
        public Row call(Long id) {
            SplittableRandom g = new SplittableRandom(id * 0x9E3779B97F4A7C15L + 16);
            double[] x = new double[FEATURES];
            for (int c = 0; c < FEATURES; c++) x[c] = gaussian(g);
            double[] z = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < CLASSES; j++) {
                for (int c = 0; c < FEATURES; c++) z[j] += w[j * FEATURES + c] * x[c];
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < CLASSES; j++) sum += z[j] = Math.exp(z[j] - max);
            double u = g.nextDouble() * sum;
            int label = 0;
            while (label < CLASSES - 1 && (u -= z[label]) > 0) label++;
            return RowFactory.create((double) label, Vectors.dense(x));
        }

        private static double gaussian(SplittableRandom g) {
            double u = g.nextDouble();
            double v = g.nextDouble();
            return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
        }
    }

    @Benchmark
    public Object fitSoftmax4j() {
        lastOurs = new SoftmaxRegression().setRegParam(REG).setMaxIter(ITERATIONS).setTol(0).setGradientTol(0).fit(train);
        return lastOurs;
    }

    @Benchmark
    public Object fitSparkML() {
        lastTheirs = new LogisticRegression().setFamily("multinomial").setStandardization(false).setRegParam(REG)
                .setElasticNetParam(0).setMaxIter(ITERATIONS).setTol(0).fit(train);
        return lastTheirs;
    }

    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 6)
    public void scoreSoftmax4j() {
        ours.transform(train).write().format("noop").mode("overwrite").save();
    }

    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 6)
    public void scoreSparkML() {
        theirs.transform(train).write().format("noop").mode("overwrite").save();
    }

    /**
     * The floor under both scorers: reading every cached training row into the same {@code noop}
     * sink, computing nothing. What a scorer takes beyond this is its own.
     */
    @Benchmark
    @Warmup(iterations = 5)
    @Measurement(iterations = 6)
    public void scanInput() {
        train.write().format("noop").mode("overwrite").save();
    }

    static double accuracy(Dataset<Row> scored) {
        return scored.selectExpr("avg(CAST(prediction = label AS DOUBLE))").head().getDouble(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lastOurs != null) {
            System.out.printf("ACCURACY data=%s model=softmax4j test=%.4f train=%.4f iterations=%d loss=%.8f rows=%d%n", data,
                    accuracy(lastOurs.transform(test)), accuracy(lastOurs.transform(train)),
                    lastOurs.objectiveHistory().length, lastOurs.objectiveHistory()[lastOurs.objectiveHistory().length - 1], trainRows);
        }
        if (lastTheirs != null) {
            double[] h = lastTheirs.summary().objectiveHistory();
            System.out.printf("ACCURACY data=%s model=sparkml test=%.4f train=%.4f iterations=%d loss=%.8f rows=%d%n", data,
                    accuracy(lastTheirs.transform(test)), accuracy(lastTheirs.transform(train)),
                    lastTheirs.summary().totalIterations(), h[h.length - 1], trainRows);
        }
        spark.stop();
    }
}
