package org.softmax4j.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Raw;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.softmax4j.natives.PlatformNatives;

/**
 * The JavaCPP declaration of the C core ({@code native/include/softmax4j.h}): its one entry,
 * {@code sm4j_run}, through the two adapters of {@code softmax4j_bridge.h}, and the runtime
 * queries. Internal: nothing here checks its arguments, so only
 * {@link org.softmax4j.backend.NativeBackend} may call it, after the route has validated every
 * size, offset, extent, element type and overlap.
 *
 * <p>Operands travel as (address or byte offset, stride) pairs for the slots in0..in3, out0,
 * out1; {@code layout} packs each slot's dtype and where its data is (see the header). Heap
 * arrays go to {@link #sm4j_bridge_run_pinned}, which pins each in a JNI critical region: no copy
 * on the way in or out, and an in-place call sees one array.
 */
@Platform(
        // The platforms whose natives the build makes (PLATFORMS below reads this list).
        value = {"linux-x86_64", "linux-arm64"},
        include = {"softmax4j.h", "softmax4j_bridge.h"},
        // JavaCPP passes these to the linker in reverse: the core first, then what it needs.
        link = {"openblas@.0", "softmax4j_core"},
        // In this order: libsoftmax4j_openmp_env sets GOMP_SPINCOUNT, which libgomp reads when
        // it loads (native/src/openmp_env.c).
        preload = {"softmax4j_openmp_env", "gomp@.1"},
        library = "jnisoftmax4j")
@NoException
public final class NativeCore {
    private NativeCore() {}

    /** The platforms softmax4j has natives for, in JavaCPP's names ({@code linux-x86_64}, ...). */
    public static final List<String> PLATFORMS =
            List.of(NativeCore.class.getAnnotation(Platform.class).value());

    /**
     * Loads OpenBLAS from its preset, then the bridge, on one of {@link #PLATFORMS}, and returns
     * the bridge library's path (where the JDK 22+ transport finds {@code sm4j_ffm_run2}); throws
     * what the loader threw. Where this platform's library is not on the class path (its classifier
     * jar left out), the error says so, with the loader's as its cause.
     *
     * @return the path of the loaded {@code libjnisoftmax4j}
     * @throws UnsatisfiedLinkError if the natives fail to load
     */
    public static String load() {
        String platform = Loader.getPlatform();
        try {
            Loader.load(openblas_nolapack.class);
            return Loader.load(NativeCore.class);
        } catch (UnsatisfiedLinkError e) {
            String library = "org/softmax4j/bridge/" + platform + "/" + System.mapLibraryName("jnisoftmax4j");
            if (NativeCore.class.getClassLoader().getResource(library) != null) throw e;
            UnsatisfiedLinkError missing = new UnsatisfiedLinkError("softmax4j's native library for "
                    + platform + " is not on the class path (" + library + ": add the jar "
                    + "org.softmax4j:softmax4j with classifier " + platform
                    + ", or depend on org.softmax4j:softmax4j-platform; platform jars found: "
                    + platformJars() + ")");
            missing.initCause(e);
            throw missing;
        }
    }

    /** The platforms whose jars are on the class or module path (their providers), or "none". */
    private static String platformJars() {
        List<String> found = new ArrayList<>();
        for (PlatformNatives p : ServiceLoader.load(PlatformNatives.class, NativeCore.class.getClassLoader())) {
            found.add(p.platform());
        }
        return found.isEmpty() ? "none" : String.join(", ", found);
    }

    /** sm4j_run with every operand in native memory: {@code w*} are addresses. */
    public static native void sm4j_bridge_run(int op, long rows, long n, long k, double a,
            double param, long layout, long w0, long l0, long w1, long l1, long w2, long l2,
            long w3, long l3, long w4, long l4, long w5, long l5);

    /**
     * sm4j_run with up to four distinct heap arrays h0..h3 (any primitive type, null if unused),
     * pinned for the call; an operand in one of them has its byte offset in {@code w*}.
     */
    @Raw(withEnv = true)
    public static native void sm4j_bridge_run_pinned(int op, long rows, long n, long k, double a,
            double param, long layout, @Raw Object h0, @Raw Object h1, @Raw Object h2,
            @Raw Object h3, long w0, long l0, long w1, long l1, long w2, long l2, long w3, long l3,
            long w4, long l4, long w5, long l5);

    /**
     * sm4j_run with one input (slot in0) and one output (out0), both in native memory: the
     * shape of the row operations, with 8 fewer arguments to move.
     */
    public static native void sm4j_bridge_run2(int op, long rows, long n, long k, double a, double param,
            long layout, long w0, long l0, long w4, long l4);

    /**
     * As {@link #sm4j_bridge_run2}, with up to two distinct heap arrays h0, h1 (null if unused)
     * pinned for the call.
     */
    @Raw(withEnv = true)
    public static native void sm4j_bridge_run2_pinned(int op, long rows, long n, long k, double a,
            double param, long layout, @Raw Object h0, @Raw Object h1, long w0, long l0, long w4, long l4);

    /**
     * The address of the calling thread's staging area: {@link #sm4j_bridge_stage_bytes} bytes,
     * 64-byte aligned, a C++ {@code thread_local} (released by the C runtime when the thread exits).
     */
    public static native long sm4j_bridge_stage();

    /** The size in bytes of the area {@link #sm4j_bridge_stage} returns (stated in softmax4j_bridge.h only). */
    public static native int sm4j_bridge_stage_bytes();

    public static native void sm4j_set_num_threads(int n);
    public static native int sm4j_get_num_threads();
    public static native @Cast("const char*") String sm4j_thread_policy();
    public static native @Cast("const char*") String sm4j_kernel_name();
    public static native @Cast("const char*") String sm4j_cpu_features();
    public static native @Cast("const char*") String sm4j_version();
    public static native int sm4j_openmp_version();
    public static native int sm4j_blas_num_threads();
    public static native @Cast("const char*") String sm4j_blas_config();
}
