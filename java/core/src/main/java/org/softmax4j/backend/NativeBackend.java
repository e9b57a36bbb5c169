package org.softmax4j.backend;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.softmax4j.NativeInfo;
import org.softmax4j.Softmax;
import org.softmax4j.bridge.NativeCore;

/**
 * The native backend: each kernel is one call into the C++ core, with no copy and no allocation
 * (heap arrays are pinned, not copied). Obtain it from {@link Softmax#get()} or
 * {@link Softmax#nativeBackend()}.
 */
public final class NativeBackend extends Softmax {

    /**
     * The platforms softmax4j has natives for, in JavaCPP's names ({@code linux-x86_64}, ...):
     * where {@link org.bytedeco.javacpp.Loader#getPlatform()} is another, no load is tried.
     */
    public static final List<String> PLATFORMS = NativeCore.PLATFORMS;

    private NativeBackend() {}

    /**
     * Loads the native library and returns the backend.
     *
     * @throws LinkageError or RuntimeException from JavaCPP's loader if it cannot be loaded
     */
    public static NativeBackend load() {
        NativeCore.load();
        return new NativeBackend();
    }

    /** What the core reports about itself and the machine. */
    public NativeInfo info() {
        return new NativeInfo(NativeCore.sm4j_version(), NativeCore.sm4j_kernel_name(),
                NativeCore.sm4j_cpu_features(), NativeCore.sm4j_get_num_threads(),
                NativeCore.sm4j_openmp_version(), NativeCore.sm4j_blas_num_threads(),
                NativeCore.sm4j_blas_config());
    }

    @Override
    public Backend backend() {
        return Backend.NATIVE;
    }

    @Override
    public int threads() {
        return NativeCore.sm4j_get_num_threads();
    }

    @Override
    protected void setThreadsK(int threads) {
        NativeCore.sm4j_set_num_threads(threads);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, float[] x, int xOffset, int ldx, float[] y,
            int yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f32(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, double[] x, int xOffset, int ldx, double[] y,
            int yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f64(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, FloatBuffer x, int xOffset, int ldx,
            FloatBuffer y, int yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f32(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, DoubleBuffer x, int xOffset, int ldx,
            DoubleBuffer y, int yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f64(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, FloatPointer x, long xOffset, int ldx,
            FloatPointer y, long yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f32(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void rowsK(RowOp op, int rows, int n, DoublePointer x, long xOffset, int ldx,
            DoublePointer y, long yOffset, int ldy, double a) {
        NativeCore.sm4j_bridge_rows_f64(op.code, x, xOffset, ldx, y, yOffset, ldy, rows, n, a);
    }

    @Override
    protected void applyK(Call c, float[] in1, float[] in2, float[] in3, boolean[] mask, float[] out) {
        NativeCore.sm4j_bridge_apply_f32(c.code(), c.rows(), c.n(), c.k(), c.a(), c.param(),
                in1, c.in1().offset(), c.in1().ld(), in2, c.in2().offset(), c.in2().ld(),
                in3, c.in3().offset(), c.in3().ld(), mask, c.mask().offset(), c.mask().ld(),
                c.weights(), out, c.out().offset(), c.out().ld());
    }

    @Override
    protected void applyK(Call c, double[] in1, double[] in2, double[] in3, boolean[] mask, double[] out) {
        NativeCore.sm4j_bridge_apply_f64(c.code(), c.rows(), c.n(), c.k(), c.a(), c.param(),
                in1, c.in1().offset(), c.in1().ld(), in2, c.in2().offset(), c.in2().ld(),
                in3, c.in3().offset(), c.in3().ld(), mask, c.mask().offset(), c.mask().ld(),
                c.weights(), out, c.out().offset(), c.out().ld());
    }

    @Override
    protected void applyK(Call c, FloatPointer in1, FloatPointer in2, FloatPointer in3,
            BytePointer mask, FloatPointer out) {
        NativeCore.sm4j_bridge_apply_f32(c.code(), c.rows(), c.n(), c.k(), c.a(), c.param(),
                in1, c.in1().offset(), c.in1().ld(), in2, c.in2().offset(), c.in2().ld(),
                in3, c.in3().offset(), c.in3().ld(), mask, c.mask().offset(), c.mask().ld(),
                c.weights(), out, c.out().offset(), c.out().ld());
    }

    @Override
    protected void applyK(Call c, DoublePointer in1, DoublePointer in2, DoublePointer in3,
            BytePointer mask, DoublePointer out) {
        NativeCore.sm4j_bridge_apply_f64(c.code(), c.rows(), c.n(), c.k(), c.a(), c.param(),
                in1, c.in1().offset(), c.in1().ld(), in2, c.in2().offset(), c.in2().ld(),
                in3, c.in3().offset(), c.in3().ld(), mask, c.mask().offset(), c.mask().ld(),
                c.weights(), out, c.out().offset(), c.out().ld());
    }
}
