package org.softmax4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax;
import org.softmax4j.spark.internal.Core;
import org.softmax4j.spark.ml.SoftmaxRegressionModel;

/**
 * How the module behaves on an executor: natives loaded once per JVM, the core's threads set to
 * the task's CPUs, and no native memory left behind by a task that fails mid-block. The test
 * JVM runs with {@code org.bytedeco.javacpp.nopointergc=true}, so JavaCPP's byte count falls only
 * when memory is closed deliberately: a leak cannot hide behind the garbage collector.
 */
class ExecutorsTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestSpark.get();
    }

    @Test
    void theNativeLibraryIsLoadedAndSharedByEveryTask() {
        assertTrue(Core.isNative(), () -> "native backend: " + Softmax.nativeUnavailableCause());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ids = sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8)
                .map(i -> System.identityHashCode(Softmax.get())).distinct().collect();
        assertEquals(List.of(System.identityHashCode(Softmax.get())), ids);
    }

    @Test
    void tasksUseTheirCpusAsThreads() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Core.setThreads(0);
        List<Integer> seen = sc.parallelize(List.of(1, 2, 3, 4), 4).map(i -> {
            org.softmax4j.spark.internal.TaskResources.useTaskThreads();
            return Core.threads();
        }).distinct().collect();
        assertEquals(List.of(1), seen, "spark.task.cpus is 1");
        var e = assertThrows(IllegalArgumentException.class, () -> threadsFor(1, "lots"));
        assertEquals("spark.softmax4j.threads must be task, core or a positive number, got lots", e.getMessage());
        assertEquals(3, threadsFor(1, "3"));
        assertEquals(0, threadsFor(2, "core"));
        assertEquals(2, threadsFor(2, "task"));
    }

    static int threadsFor(int cpus, String policy) {
        try {
            var m = org.softmax4j.spark.internal.TaskResources.class.getDeclaredMethod("threadsFor", int.class, String.class);
            m.setAccessible(true);
            return (int) m.invoke(null, cpus, policy);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits up to 10 s for JavaCPP's allocated bytes to return to {@code baseline}. */
    static void noNativeMemoryLeft(long baseline) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Pointer.totalBytes() > baseline && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(baseline, Pointer.totalBytes(), "native bytes left after the job");
    }

    @Test
    void aTaskThatFailsMidBlockLeaksNoNativeMemory() throws Exception {
        StructType schema = new StructType(new StructField[] {
            new StructField("d", DataTypes.createArrayType(DataTypes.DoubleType, true), true, Metadata.empty())});
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) rows.add(RowFactory.create(i == 4321 ? java.util.Arrays.asList(1.0, null) : List.of(1.0, 2.0 * i)));
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(2);
        long baseline = Pointer.totalBytes();
        var e = assertThrows(Exception.class, () -> df.select(SoftmaxFunctions.softmax(col("d"))).collect());
        assertTrue(TestSpark.messages(e).contains("element 1 is null"), TestSpark.messages(e));
        noNativeMemoryLeft(baseline);

        // The classifier: each task's native weights and blocks, after a failure in a later block.
        SoftmaxRegressionModel m = SoftmaxRegressionModel.of(2, 2, new double[] {1, 2, 3, 4}, new double[] {0, 1});
        StructType vs = new StructType(new StructField[] {
            new StructField("features", DataTypes.createArrayType(DataTypes.DoubleType, false), true, Metadata.empty())});
        List<Row> feats = new ArrayList<>();
        for (int i = 0; i < 5000; i++) feats.add(RowFactory.create(i == 3000 ? List.of(1.0) : List.of(1.0, i / 100.0)));
        Dataset<Row> fdf = spark.createDataFrame(feats, vs).coalesce(2);
        e = assertThrows(Exception.class, () -> m.transform(fdf).collect());
        assertTrue(TestSpark.messages(e).contains("a row has 1 features, the model takes 2"), TestSpark.messages(e));
        noNativeMemoryLeft(baseline);

        // And a successful job releases everything too.
        assertEquals(4999, m.transform(fdf.filter(org.apache.spark.sql.functions.size(col("features")).equalTo(2)))
                .select("probability").collectAsList().size());
        noNativeMemoryLeft(baseline);
    }
}
