package org.softmax4j.spark.internal;

/**
 * Computes one block function over a block of rows: one task's worker, holding the off-heap
 * blocks (and for a classifier, the native copy of the weights) it computes in. Made per task by
 * {@link BlockFunction#newKernel()}, closed when the task ends, successful or not.
 */
public interface BlockKernel extends AutoCloseable {

    /**
     * Computes {@code results[i]} (Catalyst's internal value of the function's type) from
     * {@code inputs[i]} (the internal value of its input; null for SQL NULL) for i &lt; count.
     */
    void evaluate(Object[] inputs, int count, Object[] results);

    /** Releases the kernel's native memory; idempotent. */
    @Override
    void close();
}
