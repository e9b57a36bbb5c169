package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.DoubleMatrix;
import org.softmax4j.FloatMatrix;
import org.softmax4j.Softmax;
import org.softmax4j.TestSupport;

/**
 * Every entry point rejects bad arguments with the documented exception, naming the argument,
 * before anything is written: outputs keep their sentinel values after every rejected call.
 */
class RegressionValidationTest {
    static final int K = 3;
    static final int D = 4;



    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void arrays(Softmax.Backend backend) {
        try (SoftmaxClassifier m = Backends.random(1, K, D, Backends.of(backend))) {
            float[] x = new float[2 * D];
            float[] y = TestSupport.sentinel(2 * K);
            float[] before = y.clone();
            TestSupport.rejects(NullPointerException.class, "x", () -> m.predictProba(2, (float[]) null, y));
            TestSupport.rejects(NullPointerException.class, "y", () -> m.predictProba(2, x, (float[]) null));
            TestSupport.rejects(IllegalArgumentException.class, "rows", () -> m.predictProba(-1, x, y));
            TestSupport.rejects(IllegalArgumentException.class, "ldx", () -> m.predictProba(2, x, 0, D - 1, y, 0, K, 1));
            TestSupport.rejects(IllegalArgumentException.class, "ldy", () -> m.logProba(2, x, 0, D, y, 0, K - 1, 1));
            for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> m.predictProba(2, x, 0, D, y, 0, K, t));
            }
            TestSupport.rejects(IndexOutOfBoundsException.class, "xOffset", () -> m.predictProba(2, x, -1, D, y, 0, K, 1));
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predictProba(3, x, y));
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predictProba(2, x, 1, D, y, 0, K, 1));
            TestSupport.rejects(IndexOutOfBoundsException.class, "y needs", () -> m.predictProba(2, x, 0, D, y, 1, K, 1));
            TestSupport.rejects(IndexOutOfBoundsException.class, "yOffset", () -> m.logProba(2, x, 0, D, y, 99, K, 1));
            float[] shared = new float[20];
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x", () -> m.predictProba(2, shared, 0, D, shared, 5, K, 1));
            m.predictProba(1, shared, 0, D, shared, D, K, 1); // adjacent is fine
            assertArrayEquals(before, y, "nothing written by a rejected call");
            // predict
            TestSupport.rejects(NullPointerException.class, "labels", () -> m.predict(2, x, 0, D, null, 0));
            TestSupport.rejects(IndexOutOfBoundsException.class, "labels needs", () -> m.predict(2, x, 0, D, new int[1], 0));
            TestSupport.rejects(IllegalArgumentException.class, "rows", () -> m.predict(-2, x));
            double[] xd = new double[2 * D];
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predict(2, xd, 1, D, new int[2], 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void buffersPointersAndMatrices(Softmax.Backend backend) {
        try (SoftmaxClassifier m = Backends.random(2, K, D, Backends.of(backend))) {
            FloatBuffer dx = ByteBuffer.allocateDirect(4 * 2 * D).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer dy = ByteBuffer.allocateDirect(4 * 2 * K).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer hy = FloatBuffer.allocate(2 * K);
            TestSupport.rejects(NullPointerException.class, "x", () -> m.predictProba(2, (FloatBuffer) null, dy));
            TestSupport.rejects(IllegalArgumentException.class, "both be direct or both heap", () -> m.predictProba(2, dx, hy));
            TestSupport.rejects(IllegalArgumentException.class, "read-only", () -> m.predictProba(2, dx, dy.asReadOnlyBuffer()));
            FloatBuffer swapped = ByteBuffer.allocateDirect(4 * 2 * D).order(ByteOrder.BIG_ENDIAN.equals(ByteOrder.nativeOrder())
                    ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN).asFloatBuffer();
            TestSupport.rejects(IllegalArgumentException.class, "native byte order", () -> m.predictProba(2, swapped, dy));
            TestSupport.rejects(IllegalArgumentException.class, "native byte order", () -> m.predict(2, swapped));
            TestSupport.rejects(IllegalArgumentException.class, "accessible array", () -> m.predict(2, FloatBuffer.allocate(8).asReadOnlyBuffer()));
            dx.position(1);
            TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predictProba(2, dx, dy));
            TestSupport.rejects(IllegalArgumentException.class, "y overlaps x", () -> m.predictProba(1, dy, 0, D, dy, 1, K, 1));
            DoubleBuffer ddx = ByteBuffer.allocateDirect(8 * D).order(ByteOrder.nativeOrder()).asDoubleBuffer();
            TestSupport.rejects(IndexOutOfBoundsException.class, "y needs", () -> m.logProba(1, ddx, 0, D,
                    ByteBuffer.allocateDirect(8 * (K - 1)).order(ByteOrder.nativeOrder()).asDoubleBuffer(), 0, K, 1));

            try (FloatPointer px = new FloatPointer(2 * D); FloatPointer py = new FloatPointer(2 * K);
                 DoublePointer pd = new DoublePointer(2 * D)) {
                TestSupport.rejects(NullPointerException.class, "x", () -> m.predictProba(2, (FloatPointer) null, py));
                TestSupport.rejects(NullPointerException.class, "address 0", () -> m.predictProba(2, new FloatPointer(), py));
                TestSupport.rejects(IndexOutOfBoundsException.class, "y needs", () -> m.predictProba(3, new FloatPointer(3 * D), py));
                TestSupport.rejects(IllegalArgumentException.class, "y overlaps x", () -> m.predictProba(1, px, 0, D, px, 2, K, 1));
                px.position(D + 1);
                TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predict(1, px));
                TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> m.predict(3, pd));
            }
            try (FloatMatrix x = FloatMatrix.allocate(2, D); FloatMatrix y = FloatMatrix.allocate(2, K);
                 FloatMatrix wrong = FloatMatrix.allocate(2, K + 1); DoubleMatrix xd = DoubleMatrix.allocate(2, D + 1)) {
                TestSupport.rejects(NullPointerException.class, "y", () -> m.predictProba(x, (FloatMatrix) null));
                TestSupport.rejects(IllegalArgumentException.class, "y must be 2×3", () -> m.logProba(x, wrong));
                TestSupport.rejects(IllegalArgumentException.class, "x must have 4 columns", () -> m.predict(xd));
                TestSupport.rejects(IllegalArgumentException.class, "temperature", () -> m.predictProba(x, y, -1));
                y.close();
                TestSupport.rejects(IllegalStateException.class, "closed", () -> m.predictProba(x, y));
            }
        }
    }

    @Test
    void modelsObjectivesAndTraining() {
        Softmax s = Softmax.java();
        TestSupport.rejects(IllegalArgumentException.class, "classes", () -> SoftmaxClassifier.of(0, 2, new double[0], new double[0], s));
        TestSupport.rejects(IllegalArgumentException.class, "weights must hold", () -> SoftmaxClassifier.of(2, 2, new double[3], new double[2], s));
        TestSupport.rejects(IllegalArgumentException.class, "bias must hold", () -> SoftmaxClassifier.of(2, 2, new double[4], new double[1], s));
        TestSupport.rejects(IllegalArgumentException.class, "weights[1] must be finite", () -> SoftmaxClassifier.of(1, 2, new double[] {0, Double.NaN}, new double[1], s));
        TestSupport.rejects(NullPointerException.class, "backend", () -> SoftmaxClassifier.of(1, 1, new double[1], new double[1], null));
        TestSupport.rejects(IllegalArgumentException.class, "l2", () -> Objective.crossEntropy().withL2(-1));
        TestSupport.rejects(IllegalArgumentException.class, "labelSmoothing", () -> Objective.crossEntropy().withLabelSmoothing(1.5));
        TestSupport.rejects(IllegalArgumentException.class, "classWeights[1]", () -> Objective.crossEntropy().withClassWeights(1, -2));

        SoftmaxClassifier m = Backends.random(3, K, D, s);
        double[] x = new double[2 * D];
        Objective o = Objective.crossEntropy();
        TestSupport.rejects(IllegalArgumentException.class, "labels[1] = 3", () -> m.loss(2, x, new int[] {0, 3}, o));
        TestSupport.rejects(IllegalArgumentException.class, "labels[0] = -1", () -> m.gradient(2, x, new int[] {-1, 0}, o));
        TestSupport.rejects(IndexOutOfBoundsException.class, "labels needs", () -> m.loss(2, x, new int[1], o));
        TestSupport.rejects(NullPointerException.class, "objective", () -> m.loss(2, x, new int[2], null));
        TestSupport.rejects(IllegalArgumentException.class, "one weight per class", () -> m.loss(2, x, new int[2], o.withClassWeights(1, 1)));
        TestSupport.rejects(IllegalArgumentException.class, "sum to 0", () -> m.loss(2, x, new int[2], o.withClassWeights(0, 1, 1)));
        m.close();
        m.close();
        TestSupport.rejects(IllegalStateException.class, "closed", () -> m.predict(2, x));
        TestSupport.rejects(IllegalStateException.class, "closed", () -> m.loss(2, x, new int[2], o));

        SoftmaxRegression r = SoftmaxRegression.create();
        TestSupport.rejects(IllegalArgumentException.class, "maxEpochs", () -> r.withMaxEpochs(-1));
        TestSupport.rejects(IllegalArgumentException.class, "patience", () -> r.withPatience(0));
        TestSupport.rejects(IllegalArgumentException.class, "tolerance", () -> r.withTolerance(Double.NaN));
        TestSupport.rejects(IllegalArgumentException.class, "gradientTolerance", () -> r.withGradientTolerance(-1));
        TestSupport.rejects(IllegalArgumentException.class, "history", () -> r.withHistory(0));
        TestSupport.rejects(IllegalArgumentException.class, "initScale", () -> r.withInitScale(-1));
        TestSupport.rejects(IllegalArgumentException.class, "rows", () -> r.fit(0, 2, new double[0], new int[0], 2));
        TestSupport.rejects(IndexOutOfBoundsException.class, "x needs", () -> r.fit(2, 2, new double[3], new int[2], 2));
        TestSupport.rejects(IllegalArgumentException.class, "x[1] must be finite", () -> r.fit(1, 2, new double[] {0, Double.NaN}, new int[1], 2));
        TestSupport.rejects(IllegalArgumentException.class, "labels[0] = 2", () -> r.fit(1, 1, new double[1], new int[] {2}, 2));
        TestSupport.rejects(NullPointerException.class, "data", () -> r.fit(null));
    }
}
