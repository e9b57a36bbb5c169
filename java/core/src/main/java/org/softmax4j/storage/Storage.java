package org.softmax4j.storage;

import java.util.Objects;
import java.util.function.Function;

import org.softmax4j.Batch;
import org.softmax4j.ElementType;

/**
 * What one storage kind must provide, the adapter behind every {@link Batch}: its element type
 * and extent, where the native kernel finds it (a heap array to pin, or an address), whether it
 * is still there, and element access for the Java kernel. Elements are counted from element 0
 * of the storage as the batch sees it (an array's index 0, a buffer's or pointer's position when
 * the batch was made). Internal: one subclass per storage kind, made by {@link Batch}'s
 * factories; see {@code docs/internals.md}.
 */
public abstract class Storage {
    private static volatile Function<Batch, Storage> access;

    private final ElementType type;
    private final long length;
    private final Object array;

    /**
     * @param type the element type
     * @param length elements from element 0 to the end of the storage
     * @param array the heap array holding the elements, or null for native memory
     */
    protected Storage(ElementType type, long length, Object array) {
        this.type = type;
        this.length = length;
        this.array = array;
    }

    /** Called once by {@link Batch}: how internal code reaches a batch's storage. */
    public static void install(Function<Batch, Storage> batchAccess) {
        if (access != null) throw new IllegalStateException("installed");
        access = Objects.requireNonNull(batchAccess);
    }

    /** The storage of a batch. */
    public static Storage of(Batch batch) {
        return Access.BATCH.apply(batch);
    }

    /**
     * The installed access as a constant, which the JIT folds (a volatile field is read at every
     * call, several times per operation). Initialised at the first {@link #of}, whose batch
     * exists, so Batch's static initialiser has installed it.
     */
    private static final class Access {
        static final Function<Batch, Storage> BATCH = Objects.requireNonNull(access);
    }

    public final ElementType type() {
        return type;
    }

    /** Elements from element 0 to the end. */
    public final long length() {
        return length;
    }

    /**
     * The heap array to pin for a native call (any primitive array), or null when the elements
     * are in native memory.
     */
    public final Object array() {
        return array;
    }

    /**
     * Where element 0 is: its byte offset in {@link #array()}, or for native memory its address,
     * read now (0 if the memory is gone). Call {@link #checkLive} first.
     */
    public abstract long base();

    /**
     * The object two operands must share to be able to overlap, for the overlap rules: the
     * array, or null for native memory (compared by {@link #base()} addresses). A storage whose
     * address cannot be known without the native library (a direct buffer then) names its buffer
     * instead, with byte offsets from the buffer's start.
     */
    public Object identity() {
        return array;
    }

    /** Where element 0 lies relative to {@link #identity()}, in bytes. */
    public long position() {
        return base();
    }

    /** True if the storage must not be written (a read-only buffer or segment). */
    public boolean readOnly() {
        return false;
    }

    /**
     * Throws if the memory is no longer there: {@link IllegalStateException} for a closed matrix
     * or arena, {@link NullPointerException} for a pointer at address 0. {@code name} is the
     * operand's, for the message.
     */
    public void checkLive(String name) {}

    /** Element {@code i}, widened to double (a BOOL element is 0 or 1). */
    public abstract double get(long i);

    /** Stores {@code v} at element {@code i}, rounded to the element type. */
    public abstract void set(long i, double v);

    /** dst[j] = element[start + j] for j &lt; n. */
    public void read(long start, double[] dst, int n) {
        for (int j = 0; j < n; j++) dst[j] = get(start + j);
    }

    /** element[start + j] = src[j] for j &lt; n, each rounded once. */
    public void write(long start, double[] src, int n) {
        for (int j = 0; j < n; j++) set(start + j, src[j]);
    }

    /** What holds the elements, e.g. {@code float[]} or {@code direct FloatBuffer}. */
    public abstract String kind();
}
