package org.softmax4j.bridge;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The JavaCPP declaration of the C core ({@code native/include/softmax4j.h}). Internal: nothing
 * here checks its arguments, so only {@link org.softmax4j.backend.NativeBackend} may call it,
 * after {@link org.softmax4j.Softmax} has validated every size, offset and extent.
 *
 * <p>Heap arrays go through JNI critical regions, which pin the array instead of copying it: no
 * copy on the way in or out, and an in-place call sees one array, not two copies of it.
 */
@Platform(
        // The platforms whose natives the build makes (PLATFORMS below reads this list).
        value = {"linux-x86_64", "linux-arm64"},
        include = {"softmax4j.h", "softmax4j_bridge.h"},
        // JavaCPP passes these to the linker in reverse: the core first, then what it needs.
        link = {"openblas@.0", "softmax4j_core"},
        preload = "gomp@.1",
        library = "jnisoftmax4j")
@NoException
public final class NativeCore {
    private NativeCore() {}

    /** The platforms softmax4j has natives for, in JavaCPP's names ({@code linux-x86_64}, ...). */
    public static final List<String> PLATFORMS =
            List.of(NativeCore.class.getAnnotation(Platform.class).value());

    /**
     * Loads OpenBLAS from its preset, then the bridge, on one of {@link #PLATFORMS}; throws what
     * the loader threw. Where this platform's library is not on the class path (its classifier
     * jar left out), the error says so, with the loader's as its cause.
     *
     * @throws UnsatisfiedLinkError if the natives fail to load
     */
    public static void load() {
        String platform = Loader.getPlatform();
        try {
            Loader.load(openblas_nolapack.class);
            Loader.load(NativeCore.class);
        } catch (UnsatisfiedLinkError e) {
            String library = "org/softmax4j/bridge/" + platform + "/" + System.mapLibraryName("jnisoftmax4j");
            if (NativeCore.class.getClassLoader().getResource(library) != null) throw e;
            UnsatisfiedLinkError missing = new UnsatisfiedLinkError("softmax4j's native library for "
                    + platform + " is not on the class path (" + library + ": add the jar "
                    + "org.softmax4j:softmax4j with classifier " + platform
                    + ", or depend on org.softmax4j:softmax4j-platform)");
            missing.initCause(e);
            throw missing;
        }
    }

    // Row operations, one overload per buffer kind. Pointers and buffers start at their position.
    public static native void sm4j_bridge_rows_f32(int op, @Const FloatPointer x, long xOff, long ldx,
            FloatPointer y, long yOff, long ldy, long rows, long n, double a);
    public static native void sm4j_bridge_rows_f32(int op, @Const FloatBuffer x, long xOff, long ldx,
            FloatBuffer y, long yOff, long ldy, long rows, long n, double a);
    @CriticalRegion
    public static native void sm4j_bridge_rows_f32(int op, @Const float[] x, long xOff, long ldx,
            float[] y, long yOff, long ldy, long rows, long n, double a);

    public static native void sm4j_bridge_rows_f64(int op, @Const DoublePointer x, long xOff, long ldx,
            DoublePointer y, long yOff, long ldy, long rows, long n, double a);
    public static native void sm4j_bridge_rows_f64(int op, @Const DoubleBuffer x, long xOff, long ldx,
            DoubleBuffer y, long yOff, long ldy, long rows, long n, double a);
    @CriticalRegion
    public static native void sm4j_bridge_rows_f64(int op, @Const double[] x, long xOff, long ldx,
            double[] y, long yOff, long ldy, long rows, long n, double a);

    public static native void sm4j_set_num_threads(int n);
    public static native int sm4j_get_num_threads();
    public static native @Cast("const char*") String sm4j_kernel_name();
    public static native @Cast("const char*") String sm4j_cpu_features();
    public static native @Cast("const char*") String sm4j_version();
    public static native int sm4j_openmp_version();
    public static native int sm4j_blas_num_threads();
    public static native @Cast("const char*") String sm4j_blas_config();

    // Softmax regression (native/src/regression.cpp). w and b are the addresses of the
    // classifier's own native copies of its weights (k × d, contiguous) and bias (k).
    public static native void sm4j_bridge_linear_f32(int op, @Const FloatPointer x, long xOff, long ldx,
            long w, long b, FloatPointer y, long yOff, long ldy, long rows, long d, long k, double a);
    public static native void sm4j_bridge_linear_f32(int op, @Const FloatBuffer x, long xOff, long ldx,
            long w, long b, FloatBuffer y, long yOff, long ldy, long rows, long d, long k, double a);
    @CriticalRegion
    public static native void sm4j_bridge_linear_f32(int op, @Const float[] x, long xOff, long ldx,
            long w, long b, float[] y, long yOff, long ldy, long rows, long d, long k, double a);

    public static native void sm4j_bridge_linear_f64(int op, @Const DoublePointer x, long xOff, long ldx,
            long w, long b, DoublePointer y, long yOff, long ldy, long rows, long d, long k, double a);
    public static native void sm4j_bridge_linear_f64(int op, @Const DoubleBuffer x, long xOff, long ldx,
            long w, long b, DoubleBuffer y, long yOff, long ldy, long rows, long d, long k, double a);
    @CriticalRegion
    public static native void sm4j_bridge_linear_f64(int op, @Const double[] x, long xOff, long ldx,
            long w, long b, double[] y, long yOff, long ldy, long rows, long d, long k, double a);

    /**
     * Cross-entropy and gradient on heap arrays (offsets in elements); classWeights may be null,
     * and dw and db are null together for the loss alone.
     */
    @CriticalRegion
    public static native double sm4j_bridge_cross_entropy_f64(@Const double[] x, long xOff, long ldx,
            @Const double[] w, long wOff, @Const double[] b, long bOff, @Const int[] labels,
            long labelsOff, @Const double[] classWeights, double smoothing, double scale,
            double[] z, double[] dw, long dwOff, double[] db, long dbOff, long rows, long d, long k);

    // The general operation (sm4j_apply): an op code, sizes, the scale, up to three inputs, a
    // mask of bytes, weights and the output. Unused operands are null. One overload for heap
    // arrays (pinned, a boolean[] mask), one for off-heap memory (pointers, a byte mask).
    @CriticalRegion
    public static native void sm4j_bridge_apply_f32(int op, long rows, long n, long k, double a,
            double param, @Const float[] in1, long o1, long ld1, @Const float[] in2, long o2,
            long ld2, @Const float[] in3, long o3, long ld3,
            @Cast("const uint8_t*") boolean[] mask, long om, long ldm, @Const double[] weights,
            float[] out, long oo, long ldo);
    public static native void sm4j_bridge_apply_f32(int op, long rows, long n, long k, double a,
            double param, @Const FloatPointer in1, long o1, long ld1, @Const FloatPointer in2,
            long o2, long ld2, @Const FloatPointer in3, long o3, long ld3,
            @Cast("const uint8_t*") BytePointer mask, long om, long ldm, @Const double[] weights,
            FloatPointer out, long oo, long ldo);

    @CriticalRegion
    public static native void sm4j_bridge_apply_f64(int op, long rows, long n, long k, double a,
            double param, @Const double[] in1, long o1, long ld1, @Const double[] in2, long o2,
            long ld2, @Const double[] in3, long o3, long ld3,
            @Cast("const uint8_t*") boolean[] mask, long om, long ldm, @Const double[] weights,
            double[] out, long oo, long ldo);
    public static native void sm4j_bridge_apply_f64(int op, long rows, long n, long k, double a,
            double param, @Const DoublePointer in1, long o1, long ld1, @Const DoublePointer in2,
            long o2, long ld2, @Const DoublePointer in3, long o3, long ld3,
            @Cast("const uint8_t*") BytePointer mask, long om, long ldm, @Const double[] weights,
            DoublePointer out, long oo, long ldo);
}
