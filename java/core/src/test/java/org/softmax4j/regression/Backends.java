package org.softmax4j.regression;

import org.softmax4j.Softmax;
import org.softmax4j.TestSupport;

/** Backends and data shared by the regression tests. */
final class Backends {
    private Backends() {}

    /** The backend to test; native tests are skipped (not failed) where the library cannot load. */
    static Softmax of(Softmax.Backend b) {
        return TestSupport.backend(b);
    }

    static double[] gaussian(long seed, int n, double scale) {
        return TestSupport.gaussian(seed, n, scale);
    }

    /** A random classifier of k classes over d features. */
    static SoftmaxClassifier random(long seed, int k, int d, Softmax s) {
        return SoftmaxClassifier.of(k, d, gaussian(seed, k * d, 0.5), gaussian(seed + 1, k, 1), s);
    }
}
