package org.softmax4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacpp.FloatPointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.softmax4j.Batch;
import org.softmax4j.ElementType;
import org.softmax4j.Softmax;
import org.softmax4j.backend.Kernel;
import org.softmax4j.backend.Kernels;
import org.softmax4j.backend.Op;
import org.softmax4j.backend.Route;
import org.softmax4j.bridge.NativeCore;

/**
 * Where the time of one small call goes (a diagnostic, not a claim; the claims are
 * {@link BufferKindBench}'s): the same float32 softmax of 1 × n through the public method
 * ({@code full}), through the route with a kernel that does nothing ({@code route}: the
 * validation alone), straight into the native kernel without the route ({@code kernel}: the
 * storage adapters, the JNI call and the C core), and (pointers only) the bare JNI call with the
 * addresses worked out once ({@code bare}: the JNI transition and the C core). The C core alone is native/bench's
 * {@code softmax4j_bench best 1 1x10}. Runs on the class path, where the internal packages it
 * reaches are visible.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CallBreakdownBench {

    @Param({"array", "direct", "pointer"})
    public String kind;

    @Param({"full", "route", "kernel", "bare"})
    public String part;

    @Param({"10"})
    public int n;

    private Softmax softmax;
    private Kernel kernel;
    private Batch x;
    private Batch y;
    private FloatPointer xp;
    private FloatPointer yp;
    /** The bridge's layout of a float32 input and output in native memory (bare). */
    private final long layout = ElementType.FLOAT32.code() | (long) ElementType.FLOAT32.code() << 32;

    /** Counts the calls, so that the route's work cannot be dropped as dead. */
    private static final class Nothing implements Kernel {
        int calls;

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
            calls++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        softmax = Softmax.nativeBackend();
        kernel = part.equals("route") ? new Nothing() : Kernels.nativeOrNull();
        float[] v = new float[n];
        Random rnd = new Random(1);
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextGaussian() * 3);
        if (part.equals("bare") && !kind.equals("pointer")) throw new IllegalArgumentException("bare: pointer only");
        switch (kind) {
            case "array" -> {
                x = Batch.of(v, 1, n);
                y = Batch.of(new float[n], 1, n);
            }
            case "direct" -> {
                var xb = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer().put(v);
                x = Batch.of(xb.flip(), 1, n);
                y = Batch.of(ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer(), 1, n);
            }
            case "pointer" -> {
                xp = new FloatPointer(v);
                yp = new FloatPointer(n);
                x = Batch.of(xp, 1, n);
                y = Batch.of(yp, 1, n);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (xp != null) xp.close();
        if (yp != null) yp.close();
    }

    @Benchmark
    public Object call() {
        switch (part) {
            case "full" -> softmax.softmax(x, y);
            case "route" -> Route.run(kernel, Op.SOFTMAX, 0, 1, n, 0, 1.0, 0, x, null, null, null, y, null);
            case "kernel" -> kernel.run(Op.SOFTMAX, 0, 1, n, 0, 1.0, 0, x, null, null, null, y, null);
            default -> NativeCore.sm4j_bridge_run2(Op.SOFTMAX.code, 1, n, 0, 1.0, 0, layout, xp.address(), n,
                    yp.address(), n);
        }
        return y;
    }
}
