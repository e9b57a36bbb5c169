package org.softmax4j;

import org.softmax4j.backend.Checks;

/**
 * The sharpness of a softmax: the inverse temperature α by which every operation multiplies its
 * input, S(α·x). A scale is made either from a temperature τ (α = 1/τ) or from α itself; the two
 * are one number, so a call can never be given both.
 *
 * <ul>
 *   <li>{@link #temperature(double) temperature(τ)}: τ finite and &gt; 0, the usual
 *       parameterisation; τ → 0⁺ sharpens towards one-hot, τ → ∞ flattens towards uniform.
 *   <li>{@link #alpha(double) alpha(α)}: any α that is not NaN.
 *       α &gt; 0 is an ordinary softmax at temperature 1/α;
 *       α = 0 gives the uniform distribution 1/n for every finite row (a row holding ±∞ or NaN
 *       is NaN, since 0·∞ has no value; log-softmax −log n, LSE log n);
 *       α &lt; 0 is a <em>softmin</em>: mass concentrates on the smallest entries;
 *       |α| → ∞ tends to one-hot on the maximum (α → +∞) or minimum (α → −∞), 1/m on each of
 *       m tied entries. α = ±∞ is accepted as that limit.
 * </ul>
 * α is rounded to the element type of the data, saturating at its largest finite value (so
 * ±∞ becomes ±{@code Float.MAX_VALUE} for float data, and the differences x_j − max that are not
 * exactly 0 send their terms to 0: the limit). A float α of magnitude below 2⁻¹⁵⁰ rounds to 0.
 *
 * <p>Derivatives are taken with respect to x of the scaled function, so they carry the factor α:
 * ∂S(αx)/∂x = α·(diag(y) − y yᵀ) with y = S(αx). Give the derivative operations the scale the
 * forward pass used.
 *
 * @param alpha the inverse temperature α, not NaN
 */
public record Scale(double alpha) {

    /** α = 1: the plain softmax. */
    public static final Scale ONE = new Scale(1.0);

    /**
     * The scale of inverse temperature α.
     *
     * @param alpha α, any real number or ±∞
     * @throws IllegalArgumentException if alpha is NaN
     */
    public Scale {
        Checks.alpha(alpha);
    }

    /**
     * The scale of inverse temperature α: any real number, or ±∞ for the one-hot limits.
     *
     * @param alpha α
     * @return the scale
     * @throws IllegalArgumentException if alpha is NaN
     */
    public static Scale alpha(double alpha) {
        return new Scale(alpha);
    }

    /**
     * The scale of temperature τ, α = 1/τ.
     *
     * @param temperature τ, finite and &gt; 0
     * @return the scale of α = 1/τ
     * @throws IllegalArgumentException if temperature is not finite and &gt; 0
     */
    public static Scale temperature(double temperature) {
        return new Scale(Checks.inverseTemperature(temperature));
    }
}
