package org.softmax4j.consumer;

import org.softmax4j.Softmax;

/**
 * Loads the native backend and computes one softmax with it; exits non-zero, with the reason on
 * stderr, if the backend did not load or the result is wrong.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Softmax.nativeUnavailableCause().ifPresent(t -> {
            throw new AssertionError("the native backend did not load", t);
        });
        float[] x = {1f, 2f, 3f, -1f};
        float[] y = new float[x.length];
        Softmax.nativeBackend().softmax(1, x.length, x, y);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - 3.0);
        for (int i = 0; i < x.length; i++) {
            double expected = Math.exp(x[i] - 3.0) / sum;
            // float32 results: a few units of 2^-24 relative error.
            if (Math.abs(y[i] - expected) > 1e-6 * expected) {
                throw new AssertionError("softmax[" + i + "] = " + y[i] + ", expected " + expected);
            }
        }
        Module module = Softmax.class.getModule();
        // The transport's first word: jni, or ffm (JDK 22+).
        System.out.println("module " + (module.isNamed() ? module.getName() : "unnamed")
                + ", backend " + Softmax.get().backend() + ", transport "
                + Softmax.nativeInfo().transport().split(" ", 2)[0]);
    }
}
