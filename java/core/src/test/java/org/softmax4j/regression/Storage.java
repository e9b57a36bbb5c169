package org.softmax4j.regression;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.TestSupport;

/**
 * Every buffer kind the classifier takes, driven from double[] test data: a kind builds x and y
 * of its own kind, calls the classifier, and returns the whole of y's storage as doubles, so that
 * a test checks both the results and that nothing else was written. Buffers and pointers get a
 * non-zero position, heap buffers a non-zero array offset.
 */
enum Storage {
    FLOAT_ARRAY, DOUBLE_ARRAY,
    FLOAT_DIRECT_BUFFER, DOUBLE_DIRECT_BUFFER,
    FLOAT_HEAP_BUFFER, DOUBLE_HEAP_BUFFER,
    FLOAT_POINTER, DOUBLE_POINTER,
    FLOAT_MATRIX, DOUBLE_MATRIX;

    static final double SENTINEL = TestSupport.SENTINEL;
    static final int POSITION = TestSupport.POSITION;

    /** What is computed. */
    enum Op { PROBA, LOG_PROBA, PREDICT }

    boolean single() {
        return name().startsWith("FLOAT");
    }

    boolean matrix() {
        return name().endsWith("MATRIX");
    }

    /**
     * Runs op; x holds xs (its whole storage), y has yLength elements of SENTINEL. For matrices
     * the offsets must be 0 and the strides are the matrices'. For PREDICT, returns the labels.
     */
    double[] run(SoftmaxClassifier m, Op op, int rows, double[] xs, int xo, int ldx, int yLength,
            int yo, int ldy, double t) {
        switch (this) {
            case FLOAT_ARRAY -> {
                float[] x = TestSupport.toFloat(xs);
                if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                float[] y = TestSupport.filledFloat(yLength);
                if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                return TestSupport.toDouble(y);
            }
            case DOUBLE_ARRAY -> {
                double[] x = xs.clone();
                if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                double[] y = TestSupport.filledDouble(yLength);
                if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                return y;
            }
            case FLOAT_DIRECT_BUFFER, FLOAT_HEAP_BUFFER -> {
                boolean direct = this == FLOAT_DIRECT_BUFFER;
                FloatBuffer x = TestSupport.floatBuffer(TestSupport.toFloat(xs), direct);
                if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                FloatBuffer y = TestSupport.floatBuffer(TestSupport.filledFloat(yLength), direct);
                if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                if (x.position() != POSITION || y.position() != POSITION) throw new AssertionError("position moved");
                double[] out = new double[yLength];
                for (int i = 0; i < yLength; i++) out[i] = y.get(POSITION + i);
                return out;
            }
            case DOUBLE_DIRECT_BUFFER, DOUBLE_HEAP_BUFFER -> {
                boolean direct = this == DOUBLE_DIRECT_BUFFER;
                DoubleBuffer x = TestSupport.doubleBuffer(xs, direct);
                if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                DoubleBuffer y = TestSupport.doubleBuffer(TestSupport.filledDouble(yLength), direct);
                if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                if (x.position() != POSITION || y.position() != POSITION) throw new AssertionError("position moved");
                double[] out = new double[yLength];
                for (int i = 0; i < yLength; i++) out[i] = y.get(POSITION + i);
                return out;
            }
            case FLOAT_POINTER -> {
                try (FloatPointer x = TestSupport.floatPointer(TestSupport.toFloat(xs)); FloatPointer y = TestSupport.floatPointer(TestSupport.filledFloat(yLength))) {
                    if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                    if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                    else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                    float[] out = new float[yLength];
                    y.get(out);
                    return TestSupport.toDouble(out);
                }
            }
            case DOUBLE_POINTER -> {
                try (DoublePointer x = TestSupport.doublePointer(xs); DoublePointer y = TestSupport.doublePointer(TestSupport.filledDouble(yLength))) {
                    if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(rows, x, xo, ldx, l, lo));
                    if (op == Op.PROBA) m.predictProba(rows, x, xo, ldx, y, yo, ldy, t);
                    else m.logProba(rows, x, xo, ldx, y, yo, ldy, t);
                    double[] out = new double[yLength];
                    y.get(out);
                    return out;
                }
            }
            case FLOAT_MATRIX -> {
                requireNoOffsets(xo, yo);
                try (FloatMatrix x = FloatMatrix.allocate(rows, m.features(), ldx);
                     FloatMatrix y = FloatMatrix.allocate(rows, m.classes(), ldy)) {
                    x.pointer().put(TestSupport.toFloat(xs), 0, (int) x.size());
                    if (op == Op.PREDICT) return toDouble(m.predict(x));
                    y.pointer().put(TestSupport.filledFloat((int) y.size()));
                    if (op == Op.PROBA) m.predictProba(x, y, t);
                    else m.logProba(x, y, t);
                    float[] out = new float[(int) y.size()];
                    y.pointer().get(out);
                    return TestSupport.toDouble(out);
                }
            }
            case DOUBLE_MATRIX -> {
                requireNoOffsets(xo, yo);
                try (DoubleMatrix x = DoubleMatrix.allocate(rows, m.features(), ldx);
                     DoubleMatrix y = DoubleMatrix.allocate(rows, m.classes(), ldy)) {
                    x.pointer().put(xs, 0, (int) x.size());
                    if (op == Op.PREDICT) return toDouble(m.predict(x));
                    y.pointer().put(TestSupport.filledDouble((int) y.size()));
                    if (op == Op.PROBA) m.predictProba(x, y, t);
                    else m.logProba(x, y, t);
                    double[] out = new double[(int) y.size()];
                    y.pointer().get(out);
                    return out;
                }
            }
        }
        throw new AssertionError(this);
    }

    interface Predict {
        void into(int[] labels, int offset);
    }

    /** Labels written from offset 2 of a sentinel-filled array: checks the offset and the ends. */
    private static double[] predicted(int rows, Predict p) {
        int[] labels = new int[rows + 4];
        java.util.Arrays.fill(labels, -7);
        p.into(labels, 2);
        if (labels[0] != -7 || labels[1] != -7 || labels[rows + 2] != -7 || labels[rows + 3] != -7) {
            throw new AssertionError("predict wrote outside its rows");
        }
        return toDouble(java.util.Arrays.copyOfRange(labels, 2, rows + 2));
    }

    private static void requireNoOffsets(int xo, int yo) {
        if (xo != 0 || yo != 0) throw new IllegalArgumentException("matrices have no offsets");
    }

    static double[] toDouble(int[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

}
