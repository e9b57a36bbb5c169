package org.softmax4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;

/** The aggregator against the core's log-sum-exp of all the values as one row. */
class LogSumExpAggregatorTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.get();
        SoftmaxFunctions.register(spark);
    }

    /** The core's LSE of one row holding every value (native if loaded). */
    static double core(List<Double> values, double t) {
        double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] out = new double[1];
        Softmax.get().logSumExp(org.softmax4j.Batch.of(x, 1, x.length), org.softmax4j.Batch.of(out, 1, 1),
                org.softmax4j.Scale.temperature(t));
        return out[0];
    }

    static double aggregate(List<Double> values, int partitions, double t) {
        Dataset<Double> ds = spark.createDataset(values, Encoders.DOUBLE()).repartition(partitions);
        Row r = ds.toDF("x").agg(SoftmaxFunctions.logSumExpAgg(col("x"), t)).head();
        return r.getDouble(0);
    }

    /**
     * Values in any order and split: the partial sums differ from the core's single pass only by
     * rounding, Σ terms ≤ 1 relative to the largest, each with a relative error of a few u, and a
     * compensated sum; 1e-13 (1 + |LSE|) bounds that with room for n = 20,000.
     */
    @Test
    void randomValuesOverManyPartitionsIncludingEmptyOnes() {
        Random random = new Random(11);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) values.add(30 * random.nextGaussian());
        for (double t : new double[] {1, 0.25, 7}) {
            double want = core(values, t);
            for (int partitions : new int[] {1, 3, 64}) { // 64 partitions of a 4-row sample would be mostly empty
                assertEquals(want, aggregate(values, partitions, t), 1e-13 * (1 + Math.abs(want)), "t=" + t + " p=" + partitions);
            }
            List<Double> few = values.subList(0, 5);
            double w = core(few, t);
            assertEquals(w, aggregate(few, 64, t), 1e-14 * (1 + Math.abs(w)), "5 values in 64 partitions");
        }
    }

    /** The README's edge table, row for row, with the values spread over partitions. */
    @Test
    void edgeCasesFollowTheCore() {
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        List<List<Double>> cases = List.of(
                List.of(-inf, -inf, -inf),
                List.of(1.0, inf, 2.0),
                List.of(1.0, nan, 2.0),
                List.of(inf, nan),
                List.of(1.0, -inf, 2.0),
                List.of(1e308, -1e308, 3.0),
                List.of(0.0, -60.0),
                List.of(5.0, 5.0, 5.0));
        for (List<Double> c : cases) {
            for (double t : new double[] {1, 0.01, 100}) {
                double want = core(c, t);
                double got = aggregate(c, 3, t);
                if (Double.isNaN(want) || Double.isInfinite(want)) assertEquals(want, got, c + " t=" + t);
                else assertEquals(want, got, 1e-15 * (1 + Math.abs(want)), c + " t=" + t);
            }
        }
        assertEquals(8.75651076269652e-27, aggregate(List.of(0.0, -60.0), 2, 1), 1e-40, "log1p form");
    }

    @Test
    void noRowsAndOnlyNullsGiveMinusInfinity() {
        assertEquals(Double.NEGATIVE_INFINITY, aggregate(List.of(), 2, 1));
        Dataset<Row> nulls = spark.range(4).select(functions.lit(null).cast("double").as("x"));
        assertEquals(Double.NEGATIVE_INFINITY, nulls.agg(SoftmaxFunctions.logSumExpAgg(col("x"))).head().getDouble(0));
    }

    @Test
    void sqlAndGroupBy() {
        spark.range(100).selectExpr("id % 3 AS g", "CAST(id AS DOUBLE) / 10 AS x").createOrReplaceTempView("lse_groups");
        List<Row> rows = spark.sql("SELECT g, logsumexp_agg(x) FROM lse_groups GROUP BY g ORDER BY g").collectAsList();
        for (Row r : rows) {
            long g = r.getLong(0);
            List<Double> xs = new ArrayList<>();
            for (int i = 0; i < 100; i++) if (i % 3 == g) xs.add(i / 10.0);
            assertEquals(core(xs, 1), r.getDouble(1), 1e-14 * (1 + Math.abs(core(xs, 1))));
        }
    }

    @Test
    void badTemperature() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LogSumExpAggregator(-1));
        assertEquals("temperature must be finite and > 0, got -1.0", e.getMessage());
    }
}
