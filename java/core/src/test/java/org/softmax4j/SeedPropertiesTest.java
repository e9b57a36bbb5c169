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
 * The properties of docs/mathematics.md as operations (2 inverse, 3 superposition and scaling,
 * 5 the α limits, 7 two classes) and the masked semantics, on every available backend, with
 * α of every sign. Bounds are the float64 unit roundoff u times each property's conditioning.
 */
class SeedPropertiesTest {
    private static final double U = 0x1p-53;

    @Provide
    Arbitrary<double[]> rows() {
        return Arbitraries.doubles().between(-20, 20).array(double[].class).ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<double[]> smallIntegers() {
        return Arbitraries.integers().between(-3, 3).map(i -> (double) i).array(double[].class).ofMinSize(1).ofMaxSize(30);
    }

    private static double[] softmax(Softmax s, double[] x, double a) {
        double[] y = new double[x.length];
        s.softmax(Batch.of(x, 1, x.length), Batch.of(y, 1, x.length), Scale.alpha(a));
        return y;
    }

    private static double lse(Softmax s, double[] x, double a) {
        double[] l = new double[1];
        s.logSumExp(Batch.of(x, 1, x.length), Batch.of(l, 1, 1), Scale.alpha(a));
        return l[0];
    }

    private static double maxAbs(double[] x) {
        double m = 0;
        for (double d : x) m = Math.max(m, Math.abs(d));
        return m;
    }

    /** S(α(x + c)) = S(αx) at any α: the shift rounds x by u(|x| + |c|), times |α| in exp. */
    @Property(tries = 100)
    void shiftInvarianceAtAnyAlpha(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -100, max = 100) double c,
            @ForAll @DoubleRange(min = -4, max = 4) double a) {
        double[] shifted = x.clone();
        for (int j = 0; j < x.length; j++) shifted[j] += c;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = softmax(s, x, a);
            double[] ys = softmax(s, shifted, a);
            double bound = 8 * U * Math.abs(a) * (20 + Math.abs(c)) + 4 * U * (1 + Math.log(x.length) + 160 * Math.abs(a));
            for (int j = 0; j < x.length; j++) assertEquals(y[j], ys[j], bound * y[j] + Double.MIN_NORMAL, s::toString);
        }
    }

    /**
     * Inverse round trip up to the gauge: p = S(αx), then the logits of p in each gauge are x
     * shifted by that gauge's constant. log p_j carries u·|log p_j| ≤ u·40|α| of error, the
     * gauge's constant as much; dividing by α gives the bound.
     */
    @Property(tries = 100)
    void inverseRoundTripUpToTheGauge(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -2, max = 2) double a0,
            @ForAll @DoubleRange(min = -10, max = 10) double level) {
        double a = Math.abs(a0) < 0.05 ? 0.05 : a0;
        int n = x.length;
        int k = n / 2;
        double mean = 0;
        for (double d : x) mean += d / n;
        for (Softmax s : TestSupport.availableBackends()) {
            double[] p = softmax(s, x, a);
            double l = lse(s, x, a);
            double bound = 16 * U * (1 + 40 * Math.abs(a) + Math.log(n)) * n / Math.abs(a) + 16 * U * maxAbs(x);
            double[] zm = new double[n];
            s.inverse(Batch.of(p, 1, n), Batch.of(zm, 1, n), Gauge.zeroMean(), Scale.alpha(a));
            double[] pin = new double[n];
            s.inverse(Batch.of(p, 1, n), Batch.of(pin, 1, n), Gauge.pinned(k), Scale.alpha(a));
            double[] atL = new double[n];
            s.inverse(Batch.of(p, 1, n), Batch.of(atL, 1, n), Gauge.logSumExp(level), Scale.alpha(a));
            for (int j = 0; j < n; j++) {
                assertEquals(x[j] - mean, zm[j], bound, () -> s + " zero mean");
                assertEquals(x[j] - x[k], pin[j], bound, () -> s + " pinned");
                assertEquals(x[j] + (level - l) / a, atL[j], bound + 8 * U * Math.abs(level - l) / Math.abs(a), () -> s + " LSE");
            }
            assertEquals(0, pin[k], 0.0, () -> s + " the pinned logit is exactly 0");
            assertEquals(level, lse(s, atL, a), 64 * U * (1 + Math.abs(level) + 40 * Math.abs(a)), () -> s + " LSE gauge met");
        }
    }

    /**
     * Superposition (property 3): S(a₁x₁ + a₂x₂ + c) = combine([S(x₁), S(x₂)], [a₁, a₂]); with
     * one factor, scaling S(αx) = combine([S(x)], [α]), and the ratio S(x₁ − x₂) with weights
     * (1, −1). The exponent Σ a_i log S(x_i)_j carries u·Σ|a_i|(40 + log n)·few of error.
     */
    @Property(tries = 100)
    void superpositionAndScaling(@ForAll("rows") double[] x1, @ForAll @DoubleRange(min = -3, max = 3) double a1,
            @ForAll @DoubleRange(min = -3, max = 3) double a2, @ForAll @DoubleRange(min = -50, max = 50) double c) {
        int n = x1.length;
        double[] x2 = TestSupport.gaussian(n * 71L, n, 5);
        for (Softmax s : TestSupport.availableBackends()) {
            double[] p = new double[2 * n];
            System.arraycopy(softmax(s, x1, 1), 0, p, 0, n);
            System.arraycopy(softmax(s, x2, 1), 0, p, n, n);
            double[] mixed = new double[n];
            for (int j = 0; j < n; j++) mixed[j] = a1 * x1[j] + a2 * x2[j] + c;
            double[] expected = softmax(s, mixed, 1);
            double[] got = new double[n];
            s.combine(Batch.of(p, 1, 2 * (n)), Batch.of(new double[] {a1, a2}, 1, 2), Batch.of(got, 1, n));
            double cond = 32 * U * ((Math.abs(a1) + Math.abs(a2)) * (45 + Math.log(n)) + Math.abs(c));
            for (int j = 0; j < n; j++) assertEquals(expected[j], got[j], cond * (1 + expected[j]) * expected[j] + Double.MIN_NORMAL, s::toString);

            double[] scaled = new double[n];
            s.combine(Batch.of(p, 0, 1, 1 * (n), 2 * n), Batch.of(new double[] {a1}, 1, 1), Batch.of(scaled, 1, n));
            double[] direct = softmax(s, x1, a1);
            double sc = 32 * U * Math.abs(a1) * (45 + Math.log(n));
            for (int j = 0; j < n; j++) assertEquals(direct[j], scaled[j], sc * direct[j] + Double.MIN_NORMAL, () -> s + " scaling");

            double[] ratio = new double[n];
            s.combine(Batch.of(p, 1, 2 * (n)), Batch.of(new double[] {1, -1}, 1, 2), Batch.of(ratio, 1, n));
            double[] diff = new double[n];
            for (int j = 0; j < n; j++) diff[j] = x1[j] - x2[j];
            double[] expRatio = softmax(s, diff, 1);
            double rc = 64 * U * (45 + Math.log(n));
            for (int j = 0; j < n; j++) assertEquals(expRatio[j], ratio[j], rc * expRatio[j] + Double.MIN_NORMAL, () -> s + " ratio");
        }
    }

    /**
     * α → ±∞: one-hot on the maximum (minimum), 1/m on each of m ties. Integer data: every
     * other term is exp(−|α|) = 0 at the saturated α = ±Double.MAX_VALUE, and already at α = ±1e6.
     */
    @Property(tries = 100)
    void alphaLimitsAreOneHotWithTiesSplit(@ForAll("smallIntegers") double[] x) {
        int n = x.length;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double d : x) {
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        int maxTies = 0;
        int minTies = 0;
        for (double d : x) {
            if (d == max) maxTies++;
            if (d == min) minTies++;
        }
        for (Softmax s : TestSupport.availableBackends()) {
            for (double a : new double[] {Double.POSITIVE_INFINITY, 1e6}) {
                double[] y = softmax(s, x, a);
                for (int j = 0; j < n; j++) assertEquals(x[j] == max ? 1.0 / maxTies : 0, y[j], 4 * U, s::toString);
                double[] ymin = softmax(s, x, -a);
                for (int j = 0; j < n; j++) assertEquals(x[j] == min ? 1.0 / minTies : 0, ymin[j], 4 * U, s::toString);
            }
            // And in float, where α saturates to ±Float.MAX_VALUE.
            float[] yf = new float[n];
            s.softmax(Batch.of(TestSupport.toFloat(x), 1, n), Batch.of(yf, 1, n), Scale.alpha(Double.NEGATIVE_INFINITY));
            for (int j = 0; j < n; j++) assertEquals(x[j] == min ? 1.0f / minTies : 0, yf[j], 4 * 0x1p-24f, s::toString);
        }
    }

    /**
     * α = 0: every finite row is uniform, even where x_j − max overflows (values near the
     * largest double and float), in softmax, log-softmax (−log n) and LSE (log n).
     */
    @Property(tries = 100)
    void zeroAlphaIsUniformForEveryFiniteRow(@ForAll("rows") double[] x, @ForAll @DoubleRange(min = -1, max = 1) double spread) {
        int n = x.length;
        double[] huge = new double[n];
        float[] hugeF = new float[n];
        for (int j = 0; j < n; j++) {
            huge[j] = Math.signum(x[j] + spread) * Double.MAX_VALUE * (0.5 + Math.abs(x[j]) / 40);
            hugeF[j] = (float) (Math.signum(x[j] + spread) * Float.MAX_VALUE * (0.5 + Math.abs(x[j]) / 40));
        }
        // log n within its ulp: Math.log is specified to 1 ulp, and the JVM's and the C library's
        // differ by one at log 3 on some platforms (HotSpot's x86 intrinsic and glibc give
        // 1.0986122886681098, the AArch64 JVM's fdlibm 1.0986122886681096).
        double logN = Math.log(n), ulp = Math.ulp(logN);
        for (Softmax s : TestSupport.availableBackends()) {
            for (double[] row : new double[][] {x, huge}) {
                double[] y = softmax(s, row, 0);
                double[] ly = new double[n];
                s.logSoftmax(Batch.of(row, 1, n), Batch.of(ly, 1, n), Scale.alpha(0));
                for (int j = 0; j < n; j++) {
                    assertEquals(1.0 / n, y[j], 0.0, s::toString);
                    assertEquals(-logN, ly[j], ulp, s::toString);
                }
                assertEquals(logN, lse(s, row, 0), ulp, s::toString);
            }
            float[] yf = new float[n];
            s.softmax(Batch.of(hugeF, 1, n), Batch.of(yf, 1, n), Scale.alpha(0));
            for (int j = 0; j < n; j++) assertEquals((float) (1.0 / n), yf[j], 0.0f, s::toString);
            // The temperature API reaches α = 0 in float too: 1/1e300 rounds to 0.
            s.softmax(Batch.of(hugeF, 0, 1, n, n), Batch.of(yf, 0, 1, n, n), Scale.temperature(1e300));
            for (int j = 0; j < n; j++) assertEquals((float) (1.0 / n), yf[j], 0.0f, s::toString);
        }
    }

    /**
     * Two classes (property 7): S(α[z₁, z₂])₁ = σ(α(z₁ − z₂)). The difference rounds by
     * u(|z₁| + |z₂|) and σ' ≤ 1/4; both sides are then within a few units of σ.
     */
    @Property(tries = 200)
    void twoClassesAreTheSigmoid(@ForAll @DoubleRange(min = -60, max = 60) double z1, @ForAll @DoubleRange(min = -60, max = 60) double z2,
            @ForAll @DoubleRange(min = -3, max = 3) double a) {
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = softmax(s, new double[] {z1, z2}, a);
            double[] sig = new double[1];
            s.sigmoid(Batch.of(new double[] {z1 - z2}, 1, 1), Batch.of(sig, 1, 1), Scale.alpha(a));
            double t = Math.abs(a * (z1 - z2));
            double bound = 8 * U * (y[0] * (1 + t) + Math.abs(a) * (Math.abs(z1) + Math.abs(z2)) * y[0] * (1 - y[0]));
            assertEquals(y[0], sig[0], bound + Double.MIN_NORMAL, s::toString);
            // And σ(z) + σ(−z) = 1, σ of the other class.
            double[] other = new double[1];
            s.sigmoid(Batch.of(new double[] {z2 - z1}, 1, 1), Batch.of(other, 1, 1), Scale.alpha(a));
            assertEquals(y[1], other[0], 8 * U * (1 + t) * y[1] + 8 * U * Math.abs(a) * (Math.abs(z1) + Math.abs(z2)) * y[1] + Double.MIN_NORMAL, s::toString);
        }
    }

    /**
     * Masked softmax is the softmax of the kept sub-row scattered back, 0 at masked entries; the
     * same as setting masked logits to −∞ (for α &gt; 0); masked values are never read.
     * Fully masked rows: 0, −∞, −∞.
     */
    @Property(tries = 100)
    void maskedIsTheSoftmaxOfTheKeptEntries(@ForAll("rows") double[] x, @ForAll @IntRange(min = 0, max = 1 << 30) int bits,
            @ForAll @DoubleRange(min = 0.1, max = 4) double a) {
        int n = x.length;
        boolean[] keep = new boolean[n];
        double[] minusInf = x.clone();
        double[] poisoned = x.clone();
        int kept = 0;
        for (int j = 0; j < n; j++) {
            keep[j] = ((bits >>> (j % 30)) & 1) == 1;
            if (!keep[j]) {
                minusInf[j] = Double.NEGATIVE_INFINITY;
                poisoned[j] = Double.NaN; // never read
            } else {
                kept++;
            }
        }
        for (Softmax s : TestSupport.availableBackends()) {
            double[] y = new double[n];
            s.maskedSoftmax(Batch.of(poisoned, 1, n), Batch.of(keep, 1, n), Batch.of(y, 1, n), Scale.alpha(a));
            double[] ly = new double[n];
            s.maskedLogSoftmax(Batch.of(poisoned, 1, n), Batch.of(keep, 1, n), Batch.of(ly, 1, n), Scale.alpha(a));
            double[] l = new double[1];
            s.maskedLogSumExp(Batch.of(poisoned, 1, n), Batch.of(keep, 1, n), Batch.of(l, 1, 1), Scale.alpha(a));
            if (kept == 0) {
                for (int j = 0; j < n; j++) {
                    assertEquals(0.0, y[j], 0.0, s::toString);
                    assertEquals(Double.NEGATIVE_INFINITY, ly[j], 0.0, s::toString);
                }
                assertEquals(Double.NEGATIVE_INFINITY, l[0], 0.0, s::toString);
                continue;
            }
            double[] expected = softmax(s, minusInf, a);
            double[] expectedLog = new double[n];
            s.logSoftmax(Batch.of(minusInf, 1, n), Batch.of(expectedLog, 1, n), Scale.alpha(a));
            double bound = 8 * U * (1 + 40 * a + Math.log(n));
            for (int j = 0; j < n; j++) {
                if (!keep[j]) {
                    assertEquals(0.0, y[j], 0.0, () -> s + " masked entries are exactly 0");
                    assertEquals(Double.NEGATIVE_INFINITY, ly[j], 0.0, s::toString);
                } else {
                    assertEquals(expected[j], y[j], bound * expected[j] + Double.MIN_NORMAL, s::toString);
                    assertEquals(expectedLog[j], ly[j], bound * (1 + Math.abs(expectedLog[j])), s::toString);
                }
            }
            assertEquals(lse(s, minusInf, a), l[0], bound * (1 + 20 * a), s::toString);
        }
    }
}
