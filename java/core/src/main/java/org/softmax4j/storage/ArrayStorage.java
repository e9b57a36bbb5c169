package org.softmax4j.storage;

import org.softmax4j.ElementType;

/**
 * Heap arrays: {@code float[]}, {@code double[]}, {@code boolean[]} (BOOL) and {@code int[]}
 * (INT32). The native kernel pins the array for the call (a JNI critical region, no copy);
 * {@link #base()} is the byte offset of element 0 in it.
 */
public abstract class ArrayStorage extends Storage {
    private final long base;

    private ArrayStorage(ElementType type, Object array, int start, long length) {
        super(type, length, array);
        this.base = (long) start * type.bytes();
    }

    /** Elements {@code start..start + length} of {@code array}, which must not be null. */
    public static Storage of(float[] array, int start, int length) {
        return new Floats(array, start, length);
    }

    public static Storage of(double[] array, int start, int length) {
        return new Doubles(array, start, length);
    }

    public static Storage of(boolean[] array, int start, int length) {
        return new Booleans(array, start, length);
    }

    public static Storage of(int[] array, int start, int length) {
        return new Ints(array, start, length);
    }

    /** Bytes as BOOL elements (a heap ByteBuffer's array). */
    public static Storage ofBytes(byte[] array, int start, int length) {
        return new Bytes(array, start, length);
    }

    @Override
    public final long base() {
        return base;
    }

    /** The array index of element {@code i}. */
    final int at(long i) {
        return (int) (base / type().bytes() + i);
    }

    @Override
    public String kind() {
        return this instanceof Bytes ? "byte[]" : type() == ElementType.BOOL ? "boolean[]" : type() == ElementType.INT32 ? "int[]"
                : type() == ElementType.FLOAT32 ? "float[]" : "double[]";
    }

    private static final class Floats extends ArrayStorage {
        private final float[] a;

        Floats(float[] a, int start, int length) {
            super(ElementType.FLOAT32, a, start, length);
            this.a = a;
        }

        @Override
        public double get(long i) {
            return a[at(i)];
        }

        @Override
        public void set(long i, double v) {
            a[at(i)] = (float) v;
        }
    }

    private static final class Doubles extends ArrayStorage {
        private final double[] a;

        Doubles(double[] a, int start, int length) {
            super(ElementType.FLOAT64, a, start, length);
            this.a = a;
        }

        @Override
        public double get(long i) {
            return a[at(i)];
        }

        @Override
        public void set(long i, double v) {
            a[at(i)] = v;
        }

        // An empty row may start past the end (n = 0 with any stride is a valid call), where
        // arraycopy would throw even for zero elements.
        @Override
        public void read(long start, double[] dst, int n) {
            if (n > 0) System.arraycopy(a, at(start), dst, 0, n);
        }

        @Override
        public void write(long start, double[] src, int n) {
            if (n > 0) System.arraycopy(src, 0, a, at(start), n);
        }
    }

    private static final class Booleans extends ArrayStorage {
        private final boolean[] a;

        Booleans(boolean[] a, int start, int length) {
            super(ElementType.BOOL, a, start, length);
            this.a = a;
        }

        @Override
        public double get(long i) {
            return a[at(i)] ? 1 : 0;
        }

        @Override
        public void set(long i, double v) {
            a[at(i)] = v != 0;
        }
    }

    private static final class Ints extends ArrayStorage {
        private final int[] a;

        Ints(int[] a, int start, int length) {
            super(ElementType.INT32, a, start, length);
            this.a = a;
        }

        @Override
        public double get(long i) {
            return a[at(i)];
        }

        @Override
        public void set(long i, double v) {
            a[at(i)] = (int) v;
        }
    }

    private static final class Bytes extends ArrayStorage {
        private final byte[] a;

        Bytes(byte[] a, int start, int length) {
            super(ElementType.BOOL, a, start, length);
            this.a = a;
        }

        @Override
        public double get(long i) {
            return a[at(i)] != 0 ? 1 : 0;
        }

        @Override
        public void set(long i, double v) {
            a[at(i)] = (byte) (v != 0 ? 1 : 0);
        }
    }
}
