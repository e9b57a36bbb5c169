package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.softmax4j.Softmax.From;
import org.softmax4j.regression.SoftmaxClassifier;

/**
 * The operations that call OpenBLAS (Jacobians, Jacobian products, the regression head) hold its
 * process-wide thread count at 1 while they run and must give the process's count back: in the
 * preset's pthreads build even {@code openblas_set_num_threads_local} sets the one shared count,
 * so set-and-restore pairs from several threads at once, unguarded, could leave the user's
 * OpenBLAS single-threaded for good.
 */
class BlasPoolTest {

    @Test
    void concurrentBlasCallersLeaveTheCountAsTheyFoundIt() throws Exception {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        int before = Softmax.nativeInfo().blasThreads();
        // With a pool of one thread, a count left at 1 would look the same as one restored.
        assumeTrue(before > 1, "OpenBLAS runs one thread here");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                final int seed = t;
                done.add(pool.submit(() -> work(s, seed)));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(before, Softmax.nativeInfo().blasThreads());
    }

    /** Many short and a few threaded BLAS-backed calls, interleaved. */
    private static void work(Softmax s, int seed) {
        int n = 64;
        double[] x = TestSupport.gaussian(seed, 8 * n, 2);
        double[] jac = new double[8 * n * n];
        double[] g = TestSupport.gaussian(seed + 100, 8 * n, 1);
        double[] vjp = new double[8 * n];
        int k = 200, d = 300, rows = 256;
        try (SoftmaxClassifier m = SoftmaxClassifier.of(k, d, TestSupport.gaussian(seed, k * d, 0.1),
                TestSupport.gaussian(seed + 1, k, 1), s)) {
            float[] xs = new float[rows * d];
            double[] xd = TestSupport.gaussian(seed + 2, rows * d, 1);
            for (int i = 0; i < xs.length; i++) xs[i] = (float) xd[i];
            float[] p = new float[rows * k];
            for (int i = 0; i < 200; i++) {
                s.jacobian(From.LOGITS, Batch.of(x, 8, n), Batch.of(jac, 8, (n) * (n)), Scale.alpha(1));
                s.softmaxVjp(From.LOGITS, Batch.of(x, 8, n), Batch.of(g, 8, n), Batch.of(vjp, 8, n), Scale.alpha(1));
                if (i % 20 == 0) m.predictProba(Batch.of(xs, rows, d), Batch.of(p, rows, k));
            }
        }
    }
}
