package org.softmax4j;

/**
 * Softmax, log-softmax and log-sum-exp of one row in double-double arithmetic, from the row as
 * the kernel receives it (doubles, or floats widened exactly) and the inverse temperature as the
 * kernel uses it (rounded to the element type). Every quantity is within 1e-25 relative of the
 * exact value (the z_j = a(x_j − m) are exact double-doubles, each exp and log1p is within
 * 1e-28, and n ≤ 10⁶ double-double additions of positive terms add at most n·2⁻¹⁰⁴), so errors
 * measured against it are the kernels' own, in units of 2⁻⁵³ or 2⁻²⁴, to better than 1e-8.
 *
 * <p>Rows must be finite and a ≥ 0; differences x_j − m must not overflow double.
 */
final class HighPrecisionReference {
    /** z_j = a(x_j − m) ≤ 0. */
    final DoubleDouble[] z;
    /** S(a x)_j. */
    final DoubleDouble[] softmax;
    /** c = log1p(Σ_{j≠k} e^{z_j}) = LSE(a x) − a m. */
    final DoubleDouble c;
    /** a·m. */
    final DoubleDouble am;
    /** W = Σ_j S_j |z_j| (≤ ln n): how much the exponents' errors weigh in the sum. */
    final double w;

    HighPrecisionReference(double[] x, int n, double a) {
        int k = 0;
        for (int j = 1; j < n; j++) if (x[j] > x[k]) k = j;
        double m = x[k];
        z = new DoubleDouble[n];
        DoubleDouble[] e = new DoubleDouble[n];
        DoubleDouble t = DoubleDouble.ZERO;
        for (int j = 0; j < n; j++) {
            z[j] = DoubleDouble.twoSum(x[j], -m).mul(a);
            // a(x_j − m) beyond −MAX_VALUE: its exponential is 0, its log-softmax −∞ in double.
            if (!Double.isFinite(z[j].hi()) || !Double.isFinite(z[j].lo())) {
                z[j] = new DoubleDouble(Double.NEGATIVE_INFINITY, 0);
            }
            e[j] = j == k ? DoubleDouble.ONE : DoubleDouble.exp(z[j]);
            if (j != k) t = t.add(e[j]);
        }
        c = DoubleDouble.log1p(t);
        DoubleDouble product = DoubleDouble.twoProd(a, m);
        // a·m beyond the double range: LSE rounds to ±∞ there.
        am = Double.isFinite(product.hi()) ? product : new DoubleDouble(product.hi(), 0);
        DoubleDouble s = t.add(1);
        softmax = new DoubleDouble[n];
        double weight = 0;
        for (int j = 0; j < n; j++) {
            softmax[j] = e[j].div(s);
            if (softmax[j].hi() != 0) weight += softmax[j].hi() * -z[j].hi();
        }
        w = weight;
    }

    DoubleDouble logSoftmax(int j) {
        if (z[j].hi() == Double.NEGATIVE_INFINITY) return z[j];
        return z[j].sub(c);
    }

    DoubleDouble logSumExp() {
        if (Double.isInfinite(am.hi())) return am;
        return am.add(c);
    }
}
