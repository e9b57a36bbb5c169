package org.softmax4j.spark;

import java.io.Serializable;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * The log-sum-exp of a numeric column over rows, LSE = log Σ_r exp(x_r/τ), as a typed
 * {@link Aggregator}: register it with {@code functions.udaf(new LogSumExpAggregator(τ),
 * Encoders.DOUBLE())} (or use {@link SoftmaxFunctions#logSumExpAgg}, SQL {@code logsumexp_agg}).
 *
 * <h2>The monoid</h2>
 * A partial result is the pair (m, r): m the largest value seen, r = Σ_{j≠argmax} exp(a(x_j − m))
 * with a = 1/τ, the sum of all other terms relative to the largest (kept with Neumaier's
 * compensation). Adding a value, or merging two partials, rescales the smaller side by
 * exp(a(m_i − m)), so every term stays ≤ 1 and nothing overflows; the result is
 * a·m + log1p(r), the most accurate form (Blanchard, Higham and Higham 2021), as in the core.
 * The empty partial (m = −∞, r = 0) is the identity, so empty partitions change nothing.
 *
 * <h2>Edge cases, as the core's log-sum-exp</h2>
 * <table class="striped">
 *   <caption>Results</caption>
 *   <tr><td>no rows (or only nulls)</td><td>−∞</td></tr>
 *   <tr><td>all −∞</td><td>−∞</td></tr>
 *   <tr><td>any +∞ (and no NaN)</td><td>+∞</td></tr>
 *   <tr><td>any NaN</td><td>NaN</td></tr>
 *   <tr><td>−∞ among finite values</td><td>as without it</td></tr>
 * </table>
 * Null values are skipped, as SQL aggregates skip them.
 */
public final class LogSumExpAggregator extends Aggregator<Double, LogSumExpAggregator.State, Double> {
    private static final long serialVersionUID = 1L;

    private final double temperature;
    private final double a;

    /** At temperature 1. */
    public LogSumExpAggregator() {
        this(1.0);
    }

    /**
     * At temperature τ.
     *
     * @throws IllegalArgumentException unless τ is finite and &gt; 0
     */
    public LogSumExpAggregator(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        this.temperature = temperature;
        this.a = 1 / temperature;
    }

    public double temperature() {
        return temperature;
    }

    /** A partial result (a Java bean, for {@link Encoders#bean}); mutable, owned by the aggregation. */
    public static final class State implements Serializable {
        private static final long serialVersionUID = 1L;
        private double max = Double.NEGATIVE_INFINITY;
        private double rest;
        private double compensation;
        private boolean positiveInfinity;

        public double getMax() {
            return max;
        }

        public void setMax(double max) {
            this.max = max;
        }

        public double getRest() {
            return rest;
        }

        public void setRest(double rest) {
            this.rest = rest;
        }

        public double getCompensation() {
            return compensation;
        }

        public void setCompensation(double compensation) {
            this.compensation = compensation;
        }

        public boolean isPositiveInfinity() {
            return positiveInfinity;
        }

        public void setPositiveInfinity(boolean positiveInfinity) {
            this.positiveInfinity = positiveInfinity;
        }

        /** Neumaier's compensated r += v. */
        void add(double v) {
            double t = rest + v;
            compensation += Math.abs(rest) >= Math.abs(v) ? (rest - t) + v : (v - t) + rest;
            rest = t;
        }

        void scale(double s) {
            rest *= s;
            compensation *= s;
        }
    }

    @Override
    public State zero() {
        return new State();
    }

    @Override
    public State reduce(State s, Double value) {
        if (value == null) return s;
        double x = value;
        if (Double.isNaN(x) || Double.isNaN(s.max)) {
            s.max = Double.NaN;
        } else if (x == Double.POSITIVE_INFINITY) {
            s.positiveInfinity = true;
        } else if (x > s.max) { // the old largest term (1) and the rest scale by exp(a(m − x))
            double f = exp(s.max, x);
            s.scale(f);
            s.add(f);
            s.max = x;
        } else if (x != Double.NEGATIVE_INFINITY) {
            s.add(exp(x, s.max));
        }
        return s;
    }

    @Override
    public State merge(State s, State t) {
        s.positiveInfinity |= t.positiveInfinity;
        if (Double.isNaN(s.max) || Double.isNaN(t.max)) {
            s.max = Double.NaN;
        } else if (t.max == Double.NEGATIVE_INFINITY) {
            return s; // t is empty or all −∞: the identity
        } else if (s.max == Double.NEGATIVE_INFINITY) {
            s.max = t.max;
            s.rest = t.rest;
            s.compensation = t.compensation;
        } else if (s.max >= t.max) {
            double f = exp(t.max, s.max);
            s.add(f * (t.rest + t.compensation));
            s.add(f);
        } else {
            double f = exp(s.max, t.max);
            s.scale(f);
            s.add(f);
            s.add(t.rest);
            s.add(t.compensation);
            s.max = t.max;
        }
        return s;
    }

    @Override
    public Double finish(State s) {
        if (Double.isNaN(s.max)) return Double.NaN;
        if (s.positiveInfinity) return Double.POSITIVE_INFINITY;
        if (s.max == Double.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        return a * s.max + Math.log1p(s.rest + s.compensation);
    }

    /** exp(a(x − m)) for x ≤ m, with a·x − a·m where x − m overflows (values of both signs near the largest). */
    private double exp(double x, double m) {
        if (x == Double.NEGATIVE_INFINITY) return 0; // the empty side of a first value
        double d = x - m;
        return Math.exp(Double.isInfinite(d) ? a * x - a * m : a * d);
    }

    @Override
    public Encoder<State> bufferEncoder() {
        return Encoders.bean(State.class);
    }

    @Override
    public Encoder<Double> outputEncoder() {
        return Encoders.DOUBLE();
    }
}
