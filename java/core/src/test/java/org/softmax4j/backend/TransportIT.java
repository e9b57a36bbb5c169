package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Softmax;
import org.softmax4j.bridge.NativeCore;

/**
 * The transport of native calls, on the packaged jar (Failsafe): on JDK 22+ the jar's
 * {@code META-INF/versions/22} makes short row calls critical FFM downcalls, below 22 every call is
 * JNI. The agreement, edge-case and validation suites run on the packaged jar too (Failsafe's
 * includes in java/core/pom.xml), so on JDK 22+ they go through the FFM transport; here, what
 * only this transport has: which calls take it, and that it computes what JNI computes, bit for bit.
 */
class TransportIT {
    private static final boolean FFM = Runtime.version().feature() >= 22
            && !Boolean.getBoolean("softmax4j.test.java22Skipped");

    @Test
    void nativeInfoNamesTheTransportOfThisJdk() {
        String transport = Softmax.nativeInfo().transport();
        assertEquals(FFM ? "ffm" : "jni", transport.split(" ", 2)[0], transport);
        String url = String.valueOf(Downcall.class.getResource("Downcall.class"));
        assertEquals(FFM, url.contains("!/META-INF/versions/22/"), url);
    }

    @Test
    void onlyShortSoftmaxLogSoftmaxAndLogSumExpCallsTakeIt() {
        Softmax.nativeBackend();  // the transport is opened as the backend loads
        for (Op op : new Op[] {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.LOG_SUM_EXP, Op.COPY}) {
            assertEquals(FFM, Downcall.take(op.code, 1, 10), op.toString());
            assertEquals(FFM, Downcall.take(op.code, 128, 128), op + " 128x128");
            assertFalse(Downcall.take(op.code, 1, (1 << 14) + 1), op + " past the limit");
            assertFalse(Downcall.take(op.code, 3, 6000), op + " 3x6000");
            // rows * n in long: no int overflow lets a large call through.
            assertFalse(Downcall.take(op.code, 1 << 16, 1 << 16), op + " 2^16 x 2^16");
        }
        for (Op op : Op.values()) {
            if (op.code > Op.COPY.code) assertFalse(Downcall.take(op.code, 1, 10), op.toString());
        }
    }

    /** Downcall.run2 against the JNI bridge with the same arguments: the same C code, so the same bits. */
    @Test
    void heapArraysAndNativeMemoryGiveJnisResultsBitForBit() {
        Softmax.nativeBackend();
        org.junit.jupiter.api.Assumptions.assumeTrue(FFM, "no FFM transport below JDK 22");
        SplittableRandom random = new SplittableRandom(10);
        int rows = 3, n = 7, offset = 5, stride = 9;
        float[] x = new float[offset + rows * stride];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 40 - 20);
        int f32 = ElementType.FLOAT32.code();
        for (Op op : new Op[] {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.LOG_SUM_EXP}) {
            int outN = op == Op.LOG_SUM_EXP ? 1 : n;
            float[] viaFfm = new float[rows * outN];
            float[] viaJni = new float[rows * outN];
            // in0 in array h0 (source 1), out0 in array h1 (source 2): byte offsets.
            long layout = (f32 | 1 << 4) | (long) (f32 | 2 << 4) << 32;
            Downcall.run2(op.code, rows, n, 0, 1.5, 0, layout, x, viaFfm, 4L * offset, stride, 0, outN);
            NativeCore.sm4j_bridge_run2_pinned(op.code, rows, n, 0, 1.5, 0, layout, x, viaJni, 4L * offset, stride,
                    0, outN);
            assertArrayEquals(viaJni, viaFfm, op.toString());
            assertTrue(viaFfm[0] != 0, "computed");

            // In place in one array (h0 only), and in native memory (addresses, no arrays).
            float[] inPlace = x.clone();
            if (op != Op.LOG_SUM_EXP) {
                long one = (f32 | 1 << 4) | (long) (f32 | 1 << 4) << 32;
                Downcall.run2(op.code, rows, n, 0, 1.5, 0, one, inPlace, null, 4L * offset, stride, 4L * offset,
                        stride);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(viaJni[r * n + j], inPlace[offset + r * stride + j], op + " in place");
                    }
                }
            }
            FloatBuffer in = ByteBuffer.allocateDirect(4 * x.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
            FloatBuffer out = ByteBuffer.allocateDirect(4 * rows * outN).order(ByteOrder.nativeOrder()).asFloatBuffer();
            in.put(x).flip();
            Batch bin = Batch.of(in, rows, n);
            long inAddress = org.softmax4j.storage.Storage.of(bin).base();
            long outAddress = org.softmax4j.storage.Storage.of(Batch.of(out, rows, outN)).base();
            long direct = f32 | (long) f32 << 32;
            Downcall.run2(op.code, rows, n, 0, 1.5, 0, direct, null, null, inAddress + 4L * offset, stride,
                    outAddress, outN);
            float[] viaAddress = new float[rows * outN];
            out.get(0, viaAddress);
            assertArrayEquals(viaJni, viaAddress, op + " native memory");
            java.lang.ref.Reference.reachabilityFence(in);
            java.lang.ref.Reference.reachabilityFence(out);
        }
    }
}
