package org.softmax4j.regression;

import org.softmax4j.Softmax;
import org.softmax4j.bridge.NativeCore;

/**
 * The computations of the classifier head on validated arguments: the pure-Java scores
 * (the reference GEMM, a plain loop in double precision), and the objective with its gradient on
 * either backend. The native objective is one call into {@code native/src/regression.cpp}; the
 * Java one follows the same steps in the same order, so that the two differ only by rounding.
 */
final class Head {
    private Head() {}

    /**
     * y[r] = x[r] Wᵀ + b for rows × d inputs, in double, stored rounded to y's element type.
     * {@code w} is k × d, row-major.
     */
    static void scores(int rows, int d, int k, Operand x, long xo, int ldx, double[] w,
            double[] b, Operand y, long yo, int ldy) {
        double[] xr = new double[d];
        for (int r = 0; r < rows; r++) {
            long xs = xo + (long) r * ldx;
            for (int c = 0; c < d; c++) xr[c] = x.get(xs + c);
            long ys = yo + (long) r * ldy;
            for (int j = 0; j < k; j++) y.set(ys + j, b[j] + dot(xr, w, j * d, d));
        }
    }

    private static double dot(double[] x, double[] w, int wo, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) s += x[c] * w[wo + c];
        return s;
    }

    /**
     * The objective (L2 term included) at weights {@code w[wo..]} (k × d) and bias {@code b[bo..]},
     * and, if {@code gw} is not null, its gradient into {@code gw[gwo..]} and {@code gb[gbo..]}.
     * {@code z} is a workspace of rows × k. Every argument has been validated; {@code scale} is
     * the {@link Objective#scale} of these rows.
     */
    static double objective(Softmax backend, int rows, int d, int k, double[] x, int xo, int ldx,
            int[] labels, int lo, double[] w, int wo, double[] b, int bo, Objective objective,
            double scale, double[] z, double[] gw, int gwo, double[] gb, int gbo) {
        double data;
        if (backend.backend() == Softmax.Backend.NATIVE) {
            data = NativeCore.sm4j_bridge_cross_entropy_f64(x, xo, ldx, w, wo, b, bo, labels, lo,
                    objective.classWeightsRaw(), objective.labelSmoothing(), scale, z, gw, gwo, gb,
                    gbo, rows, d, k);
        } else {
            data = crossEntropyJava(backend, rows, d, k, x, xo, ldx, labels, lo, w, wo, b, bo,
                    objective, scale, z, gw, gwo, gb, gbo);
        }
        return data + addL2(k * d, w, wo, objective.l2(), gw, gwo);
    }

    /**
     * The L2 term (λ/2)‖W‖² of the {@code size} weights at {@code w[wo..]}, its gradient λW added
     * to {@code gw[gwo..]} if gw is not null.
     */
    static double addL2(int size, double[] w, int wo, double lambda, double[] gw, int gwo) {
        double norm2 = 0;
        for (int i = 0; i < size; i++) {
            double v = w[wo + i];
            norm2 += v * v;
            if (gw != null) gw[gwo + i] += lambda * v;
        }
        return 0.5 * lambda * norm2;
    }

    /** The Java twin of {@code sm4j_cross_entropy_f64}: scores, log-softmax, loss and G, GEMM. */
    private static double crossEntropyJava(Softmax backend, int rows, int d, int k, double[] x,
            int xo, int ldx, int[] labels, int lo, double[] w, int wo, double[] b, int bo,
            Objective objective, double scale, double[] z, double[] gw, int gwo, double[] gb,
            int gbo) {
        boolean grad = gw != null;
        if (grad) {
            java.util.Arrays.fill(gw, gwo, gwo + k * d, 0);
            java.util.Arrays.fill(gb, gbo, gbo + k, 0);
        }
        if (rows == 0) return 0;
        double[] wk = w;
        double[] bias = new double[k];
        System.arraycopy(b, bo, bias, 0, k);
        if (wo != 0) {
            wk = new double[k * d];
            System.arraycopy(w, wo, wk, 0, k * d);
        }
        scores(rows, d, k, Operand.of(x), xo, ldx, wk, bias, Operand.of(z), 0, k);
        backend.logSoftmax(rows, k, z, 0, k, z, 0, k, 1.0);

        double eps = objective.labelSmoothing();
        double[] cw = objective.classWeightsRaw();
        double off = eps / k;
        double on = 1 - eps + off;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int y = labels[lo + r];
            int zr = r * k;
            double s = cw != null ? cw[y] : 1;
            double sumLogP = 0;
            for (int j = 0; j < k; j++) sumLogP += z[zr + j];
            loss += s * (-(1 - eps) * z[zr + y] - off * sumLogP);
            if (grad) {
                double g = scale * s;
                for (int j = 0; j < k; j++) z[zr + j] = g * (Math.exp(z[zr + j]) - (j == y ? on : off));
            }
        }
        if (grad) {
            // dW = Gᵀ X, row by row of X: dW[j] += G[r][j] · x_r.
            for (int r = 0; r < rows; r++) {
                int xr = xo + r * ldx;
                for (int j = 0; j < k; j++) {
                    double g = z[r * k + j];
                    gb[gbo + j] += g;
                    if (g == 0) continue;
                    int at = gwo + j * d;
                    for (int c = 0; c < d; c++) gw[at + c] += g * x[xr + c];
                }
            }
        }
        return loss * scale;
    }
}
