package org.softmax4j.backend;

/**
 * Test access to {@link Reference}, the independent statement of the mathematics and the edge
 * rules, with an inverse temperature given exactly: the boundary fuzzers use it as their oracle
 * for inverse temperatures the public API can only reach after rounding (e.g. a float kernel's
 * {@code a} rounded to float, or saturated).
 */
public final class ReferenceRows {
    private ReferenceRows() {}

    /** One row of {@code op} on {@code x[0..n)} with inverse temperature {@code a}; one value for LSE. */
    public static double[] row(Op op, double[] x, int n, double a) {
        return switch (op) {
            case SOFTMAX -> {
                double[] y = new double[n];
                Reference.softmax(x, n, a, y);
                yield y;
            }
            case LOG_SOFTMAX -> {
                double[] y = new double[n];
                Reference.logSoftmax(x, n, a, y);
                yield y;
            }
            case LOG_SUM_EXP -> new double[] {Reference.logSumExp(x, n, a)};
            default -> throw new IllegalArgumentException(op + " is not a row operation");
        };
    }

    /**
     * The inverse temperature a kernel of the given element type uses for temperature τ, as the
     * API documents it: 1/τ rounded to the element type, saturating at its largest finite value.
     */
    public static double inverseTemperature(double temperature, boolean f32) {
        double a = 1.0 / temperature;
        if (f32) return Math.max(-Float.MAX_VALUE, Math.min(Float.MAX_VALUE, (float) a));
        return Math.max(-Double.MAX_VALUE, Math.min(Double.MAX_VALUE, a));
    }
}
