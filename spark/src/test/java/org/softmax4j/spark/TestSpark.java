package org.softmax4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the test JVM (starting Spark takes seconds): local[2], bound
 * to loopback, no UI, few shuffle partitions. Spark's shutdown hook stops it.
 */
public final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {}

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .master("local[2]")
                    .appName("softmax4j-spark-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.task.maxFailures", "1")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }

    /** Every message in a cause chain (Spark wraps task failures), for assertions on them. */
    public static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) b.append(c.getMessage()).append(" | ");
        return b.toString();
    }
}
