package org.softmax4j.backend;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The sampler's arithmetic, as the native core does it ({@code native/src/sampler/weight_spec.hpp}
 * and {@code selection.hpp}), so that both backends draw the same token: the weight of a token,
 * its integer form, and the two exact decisions of the filters. Internal.
 *
 * <p>Float logits are computed in float and double logits in double. One implementation serves
 * both: every operation is done in double and rounded to the compute type by
 * {@link Precision#round}. For float this is exactly float arithmetic, because double has more
 * than 2·24 + 2 bits: rounding a double result of +, −, ×, ÷ on floats to float gives the
 * correctly rounded float result (Figueroa, "When is double rounding innocuous?", 1995). That
 * does not hold for a fused multiply-add, so {@link Precision#fma} calls the float one.
 */
public final class SampleWeights {
    private SampleWeights() {}

    /** The compute type of the sampler's arithmetic, with the weight function's constants. */
    public enum Precision {
        FLOAT32(0x1.715476p+4f, 0x1.8p+23f, 0x1.62e8p-5f, -0x1.e8082ep-20f,
                new double[] {0x1.555556p-3f, 0.5f, 1.0f},
                new double[] {0x1p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
                        0x1.306fep+0f, 0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
                        0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
                        0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f},
                Float.MAX_VALUE),
        FLOAT64(0x1.71547652b82fep+4, 0x1.8p+52, 0x1.62e42fefa38p-5, 0x1.ef35793c7673p-49,
                new double[] {0x1.a01a01a01a01ap-13, 0x1.6c16c16c16c17p-10, 0x1.1111111111111p-7,
                        0x1.5555555555555p-5, 0x1.5555555555555p-3, 0.5, 1.0},
                new double[] {0x1p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0,
                        0x1.2387a6e756238p+0, 0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0,
                        0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0, 0x1.6a09e667f3bcdp+0,
                        0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f09p+0,
                        0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0,
                        0x1.ea4afa2a490dap+0},
                Double.MAX_VALUE);

        final double log2e16;
        final double shifter;
        final double ln2Hi;
        final double ln2Lo;
        final double[] poly;
        final double[] pow2;
        /** The largest finite value of the type. */
        public final double max;

        Precision(double log2e16, double shifter, double ln2Hi, double ln2Lo, double[] poly,
                double[] pow2, double max) {
            this.log2e16 = log2e16;
            this.shifter = shifter;
            this.ln2Hi = ln2Hi;
            this.ln2Lo = ln2Lo;
            this.poly = poly;
            this.pow2 = pow2;
            this.max = max;
        }

        /** v rounded to this type (to nearest even; overflow to ±∞). */
        public double round(double v) {
            return this == FLOAT32 ? (double) (float) v : v;
        }

        /** a·b + c rounded once to this type (a, b, c are values of the type). */
        public double fma(double a, double b, double c) {
            return this == FLOAT32 ? (double) Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
        }
    }

    /** Weights below e^−40 are 0. */
    static final double MIN = -40;

    /**
     * ws = w(d)·2^s, the weight function step by step (see weight_spec.hpp): d ≤ 0 (d &gt; 0 is
     * taken as 0; d &lt; −40 and NaN weigh 0). The integer weight is {@code (long) ws}.
     */
    public static double scaledWeight(Precision p, double d, int s) {
        if (!(d >= MIN)) return 0;
        if (d > 0) d = 0;
        double t = p.fma(d, p.log2e16, p.shifter);
        double nf = t - p.shifter;  // exact: N, an integer in [-924, 0]
        double r = p.fma(nf, -p.ln2Hi, d);
        r = p.fma(nf, -p.ln2Lo, r);
        double q = p.poly[0];
        for (int i = 1; i < p.poly.length; i++) q = p.fma(q, r, p.poly[i]);
        q = p.round(q * r);
        long n = (long) nf;
        double tj = p.pow2[(int) (n & 15)];
        double w0 = p.fma(tj, q, tj);
        return w0 * Math.scalb(1.0, (int) Math.floorDiv(n, 16) + s);  // exact
    }

    /** The largest s ≤ 51 with count·2^s &lt; 2^63: sums of count weights fit in a long. */
    public static int weightShift(long count) {
        int bits = 64 - Long.numberOfLeadingZeros(count);
        return Math.min(51, 63 - bits);
    }

    /** ceil(p·w) exactly, for p in (0, 1] and 0 ≤ w &lt; 2^63. */
    public static long ceilMul(double p, long w) {
        return new BigDecimal(p).multiply(BigDecimal.valueOf(w)).setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }

    /**
     * The largest v among values[0, n) with Σ_{values ≥ v} ≥ need (1 ≤ need ≤ their sum): top-p's
     * threshold. A weighted quickselect on a copy in {@code scratch} (expected O(n), where sorting
     * the 128k weights of a vocabulary took most of a top-p draw): partition around a median of
     * three into &gt; pivot | = pivot | &lt; pivot, and keep the part where the cumulative sum from
     * the top reaches need. The value is defined exactly, so any correct search finds the same one.
     *
     * @param scratch at least n entries, overwritten (the caller's reusable workspace: values is
     *     not modified, and nothing is allocated)
     */
    public static long weightedThreshold(long[] values, int n, long need, long[] scratch) {
        long[] v = scratch;
        System.arraycopy(values, 0, v, 0, n);
        int lo = 0;
        int hi = n;
        long acc = 0;  // the weight above v[lo, hi)
        while (hi - lo > 16) {
            long a = v[lo];
            long b = v[lo + (hi - lo) / 2];
            long c = v[hi - 1];
            long pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int gt = lo;
            int i = lo;
            int lt = hi;
            while (i < lt) {
                if (v[i] > pivot) {
                    swap(v, gt++, i++);
                } else if (v[i] < pivot) {
                    swap(v, i, --lt);
                } else {
                    i++;
                }
            }
            long above = 0;
            for (int j = lo; j < gt; j++) above += v[j];
            long equal = 0;
            for (int j = gt; j < lt; j++) equal += v[j];
            if (acc + above >= need) {
                hi = gt;
            } else if (acc + above + equal >= need) {
                return pivot;
            } else {
                acc += above + equal;
                lo = lt;
            }
        }
        java.util.Arrays.sort(v, lo, hi);
        for (int i = hi - 1; i >= lo; i--) {
            acc += v[i];
            if (acc >= need) return v[i];
        }
        return hi > lo ? v[lo] : 0;  // unreachable when need <= the sum
    }

    /**
     * The k-th largest of x[0, n) (1 ≤ k ≤ n, no NaN): top-k's threshold, by quickselect on a copy
     * in {@code scratch} (expected O(n)). Only its value matters (the caller keeps every x ≥ it),
     * so −0 and +0 are one value, as they are to that comparison.
     *
     * @param scratch at least n entries, overwritten (x is not modified)
     */
    public static double kthLargest(double[] x, int n, int k, double[] scratch) {
        double[] v = scratch;
        System.arraycopy(x, 0, v, 0, n);
        int lo = 0;
        int hi = n;
        int want = k - 1;  // its index in descending order
        while (hi - lo > 16) {
            double a = v[lo];
            double b = v[lo + (hi - lo) / 2];
            double c = v[hi - 1];
            double pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
            int gt = lo;
            int i = lo;
            int lt = hi;
            while (i < lt) {
                if (v[i] > pivot) {
                    swap(v, gt++, i++);
                } else if (v[i] < pivot) {
                    swap(v, i, --lt);
                } else {
                    i++;
                }
            }
            if (want < gt) {
                hi = gt;
            } else if (want < lt) {
                return pivot;
            } else {
                lo = lt;
            }
        }
        java.util.Arrays.sort(v, lo, hi);
        return v[hi - 1 - (want - lo)];
    }

    private static void swap(long[] v, int i, int j) {
        long t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    private static void swap(double[] v, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
