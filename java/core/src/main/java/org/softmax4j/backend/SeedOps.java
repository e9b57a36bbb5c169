package org.softmax4j.backend;

import java.util.Arrays;

/**
 * The properties of softmax as operations, for one row in double precision (docs/mathematics.md,
 * properties 2, 3, 5, 7 and the masked semantics), with every edge rule spelled out.
 */
final class SeedOps {
    private SeedOps() {}

    /** a x = log p − c for the gauge's c; NaN where p is not a distribution or the gauge fails. */
    static void inverse(double[] p, int n, double a, Op gauge, int pin, double lse, double[] x) {
        if (n == 0) return;
        boolean positive = false;
        for (int j = 0; j < n; j++) {
            if (!(p[j] >= 0) || p[j] == Double.POSITIVE_INFINITY) {
                Arrays.fill(x, 0, n, Double.NaN);
                return;
            }
            positive |= p[j] > 0;
        }
        double c;
        switch (gauge) {
            case INVERSE_ZERO_MEAN -> {
                Sum s = new Sum();
                for (int j = 0; j < n; j++) s.add(Math.log(p[j]));
                c = positive && s.value() > Double.NEGATIVE_INFINITY ? s.value() / n : Double.NaN;
            }
            case INVERSE_PINNED -> c = p[pin] > 0 ? Math.log(p[pin]) : Double.NaN;
            case INVERSE_LOG_SUM_EXP -> {
                Sum s = new Sum();
                for (int j = 0; j < n; j++) s.add(p[j]);
                c = positive ? Math.log(s.value()) - lse : Double.NaN;
            }
            default -> throw new IllegalArgumentException(gauge.toString());
        }
        if (Double.isNaN(c)) {
            Arrays.fill(x, 0, n, Double.NaN);
            return;
        }
        for (int j = 0; j < n; j++) x[j] = (Math.log(p[j]) - c) / a;
    }

    /**
     * out = S(Σ_i w_i log p_i): the normalised product of powers. A zero weight drops its factor;
     * the softmax's rules make +∞ (0 under a negative weight), NaN and all −∞ rows NaN.
     */
    static void combine(double[] p, int n, double[] weights, double[] out) {
        double[] s = new double[n];
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == 0) continue;
            for (int j = 0; j < n; j++) s[j] += weights[i] * Math.log(p[i * n + j]);
        }
        Reference.softmax(s, n, 1, out);
    }

    /** out = σ(a x), with exp only of non-positive numbers. */
    static void sigmoid(double[] x, int n, double a, double[] out) {
        for (int j = 0; j < n; j++) {
            double t = a * x[j];
            out[j] = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
        }
    }

    /** The plain operation on the kept entries; 0 or −∞ at the others. */
    static void masked(Op op, double[] x, boolean[] keep, int n, double a, double[] out) {
        double[] sub = new double[n];
        int m = 0;
        for (int j = 0; j < n; j++) if (keep[j]) sub[m++] = x[j];
        if (op == Op.MASKED_LOG_SUM_EXP) {
            out[0] = Reference.logSumExp(sub, m, a);
            return;
        }
        double[] res = new double[m];
        double dropped;
        if (op == Op.MASKED_SOFTMAX) {
            Reference.softmax(sub, m, a, res);
            dropped = 0;
        } else {
            Reference.logSoftmax(sub, m, a, res);
            dropped = Double.NEGATIVE_INFINITY;
        }
        for (int j = 0, i = 0; j < n; j++) out[j] = keep[j] ? res[i++] : dropped;
    }
}
