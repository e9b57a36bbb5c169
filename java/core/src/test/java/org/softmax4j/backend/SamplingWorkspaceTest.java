package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.softmax4j.Batch;
import org.softmax4j.Sampler;
import org.softmax4j.Softmax;
import org.softmax4j.backend.SampleWeights.Precision;

/**
 * The Java sampler's reusable {@link Sampling.Workspace}: a row sampled in a workspace that
 * earlier, longer and differently filtered rows have used gives the token of a fresh workspace,
 * and sampling a row in a reused workspace allocates nothing that grows with the row.
 */
class SamplingWorkspaceTest {
    private static final int N = 50_000;

    private static List<Sampling.Params> samplers() {
        int[] none = new int[0];
        double[] noValues = new double[0];
        return List.of(
                new Sampling.Params(0.8, 0, 0.9, 0, 1, 0, 0, none, noValues, 42),          // top-p
                new Sampling.Params(0.8, 50, 1, 0, 1, 0, 0, none, noValues, 43),           // top-k
                new Sampling.Params(0.8, 0, 1, 0.05, 1, 0, 0, none, noValues, 44),         // min-p
                new Sampling.Params(0.7, 40, 0.8, 0.01, 1.3, 0.5, 0.25,                     // all
                        new int[] {3, 17}, new double[] {2.5, Double.NEGATIVE_INFINITY}, 45));
    }

    private static double[] row(Random rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * 2);
        return x;
    }

    @Test
    void aReusedWorkspaceGivesTheTokensOfFreshOnes() {
        Random rnd = new Random(11);
        Sampling.Workspace reused = new Sampling.Workspace();
        // Long rows and long histories first, so that later rows see stale entries past their end.
        int[] lengths = {N, 1000, 37, N / 2, 5};
        int[] longHistory = new int[64];
        for (int i = 0; i < longHistory.length; i++) longHistory[i] = rnd.nextInt(5);
        int step = 0;
        for (int n : lengths) {
            double[] x = row(rnd, n);
            int[] history = {0, 2, -1, 2};
            for (Sampling.Params sp : samplers()) {
                if (sp.biasIds().length > 0 && sp.biasIds()[sp.biasIds().length - 1] >= n) continue;
                for (int[] h : new int[][] {longHistory, history, null}) {
                    int fresh = Sampling.sampleRow(new Sampling.Workspace(), Precision.FLOAT32, sp, x, n, h, 3, step);
                    int again = Sampling.sampleRow(reused, Precision.FLOAT32, sp, x, n, h, 3, step);
                    assertEquals(fresh, again, "n=" + n + " " + sp);
                    assertTrue(fresh >= 0 && fresh < n, "token " + fresh);
                    step++;
                }
            }
        }
    }

    /**
     * The bytes this thread allocates on the heap while {@code calls} runs {@code times} times,
     * after as many runs again as warm-up (compiled, workspaces grown).
     */
    private static long allocatedBy(int times, Runnable calls) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < 2 * times; i++) calls.run();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < times; i++) calls.run();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    }

    @Test
    void aReusedWorkspaceAllocatesNothingPerRowThatGrowsWithIt() {
        double[] x = row(new Random(12), N);
        int[] history = {1, 2, 2, 3, -1};
        Sampling.Workspace ws = new Sampling.Workspace();
        int rows = 200;
        for (Sampling.Params sp : samplers()) {
            long[] step = {0};
            long bytes = allocatedBy(rows, () -> Sampling.sampleRow(ws, Precision.FLOAT32, sp, x, N, history, 0, step[0]++));
            // A copy of the row per call would be 8 N bytes (400 KB); what is left is per call and
            // small (the exact top-p threshold's BigDecimal product).
            assertTrue(bytes < rows * 2048L, bytes + " bytes allocated by " + rows + " rows of " + N + ": " + sp);
        }
    }

    @Test
    void aCallOnTheJavaBackendAllocatesNothingThatGrowsWithTheRow() {
        double[] x = row(new Random(13), N);
        float[] xf = new float[N];
        for (int i = 0; i < N; i++) xf[i] = (float) x[i];
        Batch logits = Batch.of(xf, 1, N);
        int[] token = new int[1];
        Batch tokens = Batch.of(token, 1, 1);
        Sampler sampler = Sampler.builder(N).temperature(0.8).topP(0.9).seed(7).build().on(Softmax.java());
        int calls = 200;
        long[] step = {0};
        long bytes = allocatedBy(calls, () -> sampler.sample(logits, step[0]++, tokens));
        // A row read into a fresh array per call would be 8 N bytes (400 KB); what is left is the
        // call's small arrays (the sampler's spec, the token) and the exact threshold's product.
        assertTrue(bytes < calls * 4096L, bytes + " bytes allocated by " + calls + " calls on rows of " + N);
        assertTrue(token[0] >= 0 && token[0] < N, "token " + token[0]);
    }
}
