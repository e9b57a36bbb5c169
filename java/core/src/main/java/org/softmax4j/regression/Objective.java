package org.softmax4j.regression;

import java.util.Arrays;

/**
 * What training minimises: the weighted mean cross-entropy of the classifier against integer
 * labels, with optional label smoothing and class weights, plus an L2 penalty on the weights.
 * For rows x<sub>r</sub> with labels y<sub>r</sub>, scores z<sub>r</sub> = W x<sub>r</sub> + b
 * and k classes:
 * <pre>
 *   L(W, b) = (1/S) Σ_r s_r · CE_r  +  (λ/2) ‖W‖²_F
 *   CE_r    = −Σ_j t_rj · log S(z_r)_j
 *   t_rj    = (1 − ε)·[j = y_r] + ε/k                   (label smoothing ε; ε = 0: one-hot)
 *   s_r     = classWeights[y_r]  (1 without weights),    S = Σ_r s_r
 * </pre>
 * The bias is not penalised (as in scikit-learn). With unit weights this is the plain mean,
 * S = rows. log S(z) is evaluated by the stable log-softmax, so no probability is ever rounded to
 * zero and then logged. The gradients are
 * <pre>
 *   G_r  = (s_r / S) · (S(z_r) − t_r)        (rows × k)
 *   ∂L/∂W = Gᵀ X + λ W,    ∂L/∂b = Σ_r G_r
 * </pre>
 *
 * <p><b>Relation to scikit-learn.</b> {@code LogisticRegression(C=C, multi_class="multinomial")}
 * minimises C · Σ_r s_r · CE_r + ½ ‖W‖² (its intercept unpenalised), which is (C·S) times the
 * objective above when λ = 1/(C·S); so the same model is found with C = 1/(λ·S), that is
 * C = 1/(λ·n) for n training rows without class weights.
 *
 * <p>Instances are immutable; the {@code with} methods return modified copies.
 */
public final class Objective {
    private static final Objective CROSS_ENTROPY = new Objective(0, 0, null);

    private final double l2;
    private final double labelSmoothing;
    private final double[] classWeights;

    private Objective(double l2, double labelSmoothing, double[] classWeights) {
        this.l2 = l2;
        this.labelSmoothing = labelSmoothing;
        this.classWeights = classWeights;
    }

    /**
     * The plain mean cross-entropy: no penalty, no smoothing, unit class weights.
     *
     * @return the objective
     */
    public static Objective crossEntropy() {
        return CROSS_ENTROPY;
    }

    /**
     * With the L2 penalty (λ/2)‖W‖².
     *
     * @param lambda λ, finite and &ge; 0
     * @return a new objective with this setting and the others unchanged
     * @throws IllegalArgumentException unless λ is finite and &ge; 0
     */
    public Objective withL2(double lambda) {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("l2 must be finite and >= 0, got " + lambda);
        }
        return new Objective(lambda, labelSmoothing, classWeights);
    }

    /**
     * With label smoothing ε: the target puts 1 − ε + ε/k on the label and ε/k on every other
     * class.
     *
     * @param epsilon ε, in [0, 1]
     * @return a new objective with this setting and the others unchanged
     * @throws IllegalArgumentException unless 0 &le; ε &le; 1
     */
    public Objective withLabelSmoothing(double epsilon) {
        if (!(epsilon >= 0 && epsilon <= 1)) {
            throw new IllegalArgumentException("labelSmoothing must be in [0, 1], got " + epsilon);
        }
        return new Objective(l2, epsilon, classWeights);
    }

    /**
     * With one weight per class (copied), or {@code null} for unit weights. The loss is then the
     * weighted mean, normalised by the sum of the weights of the labelled rows (as PyTorch's
     * {@code CrossEntropyLoss(weight=...)} does).
     *
     * @param weights one finite weight &ge; 0 per class, or null
     * @return a new objective with this setting and the others unchanged
     * @throws IllegalArgumentException if a weight is negative or not finite
     */
    public Objective withClassWeights(double... weights) {
        if (weights == null) return new Objective(l2, labelSmoothing, null);
        for (int j = 0; j < weights.length; j++) {
            if (!(weights[j] >= 0) || Double.isInfinite(weights[j])) {
                throw new IllegalArgumentException(
                        "classWeights[" + j + "] must be finite and >= 0, got " + weights[j]);
            }
        }
        return new Objective(l2, labelSmoothing, weights.clone());
    }

    /**
     * λ of the L2 penalty (λ/2)‖W‖².
     *
     * @return λ
     */
    public double l2() {
        return l2;
    }

    /**
     * ε of label smoothing.
     *
     * @return ε
     */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * A copy of the class weights, or null for unit weights.
     *
     * @return a copy of the weights, or null
     */
    public double[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    /** The weights without a copy, for the package. */
    double[] classWeightsRaw() {
        return classWeights;
    }

    /**
     * 1/S for these rows (S the sum of the weights of their labels), or 0 for no rows.
     *
     * @throws IllegalArgumentException if the class weights do not match the classes, or the
     *     labelled rows all have weight 0
     */
    double scale(int rows, int[] labels, int labelsOffset, int classes) {
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException("classWeights must hold one weight per class ("
                    + classes + "), got " + classWeights.length);
        }
        if (rows == 0) return 0;
        if (classWeights == null) return 1.0 / rows;
        double s = 0;
        for (int r = 0; r < rows; r++) s += classWeights[labels[labelsOffset + r]];
        if (!(s > 0)) throw new IllegalArgumentException("the class weights of the labelled rows sum to 0");
        return 1.0 / s;
    }

    @Override
    public String toString() {
        return "Objective[l2=" + l2 + ", labelSmoothing=" + labelSmoothing + ", classWeights="
                + Arrays.toString(classWeights) + "]";
    }
}
