package org.softmax4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtException;

import org.softmax4j.Batch;
import org.softmax4j.Softmax;
import org.softmax4j.regression.SoftmaxClassifier;

/**
 * The hand-encoded model loads in ONNX Runtime and computes softmax along the last axis: the
 * peer benchmark measures the same operation as ours. Fails, with ONNX Runtime's own message,
 * if its native library cannot load here.
 */
class OnnxModelTest {

    @Test
    void onnxRuntimeComputesTheReferenceSoftmax() throws OrtException {
        Shape shape = new Shape(5, 11);
        double[] expected = OperandsTest.reference("softmax", shape);
        for (int threads : new int[] {1, 2}) {
            try (OnnxRuntimeBench.Ort ort = new OnnxRuntimeBench.Ort(shape, threads)) {
                FloatBuffer y = ort.run();
                assertEquals(expected.length, y.remaining());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], y.get(i), 1e-6 * (1 + expected[i]), "element " + i);
                }
            }
        }
    }

    /**
     * The head model computes softmax(x Wᵀ + b) as softmax4j's reference does, and without the
     * Softmax node the scores alone: the regression benchmark's ONNX Runtime peer computes what
     * predictProba and the GEMM do.
     */
    @Test
    void onnxRuntimeComputesTheReferenceHead() throws OrtException {
        int rows = 6, d = 9, k = 7;
        Random r = new Random(3);
        float[] x = new float[rows * d], w = new float[k * d], b = new float[k];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * 0.5);
        for (int j = 0; j < k; j++) b[j] = (float) r.nextGaussian();
        double[] wd = new double[w.length], bd = new double[k];
        for (int i = 0; i < w.length; i++) wd[i] = w[i];
        for (int j = 0; j < k; j++) bd[j] = b[j];
        float[] proba = new float[rows * k];
        try (SoftmaxClassifier m = SoftmaxClassifier.of(k, d, wd, bd, Softmax.java())) {
            m.predictProba(Batch.of(x, rows, d), Batch.of(proba, rows, k));
        }
        for (boolean softmax : new boolean[] {true, false}) {
            byte[] model = OnnxModel.linear(rows, d, k, w, b, softmax);
            try (OnnxRuntimeBench.Ort ort = new OnnxRuntimeBench.Ort(model, x, new long[] {rows, d}, new long[] {rows, k}, 2)) {
                FloatBuffer y = ort.run();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < k; j++) {
                        double z = b[j];
                        for (int c = 0; c < d; c++) z += (double) x[i * d + c] * w[j * d + c];
                        double expected = softmax ? proba[i * k + j] : z;
                        assertEquals(expected, y.get(i * k + j), 1e-5 * (1 + Math.abs(expected)),
                                (softmax ? "probability " : "score ") + i + "," + j);
                    }
                }
            }
        }
    }
}
