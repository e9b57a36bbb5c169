package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * A million calls of every operation through every buffer kind leave JavaCPP's off-heap
 * accounting and the process's resident memory where they were: the hot path allocates nothing
 * native, and pins heap arrays instead of copying them.
 */
class MemoryTest {
    private static final int CALLS = 1_000_000;

    private static long rss() throws IOException {
        // /proc/self/statm: size resident ... in pages.
        String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
        return Long.parseLong(f[1]) * 4096;
    }

    /**
     * JavaCPP's tracked bytes after one collection, once its deallocation has caught up (dropped
     * pointers reach JavaCPP's reference queue after the collection, and are freed from it on its
     * own thread or here).
     */
    private static long settledTotalBytes() {
        System.gc();
        long last = -1;
        for (int i = 0; i < 20; i++) {
            Pointer.deallocateReferences();
            long now = Pointer.totalBytes();
            if (now == last) return now;
            last = now;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return last;
    }

    @Test
    void millionCallsLeakNothing() throws IOException {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        int n = 10;
        float[] xa = new float[n], ya = new float[n];
        double[] xd = new double[n], yd = new double[n];
        FloatBuffer xfb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer yfb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        DoubleBuffer xdb = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        DoubleBuffer ydb = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        FloatBuffer xfh = FloatBuffer.allocate(n), yfh = FloatBuffer.allocate(n);
        try (FloatPointer xfp = new FloatPointer(n); FloatPointer yfp = new FloatPointer(n);
             DoublePointer xdp = new DoublePointer(n); DoublePointer ydp = new DoublePointer(n);
             FloatMatrix xm = FloatMatrix.allocate(1, n); FloatMatrix ym = FloatMatrix.allocate(1, n);
             FloatMatrix om = FloatMatrix.allocate(1, 1);
             DoubleMatrix xdm = DoubleMatrix.allocate(1, n); DoubleMatrix ydm = DoubleMatrix.allocate(1, n);
             DoubleMatrix odm = DoubleMatrix.allocate(1, 1)) {
            xfp.fill(0);
            xdp.fill(0);
            // Operands made once, as a server holds them: the calls then allocate nothing on the
            // Java heap, so the heap has no reason to grow and the resident set measures native
            // memory only (with a Batch made per call, G1 grew the young generation by some
            // 300 MB when this test ran alone in a fresh JVM).
            Batch[][] operands = {
                    {Batch.of(xa, 1, n), Batch.of(ya, 1, n), Batch.of(ya, 1, 1)},
                    {Batch.of(xd, 1, n), Batch.of(yd, 1, n), Batch.of(yd, 1, 1)},
                    {Batch.of(xfb, 1, n), Batch.of(yfb, 1, n), Batch.of(yfb, 1, 1)},
                    {Batch.of(xdb, 1, n), Batch.of(ydb, 1, n), Batch.of(ydb, 1, 1)},
                    {Batch.of(xfh, 1, n), Batch.of(yfh, 1, n), Batch.of(yfh, 1, 1)},
                    {Batch.of(xfp, 1, n), Batch.of(yfp, 1, n), Batch.of(yfp, 1, 1)},
                    {Batch.of(xdp, 1, n), Batch.of(ydp, 1, n), Batch.of(ydp, 1, 1)},
                    {Batch.of(xm), Batch.of(ym), Batch.of(om)},
                    {Batch.of(xdm), Batch.of(ydm), Batch.of(odm)}};
            List<Runnable> calls = new java.util.ArrayList<>();
            for (Batch[] o : operands) {
                calls.add(() -> s.softmax(o[0], o[1]));
                calls.add(() -> s.logSoftmax(o[0], o[1]));
                calls.add(() -> s.logSumExp(o[0], o[2]));
            }
            for (Runnable c : calls) for (int i = 0; i < 20_000; i++) c.run(); // warm up: JIT, caches
            long total = settledTotalBytes();
            long physical = Pointer.physicalBytes();
            long rss = rss();
            for (Runnable c : calls) for (int i = 0; i < CALLS; i++) c.run();
            long after = settledTotalBytes();
            // Pointers that earlier tests dropped may still be freed meanwhile: the calls must
            // add nothing, so the count may only fall.
            assertTrue(after <= total, "JavaCPP-tracked bytes grew from " + total + " to " + after);
            long physicalGrowth = Pointer.physicalBytes() - physical;
            long rssGrowth = rss() - rss;
            // The JVM's own heap and code cache may still settle; a native leak of even 8 bytes a
            // call would be 216 MB here.
            assertTrue(physicalGrowth < 32 << 20, "physical bytes grew by " + physicalGrowth);
            assertTrue(rssGrowth < 32 << 20, "RSS grew by " + rssGrowth);
        }
    }

    /**
     * Operands made once make calls that allocate nothing on the Java heap (the "-prof gc
     * ≈ 0 B/op", here as the thread's allocation counter): softmax through a heap array and a
     * direct buffer, and combine, whose weights once were copied and wrapped at every call
     * (about 100 bytes a call).
     */
    @Test
    void reusedOperandsAllocateNothingOnTheHeap() {
        Softmax s = TestSupport.backend(Softmax.Backend.NATIVE);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        int n = 10;
        Batch x = Batch.of(new float[n], 1, n), y = Batch.of(new float[n], 1, n);
        FloatBuffer direct = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Batch xb = Batch.of(direct, 1, n);
        double[] factors = new double[2 * n];
        java.util.Arrays.fill(factors, 0.5);
        Batch p = Batch.of(factors, 1, 2 * n), out = Batch.of(new double[n], 1, n);
        Batch weights = Batch.of(new double[] {1, -1}, 1, 2);
        List<Runnable> calls = List.of(() -> s.softmax(x, y), () -> s.softmax(xb, xb), () -> s.combine(p, weights, out));
        for (Runnable c : calls) {
            for (int i = 0; i < 50_000; i++) c.run(); // compiled, as a server's hot path is
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10_000; i++) c.run();
            long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            // Not 0: the counter's own call may allocate a little; a per-call allocation of even
            // 16 bytes would be 160,000 here.
            assertTrue(bytes < 4096, bytes + " bytes allocated by 10,000 calls");
        }
    }
}
