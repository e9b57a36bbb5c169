package org.softmax4j.regression;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.softmax4j.Softmax;

/** Backends and data shared by the regression tests. */
final class Backends {
    private Backends() {}

    /** The backend to test; native tests are skipped (not failed) where the library cannot load. */
    static Softmax of(Softmax.Backend b) {
        if (b == Softmax.Backend.JAVA) return Softmax.java();
        assumeTrue(Softmax.nativeUnavailableCause().isEmpty(),
                () -> "native backend unavailable: " + Softmax.nativeUnavailableCause().get());
        return Softmax.nativeBackend();
    }

    static double[] gaussian(long seed, int n, double scale) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r.nextGaussian() * scale;
        return d;
    }

    /** A random classifier of k classes over d features. */
    static SoftmaxClassifier random(long seed, int k, int d, Softmax s) {
        return SoftmaxClassifier.of(k, d, gaussian(seed, k * d, 0.5), gaussian(seed + 1, k, 1), s);
    }
}
