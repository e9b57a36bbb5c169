package org.softmax4j.regression;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.Softmax;
import org.softmax4j.bridge.NativeCore;

/**
 * One input or output of the classifier, whatever holds it: a heap array, a direct buffer or a
 * JavaCPP pointer, of floats or doubles. A heap buffer arrives here as its array. Indices count
 * from {@link #base()} (an array offset, or a buffer's or pointer's position), as the public API
 * defines.
 *
 * <p>This is the thin adapter that lets one code path serve every buffer kind: the validation
 * reads {@link #length()}, the Java path reads and writes elements, and the native path and the
 * row operation are the only places that need the concrete kind, one line each.
 */
sealed interface Operand {

    /** Elements from the start of the operand to its end (array length, or limit). */
    long length();

    /** True for float storage. */
    boolean single();

    /** Element {@code i}, counted from the start, widened to double. */
    double get(long i);

    /** Stores {@code v}, rounded to the element type, at element {@code i}. */
    void set(long i, double v);

    /**
     * The storage object (array or buffer) for the identity test of overlapping operands, or null
     * for pointers, which are compared by address.
     */
    Object identity();

    /** Byte address of element {@code i} for pointers (and 0 for the others). */
    long address(long i);

    /** A fresh operand of the same kind holding {@code n} elements, for intermediate scores. */
    Operand scratch(int n);

    /** Releases what {@link #scratch} allocated natively; a no-op for the heap kinds. */
    default void release() {}

    /** y = op(a · (x Wᵀ + b)) in one native call; y is of this operand's kind. */
    void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w, Operand y,
            long yo, int ldy, double a);

    /** Softmax or log-softmax of rows × k elements in place, through {@code s}. */
    void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature);

    static Operand of(float[] a) {
        return new FloatArray(a, 0);
    }

    static Operand of(double[] a) {
        return new DoubleArray(a, 0);
    }

    /** A buffer: direct ones are used in place, heap ones through their array. */
    static Operand of(FloatBuffer b) {
        return b.isDirect() ? new FloatDirect(b) : new FloatArray(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }

    static Operand of(DoubleBuffer b) {
        return b.isDirect() ? new DoubleDirect(b) : new DoubleArray(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }

    static Operand of(FloatPointer p) {
        return new FloatPtr(p);
    }

    static Operand of(DoublePointer p) {
        return new DoublePtr(p);
    }

    /** The start of the operand in its storage. */
    default long base() {
        return 0;
    }

    // ---------------------------------------------------------------- heap arrays

    record FloatArray(float[] a, int start, long length) implements Operand {
        FloatArray(float[] a, int start) {
            this(a, start, a.length - (long) start);
        }

        public boolean single() { return true; }
        public double get(long i) { return a[(int) (start + i)]; }
        public void set(long i, double v) { a[(int) (start + i)] = (float) v; }
        public Object identity() { return a; }
        public long address(long i) { return 0; }
        public long base() { return start; }
        public Operand scratch(int n) { return new FloatArray(new float[n], 0); }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            FloatArray t = (FloatArray) y;
            NativeCore.sm4j_bridge_linear_f32(op, this.a, start + xo, ldx, w.address32(),
                    w.bias32(), t.a, t.start + yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            int at = Math.toIntExact(start + o);
            if (log) s.logSoftmax(rows, k, a, at, ld, a, at, ld, temperature);
            else s.softmax(rows, k, a, at, ld, a, at, ld, temperature);
        }
    }

    record DoubleArray(double[] a, int start, long length) implements Operand {
        DoubleArray(double[] a, int start) {
            this(a, start, a.length - (long) start);
        }

        public boolean single() { return false; }
        public double get(long i) { return a[(int) (start + i)]; }
        public void set(long i, double v) { a[(int) (start + i)] = v; }
        public Object identity() { return a; }
        public long address(long i) { return 0; }
        public long base() { return start; }
        public Operand scratch(int n) { return new DoubleArray(new double[n], 0); }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            DoubleArray t = (DoubleArray) y;
            NativeCore.sm4j_bridge_linear_f64(op, this.a, start + xo, ldx, w.address64(),
                    w.bias64(), t.a, t.start + yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            int at = Math.toIntExact(start + o);
            if (log) s.logSoftmax(rows, k, a, at, ld, a, at, ld, temperature);
            else s.softmax(rows, k, a, at, ld, a, at, ld, temperature);
        }
    }

    // ---------------------------------------------------------------- direct buffers

    record FloatDirect(FloatBuffer b) implements Operand {
        public long length() { return b.remaining(); }
        public boolean single() { return true; }
        public double get(long i) { return b.get(b.position() + (int) i); }
        public void set(long i, double v) { b.put(b.position() + (int) i, (float) v); }
        public Object identity() { return b; }
        public long address(long i) { return 0; }
        public long base() { return b.position(); }

        public Operand scratch(int n) {
            return new FloatDirect(ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
        }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            NativeCore.sm4j_bridge_linear_f32(op, b, xo, ldx, w.address32(), w.bias32(),
                    ((FloatDirect) y).b, yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            int at = Math.toIntExact(o);
            if (log) s.logSoftmax(rows, k, b, at, ld, b, at, ld, temperature);
            else s.softmax(rows, k, b, at, ld, b, at, ld, temperature);
        }
    }

    record DoubleDirect(DoubleBuffer b) implements Operand {
        public long length() { return b.remaining(); }
        public boolean single() { return false; }
        public double get(long i) { return b.get(b.position() + (int) i); }
        public void set(long i, double v) { b.put(b.position() + (int) i, v); }
        public Object identity() { return b; }
        public long address(long i) { return 0; }
        public long base() { return b.position(); }

        public Operand scratch(int n) {
            return new DoubleDirect(ByteBuffer.allocateDirect(n * Double.BYTES).order(ByteOrder.nativeOrder()).asDoubleBuffer());
        }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            NativeCore.sm4j_bridge_linear_f64(op, b, xo, ldx, w.address64(), w.bias64(),
                    ((DoubleDirect) y).b, yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            int at = Math.toIntExact(o);
            if (log) s.logSoftmax(rows, k, b, at, ld, b, at, ld, temperature);
            else s.softmax(rows, k, b, at, ld, b, at, ld, temperature);
        }
    }

    // ---------------------------------------------------------------- JavaCPP pointers

    record FloatPtr(FloatPointer p) implements Operand {
        public long length() { return Math.max(0, p.limit() - p.position()); }
        public boolean single() { return true; }
        public double get(long i) { return p.get(i); }
        public void set(long i, double v) { p.put(i, (float) v); }
        public Object identity() { return null; }
        public long address(long i) { return p.address() + (p.position() + i) * Float.BYTES; }
        public long base() { return p.position(); }
        public Operand scratch(int n) { return new FloatPtr(new FloatPointer(n)); }
        public void release() { p.close(); }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            NativeCore.sm4j_bridge_linear_f32(op, p, xo, ldx, w.address32(), w.bias32(),
                    ((FloatPtr) y).p, yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            if (log) s.logSoftmax(rows, k, p, o, ld, p, o, ld, temperature);
            else s.softmax(rows, k, p, o, ld, p, o, ld, temperature);
        }
    }

    record DoublePtr(DoublePointer p) implements Operand {
        public long length() { return Math.max(0, p.limit() - p.position()); }
        public boolean single() { return false; }
        public double get(long i) { return p.get(i); }
        public void set(long i, double v) { p.put(i, v); }
        public Object identity() { return null; }
        public long address(long i) { return p.address() + (p.position() + i) * Double.BYTES; }
        public long base() { return p.position(); }
        public Operand scratch(int n) { return new DoublePtr(new DoublePointer(n)); }
        public void release() { p.close(); }

        public void linear(int op, int rows, int d, int k, long xo, int ldx, NativeWeights w,
                Operand y, long yo, int ldy, double a) {
            NativeCore.sm4j_bridge_linear_f64(op, p, xo, ldx, w.address64(), w.bias64(),
                    ((DoublePtr) y).p, yo, ldy, rows, d, k, a);
        }

        public void rows(Softmax s, boolean log, int rows, int k, long o, int ld, double temperature) {
            if (log) s.logSoftmax(rows, k, p, o, ld, p, o, ld, temperature);
            else s.softmax(rows, k, p, o, ld, p, o, ld, temperature);
        }
    }
}
