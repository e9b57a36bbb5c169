package org.softmax4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.ElementType;
import org.softmax4j.Batch;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;

/**
 * An input batch, its output and its log-sum-exp column in one buffer kind and element type,
 * allocated and filled before measurement, with their batches made once: a call allocates
 * nothing. Each method is one library call and returns what it wrote, for the benchmark's
 * {@code Blackhole}. Kind {@code shorthand} is the heap arrays through the array shorthand
 * {@code softmax(rows, n, x, y)}, which makes its batches at every call.
 *
 * <p>Inputs are N(0, 3²) logits from a fixed seed: the spread of a trained classifier head, so
 * exp neither underflows everywhere nor saturates.
 */
public final class Operands implements AutoCloseable {

    /**
     * Storage kinds: heap arrays (batches made once), the same arrays through the array shorthand,
     * direct NIO buffers, JavaCPP pointers, softmax4j's off-heap matrices, and (JDK 22+ only)
     * native MemorySegments of a shared arena.
     */
    public static final String[] KINDS = {"array", "shorthand", "direct", "pointer", "matrix", "segment"};

    private final Batch x;
    private final Batch y;
    private final Batch lse;
    /** What y and lse are stored in, returned for the Blackhole and the tests. */
    private final Object yStorage;
    private final Object lseStorage;
    private final boolean shorthand;
    private final AutoCloseable owned;

    private Operands(Batch x, Batch y, Batch lse, Object yStorage, Object lseStorage, boolean shorthand,
            AutoCloseable owned) {
        this.x = x;
        this.y = y;
        this.lse = lse;
        this.yStorage = yStorage;
        this.lseStorage = lseStorage;
        this.shorthand = shorthand;
        this.owned = owned;
    }

    public Object softmax(Softmax s) {
        if (shorthand) return shorthand(s, 0);
        s.softmax(x, y);
        return yStorage;
    }

    public Object logSoftmax(Softmax s) {
        if (shorthand) return shorthand(s, 1);
        s.logSoftmax(x, y);
        return yStorage;
    }

    public Object logSumExp(Softmax s) {
        if (shorthand) return shorthand(s, 2);
        s.logSumExp(x, lse);
        return lseStorage;
    }

    /**
     * The baseline: y = x through the same route, bridge and native driver as the operations
     * (threads included), with no arithmetic. Not part of the API ({@code Op.COPY} is internal):
     * an operation's time over this one is its cost beyond moving the same bytes.
     */
    public Object copy(Softmax s) {
        Kernel kernel = s.backend() == Softmax.Backend.NATIVE ? Kernels.nativeOrNull() : Kernels.java();
        Route.run(kernel, Op.COPY, 0, x.rows(), x.cols(), 0, 1, 0, x, null, null, null, y, null);
        return yStorage;
    }

    /** The array shorthand, on the arrays behind the batches. */
    private Object shorthand(Softmax s, int op) {
        int rows = x.rows(), n = x.cols();
        Object in = xStorage;
        if (in instanceof float[] xf) {
            switch (op) {
                case 0 -> s.softmax(rows, n, xf, (float[]) yStorage);
                case 1 -> s.logSoftmax(rows, n, xf, (float[]) yStorage);
                default -> s.logSumExp(rows, n, xf, (float[]) lseStorage);
            }
        } else {
            double[] xd = (double[]) in;
            switch (op) {
                case 0 -> s.softmax(rows, n, xd, (double[]) yStorage);
                case 1 -> s.logSoftmax(rows, n, xd, (double[]) yStorage);
                default -> s.logSumExp(rows, n, xd, (double[]) lseStorage);
            }
        }
        return op == 2 ? lseStorage : yStorage;
    }

    private Object xStorage;

    /** Frees native memory, if any. */
    @Override
    public void close() {
        try {
            if (owned != null) owned.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One call of {@code op} ({@code softmax}, {@code logSoftmax}, {@code logSumExp}, or
     * {@code copy}, the baseline) on these operands.
     */
    public Call call(Softmax s, String op) {
        return switch (op) {
            case "softmax" -> () -> softmax(s);
            case "logSoftmax" -> () -> logSoftmax(s);
            case "logSumExp" -> () -> logSumExp(s);
            case "copy" -> () -> copy(s);
            default -> throw new IllegalArgumentException(
                    "op must be softmax, logSoftmax, logSumExp or copy, got '" + op + "'");
        };
    }

    /** One operation, ready to run. */
    @FunctionalInterface
    public interface Call {
        Object run();
    }

    /** Operands of {@code kind} and {@code dtype} ({@code float32} or {@code float64}) for a batch of {@code shape}. */
    public static Operands allocate(String kind, String dtype, Shape shape) {
        int rows = shape.rows(), n = shape.n();
        boolean f32 = switch (dtype) {
            case "float32" -> true;
            case "float64" -> false;
            default -> throw new IllegalArgumentException("dtype must be float32 or float64, got '" + dtype + "'");
        };
        double[] xd = doubles(shape.elements());
        float[] xf = floats(shape.elements());
        int size = xd.length;
        Operands o = switch (kind) {
            case "array", "shorthand" -> {
                Object y = f32 ? new float[size] : new double[size];
                Object l = f32 ? new float[rows] : new double[rows];
                yield f32 ? new Operands(Batch.of(xf, rows, n), Batch.of((float[]) y, rows, n), Batch.of((float[]) l, rows, 1),
                        y, l, kind.equals("shorthand"), null)
                        : new Operands(Batch.of(xd, rows, n), Batch.of((double[]) y, rows, n), Batch.of((double[]) l, rows, 1),
                        y, l, kind.equals("shorthand"), null);
            }
            case "direct" -> {
                if (f32) {
                    FloatBuffer x = floatBuffer(size).put(xf).flip(), y = floatBuffer(size), l = floatBuffer(rows);
                    yield new Operands(Batch.of(x, rows, n), Batch.of(y, rows, n), Batch.of(l, rows, 1), y, l, false, null);
                }
                DoubleBuffer x = doubleBuffer(size).put(xd).flip(), y = doubleBuffer(size), l = doubleBuffer(rows);
                yield new Operands(Batch.of(x, rows, n), Batch.of(y, rows, n), Batch.of(l, rows, 1), y, l, false, null);
            }
            case "pointer" -> {
                if (f32) {
                    FloatPointer x = new FloatPointer(xf), y = new FloatPointer(size), l = new FloatPointer(rows);
                    yield new Operands(Batch.of(x, rows, n), Batch.of(y, rows, n), Batch.of(l, rows, 1), y, l, false,
                            () -> { x.close(); y.close(); l.close(); });
                }
                DoublePointer x = new DoublePointer(xd), y = new DoublePointer(size), l = new DoublePointer(rows);
                yield new Operands(Batch.of(x, rows, n), Batch.of(y, rows, n), Batch.of(l, rows, 1), y, l, false,
                        () -> { x.close(); y.close(); l.close(); });
            }
            case "matrix" -> {
                if (f32) {
                    FloatMatrix x = FloatMatrix.of(rows, n, xf), y = FloatMatrix.allocate(rows, n), l = FloatMatrix.allocate(rows, 1);
                    yield new Operands(Batch.of(x), Batch.of(y), Batch.of(l), y, l, false,
                            () -> { x.close(); y.close(); l.close(); });
                }
                DoubleMatrix x = DoubleMatrix.of(rows, n, xd), y = DoubleMatrix.allocate(rows, n), l = DoubleMatrix.allocate(rows, 1);
                yield new Operands(Batch.of(x), Batch.of(y), Batch.of(l), y, l, false,
                        () -> { x.close(); y.close(); l.close(); });
            }
            case "segment" -> Segments.operands(f32, f32 ? xf : xd, rows, n);
            default -> throw new IllegalArgumentException(
                    "kind must be array, shorthand, direct, pointer, matrix or segment, got '" + kind + "'");
        };
        o.xStorage = f32 ? xf : xd;
        return o;
    }

    /**
     * Native MemorySegments, reached reflectively (this module compiles at release 17; the
     * library's {@code Segments} exists on JDK 22+ only). Only the setup is reflective: the
     * batches are made here, and a call is the same {@code Softmax} call as for any kind.
     */
    private static final class Segments {
        static Operands operands(boolean f32, Object x, int rows, int n) {
            try {
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
                Object arena = arenaClass.getMethod("ofShared").invoke(null);
                ElementType type = f32 ? ElementType.FLOAT32 : ElementType.FLOAT64;
                java.lang.reflect.Method allocate = arenaClass.getMethod("allocate", long.class, long.class);
                java.lang.reflect.Method of = Class.forName("org.softmax4j.Segments").getMethod("of", segment,
                        ElementType.class, int.class, int.class);
                long size = (long) rows * n * type.bytes();
                Object xs = allocate.invoke(arena, size, 64L), ys = allocate.invoke(arena, size, 64L);
                Object ls = allocate.invoke(arena, (long) rows * type.bytes(), 64L);
                ByteBuffer xb = ((ByteBuffer) segment.getMethod("asByteBuffer").invoke(xs)).order(ByteOrder.nativeOrder());
                if (f32) xb.asFloatBuffer().put((float[]) x);
                else xb.asDoubleBuffer().put((double[]) x);
                AutoCloseable close = (AutoCloseable) arena;
                return new Operands((Batch) of.invoke(null, xs, type, rows, n), (Batch) of.invoke(null, ys, type, rows, n),
                        (Batch) of.invoke(null, ls, type, rows, 1), ys, ls, false, close);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("kind segment needs JDK 22+ and softmax4j's multi-release jar", e);
            }
        }
    }

    /** The benchmark's logits as doubles, from a fixed seed. */
    static double[] doubles(int size) {
        Random r = new Random(0x50f7_3a4L);
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = 3 * r.nextGaussian();
        return x;
    }

    /** The same logits rounded to float. */
    static float[] floats(int size) {
        double[] d = doubles(size);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) d[i];
        return x;
    }

    private static FloatBuffer floatBuffer(int size) {
        return ByteBuffer.allocateDirect(Float.BYTES * size).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static DoubleBuffer doubleBuffer(int size) {
        return ByteBuffer.allocateDirect(Double.BYTES * size).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }
}
