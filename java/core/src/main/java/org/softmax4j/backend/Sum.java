package org.softmax4j.backend;

/**
 * A compensated sum (Neumaier's variant of Kahan's): its error does not grow with the number of
 * terms, so the reference stays more accurate than the kernels it judges.
 */
final class Sum {
    private double sum;
    private double carry;

    void add(double term) {
        double t = sum + term;
        carry += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
        sum = t;
    }

    double value() {
        // A NaN or infinite term has made the carry NaN; the plain sum has the IEEE value.
        return Double.isFinite(sum) ? sum + carry : sum;
    }
}
