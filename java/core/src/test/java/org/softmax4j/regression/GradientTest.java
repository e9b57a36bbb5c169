package org.softmax4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.Batch;
import org.softmax4j.Softmax;

/**
 * The objective and its gradient: the value against the formula written out in the test, the
 * gradient against central finite differences in float64, and the two backends against each
 * other, with and without L2, label smoothing and class weights.
 */
class GradientTest {
    static final int ROWS = 23;
    static final int D = 6;
    static final int K = 4;

    static final Objective[] OBJECTIVES = {
        Objective.crossEntropy(),
        Objective.crossEntropy().withL2(0.3),
        Objective.crossEntropy().withL2(0.05).withLabelSmoothing(0.2).withClassWeights(1, 2.5, 0.5, 3),
    };

    static int[] labels(long seed) {
        Random r = new Random(seed);
        int[] y = new int[ROWS];
        for (int i = 0; i < ROWS; i++) y[i] = r.nextInt(K);
        return y;
    }

    /** The objective by its definition, term by term. */
    static double byDefinition(double[] w, double[] b, double[] x, int[] y, Objective o) {
        double[] cw = o.classWeights();
        double eps = o.labelSmoothing();
        double num = 0;
        double den = 0;
        for (int r = 0; r < ROWS; r++) {
            double[] z = new double[K];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < K; j++) {
                z[j] = b[j];
                for (int c = 0; c < D; c++) z[j] += w[j * D + c] * x[r * D + c];
                max = Math.max(max, z[j]);
            }
            double sum = 0;
            for (int j = 0; j < K; j++) sum += Math.exp(z[j] - max);
            double ce = 0;
            for (int j = 0; j < K; j++) {
                double t = (j == y[r] ? 1 - eps : 0) + eps / K;
                ce -= t * (z[j] - max - Math.log(sum));
            }
            double s = cw == null ? 1 : cw[y[r]];
            num += s * ce;
            den += s;
        }
        double norm = 0;
        for (double v : w) norm += v * v;
        return num / den + 0.5 * o.l2() * norm;
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void gradientMatchesCentralDifferences(Softmax.Backend backend) {
        Softmax s = Backends.of(backend);
        double[] x = Backends.gaussian(1, ROWS * D, 2);
        int[] y = labels(2);
        double[] w = Backends.gaussian(3, K * D, 0.7);
        double[] b = Backends.gaussian(4, K, 0.5);
        for (Objective o : OBJECTIVES) {
            Gradient g;
            try (SoftmaxClassifier m = SoftmaxClassifier.of(K, D, w, b, s)) {
                g = m.gradient(Batch.of(x, ROWS, D), y, o);
                assertEquals(byDefinition(w, b, x, y, o), g.loss(), 1e-13, o.toString());
                assertEquals(g.loss(), m.loss(Batch.of(x, ROWS, D), y, o), 1e-15, "loss() and gradient() agree");
            }
            double h = 1e-6;
            for (int i = 0; i < K * D + K; i++) {
                double[] wp = w.clone(), wm = w.clone(), bp = b.clone(), bm = b.clone();
                if (i < K * D) {
                    wp[i] += h;
                    wm[i] -= h;
                } else {
                    bp[i - K * D] += h;
                    bm[i - K * D] -= h;
                }
                double fd = (loss(s, wp, bp, x, y, o) - loss(s, wm, bm, x, y, o)) / (2 * h);
                double analytic = i < K * D ? g.weights()[i] : g.bias()[i - K * D];
                assertTrue(Math.abs(fd - analytic) <= 1e-7 * (1 + Math.abs(analytic)),
                        () -> o + ": component " + " finite difference " + fd + " vs " + analytic);
            }
        }
    }

    private static double loss(Softmax s, double[] w, double[] b, double[] x, int[] y, Objective o) {
        try (SoftmaxClassifier m = SoftmaxClassifier.of(K, D, w, b, s)) {
            return m.loss(Batch.of(x, ROWS, D), y, o);
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void backendsAgreeWithStridesAndOffsets(Softmax.Backend backend) {
        Softmax s = Backends.of(backend);
        int ldx = D + 3;
        int xo = 5;
        double[] x = Backends.gaussian(9, xo + ROWS * ldx, 3);
        int[] y = new int[ROWS + 2];
        System.arraycopy(labels(10), 0, y, 2, ROWS);
        double[] w = Backends.gaussian(11, K * D, 0.4);
        double[] b = Backends.gaussian(12, K, 0.5);
        for (Objective o : OBJECTIVES) {
            try (SoftmaxClassifier m = SoftmaxClassifier.of(K, D, w, b, s);
                 SoftmaxClassifier ref = m.on(Softmax.java())) {
                int[] labels = java.util.Arrays.copyOfRange(y, 2, 2 + ROWS);
                Gradient got = m.gradient(Batch.of(x, xo, ROWS, D, ldx), labels, o);
                Gradient want = ref.gradient(Batch.of(x, xo, ROWS, D, ldx), labels, o);
                assertEquals(want.loss(), got.loss(), 1e-13);
                for (int i = 0; i < K * D; i++) assertEquals(want.weights()[i], got.weights()[i], 1e-13);
                for (int j = 0; j < K; j++) assertEquals(want.bias()[j], got.bias()[j], 1e-13);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Softmax.Backend.class)
    void noRowsGiveTheL2TermAlone(Softmax.Backend backend) {
        double[] w = Backends.gaussian(13, K * D, 1);
        try (SoftmaxClassifier m = SoftmaxClassifier.of(K, D, w, new double[K], Backends.of(backend))) {
            Gradient g = m.gradient(Batch.of(new double[0], 0, D), new int[0], Objective.crossEntropy().withL2(2));
            double norm = 0;
            for (double v : w) norm += v * v;
            assertEquals(norm, g.loss(), 1e-12);
            for (int i = 0; i < w.length; i++) assertEquals(2 * w[i], g.weights()[i], 1e-15);
        }
    }
}
