package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The Java sampler's two selections (top-k's K-th largest, top-p's weighted threshold), by
 * quickselect, against their definitions stated by sorting, on random, tie-heavy, constant and
 * sorted inputs of lengths around the small-range cut-off (16) and beyond.
 */
class SelectionTest {
    private static final int[] LENGTHS = {1, 2, 15, 16, 17, 33, 100, 1000, 20_000};

    /** The largest v with Σ_{values ≥ v} ≥ need, by sorting. */
    private static long thresholdBySorting(long[] values, long need) {
        long[] v = values.clone();
        Arrays.sort(v);
        long acc = 0;
        for (int i = v.length - 1; i >= 0; i--) {
            acc += v[i];
            if (acc >= need) return v[i];
        }
        throw new AssertionError("need beyond the sum");
    }

    private static long[] weights(Random rnd, int n, int kind) {
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = switch (kind) {
                case 0 -> (long) Math.scalb(rnd.nextDouble(), 40);   // distinct, wide
                case 1 -> rnd.nextInt(4) * 1_000_000L;                 // ties, zeros
                case 2 -> 7;                                            // constant
                default -> (long) i * i;                                // sorted ascending
            };
        }
        return w;
    }

    @Test
    void weightedThresholdIsTheSortedDefinition() {
        Random rnd = new Random(5);
        for (int n : LENGTHS) {
            for (int kind = 0; kind < 4; kind++) {
                long[] w = weights(rnd, n, kind);
                long total = Arrays.stream(w).sum();
                if (total == 0) continue;
                long[] copy = w.clone();
                for (long need : new long[] {1, total / 3 + 1, total / 2, (long) (total * 0.9), total - 1, total}) {
                    if (need < 1) continue;
                    assertEquals(thresholdBySorting(w, need), SampleWeights.weightedThreshold(w, n, need, new long[n + 3]),
                            "n=" + n + " kind=" + kind + " need=" + need);
                }
                assertEquals(Arrays.toString(copy), Arrays.toString(w), "the input is not modified");
            }
        }
    }

    @Test
    void kthLargestIsTheSortedDefinition() {
        Random rnd = new Random(6);
        for (int n : LENGTHS) {
            for (int kind = 0; kind < 4; kind++) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = switch (kind) {
                        case 0 -> rnd.nextGaussian() * 3;
                        case 1 -> rnd.nextInt(5) - 2.0;
                        case 2 -> i % 7 == 0 ? Double.NEGATIVE_INFINITY : 1.5;
                        default -> i;
                    };
                }
                double[] sorted = x.clone();
                Arrays.sort(sorted);
                for (int k : new int[] {1, 2, n / 2 + 1, n - 1, n}) {
                    if (k < 1 || k > n) continue;
                    assertEquals(sorted[n - k], SampleWeights.kthLargest(x, n, k, new double[n + 3]),
                            "n=" + n + " kind=" + kind + " k=" + k);
                }
            }
        }
    }
}
