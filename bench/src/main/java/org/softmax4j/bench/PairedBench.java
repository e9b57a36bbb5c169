package org.softmax4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.softmax4j.AttentionMask;
import org.softmax4j.Softmax;

/**
 * The ratio targets of issues 14 and 15, both sides in one JVM, call by call. Each invocation
 * runs side A and side B once, A first and B first in turn, and adds each
 * call's time ({@link System#nanoTime()}) to that side's counter ({@link Sides}: JMH reports the
 * counters per iteration as the secondary metrics {@code a} and {@code b}, in µs; the score it
 * prints for them is their sum over the measured iterations, while the JSON keeps each
 * iteration's). {@code bench/targets_report.py} takes each iteration's {@code a / b} and their
 * median.
 *
 * <p>Why: on a shared machine the time of the same call moves by up to a third within seconds
 * (other tenants); two forks measured one after the other, as {@code SoftmaxBench}'s
 * parameters are, see different moments, and their ratio carries that drift. Interleaved, both
 * sides see the same moments, and the ratio repeats to a few percent where fork against fork
 * ranged over ±30% (bench/README.md, "Ratios on a shared machine"). Each side is the call its
 * own benchmark makes ({@link SoftmaxBench}'s {@link Operands}, {@link HalfBench},
 * {@link AttentionBench}); sides of one element type share one batch (the same input and output
 * arrays), as a caller's calls would. A call takes about a millisecond, so the clock's ~25 ns do
 * not matter.
 *
 * <p>{@code pair}: {@code softmax/copy}, {@code logSoftmax/softmax}, {@code float64/float32}
 * (softmax), {@code bfloat16/float32} and {@code float16/float32} (softmax, output in the input's
 * type), all on {@code shape}; {@code causal/unmasked}: the attention softmax on a square
 * {@code shape} (scale 0.125, into a separate output).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PairedBench {

    @Param({"softmax/copy", "logSoftmax/softmax", "float64/float32", "bfloat16/float32", "float16/float32"})
    public String pair;

    @Param({"4096x1000"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    /** One side: one library call. */
    @FunctionalInterface
    private interface Side {
        void run(Blackhole bh);
    }

    /** Each side's time in the current iteration, µs (JMH: secondary metrics, per iteration). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Sides {
        public double a;
        public double b;

        @Setup(Level.Iteration)
        public void reset() {
            a = 0;
            b = 0;
        }
    }

    private Side sideA;
    private Side sideB;
    private boolean aFirst;
    private Operands shared;
    private Operands other;

    @Setup(Level.Trial)
    public void setUp() {
        String[] sides = pair.split("/");  // two for every pair the switch knows
        Shape s = Shape.parse(shape);
        switch (pair) {
            case "softmax/copy", "logSoftmax/softmax" -> {
                // One batch for both sides, as a caller's: what one side leaves in cache, the other finds.
                Softmax lib = SoftmaxBench.backend("native", threads);
                shared = Operands.allocate("array", "float32", s);
                sideA = call(shared.call(lib, sides[0]));
                sideB = call(shared.call(lib, sides[1]));
            }
            case "float64/float32" -> {
                Softmax lib = SoftmaxBench.backend("native", threads);
                other = Operands.allocate("array", "float64", s);
                shared = Operands.allocate("array", "float32", s);
                sideA = call(other.call(lib, "softmax"));
                sideB = call(shared.call(lib, "softmax"));
            }
            case "bfloat16/float32", "float16/float32" -> {
                sideA = half(sides[0]);
                sideB = half(sides[1]);
            }
            case "causal/unmasked" -> {
                if (s.rows() != s.n()) throw new IllegalArgumentException("causal/unmasked needs a square shape, got " + shape);
                AttentionBench b = new AttentionBench();
                b.op = "causal";
                b.size = s.n();
                b.threads = threads;
                b.backend = "native";
                b.setUp();
                AttentionMask causal = AttentionMask.causal();
                sideA = bh -> b.attend(causal);
                sideB = bh -> b.attend(AttentionMask.NONE);
            }
            default -> throw new IllegalArgumentException("pair must be softmax/copy, logSoftmax/softmax, float64/float32, "
                    + "bfloat16/float32, float16/float32 or causal/unmasked, got '" + pair + "'");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (shared != null) shared.close();
        if (other != null) other.close();
    }

    @Benchmark
    public void run(Sides t, Blackhole bh) {
        aFirst = !aFirst;
        if (aFirst) {
            t.a += time(sideA, bh);
            t.b += time(sideB, bh);
        } else {
            t.b += time(sideB, bh);
            t.a += time(sideA, bh);
        }
    }

    private static double time(Side side, Blackhole bh) {
        long t0 = System.nanoTime();
        side.run(bh);
        return (System.nanoTime() - t0) * 1e-3;
    }

    private static Side call(Operands.Call c) {
        return bh -> bh.consume(c.run());
    }

    /** HalfBench's operands and call (its own arrays: the two element types cannot share a batch). */
    private Side half(String dtype) {
        HalfBench b = new HalfBench();
        b.dtype = dtype;
        b.op = "softmax";
        b.shape = shape;
        b.threads = threads;
        b.setUp();
        return b::call;
    }
}
