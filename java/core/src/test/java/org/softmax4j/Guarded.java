package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * One operand of a boundary case in the storage of its {@link Kind}, surrounded by guard zones,
 * with its whole allocation readable as doubles (the "image") before and after a call.
 *
 * <p>Buffers and pointers are views into a larger allocation: {@link #GUARD} sentinel elements,
 * the elements before the view's position, the elements the API may use (position to limit), the
 * elements between limit and capacity, and {@link #GUARD} more sentinels. A write through a
 * wrong position, limit or offset lands in a guard and shows in the image. Heap arrays are given
 * to the API whole, so their guards are the array's own elements outside the accessed region.
 * Matrices are read through their whole allocation, including the alignment slack around the
 * aligned view.
 */
final class Guarded implements AutoCloseable {
    /** Sentinel elements outside each buffer's or pointer's view. */
    static final int GUARD = 8;

    /** How an operand is made unusable on purpose. */
    enum Variant {
        NORMAL,
        /** A read-only buffer: no array for a heap x, not writable as y. */
        READ_ONLY,
        /** A direct buffer in the other byte order. */
        FOREIGN_ORDER
    }

    final Kind kind;
    /** What the API receives: an array, a buffer, a pointer or a matrix. */
    final Object arg;
    /** Allocation index of the API's element 0 (a buffer's position, a matrix's (0, 0)). */
    final int base;
    /** The image before the call. */
    final double[] initial;

    private final java.util.function.Supplier<double[]> reader;
    private final Runnable release;
    private OffHeapMatrix matrix;

    private Guarded(Kind kind, Object arg, int base, java.util.function.Supplier<double[]> reader,
            Runnable release) {
        this.kind = kind;
        this.arg = arg;
        this.base = base;
        this.reader = reader;
        this.release = release;
        this.initial = reader.get();
    }

    /**
     * A non-matrix operand whose API-visible elements (an array's whole length; a buffer's or
     * pointer's position to limit) hold {@code body}. Buffers and pointers get {@code position}
     * elements before the view's start and {@code extra} between its limit and capacity, all
     * {@code sentinel}, like the guards.
     */
    static Guarded of(Kind kind, double[] body, int position, int extra, double sentinel, Variant variant) {
        if (kind == Kind.FLOAT_ARRAY) {
            float[] a = TestSupport.toFloat(body);
            return new Guarded(kind, a, 0, () -> TestSupport.toDouble(a), () -> {});
        }
        if (kind == Kind.DOUBLE_ARRAY) {
            double[] a = body.clone();
            return new Guarded(kind, a, 0, a::clone, () -> {});
        }
        int cap = body.length;
        int capacity = position + cap + extra;
        double[] image = new double[2 * GUARD + capacity];
        Arrays.fill(image, sentinel);
        System.arraycopy(body, 0, image, GUARD + position, cap);
        int base = GUARD + position;
        switch (kind) {
            case FLOAT_HEAP_BUFFER -> {
                float[] a = TestSupport.toFloat(image);
                FloatBuffer b = FloatBuffer.wrap(a).slice(GUARD, capacity);
                b.position(position).limit(position + cap);
                Object arg = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                return new Guarded(kind, arg, base, () -> TestSupport.toDouble(a), () -> {});
            }
            case DOUBLE_HEAP_BUFFER -> {
                double[] a = image.clone();
                DoubleBuffer b = DoubleBuffer.wrap(a).slice(GUARD, capacity);
                b.position(position).limit(position + cap);
                Object arg = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                return new Guarded(kind, arg, base, a::clone, () -> {});
            }
            case FLOAT_DIRECT_BUFFER -> {
                FloatBuffer all = ByteBuffer.allocateDirect(image.length * Float.BYTES)
                        .order(order(variant)).asFloatBuffer();
                all.put(TestSupport.toFloat(image)).clear();
                FloatBuffer b = all.slice(GUARD, capacity);
                b.position(position).limit(position + cap);
                Object arg = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                return new Guarded(kind, arg, base, () -> {
                    float[] f = new float[image.length];
                    all.get(0, f);
                    return TestSupport.toDouble(f);
                }, () -> {});
            }
            case DOUBLE_DIRECT_BUFFER -> {
                DoubleBuffer all = ByteBuffer.allocateDirect(image.length * Double.BYTES)
                        .order(order(variant)).asDoubleBuffer();
                all.put(image).clear();
                DoubleBuffer b = all.slice(GUARD, capacity);
                b.position(position).limit(position + cap);
                Object arg = variant == Variant.READ_ONLY ? b.asReadOnlyBuffer() : b;
                return new Guarded(kind, arg, base, () -> {
                    double[] d = new double[image.length];
                    all.get(0, d);
                    return d;
                }, () -> {});
            }
            case FLOAT_POINTER -> {
                FloatPointer all = new FloatPointer(image.length);
                all.put(TestSupport.toFloat(image));
                FloatPointer p = new FloatPointer(all).position(base).limit(base + cap);
                return new Guarded(kind, p, base, () -> {
                    float[] f = new float[image.length];
                    all.get(f);
                    return TestSupport.toDouble(f);
                }, all::close);
            }
            case DOUBLE_POINTER -> {
                DoublePointer all = new DoublePointer(image.length);
                all.put(image);
                DoublePointer p = new DoublePointer(all).position(base).limit(base + cap);
                return new Guarded(kind, p, base, () -> {
                    double[] d = new double[image.length];
                    all.get(d);
                    return d;
                }, all::close);
            }
            default -> throw new IllegalArgumentException(kind + " is not a buffer or pointer kind");
        }
    }

    /**
     * A matrix of {@code rows × cols} with the given stride, holding {@code values} (rows × stride,
     * padding included); the alignment slack of its allocation holds {@code sentinel}.
     */
    static Guarded matrix(Kind kind, int rows, int cols, int stride, double[] values, double sentinel) {
        if (kind == Kind.FLOAT_MATRIX) {
            FloatMatrix m = FloatMatrix.allocate(rows, cols, stride);
            FloatPointer all = (FloatPointer) m.storage();
            int length = (int) all.capacity();
            float[] image = new float[length];
            Arrays.fill(image, (float) sentinel);
            int base = (int) m.pointer().position();
            System.arraycopy(TestSupport.toFloat(values), 0, image, base, values.length);
            all.put(image);
            Guarded g = new Guarded(kind, m, base, () -> {
                if (m.isClosed()) return null;
                float[] f = new float[length];
                all.get(f);
                return TestSupport.toDouble(f);
            }, m::close);
            g.matrix = m;
            return g;
        }
        DoubleMatrix m = DoubleMatrix.allocate(rows, cols, stride);
        DoublePointer all = (DoublePointer) m.storage();
        int length = (int) all.capacity();
        double[] image = new double[length];
        Arrays.fill(image, sentinel);
        int base = (int) m.pointer().position();
        System.arraycopy(values, 0, image, base, values.length);
        all.put(image);
        Guarded g = new Guarded(kind, m, base, () -> {
            if (m.isClosed()) return null;
            double[] d = new double[length];
            all.get(d);
            return d;
        }, m::close);
        g.matrix = m;
        return g;
    }

    private static ByteOrder order(Variant v) {
        ByteOrder n = ByteOrder.nativeOrder();
        if (v != Variant.FOREIGN_ORDER) return n;
        return n == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** The image now; null for a closed matrix, whose memory is gone. */
    double[] image() {
        return reader.get();
    }

    /** Closes a matrix before the call, to test that it is refused. */
    void closeMatrix() {
        matrix.close();
    }

    @Override
    public void close() {
        release.run();
    }
}
