package org.softmax4j;

import org.softmax4j.backend.Checks;

/**
 * Which logits to return when inverting a softmax. Softmax forgets a constant:
 * S(x + c·1) = S(x), so p = S(αx) determines αx only up to c, and
 * αx = log p + c·1 (docs/mathematics.md, property 2). A gauge fixes c:
 *
 * <ul>
 *   <li>{@link #zeroMean()}: mean(αx) = 0, i.e. αx = log p − mean(log p). Needs every p_j &gt; 0.
 *   <li>{@link #pinned(int) pinned(k)}: x_k = 0, i.e. αx = log p − log p_k. Needs p_k &gt; 0.
 *   <li>{@link #logSumExp(double) logSumExp(L)}: LSE(αx) = L, i.e. αx = log p − log Σp + L.
 *       Zero probabilities are allowed (their logits are −∞ for α &gt; 0).
 * </ul>
 */
public sealed interface Gauge {

    /**
     * mean(αx) = 0.
     *
     * @return the zero-mean gauge
     */
    static Gauge zeroMean() {
        return ZeroMean.INSTANCE;
    }

    /**
     * x_k = 0 for the pinned index k, which must be &lt; n where the gauge is used.
     *
     * @param index k, &ge; 0
     * @return the gauge
     * @throws IllegalArgumentException if index is negative
     */
    static Gauge pinned(int index) {
        return new Pinned(index);
    }

    /**
     * LSE(αx) = value, the log-sum-exp the logits should have (0 gives log-probabilities when α = 1).
     *
     * @param value the log-sum-exp, finite
     * @return the gauge
     * @throws IllegalArgumentException if value is not finite
     */
    static Gauge logSumExp(double value) {
        return new LogSumExp(value);
    }

    /** The zero-mean gauge. */
    record ZeroMean() implements Gauge {
        static final ZeroMean INSTANCE = new ZeroMean();
    }

    /**
     * The gauge x_index = 0.
     *
     * @param index the pinned index, &ge; 0
     */
    record Pinned(int index) implements Gauge {
        /**
         * Checks the index.
         *
         * @param index the pinned index, &ge; 0
         * @throws IllegalArgumentException if index is negative
         */
        public Pinned {
            Checks.pinnedIndex(index);
        }
    }

    /**
     * The gauge LSE(αx) = value.
     *
     * @param value the log-sum-exp, finite
     */
    record LogSumExp(double value) implements Gauge {
        /**
         * Checks the value.
         *
         * @param value the log-sum-exp, finite
         * @throws IllegalArgumentException if value is not finite
         */
        public LogSumExp {
            Checks.gaugeValue(value);
        }
    }
}
