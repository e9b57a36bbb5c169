package org.softmax4j.regression;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * The classifier's weights and bias in native memory, in both precisions, for the native
 * backend: the GEMM reads them in place, and they travel to the core as addresses. Owned by one
 * classifier and released by its {@link SoftmaxClassifier#close()} (or, failing that, when
 * JavaCPP's deallocator sees them unreachable).
 */
final class NativeWeights implements AutoCloseable {
    private final FloatPointer w32;
    private final FloatPointer b32;
    private final DoublePointer w64;
    private final DoublePointer b64;

    NativeWeights(double[] weights, double[] bias) {
        // At least one element each, so that every address is a real allocation.
        w64 = new DoublePointer(Math.max(1, weights.length)).put(weights);
        b64 = new DoublePointer(Math.max(1, bias.length)).put(bias);
        w32 = new FloatPointer(Math.max(1, weights.length)).put(toFloat(weights));
        b32 = new FloatPointer(Math.max(1, bias.length)).put(toFloat(bias));
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    long address32() {
        return w32.address();
    }

    long bias32() {
        return b32.address();
    }

    long address64() {
        return w64.address();
    }

    long bias64() {
        return b64.address();
    }

    @Override
    public void close() {
        w32.close();
        b32.close();
        w64.close();
        b64.close();
    }
}
