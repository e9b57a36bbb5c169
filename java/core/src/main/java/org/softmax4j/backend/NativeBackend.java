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
 * and no allocation. Operands in native memory travel as addresses; heap arrays are pinned for
 * the call (each distinct array once). The only class that calls {@link NativeCore}.
 */
public final class NativeBackend implements Kernel {

    /**
     * The platforms softmax4j has natives for, in JavaCPP's names ({@code linux-x86_64}, ...):
     * where {@link org.bytedeco.javacpp.Loader#getPlatform()} is another, no load is tried.
     */
    public static final List<String> PLATFORMS = NativeCore.PLATFORMS;

    private NativeBackend() {}

    /**
     * Loads the native library.
     *
     * @throws LinkageError or RuntimeException from JavaCPP's loader if it cannot be loaded
     */
    static NativeBackend load() {
        NativeCore.load();
        return new NativeBackend();
    }

    /** What the core reports about itself and the machine. */
    public NativeInfo info() {
        return new NativeInfo(NativeCore.sm4j_version(), NativeCore.sm4j_kernel_name(),
                NativeCore.sm4j_cpu_features(), NativeCore.sm4j_get_num_threads(),
                NativeCore.sm4j_openmp_version(), NativeCore.sm4j_blas_num_threads(),
                NativeCore.sm4j_blas_config(), NativeCore.sm4j_thread_policy());
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
        Storage s0 = storage(in0), s1 = storage(in1), s2 = storage(in2), s3 = storage(in3);
        Storage s4 = storage(out0), s5 = storage(out1);
        int code = op.code | flags;
        if (array(s0) == null && array(s1) == null && array(s2) == null && array(s3) == null
                && array(s4) == null && array(s5) == null) {
            long layout = slot(0, s0, 0) | slot(1, s1, 0) | slot(2, s2, 0) | slot(3, s3, 0) | slot(4, s4, 0)
                    | slot(5, s5, 0);
            NativeCore.sm4j_bridge_run(code, rows, n, k, a, param, layout,
                    where(in0, s0), ld(in0), where(in1, s1), ld(in1), where(in2, s2), ld(in2),
                    where(in3, s3), ld(in3), where(out0, s4), ld(out0), where(out1, s5), ld(out1));
        } else {
            Pins p = new Pins();
            long layout = slot(0, s0, p.source(s0)) | slot(1, s1, p.source(s1)) | slot(2, s2, p.source(s2))
                    | slot(3, s3, p.source(s3)) | slot(4, s4, p.source(s4)) | slot(5, s5, p.source(s5));
            NativeCore.sm4j_bridge_run_pinned(code, rows, n, k, a, param, layout, p.h0, p.h1, p.h2, p.h3,
                    where(in0, s0), ld(in0), where(in1, s1), ld(in1), where(in2, s2), ld(in2),
                    where(in3, s3), ld(in3), where(out0, s4), ld(out0), where(out1, s5), ld(out1));
        }
        // The storage must outlive the native call, even where only an address reached it.
        Reference.reachabilityFence(in0);
        Reference.reachabilityFence(in1);
        Reference.reachabilityFence(in2);
        Reference.reachabilityFence(in3);
        Reference.reachabilityFence(out0);
        Reference.reachabilityFence(out1);
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

    /**
     * The distinct heap arrays of a call, up to four, in order of first use. Lives in one call's
     * frame (escape analysis removes it), so the call allocates nothing.
     */
    private static final class Pins {
        Object h0;
        Object h1;
        Object h2;
        Object h3;

        /** 0 for native memory, else 1 + the index of the operand's array among h0..h3. */
        int source(Storage s) {
            Object a = s == null ? null : s.array();
            if (a == null) return 0;
            if (a == h0 || h0 == null) {
                h0 = a;
                return 1;
            }
            if (a == h1 || h1 == null) {
                h1 = a;
                return 2;
            }
            if (a == h2 || h2 == null) {
                h2 = a;
                return 3;
            }
            if (a == h3 || h3 == null) {
                h3 = a;
                return 4;
            }
            // Unreachable: no op has more than four operands (see Op).
            throw new IllegalStateException("more than four heap arrays in one call");
        }
    }
}
