package org.softmax4j.storage;

import org.softmax4j.ElementType;

/**
 * Heap arrays: {@code float[]}, {@code double[]}, {@code short[]} (BFLOAT16 or FLOAT16 bit
 * patterns), {@code boolean[]} and {@code byte[]} (BOOL), {@code int[]} (INT32). The native kernel pins the array for the call (a JNI critical region, no
 * copy); {@link #base()} is the byte offset of element 0 in it. The Java kernel reads and writes
 * the array's elements directly.
 */
public final class ArrayStorage extends Storage {
    /** The array index of element 0. */
    private final int start;

    private ArrayStorage(ElementType type, Object array, int start, long length) {
        super(type, length, array);
        this.start = start;
    }

    /** Elements {@code start..start + length} of {@code array}, which must not be null. */
    public static Storage of(float[] array, int start, int length) {
        return new ArrayStorage(ElementType.FLOAT32, array, start, length);
    }

    public static Storage of(double[] array, int start, int length) {
        return new ArrayStorage(ElementType.FLOAT64, array, start, length);
    }

    /** 16-bit patterns of {@code type}, BFLOAT16 or FLOAT16. */
    public static Storage ofHalf(short[] array, ElementType type, int start, int length) {
        return new ArrayStorage(type, array, start, length);
    }

    public static Storage of(boolean[] array, int start, int length) {
        return new ArrayStorage(ElementType.BOOL, array, start, length);
    }

    public static Storage of(int[] array, int start, int length) {
        return new ArrayStorage(ElementType.INT32, array, start, length);
    }

    /** Bytes as BOOL elements (a heap ByteBuffer's array). */
    public static Storage ofBytes(byte[] array, int start, int length) {
        return new ArrayStorage(ElementType.BOOL, array, start, length);
    }

    @Override
    public long base() {
        return (long) start * type().bytes();
    }

    @Override
    public double get(long i) {
        int at = (int) (start + i);
        Object a = array();
        if (a instanceof float[] f) return f[at];
        if (a instanceof double[] d) return d[at];
        if (a instanceof short[] h) return type().toFloat(h[at]);
        if (a instanceof int[] n) return n[at];
        if (a instanceof boolean[] b) return b[at] ? 1 : 0;
        return ((byte[]) a)[at] != 0 ? 1 : 0;
    }

    @Override
    public void set(long i, double v) {
        int at = (int) (start + i);
        Object a = array();
        if (a instanceof float[] f) {
            f[at] = (float) v;
        } else if (a instanceof double[] d) {
            d[at] = v;
        } else if (a instanceof short[] h) {
            h[at] = type().toBits((float) v);
        } else if (a instanceof int[] n) {
            n[at] = (int) v;
        } else if (a instanceof boolean[] b) {
            b[at] = v != 0;
        } else {
            ((byte[]) a)[at] = (byte) (v != 0 ? 1 : 0);
        }
    }

    // An empty row may start past the end (n = 0 with any stride is a valid call), where
    // arraycopy would throw even for zero elements.
    @Override
    public void read(long from, double[] dst, int n) {
        if (n > 0 && array() instanceof double[] d) {
            System.arraycopy(d, (int) (start + from), dst, 0, n);
        } else {
            super.read(from, dst, n);
        }
    }

    @Override
    public void write(long from, double[] src, int n) {
        if (n > 0 && array() instanceof double[] d) {
            System.arraycopy(src, 0, d, (int) (start + from), n);
        } else {
            super.write(from, src, n);
        }
    }

    @Override
    public String kind() {
        return array().getClass().getSimpleName();
    }
}
