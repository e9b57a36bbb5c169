package org.softmax4j.backend;

import java.lang.ref.Reference;
import java.util.List;

import org.softmax4j.Batch;
import org.softmax4j.NativeInfo;
import org.softmax4j.Softmax;
import org.softmax4j.bridge.NativeCore;
import org.softmax4j.storage.Storage;

/**
 * The native kernel: each call is one JNI call into the C++ core ({@code sm4j_run}), with no copy
 * and no allocation; on JDK 22+ a short row call is one critical FFM downcall instead
 * ({@link Downcall}). Operands in native memory travel as addresses; heap arrays are pinned for
 * the call (each distinct array once), except short row calls on the JNI transport, whose rows
 * are copied through the thread's staging area ({@link Staging}). Calls with one input and one output (the row operations)
 * take a bridge with those two slots only. The only class that calls {@link NativeCore}.
 */
public final class NativeBackend implements Kernel {

    /**
     * The platforms softmax4j has natives for, in JavaCPP's names ({@code linux-x86_64}, ...):
     * where {@link org.bytedeco.javacpp.Loader#getPlatform()} is another, no load is tried.
     */
    public static final List<String> PLATFORMS = NativeCore.PLATFORMS;

    /** How calls reach the core: JNI, or on JDK 22+ FFM for short row calls (see {@link Downcall}). */
    private final String transport;

    private NativeBackend(String transport) {
        this.transport = transport;
    }

    /**
     * Loads the native library, and readies the JDK 22+ transport into it.
     *
     * @throws LinkageError or RuntimeException from JavaCPP's loader if it cannot be loaded, or
     *     IllegalArgumentException if {@code -Dsoftmax4j.transport} is neither ffm nor jni
     */
    static NativeBackend load() {
        return new NativeBackend(Downcall.open(NativeCore.load()));
    }

    /** What the core reports about itself and the machine. */
    public NativeInfo info() {
        return new NativeInfo(NativeCore.sm4j_version(), NativeCore.sm4j_kernel_name(),
                NativeCore.sm4j_cpu_features(), NativeCore.sm4j_get_num_threads(),
                NativeCore.sm4j_openmp_version(), NativeCore.sm4j_blas_num_threads(),
                NativeCore.sm4j_blas_config(), NativeCore.sm4j_thread_policy(), transport);
    }

    @Override
    public Softmax.Backend backend() {
        return Softmax.Backend.NATIVE;
    }

    @Override
    public int threads() {
        return NativeCore.sm4j_get_num_threads();
    }

    @Override
    public void setThreads(int threads) {
        NativeCore.sm4j_set_num_threads(threads);
    }

    @Override
    public void run(Op op, int flags, int rows, int n, int k, double a, double param, Batch in0, Batch in1,
            Batch in2, Batch in3, Batch out0, Batch out1) {
        int code = op.code | flags;
        if (in1 == null && in2 == null && in3 == null && out1 == null) {
            runInOut(code, rows, n, k, a, param, in0, out0);
        } else {
            runAny(code, rows, n, k, a, param, in0, in1, in2, in3, out0, out1);
        }
        // The storage must outlive the native call, even where only an address reached it.
        Reference.reachabilityFence(in0);
        Reference.reachabilityFence(in1);
        Reference.reachabilityFence(in2);
        Reference.reachabilityFence(in3);
        Reference.reachabilityFence(out0);
        Reference.reachabilityFence(out1);
    }

    /** {@link #runInOut}'s ways into the core ({@link #via}). */
    static final int FFM = 0, DIRECT = 1, STAGED = 2, PINNED = 3;

    /**
     * Each thread's staging area ({@link Staging}): made on the thread's first staged call, from
     * the bridge's thread_local area, which the C runtime frees when the thread exits.
     */
    private static final ThreadLocal<Staging> STAGING =
            ThreadLocal.withInitial(() ->
                    new Staging(NativeCore.sm4j_bridge_stage(), NativeCore.sm4j_bridge_stage_bytes()));

    /**
     * A call with one input and one output, the row operations' shape: the bridge with their two
     * slots only (11 arguments rather than 19; a small call spends as long in the JNI transition
     * and the argument moves as in its row), and at most two heap arrays. On JDK 22+ a short row
     * call takes the FFM transport instead ({@link Downcall}), with the same arguments; on the JNI
     * transport a short row call on heap arrays is staged ({@link Staging}) rather than pinned.
     */
    private static void runInOut(int code, int rows, int n, int k, double a, double param, Batch in0, Batch out0) {
        Storage s0 = storage(in0), s4 = storage(out0);
        Object a0 = array(s0), a4 = array(s4);
        runInOut(via(code, rows, n, a0, in0, a4, out0), code, rows, n, k, a, param, in0, s0, a0, out0, s4, a4);
    }

    /**
     * Which way a call of {@link #runInOut} goes: FFM if {@link Downcall#take} it (JDK 22+), else
     * DIRECT with no heap array, else STAGED if {@link Staging#fits} it on a platform thread,
     * else PINNED.
     */
    static int via(int code, int rows, int n, Object a0, Batch in0, Object a4, Batch out0) {
        if (Downcall.take(code, rows, n)) return FFM;
        if (a0 == null && a4 == null) return DIRECT;
        if (Staging.fits(code, a0, in0, a4, out0) && Staging.platformThread()) return STAGED;
        return PINNED;
    }

    /** The call, the way {@code via} says; STAGED only where {@link #via} would choose it. */
    static void runInOut(int via, int code, int rows, int n, int k, double a, double param, Batch in0, Storage s0,
            Object a0, Batch out0, Storage s4, Object a4) {
        long w0 = where(in0, s0), l0 = ld(in0), w4 = where(out0, s4), l4 = ld(out0);
        if (via == STAGED) {
            runStaged(code, rows, n, k, a, param, s0, a0, w0, l0, out0, s4, a4, w4, l4, in0);
            return;
        }
        // h0 the first array met, h1 the output's if it is another one (an in-place call has one).
        Object h0 = a0 != null ? a0 : a4;
        Object h1 = a4 != null && a4 != h0 ? a4 : null;
        int src4 = a4 == null ? 0 : a4 == h0 ? 1 : 2;
        long layout = slot(0, s0, a0 == null ? 0 : 1) | slot(4, s4, src4);
        if (via == FFM) {
            Downcall.run2(code, rows, n, k, a, param, layout, h0, h1, w0, l0, w4, l4);
        } else if (h0 == null) {
            NativeCore.sm4j_bridge_run2(code, rows, n, k, a, param, layout, w0, l0, w4, l4);
        } else {
            NativeCore.sm4j_bridge_run2_pinned(code, rows, n, k, a, param, layout, h0, h1, w0, l0, w4, l4);
        }
    }

    /**
     * The staged call ({@link Staging}): the array operands' rows copied into the thread's area,
     * the direct-address bridge, the output copied back. In place (one region of one array: the
     * route allows no other overlap within an array) is staged once, so the kernel sees the same
     * aliasing as in the array.
     */
    private static void runStaged(int code, int rows, int n, int k, double a, double param, Storage s0, Object a0,
            long w0, long l0, Batch out0, Storage s4, Object a4, long w4, long l4, Batch in0) {
        Staging st = STAGING.get();
        boolean same = a4 == a0 && w4 == w0;
        long x = w0, y = w4;
        if (a0 != null) {
            st.copyIn(a0, w0, in0, 0);
            x = st.slot(0);
        }
        if (a4 != null) y = same ? x : st.slot(1);
        NativeCore.sm4j_bridge_run2(code, rows, n, k, a, param, slot(0, s0, 0) | slot(4, s4, 0), x, l0, y, l4);
        if (a4 != null) st.copyOut(same ? 0 : 1, a4, w4, out0);
    }

    private static void runAny(int code, int rows, int n, int k, double a, double param, Batch in0, Batch in1,
            Batch in2, Batch in3, Batch out0, Batch out1) {
        Storage s0 = storage(in0), s1 = storage(in1), s2 = storage(in2), s3 = storage(in3);
        Storage s4 = storage(out0), s5 = storage(out1);
        Object a0 = array(s0), a1 = array(s1), a2 = array(s2), a3 = array(s3), a4 = array(s4), a5 = array(s5);
        if (a0 == null && a1 == null && a2 == null && a3 == null && a4 == null && a5 == null) {
            long layout = slot(0, s0, 0) | slot(1, s1, 0) | slot(2, s2, 0) | slot(3, s3, 0) | slot(4, s4, 0)
                    | slot(5, s5, 0);
            NativeCore.sm4j_bridge_run(code, rows, n, k, a, param, layout,
                    where(in0, s0), ld(in0), where(in1, s1), ld(in1), where(in2, s2), ld(in2),
                    where(in3, s3), ld(in3), where(out0, s4), ld(out0), where(out1, s5), ld(out1));
            return;
        }
        // The distinct heap arrays, up to four (no op has more operands in arrays), in order of
        // first use; held in locals, so that the call allocates nothing whatever the JIT makes of
        // it (a holder object here was not always scalar-replaced: 32 bytes a call).
        Object h0 = null, h1 = null, h2 = null, h3 = null;
        long layout = 0;
        for (int i = 0; i < 6; i++) {
            Storage st = i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : i == 3 ? s3 : i == 4 ? s4 : s5;
            Object arr = array(st);
            int source = 0;
            if (arr != null) {
                if (arr == h0 || h0 == null) {
                    h0 = arr;
                    source = 1;
                } else if (arr == h1 || h1 == null) {
                    h1 = arr;
                    source = 2;
                } else if (arr == h2 || h2 == null) {
                    h2 = arr;
                    source = 3;
                } else if (arr == h3 || h3 == null) {
                    h3 = arr;
                    source = 4;
                } else {
                    throw new IllegalStateException("more than four heap arrays in one call");  // see Op
                }
            }
            layout |= slot(i, st, source);
        }
        NativeCore.sm4j_bridge_run_pinned(code, rows, n, k, a, param, layout, h0, h1, h2, h3,
                where(in0, s0), ld(in0), where(in1, s1), ld(in1), where(in2, s2), ld(in2),
                where(in3, s3), ld(in3), where(out0, s4), ld(out0), where(out1, s5), ld(out1));
    }

    private static Storage storage(Batch b) {
        return b == null ? null : Storage.of(b);
    }

    private static Object array(Storage s) {
        return s == null ? null : s.array();
    }

    /** Slot {@code i}'s byte of the layout: the dtype, and the pinned array it is in (0: none). */
    private static long slot(int i, Storage s, int source) {
        return s == null ? 0 : (long) (s.type().code() | source << 4) << (8 * i);
    }

    /** The address of element (0, 0), or its byte offset in the pinned array. */
    private static long where(Batch b, Storage s) {
        return b == null ? 0 : s.base() + b.offset() * s.type().bytes();
    }

    private static long ld(Batch b) {
        return b == null ? 0 : b.stride();
    }
}
