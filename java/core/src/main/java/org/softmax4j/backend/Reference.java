package org.softmax4j.backend;

/**
 * The mathematics of softmax, log-softmax and log-sum-exp for one row, in double precision,
 * written to be obviously right rather than fast. The edge rules of the semantics table are
 * spelled out here instead of being left to IEEE propagation, so that the native kernels, which
 * do rely on propagation, are checked against an independent statement of them.
 *
 * <p>With k the dominant index (first maximum for a &ge; 0, first minimum for a &lt; 0) and
 * m = x[k], the terms are e_j = exp(a (x_j − m)) with e_k = 1 exactly, and
 * t = Σ<sub>j≠k</sub> e_j is summed with Neumaier's compensation, so that the reference is more
 * accurate than any kernel it judges.
 */
final class Reference {
    private Reference() {}

    static void softmax(double[] x, int n, double a, double[] y) {
        int k = dominantOrNaN(x, n, a, y);
        if (k < 0) return;
        if (a == 0) {
            // S(0·x) is uniform; exp(0·(x_j − m)) would be NaN where x_j − m overflows.
            java.util.Arrays.fill(y, 0, n, 1.0 / n);
            return;
        }
        double s = 1 + rest(x, n, a, k);
        for (int j = 0; j < n; j++) y[j] = (j == k ? 1 : Math.exp(z(a, x[j], x[k]))) / s;
    }

    static void logSoftmax(double[] x, int n, double a, double[] y) {
        int k = dominantOrNaN(x, n, a, y);
        if (k < 0) return;
        if (a == 0) {
            java.util.Arrays.fill(y, 0, n, -Math.log(n));
            return;
        }
        double c = Math.log1p(rest(x, n, a, k));
        for (int j = 0; j < n; j++) y[j] = (j == k ? 0 : z(a, x[j], x[k])) - c;
    }

    static double logSumExp(double[] x, int n, double a) {
        if (n == 0) return Double.NEGATIVE_INFINITY;
        if (anyNaN(x, n)) return Double.NaN;
        if (a == 0) return anyInfinite(x, n) ? Double.NaN : Math.log(n);
        int k = dominant(x, n, a);
        double big = a * x[k];
        // An infinite dominant term: +∞ if a·x holds +∞, else every a·x_j is −∞.
        if (Double.isInfinite(x[k])) return big;
        return big + Math.log1p(rest(x, n, a, k));
    }

    /**
     * The dominant index of a row whose softmax is defined; -1 for an empty row, and -1 after
     * filling y with NaN for an undefined one.
     */
    private static int dominantOrNaN(double[] x, int n, double a, double[] y) {
        if (n == 0) return -1;
        if (undefined(x, n, a)) {
            java.util.Arrays.fill(y, 0, n, Double.NaN);
            return -1;
        }
        return dominant(x, n, a);
    }

    /**
     * Rows whose softmax is NaN throughout: a NaN anywhere; a dominant term that is infinite
     * (a·x holds +∞, or is −∞ everywhere); or a = 0 with an infinite x_j (0·∞ is NaN).
     */
    private static boolean undefined(double[] x, int n, double a) {
        if (anyNaN(x, n)) return true;
        if (a == 0) return anyInfinite(x, n);
        return Double.isInfinite(x[dominant(x, n, a)]);
    }

    private static int dominant(double[] x, int n, double a) {
        int k = 0;
        for (int j = 1; j < n; j++) {
            if (a >= 0 ? x[j] > x[k] : x[j] < x[k]) k = j;
        }
        return k;
    }

    /** Σ_{j≠k} exp(a (x_j − x_k)), compensated (Neumaier). */
    private static double rest(double[] x, int n, double a, int k) {
        double sum = 0;
        double carry = 0;
        for (int j = 0; j < n; j++) {
            if (j == k) continue;
            double e = Math.exp(z(a, x[j], x[k]));
            double t = sum + e;
            carry += Math.abs(sum) >= Math.abs(e) ? (sum - t) + e : (e - t) + sum;
            sum = t;
        }
        return sum + carry;
    }

    /**
     * a (x_j − m), also where the difference alone overflows (finite values of both signs beyond
     * half the range): halving both first is exact there, and the product is finite whenever
     * the exact a (x_j − m) is, as for −1.7e308 and 1.7e308 at a = 0.01.
     */
    private static double z(double a, double xj, double m) {
        double d = xj - m;
        if (Double.isInfinite(d) && Double.isFinite(xj) && Double.isFinite(m)) {
            return a * (xj * 0.5 - m * 0.5) * 2;
        }
        return a * d;
    }

    private static boolean anyNaN(double[] x, int n) {
        for (int j = 0; j < n; j++) if (Double.isNaN(x[j])) return true;
        return false;
    }

    private static boolean anyInfinite(double[] x, int n) {
        for (int j = 0; j < n; j++) if (Double.isInfinite(x[j])) return true;
        return false;
    }
}
