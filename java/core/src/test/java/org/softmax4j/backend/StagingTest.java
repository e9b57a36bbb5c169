package org.softmax4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Softmax;
import org.softmax4j.storage.Storage;

/**
 * The staged way of short heap-array row calls on the JNI transport ({@link Staging}): which calls
 * take it ({@link NativeBackend#via}), and that a call forced through it gives, bit for bit, what
 * the same call gives pinned: every op that takes it, every element type, every offset, in place,
 * two operands side by side in one array, mixed with native memory, at and past the size limit,
 * and from several threads at once. Each call is validated by the route first (a test kernel
 * that forces the way), so a wrong case here is an exception, not a crash.
 */
class StagingTest {
    private static final Op[] STAGED_OPS = {Op.SOFTMAX, Op.LOG_SOFTMAX, Op.LOG_SUM_EXP, Op.COPY};

    @BeforeAll
    static void load() {
        Softmax.nativeBackend();
    }

    /** The native kernel, with every row call forced the way {@code via} says (after the route's checks). */
    private static Kernel forced(int via) {
        return new Kernel() {
            @Override
            public Softmax.Backend backend() {
                return Softmax.Backend.NATIVE;
            }

            @Override
            public int threads() {
                return 1;
            }

            @Override
            public void setThreads(int threads) {}

            @Override
            public void run(Op op, int flags, int rows, int n, int k, double a, double param, Batch in0, Batch in1,
                    Batch in2, Batch in3, Batch out0, Batch out1) {
                Storage s0 = Storage.of(in0), s4 = Storage.of(out0);
                int chosen = NativeBackend.via(op.code | flags, rows, n, s0.array(), in0, s4.array(), out0);
                if (via == NativeBackend.STAGED) {
                    // Forced staging only where it is valid: the test's own cases must fit.
                    assertTrue(Staging.fits(op.code | flags, s0.array(), in0, s4.array(), out0), "case must fit");
                }
                assertTrue(chosen == NativeBackend.FFM || chosen == via || via == NativeBackend.PINNED,
                        "via " + chosen + " for a case forced " + via);
                NativeBackend.runInOut(via, op.code | flags, rows, n, k, a, param, in0, s0, s0.array(), out0, s4,
                        s4.array());
            }
        };
    }

    private static void call(int via, Op op, Batch x, Batch y, double a) {
        Route.run(forced(via), op, 0, x.rows(), x.cols(), 0, a, 0, x, null, null, null, y, null);
    }

    private static int outCols(Op op, int n) {
        return op == Op.LOG_SUM_EXP ? 1 : n;
    }

    private static float[] floats(SplittableRandom r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (float) (r.nextGaussian() * 6);
        return a;
    }

    // ---------------------------------------------------------------- which calls take it

    @Test
    void shortContiguousRowCallsOnHeapArraysAreStagedAndNothingElse() {
        float[] x = new float[400], y = new float[400];
        double[] xd = new double[100], yd = new double[100];
        for (Op op : STAGED_OPS) {
            int o = outCols(op, 10);
            assertTrue(Staging.fits(op.code, x, Batch.of(x, 1, 10), y, Batch.of(y, 1, o)), op + " 1x10");
            // At the limit (512 bytes) and past it, per operand.
            assertTrue(Staging.fits(op.code, x, Batch.of(x, 1, 128), y, Batch.of(y, 1, outCols(op, 128))), op + " 1x128");
            assertFalse(Staging.fits(op.code, x, Batch.of(x, 1, 129), y, Batch.of(y, 1, outCols(op, 129))), op + " 1x129");
            assertFalse(Staging.fits(op.code, x, Batch.of(x, 3, 43), y, Batch.of(y, 3, outCols(op, 43))), op + " 3x43");
            assertTrue(Staging.fits(op.code, xd, Batch.of(xd, 1, 64), yd, Batch.of(yd, 1, outCols(op, 64))), op + " 1x64 f64");
            assertFalse(Staging.fits(op.code, xd, Batch.of(xd, 1, 65), yd, Batch.of(yd, 1, outCols(op, 65))), op + " 1x65 f64");
            // Rows with gaps are not one run: pinned. One row may have any stride.
            assertFalse(Staging.fits(op.code, x, Batch.of(x, 0, 2, 10, 12), y, Batch.of(y, 2, o)), op + " strided input");
            assertTrue(Staging.fits(op.code, x, Batch.of(x, 3, 1, 10, 12), y, Batch.of(y, 1, o)), op + " one strided row");
            // Every array operand or none: a staged input with an output array past the limit is pinned.
            assertFalse(Staging.fits(op.code, x, Batch.of(x, 1, 10), y, Batch.of(y, 0, 2, o, 200)), op + " mixed sizes");
            // An array with native memory: the array alone is staged.
            assertTrue(Staging.fits(op.code, x, Batch.of(x, 1, 10), null, null), op + " array and pointer");
            // Flags: not a plain row op.
            assertFalse(Staging.fits(op.code | Op.FROM_OUTPUT, x, Batch.of(x, 1, 10), y, Batch.of(y, 1, o)), op + " flags");
        }
        for (Op op : Op.values()) {
            if (op.code > Op.COPY.code) {
                assertFalse(Staging.fits(op.code, x, Batch.of(x, 1, 10), y, Batch.of(y, 1, 10)), op.toString());
            }
        }
    }

    @Test
    void viaPicksFfmThenDirectThenStagedThenPinned() {
        float[] x = new float[400], y = new float[400];
        boolean ffm = Downcall.take(Op.SOFTMAX.code, 1, 10);
        Batch bx = Batch.of(x, 1, 10), by = Batch.of(y, 1, 10);
        assertEquals(ffm ? NativeBackend.FFM : NativeBackend.STAGED, NativeBackend.via(0, 1, 10, x, bx, y, by));
        assertEquals(ffm ? NativeBackend.FFM : NativeBackend.DIRECT, NativeBackend.via(0, 1, 10, null, bx, null, by));
        Batch big = Batch.of(x, 1, 300), bigOut = Batch.of(y, 1, 300);
        assertEquals(ffm ? NativeBackend.FFM : NativeBackend.PINNED, NativeBackend.via(0, 1, 300, x, big, y, bigOut));
        // A call the FFM transport never takes (too many elements) shows the JNI choice on every JDK.
        float[] huge = new float[20000];
        Batch h = Batch.of(huge, 1, 20000);
        assertEquals(NativeBackend.PINNED, NativeBackend.via(0, 1, 20000, huge, h, huge, h));
    }

    /** JDK 21+: a virtual thread never stages (its carrier changes; no area per virtual thread). */
    @Test
    void virtualThreadsArePinnedNotStaged() throws Exception {
        Method start;
        try {
            start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        } catch (NoSuchMethodException e) {
            assertTrue(Staging.platformThread(), "JDK 17-20: every thread is a platform thread");
            return;
        }
        AtomicReference<Object> seen = new AtomicReference<>();
        float[] x = floats(new SplittableRandom(1), 10), y = new float[10];
        Thread t = (Thread) start.invoke(null, (Runnable) () -> {
            try {
                seen.set(Staging.platformThread());
                // The public call still computes, through the pinned bridge (or FFM on 22+).
                Softmax.nativeBackend().softmax(1, 10, x, y);
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        t.join();
        assertEquals(Boolean.FALSE, seen.get());
        float[] pinned = new float[10];
        call(NativeBackend.PINNED, Op.SOFTMAX, Batch.of(x, 1, 10), Batch.of(pinned, 1, 10), 1);
        assertArrayEquals(pinned, y);
        assertTrue(Staging.platformThread());
    }

    // ---------------------------------------------------------------- same bits as pinned

    @Test
    void everyOpAndOffsetGivesThePinnedBitsInFloatAndDouble() {
        SplittableRandom r = new SplittableRandom(17);
        int[][] shapes = {{1, 1}, {1, 10}, {1, 33}, {2, 10}, {3, 7}, {1, 128}, {4, 32}, {0, 10}, {1, 0}};
        for (Op op : STAGED_OPS) {
            for (int[] s : shapes) {
                int rows = s[0], n = s[1], o = outCols(op, n);
                for (int off = 0; off < 6; off++) {
                    float[] x = floats(r, off + rows * n + 3);
                    float[] staged = new float[off + rows * o + 2], pinned = staged.clone();
                    java.util.Arrays.fill(staged, 7f);
                    java.util.Arrays.fill(pinned, 7f);
                    double a = 0.5 + r.nextDouble();
                    call(NativeBackend.STAGED, op, Batch.of(x, off, rows, n, n), Batch.of(staged, off, rows, o, o), a);
                    call(NativeBackend.PINNED, op, Batch.of(x, off, rows, n, n), Batch.of(pinned, off, rows, o, o), a);
                    String what = op + " " + rows + "x" + n + " offset " + off;
                    assertArrayEquals(pinned, staged, what);  // incl. the untouched 7s around the output
                    if (rows * n > 0) assertNotEquals(7f, staged[off], what + " computed");

                    if (rows * n * 8 > Staging.OPERAND_BYTES) continue;
                    double[] xd = new double[x.length];
                    for (int i = 0; i < x.length; i++) xd[i] = x[i] * 1.0000001;
                    double[] sd = new double[staged.length], pd = new double[staged.length];
                    call(NativeBackend.STAGED, op, Batch.of(xd, off, rows, n, n), Batch.of(sd, off, rows, o, o), a);
                    call(NativeBackend.PINNED, op, Batch.of(xd, off, rows, n, n), Batch.of(pd, off, rows, o, o), a);
                    assertArrayEquals(pd, sd, what + " float64");
                }
            }
        }
    }

    @Test
    void oneStridedRowAndHalfInputsGiveThePinnedBits() {
        SplittableRandom r = new SplittableRandom(5);
        for (Op op : STAGED_OPS) {
            int n = 24, o = outCols(op, n);
            float[] x = floats(r, 60);
            float[] staged = new float[o + 3], pinned = new float[o + 3];
            // One row with a stride past its width: only the row is touched.
            call(NativeBackend.STAGED, op, Batch.of(x, 2, 1, n, 31), Batch.of(staged, 1, 1, o, 50), 1.25);
            call(NativeBackend.PINNED, op, Batch.of(x, 2, 1, n, 31), Batch.of(pinned, 1, 1, o, 50), 1.25);
            assertArrayEquals(pinned, staged, op + " strided row");
            if (op == Op.COPY) continue;  // the copy takes float32/float64 only
            for (ElementType half : new ElementType[] {ElementType.BFLOAT16, ElementType.FLOAT16}) {
                short[] h = new short[2 + 2 * n];
                for (int i = 0; i < h.length; i++) h[i] = half.toBits(x[i]);
                // Half in, float32 out, and half in, half out (in place too).
                float[] sf = new float[2 * o], pf = new float[2 * o];
                call(NativeBackend.STAGED, op, Batch.of(h, half, 2, 2, n, n), Batch.of(sf, 2, o), 1);
                call(NativeBackend.PINNED, op, Batch.of(h, half, 2, 2, n, n), Batch.of(pf, 2, o), 1);
                assertArrayEquals(pf, sf, op + " " + half + " to float32");
                short[] sh = new short[2 * o], ph = new short[2 * o];
                call(NativeBackend.STAGED, op, Batch.of(h, half, 2, 2, n, n), Batch.of(sh, half, 2, o), 1);
                call(NativeBackend.PINNED, op, Batch.of(h, half, 2, 2, n, n), Batch.of(ph, half, 2, o), 1);
                assertArrayEquals(ph, sh, op + " " + half);
            }
        }
    }

    @Test
    void inPlaceSideBySideAndMixedWithNativeMemoryGiveThePinnedBits() {
        SplittableRandom r = new SplittableRandom(9);
        for (Op op : STAGED_OPS) {
            int rows = 2, n = 12, o = outCols(op, n);
            float[] x = floats(r, 3 + rows * n);
            if (op != Op.LOG_SUM_EXP) {
                // In place: one region, staged once.
                float[] s = x.clone(), p = x.clone();
                call(NativeBackend.STAGED, op, Batch.of(s, 3, rows, n, n), Batch.of(s, 3, rows, n, n), 0.75);
                call(NativeBackend.PINNED, op, Batch.of(p, 3, rows, n, n), Batch.of(p, 3, rows, n, n), 0.75);
                assertArrayEquals(p, s, op + " in place");
            }
            // Input and output side by side in one array (disjoint regions, staged apart), both orders.
            for (boolean outFirst : new boolean[] {false, true}) {
                float[] s = new float[rows * n + rows * o + 1];
                int xAt = outFirst ? rows * o + 1 : 0, yAt = outFirst ? 0 : rows * n;
                System.arraycopy(x, 3, s, xAt, rows * n);
                float[] p = s.clone();
                call(NativeBackend.STAGED, op, Batch.of(s, xAt, rows, n, n), Batch.of(s, yAt, rows, o, o), 1);
                call(NativeBackend.PINNED, op, Batch.of(p, xAt, rows, n, n), Batch.of(p, yAt, rows, o, o), 1);
                assertArrayEquals(p, s, op + " side by side, output first " + outFirst);
            }
            // Array in, pointer out; pointer in, array out.
            try (FloatPointer px = new FloatPointer(rows * n); FloatPointer py = new FloatPointer(rows * o)) {
                px.put(x, 3, rows * n);
                float[] viaArrayIn = new float[rows * o], viaPointer = new float[rows * o], p = new float[rows * o];
                call(NativeBackend.STAGED, op, Batch.of(x, 3, rows, n, n), Batch.of(py, rows, o), 1);
                py.get(viaArrayIn);
                call(NativeBackend.STAGED, op, Batch.of(px, rows, n), Batch.of(viaPointer, rows, o), 1);
                call(NativeBackend.PINNED, op, Batch.of(x, 3, rows, n, n), Batch.of(p, rows, o), 1);
                assertArrayEquals(p, viaArrayIn, op + " array to pointer");
                assertArrayEquals(p, viaPointer, op + " pointer to array");
            }
        }
    }

    /**
     * The public route on this JDK (staged on JDK 17 with JNI, FFM on 22+) agrees with pinned too:
     * the array shorthand, float and double.
     */
    @Test
    void thePublicCallGivesThePinnedBits() {
        SplittableRandom r = new SplittableRandom(3);
        Softmax s = Softmax.nativeBackend();
        float[] x = floats(r, 10), y = new float[10], p = new float[10];
        s.softmax(1, 10, x, y);
        call(NativeBackend.PINNED, Op.SOFTMAX, Batch.of(x, 1, 10), Batch.of(p, 1, 10), 1);
        assertArrayEquals(p, y);
        s.logSoftmax(1, 10, x, y);
        call(NativeBackend.PINNED, Op.LOG_SOFTMAX, Batch.of(x, 1, 10), Batch.of(p, 1, 10), 1);
        assertArrayEquals(p, y);
        float[] l = new float[1], pl = new float[1];
        s.logSumExp(1, 10, x, l);
        call(NativeBackend.PINNED, Op.LOG_SUM_EXP, Batch.of(x, 1, 10), Batch.of(pl, 1, 1), 1);
        assertArrayEquals(pl, l);
    }

    /**
     * Each thread its own area: four threads, each on its own rows, every result its own. A shared
     * area (one for all threads) fails this within a few thousand calls.
     */
    @Test
    void concurrentCallersEachGetTheirOwnRows() throws Exception {
        int threads = 4, calls = 20_000;
        List<Thread> started = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                try {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] x = floats(r, 32), expected = new float[32], y = new float[32];
                    call(NativeBackend.PINNED, Op.SOFTMAX, Batch.of(x, 1, 32), Batch.of(expected, 1, 32), 1);
                    for (int i = 0; i < calls && failure.get() == null; i++) {
                        call(NativeBackend.STAGED, Op.SOFTMAX, Batch.of(x, 1, 32), Batch.of(y, 1, 32), 1);
                        if (!java.util.Arrays.equals(expected, y)) {
                            throw new AssertionError("thread " + seed + ", call " + i + ": another thread's rows");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            started.add(th);
            th.start();
        }
        for (Thread th : started) th.join();
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
    }
}
