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
import org.softmax4j.Softmax;

/**
 * The suite: every operation, shape, element type and thread count, on both backends, through
 * the API's heap-array calls (what most callers use; {@link BufferKindBench} measures the other
 * buffer kinds against them). The time is for one call over the whole batch.
 *
 * <p>The pure-Java backend is single-threaded, so {@code threads=2} only repeats its
 * {@code threads=1} numbers; {@code bench/run.sh} runs it with {@code -p threads=1} and on the
 * shapes up to 4096×1000 plus 1×1048576, which keeps a full run near half an hour.
 *
 * <p>{@code threads} is the native backend's process-wide OpenMP setting. The core runs batches
 * of one row, or under 64 K elements, on the calling thread whatever it says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SoftmaxBench {

    /** The suite's shapes: a tiny head, classifier batches, vocabulary-sized rows, one huge row. */
    public static final String[] SHAPES = {"1x10", "64x1000", "4096x1000", "256x32000", "32x128256", "1x1048576"};

    /** {@code copy} is the baseline: the same bytes through the same path (Operands#copy). */
    @Param({"softmax", "logSoftmax", "logSumExp", "copy"})
    public String op;

    @Param({"1x10", "64x1000", "4096x1000", "256x32000", "32x128256", "1x1048576"})
    public String shape;

    @Param({"float32", "float64"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    @Param({"native", "java"})
    public String backend;

    private Operands operands;
    private Operands.Call call;

    @Setup(Level.Trial)
    public void setUp() {
        Softmax s = backend(backend, threads);
        operands = Operands.allocate("array", dtype, Shape.parse(shape));
        call = operands.call(s, op);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        operands.close();
    }

    @Benchmark
    public void call(Blackhole bh) {
        bh.consume(call.run());
    }

    /** {@code native} (failing with the reason if it cannot load) or {@code java}, with {@code threads} applied. */
    static Softmax backend(String name, int threads) {
        Softmax s = switch (name) {
            case "native" -> Softmax.nativeBackend();
            case "java" -> Softmax.java();
            default -> throw new IllegalArgumentException("backend must be native or java, got '" + name + "'");
        };
        s.setThreads(threads);
        return s;
    }
}
