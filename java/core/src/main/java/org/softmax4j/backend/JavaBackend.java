package org.softmax4j.backend;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.Softmax;

/**
 * The pure-Java backend: {@link Reference} applied row by row. Each row is read into a double
 * array, computed, and rounded once on the way out; reading the whole row first also makes
 * in-place calls trivially right. Obtain it from {@link Softmax#java()}.
 */
public final class JavaBackend extends Softmax {

    /** For {@link Softmax#java()}; there is one instance. */
    public JavaBackend() {}

    @Override
    public Backend backend() {
        return Backend.JAVA;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    protected void setThreadsK(int threads) {
        // Single-threaded by design: the reference must stay simple.
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, float[] x, int xOffset, int ldx, float[] y,
            int yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x), xOffset, ldx, Rows.of(y), yOffset, ldy, toFloat(a));
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, double[] x, int xOffset, int ldx, double[] y,
            int yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x), xOffset, ldx, Rows.of(y), yOffset, ldy, toDouble(a));
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, FloatBuffer x, int xOffset, int ldx,
            FloatBuffer y, int yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x), xOffset, ldx, Rows.of(y), yOffset, ldy, toFloat(a));
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, DoubleBuffer x, int xOffset, int ldx,
            DoubleBuffer y, int yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x), xOffset, ldx, Rows.of(y), yOffset, ldy, toDouble(a));
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, FloatPointer x, long xOffset, int ldx,
            FloatPointer y, long yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x.asBuffer()), xOffset, ldx, Rows.of(y.asBuffer()), yOffset, ldy,
                toFloat(a));
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, DoublePointer x, long xOffset, int ldx,
            DoublePointer y, long yOffset, int ldy, double a) {
        run(op, rows, n, Rows.of(x.asBuffer()), xOffset, ldx, Rows.of(y.asBuffer()), yOffset, ldy, toDouble(a));
    }

    /**
     * The inverse temperature as double kernels see it: saturated, so that a subnormal
     * temperature (1/τ = ∞) gives the limit rather than NaN from ∞·0, as the native core does.
     */
    static double toDouble(double a) {
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, a));
    }

    /** The inverse temperature as float kernels see it: rounded to float, saturated. */
    static double toFloat(double a) {
        return Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, (float) a));
    }

    private static void run(RowOp op, int rows, int n, Rows x, long xOffset, int ldx, Rows y,
            long yOffset, int ldy, double a) {
        double[] in = new double[n];
        double[] out = new double[n];
        for (int r = 0; r < rows; r++) {
            x.read(xOffset + (long) r * ldx, in, n);
            long at = yOffset + (long) r * ldy;
            switch (op) {
                case SOFTMAX -> {
                    Reference.softmax(in, n, a, out);
                    y.write(at, out, n);
                }
                case LOG_SOFTMAX -> {
                    Reference.logSoftmax(in, n, a, out);
                    y.write(at, out, n);
                }
                case LOG_SUM_EXP -> y.write(at, Reference.logSumExp(in, n, a));
            }
        }
    }
}
