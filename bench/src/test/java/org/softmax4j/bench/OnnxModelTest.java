package org.softmax4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtException;

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
                FloatBuffer y = ort.softmax();
                assertEquals(expected.length, y.remaining());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], y.get(i), 1e-6 * (1 + expected[i]), "element " + i);
                }
            }
        }
    }
}
