package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.Batch;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Scale;
import org.softmax4j.Softmax;
import org.softmax4j.TestSupport;

/**
 * Every entry point rejects bad arguments with the documented exception, naming the argument,
 * before anything is written: outputs keep their sentinel values after every rejected call. The
 * operands are batches, so their layout was checked when they were made (see
 * OperationValidationTest); here are the head's own rules: shapes against the model, types,
 * overlap, the scale, labels, models, objectives and training.
 */
class RegressionValidationTest {
    static final int K = 3;
    static final int D = 4;

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void inference(Softmax.Backend backend) {
        try (SoftmaxClassifier m = Backends.random(1, K, D, Backends.of(backend))) {
            Batch x = Batch.of(new float[2 * D], 2, D);
            float[] ys = TestSupport.sentinel(2 * K);
            float[] before = ys.clone();
            Batch y = Batch.of(ys, 2, K);
            TestSupport.rejects(NullPointerException.class, "x must not be null", () -> m.predictProba(null, y));
            TestSupport.rejects(NullPointerException.class, "y must not be null", () -> m.predictProba(x, null));
            TestSupport.rejects(NullPointerException.class, "scale must not be null", () -> m.predictProba(x, y, null));
            TestSupport.rejects(IllegalArgumentException.class, "x must be 2×4, got 2×3",
                    () -> m.predictProba(Batch.of(new float[6], 2, 3), y));
            TestSupport.rejects(IllegalArgumentException.class, "y must be 2×3, got 2×2", () -> m.logProba(x, Batch.of(ys, 2, 2)));
            TestSupport.rejects(IllegalArgumentException.class, "y must be 2×3, got 1×3", () -> m.scores(x, Batch.of(ys, 1, K)));
            TestSupport.rejects(IllegalArgumentException.class, "y holds float64 but x holds float32",
                    () -> m.predictProba(x, Batch.of(new double[2 * K], 2, K)));
            TestSupport.rejects(IllegalArgumentException.class, "x must hold float32 or float64",
                    () -> m.predictProba(Batch.of(new int[2 * D], 2, D), y));
            for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> m.predictProba(x, y, Scale.temperature(t)));
            }
            float[] shared = new float[20];
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x",
                    () -> m.predictProba(Batch.of(shared, 0, 2, D, D), Batch.of(shared, 5, 2, K, K)));
            // The GEMM cannot run in place: not even an exact alias of x (D = K + 1 here).
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x",
                    () -> m.scores(Batch.of(shared, 0, 1, D, D), Batch.of(shared, 0, 1, K, K)));
            m.predictProba(Batch.of(shared, 0, 1, D, D), Batch.of(shared, D, 1, K, K)); // adjacent is fine
            assertArrayEquals(before, ys, "nothing written by a rejected call");
            // predict
            TestSupport.rejects(NullPointerException.class, "labels must not be null", () -> m.predict(x, null, 0));
            TestSupport.rejects(IndexOutOfBoundsException.class, "", () -> m.predict(x, new int[1], 0));
            TestSupport.rejects(IndexOutOfBoundsException.class, "", () -> m.predict(x, new int[3], 2));
            TestSupport.rejects(NullPointerException.class, "x must not be null", () -> m.predict(null));
            TestSupport.rejects(IllegalArgumentException.class, "x must be 0×4, got 0×5", () -> m.predict(Batch.of(new double[0], 0, 5)));
            assertEquals(0, m.predict(Batch.of(new double[0], 0, D)).length);
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void buffersPointersAndMatrices(Softmax.Backend backend) {
        try (SoftmaxClassifier m = Backends.random(2, K, D, Backends.of(backend))) {
            FloatBuffer dx = ByteBuffer.allocateDirect(4 * 2 * D).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer dy = ByteBuffer.allocateDirect(4 * 2 * K).order(ByteOrder.nativeOrder()).asFloatBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "y is read-only",
                    () -> m.predictProba(Batch.of(dx, 2, D), Batch.of(dy.asReadOnlyBuffer(), 2, K)));
            // Direct and heap buffers mix in one call.
            FloatBuffer hy = FloatBuffer.allocate(2 * K);
            m.predictProba(Batch.of(dx, 2, D), Batch.of(hy, 2, K));
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x",
                    () -> m.predictProba(Batch.of(dy, 0, 1, D, D), Batch.of(dy, 1, 1, K, K)));
            try (FloatPointer px = new FloatPointer(2 * D)) {
                TestSupport.rejects(IllegalArgumentException.class, "y overlaps x",
                        () -> m.predictProba(Batch.of(px, 0, 1, D, D), Batch.of(px, 2, 1, K, K)));
                Batch gone = Batch.of(new FloatPointer(2 * D), 2, D);
                FloatPointer freed = new FloatPointer(2 * D);
                Batch freedX = Batch.of(freed, 2, D);
                freed.close();
                TestSupport.rejects(NullPointerException.class, "x points to address 0", () -> m.predict(freedX));
                m.predict(gone);
            }
            try (FloatMatrix x = FloatMatrix.allocate(2, D); FloatMatrix y = FloatMatrix.allocate(2, K);
                 FloatMatrix wrong = FloatMatrix.allocate(2, K + 1); DoubleMatrix xd = DoubleMatrix.allocate(2, D + 1)) {
                TestSupport.rejects(IllegalArgumentException.class, "y must be 2×3", () -> m.logProba(Batch.of(x), Batch.of(wrong)));
                TestSupport.rejects(IllegalArgumentException.class, "x must be 2×4, got 2×5", () -> m.predict(Batch.of(xd)));
                Batch yb = Batch.of(y);
                y.close();
                TestSupport.rejects(IllegalStateException.class, "closed", () -> m.predictProba(Batch.of(x), yb));
            }
        }
    }

    @Test
    void modelsObjectivesAndTraining() {
        Softmax s = Softmax.java();
        TestSupport.rejects(IllegalArgumentException.class, "classes", () -> SoftmaxClassifier.of(0, 2, new double[0], new double[0], s));
        TestSupport.rejects(IllegalArgumentException.class, "weights must hold", () -> SoftmaxClassifier.of(2, 2, new double[3], new double[2], s));
        TestSupport.rejects(IllegalArgumentException.class, "bias must hold", () -> SoftmaxClassifier.of(2, 2, new double[4], new double[1], s));
        TestSupport.rejects(IllegalArgumentException.class, "weights[1] must be finite",
                () -> SoftmaxClassifier.of(1, 2, new double[] {0, Double.NaN}, new double[1], s));
        TestSupport.rejects(NullPointerException.class, "backend must not be null",
                () -> SoftmaxClassifier.of(1, 1, new double[1], new double[1], null));
        // From batches: float or double weights, the bias one row of the same type.
        TestSupport.rejects(IllegalArgumentException.class, "bias must be 1×2",
                () -> SoftmaxClassifier.of(Batch.of(new float[6], 2, 3), Batch.of(new float[2], 2, 1), s));
        TestSupport.rejects(IllegalArgumentException.class, "bias holds float64 but weights holds float32",
                () -> SoftmaxClassifier.of(Batch.of(new float[6], 2, 3), Batch.of(new double[2], 1, 2), s));
        TestSupport.rejects(IllegalArgumentException.class, "weights must hold float32 or float64",
                () -> SoftmaxClassifier.of(Batch.of(new int[6], 2, 3), Batch.of(new int[2], 1, 2), s));
        TestSupport.rejects(NullPointerException.class, "weights must not be null", () -> SoftmaxClassifier.of(null, Batch.of(new float[2], 1, 2), s));
        TestSupport.rejects(IllegalArgumentException.class, "l2", () -> Objective.crossEntropy().withL2(-1));
        TestSupport.rejects(IllegalArgumentException.class, "labelSmoothing", () -> Objective.crossEntropy().withLabelSmoothing(1.5));
        TestSupport.rejects(IllegalArgumentException.class, "classWeights[1]", () -> Objective.crossEntropy().withClassWeights(1, -2));

        SoftmaxClassifier m = Backends.random(3, K, D, s);
        Batch x = Batch.of(new double[2 * D], 2, D);
        Objective o = Objective.crossEntropy();
        TestSupport.rejects(IllegalArgumentException.class, "labels[1] = 3", () -> m.loss(x, new int[] {0, 3}, o));
        TestSupport.rejects(IllegalArgumentException.class, "labels[0] = -1", () -> m.gradient(x, new int[] {-1, 0}, o));
        TestSupport.rejects(IndexOutOfBoundsException.class, "labels needs", () -> m.loss(x, new int[1], o));
        TestSupport.rejects(NullPointerException.class, "objective must not be null", () -> m.loss(x, new int[2], null));
        TestSupport.rejects(IllegalArgumentException.class, "one weight per class", () -> m.loss(x, new int[2], o.withClassWeights(1, 1)));
        TestSupport.rejects(IllegalArgumentException.class, "sum to 0", () -> m.loss(x, new int[2], o.withClassWeights(0, 1, 1)));
        TestSupport.rejects(IllegalArgumentException.class, "x must be 2×4, got 2×3", () -> m.loss(Batch.of(new double[6], 2, 3), new int[2], o));
        m.close();
        m.close();
        TestSupport.rejects(IllegalStateException.class, "closed", () -> m.predict(x));
        TestSupport.rejects(IllegalStateException.class, "closed", () -> m.loss(x, new int[2], o));

        SoftmaxRegression r = SoftmaxRegression.create();
        TestSupport.rejects(IllegalArgumentException.class, "maxEpochs", () -> r.withMaxEpochs(-1));
        TestSupport.rejects(IllegalArgumentException.class, "patience", () -> r.withPatience(0));
        TestSupport.rejects(IllegalArgumentException.class, "tolerance", () -> r.withTolerance(Double.NaN));
        TestSupport.rejects(IllegalArgumentException.class, "gradientTolerance", () -> r.withGradientTolerance(-1));
        TestSupport.rejects(IllegalArgumentException.class, "history", () -> r.withHistory(0));
        TestSupport.rejects(IllegalArgumentException.class, "initScale", () -> r.withInitScale(-1));
        TestSupport.rejects(IllegalArgumentException.class, "rows must be >= 1", () -> r.fit(Batch.of(new double[0], 0, 2), new int[0], 2));
        TestSupport.rejects(IllegalArgumentException.class, "x[1] must be finite",
                () -> r.fit(Batch.of(new double[] {0, Double.NaN}, 1, 2), new int[1], 2));
        TestSupport.rejects(IllegalArgumentException.class, "labels[0] = 2", () -> r.fit(Batch.of(new double[1], 1, 1), new int[] {2}, 2));
        TestSupport.rejects(IndexOutOfBoundsException.class, "labels needs", () -> r.fit(Batch.of(new double[4], 2, 2), new int[1], 2));
        TestSupport.rejects(NullPointerException.class, "x must not be null", () -> r.fit(null, new int[1], 2));
        TestSupport.rejects(NullPointerException.class, "data must not be null", () -> r.fit((Dataset) null));
    }
}
