package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The double-double exp and log1p that {@link HighPrecisionReference} is built on, against
 * BigDecimal evaluations with 80 significant digits: both must be within 1e-28 relative, so that
 * the reference is exact for the purpose of measuring kernels in units of 2⁻⁵³.
 */
class HighPrecisionTest {
    private static final MathContext MC = new MathContext(80);
    private static final double BOUND = 1e-28;

    static BigDecimal bd(DoubleDouble d) {
        return new BigDecimal(d.hi()).add(new BigDecimal(d.lo()));
    }

    /** e^x: e^{x/2^20} by its Taylor series, squared 20 times (80 digits leave ~70 after). */
    static BigDecimal exp(BigDecimal x) {
        BigDecimal r = x.divide(BigDecimal.valueOf(1L << 20), MC);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int i = 1; i < 40; i++) {
            term = term.multiply(r, MC).divide(BigDecimal.valueOf(i), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < 20; i++) sum = sum.multiply(sum, MC);
        return sum;
    }

    /** log(1 + t): Newton on e^y = 1 + t from the double estimate. */
    static BigDecimal log1p(BigDecimal t) {
        BigDecimal s = BigDecimal.ONE.add(t, MC);
        BigDecimal y = new BigDecimal(Math.log1p(t.doubleValue()));
        for (int i = 0; i < 4; i++) y = y.add(s.multiply(exp(y.negate()), MC), MC).subtract(BigDecimal.ONE, MC);
        return y;
    }

    private static double relErr(DoubleDouble got, BigDecimal exact) {
        if (exact.signum() == 0) return bd(got).abs().doubleValue();
        return bd(got).subtract(exact, MC).abs().divide(exact.abs(), MC).doubleValue();
    }

    @Test
    void expIsAccurateToTheLastDoubleDoubleBits() {
        Random r = new Random(1);
        double worst = 0;
        for (int i = 0; i < 300; i++) {
            // z as the reference forms it: a double-double a·(x − m) ≤ 0, over the whole range.
            double hi = -Math.exp(r.nextDouble() * 17 - 10) * (i % 7 == 0 ? 1 : r.nextDouble());
            if (hi < -740) hi = -740 * r.nextDouble();
            DoubleDouble z = DoubleDouble.twoSum(hi, hi * 0x1p-60 * r.nextGaussian());
            worst = Math.max(worst, relErr(DoubleDouble.exp(z), exp(bd(z))));
        }
        double w = worst;
        assertTrue(worst < BOUND, () -> "exp relative error " + w);
    }

    @Test
    void log1pIsAccurateToTheLastDoubleDoubleBits() {
        Random r = new Random(2);
        double worst = 0;
        for (int i = 0; i < 300; i++) {
            double hi = Math.exp(r.nextDouble() * 80 - 70); // 4e-31 .. 2e4
            DoubleDouble t = DoubleDouble.twoSum(hi, hi * 0x1p-60 * r.nextGaussian());
            worst = Math.max(worst, relErr(DoubleDouble.log1p(t), log1p(bd(t))));
        }
        double w = worst;
        assertTrue(worst < BOUND, () -> "log1p relative error " + w);
    }
}
