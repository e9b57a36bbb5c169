package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.softmax4j.TestSupport.rejects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The sampler: the same tokens on both backends, any thread count and repeated calls; the kept
 * sets against a sort-based reference written here from the specification (the table);
 * the draw's frequencies against the renormalised kept distribution (chi-square, fixed seeds);
 * greedy against the arg-max; special rows; validation; log-probabilities.
 */
class SamplerTest {

    private static boolean nativeLoads() {
        return Softmax.nativeUnavailableCause().isEmpty();
    }

    /** Parameter sets covering every stage alone and together. */
    private static List<Sampler> samplers(int v) {
        List<Sampler> list = new ArrayList<>();
        list.add(Sampler.builder(v).greedy().build());
        list.add(Sampler.builder(v).seed(1).build());
        list.add(Sampler.builder(v).temperature(0.8).topK(50).seed(2).build());
        list.add(Sampler.builder(v).temperature(0.8).topP(0.9).seed(3).build());
        list.add(Sampler.builder(v).temperature(0.8).minP(0.05).seed(4).build());
        list.add(Sampler.builder(v).temperature(1.3).topK(40).topP(0.7).minP(0.02).seed(-5).build());
        list.add(Sampler.builder(v).temperature(0.7).topK(1).seed(6).build());
        list.add(Sampler.builder(v).temperature(Double.POSITIVE_INFINITY).topK(10).seed(7).build());
        if (v >= 5) {
            list.add(Sampler.builder(v).temperature(0.9).topP(0.95).repetitionPenalty(1.3).presencePenalty(0.4)
                    .frequencyPenalty(0.2).logitBias(3, 2.5).logitBias(v - 1, Double.NEGATIVE_INFINITY).seed(8).build());
        }
        list.add(Sampler.builder(v).temperature(0.5).topP(0.5).repetitionPenalty(0.8).seed(Long.MIN_VALUE).build());
        return list;
    }

    private static double[] logits(Random rnd, int rows, int v, boolean ties) {
        double[] x = new double[rows * v];
        for (int i = 0; i < x.length; i++) {
            double g = rnd.nextGaussian() * 3;
            x[i] = ties ? Math.round(g) : g;  // tie-heavy: a few integer levels
        }
        return x;
    }

    private static int[] history(Random rnd, int rows, int h, int v) {
        int[] hist = new int[rows * h];
        for (int i = 0; i < hist.length; i++) hist[i] = rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(Math.min(v, 64));
        return hist;
    }

    private static int[] sample(Softmax s, Sampler sampler, double[] x, boolean f32, int rows, int[] hist, int h,
            long step) {
        int v = sampler.vocabularySize();
        Batch logits = f32 ? Batch.of(TestSupport.toFloat(x), rows, v) : Batch.of(x, rows, v);
        int[] tokens = new int[rows];
        sampler.on(s).sample(logits, hist == null ? null : Batch.of(hist, rows, h), step, Batch.of(tokens, rows, 1));
        return tokens;
    }

    @Test
    void nativeAndJavaDrawTheSameTokensAtAnyThreadCount() {
        assumeTrue(nativeLoads(), "native backend unavailable");
        Softmax nat = Softmax.nativeBackend();
        Random rnd = new Random(11);
        int before = nat.threads();
        try {
            for (int v : new int[] {1, 7, 1000, 128_256}) {
                int rows = v > 10_000 ? 3 : 40;
                for (boolean ties : new boolean[] {false, true}) {
                    double[] x = logits(rnd, rows, v, ties);
                    int h = 6;
                    int[] hist = history(rnd, rows, h, v);
                    for (Sampler sampler : samplers(v)) {
                        for (boolean f32 : new boolean[] {true, false}) {
                            long step = rnd.nextInt(1000);
                            int[] java = sample(Softmax.java(), sampler, x, f32, rows, hist, h, step);
                            nat.setThreads(1);
                            int[] one = sample(nat, sampler, x, f32, rows, hist, h, step);
                            nat.setThreads(2);
                            int[] two = sample(nat, sampler, x, f32, rows, hist, h, step);
                            int[] again = sample(nat, sampler, x, f32, rows, hist, h, step);
                            String what = sampler + " v=" + v + " ties=" + ties + " f32=" + f32;
                            assertArrayEquals(java, one, "native (1 thread) = java: " + what);
                            assertArrayEquals(one, two, "2 threads = 1 thread: " + what);
                            assertArrayEquals(two, again, "repeated: " + what);
                            for (int t : java) assertTrue(t >= 0 && t < v, "token in range: " + what);
                        }
                    }
                }
            }
        } finally {
            nat.setThreads(before);
        }
    }

    @Test
    void anotherStepOrSeedDrawsAnotherSequence() {
        for (Softmax s : TestSupport.availableBackends()) {
            Sampler sampler = Sampler.builder(1000).seed(9).build();
            double[] x = new double[100 * 1000];  // uniform rows: every token equally likely
            int[] a = sample(s, sampler, x, true, 100, null, 0, 0);
            int[] b = sample(s, sampler, x, true, 100, null, 0, 1);
            int[] c = sample(s, sampler.withSeed(10), x, true, 100, null, 0, 0);
            assertNotEquals(Arrays.toString(a), Arrays.toString(b), s.toString());
            assertNotEquals(Arrays.toString(a), Arrays.toString(c), s.toString());
            assertTrue(Arrays.stream(a).distinct().count() > 90, "rows are independent draws: " + s);
        }
    }

    // ---------------------------------------------------------------- the specification, by brute force

    /** The kept set of one row by the table, with sorting, in double (T > 0). */
    static BitSet keptReference(double[] raw, Sampler sp, int[] hist) {
        int n = raw.length;
        double[] l = raw.clone();
        if (hist != null) {
            int[] count = new int[n];
            for (int id : hist) if (id >= 0) count[id]++;
            for (int i = 0; i < n; i++) {
                if (count[i] == 0) continue;
                l[i] = l[i] > 0 ? l[i] / sp.repetitionPenalty() : l[i] * sp.repetitionPenalty();
                l[i] -= sp.frequencyPenalty() * count[i] + sp.presencePenalty();
            }
        }
        sp.logitBias().forEach((id, b) -> l[id] += b);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) z[i] = l[i] / sp.temperature();
        BitSet kept = new BitSet();
        kept.set(0, n);
        if (sp.topK() > 0 && sp.topK() < n) {
            double[] sorted = l.clone();
            Arrays.sort(sorted);
            double kth = sorted[n - sp.topK()];
            for (int i = 0; i < n; i++) if (l[i] < kth) kept.clear(i);
        }
        double max = kept.stream().mapToDouble(i -> z[i]).max().getAsDouble();
        double[] p = new double[n];
        double sum = 0;
        for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) sum += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < n; i++) p[i] /= sum;
        if (sp.topP() < 1) {
            Integer[] order = kept.stream().boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            double acc = 0, t = 0;
            for (int i : order) {
                acc += p[i];
                if (acc >= sp.topP()) {
                    t = p[i];
                    break;
                }
            }
            for (int i = 0; i < n; i++) if (p[i] < t) kept.clear(i);
        }
        if (sp.minP() > 0) {
            double pmax = kept.stream().mapToDouble(i -> p[i]).max().getAsDouble();
            for (int i = 0; i < n; i++) if (p[i] < sp.minP() * pmax) kept.clear(i);
        }
        return kept;
    }

    /** Draws many tokens from one row: every one must be in the reference's kept set. */
    @Test
    void everyDrawIsInTheKeptSetOfTheReference() {
        Random rnd = new Random(12);
        int v = 300, draws = 400;
        for (Softmax s : TestSupport.availableBackends()) {
            for (boolean ties : new boolean[] {false, true}) {
                for (int trial = 0; trial < 4; trial++) {
                    double[] row = logits(rnd, 1, v, ties);
                    int[] hist = history(rnd, 1, 8, v);
                    for (Sampler sampler : samplers(v)) {
                        if (sampler.temperature() == 0 || Double.isInfinite(sampler.temperature())) continue;
                        BitSet kept = keptReference(row, sampler, hist);
                        double[] x = new double[draws * v];
                        int[] hs = new int[draws * 8];
                        for (int r = 0; r < draws; r++) {
                            System.arraycopy(row, 0, x, r * v, v);
                            System.arraycopy(hist, 0, hs, r * 8, 8);
                        }
                        int[] tokens = sample(s, sampler, x, false, draws, hs, 8, trial);
                        BitSet seen = new BitSet();
                        for (int t : tokens) {
                            assertTrue(kept.get(t), () -> "token " + t + " outside the kept set " + kept + ": "
                                    + sampler + " ties=" + ties + " on " + s);
                            seen.set(t);
                        }
                        if (kept.cardinality() == 1) assertEquals(kept, seen, sampler.toString());
                    }
                }
            }
        }
    }

    /**
     * 10^5 draws (one call, one row each: independent streams) match the renormalised kept
     * distribution: chi-square below its 1 − 10^−6 quantile (Wilson–Hilferty), deterministic for
     * the fixed seed; and no draw outside the kept set.
     */
    @Test
    void frequenciesMatchTheKeptDistribution() {
        double[] row = {2.0, 1.5, 1.4, 0.3, 0.0, -0.5, -1.0, -3.0, -8.0, 1.0};
        int v = row.length, draws = 100_000;
        double[] x = new double[draws * v];
        for (int r = 0; r < draws; r++) System.arraycopy(row, 0, x, r * v, v);
        Sampler[] samplers = {Sampler.builder(v).temperature(0.9).seed(21).build(),
                Sampler.builder(v).temperature(1.2).topK(6).seed(22).build(),
                Sampler.builder(v).temperature(0.8).topP(0.8).seed(23).build(),
                Sampler.builder(v).minP(0.1).seed(24).build()};
        for (Softmax s : TestSupport.availableBackends()) {
            for (Sampler sampler : samplers) {
                BitSet kept = keptReference(row, sampler, null);
                int[] tokens = sample(s, sampler, x, true, draws, null, 0, 3);
                long[] count = new long[v];
                for (int t : tokens) {
                    assertTrue(kept.get(t), "draw outside the kept set: " + sampler);
                    count[t]++;
                }
                double z = 0;
                double[] p = new double[v];
                for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                    p[i] = Math.exp((float) row[i] / sampler.temperature());
                    z += p[i];
                }
                double chi2 = 0;
                for (int i = kept.nextSetBit(0); i >= 0; i = kept.nextSetBit(i + 1)) {
                    double e = draws * p[i] / z;
                    chi2 += (count[i] - e) * (count[i] - e) / e;
                }
                int df = kept.cardinality() - 1;
                double zq = 4.753;  // the standard normal's 1 − 10^−6 quantile
                double c = 2.0 / (9 * df);
                double limit = df * Math.pow(1 - c + zq * Math.sqrt(c), 3);
                double chi = chi2;
                assertTrue(chi2 < limit, () -> "chi-square " + chi + " >= " + limit + " (df " + df + "): " + sampler
                        + " on " + s + " counts " + Arrays.toString(count));
            }
        }
    }

    @Test
    void greedyIsTheArgMaxWithTiesToTheLowestId() {
        Random rnd = new Random(13);
        for (Softmax s : TestSupport.availableBackends()) {
            for (boolean ties : new boolean[] {false, true}) {
                int rows = 50, v = 777;
                double[] x = logits(rnd, rows, v, ties);
                int[] tokens = sample(s, Sampler.builder(v).greedy().build(), x, false, rows, null, 0, 0);
                for (int r = 0; r < rows; r++) {
                    int best = 0;
                    for (int i = 1; i < v; i++) if (x[r * v + i] > x[r * v + best]) best = i;
                    assertEquals(best, tokens[r], "row " + r + " on " + s);
                }
            }
        }
    }

    @Test
    void specialRowsGiveMinusOne() {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        double[][] rows = {{1, nan, 2}, {1, inf, 2}, {-inf, -inf, -inf}, {0, 1, 2}};
        double[] x = Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
        for (Softmax s : TestSupport.availableBackends()) {
            for (Sampler sampler : new Sampler[] {Sampler.builder(3).build(), Sampler.builder(3).greedy().build(),
                    Sampler.builder(3).topP(0.5).topK(2).build()}) {
                for (boolean f32 : new boolean[] {true, false}) {
                    int[] t = sample(s, sampler, x, f32, 4, null, 0, 0);
                    assertArrayEquals(new int[] {-1, -1, -1}, Arrays.copyOf(t, 3), sampler + " f32=" + f32 + " on " + s + ": " + Arrays.toString(t));
                    assertTrue(t[3] >= 0 && t[3] < 3);
                }
            }
            // Every token banned by the bias; a penalty that overflows to +inf.
            Sampler banned = Sampler.builder(2).logitBias(0, -inf).logitBias(1, -inf).build();
            assertArrayEquals(new int[] {-1}, sample(s, banned, new double[] {1, 2}, false, 1, null, 0, 0));
            Sampler overflow = Sampler.builder(2).repetitionPenalty(1e-300).build();
            assertArrayEquals(new int[] {-1},
                    sample(s, overflow, new double[] {1e300, 2}, false, 1, new int[] {0}, 1, 0));
            // Greedy skips a banned maximum.
            Sampler skip = Sampler.builder(3).greedy().logitBias(2, -inf).build();
            assertArrayEquals(new int[] {1}, sample(s, skip, new double[] {0, 1, 5}, true, 1, null, 0, 0));
        }
    }

    @Test
    void badParametersFailAtBuildTimeNamingThem() {
        rejects(IllegalArgumentException.class, "temperature", () -> Sampler.builder(5).temperature(-1));
        rejects(IllegalArgumentException.class, "temperature", () -> Sampler.builder(5).temperature(Double.NaN));
        rejects(IllegalArgumentException.class, "topK", () -> Sampler.builder(5).topK(-1));
        rejects(IllegalArgumentException.class, "topP", () -> Sampler.builder(5).topP(0));
        rejects(IllegalArgumentException.class, "topP", () -> Sampler.builder(5).topP(1.01));
        rejects(IllegalArgumentException.class, "minP", () -> Sampler.builder(5).minP(-0.1));
        rejects(IllegalArgumentException.class, "minP", () -> Sampler.builder(5).minP(Double.NaN));
        rejects(IllegalArgumentException.class, "repetitionPenalty", () -> Sampler.builder(5).repetitionPenalty(0));
        rejects(IllegalArgumentException.class, "presencePenalty",
                () -> Sampler.builder(5).presencePenalty(Double.POSITIVE_INFINITY));
        rejects(IllegalArgumentException.class, "frequencyPenalty", () -> Sampler.builder(5).frequencyPenalty(Double.NaN));
        rejects(IllegalArgumentException.class, "logitBias", () -> Sampler.builder(5).logitBias(5, 1));
        rejects(IllegalArgumentException.class, "logitBias", () -> Sampler.builder(5).logitBias(-1, 1));
        rejects(IllegalArgumentException.class, "logitBias", () -> Sampler.builder(5).logitBias(1, Double.NaN));
        rejects(IllegalArgumentException.class, "vocabularySize", () -> Sampler.builder(0));
    }

    @Test
    void badCallsAreRejectedBeforeAnyKernelRuns() {
        Sampler sampler = Sampler.builder(4).build();
        float[] x = new float[8];
        for (Softmax s : TestSupport.availableBackends()) {
            int[] tokens = {42, 42};
            Batch out = Batch.of(tokens, 2, 1);
            rejects(IllegalArgumentException.class, "history", () -> sampler.on(s).sample(Batch.of(x, 2, 4),
                    Batch.of(new int[] {0, 4}, 2, 1), 0, out));
            rejects(IllegalArgumentException.class, "history", () -> sampler.on(s).sample(Batch.of(x, 2, 4),
                    Batch.of(new int[] {0, -2}, 2, 1), 0, out));
            rejects(IllegalArgumentException.class, "history", () -> sampler.on(s).sample(Batch.of(x, 2, 4),
                    Batch.of(new int[] {0, 1, 2}, 3, 1), 0, out));
            rejects(IllegalArgumentException.class, "logits", () -> sampler.on(s).sample(Batch.of(x, 1, 8), null, 0, out));
            rejects(IllegalArgumentException.class, "step", () -> sampler.on(s).sample(Batch.of(x, 2, 4), null, -1, out));
            rejects(IllegalArgumentException.class, "step",
                    () -> sampler.on(s).sample(Batch.of(x, 2, 4), null, 1L << 53, out));
            rejects(IllegalArgumentException.class, "tokens",
                    () -> sampler.on(s).sample(Batch.of(x, 2, 4), null, 0, Batch.of(new float[2], 2, 1)));
            rejects(IllegalArgumentException.class, "tokens",
                    () -> sampler.on(s).sample(Batch.of(x, 2, 4), null, 0, Batch.of(tokens, 1, 1)));
            rejects(NullPointerException.class, "tokens", () -> sampler.on(s).sample(Batch.of(x, 2, 4), null, 0, null));
            rejects(NullPointerException.class, "logits", () -> sampler.on(s).sample(null, null, 0, out));
            rejects(IllegalArgumentException.class, "logits", () -> sampler.on(s).topLogprobs(Batch.of(x, 1, 8),
                    Batch.of(new int[1], 1, 1), Batch.of(new int[1], 1, 1), Batch.of(new float[2], 1, 2)));
            assertArrayEquals(new int[] {42, 42}, tokens, "nothing written by a rejected call");
        }
    }

    @Test
    void aSamplerIsBoundToItsBackend() {
        Sampler sampler = Sampler.builder(4).seed(3).build();
        assertSame(Softmax.get(), sampler.backend(), "built on the best backend");
        Sampler onJava = sampler.on(Softmax.java());
        assertSame(Softmax.java(), onJava.backend());
        assertSame(Softmax.java(), onJava.withSeed(9).backend(), "withSeed keeps the backend");
        assertEquals(3, onJava.seed());
        rejects(NullPointerException.class, "backend", () -> sampler.on(null));
    }

    @Test
    void logprobsAreUnderTheRawLogSoftmax() {
        double[] x = {1, 3, 3, -2, 0.5, Double.NaN, 0, 0, 0, 0};
        for (Softmax s : TestSupport.availableBackends()) {
            for (boolean f32 : new boolean[] {true, false}) {
                Sampler sampler = Sampler.builder(5).greedy().logitBias(3, 10).build();
                Batch logits = f32 ? Batch.of(TestSupport.toFloat(x), 2, 5) : Batch.of(x, 2, 5);
                int[] tokens = new int[2];
                sampler.on(s).sample(logits, null, 0, Batch.of(tokens, 2, 1));
                assertArrayEquals(new int[] {3, -1}, tokens, "the bias decides the token; NaN row -1");
                int[] ids = new int[6];
                double[] lp = new double[8];
                float[] lpf = new float[8];
                sampler.on(s).topLogprobs(logits, Batch.of(tokens, 2, 1), Batch.of(ids, 2, 3),
                        f32 ? Batch.of(lpf, 2, 4) : Batch.of(lp, 2, 4));
                if (f32) lp = TestSupport.toDouble(lpf);
                double lse = Math.log(Math.exp(1) + 2 * Math.exp(3) + Math.exp(-2) + Math.exp(0.5));
                double tol = f32 ? 1e-6 : 1e-14;
                assertEquals(-2 - lse, lp[0], tol, "the token's, raw");
                assertArrayEquals(new int[] {1, 2, 0, -1, -1, -1}, ids, "by log-probability, ties to the lower id");
                assertEquals(3 - lse, lp[1], tol);
                assertEquals(3 - lse, lp[2], tol);
                assertEquals(1 - lse, lp[3], tol);
                for (int i = 4; i < 8; i++) assertTrue(Double.isNaN(lp[i]), "NaN row");
            }
        }
    }

    /**
     * The top ids of topLogprobs on both backends against a sort of the whole row written here
     * (by value, descending; equal values, −0 and +0 included, by id), on rows with heavy ties,
     * −0/+0 and −∞, for k from 1 to the whole row; and their log-probabilities against
     * x_id − LSE(x) in double.
     */
    @Test
    void topIdsAreTheSortedRowOnBothBackends() {
        Random rnd = new Random(2026_12_01L);
        for (int n : new int[] {1, 2, 7, 33, 100, 1000, 5000}) {
            for (boolean ties : new boolean[] {false, true}) {
                double[] x = logits(rnd, 2, n, ties);
                for (int i = 0; i < x.length; i++) {
                    int r = rnd.nextInt(20);
                    if (r == 0) x[i] = Double.NEGATIVE_INFINITY;
                    if (r == 1) x[i] = rnd.nextBoolean() ? 0.0 : -0.0;
                }
                x[n] = 1e300;  // a second row whose LSE is finite but whose other terms vanish
                for (int k : new int[] {1, 3, n / 2, n - 1, n}) {
                    if (k < 1 || k > n) continue;
                    List<Integer> expected = new ArrayList<>();
                    double[] lse = new double[2];
                    for (int r = 0; r < 2; r++) {
                        double[] row = Arrays.copyOfRange(x, r * n, (r + 1) * n);
                        Integer[] order = new Integer[n];
                        for (int i = 0; i < n; i++) order[i] = i;
                        Arrays.sort(order, (a, b) -> row[a] != row[b] ? Double.compare(row[b], row[a]) : Integer.compare(a, b));
                        for (int i = 0; i < k; i++) expected.add(order[i]);
                        double m = Arrays.stream(row).max().getAsDouble();
                        double sum = 0;
                        for (double v : row) sum += Math.exp(v - m);
                        lse[r] = m + Math.log(sum);
                    }
                    for (Softmax s : TestSupport.availableBackends()) {
                        int[] ids = new int[2 * k];
                        double[] lp = new double[2 * (k + 1)];
                        Sampler.builder(n).build().on(s).topLogprobs(Batch.of(x, 2, n), Batch.of(new int[] {0, -1}, 2, 1),
                                Batch.of(ids, 2, k), Batch.of(lp, 2, k + 1));
                        String where = s + " n=" + n + " k=" + k + " ties=" + ties;
                        for (int r = 0; r < 2; r++) {
                            for (int i = 0; i < k; i++) {
                                int id = expected.get(r * k + i);
                                assertEquals(id, ids[r * k + i], where + " row " + r + " rank " + i);
                                double want = x[r * n + id] - lse[r];
                                assertEquals(want, lp[r * (k + 1) + 1 + i], 1e-13 * (1 + Math.abs(want)), where);
                            }
                        }
                    }
                }
            }
        }
    }
}
