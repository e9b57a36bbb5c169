package org.softmax4j.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The change of coordinates against its definition, without Spark. */
class PreconditionerTest {
    static final int K = 4;
    static final int D = 6;
    static final double[] MEAN = {3, -2, 0.5, 7, 2, 1e3};
    // Feature 4 is constant (σ = 0): centred, not scaled.
    static final double[] STD = {0.5, 4, 1, 1e-3, 0, 250};
    static final long[] COUNTS = {10, 0, 35, 5};

    static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
        return v;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /**
     * Every row gets the same scores: W x + b = V x̃ + b⁰ + c, x̃_i = (x_i − μ_i)/σ_i (x̃_i = x_i − μ_i
     * for the constant feature). Terms are O(10³) at most and cancel to O(10): 1e-9 absolute is 10⁴
     * roundings of 2⁻⁵² on them.
     */
    @Test
    void theModelGivesTheScoresOfTheStandardisedFeatures() {
        Preconditioner p = Preconditioner.of(MEAN, STD, COUNTS);
        Random r = new Random(1);
        double[] scaled = random(r, K * D + K);
        double[] theta = new double[K * D + K];
        p.toModel(scaled, theta);
        double[] b0 = new double[K];
        double mean = 0;
        for (int j = 0; j < K; j++) mean += Math.log1p(COUNTS[j]) / K;
        for (int j = 0; j < K; j++) b0[j] = Math.log1p(COUNTS[j]) - mean;
        for (int row = 0; row < 5; row++) {
            double[] x = new double[D];
            for (int i = 0; i < D; i++) x[i] = MEAN[i] + STD[i] * r.nextGaussian();
            for (int j = 0; j < K; j++) {
                double want = b0[j] + scaled[K * D + j];
                double got = theta[K * D + j];
                for (int i = 0; i < D; i++) {
                    double xt = (x[i] - MEAN[i]) / (STD[i] == 0 ? 1 : STD[i]);
                    want += scaled[j * D + i] * xt;
                    got += theta[j * D + i] * x[i];
                }
                assertEquals(want, got, 1e-9, "row " + row + " class " + j);
            }
        }
        // θ' = 0 is Spark ML's start: W = 0, b = b⁰.
        p.toModel(new double[K * D + K], theta);
        for (int i = 0; i < K * D; i++) assertEquals(0, theta[i]);
        for (int j = 0; j < K; j++) assertEquals(b0[j], theta[K * D + j], 1e-15);
    }

    /**
     * The gradient map is the adjoint of the (affine) change of coordinates, the chain rule:
     * ⟨g, θ(δ) − θ(0)⟩ = ⟨g', δ⟩ for every g and δ. Both sides are sums of ~30 products of size up
     * to 10⁶ (1/σ = 10³ times μ = 10³): 1e-12 relative to the sum of their magnitudes.
     */
    @Test
    void theGradientFollowsTheChainRule() {
        Preconditioner p = Preconditioner.of(MEAN, STD, COUNTS);
        Random r = new Random(2);
        for (int trial = 0; trial < 20; trial++) {
            double[] g = random(r, K * D + K);
            double[] delta = random(r, K * D + K);
            double[] at = new double[K * D + K];
            double[] at0 = new double[K * D + K];
            p.toModel(delta, at);
            p.toModel(new double[K * D + K], at0);
            double[] step = new double[at.length];
            double magnitude = 0;
            for (int i = 0; i < at.length; i++) {
                step[i] = at[i] - at0[i];
                magnitude += Math.abs(g[i] * step[i]);
            }
            double[] scaledGradient = new double[g.length];
            p.toScaledGradient(g, scaledGradient);
            assertEquals(dot(g, step), dot(scaledGradient, delta), 1e-12 * magnitude, "trial " + trial);
        }
    }
}
