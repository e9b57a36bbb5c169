package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.softmax4j.backend.Op;

/**
 * Many Java threads call every operation through every buffer kind at once, on shared read-only
 * inputs, while the OpenMP thread count keeps changing. Each result must be bitwise identical to
 * the one computed alone with one thread: a row is always computed by one thread with the same
 * kernel, whatever the thread count, so nothing about scheduling can change a bit of it.
 */
class ConcurrencyTest {

    record Job(Kind kind, Op op, int rows, int n, double[] x) {
        double[] run(Softmax s) {
            int yLength = kind.isMatrix() ? rows * n : (TestSupport.reduces(op) ? rows : rows * n);
            return kind.run(s, op, rows, n, x, 0, n, yLength, 0, TestSupport.reduces(op) && kind.isMatrix() ? 1 : n, 1.0, false);
        }
    }

    @Test
    void resultsDoNotDependOnConcurrencyOrThreadCount() throws Exception {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        List<Job> jobs = new ArrayList<>();
        int[][] shapes = {{64, 1000}, {3, 5}, {300, 257}};
        for (Kind k : Kind.available())
            for (Op op : TestSupport.ROW_OPS)
                for (int[] sh : shapes) {
                    jobs.add(new Job(k, op, sh[0], sh[1], k.rounded(TestSupport.gaussian(sh[0] * 31L + sh[1], sh[0] * sh[1], 4))));
                }
        List<double[]> expected = new ArrayList<>();
        try {
            s.setThreads(1);
            for (Job j : jobs) expected.add(j.run(s));
        } finally {
            s.setThreads(0);
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 3 * jobs.size(); i++) {
                        int j = (i * 7 + seed * 13) % jobs.size();
                        assertArrayEquals(expected.get(j), jobs.get(j).run(s), jobs.get(j).kind() + " " + jobs.get(j).op());
                    }
                    return null;
                }));
            }
            // Meanwhile, change the process-wide thread count.
            int[] counts = {1, 2, 3, 0};
            for (int i = 0; !futures.stream().allMatch(Future::isDone); i++) {
                s.setThreads(counts[i % counts.length]);
                Thread.sleep(2);
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdown();
            assertEquals(true, pool.awaitTermination(60, TimeUnit.SECONDS));
            s.setThreads(0);
        }
    }
}
