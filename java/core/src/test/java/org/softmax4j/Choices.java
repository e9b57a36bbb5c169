package org.softmax4j;

import java.util.Random;
import java.util.random.RandomGenerator;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Where a boundary case draws its decisions from: Jazzer's {@link FuzzedDataProvider} when
 * fuzzing (or replaying its corpus), a seeded {@link Random} for the sweep that CI runs. The case
 * generator sees only this interface, so both explore the same space with the same oracle.
 */
interface Choices {
    /** An int in [lo, hi]. */
    int between(int lo, int hi);

    /** An ordinary value, roughly standard normal. */
    double ordinary();

    /**
     * True with the given probability in percent. False when a fuzzer's data has run out (it then
     * gives the low end of every range), so that short inputs make ordinary, valid calls.
     */
    default boolean chance(int percent) {
        return between(1, 100) > 100 - percent;
    }

    default double pick(double... options) {
        return options[between(0, options.length - 1)];
    }

    default int pick(int... options) {
        return options[between(0, options.length - 1)];
    }

    static Choices of(FuzzedDataProvider d) {
        return new Choices() {
            public int between(int lo, int hi) {
                return d.consumeInt(lo, hi);
            }

            public double ordinary() {
                return d.consumeRegularDouble(-4, 4);
            }
        };
    }

    /**
     * A seeded generator: {@link Random} (its own Gaussian, as the boundary sweep has always
     * drawn) or a faster one such as {@link java.util.SplittableRandom}.
     */
    static Choices of(RandomGenerator r) {
        return new Choices() {
            public int between(int lo, int hi) {
                return lo + (int) Math.floorMod(r.nextLong(), (long) hi - lo + 1);
            }

            public double ordinary() {
                return r.nextGaussian();
            }
        };
    }
}
