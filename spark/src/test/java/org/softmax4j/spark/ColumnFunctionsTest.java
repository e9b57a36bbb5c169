package org.softmax4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
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
import org.softmax4j.Batch;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;

/**
 * The column functions against the core, row by row, on random and edge rows, through every
 * column type, in blocks (projections) and row by row (a filter), from the DataFrame API and SQL.
 */
class ColumnFunctionsTest {
    static SparkSession spark;
    static Dataset<Row> df;
    static List<double[]> rows = new ArrayList<>();

    /** Random rows of several lengths, then every edge row of the README's table. */
    @BeforeAll
    static void data() {
        spark = TestSpark.get();
        Random random = new Random(16);
        int[] lengths = {1, 7, 100, 7, 7, 300};
        for (int i = 0; i < 600; i++) {
            int n = lengths[i % lengths.length];
            double[] x = new double[n];
            for (int j = 0; j < n; j++) x[j] = 4 * random.nextGaussian();
            rows.add(x);
        }
        double inf = Double.POSITIVE_INFINITY;
        rows.add(new double[] {-inf, -inf, -inf});
        rows.add(new double[] {1, inf, 2});
        rows.add(new double[] {1, Double.NaN, 2});
        rows.add(new double[] {1, -inf, 2});
        rows.add(new double[] {});
        rows.add(new double[] {1e30, -1e30, 3});
        rows.add(new double[] {0, -60});
        rows.add(new double[] {inf, Double.NaN});
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i);
            List<Float> f = new ArrayList<>();
            List<Double> d = new ArrayList<>();
            for (double v : x) {
                f.add((float) v);
                d.add(v);
            }
            Vector v = i % 2 == 0 ? Vectors.dense(x) : Vectors.dense(x).toSparse();
            data.add(RowFactory.create((long) i, f, d, v));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("id", DataTypes.LongType, false, Metadata.empty()),
            new StructField("f", DataTypes.createArrayType(DataTypes.FloatType, true), true, Metadata.empty()),
            new StructField("d", DataTypes.createArrayType(DataTypes.DoubleType, true), true, Metadata.empty()),
            new StructField("v", SQLDataTypes.VectorType(), true, Metadata.empty())});
        df = spark.createDataFrame(data, schema).repartition(3).cache();
        SoftmaxFunctions.register(spark);
        df.createOrReplaceTempView("t");
    }

    enum Op { SOFTMAX, LOG_SOFTMAX, LSE }

    /** The core on one row (native if loaded). */
    static double[] expected(Op op, double[] x, double t, boolean single) {
        Softmax sm = Softmax.get();
        int n = x.length;
        if (single) {
            float[] xf = new float[n];
            for (int i = 0; i < n; i++) xf[i] = (float) x[i];
            float[] y = new float[op == Op.LSE ? 1 : n];
            Batch in = Batch.of(xf, 1, n);
            Batch out = Batch.of(y, 1, y.length);
            switch (op) {
                case SOFTMAX -> sm.softmax(in, out, Scale.temperature(t));
                case LOG_SOFTMAX -> sm.logSoftmax(in, out, Scale.temperature(t));
                case LSE -> sm.logSumExp(in, out, Scale.temperature(t));
            }
            double[] r = new double[y.length];
            for (int i = 0; i < y.length; i++) r[i] = y[i];
            return r;
        }
        double[] y = new double[op == Op.LSE ? 1 : n];
        Batch in = Batch.of(x, 1, n);
        Batch out = Batch.of(y, 1, y.length);
        switch (op) {
            case SOFTMAX -> sm.softmax(in, out, Scale.temperature(t));
            case LOG_SOFTMAX -> sm.logSoftmax(in, out, Scale.temperature(t));
            case LSE -> sm.logSumExp(in, out, Scale.temperature(t));
        }
        return y;
    }

    static Column apply(Op op, Column c, double t) {
        return switch (op) {
            case SOFTMAX -> SoftmaxFunctions.softmax(c, t);
            case LOG_SOFTMAX -> SoftmaxFunctions.logSoftmax(c, t);
            case LSE -> SoftmaxFunctions.logSumExp(c, t);
        };
    }

    /** A result value as doubles, whatever its column type. */
    static double[] values(Object o) {
        if (o instanceof Vector v) return v.toArray();
        if (o instanceof Float f) return new double[] {f};
        if (o instanceof Double d) return new double[] {d};
        if (o instanceof scala.collection.Seq<?> s) {
            double[] r = new double[s.size()];
            for (int i = 0; i < r.length; i++) r[i] = ((Number) s.apply(i)).doubleValue();
            return r;
        }
        throw new AssertionError("unexpected " + o.getClass());
    }

    /**
     * Same NaN/infinity pattern, else within the core's tolerance (README, "Accuracy": 1e-6 (1 + |y|)
     * for float32; 1e-13 (1 + |y|) for float64, well above 1e-14 + 4u√n at n ≤ 300). The block
     * and the single-row call run the same kernel, so in practice they agree exactly.
     */
    static void close(double[] want, double[] got, boolean single, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double tol = single ? 1e-6 : 1e-13;
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i]) || Double.isInfinite(want[i])) {
                assertEquals(want[i], got[i], what + "[" + i + "]");
            } else {
                assertEquals(want[i], got[i], tol * (1 + Math.abs(want[i])), what + "[" + i + "]");
            }
        }
    }

    void check(Dataset<Row> result, Op op, double t, boolean single, String column) {
        for (Row r : result.collectAsList()) {
            int id = (int) r.getLong(0);
            close(expected(op, rows.get(id), t, single), values(r.get(1)), single,
                    op + "(" + column + ", " + t + ") row " + id);
        }
    }

    @Test
    void everyOperationTypeAndTemperatureInBlocks() {
        for (Op op : Op.values()) {
            for (double t : new double[] {1.0, 0.5}) {
                for (String c : new String[] {"f", "d", "v"}) {
                    Dataset<Row> r = df.select(col("id"), apply(op, col(c), t));
                    assertTrue(r.queryExecution().executedPlan().toString().contains("BlockProject"),
                            () -> "not computed in blocks:\n" + r.queryExecution().executedPlan());
                    check(r, op, t, c.equals("f"), c);
                }
            }
        }
    }

    @Test
    void resultTypesFollowTheInput() {
        Dataset<Row> r = df.select(SoftmaxFunctions.softmax(col("f")), SoftmaxFunctions.softmax(col("d")),
                SoftmaxFunctions.softmax(col("v")), SoftmaxFunctions.logSumExp(col("f")),
                SoftmaxFunctions.logSumExp(col("d")), SoftmaxFunctions.logSumExp(col("v")));
        StructType s = r.schema();
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), s.fields()[0].dataType());
        assertEquals(DataTypes.createArrayType(DataTypes.DoubleType, false), s.fields()[1].dataType());
        assertEquals(SQLDataTypes.VectorType(), s.fields()[2].dataType());
        assertEquals(DataTypes.FloatType, s.fields()[3].dataType());
        assertEquals(DataTypes.DoubleType, s.fields()[4].dataType());
        assertEquals(DataTypes.DoubleType, s.fields()[5].dataType());
        assertEquals("softmax(f)", s.fields()[0].name());
    }

    @Test
    void rowByRowOutsideAProjectionGivesTheSameRows() {
        // In a filter condition the function is evaluated row by row (pure-Java reference).
        List<Row> kept = df.filter(SoftmaxFunctions.logSumExp(col("d"), 2.0).gt(3.0)).select(col("id")).collectAsList();
        // Spark SQL orders NaN above every number, so NaN > 3 holds there.
        long want = rows.stream().filter(x -> !(expected(Op.LSE, x, 2.0, false)[0] <= 3.0)).count();
        assertEquals(want, kept.size());
        // Nested: the inner function in a block, the outer one row by row.
        check(df.select(col("id"), SoftmaxFunctions.softmax(SoftmaxFunctions.logSoftmax(col("d")))), Op.SOFTMAX, 1, false, "d");
    }

    @Test
    void sqlFunctions() {
        check(spark.sql("SELECT id, softmax(d, 0.5) FROM t"), Op.SOFTMAX, 0.5, false, "d");
        check(spark.sql("SELECT id, log_softmax(f) FROM t"), Op.LOG_SOFTMAX, 1, true, "f");
        check(spark.sql("SELECT id, logsumexp(v, 3) FROM t"), Op.LSE, 3, false, "v");
        var e = assertThrows(Exception.class, () -> spark.sql("SELECT softmax(d, id) FROM t").collect());
        assertTrue(e.getMessage().contains("temperature must be a numeric constant"), e.getMessage());
    }

    @Test
    void nullRowsGiveNullAndNullElementsAClearError() {
        StructType schema = new StructType(new StructField[] {
            new StructField("d", DataTypes.createArrayType(DataTypes.DoubleType, true), true, Metadata.empty())});
        Dataset<Row> withNull = spark.createDataFrame(List.of(RowFactory.create((Object) null),
                RowFactory.create(List.of(1.0, 2.0))), schema).repartition(2); // not folded on the driver
        List<Row> r = withNull.select(SoftmaxFunctions.softmax(col("d"))).collectAsList();
        assertNull(r.get(0).get(0));
        assertArrayEquals(expected(Op.SOFTMAX, new double[] {1, 2}, 1, false), values(r.get(1).get(0)), 1e-15);
        Dataset<Row> nullElement = spark.createDataFrame(List.of(RowFactory.create(Arrays.asList(1.0, null))), schema).repartition(1);
        var e = assertThrows(Exception.class, () -> nullElement.select(SoftmaxFunctions.softmax(col("d"))).collect());
        assertTrue(TestSpark.messages(e).contains("softmax(d): element 1 is null"), TestSpark.messages(e));
    }

    @Test
    void wrongTypesAndTemperaturesAreRejected() {
        var e = assertThrows(Exception.class, () -> df.select(SoftmaxFunctions.softmax(col("id"))).collect());
        assertTrue(e.getMessage().contains("softmax takes array<float>, array<double> or vector, got bigint"), e.getMessage());
        var t = assertThrows(IllegalArgumentException.class, () -> SoftmaxFunctions.softmax(col("d"), 0));
        assertEquals("softmax: temperature must be finite and > 0, got 0.0", t.getMessage());
    }
}
