package org.softmax4j;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.backend.RowOp;

/**
 * Every buffer kind the API takes, driven from double[] test data: a kind builds its own x and y
 * from the data, calls the public method for the operation, and returns the whole of y's storage
 * as doubles, so a test can check both the results and that nothing around them was written.
 * Buffers and pointers are given a non-zero position, to test that offsets count from it.
 */
enum Kind {
    FLOAT_ARRAY, DOUBLE_ARRAY,
    FLOAT_DIRECT_BUFFER, DOUBLE_DIRECT_BUFFER,
    FLOAT_HEAP_BUFFER, DOUBLE_HEAP_BUFFER,
    FLOAT_POINTER, DOUBLE_POINTER,
    FLOAT_MATRIX, DOUBLE_MATRIX;

    /** Fills every element of y that the operation must not write. */
    static final double SENTINEL = TestSupport.SENTINEL;

    /** Elements before position 0 of buffers and pointers. */
    private static final int POSITION = TestSupport.POSITION;

    boolean isFloat() {
        return name().startsWith("FLOAT");
    }

    boolean isMatrix() {
        return name().endsWith("MATRIX");
    }

    /** Values as this kind stores them (rounded to float for float kinds). */
    double[] rounded(double[] values) {
        double[] r = values.clone();
        if (isFloat()) for (int i = 0; i < r.length; i++) r[i] = (float) r[i];
        return r;
    }

    /**
     * Runs {@code op} with x holding {@code xs} and y of {@code yLength} elements filled with
     * {@link #SENTINEL} (or y = x if {@code inPlace}); returns y's storage afterwards. For
     * matrices, offsets must be 0 and the strides become the matrices' strides.
     */
    double[] run(Softmax s, RowOp op, int rows, int n, double[] xs, int xo, int ldx, int yLength,
            int yo, int ldy, double tau, boolean inPlace) {
        int outStride = op.reduces() ? 1 : ldy;
        switch (this) {
            case FLOAT_ARRAY -> {
                float[] x = TestSupport.toFloat(xs);
                float[] y = inPlace ? x : TestSupport.filledFloat(yLength);
                call(s, op, rows, n, x, xo, ldx, y, yo, outStride, tau);
                return TestSupport.toDouble(y);
            }
            case DOUBLE_ARRAY -> {
                double[] x = xs.clone();
                double[] y = inPlace ? x : TestSupport.filledDouble(yLength);
                call(s, op, rows, n, x, xo, ldx, y, yo, outStride, tau);
                return y;
            }
            case FLOAT_DIRECT_BUFFER, FLOAT_HEAP_BUFFER -> {
                boolean direct = this == FLOAT_DIRECT_BUFFER;
                FloatBuffer x = TestSupport.floatBuffer(TestSupport.toFloat(xs), direct);
                FloatBuffer y = inPlace ? x : TestSupport.floatBuffer(TestSupport.filledFloat(yLength), direct);
                call(s, op, rows, n, x, xo, ldx, y, yo, outStride, tau);
                if (x.position() != POSITION || y.position() != POSITION) throw new AssertionError("position moved");
                double[] out = new double[y.limit() - POSITION];
                for (int i = 0; i < out.length; i++) out[i] = y.get(POSITION + i);
                return out;
            }
            case DOUBLE_DIRECT_BUFFER, DOUBLE_HEAP_BUFFER -> {
                boolean direct = this == DOUBLE_DIRECT_BUFFER;
                DoubleBuffer x = TestSupport.doubleBuffer(xs, direct);
                DoubleBuffer y = inPlace ? x : TestSupport.doubleBuffer(TestSupport.filledDouble(yLength), direct);
                call(s, op, rows, n, x, xo, ldx, y, yo, outStride, tau);
                if (x.position() != POSITION || y.position() != POSITION) throw new AssertionError("position moved");
                double[] out = new double[y.limit() - POSITION];
                for (int i = 0; i < out.length; i++) out[i] = y.get(POSITION + i);
                return out;
            }
            case FLOAT_POINTER -> {
                try (FloatPointer x = TestSupport.floatPointer(TestSupport.toFloat(xs));
                     FloatPointer y = inPlace ? null : TestSupport.floatPointer(TestSupport.filledFloat(yLength))) {
                    FloatPointer yy = inPlace ? x : y;
                    call(s, op, rows, n, x, xo, ldx, yy, yo, outStride, tau);
                    float[] out = new float[(int) (yy.limit() - POSITION)];
                    yy.get(out);
                    return TestSupport.toDouble(out);
                }
            }
            case DOUBLE_POINTER -> {
                try (DoublePointer x = TestSupport.doublePointer(xs);
                     DoublePointer y = inPlace ? null : TestSupport.doublePointer(TestSupport.filledDouble(yLength))) {
                    DoublePointer yy = inPlace ? x : y;
                    call(s, op, rows, n, x, xo, ldx, yy, yo, outStride, tau);
                    double[] out = new double[(int) (yy.limit() - POSITION)];
                    yy.get(out);
                    return out;
                }
            }
            case FLOAT_MATRIX -> {
                requireMatrixLayout(xo, yo);
                int yCols = op.reduces() ? 1 : n;
                try (FloatMatrix x = FloatMatrix.allocate(rows, n, ldx);
                     FloatMatrix y = inPlace ? null : FloatMatrix.allocate(rows, yCols, ldy)) {
                    x.pointer().put(TestSupport.toFloat(xs), 0, (int) x.size());
                    FloatMatrix yy = inPlace ? x : y;
                    if (!inPlace) yy.pointer().put(TestSupport.filledFloat((int) yy.size()));
                    switch (op) {
                        case SOFTMAX -> s.softmax(x, yy, tau);
                        case LOG_SOFTMAX -> s.logSoftmax(x, yy, tau);
                        case LOG_SUM_EXP -> s.logSumExp(x, yy, tau);
                    }
                    float[] out = new float[(int) yy.size()];
                    yy.pointer().get(out);
                    return TestSupport.toDouble(out);
                }
            }
            case DOUBLE_MATRIX -> {
                requireMatrixLayout(xo, yo);
                int yCols = op.reduces() ? 1 : n;
                try (DoubleMatrix x = DoubleMatrix.allocate(rows, n, ldx);
                     DoubleMatrix y = inPlace ? null : DoubleMatrix.allocate(rows, yCols, ldy)) {
                    x.pointer().put(xs, 0, (int) x.size());
                    DoubleMatrix yy = inPlace ? x : y;
                    if (!inPlace) yy.pointer().put(TestSupport.filledDouble((int) yy.size()));
                    switch (op) {
                        case SOFTMAX -> s.softmax(x, yy, tau);
                        case LOG_SOFTMAX -> s.logSoftmax(x, yy, tau);
                        case LOG_SUM_EXP -> s.logSumExp(x, yy, tau);
                    }
                    double[] out = new double[(int) yy.size()];
                    yy.pointer().get(out);
                    return out;
                }
            }
        }
        throw new AssertionError(this);
    }

    private static void requireMatrixLayout(int xo, int yo) {
        if (xo != 0 || yo != 0) throw new IllegalArgumentException("matrices have no offsets");
    }

    // ---------------------------------------------------------------- one call per operation

    static void call(Softmax s, RowOp op, int rows, int n, float[] x, int xo, int ldx, float[] y, int yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    static void call(Softmax s, RowOp op, int rows, int n, double[] x, int xo, int ldx, double[] y, int yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    static void call(Softmax s, RowOp op, int rows, int n, FloatBuffer x, int xo, int ldx, FloatBuffer y, int yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    static void call(Softmax s, RowOp op, int rows, int n, DoubleBuffer x, int xo, int ldx, DoubleBuffer y, int yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    static void call(Softmax s, RowOp op, int rows, int n, FloatPointer x, long xo, int ldx, FloatPointer y, long yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    static void call(Softmax s, RowOp op, int rows, int n, DoublePointer x, long xo, int ldx, DoublePointer y, long yo, int ldy, double tau) {
        switch (op) {
            case SOFTMAX -> s.softmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SOFTMAX -> s.logSoftmax(rows, n, x, xo, ldx, y, yo, ldy, tau);
            case LOG_SUM_EXP -> s.logSumExp(rows, n, x, xo, ldx, y, yo, tau);
        }
    }

    // ---------------------------------------------------------------- storage

    // ---------------------------------------------------------------- Batch operands

    /** True for the kinds that live on the heap (arrays, heap buffers), whose masks are boolean[]. */
    boolean onHeap() {
        return this == FLOAT_ARRAY || this == DOUBLE_ARRAY || this == FLOAT_HEAP_BUFFER
                || this == DOUBLE_HEAP_BUFFER;
    }

    /** One operand of a Batch call, in storage of some kind; {@link #contents} reads it all back. */
    interface Stored extends AutoCloseable {
        Batch batch();

        /** Every element of the storage (from a buffer's or pointer's position), as doubles. */
        double[] contents();

        @Override
        void close();
    }

    /**
     * Storage of this kind holding {@code contents} (rounded to float for float kinds), viewed as
     * a Batch of {@code rows} rows of {@code width} from {@code offset}, {@code stride} apart, or
     * dense. For matrices, offset must be 0 and contents is the rows × stride memory.
     */
    Stored store(double[] contents, int rows, int width, int offset, int stride, boolean dense) {
        switch (this) {
            case FLOAT_ARRAY -> {
                float[] a = TestSupport.toFloat(contents);
                Batch b = dense ? Batch.of(a) : Batch.of(a, offset, stride);
                return stored(b, () -> TestSupport.toDouble(a), () -> {});
            }
            case DOUBLE_ARRAY -> {
                double[] a = contents.clone();
                Batch b = dense ? Batch.of(a) : Batch.of(a, offset, stride);
                return stored(b, () -> a.clone(), () -> {});
            }
            case FLOAT_DIRECT_BUFFER, FLOAT_HEAP_BUFFER -> {
                FloatBuffer f = TestSupport.floatBuffer(TestSupport.toFloat(contents), this == FLOAT_DIRECT_BUFFER);
                Batch b = dense ? Batch.of(f) : Batch.of(f, offset, stride);
                return stored(b, () -> {
                    if (f.position() != POSITION) throw new AssertionError("position moved");
                    double[] d = new double[contents.length];
                    for (int i = 0; i < d.length; i++) d[i] = f.get(POSITION + i);
                    return d;
                }, () -> {});
            }
            case DOUBLE_DIRECT_BUFFER, DOUBLE_HEAP_BUFFER -> {
                DoubleBuffer f = TestSupport.doubleBuffer(contents, this == DOUBLE_DIRECT_BUFFER);
                Batch b = dense ? Batch.of(f) : Batch.of(f, offset, stride);
                return stored(b, () -> {
                    if (f.position() != POSITION) throw new AssertionError("position moved");
                    double[] d = new double[contents.length];
                    for (int i = 0; i < d.length; i++) d[i] = f.get(POSITION + i);
                    return d;
                }, () -> {});
            }
            case FLOAT_POINTER -> {
                FloatPointer p = TestSupport.floatPointer(TestSupport.toFloat(contents));
                Batch b = dense ? Batch.of(p) : Batch.of(p, offset, stride);
                return stored(b, () -> {
                    float[] f = new float[contents.length];
                    p.get(f);
                    return TestSupport.toDouble(f);
                }, p::close);
            }
            case DOUBLE_POINTER -> {
                DoublePointer p = TestSupport.doublePointer(contents);
                Batch b = dense ? Batch.of(p) : Batch.of(p, offset, stride);
                return stored(b, () -> {
                    double[] d = new double[contents.length];
                    p.get(d);
                    return d;
                }, p::close);
            }
            case FLOAT_MATRIX -> {
                requireMatrixLayout(offset, 0);
                FloatMatrix m = FloatMatrix.allocate(rows, width, stride);
                m.pointer().put(TestSupport.toFloat(contents), 0, (int) m.size());
                return stored(Batch.of(m), () -> {
                    float[] f = new float[(int) m.size()];
                    m.pointer().get(f);
                    return TestSupport.toDouble(f);
                }, m::close);
            }
            case DOUBLE_MATRIX -> {
                requireMatrixLayout(offset, 0);
                DoubleMatrix m = DoubleMatrix.allocate(rows, width, stride);
                m.pointer().put(contents, 0, (int) m.size());
                return stored(Batch.of(m), () -> {
                    double[] d = new double[(int) m.size()];
                    m.pointer().get(d);
                    return d;
                }, m::close);
            }
        }
        throw new AssertionError(this);
    }

    /** The mask this kind's data goes with: boolean[] on the heap, else direct bytes or a BytePointer. */
    Mask mask(boolean[] flags, int offset, int stride, boolean dense, java.util.List<AutoCloseable> owned) {
        if (onHeap()) return dense ? Mask.of(flags.clone()) : Mask.of(flags.clone(), offset, stride);
        byte[] bytes = new byte[flags.length];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (flags[i] ? 1 : 0);
        if (this == FLOAT_DIRECT_BUFFER || this == DOUBLE_DIRECT_BUFFER) {
            ByteBuffer b = ByteBuffer.allocateDirect(POSITION + bytes.length);
            b.position(POSITION);
            b.put(bytes);
            b.position(POSITION);
            return dense ? Mask.of(b) : Mask.of(b, offset, stride);
        }
        BytePointer p = new BytePointer(POSITION + bytes.length);
        p.position(POSITION).put(bytes);
        p.position(POSITION);
        owned.add(p);
        return dense ? Mask.of(p) : Mask.of(p, offset, stride);
    }

    private static Stored stored(Batch b, java.util.function.Supplier<double[]> read, Runnable close) {
        return new Stored() {
            public Batch batch() {
                return b;
            }

            public double[] contents() {
                return read.get();
            }

            public void close() {
                close.run();
            }
        };
    }
}
