package org.softmax4j.spark.internal;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.Pointer;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;

/**
 * An off-heap block of one precision that rows are gathered into: the core's owned
 * {@link FloatMatrix}/{@link DoubleMatrix} (64-byte aligned) seen as {@code capacity} packed
 * elements, with a direct buffer over it for Java-side reads and writes and the address of its
 * first element for bulk copies. It grows by reallocating; {@link #close()} releases it, and is
 * idempotent so that both the normal end of a partition and a task-failure listener may call it.
 */
public final class Block implements AutoCloseable {
    private final boolean single;
    private FloatMatrix floats;
    private DoubleMatrix doubles;
    private FloatBuffer floatBuffer;
    private DoubleBuffer doubleBuffer;
    private long address;
    private int capacity;

    private Block(boolean single) {
        this.single = single;
    }

    /** An empty block of floats (single) or doubles; it allocates on the first {@link #ensure}. */
    public static Block of(boolean single) {
        return new Block(single);
    }

    /** Makes room for at least {@code elements} elements; returns this. */
    public Block ensure(int elements) {
        if (elements <= capacity) return this;
        int c = Math.max(elements, Math.min(Integer.MAX_VALUE - 64, Math.max(1024, 2 * capacity)));
        close();
        if (single) {
            floats = FloatMatrix.allocate(1, c);
            floatBuffer = floats.buffer();
            address = first(floats.pointer());
        } else {
            doubles = DoubleMatrix.allocate(1, c);
            doubleBuffer = doubles.buffer();
            address = first(doubles.pointer());
        }
        capacity = c;
        return this;
    }

    private static long first(Pointer p) {
        return p.address() + p.position() * p.sizeof();
    }

    public int capacity() {
        return capacity;
    }

    public FloatMatrix floats() {
        return floats;
    }

    public DoubleMatrix doubles() {
        return doubles;
    }

    public FloatBuffer floatBuffer() {
        return floatBuffer;
    }

    public DoubleBuffer doubleBuffer() {
        return doubleBuffer;
    }

    /** The address of element 0, for bulk copies checked against {@link #capacity()}. */
    public long address() {
        return address;
    }

    @Override
    public void close() {
        if (floats != null) floats.close();
        if (doubles != null) doubles.close();
        floats = null;
        doubles = null;
        floatBuffer = null;
        doubleBuffer = null;
        address = 0;
        capacity = 0;
    }
}
