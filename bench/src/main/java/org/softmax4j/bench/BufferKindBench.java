package org.softmax4j.bench;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a buffer kind costs on the native backend: the same float32 softmax through heap arrays
 * (pinned by JNI critical regions), direct buffers, JavaCPP pointers, off-heap matrices and (JDK
 * 22+) native MemorySegments. The
 * targets it checks: a heap-array call within 1.3× of the off-heap one, and one call on 1×10
 * within 60 ns (validation, JNI transition and the row itself).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BufferKindBench {

    /** {@code segment}: JDK 22+ only (run.sh leaves it out below 22). */
    @Param({"array", "shorthand", "direct", "pointer", "matrix", "segment"})
    public String kind;

    @Param({"1x10", "64x1000", "4096x1000"})
    public String shape;

    @Param({"float32"})
    public String dtype;

    @Param({"softmax"})
    public String op;

    @Param({"1"})
    public int threads;

    private Operands operands;
    private Operands.Call call;

    @Setup(Level.Trial)
    public void setUp() {
        operands = Operands.allocate(kind, dtype, Shape.parse(shape));
        call = operands.call(SoftmaxBench.backend("native", threads), op);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        operands.close();
    }

    @Benchmark
    public void call(Blackhole bh) {
        bh.consume(call.run());
    }
}
