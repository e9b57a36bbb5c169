package org.softmax4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;

/**
 * An input batch, its output and its log-sum-exp column in one buffer kind and element type,
 * allocated and filled before measurement. Each method is one library call and returns what it
 * wrote, for the benchmark's {@code Blackhole}.
 *
 * <p>Inputs are N(0, 3²) logits from a fixed seed: the spread of a trained classifier head, so
 * exp neither underflows everywhere nor saturates.
 */
public interface Operands extends AutoCloseable {

    /** Buffer kinds: heap arrays, direct NIO buffers, JavaCPP pointers, softmax4j's off-heap matrices. */
    String[] KINDS = {"array", "direct", "pointer", "matrix"};

    Object softmax(Softmax s);

    Object logSoftmax(Softmax s);

    Object logSumExp(Softmax s);

    /** Frees native memory, if any. */
    @Override
    default void close() {}

    /** One call of {@code op} ({@code softmax}, {@code logSoftmax} or {@code logSumExp}) on these operands. */
    default Call call(Softmax s, String op) {
        return switch (op) {
            case "softmax" -> () -> softmax(s);
            case "logSoftmax" -> () -> logSoftmax(s);
            case "logSumExp" -> () -> logSumExp(s);
            default -> throw new IllegalArgumentException("op must be softmax, logSoftmax or logSumExp, got '" + op + "'");
        };
    }

    /** One operation, ready to run. */
    @FunctionalInterface
    interface Call {
        Object run();
    }

    /** Operands of {@code kind} and {@code dtype} ({@code float32} or {@code float64}) for a batch of {@code shape}. */
    static Operands allocate(String kind, String dtype, Shape shape) {
        int rows = shape.rows(), n = shape.n();
        return switch (dtype) {
            case "float32" -> {
                float[] x = floats(shape.elements());
                yield switch (kind) {
                    case "array" -> new FloatArrays(rows, n, x, new float[x.length], new float[rows]);
                    case "direct" -> new FloatDirect(rows, n, floatBuffer(x.length).put(x).flip(),
                            floatBuffer(x.length), floatBuffer(rows));
                    case "pointer" -> new FloatPointers(rows, n, new FloatPointer(x), new FloatPointer(x.length),
                            new FloatPointer(rows));
                    case "matrix" -> new FloatMatrices(FloatMatrix.of(rows, n, x), FloatMatrix.allocate(rows, n),
                            FloatMatrix.allocate(rows, 1));
                    default -> throw badKind(kind);
                };
            }
            case "float64" -> {
                double[] x = doubles(shape.elements());
                yield switch (kind) {
                    case "array" -> new DoubleArrays(rows, n, x, new double[x.length], new double[rows]);
                    case "direct" -> new DoubleDirect(rows, n, doubleBuffer(x.length).put(x).flip(),
                            doubleBuffer(x.length), doubleBuffer(rows));
                    case "pointer" -> new DoublePointers(rows, n, new DoublePointer(x), new DoublePointer(x.length),
                            new DoublePointer(rows));
                    case "matrix" -> new DoubleMatrices(DoubleMatrix.of(rows, n, x), DoubleMatrix.allocate(rows, n),
                            DoubleMatrix.allocate(rows, 1));
                    default -> throw badKind(kind);
                };
            }
            default -> throw new IllegalArgumentException("dtype must be float32 or float64, got '" + dtype + "'");
        };
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

    private static IllegalArgumentException badKind(String kind) {
        return new IllegalArgumentException("kind must be array, direct, pointer or matrix, got '" + kind + "'");
    }

    private static FloatBuffer floatBuffer(int size) {
        return ByteBuffer.allocateDirect(Float.BYTES * size).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static DoubleBuffer doubleBuffer(int size) {
        return ByteBuffer.allocateDirect(Double.BYTES * size).order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    // One thin adapter per buffer kind and element type: the calls are the public API's short forms.

    record FloatArrays(int rows, int n, float[] x, float[] y, float[] lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
    }

    record DoubleArrays(int rows, int n, double[] x, double[] y, double[] lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
    }

    record FloatDirect(int rows, int n, FloatBuffer x, FloatBuffer y, FloatBuffer lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
    }

    record DoubleDirect(int rows, int n, DoubleBuffer x, DoubleBuffer y, DoubleBuffer lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
    }

    record FloatPointers(int rows, int n, FloatPointer x, FloatPointer y, FloatPointer lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
        @Override public void close() { x.close(); y.close(); lse.close(); }
    }

    record DoublePointers(int rows, int n, DoublePointer x, DoublePointer y, DoublePointer lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(rows, n, x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(rows, n, x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(rows, n, x, lse); return lse; }
        @Override public void close() { x.close(); y.close(); lse.close(); }
    }

    record FloatMatrices(FloatMatrix x, FloatMatrix y, FloatMatrix lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(x, lse); return lse; }
        @Override public void close() { x.close(); y.close(); lse.close(); }
    }

    record DoubleMatrices(DoubleMatrix x, DoubleMatrix y, DoubleMatrix lse) implements Operands {
        public Object softmax(Softmax s) { s.softmax(x, y); return y; }
        public Object logSoftmax(Softmax s) { s.logSoftmax(x, y); return y; }
        public Object logSumExp(Softmax s) { s.logSumExp(x, lse); return lse; }
        @Override public void close() { x.close(); y.close(); lse.close(); }
    }
}
