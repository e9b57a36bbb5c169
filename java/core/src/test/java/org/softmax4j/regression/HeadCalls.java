package org.softmax4j.regression;

import org.softmax4j.Kind;
import org.softmax4j.Scale;
import org.softmax4j.TestStorage;
import org.softmax4j.TestSupport;

/**
 * The classifier's calls over every storage kind and precision ({@link Kind}, through the one
 * {@link TestStorage} adapter per kind): x and y are made in storage of the kind, the classifier
 * is called, and the whole of y's storage comes back as doubles, so that a test checks both the
 * results and that nothing else was written. Buffers and pointers get a non-zero position, heap
 * buffers a non-zero array offset.
 */
final class HeadCalls {
    private HeadCalls() {}

    /** What is computed. */
    enum Op { PROBA, LOG_PROBA, PREDICT }

    /**
     * Runs op; x holds xs (its whole storage), y has yLength elements of SENTINEL. For matrices
     * the offsets must be 0 and the strides are the matrices'. For PREDICT, returns the labels.
     */
    static double[] run(Kind kind, SoftmaxClassifier m, Op op, int rows, double[] xs, int xo, int ldx, int yLength,
            int yo, int ldy, double t) {
        try (TestStorage.Stored x = kind.store(xs, rows, m.features(), xo, ldx, false)) {
            if (op == Op.PREDICT) return predicted(rows, (l, lo) -> m.predict(x.batch(), l, lo));
            try (TestStorage.Stored y = kind.store(TestSupport.filledDouble(yLength), rows, m.classes(), yo, ldy, false)) {
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
