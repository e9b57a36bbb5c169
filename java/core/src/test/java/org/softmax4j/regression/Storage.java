package org.softmax4j.regression;

import org.softmax4j.ElementType;
import org.softmax4j.Scale;
import org.softmax4j.TestSupport;
import org.softmax4j.TestStorage;

/**
 * Every storage kind the classifier takes, in both precisions, through the one
 * {@link TestStorage} adapter per kind: x and y are made in storage of the kind, the classifier
 * is called, and the whole of y's storage comes back as doubles, so that a test checks both the
 * results and that nothing else was written. Buffers and pointers get a non-zero position, heap
 * buffers a non-zero array offset.
 */
enum Storage {
    FLOAT_ARRAY(TestStorage.ARRAY, ElementType.FLOAT32),
    DOUBLE_ARRAY(TestStorage.ARRAY, ElementType.FLOAT64),
    FLOAT_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.FLOAT32),
    DOUBLE_DIRECT_BUFFER(TestStorage.DIRECT_BUFFER, ElementType.FLOAT64),
    FLOAT_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.FLOAT32),
    DOUBLE_HEAP_BUFFER(TestStorage.HEAP_BUFFER, ElementType.FLOAT64),
    FLOAT_POINTER(TestStorage.POINTER, ElementType.FLOAT32),
    DOUBLE_POINTER(TestStorage.POINTER, ElementType.FLOAT64),
    FLOAT_MATRIX(TestStorage.MATRIX, ElementType.FLOAT32),
    DOUBLE_MATRIX(TestStorage.MATRIX, ElementType.FLOAT64);

    static final double SENTINEL = TestSupport.SENTINEL;

    /** What is computed. */
    enum Op { PROBA, LOG_PROBA, PREDICT }

    private final TestStorage storage;
    private final ElementType type;

    Storage(TestStorage storage, ElementType type) {
        this.storage = storage;
        this.type = type;
    }

    boolean single() {
        return type == ElementType.FLOAT32;
    }

    boolean matrix() {
        return storage == TestStorage.MATRIX;
    }

    /**
     * Runs op; x holds xs (its whole storage), y has yLength elements of SENTINEL. For matrices
     * the offsets must be 0 and the strides are the matrices'. For PREDICT, returns the labels.
     */
    double[] run(SoftmaxClassifier m, Op op, int rows, double[] xs, int xo, int ldx, int yLength, int yo, int ldy,
            double t) {
        try (TestStorage.Stored x = storage.store(type, xs, xo, rows, m.features(), ldx)) {
            if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(x.batch(), l, lo));
            try (TestStorage.Stored y = storage.store(type, TestSupport.filledDouble(yLength), yo, rows, m.classes(), ldy)) {
                if (op == Op.PROBA) m.predictProba(x.batch(), y.batch(), Scale.temperature(t));
                else m.logProba(x.batch(), y.batch(), Scale.temperature(t));
                x.contents(); // a buffer's position must not have moved
                return y.contents();
            }
        }
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
        double[] d = new double[rows];
        for (int i = 0; i < rows; i++) d[i] = labels[2 + i];
        return d;
    }
}
