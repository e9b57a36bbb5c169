package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The properties 1, 5 and 6 of docs/mathematics.md as property tests over random rows, on every
 * available backend. Each bound is the float64 tolerance times the property's conditioning.
 */
class PropertiesTest {
    private static final double U = 0x1p-53;

    @Provide
    Arbitrary<double[]> rows() {
        return Arbitraries.doubles().between(-50, 50).array(double[].class).ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 200)
    void softmaxSumsToOne(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = 0.05, max = 20) double tau) {
        int n = x.length;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            s.softmax(Batch.of(x, 0, 1, n, n), Batch.of(y, 0, 1, n, n), Scale.temperature(tau));
            assertEquals(1.0, sum(y), 4 * n * U, s::toString);
            float[] yf = new float[n];
            s.softmax(Batch.of(TestSupport.toFloat(x), 0, 1, n, n), Batch.of(yf, 0, 1, n, n), Scale.temperature(tau));
            assertEquals(1.0, sum(TestSupport.toDouble(yf)), 1e-6 + n * 0x1p-24, s::toString);
        }
    }

    /** S(x + c) = S(x): adding c rounds x by up to u·(|x| + |c|), which exp turns into a relative error a·that. */
    @Property(tries = 200)
    void shiftInvariance(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -1000, max = 1000) double c) {
        int n = x.length;
        double[] shifted = x.clone();
        for (int j = 0; j < n; j++) shifted[j] += c;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            double[] ys = new double[n];
            s.softmax(Batch.of(x, 1, n), Batch.of(y, 1, n));
            s.softmax(Batch.of(shifted, 1, n), Batch.of(ys, 1, n));
            double bound = 8 * U * (50 + Math.abs(c)) + 1e-14;
            for (int j = 0; j < n; j++) assertEquals(y[j], ys[j], bound * y[j] + Double.MIN_NORMAL, s::toString);
        }
    }

    /** LSE(x + c) = LSE(x) + c. */
    @Property(tries = 200)
    void logSumExpShifts(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -1000, max = 1000) double c) {
        int n = x.length;
        double[] shifted = x.clone();
        for (int j = 0; j < n; j++) shifted[j] += c;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] l = new double[1];
            double[] ls = new double[1];
            s.logSumExp(Batch.of(x, 1, n), Batch.of(l, 1, 1));
            s.logSumExp(Batch.of(shifted, 1, n), Batch.of(ls, 1, 1));
            assertEquals(l[0] + c, ls[0], 8 * U * (60 + Math.abs(c) + Math.log(n)), s::toString);
        }
    }

    /** S(x) = exp(log S(x)). */
    @Property(tries = 200)
    void softmaxIsExpOfLogSoftmax(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = 0.05, max = 20) double tau) {
        int n = x.length;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            double[] ly = new double[n];
            s.softmax(Batch.of(x, 0, 1, n, n), Batch.of(y, 0, 1, n, n), Scale.temperature(tau));
            s.logSoftmax(Batch.of(x, 0, 1, n, n), Batch.of(ly, 0, 1, n, n), Scale.temperature(tau));
            for (int j = 0; j < n; j++) {
                double expected = Math.exp(ly[j]);
                assertEquals(expected, y[j], 1e-13 * expected * (1 + Math.abs(ly[j])) + Double.MIN_NORMAL, s::toString);
            }
        }
    }

    /**
     * τ → 0⁺: one-hot on the maximum, 1/m on each of m tied maxima. Values are whole numbers, so
     * ties are common and every other term is at most exp(−1/τ) = exp(−10⁶) = 0.
     */
    @Property(tries = 200)
    void coldLimitIsOneHotWithTiesSplit(@ForAll("smallIntegers") double[] x) {
        int n = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (double d : x) max = Math.max(max, d);
        int ties = 0;
        for (double d : x) if (d == max) ties++;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            s.softmax(Batch.of(x, 0, 1, n, n), Batch.of(y, 0, 1, n, n), Scale.temperature(1e-6));
            for (int j = 0; j < n; j++) {
                double expected = x[j] == max ? 1.0 / ties : 0;
                assertEquals(expected, y[j], 4 * U, s::toString);
            }
        }
    }

    @Provide
    Arbitrary<double[]> smallIntegers() {
        return Arbitraries.integers().between(-3, 3).map(i -> (double) i)
                .array(double[].class).ofMinSize(1).ofMaxSize(40);
    }

    /** τ → ∞: uniform. With |x| ≤ 50 and τ = 10¹², every a·x_j is below 5·10⁻¹¹. */
    @Property(tries = 200)
    void hotLimitIsUniform(@ForAll("rows") double[] x) {
        int n = x.length;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            s.softmax(Batch.of(x, 0, 1, n, n), Batch.of(y, 0, 1, n, n), Scale.temperature(1e12));
            for (int j = 0; j < n; j++) assertEquals(1.0 / n, y[j], 1e-10 / n, s::toString);
        }
    }

    /** Batches: each row is computed as if alone, whatever the batch around it. */
    @Property(tries = 50)
    void rowsAreIndependent(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll @IntRange(min = 1, max = 60) int n) {
        double[] x = TestSupport.gaussian(rows * 1000L + n, rows * n, 5);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] all = new double[rows * n];
            s.logSoftmax(Batch.of(x, rows, n), Batch.of(all, rows, n));
            for (int r = 0; r < rows; r++) {
                double[] one = new double[n];
                s.logSoftmax(Batch.of(x, r * n, 1, n, n), Batch.of(one, 0, 1, n, n), Scale.temperature(1));
                for (int j = 0; j < n; j++) assertEquals(one[j], all[r * n + j], 0.0, s::toString);
            }
        }
    }

    private static double sum(double[] y) {
        double s = 0;
        for (double v : y) s += v;
        return s;
    }
}
