package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            List<Runnable> calls = List.of(
                    () -> s.softmax(1, n, xa, ya), () -> s.logSoftmax(1, n, xa, ya), () -> s.logSumExp(1, n, xa, ya),
                    () -> s.softmax(1, n, xd, yd), () -> s.logSoftmax(1, n, xd, yd), () -> s.logSumExp(1, n, xd, yd),
                    () -> s.softmax(1, n, xfb, yfb), () -> s.logSoftmax(1, n, xfb, yfb), () -> s.logSumExp(1, n, xfb, yfb),
                    () -> s.softmax(1, n, xdb, ydb), () -> s.logSoftmax(1, n, xdb, ydb), () -> s.logSumExp(1, n, xdb, ydb),
                    () -> s.softmax(1, n, xfh, yfh), () -> s.logSoftmax(1, n, xfh, yfh), () -> s.logSumExp(1, n, xfh, yfh),
                    () -> s.softmax(1, n, xfp, yfp), () -> s.logSoftmax(1, n, xfp, yfp), () -> s.logSumExp(1, n, xfp, yfp),
                    () -> s.softmax(1, n, xdp, ydp), () -> s.logSoftmax(1, n, xdp, ydp), () -> s.logSumExp(1, n, xdp, ydp),
                    () -> s.softmax(xm, ym), () -> s.logSoftmax(xm, ym), () -> s.logSumExp(xm, om),
                    () -> s.softmax(xdm, ydm), () -> s.logSoftmax(xdm, ydm), () -> s.logSumExp(xdm, odm));
            for (Runnable c : calls) for (int i = 0; i < 20_000; i++) c.run(); // warm up: JIT, caches
            System.gc();
            long total = Pointer.totalBytes();
            long physical = Pointer.physicalBytes();
            long rss = rss();
            for (Runnable c : calls) for (int i = 0; i < CALLS; i++) c.run();
            System.gc();
            assertEquals(total, Pointer.totalBytes(), "JavaCPP-tracked bytes");
            long physicalGrowth = Pointer.physicalBytes() - physical;
            long rssGrowth = rss() - rss;
            // The JVM's own heap and code cache may still settle; a native leak of even 8 bytes a
            // call would be 216 MB here.
            assertTrue(physicalGrowth < 32 << 20, "physical bytes grew by " + physicalGrowth);
            assertTrue(rssGrowth < 32 << 20, "RSS grew by " + rssGrowth);
        }
    }
}
