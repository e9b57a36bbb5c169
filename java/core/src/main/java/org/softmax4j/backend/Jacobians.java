package org.softmax4j.backend;

/**
 * The derivatives of softmax, log-softmax and log-sum-exp for one row, in double precision, as
 * written in docs/mathematics.md (property 4) with the inverse temperature a: y = S(a x) and
 * J = a (diag(y) − y yᵀ). Sums are compensated. The native kernels are checked against these.
 */
final class Jacobians {
    private Jacobians() {}

    /**
     * J_ij = −a y_i y_j off the diagonal (the product y_i·y_j first, so that J is exactly
     * symmetric), J_ii = a y_i Σ_{j≠i} y_j. A y with a NaN or infinite entry gives a NaN J.
     */
    static void jacobian(double[] y, int n, double a, double[] J) {
        for (int j = 0; j < n; j++) {
            if (!Double.isFinite(y[j])) {
                java.util.Arrays.fill(J, 0, n * n, Double.NaN);
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            Sum rest = new Sum();
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                J[i * n + j] = -a * (y[i] * y[j]);
                rest.add(y[j]);
            }
            J[i * n + i] = a * y[i] * rest.value();
        }
    }

    /** out = a y ⊙ (v − ⟨y, v⟩). */
    static void jvp(double[] y, double[] v, int n, double a, double[] out) {
        Sum s = new Sum();
        for (int j = 0; j < n; j++) s.add(y[j] * v[j]);
        double dot = s.value();
        for (int j = 0; j < n; j++) out[j] = a * y[j] * (v[j] - dot);
    }

    /** out = a (g − y Σg), the VJP of log-softmax given y. */
    static void logSoftmaxVjp(double[] y, double[] g, int n, double a, double[] out) {
        Sum s = new Sum();
        for (int j = 0; j < n; j++) s.add(g[j]);
        double total = s.value();
        for (int j = 0; j < n; j++) out[j] = a * (g[j] - y[j] * total);
    }

    /** out = a g S(a x), the VJP of LSE(a x) for the row's upstream gradient g. */
    static void logSumExpVjp(double[] x, double g, int n, double a, double[] out) {
        Reference.softmax(x, n, a, out);
        for (int j = 0; j < n; j++) out[j] *= a * g;
    }

    /** out = a g exp(a x − lse), the same from the saved lse = LSE(a x). */
    static void logSumExpVjp(double[] x, double lse, double g, int n, double a, double[] out) {
        for (int j = 0; j < n; j++) out[j] = a * g * Math.exp(a * x[j] - lse);
    }

    /** out = J V for V n × k row-major: out_ij = a y_i (V_ij − Σ_l y_l V_lj). */
    static void jacobianTimes(double[] y, double[] V, int n, int k, double a, double[] out) {
        for (int j = 0; j < k; j++) {
            Sum s = new Sum();
            for (int l = 0; l < n; l++) s.add(y[l] * V[l * k + j]);
            double w = s.value();
            for (int i = 0; i < n; i++) out[i * k + j] = a * y[i] * (V[i * k + j] - w);
        }
    }
}
