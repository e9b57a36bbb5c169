package org.softmax4j;

/**
 * Double-double arithmetic (a value is hi + lo with |lo| ≤ ulp(hi)/2, about 106 bits): enough
 * to compute softmax, log-softmax and log-sum-exp of rows of 10⁶ elements far more accurately
 * than any double kernel, fast enough to do it in a test.
 *
 * <p>Error bound, as used by {@link HighPrecisionReference}: each operation below has relative
 * error ≤ 2⁻¹⁰⁴·c for a small c (Dekker, Knuth; the products use {@link Math#fma}). {@link #exp}
 * reduces z = k·ln 2 + r with ln 2 to 107 bits, scales r by 2⁻⁸, sums 14 Taylor terms (the
 * truncation is below 10⁻³⁵ for |r| ≤ 0.0014) and squares 8 times, which multiplies the
 * relative error by 2⁸: ≤ 1e-29 relative for |z| ≤ 745. {@link #log1p} uses its series below
 * 1/64 and one Newton step on log from {@link Math#log} above (error ≈ (2⁻⁵³)²): ≤ 1e-29 relative.
 * {@link HighPrecisionTest} checks both against BigDecimal with 60 digits.
 */
record DoubleDouble(double hi, double lo) {
    static final DoubleDouble ZERO = new DoubleDouble(0, 0);
    static final DoubleDouble ONE = new DoubleDouble(1, 0);
    /** ln 2 to 107 bits. */
    static final DoubleDouble LN2 = new DoubleDouble(0.6931471805599453, 2.3190468138462996e-17);

    static DoubleDouble of(double d) {
        return new DoubleDouble(d, 0);
    }

    double value() {
        return hi + lo;
    }

    /** a + b exactly, as a double-double. */
    static DoubleDouble twoSum(double a, double b) {
        double s = a + b;
        double bb = s - a;
        double err = (a - (s - bb)) + (b - bb);
        return new DoubleDouble(s, err);
    }

    /** a · b exactly (barring underflow), as a double-double. */
    static DoubleDouble twoProd(double a, double b) {
        double p = a * b;
        return new DoubleDouble(p, Math.fma(a, b, -p));
    }

    private static DoubleDouble quickTwoSum(double a, double b) {
        double s = a + b;
        return new DoubleDouble(s, b - (s - a));
    }

    DoubleDouble add(DoubleDouble o) {
        DoubleDouble s = twoSum(hi, o.hi);
        DoubleDouble t = twoSum(lo, o.lo);
        DoubleDouble u = quickTwoSum(s.hi, s.lo + t.hi);
        return quickTwoSum(u.hi, u.lo + t.lo);
    }

    DoubleDouble add(double d) {
        DoubleDouble s = twoSum(hi, d);
        return quickTwoSum(s.hi, s.lo + lo);
    }

    DoubleDouble negate() {
        return new DoubleDouble(-hi, -lo);
    }

    DoubleDouble sub(DoubleDouble o) {
        return add(o.negate());
    }

    DoubleDouble mul(DoubleDouble o) {
        DoubleDouble p = twoProd(hi, o.hi);
        return quickTwoSum(p.hi, p.lo + (hi * o.lo + lo * o.hi));
    }

    DoubleDouble mul(double d) {
        DoubleDouble p = twoProd(hi, d);
        return quickTwoSum(p.hi, p.lo + lo * d);
    }

    DoubleDouble div(DoubleDouble o) {
        double q1 = hi / o.hi;
        DoubleDouble r = sub(o.mul(q1));
        double q2 = r.hi / o.hi;
        r = r.sub(o.mul(q2));
        double q3 = r.hi / o.hi;
        return quickTwoSum(q1, q2).add(q3);
    }

    DoubleDouble scalb(int k) {
        return new DoubleDouble(Math.scalb(hi, k), Math.scalb(lo, k));
    }

    /** e^z; 0 below −746 (where e^z rounds to 0 in double anyway), +∞ above 710. */
    static DoubleDouble exp(DoubleDouble z) {
        if (z.hi < -746) return ZERO;
        if (z.hi > 710) return new DoubleDouble(Double.POSITIVE_INFINITY, 0);
        if (z.hi == 0 && z.lo == 0) return ONE;
        int k = (int) Math.rint(z.hi / LN2.hi);
        DoubleDouble r = z.sub(LN2.mul(k)).scalb(-8);
        // Taylor series of e^r − 1, summed from the smallest term.
        DoubleDouble sum = ZERO;
        for (int i = 14; i >= 1; i--) sum = sum.add(ONE).mul(r).mul(INVERSE[i]);
        // (1 + s)^2 − 1 = s (2 + s): squaring in the e^r − 1 form keeps small r accurate.
        for (int i = 0; i < 8; i++) sum = sum.mul(sum.add(2));
        DoubleDouble e = sum.add(1);
        // Scale in two steps so that 2^k alone never overflows or underflows.
        int k1 = k / 2;
        return e.scalb(k1).scalb(k - k1);
    }

    /** 1/i to double-double precision, for the series. */
    private static final DoubleDouble[] INVERSE = new DoubleDouble[21];

    static {
        for (int i = 1; i < INVERSE.length; i++) INVERSE[i] = ONE.div(of(i));
    }

    /** log(1 + t) for t ≥ 0. */
    static DoubleDouble log1p(DoubleDouble t) {
        if (t.hi == 0) return t;
        if (t.hi < 1.0 / 64) return series(t);
        DoubleDouble s = t.add(1);
        DoubleDouble y = of(Math.log(s.hi));
        // Newton on f(y) = e^y − s: y ← y + s·e^{−y} − 1.
        for (int i = 0; i < 2; i++) y = y.add(s.mul(exp(y.negate())).add(-1));
        return y;
    }

    /** t − t²/2 + t³/3 − …, 20 terms by Horner's rule: (1/64)²⁰/21 < 1e-37 relative. */
    private static DoubleDouble series(DoubleDouble t) {
        DoubleDouble p = ZERO;
        for (int i = 20; i >= 1; i--) {
            DoubleDouble c = i % 2 == 0 ? INVERSE[i].negate() : INVERSE[i];
            p = c.add(p.mul(t));
        }
        return p.mul(t);
    }
}
