package org.softmax4j.spark.internal;

import java.io.Serializable;

/**
 * A diagonal preconditioner for the L-BFGS fit: the optimiser works on θ' = [V | c], the
 * parameters of the model over standardised features x̃_i = (x_i − μ_i)/σ_i, while the data term
 * is evaluated on the features as they are, at
 * <pre>
 *   W_ji = V_ji / σ_i,    b_j = b⁰_j + c_j − Σ_i W_ji μ_i,
 * </pre>
 * which gives every row the same scores (W x + b = V x̃ + b⁰ + c). This is what Spark ML's
 * {@code LogisticRegression} does (it always trains on features scaled by their standard
 * deviation and, with an intercept, centred by their mean, whatever {@code standardization}
 * says), so that the two fits follow the same path per iteration. The objective is a function of
 * the scores and of W only, so it, and its minimiser, are unchanged: only the coordinates the
 * optimiser moves in differ, and with them the conditioning (features of very different scales
 * no longer make the problem ill-conditioned).
 *
 * <p>A feature whose standard deviation is 0 (constant) is centred but not scaled (σ taken as 1):
 * x̃_i is then 0 on every row, so its weight no longer competes with the intercept (with it, the
 * two are collinear), and only the L2 term moves it, to its optimum 0. Spark ML fixes such a
 * weight at 0, the same model when λ &gt; 0. θ' = 0 is W = 0, b = b⁰: with b⁰_j = log(1 + n_j) minus its mean over
 * the classes (n_j the rows of class j), the intercepts Spark ML starts from, so that the two
 * fits also start at the same point.
 *
 * <p>The L2 term (λ/2)‖W‖² is the caller's to add in the original coordinates (see
 * {@link Core#fit}); Spark ML's {@code L2Regularization} with {@code featuresStd} does the same.
 */
public final class Preconditioner implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int classes;
    private final int features;
    /** 1/σ_i, or 1 for a constant feature. */
    private final double[] inverseScale;
    /** μ_i. */
    private final double[] shift;
    private final double[] bias0;

    private Preconditioner(int classes, int features, double[] inverseScale, double[] shift, double[] bias0) {
        this.classes = classes;
        this.features = features;
        this.inverseScale = inverseScale;
        this.shift = shift;
        this.bias0 = bias0;
    }

    /**
     * @param mean μ, the features' means
     * @param std σ, their sample standard deviations (n − 1 in the denominator, as Spark ML's
     *        summariser); 0 or not finite for a constant feature
     * @param classCounts n_j, the rows of each class (length k)
     */
    public static Preconditioner of(double[] mean, double[] std, long[] classCounts) {
        int d = mean.length;
        int k = classCounts.length;
        if (std.length != d) throw new IllegalArgumentException("std: " + std.length + " values for " + d + " features");
        double[] inv = new double[d];
        double[] shift = new double[d];
        for (int i = 0; i < d; i++) {
            inv[i] = std[i] > 0 && Double.isFinite(std[i]) ? 1 / std[i] : 1;
            shift[i] = Double.isFinite(mean[i]) ? mean[i] : 0;
        }
        double[] b0 = new double[k];
        double sum = 0;
        for (int j = 0; j < k; j++) sum += b0[j] = Math.log1p(classCounts[j]);
        for (int j = 0; j < k; j++) b0[j] -= sum / k;
        return new Preconditioner(k, d, inv, shift, b0);
    }

    /** θ = [W | b] of the model at θ' = [V | c], into {@code theta}. */
    public void toModel(double[] scaled, double[] theta) {
        int d = features;
        for (int j = 0; j < classes; j++) {
            double b = bias0[j] + scaled[classes * d + j];
            for (int i = 0; i < d; i++) {
                double w = scaled[j * d + i] * inverseScale[i];
                theta[j * d + i] = w;
                b -= w * shift[i];
            }
            theta[classes * d + j] = b;
        }
    }

    /**
     * The gradient with respect to θ' from the gradient with respect to θ (chain rule through
     * {@link #toModel}): ∂f/∂V_ji = (∂f/∂W_ji − μ_i ∂f/∂b_j)/σ_i, ∂f/∂c_j = ∂f/∂b_j.
     */
    public void toScaledGradient(double[] gradient, double[] scaledGradient) {
        int d = features;
        for (int j = 0; j < classes; j++) {
            double gb = gradient[classes * d + j];
            for (int i = 0; i < d; i++) {
                scaledGradient[j * d + i] = (gradient[j * d + i] - shift[i] * gb) * inverseScale[i];
            }
            scaledGradient[classes * d + j] = gb;
        }
    }
}
